package compare_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/retortdb/retort/compare"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/schema"
)

// TestSchemas: a named schema the target puts objects in and the
// database lacks is created before them and dropped after them in the
// downgrade; a schema the database has and the target lacks is never
// dropped (Alembic drops no schema), only the objects in it.
func TestSchemas(t *testing.T) {
	t.Parallel()
	audit := schema.NewTable("log", schema.Column("id", schema.BigInt, schema.PrimaryKey()), schema.InSchema("audit"))
	invoice := schema.NewTable("invoice", schema.Column("id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("log_id", schema.BigInt),
		schema.ForeignKey("fk_invoice_log", []string{"log_id"}, "log", []string{"id"}, schema.RefSchema("audit")),
		schema.InSchema("billing"))
	old := schema.NewTable("old", schema.Column("id", schema.Integer), schema.InSchema("legacy"))
	both := []string{"audit", "billing", "legacy", "empty"}
	for _, c := range []struct {
		name     string
		from, to *schema.Database
		opts     compare.Options
		up, down []string
	}{
		{name: "two new schemas", from: db(), to: db(customer(), invoice, audit),
			up: []string{"create schema audit", "create schema billing", "create table customer", "create table audit.log",
				"create table billing.invoice"},
			down: []string{"drop table billing.invoice", "drop table audit.log", "drop table customer", "drop schema billing", "drop schema audit"}},
		{name: "schema reported by the database", from: &schema.Database{Schemas: []string{"audit"}}, to: db(audit),
			up: []string{"create table audit.log"}, down: []string{"drop table audit.log"}},
		{name: "schema of an inspected object", from: db(schema.NewTable("other", schema.Column("id", schema.Integer), schema.InSchema("audit"))),
			to: db(audit, schema.NewTable("other", schema.Column("id", schema.Integer), schema.InSchema("audit"))),
			up: []string{"create table audit.log"}, down: []string{"drop table audit.log"}},
		{name: "schema the target lacks is kept", from: &schema.Database{Schemas: []string{"legacy"}, Tables: []schema.Table{old}}, to: db(),
			up: []string{"drop table legacy.old"}, down: []string{"create table legacy.old"}},
		{name: "declared empty schema", from: db(), to: &schema.Database{Schemas: []string{"empty"}},
			up: []string{"create schema empty"}, down: []string{"drop schema empty"}},
		{name: "enum and view in a new schema", from: db(), to: &schema.Database{
			Enums: []schema.Enum{{Schema: "audit", Name: "level", Values: []string{"info", "warn"}}},
			Views: []schema.View{{Schema: "billing", Name: "v", Definition: "SELECT 1"}}},
			up:   []string{"create schema audit", "create schema billing", "create enum audit.level", "create view billing.v"},
			down: []string{"drop view billing.v", "drop enum audit.level", "drop schema billing", "drop schema audit"}},
		{name: "table left out by include_object", from: db(), to: db(audit),
			opts: compare.Options{IncludeObject: func(o compare.Object) bool { return o.Schema != "audit" }}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			opts := c.opts
			opts.IncludeSchemas = both
			d := produce(t, c.from, c.to, opts)
			wantOps(t, "upgrade", d.Upgrade, c.up...)
			wantOps(t, "downgrade", d.Downgrade, c.down...)
		})
	}

	// SQLite's other schemas are attached files: none is created.
	d := produce(t, db(), db(audit), compare.Options{Dialect: sqlite.New(), IncludeSchemas: both})
	wantOps(t, "sqlite", d.Upgrade, "create table audit.log")

	_, err := compare.Produce(db(), &schema.Database{Schemas: []string{"empty"}}, "", compare.Options{})
	var outside *compare.OutsideSchemasError
	if !errors.As(err, &outside) || !slices.Equal(outside.Objects, []string{"schema empty"}) {
		t.Errorf("a declared schema outside include_schemas: err = %v", err)
	}
}
