package compare_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/compare"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

func describe(list []ops.Operation) []string {
	var out []string
	for _, o := range list {
		out = append(out, o.Describe())
	}
	return out
}

func produce(t *testing.T, from, to *schema.Database, opts compare.Options) *compare.Directives {
	t.Helper()
	if opts.Dialect == nil {
		opts.Dialect = postgres.New()
	}
	d, err := compare.Produce(from, to, "msg", opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func wantOps(t *testing.T, name string, got []ops.Operation, want ...string) {
	t.Helper()
	if g := describe(got); !slices.Equal(g, want) {
		t.Errorf("%s:\n got  %q\n want %q", name, g, want)
	}
}

func TestSkipEmpty(t *testing.T) {
	t.Parallel()
	same := db(customer())
	d := produce(t, same, db(customer()), compare.Options{ProcessRevisionDirectives: compare.SkipEmpty})
	if !d.Drop || !d.Empty() {
		t.Errorf("no change: Drop = %v, Empty = %v; want both", d.Drop, d.Empty())
	}
	d = produce(t, same, db(customer(), purchase()), compare.Options{ProcessRevisionDirectives: compare.SkipEmpty})
	if d.Drop {
		t.Error("a change was dropped")
	}
}

func TestNoDropIndexForDroppedTables(t *testing.T) {
	t.Parallel()
	// As a hook would see them after splitting a table's indexes out
	// (Alembic's shape): drop index, drop table.
	d := &compare.Directives{
		Upgrade: []ops.Operation{
			ops.DropIndex{Table: "b", Name: "ix_b_aid"},
			ops.DropIndex{Table: "kept", Name: "ix_kept"},
			ops.DropTable{Table: "b"},
			ops.DropTable{Table: "a"},
		},
		Downgrade: []ops.Operation{ops.CreateTable{Table: schema.NewTable("a")}},
	}
	if err := compare.NoDropIndexForDroppedTables(d); err != nil {
		t.Fatal(err)
	}
	wantOps(t, "upgrade", d.Upgrade, "drop index ix_kept on kept", "drop table b", "drop table a")
	wantOps(t, "downgrade", d.Downgrade, "create table a")

	// What Compare itself produces has no DROP INDEX for a dropped table.
	g := produce(t, db(customer(), purchase(schema.Index("ix_purchase_customer", "customer_id"))), db(), compare.Options{})
	wantOps(t, "compare", g.Upgrade, "drop table purchase", "drop table customer")
}

func TestNeverDropTables(t *testing.T) {
	t.Parallel()
	from := db(customer(), schema.NewTable("legacy", schema.Column("id", schema.Integer, schema.PrimaryKey())))
	to := db(customer(schema.Column("email", schema.Text)))
	d := produce(t, from, to, compare.Options{ProcessRevisionDirectives: compare.NeverDropTables})
	wantOps(t, "upgrade", d.Upgrade, "add column email to customer")
	wantOps(t, "downgrade", d.Downgrade, "drop column email from customer")

	// The cookbook's include_object form does the same.
	d = produce(t, from, to, compare.Options{IncludeObject: func(o compare.Object) bool {
		return !(o.Type == compare.TableObject && o.Reflected && o.CompareTo == nil)
	}})
	wantOps(t, "include_object", d.Upgrade, "add column email to customer")
}

func TestSortColumns(t *testing.T) {
	t.Parallel()
	table := schema.NewTable("my_table",
		schema.Column("data", schema.Varchar(50)),
		schema.Column("created_at", schema.Timestamp),
		schema.Column("id", schema.Integer, schema.PrimaryKey()),
		schema.Column("updated_at", schema.Timestamp),
		schema.Unique("uq_data", "data"))
	rank := map[string]int{"id": -100, "created_at": 1001, "updated_at": 1002}
	d := produce(t, db(), db(table), compare.Options{ProcessRevisionDirectives: compare.SortColumns(
		func(a, b schema.ColumnDef) bool { return rank[a.Name] < rank[b.Name] })})
	ct := d.Upgrade[0].(ops.CreateTable)
	var names []string
	for _, c := range ct.Table.Columns {
		names = append(names, c.Name)
	}
	if want := []string{"id", "data", "created_at", "updated_at"}; !slices.Equal(names, want) {
		t.Errorf("columns %q, want %q", names, want)
	}
	if len(ct.Table.Uniques) != 1 {
		t.Errorf("constraints lost: %+v", ct.Table)
	}
}

func TestSkipViews(t *testing.T) {
	t.Parallel()
	// The model declares report as a table to query it; the database
	// has it as a view.
	report := schema.NewTable("report", schema.Column("name", schema.Text))
	from := &schema.Database{Tables: []schema.Table{customer()}, Views: []schema.View{{Name: "report", Definition: "SELECT name FROM customer"}}}
	to := db(customer(), report)
	d := produce(t, from, to, compare.Options{})
	wantOps(t, "without", d.Upgrade, "drop view report", "create table report")
	d = produce(t, from, to, compare.Options{ProcessRevisionDirectives: compare.SkipViews})
	wantOps(t, "with", d.Upgrade)
	wantOps(t, "with", d.Downgrade)
}

func TestChainAndRewrite(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	calls := 0
	hook := compare.Chain(
		compare.Rewrite(func(o ops.Operation) []ops.Operation {
			if _, ok := o.(ops.AddColumn); ok {
				return []ops.Operation{o, ops.Execute{SQL: "UPDATE customer SET email = ''"}}
			}
			return []ops.Operation{o}
		}),
		func(d *compare.Directives) error { calls++; d.Message = "renamed"; return nil },
	)
	d := produce(t, db(customer()), db(customer(schema.Column("email", schema.Text))), compare.Options{ProcessRevisionDirectives: hook})
	wantOps(t, "upgrade", d.Upgrade, "add column email to customer", "execute UPDATE customer SET email = ''")
	if calls != 1 || d.Message != "renamed" {
		t.Errorf("calls %d, message %q", calls, d.Message)
	}
	_, err := compare.Produce(db(), db(), "", compare.Options{ProcessRevisionDirectives: compare.Chain(
		func(*compare.Directives) error { return boom }, func(*compare.Directives) error { calls++; return nil })})
	if !errors.Is(err, boom) || calls != 1 {
		t.Errorf("err %v, calls %d", err, calls)
	}
}

func TestIncludeNameAndSchemas(t *testing.T) {
	t.Parallel()
	from := db(customer(schema.Column("fax", schema.Text), schema.Index("ix_tmp", "name")),
		schema.NewTable("tmp_scratch", schema.Column("id", schema.Integer)))
	to := db(customer())
	var seen []compare.Name
	d := produce(t, from, to, compare.Options{IncludeName: func(n compare.Name) bool {
		seen = append(seen, n)
		return n.Name != "tmp_scratch" && n.Name != "fax"
	}})
	wantOps(t, "include_name", d.Upgrade, "drop index ix_tmp on customer")
	if !slices.Contains(seen, compare.Name{Type: compare.SchemaObject}) ||
		!slices.Contains(seen, compare.Name{Type: compare.IndexObject, Name: "ix_tmp", Table: "customer"}) {
		t.Errorf("names asked: %+v", seen)
	}

	other := schema.NewTable("audit", schema.Column("id", schema.Integer), schema.InSchema("reporting"))
	// A target table outside the schemas compared is an error naming
	// it, never left out silently.
	_, err := compare.Produce(db(), db(customer(), other), "", compare.Options{})
	var outside *compare.OutsideSchemasError
	if !errors.As(err, &outside) || !slices.Equal(outside.Objects, []string{"table reporting.audit"}) ||
		!strings.Contains(err.Error(), `add "reporting" to include_schemas`) {
		t.Errorf("default schema only: err = %v", err)
	}
	d = produce(t, db(), db(customer(), other), compare.Options{IncludeSchemas: []string{"reporting"}})
	wantOps(t, "include_schemas", d.Upgrade, "create schema reporting", "create table customer", "create table reporting.audit")
}

func TestIncludeObjectSeesBothSides(t *testing.T) {
	t.Parallel()
	from := db(customer(schema.Column("email", schema.Varchar(10))))
	to := db(customer(schema.Column("email", schema.Varchar(20))))
	var got compare.Object
	d := produce(t, from, to, compare.Options{IncludeObject: func(o compare.Object) bool {
		if o.Type == compare.ColumnObject && o.Name == "email" {
			got = o
			return false
		}
		return true
	}})
	wantOps(t, "excluded", d.Upgrade)
	if got.Reflected || got.Table != "customer" || got.Value.(*schema.ColumnDef).Type != schema.Varchar(20) ||
		got.CompareTo.(*schema.ColumnDef).Type != schema.Varchar(10) {
		t.Errorf("object %+v", got)
	}
}

func TestEquivalence(t *testing.T) {
	t.Parallel()
	col := func(opts ...schema.ColumnOption) *schema.Database {
		return db(customer(schema.Column("x", schema.Integer, opts...)))
	}
	tests := []struct {
		name     string
		from, to *schema.Database
		opts     compare.Options
		want     []string
	}{
		{"literal and bare number", col(schema.Default("0")), col(schema.DefaultExpr("0")), compare.Options{}, nil},
		{"quoted expression and literal", col(schema.Default("a")), col(schema.DefaultExpr("'a'::text")), compare.Options{}, nil},
		{"expression case and spacing", col(schema.DefaultExpr("now( )")), col(schema.DefaultExpr("NOW()")), compare.Options{}, nil},
		{"boolean", col(schema.Default("true")), col(schema.DefaultExpr("TRUE")), compare.Options{}, nil},
		{"different default", col(schema.Default("1")), col(schema.Default("2")), compare.Options{}, []string{`alter column x of customer (default "2")`}},
		{"server default off", col(schema.Default("1")), col(schema.Default("2")), compare.Options{CompareServerDefault: compare.Off}, nil},
		{"type", col(), db(customer(schema.Column("x", schema.BigInt))), compare.Options{}, []string{"alter column x of customer (type bigint)"}},
		{"type off", col(), db(customer(schema.Column("x", schema.BigInt))), compare.Options{CompareType: compare.Off}, nil},
		{"raw type case", db(customer(schema.Column("x", schema.RawType("int4range")))), db(customer(schema.Column("x", schema.RawType("INT4RANGE")))), compare.Options{}, nil},
		{"enum is text on sqlite", db(customer(schema.Column("x", schema.Text))), db(customer(schema.Column("x", schema.EnumType("mood")))),
			compare.Options{Dialect: sqlite.New()}, nil},
		{"enum is not text on postgres", db(customer(schema.Column("x", schema.Text))), db(customer(schema.Column("x", schema.EnumType("mood")))),
			compare.Options{}, []string{"alter column x of customer (type enum mood)"}},
		{"unnamed unique matches by columns", db(customer(schema.Unique("customer_name_key", "name"))), db(customer(schema.Unique("", "name"))), compare.Options{}, nil},
		{"unnamed foreign key matches", db(customer(), purchase()), db(customer(), schema.NewTable("purchase",
			schema.Column("id", schema.BigInt, schema.PrimaryKey()), schema.Column("customer_id", schema.BigInt, schema.NotNull()),
			schema.ForeignKey("", []string{"customer_id"}, "customer", []string{"id"}))), compare.Options{}, nil},
		{"index where in parentheses", db(customer(schema.Index("ix", "name").Partial("(name <> '')"))), db(customer(schema.Index("ix", "name").Partial("name<>''"))), compare.Options{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := produce(t, tt.from, tt.to, tt.opts)
			wantOps(t, tt.name, d.Upgrade, tt.want...)
		})
	}
}

func TestReverseIsExact(t *testing.T) {
	t.Parallel()
	for _, c := range goldenCases() {
		for _, dl := range dialects() {
			d := produce(t, c.from, c.to, compare.Options{Dialect: dl})
			// Comparing the other way round gives what the downgrade
			// must undo: the same number of operations, or a note.
			back := produce(t, c.to, c.from, compare.Options{Dialect: dl})
			if len(d.Upgrade) == 0 && len(back.Upgrade) != 0 {
				t.Errorf("%s/%s: no upgrade, but %q back", c.name, dl.Name(), describe(back.Upgrade))
			}
			for _, o := range d.Downgrade {
				if _, err := o.Reverse(); err != nil {
					t.Errorf("%s/%s: downgrade %s not reversible: %v", c.name, dl.Name(), o.Describe(), err)
				}
			}
		}
	}
}
