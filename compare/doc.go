// Package compare owns autogenerate's comparison: it diffs an inspected
// database against a target schema and returns the operations that
// would bring the database to the target, ordered so that they run
// (creates in foreign-key order, drops in reverse), each with the
// Existing state its reverse needs; [Produce] adds the downgrade and
// runs the revision hooks. It does not inspect databases (the dialects'
// inspectors do), render SQL or Go (package render) nor run anything.
//
// What is compared, with Alembic's meaning: tables added and removed,
// columns added and removed, nullability, types (dialect-aware), server
// defaults, indexes, unique constraints and foreign keys; and beyond
// Alembic: check constraints, table and column comments, views, enum
// types (created, dropped, values added), and the named schemas new
// objects need (created when missing, never dropped). Renames are never guessed: a
// renamed table or column shows as a drop and an add. Primary keys,
// identity, sequences, functions and triggers are not compared.
//
// The hooks are Alembic's: [Options.IncludeObject], [Options.IncludeName]
// and [Options.ProcessRevisionDirectives], with the cookbook's recipes as
// ready-made values ([SkipEmpty], [NoDropIndexForDroppedTables],
// [NeverDropTables], [SortColumns], [SkipViews]).
package compare
