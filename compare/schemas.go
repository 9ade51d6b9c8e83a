package compare

import (
	"slices"

	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// createSchemas creates, before anything else, the named schemas that
// the operations of p create objects in (tables, views, enum types)
// or that the target declares (Database.Schemas), when the inspected
// database does not have them: without it, the first CREATE TABLE in
// such a schema fails. Alembic creates no schema (its revision fails
// there); retort does, and each CreateSchema reverses into a
// DropSchema that the downgrade runs after the schema's objects are
// dropped.
//
// A schema that the database has and the target does not is never
// dropped, as in Alembic: the objects in it that the comparison
// includes are dropped, the schema stays (it may hold what retort does
// not manage, such as functions or another tool's tables).
//
// A dialect without named schemas ([dialect.Caps].Schemas false:
// SQLite, whose other schemas are attached database files) gets none.
func (c *comparer) createSchemas(from, to *schema.Database, p *plan) {
	if c.opts.Dialect != nil && !c.opts.Dialect.Caps().Schemas {
		return
	}
	live := map[string]bool{"": true}
	for _, s := range from.NamedSchemas() {
		live[s] = true
	}
	var need []string
	add := func(s string) {
		if !live[s] && c.schemas[s] && !slices.Contains(need, s) {
			need = append(need, s)
		}
	}
	for _, s := range to.Schemas {
		add(s)
	}
	for _, phase := range [][]ops.Operation{p.createEnums, p.createTables, p.createViews} {
		for _, o := range phase {
			switch o := o.(type) {
			case ops.CreateTable:
				add(o.Table.Schema)
			case ops.CreateView:
				add(o.View.Schema)
			case ops.CreateEnum:
				add(o.Enum.Schema)
			}
		}
	}
	slices.Sort(need)
	for _, s := range need {
		p.createSchemas = append(p.createSchemas, ops.CreateSchema{Name: s})
	}
}
