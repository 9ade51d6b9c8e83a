// Package postgres owns PostgreSQL's SQL for retort: quoting, the version
// table and advisory locks. It does not run migrations; the runner does,
// through the [dialect.Dialect] that [New] returns.
//
// # Driver
//
// The package imports github.com/jackc/pgx/v5/stdlib, so the "pgx"
// database/sql driver is registered by importing it. Any *sql.DB backed by
// pgx works: sql.Open("pgx", url), stdlib.OpenDB or stdlib.OpenDBFromPool
// for a pgxpool. Lock timeouts are recognised by SQLSTATE (55P03,
// lock_not_available) through *pgconn.PgError, so another driver's errors
// are passed through unchanged rather than mapped to
// [dialect.LockTimeoutError].
//
// # Literals
//
// [Dialect.QuoteLiteral] doubles single quotes and nothing else. That is
// correct when standard_conforming_strings is on, PostgreSQL's default
// since 9.1; retort assumes it and never emits E” strings. Revision ids
// are [A-Za-z0-9_] in any case.
//
// # Locks
//
// Runs on one version table are serialised with an advisory lock whose
// key is derived from "retort:" + schema + "." + table, with the schema
// resolved on the server (current_schema()) when the version table is
// unqualified, so two runs that reach the same table through search_path
// take the same lock. The key is the first 8 bytes of the MD5 digest of
// that string read as a big-endian signed bigint, computed in SQL, so an
// operator can find the holder by hand:
//
//	SELECT ('x' || left(md5('retort:public.alembic_version'), 16))::bit(64)::bigint;
//
// Transaction locks (pg_advisory_xact_lock) and session locks
// (pg_advisory_lock) use the same key and so exclude each other.
package postgres
