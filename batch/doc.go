// Package batch owns Alembic's batch mode: a list of changes to one
// table ([Alter]) applied as plain ALTER statements where the engine can
// make them, and on SQLite, whose ALTER TABLE cannot change a column's
// type or nullability or add or drop a constraint, by "move and copy":
// the table is reflected (or given, [Alter.CopyFrom]), the changes are
// applied to that [schema.Table], and a new table of the new shape
// replaces the old one with every row, index and trigger. It does not
// own the table's reflection (the SQLite dialect's InspectTable does)
// nor run migrations (retort's Op.BatchAlterTable calls [Alter.Run]).
package batch
