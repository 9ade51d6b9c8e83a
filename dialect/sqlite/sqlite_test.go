package sqlite_test

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/fault"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

// openDSN opens dsn and closes it on cleanup.
func openDSN(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.PingContext(t.Context()); err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	return db
}

// The suite on a file with the DSN retort uses (no _txlock: the runner
// may be handed a plain pool), in rollback-journal and WAL mode, on a
// file with no busy_timeout at all, and on an in-memory database shared
// between connections (the memdb VFS, which has real locking).
func TestConformance(t *testing.T) {
	cases := []struct {
		name   string
		params string
		memory bool
	}{
		{name: "file", params: "_pragma=busy_timeout(10000)"},
		{name: "file_wal", params: "_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)"},
		{name: "file_no_busy_timeout"},
		{name: "memory", params: "vfs=memdb&_pragma=busy_timeout(10000)", memory: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dialecttest.Run(t, sqlite.New(), func(t testing.TB) *sql.DB {
				path := filepath.Join(t.TempDir(), "test.db")
				if c.memory {
					path = "/" + rand.Text()
				}
				return openDSN(t, "file:"+path+"?"+c.params)
			})
		})
	}
}

func TestVersionSQL(t *testing.T) {
	dialecttest.Golden(t, sqlite.New(), *update)
}

// TestTxLockImmediate checks the DSN parameters the package doc
// recommends: with _txlock=immediate a transaction holds the write lock
// from BEGIN, and LockTx on it succeeds at once.
func TestTxLockImmediate(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	db := openDSN(t, "file:"+filepath.Join(dir, "t.db")+"?_txlock=immediate&_pragma=busy_timeout(10000)")
	var bt int
	if err := db.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&bt); err != nil || bt != 10000 {
		t.Fatalf("busy_timeout = %d, %v; want 10000", bt, err)
	}
	tbl := dialect.Ident{Name: "alembic_version"}
	tx1, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx1.Rollback()
	if err := sqlite.New().Locker(tbl, 0).LockTx(ctx, tx1); err != nil {
		t.Fatalf("LockTx in an immediate transaction: %v", err)
	}
	// A second BEGIN IMMEDIATE needs the write lock at once; without a
	// busy_timeout it is refused with SQLITE_BUSY.
	other := openDSN(t, "file:"+filepath.Join(dir, "t.db")+"?_txlock=immediate")
	if tx2, err := other.BeginTx(ctx, nil); err == nil {
		_ = tx2.Rollback()
		t.Fatalf("second BEGIN IMMEDIATE succeeded while the first transaction holds the write lock")
	}
}

// TestLockTxRestoresBusyTimeout checks that LockTx leaves the
// connection's own busy_timeout in place, and gives one to a connection
// that had none.
func TestLockTxRestoresBusyTimeout(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := openDSN(t, "file:"+filepath.Join(t.TempDir(), "t.db")+"?_pragma=busy_timeout(1234)")
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := sqlite.New().Locker(dialect.Ident{Name: "v"}, 0).LockTx(ctx, tx); err != nil {
		t.Fatal(err)
	}
	var bt int
	if err := tx.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&bt); err != nil || bt != 1234 {
		t.Fatalf("busy_timeout after LockTx = %d, %v; want 1234", bt, err)
	}
	_ = tx.Rollback()

	bare := openDSN(t, "file:"+filepath.Join(t.TempDir(), "bare.db"))
	bare.SetMaxOpenConns(1)
	tx, err = bare.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := sqlite.New().Locker(dialect.Ident{Name: "v"}, 2*time.Second).LockTx(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&bt); err != nil || bt != 2000 {
		t.Fatalf("busy_timeout after LockTx on a bare connection = %d, %v; want 2000", bt, err)
	}
}

// TestLockTxKeepsUserVersion checks that the lock probe leaves
// user_version, which applications use, untouched.
func TestLockTxKeepsUserVersion(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := openDSN(t, "file:"+filepath.Join(t.TempDir(), "t.db"))
	if _, err := db.ExecContext(ctx, "PRAGMA user_version = 42"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlite.New().Locker(dialect.Ident{Schema: "main", Name: "v"}, 0).LockTx(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var uv int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&uv); err != nil || uv != 42 {
		t.Fatalf("user_version = %d, %v; want 42", uv, err)
	}
}

// TestAttachedSchema runs the version table in the main database named
// explicitly and in an attached database.
func TestAttachedSchema(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	db := openDSN(t, "file:"+filepath.Join(dir, "t.db"))
	db.SetMaxOpenConns(1) // ATTACH is per connection
	d := sqlite.New()
	if _, err := db.ExecContext(ctx, "ATTACH DATABASE "+d.QuoteLiteral(filepath.Join(dir, "aux.db"))+" AS "+d.QuoteIdent(`au"x`)); err != nil {
		t.Fatal(err)
	}
	for _, schema := range []string{"main", `au"x`} {
		tbl := dialect.Ident{Schema: schema, Name: "alembic_version"}
		vs := d.VersionStore(tbl)
		for _, q := range []string{vs.CreateTable(), vs.Insert("a"), vs.Update("a", "b")} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		heads, err := vs.Heads(ctx, db)
		if err != nil || len(heads) != 1 || heads[0] != "b" {
			t.Fatalf("%s: Heads = %q, %v", schema, heads, err)
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Locker(tbl, 0).LockTx(ctx, tx); err != nil {
			t.Fatalf("%s: LockTx: %v", schema, err)
		}
		_ = tx.Rollback()
	}
	// Only main has been touched under the unqualified name, and the
	// unqualified name finds a table in any attached database.
	ok, err := d.VersionStore(dialect.Ident{Name: "alembic_version"}).Exists(ctx, db)
	if err != nil || !ok {
		t.Fatalf("unqualified Exists = %v, %v", ok, err)
	}
	if _, err := d.VersionStore(dialect.Ident{Schema: "nosuch", Name: "v"}).Exists(ctx, db); err != nil {
		t.Fatalf("Exists in an unknown database: %v", err)
	}
}

func TestSetSchema(t *testing.T) {
	t.Parallel()
	_, err := sqlite.New().SetSchema("app")
	if !errors.Is(err, sqlite.ErrNoSchemas) || !errors.Is(err, fault.ErrBadInput) {
		t.Fatalf("SetSchema = %v, want ErrNoSchemas and ErrBadInput", err)
	}
}

func TestQuote(t *testing.T) {
	t.Parallel()
	d := sqlite.New()
	for _, c := range []struct{ name, in, ident, lit string }{
		{"plain", "a", `"a"`, `'a'`},
		{"quotes", `we"i'rd`, `"we""i'rd"`, `'we"i''rd'`},
		{"backslash", `a\b`, `"a\b"`, `'a\b'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := d.QuoteIdent(c.in); got != c.ident {
				t.Errorf("QuoteIdent(%q) = %s, want %s", c.in, got, c.ident)
			}
			if got := d.QuoteLiteral(c.in); got != c.lit {
				t.Errorf("QuoteLiteral(%q) = %s, want %s", c.in, got, c.lit)
			}
		})
	}
}
