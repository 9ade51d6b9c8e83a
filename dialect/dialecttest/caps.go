package dialecttest

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// testRegistry checks that d is registered under its name with a
// database/sql driver the program has, and that a connection opened by
// the caller is recognised as d's (when the engine names its driver
// packages).
func testRegistry(t *testing.T, d dialect.Dialect, db *sql.DB) {
	e, err := dialect.Lookup(d.Name())
	if err != nil {
		t.Fatalf("%v: call dialect.Register in the engine package's init", err)
	}
	if e.New == nil || e.New().Name() != d.Name() {
		t.Errorf("the registered engine %s does not make this dialect", e.Name)
	}
	if e.Product == "" || len(e.Schemes) == 0 {
		t.Errorf("engine %s: Product and Schemes must be set", e.Name)
	}
	for _, s := range e.Schemes {
		if got, ok := dialect.ForScheme(s); !ok || got.Name != e.Name {
			t.Errorf("scheme %s selects %q, want %s", s, got.Name, e.Name)
		}
	}
	if !slices.Contains(sql.Drivers(), e.Driver) {
		t.Errorf("engine %s: database/sql driver %q is not registered; import it in the engine package", e.Name, e.Driver)
	}
	if len(e.DriverPackages) > 0 {
		if got, ok := dialect.Detect(db); !ok || got.Name != e.Name {
			t.Errorf("Detect(the test's *sql.DB) = %q, %v; want %s (DriverPackages %v)", got.Name, ok, e.Name, e.DriverPackages)
		}
	}
}

// testCaps checks that the abilities the capabilities promise are there
// and work: placeholders, several statements per Exec, the current
// schema, and the catalog a table rebuild reads.
func testCaps(t *testing.T, d dialect.Dialect, db *sql.DB) {
	c := d.Caps()
	ctx := t.Context()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+d.QuoteIdent("retort_caps_probe")+" WHERE id = "+c.Placeholders.Arg(1), 1).Scan(&n); err == nil {
		t.Fatal("the probe table exists in a fresh database")
	}
	exec(t, db, "CREATE TABLE "+d.QuoteIdent("retort_caps_probe")+" (id INTEGER PRIMARY KEY, name VARCHAR(20))")
	if _, err := db.ExecContext(ctx, "INSERT INTO "+d.QuoteIdent("retort_caps_probe")+" (id, name) VALUES ("+c.Placeholders.Arg(1)+", "+c.Placeholders.Arg(2)+")", 1, "one"); err != nil {
		t.Fatalf("Caps.Placeholders %v: %v", c.Placeholders, err)
	}
	if c.MultiStatements {
		tx := begin(t, db)
		if _, err := tx.ExecContext(ctx, "SELECT 1; SELECT 2"); err != nil {
			t.Errorf("Caps.MultiStatements: %v", err)
		}
		_ = tx.Rollback()
	}
	if c.Schemas {
		r, ok := d.(dialect.CurrentSchemaReader)
		if !ok {
			t.Fatal("Caps.Schemas without dialect.CurrentSchemaReader")
		}
		s, err := r.CurrentSchema(ctx, db)
		if err != nil || s == "" {
			t.Errorf("CurrentSchema = %q, %v", s, err)
		}
		sf, ok := d.(dialect.SchemaFinder)
		if !ok {
			t.Fatal("Caps.Schemas without dialect.SchemaFinder")
		}
		if got, err := sf.ExistingSchemas(ctx, db, []string{"retort_no_such_schema", s}); err != nil || len(got) != 1 || got[0] != s {
			t.Errorf("ExistingSchemas(no such schema, %q) = %q, %v; want only the current schema", s, got, err)
		}
	} else if c.DefaultSchema != "" {
		t.Errorf("Caps.DefaultSchema %q without Caps.Schemas", c.DefaultSchema)
	}
	if c.InlineEnums {
		if c.Enums {
			t.Error("Caps.Enums and Caps.InlineEnums together: an engine has named enum types or inline ones")
		}
		testInlineEnums(t, d, db)
	}
	if c.RebuildsTables {
		cat, ok := d.(dialect.RebuildCatalog)
		if !ok {
			t.Fatal("Caps.RebuildsTables without dialect.RebuildCatalog")
		}
		id := dialect.Ident{Name: "retort_caps_probe"}
		if tbl, err := cat.InspectTable(ctx, db, id); err != nil || len(tbl.Columns) != 2 {
			t.Errorf("InspectTable: %v, %v", tbl, err)
		}
		if refs, err := cat.ReferencesTo(ctx, db, id); err != nil || len(refs) != 0 {
			t.Errorf("ReferencesTo = %v, %v; want none", refs, err)
		}
		if trg, err := cat.Triggers(ctx, db, id); err != nil || len(trg) != 0 {
			t.Errorf("Triggers = %v, %v; want none", trg, err)
		}
		if err := cat.CheckForeignKeys(ctx, db, "", []string{"retort_caps_probe"}); err != nil {
			t.Errorf("CheckForeignKeys: %v", err)
		}
	}
	if r, ok := d.(dialect.SchemaResetter); ok && c.Schemas {
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		set, err := d.SetSchema("retort_caps_schema")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range append(set, r.ResetSchema()...) {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				t.Errorf("SetSchema then ResetSchema: %s: %v", s, err)
			}
		}
	}
	if id, ok := d.(dialect.ServerIdentifier); ok {
		a, err := id.ServerIdentity(ctx, db)
		b, err2 := id.ServerIdentity(ctx, db)
		if err != nil || err2 != nil || a == "" || a != b {
			t.Errorf("ServerIdentity = %q, %q (%v, %v); want one non-empty value", a, b, err, err2)
		}
	}
}

// testInlineEnums checks that an inline enum column (schema.EnumOf)
// with values that need quoting is created and inspected back with the
// same values in the same order, and that its values change by
// AlterColumn.
func testInlineEnums(t *testing.T, d dialect.Dialect, db *sql.DB) {
	ins, ok := d.(dialect.Inspectable)
	if !ok {
		t.Fatal("Caps.InlineEnums without an inspector")
	}
	apply := func(op ops.Operation) {
		t.Helper()
		stmts, err := d.Render(op)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			exec(t, db, s)
		}
	}
	check := func(want schema.ColumnDef) {
		t.Helper()
		got, err := ins.Inspector().Inspect(t.Context(), db, dialect.InspectOpts{Tables: []string{"retort_caps_enum"}})
		if err != nil {
			t.Fatal(err)
		}
		tbl := got.Table("", "retort_caps_enum")
		if tbl == nil {
			t.Fatal("the enum table is not inspected")
		}
		if c, _ := tbl.Column("mood"); c.Type != want.Type || c.Default != want.Default || c.Nullable != want.Nullable {
			t.Errorf("inspected %s %s (default %v, nullable %v); want %s (default %v, nullable %v)",
				c.Name, c.Type, c.Default, c.Nullable, want.Type, want.Default, want.Nullable)
		}
	}
	col := schema.Column("mood", schema.EnumOf("sad", "it's ok", `back\slash`, "a,b", ""), schema.NotNull(), schema.Default("it's ok"))
	apply(ops.CreateTable{Table: schema.NewTable("retort_caps_enum", schema.Column("id", schema.Integer, schema.PrimaryKey()), col)})
	check(col)
	wider := schema.EnumOf("sad", "it's ok", `back\slash`, "a,b", "", "great")
	apply(ops.AlterColumn{Table: "retort_caps_enum", Column: "mood", Type: &wider, Existing: &col})
	col.Type = wider
	check(col)
	apply(ops.DropTable{Table: "retort_caps_enum"})
}

// testScratch checks the scratch-database abilities: what is built in
// a scratch database can be inspected there and is gone afterwards.
func testScratch(t *testing.T, d dialect.Dialect, db *sql.DB) {
	ls, local := d.(dialect.LocalScratcher)
	ss, server := d.(dialect.ServerScratcher)
	if !local && !server {
		t.Skipf("%s has no scratch database: autogenerate needs a target set in Go", d.Name())
	}
	in, ok := d.(dialect.Inspectable)
	if !ok {
		t.Fatal("a scratch database without dialect.Inspectable cannot be read back")
	}
	ctx := t.Context()
	build := func(ctx context.Context, q dialect.Querier, scratch string) error {
		if _, err := q.ExecContext(ctx, "CREATE TABLE "+d.QuoteIdent("scratch_probe")+" (id INTEGER PRIMARY KEY)"); err != nil {
			return err
		}
		var o dialect.InspectOpts
		if scratch != "" {
			o.Schemas = []string{scratch}
		}
		got, err := in.Inspector().Inspect(ctx, q, o)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(got.Tables, func(tb schema.Table) bool { return tb.Name == "scratch_probe" }) {
			t.Errorf("the scratch database's inspection misses its table: %v", got.Tables)
		}
		return nil
	}
	if local {
		if err := ls.Scratch(ctx, build); err != nil {
			t.Fatalf("Scratch: %v", err)
		}
	} else {
		tx := begin(t, db)
		if err := ss.ScratchOn(ctx, tx, build); err != nil {
			t.Fatalf("ScratchOn: %v", err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
	}
	got, err := in.Inspector().Inspect(ctx, db, dialect.InspectOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Tables) != 0 {
		t.Errorf("the scratch database left tables in the live one: %v", got.Tables)
	}
}

// testViewNormalizer checks CanonicalView: a valid view prints back,
// one over a missing table reports ok false and leaves the transaction
// usable.
func testViewNormalizer(t *testing.T, d dialect.Dialect, db *sql.DB) {
	vn, ok := d.(dialect.ViewNormalizer)
	if !ok {
		t.Skipf("%s keeps view definitions as written", d.Name())
	}
	ctx := t.Context()
	tx := begin(t, db)
	if def, ok, err := vn.CanonicalView(ctx, tx, "SELECT 1 AS one"); err != nil || !ok || def == "" {
		t.Errorf("CanonicalView(SELECT 1 AS one) = %q, %v, %v", def, ok, err)
	}
	if _, ok, err := vn.CanonicalView(ctx, tx, "SELECT * FROM no_such_table"); err != nil || ok {
		t.Errorf("CanonicalView over a missing table = ok %v, err %v; want false, nil", ok, err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
		t.Errorf("the transaction is unusable after CanonicalView: %v", err)
	}
}

// testMemory checks OpenMemory: two databases are independent.
func testMemory(t *testing.T, d dialect.Dialect, _ *sql.DB) {
	mo, ok := d.(dialect.MemoryOpener)
	if !ok {
		t.Skipf("%s has no in-memory databases", d.Name())
	}
	a, err := mo.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := mo.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	exec(t, a, "CREATE TABLE "+d.QuoteIdent("only_in_a")+" (id INTEGER)")
	if _, err := b.ExecContext(t.Context(), "CREATE TABLE "+d.QuoteIdent("only_in_a")+" (id INTEGER)"); err != nil {
		t.Errorf("the second in-memory database shares the first's tables: %v", err)
	}
}
