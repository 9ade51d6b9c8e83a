package retort_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/runner"
)

// TestMySQLFailureReportsCommitted: DDL commits at once on MySQL, so a
// revision that fails half-way is not rolled back. The run stops there,
// the version table records the revisions before it, and the error
// lists exactly the statements that stayed applied. A revision that
// fails before any DDL ran is rolled back whole.
func TestMySQLFailureReportsCommitted(t *testing.T) {
	t.Parallel()
	url := dbtest.MySQL(t)
	revs := chain(3)
	revs[2].up = "CREATE TABLE t03 (id INTEGER PRIMARY KEY);\nINSERT INTO t01 (id) VALUES (1);\nINSERT INTO no_such_table VALUES (1);"
	cfg := writeProject(t, t.TempDir(), url, revs, "")
	env := open(t, cfg)
	err := env.Upgrade(t.Context(), "head")
	ce, ok := errors.AsType[*runner.CommittedError](err)
	if !ok {
		t.Fatalf("want *runner.CommittedError, got %T %v", err, err)
	}
	if ce.Revision != "r03" || !slices.Equal(ce.Committed, []string{"CREATE TABLE t03 (id INTEGER PRIMARY KEY)", "INSERT INTO t01 (id) VALUES (1)"}) {
		t.Errorf("CommittedError{Revision: %s, Committed: %q}", ce.Revision, ce.Committed)
	}
	if _, ok := errors.AsType[*runner.PartialError](err); !ok {
		t.Errorf("want a *runner.PartialError naming r01 and r02, got %v", err)
	}
	se, ok := errors.AsType[*runner.StatementError](err)
	if !ok || se.Line != 12 {
		t.Errorf("want the *runner.StatementError at line 12, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"not rolled back", "CREATE TABLE t03", "does not record upgrade r03"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "r03 was rolled back") {
		t.Errorf("message claims a rollback that did not happen:\n%s", msg)
	}
	if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
		t.Errorf("heads = %v, want [r02]", got)
	}
	db := dbtest.Open(t, url)
	if !tableExists(t, db, "mysql", "t03") {
		t.Error("t03 is gone, but MySQL commits CREATE TABLE at once")
	}
	var n int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM t01").Scan(&n); err != nil || n != 1 {
		t.Errorf("t01 has %d rows (%v), want the insert after the DDL committed", n, err)
	}

	// Without DDL before the failure, the revision rolls back whole.
	url = dbtest.MySQL(t)
	revs = chain(2)
	revs[1].up = "INSERT INTO t01 (id) VALUES (1);\nINSERT INTO no_such_table VALUES (1);"
	env = open(t, writeProject(t, t.TempDir(), url, revs, ""))
	err = env.Upgrade(t.Context(), "head")
	if _, ok := errors.AsType[*runner.CommittedError](err); ok || err == nil {
		t.Fatalf("want a plain failure, got %v", err)
	}
	if !strings.Contains(err.Error(), "r02 was rolled back") {
		t.Errorf("message does not say r02 was rolled back:\n%v", err)
	}
	db = dbtest.Open(t, url)
	if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM t01").Scan(&n); err != nil || n != 0 {
		t.Errorf("t01 has %d rows (%v), want the insert rolled back", n, err)
	}
}

// TestMySQLCallerTransaction: a caller's *sql.Tx is refused on MySQL
// (the first DDL would commit it), with an error that says why; the
// caller's *sql.Conn works.
func TestMySQLCallerTransaction(t *testing.T) {
	t.Parallel()
	url := dbtest.MySQL(t)
	cfg := writeProject(t, t.TempDir(), "", chain(2), "")
	db := dbtest.Open(t, url)
	tx, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // refused before use
	env := open(t, cfg, retort.WithConn(tx), retort.WithDialect("mysql"))
	err = env.Upgrade(t.Context(), "head")
	if _, ok := errors.AsType[*runner.TxRefusedError](err); !ok || !errors.Is(err, fault.ErrBadInput) {
		t.Fatalf("upgrade in a caller's *sql.Tx = %v, want a bad-input *runner.TxRefusedError", err)
	}
	if !strings.Contains(err.Error(), "*sql.Conn") {
		t.Errorf("the error does not say what to pass instead: %v", err)
	}
	if tableExists(t, db, "mysql", "t01") {
		t.Error("a refused run created t01")
	}
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	env = open(t, cfg, retort.WithConn(conn))
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
		t.Errorf("heads = %v, want [r02]", got)
	}
}
