package postgres_test

import (
	"crypto/md5"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"flag"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/dialect/postgres"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

// freshURL creates an empty database on the server named by
// RETORT_TEST_POSTGRES_URL, drops it on cleanup, and returns its URL.
// It stands in for internal/dbtest until that exists.
func freshURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("RETORT_TEST_POSTGRES_URL")
	if admin == "" {
		t.Skip("set RETORT_TEST_POSTGRES_URL (or run ./scripts/test.sh) to run PostgreSQL tests")
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("RETORT_TEST_POSTGRES_URL: %v", err)
	}
	adb, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer adb.Close()
	name := "retort_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := adb.ExecContext(t.Context(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		adb, err := sql.Open("pgx", admin)
		if err != nil {
			t.Error(err)
			return
		}
		defer adb.Close()
		if _, err := adb.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	q := u.Query()
	q.Set("application_name", "retort-test")
	u.RawQuery = q.Encode()
	return u.String()
}

// openDB opens a fresh database through pgx's database/sql driver.
func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", freshURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// openPool opens a fresh database through a pgxpool wrapped by
// stdlib.OpenDBFromPool.
func openPool(t testing.TB) *sql.DB {
	t.Helper()
	pool, err := pgxpool.New(t.Context(), freshURL(t))
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDBFromPool(pool)
	t.Cleanup(func() {
		_ = db.Close()
		pool.Close()
	})
	return db
}

func TestConformance(t *testing.T) {
	t.Run("sql", func(t *testing.T) {
		t.Parallel()
		dialecttest.Run(t, postgres.New(), openDB)
	})
	t.Run("pgxpool", func(t *testing.T) {
		t.Parallel()
		dialecttest.Run(t, postgres.New(), openPool)
	})
}

func TestVersionSQL(t *testing.T) {
	dialecttest.Golden(t, postgres.New(), *update)
}

func TestQuote(t *testing.T) {
	t.Parallel()
	d := postgres.New()
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

func TestSetSchema(t *testing.T) {
	t.Parallel()
	got, err := postgres.New().SetSchema(`my "app"`)
	if err != nil || len(got) != 1 || got[0] != `SET search_path TO "my ""app"""` {
		t.Fatalf("SetSchema = %q, %v", got, err)
	}
	if _, err := postgres.New().SetSchema(""); err == nil {
		t.Fatal("SetSchema(\"\") succeeded")
	}
}

// TestSetSchemaOnServer checks that the statement works and that an
// unqualified version table then lives in that schema.
func TestSetSchemaOnServer(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := openDB(t)
	db.SetMaxOpenConns(1) // search_path is per session
	d := postgres.New()
	exec(t, db, `CREATE SCHEMA "App Schema"`)
	stmts, err := d.SetSchema("App Schema")
	if err != nil {
		t.Fatal(err)
	}
	exec(t, db, stmts[0])
	exec(t, db, d.VersionStore(dialect.Ident{Name: "alembic_version"}).CreateTable())
	ok, err := d.VersionStore(dialect.Ident{Schema: "App Schema", Name: "alembic_version"}).Exists(ctx, db)
	if err != nil || !ok {
		t.Fatalf("Exists in App Schema = %v, %v", ok, err)
	}
}

func exec(t testing.TB, q dialect.Querier, query string, args ...any) {
	t.Helper()
	if _, err := q.ExecContext(t.Context(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func TestMissingSchema(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	vs := postgres.New().VersionStore(dialect.Ident{Schema: "nosuch", Name: "alembic_version"})
	if _, err := vs.Exists(t.Context(), db); err == nil || !strings.Contains(err.Error(), "CREATE SCHEMA") {
		t.Fatalf("Exists with a missing schema = %v, want an error saying to create it", err)
	}
	if _, err := vs.Heads(t.Context(), db); err == nil {
		t.Fatal("Heads with a missing schema succeeded")
	}
}

// lockKey is the documented key: md5("retort:schema.table")[:8] as a
// big-endian int64.
func lockKey(schema, table string) int64 {
	sum := md5.Sum([]byte("retort:" + schema + "." + table))
	return int64(binary.BigEndian.Uint64(sum[:8]))
}

// TestLockKey checks the documented key, and that an unqualified table
// takes the lock of the schema it resolves to.
func TestLockKey(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := openDB(t)
	d := postgres.New()
	tx := begin(t, db)
	if err := d.Locker(dialect.Ident{Name: "alembic_version"}, 0).LockTx(ctx, tx); err != nil {
		t.Fatal(err)
	}
	want := lockKey("public", "alembic_version")
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
		AND classid::bigint = ($1::bigint >> 32) & 4294967295 AND objid::bigint = $1::bigint & 4294967295 AND objsubid = 1`, want).Scan(&n)
	if err != nil || n != 1 {
		t.Fatalf("advisory lock with key %d held: %d, %v", want, n, err)
	}

	// "public"."alembic_version" is the same table, so the same lock.
	tx2 := begin(t, db)
	_, ok := errors.AsType[*dialect.LockTimeoutError](d.Locker(dialect.Ident{Schema: "public", Name: "alembic_version"}, 10*time.Millisecond).LockTx(ctx, tx2))
	if !ok {
		t.Fatal("qualified and unqualified names of one table took different locks")
	}
	// Another table is another lock.
	tx3 := begin(t, db)
	if err := d.Locker(dialect.Ident{Schema: "public", Name: "other_version"}, 10*time.Millisecond).LockTx(ctx, tx3); err != nil {
		t.Fatalf("LockTx on another table: %v", err)
	}
}

func begin(t testing.TB, db *sql.DB) *sql.Tx {
	t.Helper()
	tx, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	return tx
}

// TestLockTimeoutHolder checks that the timeout names the holder and
// that a granted wait leaves lock_timeout as it was.
func TestLockTimeoutHolder(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := openDB(t)
	d := postgres.New()
	tbl := dialect.Ident{Name: "alembic_version"}
	tx1 := begin(t, db)
	if err := d.Locker(tbl, 0).LockTx(ctx, tx1); err != nil {
		t.Fatal(err)
	}
	var pid int
	if err := tx1.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	tx2 := begin(t, db)
	err := d.Locker(tbl, 10*time.Millisecond).LockTx(ctx, tx2)
	lte, ok := errors.AsType[*dialect.LockTimeoutError](err)
	if !ok {
		t.Fatalf("LockTx = %v, want *dialect.LockTimeoutError", err)
	}
	for _, want := range []string{"pid " + strconv.Itoa(pid), `application "retort-test"`} {
		if !strings.Contains(lte.Holder, want) {
			t.Errorf("Holder = %q, want it to contain %q", lte.Holder, want)
		}
	}
	t.Log(lte)
	if !strings.Contains(lte.Error(), lte.Holder) {
		t.Errorf("Error() = %q does not name the holder", lte.Error())
	}

	// A wait that is granted restores the transaction's lock_timeout.
	tx3 := begin(t, db)
	exec(t, tx3, "SET LOCAL lock_timeout = '42s'")
	done := make(chan error, 1)
	go func() { done <- d.Locker(tbl, time.Hour).LockTx(ctx, tx3) }()
	waitForWaiter(t, db)
	if err := tx1.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("LockTx after the holder committed: %v", err)
	}
	var lt string
	if err := tx3.QueryRowContext(ctx, "SHOW lock_timeout").Scan(&lt); err != nil || lt != "42s" {
		t.Fatalf("lock_timeout after LockTx = %q, %v; want 42s", lt, err)
	}
}

// TestLockSessionRestoresTimeout checks that a session lock, granted or
// refused, leaves the session's lock_timeout as it was.
func TestLockSessionRestoresTimeout(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := openDB(t)
	d := postgres.New()
	tbl := dialect.Ident{Name: "alembic_version"}
	c1, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	unlock, err := d.Locker(tbl, 0).LockSession(ctx, c1)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, c2, "SET lock_timeout = '42s'")
	if _, err := d.Locker(tbl, 10*time.Millisecond).LockSession(ctx, c2); err == nil {
		t.Fatal("second session lock granted")
	}
	var lt string
	if err := c2.QueryRowContext(ctx, "SHOW lock_timeout").Scan(&lt); err != nil || lt != "42s" {
		t.Fatalf("lock_timeout after a refused LockSession = %q, %v; want 42s", lt, err)
	}
	if err := unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := unlock(ctx); err == nil {
		t.Fatal("second unlock of a released lock succeeded")
	}
}

// waitForWaiter polls until some session waits for an advisory lock, so
// that the test goes on only once the wait has begun. It asserts
// nothing about time.
func waitForWaiter(t testing.TB, db *sql.DB) {
	t.Helper()
	for {
		var n int
		err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}
