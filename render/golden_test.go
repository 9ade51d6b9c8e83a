package render_test

import (
	"flag"
	"github.com/retortdb/retort/dialect/dialecttest"
	"path/filepath"
	"testing"

	"github.com/retortdb/retort/compare"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/render"
	"github.com/retortdb/retort/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestSchemasGolden renders what autogenerate makes of a target that
// spans schemas the database lacks, as SQL for each engine with schemas
// and as Go, upgrade and downgrade:
// testdata/TestSchemasGolden/<case>.<dialect>.sql and <case>.go.
func TestSchemasGolden(t *testing.T) {
	t.Parallel()
	log := schema.NewTable("log", schema.Column("id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("level", schema.EnumTypeIn("audit", "level"), schema.NotNull()), schema.InSchema("audit"))
	invoice := schema.NewTable("invoice", schema.Column("id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("log_id", schema.BigInt),
		schema.ForeignKey("fk_invoice_log", []string{"log_id"}, "log", []string{"id"}, schema.RefSchema("audit")),
		schema.Index("ix_invoice_log", "log_id"),
		schema.InSchema("billing"))
	legacy := schema.NewTable("old", schema.Column("id", schema.Integer), schema.InSchema("legacy"))
	for _, c := range []struct {
		name     string
		from, to *schema.Database
	}{
		{"new_schemas", db(), &schema.Database{Tables: []schema.Table{invoice, log},
			Enums: []schema.Enum{{Schema: "audit", Name: "level", Values: []string{"info", "warn"}}}}},
		{"schema_kept", &schema.Database{Schemas: []string{"legacy"}, Tables: []schema.Table{legacy}}, db()},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, d := range []dialect.Dialect{postgres.New(), mysql.New()} {
				to := c.to
				if !d.Caps().Enums {
					to = stripEnums(to)
				}
				dirs, err := compare.Produce(c.from, to, c.name, compare.Options{Dialect: d, IncludeSchemas: []string{"audit", "billing", "legacy"}})
				if err != nil {
					t.Fatal(err)
				}
				up, down, err := render.Script(d, dirs.Upgrade, dirs.Downgrade)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("testdata", "TestSchemasGolden", c.name+"."+d.Name()+".sql"), "-- +retort upgrade\n"+up+"\n-- +retort downgrade\n"+down)
				if d.Name() != "postgres" {
					continue
				}
				goUp, err := render.Go(dirs.Upgrade)
				if err != nil {
					t.Fatal(err)
				}
				goDown, err := render.Go(dirs.Downgrade)
				if err != nil {
					t.Fatal(err)
				}
				body, err := render.Format("// upgrade\n" + goUp.Body + "\n// downgrade\n" + goDown.Body)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("testdata", "TestSchemasGolden", c.name+".go.golden"), body)
			}
		})
	}
}

func db(tables ...schema.Table) *schema.Database { return &schema.Database{Tables: tables} }

// stripEnums puts the enum columns of d as TEXT and drops its types,
// for an engine without enum types.
func stripEnums(d *schema.Database) *schema.Database {
	out := *d
	out.Enums = nil
	out.Tables = nil
	for _, t := range d.Tables {
		t.Columns = append([]schema.ColumnDef(nil), t.Columns...)
		for i := range t.Columns {
			if t.Columns[i].Type.Kind == schema.KindEnum {
				t.Columns[i].Type = schema.Text
			}
		}
		out.Tables = append(out.Tables, t)
	}
	return &out
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	dialecttest.GoldenText(t, path, got, *update)
}
