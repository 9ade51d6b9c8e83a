package ops

import "github.com/retortdb/retort/schema"

// AddColumn adds a column to a table. A column flagged PrimaryKey is
// not made a key by AddColumn; use [CreatePrimaryKey].
type AddColumn struct {
	Schema string
	Table  string
	Column schema.ColumnDef
	// IfNotExists does nothing when the column exists (PostgreSQL).
	IfNotExists bool
}

// Describe returns "add column COL to TABLE".
func (o AddColumn) Describe() string {
	return "add column " + o.Column.Name + " to " + Qualified(o.Schema, o.Table)
}

// Reverse drops the column, carrying its definition.
func (o AddColumn) Reverse() (Operation, error) {
	c := o.Column
	return DropColumn{Schema: o.Schema, Table: o.Table, Column: c.Name, IfExists: o.IfNotExists, Existing: &c}, nil
}

// DropColumn drops a column.
type DropColumn struct {
	Schema string
	Table  string
	Column string
	// IfExists does nothing when the column is missing (PostgreSQL).
	IfExists bool
	// Existing is the column's definition, needed only by Reverse.
	Existing *schema.ColumnDef
}

// Describe returns "drop column COL from TABLE".
func (o DropColumn) Describe() string {
	return "drop column " + o.Column + " from " + Qualified(o.Schema, o.Table)
}

// Reverse adds the column back from Existing (its data is not restored).
func (o DropColumn) Reverse() (Operation, error) {
	if o.Existing == nil {
		return nil, irreversible(o, "set DropColumn.Existing to the column's definition (schema.Column(...))")
	}
	return AddColumn{Schema: o.Schema, Table: o.Table, Column: *o.Existing, IfNotExists: o.IfExists}, nil
}

// AlterColumn changes one column: its type, nullability, server
// default, comment and name, in that order. Nil fields stay as they are.
type AlterColumn struct {
	Schema string
	Table  string
	// Column is the column's current name.
	Column string

	// Type is the new type.
	Type *schema.Type
	// Using is PostgreSQL's USING expression converting old values to
	// Type ("price::numeric(10,2)"); other dialects reject it.
	Using string
	// Nullable sets (true) or removes (false) the column's nullability.
	Nullable *bool
	// Default sets the server default; a pointer to the zero
	// DefaultValue drops it.
	Default *schema.DefaultValue
	// Comment sets the column's comment; a pointer to "" removes it.
	Comment *string
	// OnUpdate sets MySQL's ON UPDATE clause (see
	// [schema.ColumnDef].OnUpdate); a pointer to "" removes it.
	OnUpdate *string
	// Identity makes the column an identity column, changes how it
	// generates values, or (a pointer to the zero Identity) makes it an
	// ordinary column.
	Identity *schema.Identity
	// NewName renames the column, last.
	NewName string

	// Existing is the column as it is before the change. Reverse needs
	// the parts that change: its Type, Default or Comment (Nullable is
	// inverted when Existing is nil).
	Existing *schema.ColumnDef
}

// Describe returns "alter column COL of TABLE (type, nullable, ...)".
func (o AlterColumn) Describe() string {
	what := ""
	add := func(s string) {
		if what != "" {
			what += ", "
		}
		what += s
	}
	if o.Type != nil {
		add("type " + o.Type.String())
	}
	if o.Nullable != nil {
		if *o.Nullable {
			add("null")
		} else {
			add("not null")
		}
	}
	if o.Default != nil {
		add("default " + o.Default.String())
	}
	if o.Comment != nil {
		add("comment")
	}
	if o.OnUpdate != nil {
		add("on update")
	}
	if o.Identity != nil {
		add("identity " + o.Identity.Kind.String())
	}
	if o.NewName != "" {
		add("rename to " + o.NewName)
	}
	if what == "" {
		what = "no change"
	}
	return "alter column " + o.Column + " of " + Qualified(o.Schema, o.Table) + " (" + what + ")"
}

// Reverse restores the previous type, nullability, default, comment and
// name from Existing.
func (o AlterColumn) Reverse() (Operation, error) {
	r := AlterColumn{Schema: o.Schema, Table: o.Table, Column: o.Column}
	if o.NewName != "" {
		r.Column, r.NewName = o.NewName, o.Column
	}
	ex := o.Existing
	need := func(field string) error {
		return irreversible(o, "set AlterColumn.Existing to the column as it was before (its "+field+" at least)")
	}
	if o.Type != nil {
		if ex == nil || ex.Type.IsZero() {
			return nil, need("Type")
		}
		t := ex.Type
		r.Type = &t
	}
	if o.Nullable != nil {
		n := !*o.Nullable
		if ex != nil {
			n = ex.Nullable
		}
		r.Nullable = &n
	}
	if o.Default != nil {
		if ex == nil {
			return nil, need("Default")
		}
		d := ex.Default
		r.Default = &d
	}
	if o.Comment != nil {
		if ex == nil {
			return nil, need("Comment")
		}
		c := ex.Comment
		r.Comment = &c
	}
	if o.OnUpdate != nil {
		if ex == nil {
			return nil, need("OnUpdate")
		}
		u := ex.OnUpdate
		r.OnUpdate = &u
	}
	if o.Identity != nil {
		if ex == nil {
			return nil, need("Identity")
		}
		id := ex.Identity
		r.Identity = &id
	}
	if ex != nil {
		after := *ex
		if o.NewName != "" {
			after.Name = o.NewName
		}
		if o.Type != nil {
			after.Type = *o.Type
		}
		if o.Nullable != nil {
			after.Nullable = *o.Nullable
		}
		if o.Default != nil {
			after.Default = *o.Default
		}
		if o.Comment != nil {
			after.Comment = *o.Comment
		}
		if o.OnUpdate != nil {
			after.OnUpdate = *o.OnUpdate
		}
		if o.Identity != nil {
			after.Identity = *o.Identity
		}
		r.Existing = &after
	}
	return r, nil
}
