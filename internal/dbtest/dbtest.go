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

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	_ "github.com/retortdb/retort/dialect/sqlite" // sqlite:// URLs and the "sqlite" driver
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
	return create(t, PostgresEnv, postgres.Engine)
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
	} else if u.Dialect != postgres.Engine.Name {
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
	return create(t, MySQLEnv, mysql.Engine)
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

// create makes the database and returns its URL: through the engine's
// dialect.TestServer ability when it has one, else (an engine whose
// dialect is not written yet) with a plain CREATE DATABASE.
func create(t testing.TB, env string, engine dialect.Engine) string {
	t.Helper()
	server := os.Getenv(env)
	if server == "" {
		t.Skipf("set %s (or run ./scripts/test.sh) to run %s tests", env, engine.Product)
	}
	u, err := config.ParseURL(server)
	if err != nil {
		t.Fatalf("%s: %v", env, err)
	}
	if u.Dialect != engine.Name {
		t.Fatalf("%s: %s is not a %s URL", env, u, engine.Product)
	}
	name := dbName(t)
	var ts dialect.TestServer
	if engine.New != nil {
		ts, _ = engine.New().(dialect.TestServer)
	}
	if ts == nil {
		createPlain(t, u, name)
		return withDatabase(t, server, name)
	}
	srv, err := adminFor(u)
	if err != nil {
		t.Fatalf("%s: %v", env, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	drop, err := ts.CreateTestDatabase(ctx, srv, name, nil)
	if err != nil {
		t.Fatalf("create test database %s on %s: %v", name, u, err)
	}
	t.Cleanup(func() {
		if err := drop(context.Background()); err != nil {
			t.Errorf("drop test database %s on %s: %v", name, u, err)
		}
	})
	return withDatabase(t, server, name)
}

var (
	adminsMu sync.Mutex
	admins   = map[string]dialect.Server{}
)

// adminFor returns the administrative pool of u's server, shared by
// every test of the process.
func adminFor(u *config.URL) (dialect.Server, error) {
	adminsMu.Lock()
	defer adminsMu.Unlock()
	if s, ok := admins[u.DSN]; ok {
		return s, nil
	}
	db, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		return dialect.Server{}, err
	}
	db.SetMaxIdleConns(2)
	db.SetConnMaxIdleTime(30 * time.Second)
	s := dialect.Server{Admin: db, Open: func(name string) (*sql.DB, error) {
		du, err := u.WithDatabase(name)
		if err != nil {
			return nil, err
		}
		return sql.Open(du.Driver, du.DSN)
	}}
	admins[u.DSN] = s
	return s, nil
}

// createPlain creates and, when the test ends, drops database name on
// the MySQL server of u, whose dialect does not make test databases
// yet.
func createPlain(t testing.TB, u *config.URL, name string) {
	t.Helper()
	quoted := "`" + strings.ReplaceAll(name, "`", "``") + "`"
	if err := adminExec(u, "CREATE DATABASE "+quoted); err != nil {
		t.Fatalf("create test database %s on %s: %v", name, u, err)
	}
	t.Cleanup(func() {
		if err := adminExec(u, "DROP DATABASE IF EXISTS "+quoted); err != nil {
			t.Errorf("drop test database %s on %s: %v", name, u, err)
		}
	})
}

// adminExec runs one statement on the server of u, on a connection of
// its own.
func adminExec(u *config.URL, stmt string) error {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
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
