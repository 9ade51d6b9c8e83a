package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/retortdb/retort/dialect"
)

// locker is SQLite's write lock on the database holding the version
// table.
//
// A transaction begun with a plain (deferred) BEGIN takes no lock until
// it first reads or writes. LockTx makes its first access a write, so
// the transaction holds the RESERVED lock from then on and a second run
// waits (busy_timeout) at that same point instead of reading the version
// table alongside the first and failing with SQLITE_BUSY when both try to
// write: SQLite does not wait on a lock upgrade from a read transaction,
// as that could deadlock.
//
// The write is PRAGMA user_version = 0 inside a savepoint that is rolled
// back at once: it needs no table, changes nothing, and ROLLBACK TO keeps
// the lock (it does not end the transaction). CREATE TABLE IF NOT EXISTS
// on an existing table does not serve: it only reads.
type locker struct {
	d       Dialect
	t       dialect.Ident
	timeout time.Duration
}

// LockTx takes the write lock for tx, waiting up to the locker's timeout
// (zero: until ctx ends). It must be the first statement of tx: a
// transaction that has already read cannot wait for the write lock, and
// fails at once with a [dialect.LockTimeoutError] when another
// connection holds it.
//
// The wait uses the connection's busy_timeout, set for the call and then
// restored; a connection that had none (0) keeps the lock's, so that the
// transaction's COMMIT, which in rollback-journal mode must wait for
// readers to finish, does not fail at once with SQLITE_BUSY.
func (l locker) LockTx(ctx context.Context, tx dialect.Querier) (err error) {
	var prev int64
	if err := tx.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&prev); err != nil {
		return fmt.Errorf("lock version table %s: read busy_timeout: %w", l.t, err)
	}
	wait := int64(math.MaxInt32)
	if l.timeout > 0 {
		wait = min(max(l.timeout.Milliseconds(), 1), math.MaxInt32)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", wait)); err != nil {
		return fmt.Errorf("lock version table %s: set busy_timeout: %w", l.t, err)
	}
	cleanup := context.WithoutCancel(ctx)
	if prev > 0 {
		// A connection with no busy_timeout keeps the lock's, so that
		// its COMMIT waits out a reader instead of failing at once.
		defer func() {
			_, rerr := tx.ExecContext(cleanup, fmt.Sprintf("PRAGMA busy_timeout = %d", prev))
			if err == nil && rerr != nil {
				err = fmt.Errorf("lock version table %s: restore busy_timeout: %w", l.t, rerr)
			}
		}()
	}

	if _, err := tx.ExecContext(ctx, "SAVEPOINT retort_lock"); err != nil {
		return fmt.Errorf("lock version table %s: %w", l.t, err)
	}
	pragma := "PRAGMA user_version = 0"
	if l.t.Schema != "" {
		pragma = "PRAGMA " + l.d.QuoteIdent(l.t.Schema) + ".user_version = 0"
	}
	_, werr := tx.ExecContext(ctx, pragma)
	_, rerr := tx.ExecContext(cleanup, "ROLLBACK TO retort_lock")
	if rerr == nil {
		_, rerr = tx.ExecContext(cleanup, "RELEASE retort_lock")
	}
	switch {
	case isBusy(werr):
		return &dialect.LockTimeoutError{Table: l.t, Timeout: l.timeout, Err: werr}
	case werr != nil:
		return fmt.Errorf("lock version table %s: %w", l.t, werr)
	case rerr != nil:
		return fmt.Errorf("lock version table %s: undo lock probe: %w", l.t, rerr)
	}
	return nil
}

// LockSession takes no lock: SQLite has no lock that outlives a
// transaction without blocking that connection's own writes. Revisions
// that run outside a transaction on SQLite are therefore not serialised
// against other runs; unlock does nothing.
func (l locker) LockSession(context.Context, *sql.Conn) (func(context.Context) error, error) {
	return func(context.Context) error { return nil }, nil
}

// SessionLockIsNoop reports that LockSession takes no lock, for
// dialecttest.
func (l locker) SessionLockIsNoop() bool { return true }

// isBusy reports whether err is SQLITE_BUSY or one of its extended codes.
func isBusy(err error) bool {
	e, ok := errors.AsType[*sqlite.Error](err)
	return ok && e.Code()&0xff == sqlite3.SQLITE_BUSY
}

// Busy reports whether err is SQLITE_BUSY: another connection writes
// the file (dialect.BusyReporter).
func (Dialect) Busy(err error) bool { return isBusy(err) }
