package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/sqlite"
)

// ExampleDialect_Locker locks the version table at the start of a
// transaction, then reads and writes it.
func ExampleDialect_Locker() {
	dir, err := os.MkdirTemp("", "retort-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "app.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	d := sqlite.New()
	t := dialect.Ident{Name: "alembic_version"}
	vs := d.VersionStore(t)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer tx.Rollback()
	if err := d.Locker(t, 30*time.Second).LockTx(ctx, tx); err != nil { // first statement
		log.Fatal(err)
	}
	for _, q := range []string{vs.CreateTable(), vs.Insert("1a2b3c4d5e6f")} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			log.Fatal(err)
		}
	}
	heads, err := vs.Heads(ctx, tx)
	if err != nil {
		log.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(heads)
	// Output: [1a2b3c4d5e6f]
}
