package retort_test

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sync"
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
			url := dbtest.PgBouncer(t)
			revs := chain(8)
			for i := range revs {
				revs[i].up += fmt.Sprintf("\nINSERT INTO applied (rev) VALUES ('%s');", revs[i].id)
			}
			revs[0].up = "CREATE TABLE applied (rev VARCHAR(32));\n" + revs[0].up
			// A no-transaction revision, guarded by a lease row rather
			// than a session lock, which the pooler would not keep.
			revs[4].up = "CREATE INDEX CONCURRENTLY t04_note ON t04 (note);\nINSERT INTO applied (rev) VALUES ('r05');"
			revs[4].down = "DROP INDEX CONCURRENTLY t04_note;"
			revs[4].noTx = true
			extra := ""
			if perMigration {
				extra = "transaction_per_migration = true\n"
			}
			cfg := writeProject(t, t.TempDir(), url, revs, extra)
			var wg sync.WaitGroup
			errs := make([]error, 16)
			outs := make([][]byte, 16)
			for i := range 16 {
				wg.Go(func() {
					cmd := exec.Command(os.Args[0], "-test.run=^TestChildUpgrade$")
					cmd.Env = append(os.Environ(), "RETORT_CHILD_CONFIG="+cfg.File)
					outs[i], errs[i] = cmd.CombinedOutput()
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("process %d: %v\n%s", i, err, outs[i])
				}
			}
			db := dbtest.Open(t, url)
			rows, err := db.QueryContext(t.Context(), "SELECT rev, count(*) FROM applied GROUP BY rev ORDER BY rev")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				var r string
				var c int
				if err := rows.Scan(&r, &c); err != nil {
					t.Fatal(err)
				}
				if c != 1 {
					t.Errorf("revision %s applied %d times", r, c)
				}
				n++
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if n != 8 {
				t.Errorf("%d revisions applied, want 8", n)
			}
			if got := heads(t, open(t, cfg)); !slices.Equal(got, []string{"r08"}) {
				t.Errorf("heads = %v, want [r08]", got)
			}
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
