package dbtest_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/dbtest"
)

// queryInt runs a query returning one value on dbURL, with pgx for
// PostgreSQL (dbtest does not register the pgx database/sql driver) and
// database/sql otherwise.
func queryString(t *testing.T, dbURL, query string, args ...any) string {
	t.Helper()
	u, err := config.ParseURL(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	var s string
	if u.Dialect == config.Postgres {
		conn, err := pgx.Connect(t.Context(), u.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if err := conn.QueryRow(t.Context(), query, args...).Scan(&s); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return s
	}
	if err := dbtest.Open(t, dbURL).QueryRowContext(t.Context(), query, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return s
}

func TestServers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     string
		create  func(testing.TB) string
		current string // query returning the current database's name
		exists  string // query counting databases named $1 / ?
		dialect string
	}{
		{
			name:    "postgres",
			env:     dbtest.PostgresEnv,
			create:  dbtest.Postgres,
			current: "SELECT current_database()",
			exists:  "SELECT count(*)::text FROM pg_database WHERE datname = $1",
			dialect: config.Postgres,
		},
		{
			name:    "mysql",
			env:     dbtest.MySQLEnv,
			create:  dbtest.MySQL,
			current: "SELECT DATABASE()",
			exists:  "SELECT CAST(count(*) AS CHAR) FROM information_schema.schemata WHERE schema_name = ?",
			dialect: config.MySQL,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var name string
			t.Run("create", func(t *testing.T) {
				dbURL := tt.create(t)
				u, err := config.ParseURL(dbURL)
				if err != nil {
					t.Fatal(err)
				}
				if u.Dialect != tt.dialect {
					t.Fatalf("dialect %q, want %q", u.Dialect, tt.dialect)
				}
				name = queryString(t, dbURL, tt.current)
				if name != u.Database || !strings.HasPrefix(name, "retort_testservers_") {
					t.Fatalf("connected to %q, want %q (retort_testservers_...)", name, u.Database)
				}
				if tt.dialect == config.Postgres {
					// A connection still open at the end must not stop the drop.
					conn, err := pgx.Connect(t.Context(), u.DSN)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { _ = conn.Close(context.Background()) })
				}
			})
			if name == "" {
				return
			}
			// The subtest's cleanup has dropped the database.
			if n := queryString(t, os.Getenv(tt.env), tt.exists, name); n != "0" {
				t.Errorf("database %s still exists after the test", name)
			}
		})
	}
}

func TestPostgresNamesAreFresh(t *testing.T) {
	t.Parallel()
	if a, b := dbtest.Postgres(t), dbtest.Postgres(t); a == b {
		t.Fatalf("two calls gave the same database %s", a)
	}
}

func TestMySQLTable(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, dbtest.MySQL(t))
	if _, err := db.ExecContext(t.Context(), "CREATE TABLE t (id INT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
}

func TestSQLiteFile(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.SQLiteFile(t)
	u, err := config.ParseURL(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if u.Dialect != config.SQLite || u.Memory || !strings.HasPrefix(u.Path, "/") {
		t.Fatalf("ParseURL(%q) = %+v, want an absolute SQLite file", dbURL, u)
	}
	db := dbtest.Open(t, dbURL)
	if _, err := db.ExecContext(t.Context(), "CREATE TABLE t (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(u.Path); err != nil {
		t.Fatalf("database file: %v", err)
	}
}

func TestAlembic(t *testing.T) {
	t.Parallel()
	py := dbtest.Alembic(t)
	out, err := exec.CommandContext(t.Context(), py, "-c", "import alembic; print(alembic.__version__)").CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", py, err, out)
	}
	t.Logf("alembic %s", strings.TrimSpace(string(out)))
}

// PgBouncer's URL names the same database as the server's, through the
// bouncer's port, with a query mode that survives transaction pooling.
func TestPgBouncer(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.PgBouncer(t)
	u, err := config.ParseURL(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	b, err := config.ParseURL(os.Getenv(dbtest.PgBouncerEnv))
	if err != nil {
		t.Fatal(err)
	}
	if u.Port != b.Port || !strings.HasPrefix(u.Database, "retort_testpgbouncer_") {
		t.Fatalf("PgBouncer URL %s: want port %s and a retort_testpgbouncer_ database", u, b.Port)
	}
	if got := u.Query.Get("default_query_exec_mode"); got != dbtest.PgBouncerExecMode {
		t.Fatalf("default_query_exec_mode = %q, want %q", got, dbtest.PgBouncerExecMode)
	}
	for range 3 { // fresh client sessions on pooled server connections
		if name := queryString(t, dbURL, "SELECT current_database() WHERE $1::int = 1", 1); name != u.Database {
			t.Fatalf("connected to %q through PgBouncer, want %q", name, u.Database)
		}
	}
}
