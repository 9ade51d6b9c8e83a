package sqlsplit_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/sqlsplit"
)

// TestMySQLServerAccepts splits each testdata/mysql fixture with
// sqlsplit.MySQL and executes the pieces, in order and on one connection,
// on a fresh database of the MariaDB or MySQL server of
// RETORT_TEST_MYSQL_URL (without multiStatements, as retort connects):
// every piece must be one statement the server accepts, so a body cut at
// an inner ';', or two statements left together, fails here.
func TestMySQLServerAccepts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "mysql", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata/mysql: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			stmts, err := sqlsplit.Split(string(src), sqlsplit.MySQL)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			db := dbtest.Open(t, dbtest.MySQL(t))
			conn, err := db.Conn(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = conn.Close() }()
			for _, s := range stmts {
				if _, err := conn.ExecContext(t.Context(), s.SQL); err != nil {
					t.Fatalf("%s:%d: the server refused the piece: %v\n%s", file, s.Line, err, s.SQL)
				}
			}
		})
	}
}
