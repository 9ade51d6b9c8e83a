package postgres_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// inspectFixture is what TestInspect reflects of the fixture.
var inspectFixture = dialect.InspectOpts{Schemas: []string{"public", "other"}, Exclude: []string{"alembic_version"}}

// execFile runs the statements of a testdata file.
func execFile(t testing.TB, db *sql.DB, name string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), string(b)); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func inspect(t testing.TB, q dialect.Querier, o dialect.InspectOpts) *schema.Database {
	t.Helper()
	got, err := postgres.New().(dialect.Inspectable).Inspector().Inspect(t.Context(), q, o)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return got
}

// TestInspect reflects a fixture with every kind of object and checks
// the result against goldens (-update rewrites them): the values as
// JSON, and rendered back to DDL, which is easier to review.
func TestInspect(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	execFile(t, db, filepath.Join("testdata", "TestInspect", "fixture.sql"))
	got := inspect(t, db, inspectFixture)

	js, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "TestInspect", "fixture.json"), append(js, '\n'))
	stmts, err := postgres.New().Render(createDatabase(got))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "TestInspect", "fixture.golden.sql"), []byte(strings.Join(stmts, ";\n\n")+";\n"))

	// The values the builders make for the same DDL.
	line := schema.NewTable("line",
		schema.Column("order_id", schema.Integer),
		schema.Column("region", schema.SmallInt),
		schema.Column("pos", schema.Integer, schema.GeneratedByDefault()),
		schema.Column("qty", schema.Integer, schema.NotNull()),
		schema.Column("Mixed Case", schema.Text),
		schema.PrimaryKeyDef{Name: "line_pk", Columns: []string{"order_id", "region", "pos"}},
		schema.ForeignKey("line_order_fk", []string{"region", "order_id"}, "orders", []string{"region", "id"},
			schema.RefSchema("other"), schema.OnDelete(schema.Restrict), schema.OnUpdate(schema.Cascade)),
		schema.Check("line_qty_check", "qty > 0"),
		schema.UniqueIndex("line_qty_partial", "qty").Partial("qty > 100"))
	orders := schema.NewTable("orders", schema.InSchema("other"),
		schema.Column("id", schema.Integer, schema.GeneratedAlways(), schema.IdentityStart(10, 2)),
		schema.Column("region", schema.SmallInt, schema.NotNull()),
		schema.Column("customer_id", schema.BigInt, schema.NotNull()),
		schema.Column("status", schema.EnumTypeIn("other", "status"), schema.NotNull(), schema.Default("new"), schema.Comment("Where it stands")),
		schema.Column("note", schema.Text),
		schema.PrimaryKeyDef{Name: "orders_pkey", Columns: []string{"id", "region"}},
		schema.ForeignKey("orders_customer_id_fkey", []string{"customer_id"}, "customer", []string{"id"},
			schema.OnDelete(schema.Cascade), schema.OnUpdate(schema.SetDefault)),
		schema.Unique("orders_customer_id_region_key", "customer_id", "region"))
	odd := schema.NewTable("Odd Name", schema.InSchema("other"),
		schema.Column("Id", schema.Integer, schema.GeneratedByDefault()),
		schema.Column("v", schema.Integer),
		schema.PrimaryKeyDef{Name: "Odd Name_pkey", Columns: []string{"Id"}},
		schema.Check("Odd Name_v_check", "v > 0"))
	for _, want := range []schema.Table{line, orders, odd} {
		if g := got.Table(want.Schema, want.Name); !g.Equal(&want) {
			t.Errorf("table %s.%s:\n got %+v\nwant %+v", want.Schema, want.Name, g, want)
		}
	}
	customer := got.Table("", "customer")
	if customer == nil {
		t.Fatal("no table customer")
	}
	for _, c := range []schema.ColumnDef{
		schema.Column("id", schema.BigInt, schema.PrimaryKey(), schema.GeneratedByDefault()),
		schema.Column("email", schema.Varchar(255), schema.NotNull(), schema.Comment("Where to write")),
		schema.Column("name", schema.Text, schema.NotNull(), schema.Default("it's anon")),
		schema.Column("code", schema.Char(3)),
		schema.Column("flag", schema.Char(1)),
		schema.Column("balance", schema.Numeric(12, 2), schema.NotNull(), schema.Default("0")),
		schema.Column("any_num", schema.Numeric(0, 0)),
		schema.Column("ratio", schema.Real, schema.Default("1.5")),
		schema.Column("score", schema.Double, schema.Default("-2.5")),
		schema.Column("small", schema.SmallInt, schema.Default("-1")),
		schema.Column("n", schema.Integer, schema.Default("42")),
		schema.Column("active", schema.Boolean, schema.NotNull(), schema.Default("true")),
		schema.Column("born", schema.Date, schema.DefaultExpr("CURRENT_DATE")),
		schema.Column("created", schema.TimestampTZ, schema.NotNull(), schema.DefaultExpr("now()")),
		schema.Column("span", schema.Interval, schema.Default("1 day")),
		schema.Column("token", schema.UUID, schema.DefaultExpr("gen_random_uuid()")),
		schema.Column("docb", schema.JSONB, schema.Default("{}")),
		schema.Column("blob", schema.Bytes),
		schema.Column("feeling", schema.EnumType("mood"), schema.Default("ok")),
		schema.Column("tags", schema.RawType("text[]"), schema.Default("{}")),
		schema.Column("search", schema.RawType("tsvector")),
		schema.Column("precise", schema.RawType("time(3) without time zone")),
		schema.Column("name_c", schema.RawType(`text COLLATE "C"`)),
		schema.Column("invoice", schema.BigInt, schema.DefaultExpr("nextval('invoice_no'::regclass)")),
		schema.Column("label", schema.Varchar(0)),
		schema.Column("nick", schema.RawType("citext")),
	} {
		if g, _ := customer.Column(c.Name); g != c {
			t.Errorf("column customer.%s:\n got %+v\nwant %+v", c.Name, g, c)
		}
	}
	if got.Table("", "alembic_version") != nil {
		t.Error("the excluded table alembic_version is reported")
	}
	if strings.Contains(string(js), `"hidden"`) {
		t.Error("objects of the schema hidden, not inspected, are reported")
	}
	for _, ix := range customer.Indexes {
		if ix.Name == "customer_pkey" || ix.Name == "customer_email_key" {
			t.Errorf("the index backing constraint %s is reported as an index", ix.Name)
		}
	}
	for _, f := range got.Functions {
		if f.Schema == "" && strings.HasPrefix(f.Name, "citext") {
			t.Errorf("extension function %s is reported", f.Name)
		}
	}
}

// TestInspectStable renders what Inspect returns into a fresh database
// and inspects that: the values must not change.
func TestInspectStable(t *testing.T) {
	t.Parallel()
	src := openDB(t)
	execFile(t, src, filepath.Join("testdata", "TestInspect", "fixture.sql"))
	first := inspect(t, src, inspectFixture)

	dst := openDB(t)
	if _, err := dst.ExecContext(t.Context(), "CREATE EXTENSION citext"); err != nil {
		t.Fatal(err)
	}
	apply(t, dst, createDatabase(first))
	second := inspect(t, dst, inspectFixture)
	if !reflect.DeepEqual(first, second) {
		a, _ := json.MarshalIndent(first, "", "  ")
		b, _ := json.MarshalIndent(second, "", "  ")
		t.Fatalf("inspect(render(inspect(fixture))) differs from inspect(fixture):\n%s", diffLines(string(a), string(b)))
	}
}

// createDatabase is the operations that create db: schemas, enum types,
// sequences, tables (foreign keys last), functions, views and triggers.
func createDatabase(db *schema.Database) ops.Sequence {
	var seq ops.Sequence
	for _, s := range db.Schemas {
		seq = append(seq, ops.CreateSchema{Name: s})
	}
	for _, e := range db.Enums {
		seq = append(seq, ops.CreateEnum{Enum: e})
	}
	for _, s := range db.Sequences {
		seq = append(seq, ops.CreateSequence{Sequence: s})
	}
	for _, f := range db.Functions {
		seq = append(seq, ops.CreateFunction{Function: f})
	}
	for _, t := range db.Tables {
		t.ForeignKeys = nil
		seq = append(seq, ops.CreateTable{Table: t})
	}
	for _, t := range db.Tables {
		for _, fk := range t.ForeignKeys {
			seq = append(seq, ops.CreateForeignKey{Schema: t.Schema, Table: t.Name, ForeignKey: fk})
		}
	}
	for _, v := range db.Views {
		seq = append(seq, ops.CreateView{View: v})
	}
	for _, tr := range db.Triggers {
		seq = append(seq, ops.CreateTrigger{Trigger: tr})
	}
	return seq
}

// apply renders op and runs its statements on db.
func apply(t testing.TB, db dialect.Querier, op ops.Operation) {
	t.Helper()
	stmts, err := postgres.New().Render(op)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// golden compares got with the file name, or writes it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(name, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n%s", name, diffLines(string(want), string(got)))
	}
}

// diffLines lists the lines of a and b that differ, by position.
func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := range max(len(al), len(bl)) {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("%d:\n- %s\n+ %s", i+1, x, y))
		}
		if len(out) > 20 {
			out = append(out, "...")
			break
		}
	}
	return strings.Join(out, "\n")
}

// TestInspectRoundTrip builds random tables from a seeded generator,
// renders them with the dialect, applies them, inspects them and
// compares them with the input.
func TestInspectRoundTrip(t *testing.T) {
	t.Parallel()
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			db := openDB(t)
			g := newGenerator(seed)
			want := g.database(30)
			apply(t, db, createDatabase(want))
			got := inspect(t, db, dialect.InspectOpts{Schemas: []string{"public", "gen2"}})
			if len(got.Tables) != len(want.Tables) {
				t.Fatalf("got %d tables, want %d", len(got.Tables), len(want.Tables))
			}
			for _, w := range want.Tables {
				g := got.Table(w.Schema, w.Name)
				if !g.Equal(&w) {
					a, _ := json.MarshalIndent(w, "", "  ")
					b, _ := json.MarshalIndent(g, "", "  ")
					t.Errorf("table %s.%s differs (- want, + got):\n%s", w.Schema, w.Name, diffLines(string(a), string(b)))
				}
			}
			if !slices.EqualFunc(got.Enums, want.Enums, schema.Enum.Equal) {
				t.Errorf("enums: got %v, want %v", got.Enums, want.Enums)
			}
			if !slices.Equal(got.Schemas, want.Schemas) {
				t.Errorf("schemas: got %v, want %v", got.Schemas, want.Schemas)
			}
		})
	}
}

// generator makes random tables over the types and constraints that
// read back exactly as they are built.
type generator struct {
	r      *rand.Rand
	tables []schema.Table
}

func newGenerator(seed uint64) *generator { return &generator{r: rand.New(rand.NewPCG(seed, 42))} }

type genType struct {
	typ     schema.Type
	def     schema.DefaultValue // a default that reads back as written
	indexed bool                // has a btree operator class
	text    bool                // takes lower()
}

var genTypes = []genType{
	{schema.SmallInt, schema.Literal("-3"), true, false},
	{schema.Integer, schema.Literal("7"), true, false},
	{schema.BigInt, schema.Literal("9000000000"), true, false},
	{schema.Boolean, schema.Literal("false"), true, false},
	{schema.Text, schema.Literal("it's"), true, true},
	{schema.Varchar(40), schema.Literal("x"), true, false},
	{schema.Varchar(0), schema.Literal(""), true, false},
	{schema.Char(2), schema.Literal("ab"), true, false},
	{schema.Numeric(10, 2), schema.Literal("1.25"), true, false},
	{schema.Numeric(0, 0), schema.Literal("3"), true, false},
	{schema.Real, schema.Literal("1.5"), true, false},
	{schema.Double, schema.Literal("-0.25"), true, false},
	{schema.Date, schema.Expr("CURRENT_DATE"), true, false},
	{schema.Time, schema.Literal("12:30:00"), true, false},
	{schema.Timestamp, schema.Literal("2024-01-02 03:04:05"), true, false},
	{schema.TimestampTZ, schema.Expr("now()"), true, false},
	{schema.Interval, schema.Literal("1 day"), true, false},
	{schema.UUID, schema.Expr("gen_random_uuid()"), true, false},
	{schema.JSON, schema.Literal("[]"), false, false},
	{schema.JSONB, schema.Literal("{}"), true, false},
	{schema.Bytes, schema.Literal(`\x00ff`), true, false},
	{schema.EnumType("mood"), schema.Literal("ok"), true, false},
	{schema.EnumTypeIn("gen2", "color"), schema.Literal("red"), true, false},
	{schema.RawType("integer[]"), schema.Literal("{1,2}"), true, false},
	{schema.RawType("tsvector"), schema.DefaultValue{}, true, false},
	{schema.RawType(`text COLLATE "C"`), schema.Literal("c"), true, true},
	{schema.RawType("time(3) without time zone"), schema.DefaultValue{}, true, false},
}

func (g *generator) pick(n int) int        { return g.r.IntN(n) }
func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *generator) database(n int) *schema.Database {
	db := &schema.Database{
		Schemas: []string{"gen2"},
		Enums: []schema.Enum{
			{Name: "mood", Values: []string{"sad", "ok", "happy"}},
			{Schema: "gen2", Name: "color", Values: []string{"red", "green"}},
		},
	}
	for i := range n {
		db.Tables = append(db.Tables, g.table(i))
	}
	return db
}

func (g *generator) table(i int) schema.Table {
	t := schema.Table{Name: fmt.Sprintf("t%d", i)}
	if g.chance(0.3) {
		t.Schema = "gen2"
	}
	if g.chance(0.3) {
		t.Comment = fmt.Sprintf("table %d's comment", i)
	}
	var types []genType
	for j := range 1 + g.pick(8) {
		gt := genTypes[g.pick(len(genTypes))]
		c := schema.Column(fmt.Sprintf("c%d", j), gt.typ)
		c.Nullable = g.chance(0.5)
		if g.chance(0.4) {
			c.Default = gt.def
		}
		if g.chance(0.2) {
			c.Comment = "column c" + fmt.Sprint(j)
		}
		if gt.typ.Kind.IsInteger() && g.chance(0.3) {
			c.Default = schema.DefaultValue{}
			c.Identity = schema.Identity{Kind: schema.IdentityKind(1 + g.pick(2))}
			if g.chance(0.5) {
				c.Identity.Start, c.Identity.Increment = int64(2+g.pick(100)), int64(2+g.pick(5))
			}
			c.Nullable = false
		}
		t.Columns = append(t.Columns, c)
		types = append(types, gt)
	}
	if g.chance(0.8) {
		var key []string
		for j, c := range t.Columns {
			if types[j].indexed && (len(key) == 0 || g.chance(0.3)) {
				key = append(key, c.Name)
			}
		}
		if len(key) > 0 {
			t.PrimaryKey = &schema.PrimaryKeyDef{Columns: key}
			if g.chance(0.5) {
				t.PrimaryKey.Name = "pk_" + t.Name
			}
		}
	}
	g.constraints(&t, types)
	if fk, ok := g.foreignKey(&t); ok {
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}
	t.Normalize()
	g.tables = append(g.tables, t)
	want := t
	if want.PrimaryKey != nil && want.PrimaryKey.Name == "" {
		pk := *want.PrimaryKey
		pk.Name = t.Name + "_pkey"
		want.PrimaryKey = &pk
	}
	return want
}

// constraints adds unique and check constraints and indexes.
func (g *generator) constraints(t *schema.Table, types []genType) {
	for j, c := range t.Columns {
		gt := types[j]
		switch {
		case gt.indexed && g.chance(0.15) && !(t.PrimaryKey != nil && slices.Equal(t.PrimaryKey.Columns, []string{c.Name})):
			// CREATE TABLE drops a unique constraint that repeats the key.
			t.Uniques = append(t.Uniques, schema.Unique(fmt.Sprintf("uq_%s_%d", t.Name, j), c.Name))
		case gt.typ.Kind.IsInteger() && g.chance(0.3):
			t.Checks = append(t.Checks, schema.Check(fmt.Sprintf("ck_%s_%d", t.Name, j), c.Name+" < 1000"))
		}
		if !gt.indexed || !g.chance(0.3) {
			continue
		}
		ix := schema.Index(fmt.Sprintf("ix_%s_%d", t.Name, j), c.Name)
		switch {
		case gt.text && g.chance(0.5):
			ix = schema.ExprIndex(ix.Name, "lower("+c.Name+")")
		case g.chance(0.3):
			ix.Parts[0].Desc = true
		}
		ix.Unique = g.chance(0.3)
		if g.chance(0.3) {
			ix = ix.Partial(c.Name + " IS NOT NULL")
		}
		if k := (j + 1) % len(t.Columns); k != j && types[k].indexed && g.chance(0.4) {
			ix.Parts = append(ix.Parts, schema.IndexPart{Column: t.Columns[k].Name, Desc: g.chance(0.5)})
		}
		t.Indexes = append(t.Indexes, ix)
	}
}

// foreignKey adds a column referencing the one-column key of an
// earlier table.
func (g *generator) foreignKey(t *schema.Table) (schema.ForeignKeyDef, bool) {
	if len(g.tables) == 0 || !g.chance(0.6) {
		return schema.ForeignKeyDef{}, false
	}
	ref := g.tables[g.pick(len(g.tables))]
	if ref.PrimaryKey == nil || len(ref.PrimaryKey.Columns) != 1 {
		return schema.ForeignKeyDef{}, false
	}
	rc, _ := ref.Column(ref.PrimaryKey.Columns[0])
	col := schema.Column("ref_"+ref.Name, rc.Type)
	t.Columns = append(t.Columns, col)
	actions := []schema.Action{schema.NoAction, schema.Restrict, schema.Cascade, schema.SetNull, schema.SetDefault}
	fk := schema.ForeignKey("fk_"+t.Name, []string{col.Name}, ref.Name, []string{rc.Name},
		schema.OnDelete(actions[g.pick(len(actions))]), schema.OnUpdate(actions[g.pick(len(actions))]), schema.RefSchema(ref.Schema))
	return fk, true
}

// countingQuerier counts the statements sent through it.
type countingQuerier struct {
	dialect.Querier
	n atomic.Int64
}

func (c *countingQuerier) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	return c.Querier.ExecContext(ctx, q, args...)
}

func (c *countingQuerier) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.Querier.QueryContext(ctx, q, args...)
}

func (c *countingQuerier) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	c.n.Add(1)
	return c.Querier.QueryRowContext(ctx, q, args...)
}

// chainDDL is n tables of 8 columns, each with a primary key, an index
// and a foreign key to the table before it, spread over schemas.
func chainDDL(n int, schemas ...string) string {
	var b strings.Builder
	for _, s := range schemas {
		fmt.Fprintf(&b, "CREATE SCHEMA IF NOT EXISTS %s;\n", s)
	}
	for i := range n {
		s := schemas[i%len(schemas)]
		fmt.Fprintf(&b, `CREATE TABLE %[1]s.t%[2]d (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL DEFAULT 'x',
			qty integer CHECK (qty >= 0), price numeric(10, 2), created timestamptz DEFAULT now(), note varchar(100), flag boolean, prev bigint`, s, i)
		if i > 0 {
			fmt.Fprintf(&b, " REFERENCES %s.t%d (id) ON DELETE CASCADE", schemas[(i-1)%len(schemas)], i-1)
		}
		fmt.Fprintf(&b, ");\nCREATE INDEX t%[2]d_name ON %[1]s.t%[2]d (name, created DESC);\n", s, i)
	}
	return b.String()
}

// TestInspectQueryCount checks that reflection makes the same number of
// round trips for 3 tables and for 30, in one schema and in two.
func TestInspectQueryCount(t *testing.T) {
	t.Parallel()
	count := func(n int, schemas ...string) (int64, int) {
		db := openDB(t)
		if _, err := db.ExecContext(t.Context(), chainDDL(n, schemas...)); err != nil {
			t.Fatal(err)
		}
		cq := &countingQuerier{Querier: db}
		got := inspect(t, cq, dialect.InspectOpts{Schemas: schemas})
		return cq.n.Load(), len(got.Tables)
	}
	base, tables := count(3, "public")
	if tables != 3 {
		t.Fatalf("inspected %d tables, want 3", tables)
	}
	for _, c := range []struct {
		n       int
		schemas []string
	}{{30, []string{"public"}}, {3, []string{"public", "s2"}}, {30, []string{"public", "s2", "s3"}}} {
		n, tables := count(c.n, c.schemas...)
		if tables != c.n || n != base {
			t.Errorf("%d tables in %v: %d queries for %d tables, want %d queries (as for 3 tables)", c.n, c.schemas, n, tables, base)
		}
	}
	t.Logf("%d queries", base)
}

// TestInspectOptions checks the table filters, the default schema and
// errors.
func TestInspectOptions(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	if _, err := db.ExecContext(t.Context(), chainDDL(4, "public", "s2")+"CREATE VIEW v AS SELECT 1 AS one;"); err != nil {
		t.Fatal(err)
	}
	names := func(d *schema.Database) []string {
		var out []string
		for _, t := range d.Tables {
			out = append(out, ident(t.Schema, t.Name))
		}
		for _, v := range d.Views {
			out = append(out, "view "+ident(v.Schema, v.Name))
		}
		return out
	}
	for _, c := range []struct {
		name string
		o    dialect.InspectOpts
		want []string
	}{
		{"current", dialect.InspectOpts{}, []string{"t0", "t2", "view v"}},
		{"two", dialect.InspectOpts{Schemas: []string{"s2", "public"}}, []string{"t0", "t2", "s2.t1", "s2.t3", "view v"}},
		{"tables", dialect.InspectOpts{Schemas: []string{"public", "s2"}, Tables: []string{"t1", "t2", "v"}}, []string{"t2", "s2.t1", "view v"}},
		{"exclude", dialect.InspectOpts{Exclude: []string{"t0", "v"}}, []string{"t2"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := inspect(t, db, c.o)
			if !slices.Equal(names(got), c.want) {
				t.Errorf("got %v, want %v", names(got), c.want)
			}
		})
	}
	d := postgres.Dialect{}
	if _, err := d.Inspect(t.Context(), db, dialect.InspectOpts{Schemas: []string{"nope"}}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown schema: err = %v", err)
	}
	if _, err := db.ExecContext(t.Context(), "CREATE TABLE gen (a int, b int GENERATED ALWAYS AS (a * 2) STORED, "+
		"c bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5), d int[], e tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(a::text, ''))) STORED)"); err != nil {
		t.Fatal(err)
	}
	got, err := d.Inspect(t.Context(), db, dialect.InspectOpts{Tables: []string{"gen"}})
	if err != nil {
		t.Fatalf("generated columns: %v", err)
	}
	want := []schema.ColumnDef{
		{Name: "a", Type: schema.Integer, Nullable: true},
		{Name: "b", Type: schema.Integer, Nullable: true, Computed: schema.Computed{Expr: "a * 2"}},
		{Name: "c", Type: schema.BigInt, Identity: schema.Identity{Kind: schema.IdentityAlways, Start: 10, Increment: 5}},
		{Name: "d", Type: schema.RawType("integer[]"), Nullable: true},
		{Name: "e", Type: schema.RawType("tsvector"), Nullable: true, Computed: schema.Computed{Expr: "to_tsvector('simple'::regconfig, COALESCE(a::text, ''::text))"}},
	}
	if len(got.Tables) != 1 || !slices.Equal(got.Tables[0].Columns, want) {
		t.Errorf("generated columns:\n got %+v\nwant %+v", got.Tables, want)
	}
}

func ident(s, name string) string {
	if s == "" {
		return name
	}
	return s + "." + name
}

// BenchmarkInspect1000 reflects 1,000 tables of 8 columns, each with a
// primary key, an index and a foreign key.
func BenchmarkInspect1000(b *testing.B) {
	db := openDB(b)
	if _, err := db.ExecContext(b.Context(), chainDDL(1000, "public")); err != nil {
		b.Fatal(err)
	}
	d := postgres.Dialect{}
	start := time.Now()
	for b.Loop() {
		got, err := d.Inspect(b.Context(), db, dialect.InspectOpts{})
		if err != nil {
			b.Fatal(err)
		}
		if len(got.Tables) != 1000 {
			b.Fatalf("%d tables", len(got.Tables))
		}
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/op")
}
