package ops

import "github.com/retortdb/retort/schema"

// CreateTable creates a table with its columns, primary key, foreign
// keys, unique and check constraints, then its indexes and comments.
type CreateTable struct {
	Table schema.Table
	// IfNotExists does nothing when the table exists.
	IfNotExists bool
	// Options maps a dialect's name to table options written after the
	// column list as they are, such as {"mysql": "ENGINE=InnoDB DEFAULT
	// CHARSET=utf8mb4 COLLATE=utf8mb4_bin"} (Alembic's mysql_engine and
	// mysql_charset). Only MySQL writes them for now; other dialects
	// ignore the map.
	Options map[string]string
}

// Describe returns "create table NAME".
func (o CreateTable) Describe() string {
	return "create table " + Qualified(o.Table.Schema, o.Table.Name)
}

// Reverse drops the table, carrying its definition.
func (o CreateTable) Reverse() (Operation, error) {
	t := o.Table
	return DropTable{Schema: t.Schema, Table: t.Name, IfExists: o.IfNotExists, Existing: &t}, nil
}

// DropTable drops a table.
type DropTable struct {
	Schema string
	Table  string
	// IfExists does nothing when the table is missing.
	IfExists bool
	// Cascade also drops objects that depend on it (PostgreSQL).
	Cascade bool
	// Existing is the table's definition, needed only by Reverse.
	Existing *schema.Table
}

// Describe returns "drop table NAME".
func (o DropTable) Describe() string { return "drop table " + Qualified(o.Schema, o.Table) }

// Reverse creates the table from Existing.
func (o DropTable) Reverse() (Operation, error) {
	if o.Existing == nil {
		return nil, irreversible(o, "set DropTable.Existing to the table's definition")
	}
	return CreateTable{Table: *o.Existing, IfNotExists: o.IfExists}, nil
}

// RenameTable renames a table within its schema.
type RenameTable struct {
	Schema  string
	Table   string
	NewName string
}

// Describe returns "rename table OLD to NEW".
func (o RenameTable) Describe() string {
	return "rename table " + Qualified(o.Schema, o.Table) + " to " + o.NewName
}

// Reverse renames it back.
func (o RenameTable) Reverse() (Operation, error) {
	return RenameTable{Schema: o.Schema, Table: o.NewName, NewName: o.Table}, nil
}

// SetTableComment sets or removes (Comment "") a table's comment.
type SetTableComment struct {
	Schema  string
	Table   string
	Comment string
	// Existing is the comment before, needed by Reverse ("" = none).
	Existing string
}

// Describe returns "set comment on table NAME".
func (o SetTableComment) Describe() string {
	return "set comment on table " + Qualified(o.Schema, o.Table)
}

// Reverse sets the previous comment.
func (o SetTableComment) Reverse() (Operation, error) {
	return SetTableComment{Schema: o.Schema, Table: o.Table, Comment: o.Existing, Existing: o.Comment}, nil
}
