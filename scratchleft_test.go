package retort_test

import (
	"database/sql"
	"slices"
	"testing"
	"time"
)

// Scratch databases are named retort_scratch_<random> on the whole
// server, and the packages of one `go test ./...` share the test
// servers, so another test's scratch database may exist while this one
// looks. These queries list them; scratchBefore and scratchGone compare
// by name and give the others time to finish, so only a scratch
// database this test made and never dropped is reported.
const (
	pgScratchQuery    = "SELECT datname FROM pg_database WHERE datname LIKE 'retort\\_scratch\\_%'"
	mysqlScratchQuery = "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'retort\\_scratch\\_%'"
)

// scratchNames lists the scratch databases on db's server.
func scratchNames(t testing.TB, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

// scratchGone fails the test when a scratch database that was not there
// before (names from scratchNames) is still there. One left by a test
// running beside this one goes away when that test finishes, so the
// check waits for those for up to a minute; a leaked one never goes.
func scratchGone(t testing.TB, db *sql.DB, query string, before []string, what string) {
	t.Helper()
	var left []string
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
		left = left[:0]
		for _, n := range scratchNames(t, db, query) {
			if !slices.Contains(before, n) {
				left = append(left, n)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(left) > 0 {
		t.Errorf("scratch databases left %s: %q", what, left)
	}
}
