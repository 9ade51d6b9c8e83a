package retort_test

import (
	"database/sql"
	"fmt"
	"os"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
)

// TestPgBouncerConcurrentUpgrade is TestConcurrentUpgrade through a
// PgBouncer in transaction pooling mode (./scripts/test.sh starts one with
// four server connections per database): sixteen processes run "retort
// upgrade head" at once, their sessions sharing the server connections
// from one transaction to the next. Retort's transaction-level advisory
// lock, taken in every transaction and followed by a fresh read of the
// version table, still lets each migration run exactly once, with the
// whole run in one transaction and with a transaction per migration.
//
// Revision r05 runs outside a transaction (CREATE INDEX CONCURRENTLY): it
// is guarded by a lease row written under the transaction-level lock, not
// by a session-level advisory lock, which a transaction pooler does not
// keep with the client (TestPgBouncerSessionLock).
func TestPgBouncerConcurrentUpgrade(t *testing.T) {
	if os.Getenv("RETORT_CHILD_CONFIG") != "" {
		t.Skip("child")
	}
	for _, perMigration := range []bool{false, true} {
		t.Run(fmt.Sprintf("per_migration=%v", perMigration), func(t *testing.T) {
			upgradeAtOnce(t, dbtest.PgBouncer(t), "CREATE INDEX CONCURRENTLY t04_note ON t04 (note);", perMigration)
		})
	}
}

// TestPgBouncerSessionLock shows why retort's locks live in transactions:
// through a transaction pooler a session-level advisory lock belongs to
// whichever server connection ran the statement, not to the client that
// asked for it. Every step is sequential and the database is fresh, so
// PgBouncer's choices are fixed: it opens a server connection only when
// none is idle.
func TestPgBouncerSessionLock(t *testing.T) {
	db := dbtest.Open(t, dbtest.PgBouncer(t))
	ctx := t.Context()
	conn := func() *sql.Conn {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	a, b, c := conn(), conn(), conn()
	const key = 4242

	// A takes the session lock; its statement's transaction ends and the
	// server connection goes back to the pool, still holding the lock.
	var pidA int
	if err := a.QueryRowContext(ctx, "SELECT pg_backend_pid() FROM (SELECT pg_advisory_lock($1)) AS l", key).Scan(&pidA); err != nil {
		t.Fatal(err)
	}
	// B, another client, is handed that server connection and "takes" the
	// same lock at once: the lock excludes no one.
	var gotB bool
	var pidB int
	if err := b.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1), pg_backend_pid()", key).Scan(&gotB, &pidB); err != nil {
		t.Fatal(err)
	}
	if pidB != pidA || !gotB {
		t.Fatalf("client B on server pid %d (A's lock is on pid %d): pg_try_advisory_lock = %v, want B on A's server connection and true", pidB, pidA, gotB)
	}
	// C opens a transaction, which pins that server connection; A's own
	// unlock then runs on another one and finds no lock to release.
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	var pidC int
	if err := tx.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pidC); err != nil {
		t.Fatal(err)
	}
	var unlocked bool
	var pidUnlock int
	if err := a.QueryRowContext(ctx, "SELECT pg_advisory_unlock($1), pg_backend_pid()", key).Scan(&unlocked, &pidUnlock); err != nil {
		t.Fatal(err)
	}
	if pidC != pidA || pidUnlock == pidA || unlocked {
		t.Fatalf("C's transaction on pid %d, A's unlock on pid %d (lock on pid %d) = %v; want C on the lock's connection and A's unlock elsewhere, false", pidC, pidUnlock, pidA, unlocked)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}

	// A transaction-level lock holds: A's transaction keeps its server
	// connection until it ends, so B's transaction runs on another one and
	// is refused until A commits.
	const xkey = 4343
	txA, err := a.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer txA.Rollback() //nolint:errcheck // read-only
	if _, err := txA.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", xkey); err != nil {
		t.Fatal(err)
	}
	tryB := func() bool {
		txB, err := b.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer txB.Rollback() //nolint:errcheck // read-only
		var got bool
		if err := txB.QueryRowContext(ctx, "SELECT pg_try_advisory_xact_lock($1)", xkey).Scan(&got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if tryB() {
		t.Fatal("B took the transaction-level lock while A's transaction held it")
	}
	if err := txA.Commit(); err != nil {
		t.Fatal(err)
	}
	if !tryB() {
		t.Fatal("B could not take the transaction-level lock after A's commit")
	}
}
