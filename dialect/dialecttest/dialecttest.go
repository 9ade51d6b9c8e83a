package dialecttest

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
)

// SessionLockNoop is implemented by a [dialect.Locker] whose LockSession
// takes no lock (SQLite, which has none that outlives a transaction).
// [Run] then checks only that LockSession and its unlock succeed.
type SessionLockNoop interface {
	SessionLockIsNoop() bool
}

// tinyTimeout is the lock timeout of tests that expect the lock to be
// refused. It bounds how long they wait; nothing asserts on elapsed time.
const tinyTimeout = 20 * time.Millisecond

// Run runs the conformance suite for d. open returns a fresh, empty
// database for each subtest (a new database on a server, a new file);
// the suite opens several connections to it at once.
func Run(t *testing.T, d dialect.Dialect, open func(t testing.TB) *sql.DB) {
	tests := []struct {
		name string
		run  func(t *testing.T, d dialect.Dialect, db *sql.DB)
	}{
		{"VersionTable", testVersionTable},
		{"OddNames", testOddNames},
		{"LockTxExclusion", testLockTxExclusion},
		{"LockTxTimeout", testLockTxTimeout},
		{"LockTxCancel", testLockTxCancel},
		{"LockSession", testLockSession},
		{"LockSessionCancel", testLockSessionCancel},
		{"TransactionalDDL", testTransactionalDDL},
		{"History", testHistory},
		{"Lease", testLease},
		{"Registry", testRegistry},
		{"Caps", testCaps},
		{"Scratch", testScratch},
		{"ViewNormalizer", testViewNormalizer},
		{"MemoryOpener", testMemory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, d, open(t))
		})
	}
}

// exec runs one statement on q, failing the test on error.
func exec(t testing.TB, q dialect.Querier, query string) {
	t.Helper()
	if _, err := q.ExecContext(t.Context(), query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// wantHeads checks the stored heads as a set.
func wantHeads(t testing.TB, vs dialect.VersionStore, q dialect.Querier, want ...string) {
	t.Helper()
	got, err := vs.Heads(t.Context(), q)
	if err != nil {
		t.Fatalf("Heads: %v", err)
	}
	got = slices.Clone(got)
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("Heads = %q, want %q", got, want)
	}
}

// wantExists checks Exists.
func wantExists(t testing.TB, vs dialect.VersionStore, q dialect.Querier, want bool) {
	t.Helper()
	got, err := vs.Exists(t.Context(), q)
	if err != nil {
		t.Fatalf("Exists: %v", err)
	}
	if got != want {
		t.Fatalf("Exists = %v, want %v", got, want)
	}
}

// roundTrip creates the version table t and walks it through every
// statement the runner uses.
func roundTrip(t testing.TB, d dialect.Dialect, db *sql.DB, tbl dialect.Ident) {
	t.Helper()
	vs := d.VersionStore(tbl)
	wantExists(t, vs, db, false)
	wantHeads(t, vs, db)
	exec(t, db, vs.CreateTable())
	exec(t, db, vs.CreateTable()) // IF NOT EXISTS
	wantExists(t, vs, db, true)
	wantHeads(t, vs, db)
	exec(t, db, vs.Insert("aaaa1111"))
	exec(t, db, vs.Insert("bbbb2222"))
	wantHeads(t, vs, db, "aaaa1111", "bbbb2222")
	if _, err := db.ExecContext(t.Context(), vs.Insert("aaaa1111")); err == nil {
		t.Fatalf("inserting a duplicate head succeeded: version_num is not the primary key")
	}
	exec(t, db, vs.Update("aaaa1111", "cccc3333"))
	wantHeads(t, vs, db, "bbbb2222", "cccc3333")
	exec(t, db, vs.Delete("bbbb2222"))
	wantHeads(t, vs, db, "cccc3333")
	exec(t, db, vs.Insert("it's_odd"))
	wantHeads(t, vs, db, "cccc3333", "it's_odd")
	exec(t, db, vs.DeleteAll())
	wantHeads(t, vs, db)
	wantExists(t, vs, db, true)
	exec(t, db, vs.DropTable())
	wantExists(t, vs, db, false)
	wantHeads(t, vs, db)
}

func testVersionTable(t *testing.T, d dialect.Dialect, db *sql.DB) {
	roundTrip(t, d, db, dialect.Ident{Name: "alembic_version"})
}

func testOddNames(t *testing.T, d dialect.Dialect, db *sql.DB) {
	names := []string{`we"ird`, "with space", "select", "MixedCase", "alembic_version"}
	for _, name := range names {
		roundTrip(t, d, db, dialect.Ident{Name: name})
	}
	if !d.Caps().Schemas {
		return
	}
	for _, schema := range []string{`we"ird schema`, "order", "Upper"} {
		exec(t, db, "CREATE SCHEMA "+d.QuoteIdent(schema))
		// On MySQL a schema is a database of the server, outside the
		// test's own: drop it when done.
		t.Cleanup(func() {
			_, _ = db.ExecContext(context.WithoutCancel(t.Context()), "DROP SCHEMA "+d.QuoteIdent(schema)+dropSchemaCascade(d))
		})
		for _, name := range names {
			roundTrip(t, d, db, dialect.Ident{Schema: schema, Name: name})
		}
	}
	// A table in a schema is not the unqualified table.
	vs := d.VersionStore(dialect.Ident{Schema: "order", Name: "alembic_version"})
	exec(t, db, vs.CreateTable())
	wantExists(t, d.VersionStore(dialect.Ident{Name: "alembic_version"}), db, false)
}

// dropSchemaCascade is " CASCADE" where DROP SCHEMA takes it.
func dropSchemaCascade(d dialect.Dialect) string {
	if d.Caps().SessionLock {
		return "" // MySQL: a schema is a database, dropped with its tables
	}
	return " CASCADE"
}

// skipNoTxLock skips tests of LockTx on a dialect whose run lock is a
// session lock (Caps.SessionLock): it has no transaction-scoped lock.
func skipNoTxLock(t *testing.T, d dialect.Dialect) {
	t.Helper()
	if d.Caps().SessionLock {
		t.Skipf("%s serialises runs with a session lock only (Caps.SessionLock)", d.Name())
	}
}

// begin opens a transaction on its own connection and rolls it back on
// cleanup if the test has not ended it.
func begin(t testing.TB, db *sql.DB) *sql.Tx {
	t.Helper()
	tx, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	return tx
}

// wantTimeout checks that err is a *dialect.LockTimeoutError for tbl.
func wantTimeout(t testing.TB, err error, tbl dialect.Ident) {
	t.Helper()
	lte, ok := errors.AsType[*dialect.LockTimeoutError](err)
	if !ok {
		t.Fatalf("lock error = %v (%T), want *dialect.LockTimeoutError", err, err)
	}
	if lte.Table != tbl || lte.Timeout != tinyTimeout {
		t.Fatalf("LockTimeoutError{Table: %v, Timeout: %v}, want %v, %v", lte.Table, lte.Timeout, tbl, tinyTimeout)
	}
}

// testLockTxExclusion holds the lock in one transaction and shows that a
// second waits until the first commits: once granted, it sees the row
// the first committed.
func testLockTxExclusion(t *testing.T, d dialect.Dialect, db *sql.DB) {
	skipNoTxLock(t, d)
	ctx := t.Context()
	tbl := dialect.Ident{Name: "alembic_version"}
	vs := d.VersionStore(tbl)
	exec(t, db, vs.CreateTable())
	lk := d.Locker(tbl, 0)

	tx1 := begin(t, db)
	if err := lk.LockTx(ctx, tx1); err != nil {
		t.Fatalf("first LockTx: %v", err)
	}
	exec(t, tx1, vs.Insert("aaaa1111"))

	type result struct {
		heads []string
		err   error
	}
	waiting := make(chan struct{})
	done := make(chan result, 1)
	tx2 := begin(t, db)
	go func() {
		close(waiting)
		if err := lk.LockTx(ctx, tx2); err != nil {
			done <- result{err: err}
			return
		}
		heads, err := vs.Heads(ctx, tx2)
		done <- result{heads, err}
	}()
	<-waiting

	// While tx1 holds it, the lock is refused to a third transaction.
	tx3 := begin(t, db)
	wantTimeout(t, d.Locker(tbl, tinyTimeout).LockTx(ctx, tx3), tbl)
	_ = tx3.Rollback()

	select {
	case r := <-done:
		t.Fatalf("second LockTx returned before the first transaction ended: %+v", r)
	default:
	}
	if err := tx1.Commit(); err != nil {
		t.Fatalf("commit: %v", err)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("second LockTx: %v", r.err)
	}
	if !slices.Equal(r.heads, []string{"aaaa1111"}) {
		t.Fatalf("second transaction read heads %q, want the first's committed [aaaa1111]", r.heads)
	}
}

func testLockTxTimeout(t *testing.T, d dialect.Dialect, db *sql.DB) {
	skipNoTxLock(t, d)
	ctx := t.Context()
	tbl := dialect.Ident{Name: "alembic_version"}
	tx1 := begin(t, db)
	if err := d.Locker(tbl, 0).LockTx(ctx, tx1); err != nil {
		t.Fatalf("first LockTx: %v", err)
	}
	tx2 := begin(t, db)
	wantTimeout(t, d.Locker(tbl, tinyTimeout).LockTx(ctx, tx2), tbl)
	_ = tx2.Rollback()

	if err := tx1.Rollback(); err != nil {
		t.Fatalf("rollback: %v", err)
	}
	tx4 := begin(t, db)
	if err := d.Locker(tbl, tinyTimeout).LockTx(ctx, tx4); err != nil {
		t.Fatalf("LockTx after the holder rolled back: %v", err)
	}
}

// testLockTxCancel shows that a waiting LockTx ends with the context's
// error, not a timeout.
func testLockTxCancel(t *testing.T, d dialect.Dialect, db *sql.DB) {
	skipNoTxLock(t, d)
	tbl := dialect.Ident{Name: "alembic_version"}
	lk := d.Locker(tbl, 0)
	tx1 := begin(t, db)
	if err := lk.LockTx(t.Context(), tx1); err != nil {
		t.Fatalf("first LockTx: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	tx2 := begin(t, db)
	waiting := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		close(waiting)
		done <- lk.LockTx(ctx, tx2)
	}()
	<-waiting
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled LockTx = %v, want context.Canceled", err)
	}
	if _, ok := errors.AsType[*dialect.LockTimeoutError](err); ok {
		t.Fatalf("cancelled LockTx reported a lock timeout: %v", err)
	}
}

func testLockSession(t *testing.T, d dialect.Dialect, db *sql.DB) {
	ctx := t.Context()
	tbl := dialect.Ident{Name: "alembic_version"}
	conn := func() *sql.Conn {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatalf("conn: %v", err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	c1, c2 := conn(), conn()
	lk := d.Locker(tbl, 0)
	unlock1, err := lk.LockSession(ctx, c1)
	if err != nil {
		t.Fatalf("LockSession: %v", err)
	}
	if n, ok := lk.(SessionLockNoop); ok && n.SessionLockIsNoop() {
		if err := unlock1(context.WithoutCancel(ctx)); err != nil {
			t.Fatalf("unlock: %v", err)
		}
		return
	}
	short := d.Locker(tbl, tinyTimeout)
	if _, err := short.LockSession(ctx, c2); err == nil {
		t.Fatalf("second LockSession granted while the first holds the lock")
	} else {
		wantTimeout(t, err, tbl)
	}
	if !d.Caps().SessionLock {
		tx := begin(t, db)
		wantTimeout(t, short.LockTx(ctx, tx), tbl)
		_ = tx.Rollback()
	}

	if err := unlock1(context.WithoutCancel(ctx)); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	unlock2, err := short.LockSession(ctx, c2)
	if err != nil {
		t.Fatalf("LockSession after unlock: %v", err)
	}
	if err := unlock2(context.WithoutCancel(ctx)); err != nil {
		t.Fatalf("second unlock: %v", err)
	}
	if d.Caps().SessionLock {
		if err := lk.LockTx(ctx, begin(t, db)); err == nil {
			t.Fatalf("LockTx succeeded on a dialect that has only a session lock")
		}
		return
	}
	// The lock is free again for a transaction.
	tx := begin(t, db)
	if err := short.LockTx(ctx, tx); err != nil {
		t.Fatalf("LockTx after unlock: %v", err)
	}
}

// testLockSessionCancel shows that a waiting LockSession ends with the
// context's error, not a timeout, on a dialect whose run lock is a
// session lock.
func testLockSessionCancel(t *testing.T, d dialect.Dialect, db *sql.DB) {
	if !d.Caps().SessionLock {
		t.Skipf("%s serialises runs with a lock per transaction", d.Name())
	}
	tbl := dialect.Ident{Name: "alembic_version"}
	lk := d.Locker(tbl, 0)
	c1, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	unlock, err := lk.LockSession(t.Context(), c1)
	if err != nil {
		t.Fatalf("first LockSession: %v", err)
	}
	defer unlock(context.WithoutCancel(t.Context())) //nolint:errcheck // test cleanup
	c2, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	ctx, cancel := context.WithCancel(t.Context())
	waiting := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		close(waiting)
		_, err := lk.LockSession(ctx, c2)
		done <- err
	}()
	<-waiting
	cancel()
	err = <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled LockSession = %v, want context.Canceled", err)
	}
	if _, ok := errors.AsType[*dialect.LockTimeoutError](err); ok {
		t.Fatalf("cancelled LockSession reported a lock timeout: %v", err)
	}
}

func testTransactionalDDL(t *testing.T, d dialect.Dialect, db *sql.DB) {
	if !d.Caps().TransactionalDDL {
		t.Skipf("%s has no transactional DDL", d.Name())
	}
	vs := d.VersionStore(dialect.Ident{Name: "retort_ddl_probe"})
	tx := begin(t, db)
	exec(t, tx, vs.CreateTable())
	wantExists(t, vs, tx, true)
	if err := tx.Rollback(); err != nil {
		t.Fatalf("rollback: %v", err)
	}
	wantExists(t, vs, db, false)
}
