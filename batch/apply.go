package batch

import (
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// clone returns a deep copy of t, so that changes never touch the
// caller's slices.
func clone(t *schema.Table) *schema.Table {
	c := *t
	c.Columns = slices.Clone(t.Columns)
	if t.PrimaryKey != nil {
		pk := *t.PrimaryKey
		pk.Columns = slices.Clone(pk.Columns)
		c.PrimaryKey = &pk
	}
	c.ForeignKeys = slices.Clone(t.ForeignKeys)
	for i := range c.ForeignKeys {
		c.ForeignKeys[i].Columns = slices.Clone(c.ForeignKeys[i].Columns)
		c.ForeignKeys[i].RefColumns = slices.Clone(c.ForeignKeys[i].RefColumns)
	}
	c.Uniques = slices.Clone(t.Uniques)
	for i := range c.Uniques {
		c.Uniques[i].Columns = slices.Clone(c.Uniques[i].Columns)
	}
	c.Checks = slices.Clone(t.Checks)
	c.Indexes = slices.Clone(t.Indexes)
	for i := range c.Indexes {
		c.Indexes[i].Parts = slices.Clone(c.Indexes[i].Parts)
	}
	return &c
}

func columnIndex(t *schema.Table, name string) int {
	return slices.IndexFunc(t.Columns, func(c schema.ColumnDef) bool { return c.Name == name })
}

// apply makes change c to t, as Alembic's ApplyBatchImpl does; added
// collects the columns that did not exist before.
func apply(t *schema.Table, c ops.Operation, added map[string]bool) error {
	switch o := c.(type) {
	case ops.AddColumn:
		if columnIndex(t, o.Column.Name) >= 0 {
			return fmt.Errorf("%s: column %s already exists", o.Describe(), o.Column.Name)
		}
		col := o.Column
		col.PrimaryKey = false // AddColumn does not make keys
		t.Columns = append(t.Columns, col)
		added[col.Name] = true
	case ops.DropColumn:
		return dropColumn(t, o)
	case ops.AlterColumn:
		return alterColumn(t, o, added)
	case ops.CreateIndex:
		if slices.ContainsFunc(t.Indexes, func(ix schema.IndexDef) bool { return ix.Name == o.Index.Name }) {
			return fmt.Errorf("%s: index %s already exists", o.Describe(), o.Index.Name)
		}
		t.Indexes = append(t.Indexes, o.Index)
	case ops.DropIndex:
		i := slices.IndexFunc(t.Indexes, func(ix schema.IndexDef) bool { return ix.Name == o.Name })
		if i < 0 {
			return fmt.Errorf("%s: no such index: %s", o.Describe(), o.Name)
		}
		t.Indexes = slices.Delete(t.Indexes, i, i+1)
	case ops.CreatePrimaryKey:
		pk := o.PrimaryKey
		pk.Columns = slices.Clone(pk.Columns)
		t.PrimaryKey = &pk
		for i := range t.Columns {
			t.Columns[i].PrimaryKey = slices.Contains(pk.Columns, t.Columns[i].Name)
		}
	case ops.CreateUniqueConstraint:
		if err := nameFree(t, o, o.Unique.Name); err != nil {
			return err
		}
		t.Uniques = append(t.Uniques, o.Unique)
	case ops.CreateForeignKey:
		if err := nameFree(t, o, o.ForeignKey.Name); err != nil {
			return err
		}
		t.ForeignKeys = append(t.ForeignKeys, o.ForeignKey)
	case ops.CreateCheckConstraint:
		if err := nameFree(t, o, o.Check.Name); err != nil {
			return err
		}
		t.Checks = append(t.Checks, o.Check)
	case ops.DropConstraint:
		return dropConstraint(t, o)
	default:
		return fmt.Errorf("%s: the operation does not apply to a batch table alter", c.Describe())
	}
	return nil
}

func nameFree(t *schema.Table, op ops.Operation, name string) error {
	if name != "" && findConstraint(t, name, schema.ConstraintUnknown) != schema.ConstraintUnknown {
		return fmt.Errorf("%s: table %s already has a constraint named %s", op.Describe(), t.Name, name)
	}
	return nil
}

// findConstraint returns the kind of t's constraint called name (of
// kind, unless that is unknown), or ConstraintUnknown.
func findConstraint(t *schema.Table, name string, kind schema.ConstraintKind) schema.ConstraintKind {
	match := func(k schema.ConstraintKind, n string) bool {
		return n == name && (kind == schema.ConstraintUnknown || kind == k)
	}
	switch {
	case t.PrimaryKey != nil && match(schema.ConstraintPrimaryKey, t.PrimaryKey.Name):
		return schema.ConstraintPrimaryKey
	case slices.ContainsFunc(t.ForeignKeys, func(f schema.ForeignKeyDef) bool { return match(schema.ConstraintForeignKey, f.Name) }):
		return schema.ConstraintForeignKey
	case slices.ContainsFunc(t.Uniques, func(u schema.UniqueDef) bool { return match(schema.ConstraintUnique, u.Name) }):
		return schema.ConstraintUnique
	case slices.ContainsFunc(t.Checks, func(c schema.CheckDef) bool { return match(schema.ConstraintCheck, c.Name) }):
		return schema.ConstraintCheck
	}
	return schema.ConstraintUnknown
}

func dropConstraint(t *schema.Table, o ops.DropConstraint) error {
	if o.Name == "" {
		return fmt.Errorf("%s: a constraint to drop must have a name", o.Describe())
	}
	switch findConstraint(t, o.Name, o.ConstraintKind()) {
	case schema.ConstraintPrimaryKey:
		t.PrimaryKey = nil
		for i := range t.Columns {
			t.Columns[i].PrimaryKey = false
		}
	case schema.ConstraintForeignKey:
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(f schema.ForeignKeyDef) bool { return f.Name == o.Name })
	case schema.ConstraintUnique:
		t.Uniques = slices.DeleteFunc(t.Uniques, func(u schema.UniqueDef) bool { return u.Name == o.Name })
	case schema.ConstraintCheck:
		t.Checks = slices.DeleteFunc(t.Checks, func(c schema.CheckDef) bool { return c.Name == o.Name })
	default:
		return fmt.Errorf("%s: no such constraint: %s (named constraints of %s: %s)", o.Describe(), o.Name, t.Name, constraintNames(t))
	}
	return nil
}

func constraintNames(t *schema.Table) string {
	var names []string
	if t.PrimaryKey != nil && t.PrimaryKey.Name != "" {
		names = append(names, t.PrimaryKey.Name)
	}
	for _, f := range t.ForeignKeys {
		names = append(names, f.Name)
	}
	for _, u := range t.Uniques {
		names = append(names, u.Name)
	}
	for _, c := range t.Checks {
		names = append(names, c.Name)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return n == "" })
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// dropColumn removes the column and, as Alembic does, the constraints
// that no longer have all their columns; an index on it is an error,
// so that no index is lost without being asked for.
func dropColumn(t *schema.Table, o ops.DropColumn) error {
	i := columnIndex(t, o.Column)
	if i < 0 {
		return fmt.Errorf("%s: no such column: %s", o.Describe(), o.Column)
	}
	for _, ix := range t.Indexes {
		if slices.Contains(ix.Columns(), o.Column) {
			return fmt.Errorf("%s: index %s uses the column; drop the index first (b.DropIndex)", o.Describe(), ix.Name)
		}
	}
	t.Columns = slices.Delete(t.Columns, i, i+1)
	has := func(cols []string) bool { return slices.Contains(cols, o.Column) }
	if t.PrimaryKey != nil && has(t.PrimaryKey.Columns) {
		t.PrimaryKey = nil
		for i := range t.Columns {
			t.Columns[i].PrimaryKey = false
		}
	}
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(f schema.ForeignKeyDef) bool { return has(f.Columns) })
	t.Uniques = slices.DeleteFunc(t.Uniques, func(u schema.UniqueDef) bool { return has(u.Columns) })
	return nil
}

func alterColumn(t *schema.Table, o ops.AlterColumn, added map[string]bool) error {
	i := columnIndex(t, o.Column)
	if i < 0 {
		return fmt.Errorf("%s: no such column: %s", o.Describe(), o.Column)
	}
	c := &t.Columns[i]
	if o.Type != nil {
		c.Type = *o.Type
	}
	if o.Nullable != nil {
		c.Nullable = *o.Nullable
	}
	if o.Default != nil {
		c.Default = *o.Default
	}
	if o.Comment != nil {
		c.Comment = *o.Comment
	}
	if o.OnUpdate != nil {
		c.OnUpdate = *o.OnUpdate
	}
	if o.Identity != nil {
		c.Identity = *o.Identity
	}
	if o.NewName != "" && o.NewName != o.Column {
		if columnIndex(t, o.NewName) >= 0 {
			return fmt.Errorf("%s: column %s already exists", o.Describe(), o.NewName)
		}
		renameColumn(t, o.Column, o.NewName)
		if added[o.Column] {
			delete(added, o.Column)
			added[o.NewName] = true
		}
	}
	return nil
}

// renameColumn renames a column in t's columns, keys, constraints and
// index columns. Expressions (checks, expression indexes, WHERE) are
// SQL text and are not rewritten.
func renameColumn(t *schema.Table, from, to string) {
	ren := func(cols []string) {
		for i := range cols {
			if cols[i] == from {
				cols[i] = to
			}
		}
	}
	t.Columns[columnIndex(t, from)].Name = to
	if t.PrimaryKey != nil {
		ren(t.PrimaryKey.Columns)
	}
	for i := range t.ForeignKeys {
		ren(t.ForeignKeys[i].Columns)
		if t.ForeignKeys[i].RefTable == t.Name {
			ren(t.ForeignKeys[i].RefColumns)
		}
	}
	for i := range t.Uniques {
		ren(t.Uniques[i].Columns)
	}
	for i := range t.Indexes {
		for j := range t.Indexes[i].Parts {
			if t.Indexes[i].Parts[j].Column == from {
				t.Indexes[i].Parts[j].Column = to
			}
		}
	}
}
