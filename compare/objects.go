package compare

import (
	"maps"
	"slices"

	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// views compares views by name and definition (but for case, spacing
// and outer parentheses). A changed view is dropped before the tables
// change and created again after.
func (c *comparer) views(from, to *schema.Database, p *plan) {
	inspected := map[key]*schema.View{}
	for i := range from.Views {
		v := &from.Views[i]
		if c.schemas[v.Schema] && c.opts.includeName(Name{Type: ViewObject, Name: v.Name, Schema: v.Schema}) {
			inspected[key{v.Schema, v.Name}] = v
		}
	}
	seen := map[key]bool{}
	for i := range to.Views {
		v := &to.Views[i]
		k := key{v.Schema, v.Name}
		if !c.schemas[v.Schema] || seen[k] {
			continue
		}
		seen[k] = true
		old := inspected[k]
		obj := Object{Type: ViewObject, Schema: v.Schema, Name: v.Name, Value: v}
		if old != nil {
			obj.CompareTo = old
		}
		if !c.opts.includeObject(obj) {
			continue
		}
		if old != nil && sqlText(old.Definition) == sqlText(v.Definition) {
			continue
		}
		if old != nil {
			e := *old
			p.dropViews = append(p.dropViews, ops.DropView{Schema: old.Schema, Name: old.Name, Existing: &e})
		}
		p.createViews = append(p.createViews, ops.CreateView{View: *v})
	}
	keys := slices.SortedFunc(maps.Keys(inspected), keyCmp)
	for _, k := range keys {
		old := inspected[k]
		if seen[k] || !c.opts.includeObject(Object{Type: ViewObject, Schema: k.schema, Name: k.name, Reflected: true, Value: old}) {
			continue
		}
		e := *old
		p.dropViews = append(p.dropViews, ops.DropView{Schema: old.Schema, Name: old.Name, Existing: &e})
	}
}

// enums compares enum types (PostgreSQL): new types are created before
// the tables, the values of a type in both are compared in order (see
// enumValueChanges), and types the target does not declare are dropped
// after the tables.
func (c *comparer) enums(from, to *schema.Database, p *plan) {
	if !c.fl.enums {
		return
	}
	inspected := map[key]*schema.Enum{}
	for i := range from.Enums {
		e := &from.Enums[i]
		if c.schemas[e.Schema] && c.opts.includeName(Name{Type: EnumObject, Name: e.Name, Schema: e.Schema}) {
			inspected[key{e.Schema, e.Name}] = e
		}
	}
	seen := map[key]bool{}
	for i := range to.Enums {
		e := &to.Enums[i]
		k := key{e.Schema, e.Name}
		if !c.schemas[e.Schema] || seen[k] {
			continue
		}
		seen[k] = true
		old := inspected[k]
		obj := Object{Type: EnumObject, Schema: e.Schema, Name: e.Name, Value: e}
		if old != nil {
			obj.CompareTo = old
		}
		if !c.opts.includeObject(obj) {
			continue
		}
		if old == nil {
			p.createEnums = append(p.createEnums, ops.CreateEnum{Enum: *e})
			continue
		}
		p.createEnums = append(p.createEnums, enumValueChanges(old, e)...)
	}
	keys := slices.SortedFunc(maps.Keys(inspected), keyCmp)
	for _, k := range keys {
		old := inspected[k]
		if seen[k] || !c.opts.includeObject(Object{Type: EnumObject, Schema: k.schema, Name: k.name, Reflected: true, Value: old}) {
			continue
		}
		e := *old
		e.Values = slices.Clone(old.Values)
		p.dropEnums = append(p.dropEnums, ops.DropEnum{Schema: old.Schema, Name: old.Name, Existing: &e})
	}
}
