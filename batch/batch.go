package batch

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// Recreate says when batch mode rebuilds the table (Alembic's
// recreate argument).
type Recreate uint8

const (
	// Auto rebuilds on SQLite only when a change needs it: anything but
	// adding a column (with no expression default), renaming a column,
	// dropping a column that no key, constraint or index uses, and
	// creating or dropping an index. Other dialects never rebuild.
	Auto Recreate = iota
	// Always rebuilds on SQLite whatever the changes.
	Always
	// Never renders every change as a plain ALTER, which fails on SQLite
	// for the changes its ALTER TABLE cannot make.
	Never
)

// String returns "auto", "always" or "never".
func (r Recreate) String() string {
	switch r {
	case Always:
		return "always"
	case Never:
		return "never"
	}
	return "auto"
}

// ErrNeedsTable is matched by the error of an SQLite rebuild that has
// no table to start from: offline (--sql) there is no database to
// reflect, so [Alter.CopyFrom] must give the table's definition.
var ErrNeedsTable = errors.New("batch mode on SQLite reflects the table, which needs a database")

// Alter is a batch of changes to one table: Alembic's
// op.batch_alter_table as an operation value. Changes are AddColumn,
// DropColumn, AlterColumn, CreateIndex, DropIndex, CreatePrimaryKey,
// CreateUniqueConstraint, CreateForeignKey, CreateCheckConstraint and
// DropConstraint; their Schema and Table fields are set from Alter's.
type Alter struct {
	Schema string
	Table  string
	// Changes in the order they apply.
	Changes []ops.Operation
	// CopyFrom is the table as it is before the changes (Alembic's
	// copy_from). It is required to rebuild a table offline; online it
	// is used instead of reflecting the table.
	CopyFrom *schema.Table
	// Recreate says when to rebuild; the zero value is Auto.
	Recreate Recreate
}

var _ dialect.Renderer = Alter{}

// Describe returns "batch alter table T: CHANGE; CHANGE".
func (a Alter) Describe() string {
	d := make([]string, len(a.Changes))
	for i, c := range a.Changes {
		d[i] = c.Describe()
	}
	return "batch alter table " + ops.Qualified(a.Schema, a.Table) + ": " + strings.Join(d, "; ")
}

// Reverse returns the batch that undoes each change, last first; each
// change needs what its own Reverse needs (Existing fields).
func (a Alter) Reverse() (ops.Operation, error) {
	rev := make([]ops.Operation, 0, len(a.Changes))
	for _, c := range slices.Backward(a.changes()) {
		r, err := c.Reverse()
		if err != nil {
			return nil, err
		}
		rev = append(rev, r)
	}
	return Alter{Schema: a.Schema, Table: a.Table, Changes: rev, Recreate: a.Recreate}, nil
}

// changes returns the changes with Schema and Table set to a's.
func (a Alter) changes() []ops.Operation {
	out := make([]ops.Operation, len(a.Changes))
	for i, c := range a.Changes {
		switch o := c.(type) {
		case ops.AddColumn:
			o.Schema, o.Table = a.Schema, a.Table
			c = o
		case ops.DropColumn:
			o.Schema, o.Table = a.Schema, a.Table
			c = o
		case ops.AlterColumn:
			o.Schema, o.Table = a.Schema, a.Table
			c = o
		case ops.CreateIndex:
			o.Schema, o.Table = a.Schema, a.Table
			c = o
		case ops.DropIndex:
			o.Schema, o.Table = a.Schema, a.Table
			c = o
		case ops.CreatePrimaryKey:
			o.Schema, o.Table = a.Schema, a.Table
			c = o
		case ops.CreateUniqueConstraint:
			o.Schema, o.Table = a.Schema, a.Table
			c = o
		case ops.CreateForeignKey:
			o.Schema, o.Table = a.Schema, a.Table
			c = o
		case ops.CreateCheckConstraint:
			o.Schema, o.Table = a.Schema, a.Table
			c = o
		case ops.DropConstraint:
			o.Schema, o.Table = a.Schema, a.Table
			c = o
		}
		out[i] = c
	}
	return out
}

// validate rejects operations that are not batch changes (Alembic:
// "Can't create table in batch mode").
func (a Alter) validate() error {
	if a.Table == "" {
		return errors.New("batch alter table: no table name")
	}
	for _, c := range a.Changes {
		switch c.(type) {
		case ops.AddColumn, ops.DropColumn, ops.AlterColumn, ops.CreateIndex, ops.DropIndex, ops.CreatePrimaryKey,
			ops.CreateUniqueConstraint, ops.CreateForeignKey, ops.CreateCheckConstraint, ops.DropConstraint:
		default:
			return fmt.Errorf("batch alter table %s: %s does not apply to a batch table alter; run it outside the batch",
				ops.Qualified(a.Schema, a.Table), c.Describe())
		}
	}
	return nil
}

// RenderSQL renders the batch without a database: plain ALTERs on
// every dialect but SQLite; on SQLite, plain ALTERs when no change
// needs a rebuild, else the rebuild of [Alter.CopyFrom] (an error
// matching [ErrNeedsTable] when it is nil). An offline rebuild
// cannot see the table's triggers or the foreign keys that point at it;
// see the README.
func (a Alter) RenderSQL(d dialect.Dialect) ([]string, error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	cs := a.changes()
	if !d.Caps().RebuildsTables || a.Recreate == Never || (a.Recreate == Auto && !needsRecreate(cs, a.CopyFrom)) {
		return renderEach(d, cs)
	}
	if a.CopyFrom == nil {
		return nil, fmt.Errorf("batch alter table %s: %w; give the table's definition with b.CopyFrom(...) (Alembic's copy_from)",
			ops.Qualified(a.Schema, a.Table), ErrNeedsTable)
	}
	renames, rest := hoistRenames(cs)
	out, err := renderEach(d, renames)
	if err != nil {
		return nil, err
	}
	old := clone(a.CopyFrom)
	old.Schema = a.Schema
	for _, r := range renames {
		if err := apply(old, r, map[string]bool{}); err != nil {
			return nil, fmt.Errorf("batch alter table %s: %w", ops.Qualified(a.Schema, a.Table), err)
		}
	}
	p, err := plan(d, old, rest)
	if err != nil {
		return nil, fmt.Errorf("batch alter table %s: %w", ops.Qualified(a.Schema, a.Table), err)
	}
	s, err := p.statements(d, path{twoCopy: true, deferFKs: true})
	if err != nil {
		return nil, err
	}
	return append(out, s...), nil
}

func renderEach(d dialect.Dialect, cs []ops.Operation) ([]string, error) {
	var out []string
	for _, c := range cs {
		s, err := d.Render(c)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// needsRecreate is SQLite's rule (Alembic's requires_recreate_in_batch,
// with modern SQLite's DROP COLUMN): t, when known, tells whether a
// dropped column is used by a key, constraint or index.
func needsRecreate(cs []ops.Operation, t *schema.Table) bool {
	var cur *schema.Table
	if t != nil {
		cur = clone(t)
	}
	for _, c := range cs {
		switch o := c.(type) {
		case ops.AddColumn:
			if o.Column.Default.Kind == schema.DefaultExpression || !o.Column.Nullable && o.Column.Default.IsZero() ||
				o.Column.PrimaryKey || !o.Column.Identity.IsZero() || !o.Column.Computed.IsZero() && !o.Column.Computed.Virtual {
				return true
			}
		case ops.AlterColumn:
			if o.Type != nil || o.Nullable != nil || o.Default != nil || o.Comment != nil || o.Using != "" || o.Identity != nil {
				return true
			}
		case ops.DropColumn:
			if cur != nil && usedBy(cur, o.Column) {
				return true
			}
		case ops.CreateIndex, ops.DropIndex:
		default:
			return true
		}
		if cur != nil && apply(cur, c, map[string]bool{}) != nil {
			return true // let the rebuild report the error
		}
	}
	return false
}

// usedBy reports whether SQLite's ALTER TABLE DROP COLUMN would refuse
// to drop col: it is in the key, a unique or foreign key, an index, or
// named in a check or index expression (by a plain text search, which
// errs on the side of rebuilding).
func usedBy(t *schema.Table, col string) bool {
	in := func(cols []string) bool { return slices.Contains(cols, col) }
	mentions := func(expr string) bool { return strings.Contains(strings.ToLower(expr), strings.ToLower(col)) }
	if t.PrimaryKey != nil && in(t.PrimaryKey.Columns) {
		return true
	}
	for _, f := range t.ForeignKeys {
		if in(f.Columns) {
			return true
		}
	}
	for _, u := range t.Uniques {
		if in(u.Columns) {
			return true
		}
	}
	for _, c := range t.Checks {
		if mentions(c.Expr) {
			return true
		}
	}
	for _, ix := range t.Indexes {
		if in(ix.Columns()) || mentions(ix.Where) {
			return true
		}
		for _, p := range ix.Parts {
			if mentions(p.Expr) {
				return true
			}
		}
	}
	return false
}

// hoistRenames splits the changes into the column renames, which run
// first as plain ALTERs (SQLite then updates views, triggers and the
// foreign keys of other tables), and the rest, whose column names are
// the new ones.
func hoistRenames(cs []ops.Operation) (renames, rest []ops.Operation) {
	rest = slices.Clone(cs)
	for i, c := range cs {
		o, ok := c.(ops.AlterColumn)
		if !ok || o.NewName == "" || o.NewName == o.Column {
			continue
		}
		renames = append(renames, ops.AlterColumn{Schema: o.Schema, Table: o.Table, Column: o.Column, NewName: o.NewName})
		for j := range i { // earlier changes name the column by its old name
			switch p := rest[j].(type) {
			case ops.AlterColumn:
				if p.Column == o.Column {
					p.Column = o.NewName
					rest[j] = p
				}
			case ops.DropColumn:
				if p.Column == o.Column {
					p.Column = o.NewName
					rest[j] = p
				}
			}
		}
		o.Column, o.NewName = o.NewName, ""
		rest[i] = o
	}
	rest = slices.DeleteFunc(rest, func(c ops.Operation) bool {
		o, ok := c.(ops.AlterColumn)
		return ok && o.Type == nil && o.Nullable == nil && o.Default == nil && o.Comment == nil && o.Using == "" && o.NewName == ""
	})
	return renames, rest
}
