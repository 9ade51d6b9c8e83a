// Command oldtool applies a migration folder with another migration
// tool's own Go library (goose, golang-migrate, sql-migrate, tern), for
// retort's import and adopt tests. It lives in a module of its own so
// that those tools' dependencies never enter retort's go.mod.
//
//	oldtool -tool goose -driver pgx -dsn DSN -dir DIR [-n N]
//	oldtool -tool atlas-sum -dir DIR
//
// applies the first N migrations of DIR (all when N is 0) on the
// database DSN opened with the database/sql driver (pgx, sqlite, mysql);
// atlas-sum prints the atlas.sum that Atlas's own library computes.
package main

import (
	"context"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database"
	migratemysql "github.com/golang-migrate/migrate/v4/database/mysql"
	migratepgx "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	migratesqlite "github.com/golang-migrate/migrate/v4/database/sqlite"
	_ "github.com/golang-migrate/migrate/v4/source/file"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
	ternmigrate "github.com/jackc/tern/v2/migrate"
	"github.com/pressly/goose/v3"
	sqlmigrate "github.com/rubenv/sql-migrate"

	_ "github.com/go-sql-driver/mysql"
	_ "modernc.org/sqlite"
)

func main() {
	tool := flag.String("tool", "", "goose, golang-migrate, sql-migrate or tern")
	driver := flag.String("driver", "", "database/sql driver: pgx, sqlite or mysql")
	dsn := flag.String("dsn", "", "data source name for the driver")
	dir := flag.String("dir", "", "migration folder")
	n := flag.Int("n", 0, "apply the first N migrations (0: all)")
	flag.Parse()
	if err := apply(context.Background(), *tool, *driver, *dsn, *dir, *n); err != nil {
		fmt.Fprintf(os.Stderr, "oldtool %s: %v\n", *tool, err)
		os.Exit(1)
	}
}

func apply(ctx context.Context, tool, driver, dsn, dir string, n int) error {
	if tool == "atlas-sum" {
		return atlasSum(dir)
	}
	if tool == "tern" {
		return tern(ctx, dsn, dir, n)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	switch tool {
	case "goose":
		return gooseUp(ctx, db, driver, dir, n)
	case "golang-migrate":
		return golangMigrate(db, driver, dir, n)
	case "sql-migrate":
		dialect := map[string]string{"pgx": "postgres", "sqlite": "sqlite3", "mysql": "mysql"}[driver]
		_, err := sqlmigrate.ExecMaxContext(ctx, db, dialect, &sqlmigrate.FileMigrationSource{Dir: dir}, sqlmigrate.Up, n)
		return err
	}
	return fmt.Errorf("unknown tool %q", tool)
}

func gooseUp(ctx context.Context, db *sql.DB, driver, dir string, n int) error {
	dialect := map[string]string{"pgx": "postgres", "sqlite": "sqlite3", "mysql": "mysql"}[driver]
	if err := goose.SetDialect(dialect); err != nil {
		return err
	}
	if n == 0 {
		return goose.UpContext(ctx, db, dir)
	}
	for range n {
		if err := goose.UpByOneContext(ctx, db, dir); err != nil {
			return err
		}
	}
	return nil
}

func golangMigrate(db *sql.DB, driver, dir string, n int) error {
	var drv database.Driver
	var err error
	switch driver {
	case "pgx":
		drv, err = migratepgx.WithInstance(db, &migratepgx.Config{})
	case "sqlite":
		drv, err = migratesqlite.WithInstance(db, &migratesqlite.Config{})
	case "mysql":
		drv, err = migratemysql.WithInstance(db, &migratemysql.Config{})
	default:
		return fmt.Errorf("unknown driver %q", driver)
	}
	if err != nil {
		return err
	}
	m, err := migrate.NewWithDatabaseInstance("file://"+dir, driver, drv)
	if err != nil {
		return err
	}
	if n == 0 {
		err = m.Up()
	} else {
		err = m.Steps(n)
	}
	if errors.Is(err, migrate.ErrNoChange) {
		return nil
	}
	return err
}

// atlasSum prints the atlas.sum Atlas computes for dir.
func atlasSum(dir string) error {
	d, err := atlasmigrate.NewLocalDir(dir)
	if err != nil {
		return err
	}
	sum, err := d.Checksum()
	if err != nil {
		return err
	}
	b, err := sum.MarshalText()
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(b)
	return err
}

func tern(ctx context.Context, dsn, dir string, n int) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	m, err := ternmigrate.NewMigrator(ctx, conn, "schema_version")
	if err != nil {
		return err
	}
	if err := m.LoadMigrations(os.DirFS(dir)); err != nil {
		return err
	}
	if n == 0 {
		return m.Migrate(ctx)
	}
	return m.MigrateTo(ctx, int32(n))
}
