package config_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/dbtest"
)

// TestDSNConnects checks that the DSN of every scheme spelling reaches a
// real server.
func TestDSNConnects(t *testing.T) {
	t.Parallel()
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		dbURL := dbtest.Postgres(t)
		for _, scheme := range []string{"postgres", "postgresql", "postgresql+psycopg2", "postgresql+asyncpg"} {
			u, err := config.ParseURL(scheme + strings.TrimPrefix(dbURL, "postgres"))
			if err != nil {
				t.Fatal(err)
			}
			conn, err := pgx.Connect(t.Context(), u.DSN)
			if err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			var db string
			err = conn.QueryRow(t.Context(), "SELECT current_database()").Scan(&db)
			_ = conn.Close(context.Background())
			if err != nil || db != u.Database {
				t.Fatalf("%s: current_database() = %q, %v; want %q", u, db, err, u.Database)
			}
		}
	})
	t.Run("mysql", func(t *testing.T) {
		t.Parallel()
		dbURL := dbtest.MySQL(t)
		for _, scheme := range []string{"mysql", "mysql+pymysql", "mariadb", "mariadb+pymysql"} {
			u, err := config.ParseURL(scheme + strings.TrimPrefix(dbURL, "mysql") + "?charset=utf8mb4&connect_timeout=10")
			if err != nil {
				t.Fatal(err)
			}
			db, err := sql.Open(u.Driver, u.DSN)
			if err != nil {
				t.Fatal(err)
			}
			var name string
			err = db.QueryRowContext(t.Context(), "SELECT DATABASE()").Scan(&name)
			_ = db.Close()
			if err != nil || name != u.Database {
				t.Fatalf("%s: DATABASE() = %q, %v; want %q", u, name, err, u.Database)
			}
		}
	})
}
