package retort_test

import (
	"database/sql"
	"errors"
	"fmt"
	"github.com/retortdb/retort/dialect"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/dbtest"
)

// The SQLite file a failed first run created is removed only when
// nobody else is writing it and it holds no table: another process
// that opened the file in the meantime keeps its work. (Removing a file
// under another run made it fail with "attempt to write a readonly
// database (1032)" or "disk I/O error (5898)" at its commit.)
func TestRemoveEmptySQLite(t *testing.T) {
	raw := dbtest.SQLiteFile(t)
	u, err := config.ParseURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	file := strings.TrimPrefix(raw, "sqlite:///")
	exists := func() bool {
		_, err := os.Stat(file)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		return err == nil
	}
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(u.Driver, u.SQLiteDSN(0))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Another connection holds the write lock, its table not committed.
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("CREATE TABLE theirs (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	retort.RemoveEmptySQLite(u, file)
	if !exists() {
		t.Fatal("the file was removed while another connection wrote it")
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("the other connection's commit: %v", err)
	}
	// It committed a table: the file is not empty any more.
	retort.RemoveEmptySQLite(u, file)
	if !exists() {
		t.Fatal("the file was removed although it holds a table")
	}
	if _, err := db.Exec("DROP TABLE theirs"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	retort.RemoveEmptySQLite(u, file)
	if exists() {
		t.Fatal("an empty file nobody writes was kept")
	}
}

// A failed first run keeps the SQLite file it created when the failure
// says another session holds the database (lock_timeout ran out, or
// SQLITE_BUSY): that session has the file open, maybe still waiting for
// its write lock, and removing the file under it lost its work or failed
// its commit with "disk I/O error (5898)" (seen with four fleet runners
// on new files). Any other failure still removes an empty file.
func TestBusyKeepsCreatedFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "busy.db")
	cfg := writeProject(t, dir, "sqlite:///"+file, chain(1), "")
	env, err := retort.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	// A real SQLITE_BUSY: two connections both write.
	u := cfg.URL
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := sql.Open(u.Driver, u.SQLiteDSN(0))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sql.Open(u.Driver, u.SQLiteDSN(0))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	tx, err := a.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("CREATE TABLE theirs (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	_, busy := b.Exec("CREATE TABLE mine (id INTEGER)")
	if busy == nil {
		t.Fatal("no SQLITE_BUSY from a second writer")
	}
	for _, c := range []struct {
		err  error
		want bool
	}{
		{busy, true},
		{fmt.Errorf("upgrade: %w", busy), true},
		{&dialect.LockTimeoutError{Table: dialect.Ident{Name: "alembic_version"}, Timeout: time.Second}, true},
		{errors.New("near \"CRATE\": syntax error"), false},
		{nil, false},
	} {
		if got := retort.Contended(env, c.err); got != c.want {
			t.Errorf("contended(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
