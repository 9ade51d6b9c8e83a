package compare

import (
	"github.com/retortdb/retort/dialect"
)

// ObjectType says what kind of object an [Object] or a [Name] is, with
// Alembic's type_ words.
type ObjectType string

// Object types. Schema is seen by [Options.IncludeName] only.
const (
	SchemaObject     ObjectType = "schema"
	TableObject      ObjectType = "table"
	ColumnObject     ObjectType = "column"
	IndexObject      ObjectType = "index"
	UniqueObject     ObjectType = "unique_constraint"
	ForeignKeyObject ObjectType = "foreign_key_constraint"
	CheckObject      ObjectType = "check_constraint"
	ViewObject       ObjectType = "view"
	EnumObject       ObjectType = "enum"
)

// String returns the type's word, such as "unique_constraint".
func (t ObjectType) String() string { return string(t) }

// Object is what [Options.IncludeObject] is asked about: Alembic's
// include_object(object, name, type_, reflected, compare_to).
type Object struct {
	Type ObjectType
	// Schema and Table place it: Table is the table's name for a
	// column, index or constraint, and empty for a table, view or enum.
	Schema, Table string
	// Name is the object's own name.
	Name string
	// Reflected reports that Value comes from the inspected database;
	// false means it comes from the target schema.
	Reflected bool
	// Value is the object itself: a *schema.Table, *schema.ColumnDef,
	// *schema.IndexDef, *schema.UniqueDef, *schema.ForeignKeyDef,
	// *schema.CheckDef, *schema.View or *schema.Enum.
	Value any
	// CompareTo is the same object on the other side (the inspected one,
	// when Value is the target's), or nil when the other side has none.
	CompareTo any
}

// Name is what [Options.IncludeName] is asked about: a name read from
// the inspected database (Alembic's include_name(name, type_,
// parent_names)), before anything else is looked at.
type Name struct {
	Type ObjectType
	// Name is the object's name; for SchemaObject, "" is the default
	// schema.
	Name string
	// Schema and Table are the parents: the schema of a table, view or
	// enum, and also the table of a column, index or constraint.
	Schema, Table string
}

// Switch turns a comparison on or off. Its zero value is the default,
// which is on.
type Switch uint8

// Switch values.
const (
	Default Switch = iota
	On
	Off
)

// String returns "default", "on" or "off".
func (s Switch) String() string {
	switch s {
	case On:
		return "on"
	case Off:
		return "off"
	}
	return "default"
}

func (s Switch) on() bool { return s != Off }

// Options says what [Compare] and [Produce] compare and how.
type Options struct {
	// Dialect is the database's dialect, which decides what is
	// equivalent (an enum column is TEXT on SQLite, which has no
	// comments) and, on SQLite, which changes go into batch mode. Nil
	// compares the values as they are.
	Dialect dialect.Dialect
	// VersionTable names the version table, which is never compared (nor are its _history and _lease tables);
	// an empty Name means "alembic_version".
	VersionTable dialect.Ident
	// IncludeSchemas lists the named schemas to compare besides the
	// default one (Alembic's include_schemas); objects of other schemas
	// are left out on both sides.
	IncludeSchemas []string
	// IncludeObject, when set, is asked about every object; false
	// leaves it out of the comparison.
	IncludeObject func(Object) bool
	// IncludeName, when set, is asked about every name read from the
	// database; false leaves that object out as if it did not exist.
	IncludeName func(Name) bool
	// CompareType compares column types (on by default, as in Alembic
	// 1.12 and later).
	CompareType Switch
	// CompareServerDefault compares server defaults (on by default).
	CompareServerDefault Switch
	// ProcessRevisionDirectives, when set, is called by [Produce] with
	// the generated directives, which it may change: replace or drop
	// operations, or set Drop to write nothing. Chain several with
	// [Chain].
	ProcessRevisionDirectives func(*Directives) error
}

func (o *Options) includeName(n Name) bool {
	return o.IncludeName == nil || o.IncludeName(n)
}

func (o *Options) includeObject(obj Object) bool {
	return o.IncludeObject == nil || o.IncludeObject(obj)
}

func (o *Options) versionTable() dialect.Ident {
	v := o.VersionTable
	if v.Name == "" {
		v.Name = "alembic_version"
	}
	return v
}
