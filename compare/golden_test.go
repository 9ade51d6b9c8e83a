package compare_test

import (
	"flag"
	"github.com/retortdb/retort/dialect/dialecttest"
	"path/filepath"
	"testing"

	"github.com/retortdb/retort/compare"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/render"
	"github.com/retortdb/retort/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func dialects() []dialect.Dialect { return []dialect.Dialect{postgres.New(), sqlite.New()} }

func customer(extra ...schema.TableElement) schema.Table {
	return schema.NewTable("customer", append([]schema.TableElement{
		schema.Column("id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("name", schema.Text, schema.NotNull()),
	}, extra...)...)
}

func purchase(extra ...schema.TableElement) schema.Table {
	return schema.NewTable("purchase", append([]schema.TableElement{
		schema.Column("id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("customer_id", schema.BigInt, schema.NotNull()),
		schema.ForeignKey("fk_purchase_customer", []string{"customer_id"}, "customer", []string{"id"}),
	}, extra...)...)
}

func db(tables ...schema.Table) *schema.Database { return &schema.Database{Tables: tables} }

type goldenCase struct {
	name     string
	from, to *schema.Database
}

func goldenCases() []goldenCase {
	email := schema.Column("email", schema.Varchar(200))
	return []goldenCase{
		{"add_tables", db(), db(purchase(schema.Index("ix_purchase_customer", "customer_id")), customer())},
		{"drop_tables", db(customer(), purchase(schema.Index("ix_purchase_customer", "customer_id"))), db()},
		{"fk_cycle", db(), db(
			schema.NewTable("a", schema.Column("id", schema.Integer, schema.PrimaryKey()), schema.Column("b_id", schema.Integer),
				schema.ForeignKey("fk_a_b", []string{"b_id"}, "b", []string{"id"})),
			schema.NewTable("b", schema.Column("id", schema.Integer, schema.PrimaryKey()), schema.Column("a_id", schema.Integer),
				schema.ForeignKey("fk_b_a", []string{"a_id"}, "a", []string{"id"})))},
		{"add_column", db(customer()), db(customer(email))},
		{"drop_column", db(customer(email)), db(customer())},
		{"nullable", db(customer(email)), db(customer(schema.Column("email", schema.Varchar(200), schema.NotNull())))},
		{"type", db(customer(email)), db(customer(schema.Column("email", schema.Text)))},
		{"server_default", db(customer(email)), db(customer(schema.Column("email", schema.Varchar(200), schema.Default("none"))))},
		{"add_index", db(customer()), db(customer(schema.Index("ix_customer_name", "name")))},
		{"drop_index", db(customer(schema.UniqueIndex("ix_customer_name", "name"))), db(customer())},
		{"change_index", db(customer(schema.Index("ix_customer_name", "name"))),
			db(customer(schema.ExprIndex("ix_customer_name", "lower(name)").Partial("name <> ''")))},
		{"add_unique", db(customer()), db(customer(schema.Unique("uq_customer_name", "name")))},
		{"drop_unique", db(customer(schema.Unique("uq_customer_name", "name"))), db(customer())},
		{"add_check", db(customer()), db(customer(schema.Check("ck_customer_name", "name <> ''")))},
		{"drop_check", db(customer(schema.Check("ck_customer_name", "name <> ''"))), db(customer())},
		{"add_foreign_key", db(customer(), schema.NewTable("purchase",
			schema.Column("id", schema.BigInt, schema.PrimaryKey()), schema.Column("customer_id", schema.BigInt, schema.NotNull()))),
			db(customer(), purchase())},
		{"drop_foreign_key", db(customer(), purchase()), db(customer(), schema.NewTable("purchase",
			schema.Column("id", schema.BigInt, schema.PrimaryKey()), schema.Column("customer_id", schema.BigInt, schema.NotNull())))},
		{"change_foreign_key", db(customer(), purchase()), db(customer(), schema.NewTable("purchase",
			schema.Column("id", schema.BigInt, schema.PrimaryKey()), schema.Column("customer_id", schema.BigInt, schema.NotNull()),
			schema.ForeignKey("fk_purchase_customer", []string{"customer_id"}, "customer", []string{"id"}, schema.OnDelete(schema.Cascade))))},
		{"comments", db(customer()), db(customer(schema.Comment("people who buy")))},
		{"column_comment", db(customer(email)), db(customer(schema.Column("email", schema.Varchar(200), schema.Comment("where to write"))))},
		{"views", &schema.Database{Tables: []schema.Table{customer()}, Views: []schema.View{
			{Name: "gone", Definition: "SELECT 1"}, {Name: "names", Definition: "SELECT name FROM customer"}}},
			&schema.Database{Tables: []schema.Table{customer()}, Views: []schema.View{
				{Name: "names", Definition: "SELECT name, id FROM customer"}, {Name: "fresh", Definition: "SELECT id FROM customer"}}}},
		{"enums", &schema.Database{Enums: []schema.Enum{{Name: "mood", Values: []string{"sad", "ok"}}, {Name: "old", Values: []string{"x"}}}},
			&schema.Database{Enums: []schema.Enum{{Name: "mood", Values: []string{"sad", "ok", "happy"}}, {Name: "colour", Values: []string{"red"}}}}},
		{"version_table", db(schema.NewTable("alembic_version", schema.Column("version_num", schema.Varchar(32), schema.PrimaryKey()))), db()},
		{"rename_is_drop_and_add", db(customer(email)), db(customer(schema.Column("mail", schema.Varchar(200))))},
	}
}

// TestCompareGolden renders what each kind of change produces, upgrade
// and downgrade, for every dialect: testdata/TestCompareGolden/<case>.<dialect>.sql.
func TestCompareGolden(t *testing.T) {
	for _, c := range goldenCases() {
		for _, d := range dialects() {
			t.Run(c.name+"/"+d.Name(), func(t *testing.T) {
				dirs, err := compare.Produce(c.from, c.to, c.name, compare.Options{Dialect: d})
				if err != nil {
					t.Fatal(err)
				}
				up, down, err := render.Script(d, dirs.Upgrade, dirs.Downgrade)
				if err != nil {
					t.Fatal(err)
				}
				got := "-- +retort upgrade\n" + up + "\n-- +retort downgrade\n" + down
				golden(t, filepath.Join("testdata", "TestCompareGolden", c.name+"."+d.Name()+".sql"), got)
			})
		}
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	dialecttest.GoldenText(t, path, got, *update)
}
