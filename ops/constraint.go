package ops

import "github.com/retortdb/retort/schema"

// CreateIndex creates an index on a table.
type CreateIndex struct {
	Schema string
	Table  string
	Index  schema.IndexDef
	// Concurrently builds it without blocking writes (PostgreSQL; the
	// revision must run outside a transaction).
	Concurrently bool
	// IfNotExists does nothing when an index of that name exists.
	IfNotExists bool
}

// Describe returns "create index NAME on TABLE".
func (o CreateIndex) Describe() string {
	return "create index " + o.Index.Name + " on " + Qualified(o.Schema, o.Table)
}

// Reverse drops the index, carrying its definition.
func (o CreateIndex) Reverse() (Operation, error) {
	ix := o.Index
	return DropIndex{Schema: o.Schema, Table: o.Table, Name: ix.Name, Concurrently: o.Concurrently, IfExists: o.IfNotExists, Existing: &ix}, nil
}

// DropIndex drops an index. An index lives in its table's schema;
// Table is needed only by Reverse and messages.
type DropIndex struct {
	Schema string
	Table  string
	Name   string
	// Concurrently and IfExists as for [CreateIndex].
	Concurrently bool
	IfExists     bool
	// Existing is the index's definition, needed only by Reverse.
	Existing *schema.IndexDef
}

// Describe returns "drop index NAME on TABLE".
func (o DropIndex) Describe() string {
	s := "drop index " + o.Name
	if o.Table != "" {
		s += " on " + Qualified(o.Schema, o.Table)
	}
	return s
}

// Reverse creates the index from Existing.
func (o DropIndex) Reverse() (Operation, error) {
	if o.Existing == nil || o.Table == "" {
		return nil, irreversible(o, "set DropIndex.Table and DropIndex.Existing to the index's definition (schema.Index(...))")
	}
	return CreateIndex{Schema: o.Schema, Table: o.Table, Index: *o.Existing, Concurrently: o.Concurrently, IfNotExists: o.IfExists}, nil
}

// CreatePrimaryKey adds a primary key to a table.
type CreatePrimaryKey struct {
	Schema     string
	Table      string
	PrimaryKey schema.PrimaryKeyDef
}

// Describe returns "create primary key NAME on TABLE".
func (o CreatePrimaryKey) Describe() string {
	return describeConstraint("create primary key", o.PrimaryKey.Name, o.Schema, o.Table)
}

// Reverse drops the key; it needs the key's name.
func (o CreatePrimaryKey) Reverse() (Operation, error) {
	return dropOf(o, o.Schema, o.Table, o.PrimaryKey)
}

// CreateUniqueConstraint adds a unique constraint to a table.
type CreateUniqueConstraint struct {
	Schema string
	Table  string
	Unique schema.UniqueDef
}

// Describe returns "create unique constraint NAME on TABLE".
func (o CreateUniqueConstraint) Describe() string {
	return describeConstraint("create unique constraint", o.Unique.Name, o.Schema, o.Table)
}

// Reverse drops the constraint; it needs the constraint's name.
func (o CreateUniqueConstraint) Reverse() (Operation, error) {
	return dropOf(o, o.Schema, o.Table, o.Unique)
}

// CreateForeignKey adds a foreign key to a table.
type CreateForeignKey struct {
	Schema     string
	Table      string
	ForeignKey schema.ForeignKeyDef
}

// Describe returns "create foreign key NAME on TABLE".
func (o CreateForeignKey) Describe() string {
	return describeConstraint("create foreign key", o.ForeignKey.Name, o.Schema, o.Table)
}

// Reverse drops the foreign key; it needs the constraint's name.
func (o CreateForeignKey) Reverse() (Operation, error) {
	return dropOf(o, o.Schema, o.Table, o.ForeignKey)
}

// CreateCheckConstraint adds a check constraint to a table.
type CreateCheckConstraint struct {
	Schema string
	Table  string
	Check  schema.CheckDef
}

// Describe returns "create check constraint NAME on TABLE".
func (o CreateCheckConstraint) Describe() string {
	return describeConstraint("create check constraint", o.Check.Name, o.Schema, o.Table)
}

// Reverse drops the constraint; it needs the constraint's name.
func (o CreateCheckConstraint) Reverse() (Operation, error) {
	return dropOf(o, o.Schema, o.Table, o.Check)
}

// DropConstraint drops a named constraint from a table.
type DropConstraint struct {
	Schema string
	Table  string
	Name   string
	// Kind is the constraint's kind (Alembic's type_), which some
	// dialects need; ConstraintUnknown is taken from Existing if set.
	Kind schema.ConstraintKind
	// Existing is the constraint's definition, needed only by Reverse.
	Existing schema.Constraint
}

// Describe returns "drop KIND constraint NAME on TABLE".
func (o DropConstraint) Describe() string {
	k := o.ConstraintKind()
	word := "constraint"
	if k != schema.ConstraintUnknown {
		word = k.String() + " constraint"
	}
	return describeConstraint("drop "+word, o.Name, o.Schema, o.Table)
}

// ConstraintKind returns Kind, or Existing's kind when Kind is unknown.
func (o DropConstraint) ConstraintKind() schema.ConstraintKind {
	if o.Kind == schema.ConstraintUnknown && o.Existing != nil {
		return o.Existing.ConstraintKind()
	}
	return o.Kind
}

// Reverse creates the constraint from Existing.
func (o DropConstraint) Reverse() (Operation, error) {
	switch c := o.Existing.(type) {
	case schema.PrimaryKeyDef:
		return CreatePrimaryKey{Schema: o.Schema, Table: o.Table, PrimaryKey: c}, nil
	case schema.UniqueDef:
		return CreateUniqueConstraint{Schema: o.Schema, Table: o.Table, Unique: c}, nil
	case schema.ForeignKeyDef:
		return CreateForeignKey{Schema: o.Schema, Table: o.Table, ForeignKey: c}, nil
	case schema.CheckDef:
		return CreateCheckConstraint{Schema: o.Schema, Table: o.Table, Check: c}, nil
	}
	return nil, irreversible(o, "set DropConstraint.Existing to the constraint's definition (schema.Unique, schema.ForeignKey, schema.Check or schema.PrimaryKeyDef)")
}

func describeConstraint(verb, name, s, table string) string {
	if name == "" {
		return verb + " on " + Qualified(s, table)
	}
	return verb + " " + name + " on " + Qualified(s, table)
}

func dropOf(o Operation, s, table string, c schema.Constraint) (Operation, error) {
	if c.ConstraintName() == "" {
		return nil, irreversible(o, "name the constraint (its Name field) so that it can be dropped by name")
	}
	return DropConstraint{Schema: s, Table: table, Name: c.ConstraintName(), Kind: c.ConstraintKind(), Existing: c}, nil
}
