package retortcli_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/retortcli"
)

// writeConfig writes a retort.toml for url (and extra lines) in a new
// folder and returns its path.
func writeConfig(t testing.TB, url string, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "migrations", "versions"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("[retort]\nscript_location = \"migrations\"\nurl = %q\n%s\n", url, strings.Join(extra, "\n"))
	file := filepath.Join(dir, "retort.toml")
	if err := os.WriteFile(file, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// run runs the command and fails the test unless it exits with want.
func run(t testing.TB, want int, args []string, opts ...retort.Option) string {
	t.Helper()
	var stdout, stderr strings.Builder
	if got := retortcli.Run(t.Context(), args, strings.NewReader(""), &stdout, &stderr, opts...); got != want {
		t.Fatalf("retort %s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), got, want, &stdout, &stderr)
	}
	return stdout.String() + stderr.String()
}

// TestOnConnectSQLite sets a per-transaction PRAGMA on connect and
// checks that the migration's transaction sees it, in every transaction
// of a transaction_per_migration run.
func TestOnConnectSQLite(t *testing.T) {
	t.Parallel()
	var reg retort.Registry
	record := func(id string) func(context.Context, *retort.Op) error {
		return func(ctx context.Context, op *retort.Op) error {
			q, err := op.Querier()
			if err != nil {
				return err
			}
			var on int
			if err := q.QueryRowContext(ctx, "PRAGMA defer_foreign_keys").Scan(&on); err != nil {
				return err
			}
			if err := op.Exec("CREATE TABLE IF NOT EXISTS seen (rev TEXT, deferred INTEGER)"); err != nil {
				return err
			}
			return op.Exec(fmt.Sprintf("INSERT INTO seen VALUES ('%s', %d)", id, on))
		}
	}
	reg.Add(retort.Migration{Revision: "a1", Message: "one", Upgrade: record("a1")})
	reg.Add(retort.Migration{Revision: "a2", Revises: []string{"a1"}, Message: "two", Upgrade: record("a2")})
	calls := 0
	onConnect := retort.WithOnConnect(func(ctx context.Context, c retort.ConnectInfo) error {
		calls++
		if c.Dialect.Name() != "sqlite" || !c.InTransaction {
			return fmt.Errorf("on-connect: dialect %s, in transaction %v", c.Dialect.Name(), c.InTransaction)
		}
		_, err := c.Querier.ExecContext(ctx, "PRAGMA defer_foreign_keys = "+c.XArgs["defer"])
		return err
	})

	url := dbtest.SQLiteFile(t)
	cfg := writeConfig(t, url, "transaction_per_migration = true")
	run(t, 0, []string{"-c", cfg, "-x", "defer=ON", "upgrade", "head"}, retort.WithRegistry(&reg), onConnect)
	if calls < 2 {
		t.Errorf("on-connect ran %d times for two transactions", calls)
	}
	db := dbtest.Open(t, url)
	rows, err := db.QueryContext(t.Context(), "SELECT rev, deferred FROM seen ORDER BY rev")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var rev string
		var on int
		if err := rows.Scan(&rev, &on); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s=%d", rev, on))
	}
	if strings.Join(got, " ") != "a1=1 a2=1" {
		t.Errorf("defer_foreign_keys in the migrations: %v, want a1=1 a2=1", got)
	}

	// Without the hook the PRAGMA is off, as SQLite resets it per
	// transaction.
	url2 := dbtest.SQLiteFile(t)
	run(t, 0, []string{"-c", writeConfig(t, url2), "upgrade", "a1"}, retort.WithRegistry(&reg))
	var on int
	if err := dbtest.Open(t, url2).QueryRowContext(t.Context(), "SELECT deferred FROM seen").Scan(&on); err != nil || on != 0 {
		t.Errorf("without on-connect: deferred = %d, %v; want 0", on, err)
	}
}

// TestOnConnectError checks that a failing on-connect function stops
// the run before anything is applied, with exit status 1.
func TestOnConnectError(t *testing.T) {
	t.Parallel()
	var reg retort.Registry
	reg.Add(retort.Migration{Revision: "a1", Upgrade: func(ctx context.Context, op *retort.Op) error {
		return op.Exec("CREATE TABLE t (id INTEGER)")
	}})
	url := dbtest.SQLiteFile(t)
	out := run(t, 1, []string{"-c", writeConfig(t, url), "upgrade", "head"}, retort.WithRegistry(&reg),
		retort.WithOnConnect(func(context.Context, retort.ConnectInfo) error { return errors.New("no tenant given") }))
	if !strings.Contains(out, "FAILED: on-connect hook: no tenant given") {
		t.Errorf("output: %q", out)
	}
	var n int
	if err := dbtest.Open(t, url).QueryRowContext(t.Context(), "SELECT count(*) FROM sqlite_master WHERE name = 't'").Scan(&n); err != nil || n != 0 {
		t.Errorf("table t: %d, %v; want none", n, err)
	}
}

// tenantSearchPath is the go template's on-connect function: with
// -x tenant=NAME on PostgreSQL, everything runs in schema NAME.
func tenantSearchPath(ctx context.Context, c retort.ConnectInfo) error {
	tenant := c.XArgs["tenant"]
	if tenant == "" || c.Dialect.Name() != "postgres" {
		return nil
	}
	set := "SET LOCAL search_path TO "
	if !c.InTransaction {
		set = "SET search_path TO "
	}
	_, err := c.Querier.ExecContext(ctx, set+c.Dialect.QuoteIdent(tenant))
	return err
}

// TestOnConnectPostgresTenants runs the same Go revisions in two tenant
// schemas chosen with -x tenant=NAME by an on-connect function, one of
// them a name that needs quoting, and a no-transaction revision.
func TestOnConnectPostgresTenants(t *testing.T) {
	url := dbtest.Postgres(t)
	db := dbtest.Open(t, url)
	for _, s := range []string{`CREATE SCHEMA acme`, `CREATE SCHEMA "Globex Inc"`} {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	var reg retort.Registry
	reg.Add(retort.Migration{Revision: "c1", Message: "create customer", Upgrade: func(ctx context.Context, op *retort.Op) error {
		return op.Exec("CREATE TABLE customer (id BIGINT PRIMARY KEY)")
	}, Downgrade: func(ctx context.Context, op *retort.Op) error {
		return op.Exec("DROP TABLE customer")
	}})
	reg.Add(retort.Migration{Revision: "c2", Revises: []string{"c1"}, Message: "index", NoTransaction: true,
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			return op.Exec("CREATE INDEX CONCURRENTLY customer_id ON customer (id)")
		}})
	opts := []retort.Option{retort.WithRegistry(&reg), retort.WithOnConnect(tenantSearchPath)}
	cfg := writeConfig(t, url)
	for _, tenant := range []string{"acme", "Globex Inc"} {
		run(t, 0, []string{"-c", cfg, "-x", "tenant=" + tenant, "upgrade", "head"}, opts...)
		if out := run(t, 0, []string{"-c", cfg, "-x", "tenant=" + tenant, "current"}, opts...); !strings.Contains(out, "c2 (head)") {
			t.Errorf("tenant %s: current: %q", tenant, out)
		}
	}
	for _, c := range []struct {
		rel  string
		want bool
	}{
		{`acme.customer`, true}, {`"Globex Inc".customer`, true}, {`acme.customer_id`, true},
		{`"Globex Inc".alembic_version`, true}, {`public.customer`, false}, {`public.alembic_version`, false},
	} {
		var got sql.NullString
		if err := db.QueryRowContext(t.Context(), "SELECT to_regclass($1)::text", c.rel).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got.Valid != c.want {
			t.Errorf("%s exists: %v, want %v", c.rel, got.Valid, c.want)
		}
	}
	// No tenant: the public schema, where nothing has run.
	if out := run(t, 0, []string{"-c", cfg, "current"}, opts...); strings.Contains(out, "c2") {
		t.Errorf("public schema: current: %q", out)
	}
}

// Run a Go environment's command: here, the history of its registry.
func ExampleRun() {
	var registry retort.Registry
	registry.Add(retort.Migration{
		Revision: "1a2b3c4d5e6f",
		Message:  "create customer table",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			return op.Exec("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
		},
	})
	dir, err := os.MkdirTemp("", "retortcli")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	cfg := filepath.Join(dir, "retort.toml")
	if err := os.WriteFile(cfg, []byte("[retort]\nscript_location = \".\"\nurl = \"sqlite://\"\n"), 0o644); err != nil {
		panic(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "versions"), 0o755); err != nil {
		panic(err)
	}

	code := retortcli.Run(context.Background(), []string{"-c", cfg, "history"},
		os.Stdin, os.Stdout, os.Stderr, retort.WithRegistry(&registry))
	fmt.Println("exit status", code)
	// Output:
	// <base> -> 1a2b3c4d5e6f (head), create customer table
	// exit status 0
}
