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
