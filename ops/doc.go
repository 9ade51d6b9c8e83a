// Package ops owns migration operations as values: create, drop and
// rename a table, add, drop and alter a column, indexes, constraints,
// schemas, sequences, enum types, views, functions, triggers, raw SQL
// and bulk inserts, with Alembic's names (op.add_column is
// [AddColumn]). Each knows how to describe itself and how to produce its
// reverse. It does not render SQL (a dialect's Render does) and does not
// run anything (retort's Op and the runner do).
//
// An operation's reverse needs the state it undoes: a [DropColumn] can
// only be reversed when it carries the dropped column's definition in
// Existing. Reverse returns an error matching [ErrIrreversible] that
// names the operation and the field to fill in when the information is
// missing.
//
// Custom operations implement [Operation] and the dialect package's
// Renderer; the dialects call RenderSQL for any operation they do not
// know.
package ops
