package compare

import (
	"slices"

	"github.com/retortdb/retort/batch"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// Chain returns a ProcessRevisionDirectives hook that runs hooks in
// order, stopping at the first error (Alembic's Rewriter.chain).
func Chain(hooks ...func(*Directives) error) func(*Directives) error {
	return func(d *Directives) error {
		for _, h := range hooks {
			if h == nil {
				continue
			}
			if err := h(d); err != nil {
				return err
			}
		}
		return nil
	}
}

// Rewrite returns a hook that passes every operation of Upgrade and
// Downgrade (and every change inside a batch) through fn, which returns
// what replaces it: the operation itself, others, or none (Alembic's
// Rewriter). A batch left with no change is removed.
func Rewrite(fn func(ops.Operation) []ops.Operation) func(*Directives) error {
	return func(d *Directives) error {
		d.Upgrade = rewrite(d.Upgrade, fn)
		d.Downgrade = rewrite(d.Downgrade, fn)
		return nil
	}
}

func rewrite(list []ops.Operation, fn func(ops.Operation) []ops.Operation) []ops.Operation {
	var out []ops.Operation
	for _, o := range list {
		if a, ok := o.(batch.Alter); ok {
			a.Changes = rewrite(a.Changes, fn)
			if len(a.Changes) == 0 {
				continue
			}
			o = a
		}
		out = append(out, fn(o)...)
	}
	return out
}

// SkipEmpty is the cookbook's "Don't Generate Empty Migrations": when
// nothing changed, write no revision.
func SkipEmpty(d *Directives) error {
	if d.Empty() {
		d.Drop = true
	}
	return nil
}

// NoDropIndexForDroppedTables is the cookbook's "Don't emit DROP INDEX
// when the table is to be dropped as well": in each direction, a
// DropIndex on a table that the same direction drops is removed.
func NoDropIndexForDroppedTables(d *Directives) error {
	filter := func(list []ops.Operation) []ops.Operation {
		dropped := map[key]bool{}
		for _, o := range list {
			if dt, ok := o.(ops.DropTable); ok {
				dropped[key{dt.Schema, dt.Table}] = true
			}
		}
		return rewrite(list, func(o ops.Operation) []ops.Operation {
			if di, ok := o.(ops.DropIndex); ok && dropped[key{di.Schema, di.Table}] {
				return nil
			}
			return []ops.Operation{o}
		})
	}
	d.Upgrade, d.Downgrade = filter(d.Upgrade), filter(d.Downgrade)
	return nil
}

// NeverDropTables is the cookbook's "Don't generate any DROP TABLE
// directives": tables the database has and the target does not know
// are left alone. The upgrade loses their DropTable (and the DropIndex
// of them) and the downgrade the CreateTable that undid it.
func NeverDropTables(d *Directives) error {
	dropped := map[key]bool{}
	d.Upgrade = slices.DeleteFunc(d.Upgrade, func(o ops.Operation) bool {
		dt, ok := o.(ops.DropTable)
		if ok {
			dropped[key{dt.Schema, dt.Table}] = true
		}
		return ok
	})
	d.Upgrade = rewrite(d.Upgrade, func(o ops.Operation) []ops.Operation {
		if di, ok := o.(ops.DropIndex); ok && dropped[key{di.Schema, di.Table}] {
			return nil
		}
		return []ops.Operation{o}
	})
	d.Downgrade = rewrite(d.Downgrade, func(o ops.Operation) []ops.Operation {
		switch o := o.(type) {
		case ops.CreateTable:
			if dropped[key{o.Table.Schema, o.Table.Name}] {
				return nil
			}
		case ops.CreateIndex:
			if dropped[key{o.Schema, o.Table}] {
				return nil
			}
		}
		return []ops.Operation{o}
	})
	return nil
}

// SortColumns is the cookbook's "Apply Custom Sorting to Table Columns
// within CREATE TABLE": it orders the columns of every CreateTable (in
// either direction) by less, keeping the declared order among equals.
// For instance, id first and the timestamps last:
//
//	rank := map[string]int{"id": -1, "created_at": 1, "updated_at": 2}
//	compare.SortColumns(func(a, b schema.ColumnDef) bool { return rank[a.Name] < rank[b.Name] })
func SortColumns(less func(a, b schema.ColumnDef) bool) func(*Directives) error {
	return Rewrite(func(o ops.Operation) []ops.Operation {
		ct, ok := o.(ops.CreateTable)
		if !ok {
			return []ops.Operation{o}
		}
		cols := slices.Clone(ct.Table.Columns)
		slices.SortStableFunc(cols, func(a, b schema.ColumnDef) int {
			switch {
			case less(a, b):
				return -1
			case less(b, a):
				return 1
			}
			return 0
		})
		ct.Table.Columns = cols
		return []ops.Operation{ct}
	})
}

// SkipViews is the cookbook's "Don't emit CREATE TABLE statements for
// Views": a table of the target that is a view in the database or in
// the target (schema.Database.Views), such as a model declared as a
// table to query a view with, gets no CreateTable, DropTable or other
// table operation, and the view itself is neither dropped nor created
// for being missing from the target's views.
func SkipViews(d *Directives) error {
	views := map[key]bool{}
	for _, db := range []*schema.Database{d.Inspected, d.Target} {
		if db == nil {
			continue
		}
		for _, v := range db.Views {
			views[key{v.Schema, v.Name}] = true
		}
	}
	tables := map[key]bool{}
	if d.Target != nil {
		for _, t := range d.Target.Tables {
			tables[key{t.Schema, t.Name}] = true
		}
	}
	return Rewrite(func(o ops.Operation) []ops.Operation {
		if k, ok := tableOf(o); ok && views[k] {
			return nil
		}
		switch v := o.(type) {
		case ops.DropView:
			if tables[key{v.Schema, v.Name}] {
				return nil
			}
		case ops.CreateView:
			if tables[key{v.View.Schema, v.View.Name}] {
				return nil
			}
		}
		return []ops.Operation{o}
	})(d)
}

// tableOf returns the table an operation works on, if it works on a
// table.
func tableOf(o ops.Operation) (key, bool) {
	switch o := o.(type) {
	case ops.CreateTable:
		return key{o.Table.Schema, o.Table.Name}, true
	case ops.DropTable:
		return key{o.Schema, o.Table}, true
	case ops.AddColumn:
		return key{o.Schema, o.Table}, true
	case ops.DropColumn:
		return key{o.Schema, o.Table}, true
	case ops.AlterColumn:
		return key{o.Schema, o.Table}, true
	case ops.CreateIndex:
		return key{o.Schema, o.Table}, true
	case ops.DropIndex:
		return key{o.Schema, o.Table}, true
	case ops.CreateUniqueConstraint:
		return key{o.Schema, o.Table}, true
	case ops.CreateCheckConstraint:
		return key{o.Schema, o.Table}, true
	case ops.CreateForeignKey:
		return key{o.Schema, o.Table}, true
	case ops.DropConstraint:
		return key{o.Schema, o.Table}, true
	case ops.SetTableComment:
		return key{o.Schema, o.Table}, true
	case batch.Alter:
		return key{o.Schema, o.Table}, true
	}
	return key{}, false
}
