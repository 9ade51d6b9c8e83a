// Package runner owns running a plan against a database: the
// transaction policy, the version table's rows, locks that make many
// concurrent runs apply each migration once, hooks, and offline SQL
// scripts. It does not load revisions or choose targets; the revision
// package plans, and a [Body] per revision says what to execute.
//
// The policy follows Alembic's: where the dialect has transactional DDL
// the whole run is one transaction (or one per revision with
// PerMigration); a revision marked no-transaction commits the run's
// transaction, runs on its own under a session lock, and the run goes on
// in a new transaction. Every transaction the runner opens takes the
// dialect's transaction-scoped lock first and re-reads the version table
// under it, so concurrent runs serialise and a run that finds the work
// done does nothing. On a caller's *sql.Tx everything runs in that
// transaction and nothing is committed or rolled back.
package runner
