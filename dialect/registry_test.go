package dialect_test

import (
	"database/sql"
	"errors"
	"slices"
	"testing"

	"github.com/retortdb/retort/dialect"
	_ "github.com/retortdb/retort/dialect/mysql"
	_ "github.com/retortdb/retort/dialect/postgres"
	_ "github.com/retortdb/retort/dialect/sqlite"
)

func TestForScheme(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, scheme, engine string
	}{
		{"postgres", "postgres", "postgres"},
		{"psycopg2 upper case", "PostgreSQL+Psycopg2", "postgres"},
		{"sqlite", "sqlite+pysqlite", "sqlite"},
		{"mariadb", "mariadb+pymysql", "mysql"},
		{"unknown", "oracle", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, ok := dialect.ForScheme(tt.scheme)
			if ok != (tt.engine != "") || e.Name != tt.engine {
				t.Fatalf("ForScheme(%q) = %q, %v; want %q", tt.scheme, e.Name, ok, tt.engine)
			}
		})
	}
	if !slices.IsSorted(dialect.Schemes()) || !slices.Contains(dialect.Schemes(), "postgresql+asyncpg") {
		t.Errorf("Schemes() = %v", dialect.Schemes())
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"postgres", "sqlite", "mysql"} {
		d, err := dialect.New(name)
		if err != nil || d.Name() != name {
			t.Errorf("New(%q) = %v, %v", name, d, err)
		}
	}
	if _, err := dialect.New("oracle"); !errors.Is(err, dialect.ErrUnknownEngine) {
		t.Errorf("New(oracle) = %v; want ErrUnknownEngine", err)
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, driver, dsn, engine string
	}{
		{"sqlite", "sqlite", ":memory:", "sqlite"},
		{"pgx", "pgx", "postgres://nobody@127.0.0.1:1/none", "postgres"},
		{"mysql", "mysql", "nobody@tcp(127.0.0.1:1)/none", "mysql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, err := sql.Open(tt.driver, tt.dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if e, ok := dialect.Detect(db); !ok || e.Name != tt.engine {
				t.Errorf("Detect(*sql.DB of %s) = %q, %v; want %q", tt.driver, e.Name, ok, tt.engine)
			}
		})
	}
	t.Run("conn", func(t *testing.T) {
		t.Parallel()
		db, err := sql.Open("sqlite", ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		conn, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if e, ok := dialect.Detect(conn); !ok || e.Name != "sqlite" {
			t.Errorf("Detect(*sql.Conn) = %q, %v", e.Name, ok)
		}
		tx, err := conn.BeginTx(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback() //nolint:errcheck // test
		if _, ok := dialect.Detect(tx); ok {
			t.Error("Detect(*sql.Tx) reported an engine; a transaction cannot tell")
		}
	})
}
