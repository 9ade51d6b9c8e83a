package dialecttest

import (
	"database/sql"
	"errors"
	"slices"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// applyStep is one operation of [RunOps]'s story.
type applyStep struct {
	name string
	// op returns the operation for the dialect called name, or nil to
	// skip the step there.
	op func(name string) ops.Operation
	// check runs after op was applied.
	check func(t testing.TB, d dialect.Dialect, db *sql.DB)
	// oneWay marks an irreversible operation, skipped when the story
	// is undone.
	oneWay bool
}

func fixed(op ops.Operation) func(string) ops.Operation {
	return func(string) ops.Operation { return op }
}

var scratch = schema.NewTable("scratch", schema.Column("id", schema.Integer, schema.PrimaryKey()),
	schema.Column("v", schema.Text, schema.Default("v")))

var tag = schema.NewTable("tag", schema.Column("id", schema.Integer, schema.NotNull()),
	schema.Column("label", schema.Text), schema.Column("customer_id", schema.BigInt))

var touch = schema.Function{Name: "touch", Definition: "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.balance := 1; RETURN NEW; END $$"}

// story is every operation in an order a schema could go through.
var story = []applyStep{
	{name: "create_schema", op: fixed(ops.CreateSchema{Name: "app"})},
	{name: "create_enum", op: fixed(ops.CreateEnum{Enum: schema.Enum{Name: "mood", Values: []string{"sad", "ok"}}})},
	{name: "add_enum_value", op: fixed(ops.AddEnumValue{Enum: "mood", Value: "great", After: "ok"}), oneWay: true},
	{name: "rename_enum_value", op: fixed(ops.RenameEnumValue{Enum: "mood", Value: "sad", NewValue: "blue"})},
	{name: "create_sequence", op: fixed(ops.CreateSequence{Sequence: schema.Sequence{Name: "invoice_no", Start: 7}}),
		check: func(t testing.TB, _ dialect.Dialect, db *sql.DB) {
			wantValue(t, db, `SELECT nextval('invoice_no')`, "7")
		}},
	{name: "create_table", op: fixed(ops.CreateTable{Table: customer}), check: func(t testing.TB, d dialect.Dialect, db *sql.DB) {
		exec(t, db, `INSERT INTO customer (name, email) VALUES ('Ann', 'ann@example.com')`)
		wantValue(t, db, `SELECT id FROM customer WHERE name = 'Ann'`, "1")
		wantValue(t, db, `SELECT count(*) FROM customer WHERE balance = 0`, "1")
		wantColumns(t, d, db, "customer", "id", "name", "email", "balance", "created")
		wantIndex(t, d, db, "ix_customer_name", true)
	}},
	{name: "create_table_fk", op: fixed(ops.CreateTable{Table: orderLine}), check: func(t testing.TB, _ dialect.Dialect, db *sql.DB) {
		exec(t, db, `INSERT INTO "order line" VALUES (1, 1, 1)`)
	}},
	{name: "create_table_all_types", op: fixed(ops.CreateTable{Table: allTypes})},
	{name: "bulk_insert", op: func(string) ops.Operation { return bulkCase() }, oneWay: true,
		check: func(t testing.TB, _ dialect.Dialect, db *sql.DB) {
			wantValue(t, db, `SELECT txt FROM all_types WHERE small = 1`, "it's")
			wantValue(t, db, `SELECT big FROM all_types WHERE small = 1`, "9007199254740993")
			wantValue(t, db, `SELECT count(*) FROM all_types WHERE vc IS NULL`, "1")
			var b []byte
			if err := db.QueryRowContext(t.Context(), `SELECT b FROM all_types WHERE small = 1`).Scan(&b); err != nil || !slices.Equal(b, []byte{0, 0xff}) {
				t.Fatalf("bytes read back as %x, %v", b, err)
			}
		}},
	{name: "add_column", op: fixed(ops.AddColumn{Table: "customer", Column: schema.Column("note", schema.Text, schema.Comment("n"))}),
		check: func(t testing.TB, d dialect.Dialect, db *sql.DB) {
			wantColumns(t, d, db, "customer", "id", "name", "email", "balance", "created", "note")
		}},
	{name: "alter_column_rename", op: fixed(ops.AlterColumn{Table: "customer", Column: "note", NewName: "remark",
		Existing: ptr(schema.Column("note", schema.Text, schema.Comment("n")))}),
		check: func(t testing.TB, d dialect.Dialect, db *sql.DB) {
			wantColumns(t, d, db, "customer", "id", "name", "email", "balance", "created", "remark")
		}},
	{name: "alter_column_type", op: fixed(ops.AlterColumn{Table: "customer", Column: "email",
		Type: ptr(schema.Text), Using: "email::text", Nullable: ptr(false), Default: ptr(schema.Literal("none")), Comment: ptr("mail"),
		Existing: ptr(schema.Column("email", schema.Varchar(255)))}),
		check: func(t testing.TB, _ dialect.Dialect, db *sql.DB) {
			wantValue(t, db, `SELECT data_type || ' ' || is_nullable || ' ' || column_default FROM information_schema.columns
				WHERE table_name = 'customer' AND column_name = 'email'`, "text NO 'none'::text")
		}},
	{name: "create_index_unique_expression", op: fixed(ops.CreateIndex{Table: "customer",
		Index: schema.IndexDef{Name: "uq_customer_lower_email", Unique: true, Parts: []schema.IndexPart{{Expr: "lower(email)"}}, Where: "balance >= 0"}}),
		check: func(t testing.TB, d dialect.Dialect, db *sql.DB) {
			wantIndex(t, d, db, "uq_customer_lower_email", true)
			if _, err := db.ExecContext(t.Context(), `INSERT INTO customer (name, email) VALUES ('Ann2', 'ANN@example.com')`); err == nil {
				t.Fatal("unique expression index let a duplicate in")
			}
		}},
	{name: "create_index_concurrently", op: fixed(ops.CreateIndex{Table: "customer", Index: schema.Index("ix_customer_created", "created"),
		Concurrently: true, IfNotExists: true})},
	{name: "drop_index", op: fixed(ops.DropIndex{Table: "customer", Name: "ix_customer_name", Existing: &customer.Indexes[0]}),
		check: func(t testing.TB, d dialect.Dialect, db *sql.DB) { wantIndex(t, d, db, "ix_customer_name", false) }},
	{name: "create_table_tag", op: fixed(ops.CreateTable{Table: tag})},
	{name: "create_primary_key", op: fixed(ops.CreatePrimaryKey{Table: "tag", PrimaryKey: schema.PrimaryKeyDef{Name: "tag_pkey", Columns: []string{"id"}}})},
	{name: "create_unique_constraint", op: fixed(ops.CreateUniqueConstraint{Table: "tag", Unique: schema.Unique("tag_label_key", "label")})},
	{name: "create_foreign_key", op: fixed(ops.CreateForeignKey{Table: "tag", ForeignKey: schema.ForeignKey("tag_customer_fk",
		[]string{"customer_id"}, "customer", []string{"id"}, schema.OnDelete(schema.SetNull))})},
	{name: "create_check_constraint", op: fixed(ops.CreateCheckConstraint{Table: "tag", Check: schema.Check("tag_label_check", "label <> ''")}),
		check: func(t testing.TB, _ dialect.Dialect, db *sql.DB) {
			if _, err := db.ExecContext(t.Context(), `INSERT INTO tag VALUES (1, '', NULL)`); err == nil {
				t.Fatal("check constraint let an empty label in")
			}
		}},
	{name: "drop_constraint", op: fixed(ops.DropConstraint{Table: "tag", Name: "tag_label_check", Existing: schema.Check("tag_label_check", "label <> ''")}),
		check: func(t testing.TB, _ dialect.Dialect, db *sql.DB) {
			exec(t, db, `INSERT INTO tag VALUES (1, '', NULL)`)
			exec(t, db, `DELETE FROM tag`) // or re-adding the check fails
		}},
	{name: "rename_table", op: fixed(ops.RenameTable{Table: "tag", NewName: "label_tag"})},
	{name: "add_then_drop_column", op: fixed(ops.Sequence{
		ops.AddColumn{Table: "customer", Column: schema.Column("tmp", schema.Integer)},
		ops.DropColumn{Table: "customer", Column: "tmp", Existing: ptr(schema.Column("tmp", schema.Integer))},
	})},
	{name: "set_table_comment", op: fixed(ops.SetTableComment{Table: "customer", Comment: "new", Existing: "people who buy"}),
		check: func(t testing.TB, _ dialect.Dialect, db *sql.DB) {
			wantValue(t, db, `SELECT obj_description('customer'::regclass)`, "new")
		}},
	{name: "create_view", op: fixed(ops.CreateView{View: schema.View{Name: "rich", Definition: "SELECT id, name FROM customer WHERE balance > 1000"}})},
	{name: "replace_view", op: fixed(ops.ReplaceView{View: schema.View{Name: "rich", Definition: "SELECT id, name FROM customer WHERE balance >= 0"},
		Existing: &schema.View{Name: "rich", Definition: "SELECT id, name FROM customer WHERE balance > 1000"}}),
		check: func(t testing.TB, _ dialect.Dialect, db *sql.DB) { wantValue(t, db, `SELECT name FROM rich`, "Ann") }},
	{name: "create_function", op: fixed(ops.CreateFunction{Function: touch})},
	{name: "replace_function", op: fixed(ops.ReplaceFunction{Function: schema.Function{Name: "touch",
		Definition: "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.balance := 2; RETURN NEW; END $$"}, Existing: &touch})},
	{name: "create_trigger", op: func(name string) ops.Operation {
		if name == "sqlite" {
			return ops.CreateTrigger{Trigger: schema.Trigger{Name: "customer_touch", Table: "customer",
				Definition: "AFTER INSERT ON customer BEGIN UPDATE customer SET balance = 2 WHERE id = NEW.id; END"}}
		}
		return ops.CreateTrigger{Trigger: schema.Trigger{Name: "customer_touch", Table: "customer",
			Definition: "BEFORE INSERT ON customer FOR EACH ROW EXECUTE FUNCTION touch()"}}
	}, check: func(t testing.TB, _ dialect.Dialect, db *sql.DB) {
		exec(t, db, `INSERT INTO customer (name, email) VALUES ('Bob', 'bob@example.com')`)
		wantValue(t, db, `SELECT count(*) FROM customer WHERE name = 'Bob' AND balance = 2`, "1")
	}},
	{name: "execute", op: func(string) ops.Operation {
		return ops.Execute{SQL: "UPDATE customer SET remark = 'x'", Undo: ops.Execute{SQL: "UPDATE customer SET remark = NULL"}}
	}, check: func(t testing.TB, _ dialect.Dialect, db *sql.DB) {
		wantValue(t, db, `SELECT count(*) FROM customer WHERE remark = 'x'`, "2")
	}},
	{name: "create_then_drop_table", op: fixed(ops.Sequence{
		ops.CreateTable{Table: scratch},
		ops.DropTable{Table: "scratch", Existing: &scratch},
	})},
	{name: "create_table_in_schema", op: func(name string) ops.Operation {
		if name == "sqlite" {
			return nil // SQLite's schemas are attached databases
		}
		return ops.CreateTable{Table: schema.NewTable("event", schema.InSchema("app"),
			schema.Column("id", schema.Integer, schema.PrimaryKey()))}
	}},
}

func bulkCase() ops.Operation {
	for _, c := range RenderCases {
		if c.Name == "bulk_insert" {
			return c.Op
		}
	}
	panic("no bulk_insert case")
}

// RunOps applies every operation to db in a story (create tables, alter
// them, add indexes and constraints, views, functions, triggers, data),
// checking each result on the database, then applies the reverse of each
// in the opposite order and checks that nothing is left. Operations
// the dialect does not support (an *UnsupportedError) are skipped. db
// must be a fresh, empty database.
func RunOps(t *testing.T, d dialect.Dialect, db *sql.DB) {
	type done struct {
		step applyStep
		op   ops.Operation
	}
	var applied []done
	for _, s := range story {
		op := s.op(d.Name())
		if op == nil || !apply(t, d, db, s.name, op) {
			continue
		}
		if s.check != nil {
			s.check(t, d, db)
		}
		applied = append(applied, done{s, op})
	}
	for i := len(applied) - 1; i >= 0; i-- {
		s := applied[i]
		if s.step.oneWay {
			if _, err := s.op.Reverse(); !errors.Is(err, ops.ErrIrreversible) {
				t.Fatalf("%s: Reverse = %v, want ErrIrreversible", s.step.name, err)
			}
			continue
		}
		r, err := s.op.Reverse()
		if err != nil {
			t.Fatalf("%s: Reverse: %v", s.step.name, err)
		}
		if !apply(t, d, db, "reverse of "+s.step.name, r) {
			t.Fatalf("reverse of %s is not supported but %s was", s.step.name, s.step.name)
		}
	}
	wantEmpty(t, d, db)
}

// apply renders op and runs its statements; false when d does not
// support it.
func apply(t testing.TB, d dialect.Dialect, db *sql.DB, name string, op ops.Operation) bool {
	t.Helper()
	stmts, err := d.Render(op)
	if errors.Is(err, dialect.ErrUnsupported) {
		t.Logf("%s: skipped: %v", name, err)
		return false
	}
	if err != nil {
		t.Fatalf("%s: render: %v", name, err)
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %s: %v", name, s, err)
		}
	}
	return true
}

func wantValue(t testing.TB, db *sql.DB, query, want string) {
	t.Helper()
	var got sql.NullString
	if err := db.QueryRowContext(t.Context(), query).Scan(&got); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if got.String != want {
		t.Fatalf("%s = %q, want %q", query, got.String, want)
	}
}

// inspect reflects the current schema of db through d's inspector,
// which RunOps needs to check each result.
func inspect(t testing.TB, d dialect.Dialect, db *sql.DB, tables ...string) *schema.Database {
	t.Helper()
	out, err := inspector(t, d).Inspect(t.Context(), db, dialect.InspectOpts{Tables: tables})
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	return out
}

func inspector(t testing.TB, d dialect.Dialect) dialect.Inspector {
	t.Helper()
	in, ok := d.(dialect.Inspectable)
	if !ok {
		t.Fatalf("RunOps reads results back through the dialect's inspector; %s has none (dialect.Inspectable)", d.Name())
	}
	return in.Inspector()
}

// wantColumns checks a table's columns, in order.
func wantColumns(t testing.TB, d dialect.Dialect, db *sql.DB, table string, want ...string) {
	t.Helper()
	var got []string
	if tb := inspect(t, d, db, table).Table("", table); tb != nil {
		for _, c := range tb.Columns {
			got = append(got, c.Name)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("columns of %s = %q, want %q", table, got, want)
	}
}

// wantIndex checks that the index name exists, or not.
func wantIndex(t testing.TB, d dialect.Dialect, db *sql.DB, name string, exists bool) {
	t.Helper()
	found := false
	for _, tb := range inspect(t, d, db).Tables {
		found = found || slices.ContainsFunc(tb.Indexes, func(ix schema.IndexDef) bool { return ix.Name == name })
	}
	if found != exists {
		t.Fatalf("index %s exists: %v, want %v", name, found, exists)
	}
}

// wantEmpty checks that no schema, table, view, enum type, sequence,
// function or trigger is left.
func wantEmpty(t testing.TB, d dialect.Dialect, db *sql.DB) {
	t.Helper()
	got := inspect(t, d, db)
	var left []string
	add := func(kind string, names ...string) {
		for _, n := range names {
			left = append(left, kind+" "+n)
		}
	}
	if d.Caps().Schemas {
		// The story creates schema "app"; inspecting a schema that no
		// longer exists fails, which is what is wanted here.
		if app, err := inspector(t, d).Inspect(t.Context(), db, dialect.InspectOpts{Schemas: []string{"app"}}); err == nil {
			add("schema", "app")
			for _, x := range app.Tables {
				add("table", "app."+x.Name)
			}
		}
	}
	for _, x := range got.Tables {
		add("table", x.Name)
	}
	for _, x := range got.Views {
		add("view", x.Name)
	}
	for _, x := range got.Enums {
		add("type", x.Name)
	}
	for _, x := range got.Sequences {
		add("sequence", x.Name)
	}
	for _, x := range got.Functions {
		add("function", x.Name)
	}
	for _, x := range got.Triggers {
		add("trigger", x.Name)
	}
	if len(left) > 0 {
		t.Fatalf("after reversing every operation, left: %q", left)
	}
}
