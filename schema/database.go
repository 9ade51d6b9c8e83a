package schema

import "slices"

// Database describes the objects of a database that retort manages.
type Database struct {
	// Schemas lists named schemas beyond the default one.
	Schemas   []string
	Tables    []Table
	Views     []View
	Enums     []Enum
	Sequences []Sequence
	Functions []Function
	Triggers  []Trigger
}

// Table returns the table s.name, or nil.
func (d *Database) Table(s, name string) *Table {
	for i := range d.Tables {
		if d.Tables[i].Schema == s && d.Tables[i].Name == name {
			return &d.Tables[i]
		}
	}
	return nil
}

// View is a view; Definition is its query (the text after AS), rendered
// as is. It is comparable with ==.
type View struct {
	Schema     string
	Name       string
	Definition string
}

// Enum is an enum type (PostgreSQL CREATE TYPE ... AS ENUM).
type Enum struct {
	Schema string
	Name   string
	// Values in sort order.
	Values []string
}

// Equal reports whether e and f are the same type with the same values
// in the same order.
func (e Enum) Equal(f Enum) bool {
	return e.Schema == f.Schema && e.Name == f.Name && slices.Equal(e.Values, f.Values)
}

// Sequence is a sequence. Zero numbers mean the database's defaults. It
// is comparable with ==.
type Sequence struct {
	Schema    string
	Name      string
	Start     int64
	Increment int64
	MinValue  int64
	MaxValue  int64
	Cycle     bool
}

// Function is a stored function, kept as SQL text: it renders as
// CREATE FUNCTION <schema>.<name>(<Args>) <Definition>, where Definition
// is everything after the argument list ("RETURNS integer LANGUAGE sql
// AS $$ SELECT 1 $$"). Args are the argument declarations
// ("a integer, b text"), which also identify the function when it is
// dropped. It is comparable with ==.
type Function struct {
	Schema     string
	Name       string
	Args       string
	Definition string
}

// Trigger is a trigger, kept as SQL text: it renders as
// CREATE TRIGGER <name> <Definition>, where Definition is everything
// after the name ("AFTER INSERT ON customer FOR EACH ROW EXECUTE
// FUNCTION audit()"). Table names the table it is on, which PostgreSQL
// needs to drop it; Schema is the table's schema. It is comparable with
// ==.
type Trigger struct {
	Schema     string
	Name       string
	Table      string
	Definition string
}

// UndeclaredEnumError is the error of a column whose named enum type the
// database does not declare, so that its values are unknown.
type UndeclaredEnumError struct {
	// Table and Column name the column; Schema is the table's.
	Schema, Table, Column string
	// Enum is the type the column names.
	Enum Type
}

func (e *UndeclaredEnumError) Error() string {
	tbl := e.Table
	if e.Schema != "" {
		tbl = e.Schema + "." + e.Table
	}
	return "column " + tbl + "." + e.Column + " has the " + e.Enum.String() +
		" type, which the schema does not declare (Database.Enums): an inline enum needs its values; declare the enum type, or use schema.EnumOf(values...) for the column"
}

// InlineEnums returns a copy of d in which every column of a named enum
// type has the inline enum type of that type's values ([EnumOf]), and
// no enum types: d as an engine stores it whose enums are column types
// (MySQL). d is not changed. A column of a type d does not declare is
// an *[UndeclaredEnumError].
func (d *Database) InlineEnums() (*Database, error) {
	out := *d
	out.Enums = nil
	if len(d.Enums) == 0 && !d.hasNamedEnumColumn() {
		return &out, nil
	}
	values := map[[2]string]Type{}
	for _, e := range d.Enums {
		values[[2]string{e.Schema, e.Name}] = EnumOf(e.Values...)
	}
	out.Tables = slices.Clone(d.Tables)
	for i := range out.Tables {
		t := &out.Tables[i]
		cloned := false
		for j, c := range t.Columns {
			if c.Type.Kind != KindEnum || c.Type.Name == "" {
				continue
			}
			inline, ok := values[[2]string{c.Type.Schema, c.Type.Name}]
			if !ok {
				return nil, &UndeclaredEnumError{Schema: t.Schema, Table: t.Name, Column: c.Name, Enum: c.Type}
			}
			if !cloned {
				t.Columns, cloned = slices.Clone(t.Columns), true
			}
			t.Columns[j].Type = inline
		}
	}
	return &out, nil
}

func (d *Database) hasNamedEnumColumn() bool {
	for _, t := range d.Tables {
		for _, c := range t.Columns {
			if c.Type.Kind == KindEnum && c.Type.Name != "" {
				return true
			}
		}
	}
	return false
}

// NamedSchemas lists the named schemas of d, each once: those it
// reports (Schemas), then those its tables, views, enum types,
// sequences and functions are in, in that order. The default schema
// ("") is not listed.
func (d *Database) NamedSchemas() []string {
	out := slices.Clone(d.Schemas)
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, t := range d.Tables {
		add(t.Schema)
	}
	for _, v := range d.Views {
		add(v.Schema)
	}
	for _, e := range d.Enums {
		add(e.Schema)
	}
	for _, s := range d.Sequences {
		add(s.Schema)
	}
	for _, f := range d.Functions {
		add(f.Schema)
	}
	return out
}
