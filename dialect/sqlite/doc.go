// Package sqlite owns SQLite's SQL for retort: quoting, the version table
// and locking through SQLite's own write lock. It does not run
// migrations; the runner does, through the [dialect.Dialect] that [New]
// returns.
//
// # Driver
//
// The package imports modernc.org/sqlite (pure Go, no cgo), which
// registers the "sqlite" database/sql driver. Busy errors are recognised
// by SQLite result code (SQLITE_BUSY) through *sqlite.Error.
//
// When retort opens a database itself it should use a DSN such as
//
//	file:app.db?_txlock=immediate&_pragma=busy_timeout(5000)
//
// Both parameters are implemented by modernc.org/sqlite: _txlock makes
// every BeginTx issue BEGIN IMMEDIATE (the write lock is taken when the
// transaction starts), and _pragma=busy_timeout(ms) (or _busy_timeout=ms)
// makes a connection wait that long for a lock before SQLITE_BUSY.
// [Dialect.Locker] does not depend on either: it takes the write lock
// itself and sets busy_timeout for the wait.
//
// # Transactions
//
// SQLite's DDL is transactional: CREATE, ALTER and DROP roll back with
// the transaction. Alembic reports transactional_ddl = False for SQLite
// only because Python's sqlite3 module used to commit implicitly before
// DDL; database/sql has no such behaviour, so [Dialect.Caps] reports
// TransactionalDDL and offline scripts are wrapped in BEGIN/COMMIT
// (Alembic emits none for SQLite), so that a script run with sqlite3
// applies all or nothing, like an online run.
//
// # Locks
//
// SQLite has no advisory locks; the lock is the database's write lock
// (RESERVED). See [Dialect.Locker]. There is no lock that outlives a
// transaction, so LockSession is a no-op.
//
// # Schemas
//
// SQLite has no schemas. The Schema of a version table's [dialect.Ident]
// names an attached database ("main", "temp" or an ATTACH name) and is
// optional; [Dialect.SetSchema] fails.
package sqlite
