package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/retortdb/retort/config"
	_ "github.com/retortdb/retort/dialect/mysql"    // mysql:// URLs and the "mysql" driver
	_ "github.com/retortdb/retort/dialect/postgres" // postgres:// URLs and the "pgx" driver
	_ "github.com/retortdb/retort/dialect/sqlite"   // sqlite:// URLs and the "sqlite" driver
)

// Environment variables naming the test servers and Alembic's Python.
const (
	PostgresEnv = "RETORT_TEST_POSTGRES_URL"
	MySQLEnv    = "RETORT_TEST_MYSQL_URL"
	AlembicEnv  = "RETORT_TEST_ALEMBIC"
	// PgBouncerEnv names a PgBouncer in transaction pooling mode in front
	// of the server of RETORT_TEST_POSTGRES_URL.
	PgBouncerEnv = "RETORT_TEST_PGBOUNCER_URL"
)

// PgBouncerExecMode is the pgx query execution mode that [PgBouncer] puts
// in its URLs: pgx's default caches named prepared statements per
// connection, which a transaction pooler hands to other server
// connections; the simple protocol prepares nothing.
const PgBouncerExecMode = "simple_protocol"

// cleanupTimeout bounds dropping a test database.
const cleanupTimeout = time.Minute

// Postgres creates a database with a fresh random name on the server of
// RETORT_TEST_POSTGRES_URL and returns its URL; the database is dropped
// (WITH (FORCE), closing leftover connections) when the test ends. It
// skips the test when the variable is unset.
func Postgres(t testing.TB) string {
	t.Helper()
	return create(t, PostgresEnv, config.Postgres, "PostgreSQL")
}

// PgBouncer creates a database with a fresh random name on the server of
// RETORT_TEST_POSTGRES_URL, as [Postgres] does, and returns the URL of the
// same database through the PgBouncer of RETORT_TEST_PGBOUNCER_URL, with
// default_query_exec_mode=[PgBouncerExecMode] (a pgx parameter) unless the
// variable's URL sets one. The database is dropped when the test ends,
// directly on the server. It skips the test when either variable is unset.
func PgBouncer(t testing.TB) string {
	t.Helper()
	bouncer := os.Getenv(PgBouncerEnv)
	if bouncer == "" {
		t.Skipf("set %s (or run ./scripts/test.sh) to run tests through PgBouncer", PgBouncerEnv)
	}
	if u, err := config.ParseURL(bouncer); err != nil {
		t.Fatalf("%s: %v", PgBouncerEnv, err)
	} else if u.Dialect != config.Postgres {
		t.Fatalf("%s: %s is not a PostgreSQL URL", PgBouncerEnv, u)
	}
	direct := Postgres(t)
	p, err := url.Parse(bouncer)
	if err != nil {
		t.Fatalf("%s does not parse as a URL", PgBouncerEnv) // never print it: it holds the password
	}
	q := p.Query()
	if q.Get("default_query_exec_mode") == "" {
		q.Set("default_query_exec_mode", PgBouncerExecMode)
	}
	p.RawQuery = q.Encode()
	d, err := url.Parse(direct)
	if err != nil {
		t.Fatalf("test database URL does not parse as a URL")
	}
	p.Path, p.RawPath = d.Path, d.RawPath
	return p.String()
}

// MySQL creates a database with a fresh random name on the MySQL or
// MariaDB server of RETORT_TEST_MYSQL_URL and returns its URL; the
// database is dropped when the test ends. It skips the test when the
// variable is unset.
func MySQL(t testing.TB) string {
	t.Helper()
	return create(t, MySQLEnv, config.MySQL, "MySQL")
}

// SQLiteFile returns a sqlite:/// URL of a database file, not yet created,
// in the test's temporary folder.
func SQLiteFile(t testing.TB) string {
	t.Helper()
	return "sqlite:///" + filepath.ToSlash(filepath.Join(t.TempDir(), "test.db"))
}

// Open opens url (any retort URL) with database/sql, pings it and closes
// it when the test ends. SQLite opens with [config.URL.SQLiteDSN].
// PostgreSQL needs the "pgx" driver registered by the test binary
// (import _ "github.com/jackc/pgx/v5/stdlib"); dbtest itself talks to
// PostgreSQL with pgx directly.
func Open(t testing.TB, rawURL string) *sql.DB {
	t.Helper()
	u, err := config.ParseURL(rawURL)
	if err != nil {
		t.Fatalf("dbtest.Open: %v", err)
	}
	if !slices.Contains(sql.Drivers(), u.Driver) {
		t.Fatalf("dbtest.Open %s: database/sql driver %q is not registered; import its package in the test", u, u.Driver)
	}
	dsn := u.OpenDSN(5 * time.Second)
	db, err := sql.Open(u.Driver, dsn)
	if err != nil {
		t.Fatalf("dbtest.Open %s: %v", u, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("dbtest.Open %s: %v", u, err)
	}
	return db
}

var alembic = sync.OnceValues(func() (string, string) {
	if py := os.Getenv(AlembicEnv); py != "" {
		if out, err := exec.Command(py, "-c", "import alembic").CombinedOutput(); err != nil {
			return "", fmt.Sprintf("%s=%s cannot import alembic: %v\n%s", AlembicEnv, py, err, out)
		}
		return py, ""
	}
	const py = "/usr/bin/python3"
	if exec.Command(py, "-c", "import alembic").Run() == nil {
		return py, ""
	}
	return "", ""
})

// Alembic returns the path of a Python that can import alembic: the one in
// RETORT_TEST_ALEMBIC, else /usr/bin/python3 if it can. It skips the test
// when there is none, and fails it when RETORT_TEST_ALEMBIC is set but
// cannot import alembic.
func Alembic(t testing.TB) string {
	t.Helper()
	py, problem := alembic()
	if problem != "" {
		t.Fatal(problem)
	}
	if py == "" {
		t.Skipf("set %s to a python3 with alembic (or run ./scripts/test.sh) to run Alembic tests", AlembicEnv)
	}
	return py
}

// create makes the database and returns its URL.
func create(t testing.TB, env, dialect, product string) string {
	t.Helper()
	server := os.Getenv(env)
	if server == "" {
		t.Skipf("set %s (or run ./scripts/test.sh) to run %s tests", env, product)
	}
	u, err := config.ParseURL(server)
	if err != nil {
		t.Fatalf("%s: %v", env, err)
	}
	if u.Dialect != dialect {
		t.Fatalf("%s: %s is not a %s URL", env, u, product)
	}
	name := dbName(t)
	if err := adminExec(u, "CREATE DATABASE "+quote(dialect, name)); err != nil {
		t.Fatalf("create test database %s on %s: %v", name, u, err)
	}
	t.Cleanup(func() {
		stmt := "DROP DATABASE IF EXISTS " + quote(u.Dialect, name)
		if u.Dialect == config.Postgres {
			stmt += " WITH (FORCE)"
		}
		if err := adminExec(u, stmt); err != nil {
			t.Errorf("drop test database %s on %s: %v", name, u, err)
		}
	})
	return withDatabase(t, server, name)
}

// adminExec runs one statement on the server of u, on a connection of its
// own: pgx for PostgreSQL, database/sql for MySQL.
func adminExec(u *config.URL, stmt string) error {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	if u.Dialect == config.Postgres {
		conn, err := pgx.Connect(ctx, u.DSN)
		if err != nil {
			return err
		}
		defer conn.Close(context.WithoutCancel(ctx))
		_, err = conn.Exec(ctx, stmt)
		return err
	}
	db, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, stmt)
	return err
}

// withDatabase returns server with its database replaced by name.
func withDatabase(t testing.TB, server, name string) string {
	t.Helper()
	p, err := url.Parse(server)
	if err != nil {
		// Never print the URL: it holds the password.
		t.Fatalf("test server URL does not parse as a URL")
	}
	p.Path, p.RawPath = "/"+name, ""
	return p.String()
}

// quote quotes an identifier for dialect.
func quote(dialect, name string) string {
	if dialect == config.MySQL {
		return "`" + strings.ReplaceAll(name, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// dbName returns a fresh database name that shows the test it belongs to.
func dbName(t testing.TB) string {
	var b strings.Builder
	b.WriteString("retort_")
	for _, r := range strings.ToLower(t.Name()) {
		if b.Len() >= 40 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	var buf [6]byte
	_, _ = rand.Read(buf[:])
	b.WriteString("_" + hex.EncodeToString(buf[:]))
	return b.String()
}
