package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// inspectDB opens a fresh database file and runs stmts on it.
func inspectDB(t testing.TB, stmts ...string) *sql.DB {
	t.Helper()
	db := openDSN(t, "file:"+filepath.Join(t.TempDir(), "i.db")+"?_pragma=foreign_keys(1)")
	for _, s := range stmts {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return db
}

func inspect(t testing.TB, db *sql.DB, name string) *schema.Table {
	t.Helper()
	got, err := sqlite.Dialect{}.InspectTable(t.Context(), db, dialect.Ident{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Every feature the inspector reads, from hand-written DDL: quoting,
// comments, column and table constraints, named and unnamed.
func TestInspectTable(t *testing.T) {
	t.Parallel()
	db := inspectDB(t,
		`CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE)`,
		`CREATE TABLE "Child Table" ( -- a comment, (with a paren
			"id" INTEGER PRIMARY KEY AUTOINCREMENT,
			[name] VARCHAR(40) NOT NULL CONSTRAINT uq_name UNIQUE,
			nick TEXT COLLATE NOCASE DEFAULT 'it''s',
			price NUMERIC(10, 2) DEFAULT 0 CHECK (price >= 0),
			made TIMESTAMP DEFAULT (CURRENT_TIMESTAMP),
			flag BOOLEAN NOT NULL DEFAULT FALSE,
			ratio DOUBLE, blob BLOB, untyped, odd INT,
			parent_id INTEGER REFERENCES parent ON DELETE CASCADE,
			parent_code TEXT,
			CONSTRAINT fk_code FOREIGN KEY (parent_code) REFERENCES parent (code) ON UPDATE SET NULL,
			CONSTRAINT ck_name CHECK (length(name) > 1 AND name <> 'x,y'),
			UNIQUE (nick, made) /* unnamed */,
			CHECK (ratio < 1)
		)`,
		`CREATE INDEX ix_child_made ON "Child Table" (made DESC, "name")`,
		`CREATE UNIQUE INDEX ux_child_lower ON "Child Table" (lower(nick)) WHERE parent_id IS NOT NULL`,
		`CREATE INDEX ix_child_expr ON "Child Table" ((price * 2), ratio)`,
	)
	got := inspect(t, db, "Child Table")
	want := schema.NewTable("Child Table",
		schema.Column("id", schema.Integer, schema.PrimaryKey(), schema.GeneratedByDefault()),
		schema.Column("name", schema.Varchar(40), schema.NotNull()),
		schema.Column("nick", schema.RawType("TEXT COLLATE NOCASE"), schema.Default("it's")),
		schema.Column("price", schema.Numeric(10, 2), schema.DefaultExpr("0")),
		schema.Column("made", schema.Timestamp, schema.DefaultExpr("CURRENT_TIMESTAMP")),
		schema.Column("flag", schema.Boolean, schema.NotNull(), schema.DefaultExpr("FALSE")),
		schema.Column("ratio", schema.Double),
		schema.Column("blob", schema.Bytes),
		schema.Column("untyped", schema.RawType("BLOB")),
		schema.Column("odd", schema.RawType("INT")),
		schema.Column("parent_id", schema.Integer),
		schema.Column("parent_code", schema.Text),
		schema.ForeignKey("", []string{"parent_id"}, "parent", []string{"id"}, schema.OnDelete(schema.Cascade)),
		schema.ForeignKey("fk_code", []string{"parent_code"}, "parent", []string{"code"}, schema.OnUpdate(schema.SetNull)),
		schema.Unique("uq_name", "name"),
		schema.Unique("", "nick", "made"),
		schema.Check("", "price >= 0"),
		schema.Check("ck_name", "length(name) > 1 AND name <> 'x,y'"),
		schema.Check("", "ratio < 1"),
		schema.IndexDef{Name: "ix_child_made", Parts: []schema.IndexPart{{Column: "made", Desc: true}, {Column: "name"}}},
		schema.IndexDef{Name: "ux_child_lower", Unique: true, Parts: []schema.IndexPart{{Expr: "lower(nick)"}}, Where: "parent_id IS NOT NULL"},
		schema.IndexDef{Name: "ix_child_expr", Parts: []schema.IndexPart{{Expr: "price * 2"}, {Column: "ratio"}}},
	)
	if !got.Equal(&want) {
		t.Errorf("inspected\n%+v\nwant\n%+v", *got, want)
	}
	// Uniques and checks keep declaration order; Equal ignores it, so
	// check the order batch mode relies on separately.
	if got.Uniques[0].Name != "uq_name" || got.Checks[1].Name != "ck_name" {
		t.Errorf("order: uniques %v, checks %v", got.Uniques, got.Checks)
	}
}

// A table created by the dialect's own rendering reads back equal:
// every type, default, key and index retort writes round-trips.
func TestInspectRoundTrip(t *testing.T) {
	t.Parallel()
	d := sqlite.Dialect{}
	tables := []schema.Table{
		schema.NewTable("ref", schema.Column("a", schema.Integer), schema.Column("b", schema.Text),
			schema.PrimaryKeyDef{Name: "ref_pk", Columns: []string{"a", "b"}}),
		schema.NewTable("all types",
			schema.Column("id", schema.BigInt, schema.PrimaryKey()),
			schema.Column("si", schema.SmallInt, schema.NotNull(), schema.Default("1")),
			schema.Column("i", schema.Integer), schema.Column("bo", schema.Boolean, schema.DefaultExpr("1")),
			schema.Column("t", schema.Text), schema.Column("vc", schema.Varchar(20)), schema.Column("vc0", schema.Varchar(0)),
			schema.Column("ch", schema.Char(3)), schema.Column("n", schema.Numeric(12, 4)), schema.Column("n0", schema.Numeric(0, 0)),
			schema.Column("r", schema.Real), schema.Column("d", schema.Double), schema.Column("da", schema.Date),
			schema.Column("ti", schema.Time), schema.Column("ts", schema.Timestamp), schema.Column("tz", schema.TimestampTZ),
			schema.Column("iv", schema.Interval), schema.Column("u", schema.UUID), schema.Column("j", schema.JSON),
			schema.Column("jb", schema.JSONB), schema.Column("by", schema.Bytes), schema.Column("raw", schema.RawType("DECIMAL(5)")),
			schema.Column("ra", schema.Integer), schema.Column("rb", schema.Text),
			schema.ForeignKey("fk_ref", []string{"ra", "rb"}, "ref", []string{"a", "b"}, schema.OnDelete(schema.Restrict), schema.OnUpdate(schema.SetDefault)),
			schema.Unique("uq_t", "t", "vc"), schema.Check("ck_i", "i <> 0"),
			schema.Index("ix_ts", "ts", "tz"), schema.UniqueIndex("ux_u", "u").Partial("u IS NOT NULL")),
	}
	db := inspectDB(t)
	for _, tb := range tables {
		stmts, err := d.Render(ops.CreateTable{Table: tb})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			if _, err := db.ExecContext(t.Context(), s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		if got := inspect(t, db, tb.Name); !got.Equal(&tb) {
			t.Errorf("%s inspected\n%+v\nwant\n%+v", tb.Name, *got, tb)
		}
	}
}

// What a schema.Table cannot hold fails, naming it, rather than being
// lost when batch mode rebuilds the table.
func TestInspectUnsupported(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, ddl, want string }{
		{"without_rowid", `CREATE TABLE x (a INTEGER PRIMARY KEY) WITHOUT ROWID`, "WITHOUT ROWID"},
		{"strict", `CREATE TABLE x (a INTEGER) STRICT`, "STRICT"},
		{"deferred_fk", `CREATE TABLE x (a INTEGER REFERENCES x (a) DEFERRABLE INITIALLY DEFERRED)`, "DEFERRED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := inspectDB(t, tc.ddl)
			_, err := sqlite.Dialect{}.InspectTable(t.Context(), db, dialect.Ident{Name: "x"})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "x") {
				t.Errorf("error = %v, want one naming %q", err, tc.want)
			}
		})
	}
	db := inspectDB(t)
	if _, err := (sqlite.Dialect{}).InspectTable(t.Context(), db, dialect.Ident{Name: "missing"}); err == nil || !strings.Contains(err.Error(), "no such table") {
		t.Errorf("missing table: %v", err)
	}
}

// Inspect lists tables, views and triggers, and reads attached
// databases by schema.
func TestInspectDatabase(t *testing.T) {
	t.Parallel()
	other := filepath.Join(t.TempDir(), "other.db")
	db := inspectDB(t,
		`CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)`,
		`CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id))`,
		`CREATE VIEW "v b" AS SELECT id, v FROM b WHERE v <> 'AS'`,
		`CREATE TRIGGER IF NOT EXISTS b_touch AFTER INSERT ON b BEGIN UPDATE b SET v = 'x' WHERE id = NEW.id; END`,
		`ATTACH DATABASE '`+other+`' AS other`,
		`CREATE TABLE other.o (k TEXT PRIMARY KEY, n INTEGER CHECK (n > 0))`,
		`CREATE INDEX other.ix_o_n ON o (n)`,
	)
	db.SetMaxOpenConns(1) // keep the attachment
	got, err := sqlite.Dialect{}.Inspect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range got.Tables {
		names = append(names, tb.Name)
	}
	if !reflect.DeepEqual(names, []string{"a", "b"}) {
		t.Errorf("tables = %v", names)
	}
	if want := []schema.View{{Name: "v b", Definition: "SELECT id, v FROM b WHERE v <> 'AS'"}}; !reflect.DeepEqual(got.Views, want) {
		t.Errorf("views = %+v", got.Views)
	}
	if want := []schema.Trigger{{Name: "b_touch", Table: "b", Definition: "AFTER INSERT ON b BEGIN UPDATE b SET v = 'x' WHERE id = NEW.id; END"}}; !reflect.DeepEqual(got.Triggers, want) {
		t.Errorf("triggers = %+v", got.Triggers)
	}
	sel, err := sqlite.Dialect{}.Inspector().Inspect(t.Context(), db, dialect.InspectOpts{Tables: []string{"a", "b", "v b"}, Exclude: []string{"b"}})
	if err != nil || len(sel.Tables) != 1 || sel.Tables[0].Name != "a" || len(sel.Views) != 1 {
		t.Errorf("Inspector().Inspect with Tables and Exclude = %+v, %v", sel, err)
	}
	o, err := sqlite.Dialect{}.InspectTable(t.Context(), db, dialect.Ident{Schema: "other", Name: "o"})
	if err != nil {
		t.Fatal(err)
	}
	want := schema.NewTable("o", schema.InSchema("other"), schema.Column("k", schema.Text, schema.PrimaryKey()),
		schema.Column("n", schema.Integer), schema.Check("", "n > 0"), schema.Index("ix_o_n", "n"))
	if !o.Equal(&want) {
		t.Errorf("other.o = %+v", *o)
	}
}
