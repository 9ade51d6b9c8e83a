package mysql_test

import (
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// step is one operation of TestApplyOps's story, with what to check once
// it is applied.
type step struct {
	name   string
	op     ops.Operation
	check  func(t testing.TB, db *sql.DB)
	oneWay bool
}

var tag = schema.NewTable("tag", schema.Column("id", schema.Integer, schema.NotNull()),
	schema.Column("label", schema.Varchar(40)), schema.Column("account_id", schema.BigInt))

var orderLine = schema.NewTable("order line",
	schema.Column("order_id", schema.BigInt),
	schema.Column("line", schema.Integer),
	schema.Column("account_id", schema.BigInt, schema.NotNull()),
	schema.PrimaryKey("order_id", "line"),
	schema.ForeignKey("order_line_account_fk", []string{"account_id"}, "account", []string{"id"},
		schema.OnDelete(schema.Cascade), schema.OnUpdate(schema.Restrict)),
)

var add2 = schema.Function{Name: "add2", Args: "a INT, b INT", Definition: "RETURNS INT DETERMINISTIC RETURN a + b"}

func story() []step {
	bio := schema.Column("bio", schema.Text, schema.Default("none yet"))
	return []step{
		{name: "create_table", op: ops.CreateTable{Table: account}, check: func(t testing.TB, db *sql.DB) {
			exec(t, db, "INSERT INTO account (email) VALUES ('ann@example.com')")
			want(t, db, "SELECT id FROM account", "1000")
			want(t, db, "SELECT CONCAT(bio, '/', active, '/', balance, '/', mood, '/', LENGTH(token)) FROM account", "none yet/1/0.00/ok/36")
			if _, err := db.ExecContext(t.Context(), "INSERT INTO account (email, balance) VALUES ('bob@example.com', -1)"); err == nil {
				t.Fatal("check constraint let a negative balance in")
			}
		}},
		{name: "create_table_fk", op: ops.CreateTable{Table: orderLine}, check: func(t testing.TB, db *sql.DB) {
			exec(t, db, "INSERT INTO `order line` VALUES (1, 1, 1000)")
			if _, err := db.ExecContext(t.Context(), "INSERT INTO `order line` VALUES (1, 2, 5)"); err == nil {
				t.Fatal("foreign key let a dangling row in")
			}
		}},
		{name: "bulk_insert", oneWay: true, op: ops.BulkInsert{Table: "account", Columns: []string{"email", "bio", "active", "seen"},
			Rows: [][]any{{"it's", `back\slash`, false, time.Date(2026, 1, 2, 3, 4, 5, 600000, time.UTC)}}},
			check: func(t testing.TB, db *sql.DB) {
				want(t, db, "SELECT bio FROM account WHERE email = 'it''s'", `back\slash`)
			}},
		{name: "add_column", op: ops.AddColumn{Table: "account", Column: schema.Column("note", schema.Varchar(20), schema.Comment("n"))}},
		{name: "fill_note", op: ops.Execute{SQL: "UPDATE account SET note = ''", Undo: ops.Execute{SQL: "UPDATE account SET note = NULL"}}},
		{name: "alter_column_type", op: ops.AlterColumn{Table: "account", Column: "note", Type: ptr(schema.Varchar(50)), Nullable: ptr(false),
			Default: ptr(schema.Literal("none")), Existing: ptr(schema.Column("note", schema.Varchar(20), schema.Comment("n")))},
			check: func(t testing.TB, db *sql.DB) {
				want(t, db, "SELECT CONCAT(column_type, ' ', is_nullable, ' ', column_default, ' ', column_comment) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'account' AND column_name = 'note'",
					"varchar(50) NO 'none' n")
			}},
		{name: "alter_column_rename", op: ops.AlterColumn{Table: "account", Column: "note", NewName: "remark"}},
		{name: "alter_column_default", op: ops.AlterColumn{Table: "account", Column: "bio", Default: ptr(schema.Literal("n/a")), Existing: &bio}},
		{name: "create_index_prefix", op: ops.CreateIndex{Table: "account", Index: schema.IndexDef{Name: "ix_bio_email",
			Parts: []schema.IndexPart{{Column: "bio", Length: 50}, {Column: "email", Desc: true}}}}},
		{name: "drop_index", op: ops.DropIndex{Table: "account", Name: "ix_account_created", Existing: &account.Indexes[1]}},
		{name: "create_table_tag", op: ops.CreateTable{Table: tag, Options: map[string]string{"mysql": "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"}},
			check: func(t testing.TB, db *sql.DB) {
				want(t, db, "SELECT CONCAT(engine, ' ', table_collation) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'tag'", "InnoDB utf8mb4_bin")
			}},
		{name: "create_primary_key", op: ops.CreatePrimaryKey{Table: "tag", PrimaryKey: schema.PrimaryKeyDef{Name: "tag_pkey", Columns: []string{"id"}}}},
		{name: "create_unique", op: ops.CreateUniqueConstraint{Table: "tag", Unique: schema.Unique("tag_label_key", "label")}},
		{name: "create_foreign_key", op: ops.CreateForeignKey{Table: "tag", ForeignKey: schema.ForeignKey("tag_account_fk",
			[]string{"account_id"}, "account", []string{"id"}, schema.OnDelete(schema.SetNull))}},
		{name: "create_check", op: ops.CreateCheckConstraint{Table: "tag", Check: schema.Check("tag_label_check", "label <> ''")},
			check: func(t testing.TB, db *sql.DB) {
				if _, err := db.ExecContext(t.Context(), "INSERT INTO tag VALUES (1, '', NULL)"); err == nil {
					t.Fatal("check constraint let an empty label in")
				}
			}},
		{name: "drop_check", op: ops.DropConstraint{Table: "tag", Name: "tag_label_check", Existing: schema.Check("tag_label_check", "label <> ''")},
			check: func(t testing.TB, db *sql.DB) {
				exec(t, db, "INSERT INTO tag VALUES (1, '', NULL)")
				exec(t, db, "DELETE FROM tag")
			}},
		{name: "rename_table", op: ops.RenameTable{Table: "tag", NewName: "label_tag"}},
		{name: "set_table_comment", op: ops.SetTableComment{Table: "account", Comment: "new", Existing: "who pays"},
			check: func(t testing.TB, db *sql.DB) {
				want(t, db, "SELECT table_comment FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'account'", "new")
			}},
		{name: "create_view", op: ops.CreateView{View: schema.View{Name: "rich", Definition: "SELECT id, email FROM account WHERE balance > 1000"}}},
		{name: "replace_view", op: ops.ReplaceView{View: schema.View{Name: "rich", Definition: "SELECT id, email FROM account WHERE balance >= 0"},
			Existing: &schema.View{Name: "rich", Definition: "SELECT id, email FROM account WHERE balance > 1000"}},
			check: func(t testing.TB, db *sql.DB) {
				want(t, db, "SELECT email FROM rich ORDER BY id LIMIT 1", "ann@example.com")
			}},
		{name: "create_function", op: ops.CreateFunction{Function: add2}, check: func(t testing.TB, db *sql.DB) {
			want(t, db, "SELECT add2(2, 3)", "5")
		}},
		{name: "replace_function", op: ops.ReplaceFunction{Function: schema.Function{Name: "add2", Args: "a INT, b INT",
			Definition: "RETURNS INT DETERMINISTIC RETURN a + b + 1"}, Existing: &add2},
			check: func(t testing.TB, db *sql.DB) { want(t, db, "SELECT add2(2, 3)", "6") }},
		{name: "create_trigger", op: ops.CreateTrigger{Trigger: schema.Trigger{Name: "account_touch", Table: "account",
			Definition: "BEFORE INSERT ON account FOR EACH ROW SET NEW.balance = 2"}},
			check: func(t testing.TB, db *sql.DB) {
				exec(t, db, "INSERT INTO account (email) VALUES ('bob@example.com')")
				want(t, db, "SELECT balance FROM account WHERE email = 'bob@example.com'", "2.00")
			}},
		{name: "create_sequence", op: ops.CreateSequence{Sequence: schema.Sequence{Name: "invoice_no", Start: 7}},
			check: func(t testing.TB, db *sql.DB) { want(t, db, "SELECT NEXTVAL(invoice_no)", "7") }},
		{name: "execute", op: ops.Execute{SQL: "UPDATE account SET remark = 'x'", Undo: ops.Execute{SQL: "UPDATE account SET remark = 'none'"}}},
	}
}

// TestApplyOps applies every operation MySQL supports to the test
// server, with the syntax the server asks for, checks each, then
// reverses them all and checks that nothing is left.
func TestApplyOps(t *testing.T) {
	db := openDB(t)
	d, err := mysql.Dialect{}.ForServer(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	var applied []step
	for _, s := range story() {
		apply(t, d, db, s.name, s.op)
		if s.check != nil {
			s.check(t, db)
		}
		applied = append(applied, s)
	}
	for _, s := range slices.Backward(applied) {
		r, err := s.op.Reverse()
		if s.oneWay {
			if !errors.Is(err, ops.ErrIrreversible) {
				t.Fatalf("%s: Reverse = %v, want ErrIrreversible", s.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: Reverse: %v", s.name, err)
		}
		apply(t, d, db, "reverse of "+s.name, r)
	}
	var left []string
	rows, err := db.QueryContext(t.Context(), `SELECT CONCAT(table_type, ' ', table_name) FROM information_schema.tables WHERE table_schema = DATABASE()
UNION ALL SELECT CONCAT(routine_type, ' ', routine_name) FROM information_schema.routines WHERE routine_schema = DATABASE()
UNION ALL SELECT CONCAT('TRIGGER ', trigger_name) FROM information_schema.triggers WHERE trigger_schema = DATABASE()`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		left = append(left, s)
	}
	if len(left) > 0 {
		t.Fatalf("after reversing every operation, left: %q", left)
	}
}

func apply(t testing.TB, d dialect.Dialect, db *sql.DB, name string, op ops.Operation) {
	t.Helper()
	stmts, err := d.Render(op)
	if err != nil {
		t.Fatalf("%s: render: %v", name, err)
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %s: %v", name, s, err)
		}
	}
}

func exec(t testing.TB, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.ExecContext(t.Context(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func want(t testing.TB, db *sql.DB, q, w string) {
	t.Helper()
	var got sql.NullString
	if err := db.QueryRowContext(t.Context(), q).Scan(&got); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if got.String != w {
		t.Fatalf("%s = %q, want %q", q, got.String, w)
	}
}
