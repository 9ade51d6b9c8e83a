package retort_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/runner"
)

// TestMySQLStatementsPerRevision pins what an upgrade sends to MariaDB
// for each revision, read from the driver: the revision's statements,
// the version row and the history row, nothing else. The history row
// of a revision made of DDL that does not name the version table is a
// plain INSERT (DDL cannot write the version table's rows), sent with
// the version row and the revision's last statement in one block
// (BEGIN NOT ATOMIC … END, one round trip); after any other revision it
// is the INSERT … SELECT that checks the version table in the same
// statement, after the version row.
func TestMySQLStatementsPerRevision(t *testing.T) {
	t.Parallel()
	url := dbtest.MySQL(t)
	revs := chain(5)
	revs[0].up = "CREATE TABLE t01 (id INTEGER PRIMARY KEY, name VARCHAR(100));\nCREATE INDEX ix_t01_name ON t01 (name);"
	revs[1].up = "CREATE TABLE t02 (id INTEGER PRIMARY KEY);\nINSERT INTO t01 (id) VALUES (1);"
	revs[2].up = "CREATE TABLE t03 (id INTEGER PRIMARY KEY) PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN MAXVALUE);"
	revs[3].up = "ALTER TABLE t01 ADD COLUMN note TEXT;"
	revs[4].up = "CREATE TABLE t05 LIKE alembic_version;"
	cfg := writeProject(t, t.TempDir(), url, revs, "")
	log := &stmtLog{}
	db := openCounting(t, url, log)
	env := open(t, cfg, retort.WithConn(db))
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	got := log.from("CREATE TABLE t01")
	want := []string{
		"CREATE TABLE t01", "block: CREATE INDEX ix_t01_name + INSERT INTO `alembic_version` + INSERT INTO `alembic_version_history` VALUES", "COMMIT",
		"CREATE TABLE t02", "INSERT INTO t01", "UPDATE `alembic_version` SET", "INSERT INTO `alembic_version_history` checked",
		"CREATE TABLE t03", "UPDATE `alembic_version` SET", "INSERT INTO `alembic_version_history` checked", // VALUES: checked
		"block: ALTER TABLE t01 + UPDATE `alembic_version` SET + INSERT INTO `alembic_version_history` VALUES",
		"CREATE TABLE t05", "UPDATE `alembic_version` SET", "INSERT INTO `alembic_version_history` checked", // names the table
	}
	if !slices.Equal(got, want) {
		t.Errorf("statements from the first revision on:\n got %q\nwant %q", got, want)
	}
	if h := heads(t, env); !slices.Equal(h, []string{"r05"}) {
		t.Errorf("heads = %v, want [r05]", h)
	}
	rows, err := env.History(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := directions(rows), []string{"r01 upgrade done", "r02 upgrade done", "r03 upgrade done", "r04 upgrade done", "r05 upgrade done"}; !slices.Equal(got, want) {
		t.Errorf("history = %q, want %q", got, want)
	}
	// A row written in a block with the revision's last statement takes
	// its time and duration from the server (the statement's run):
	// readable, and in order with the others.
	for i, r := range rows {
		if r.Applied.IsZero() || time.Since(r.Applied) > time.Hour || time.Until(r.Applied) > time.Minute || r.Duration < 0 {
			t.Errorf("history row %s: applied_at %v, duration %v", r.Revision, r.Applied, r.Duration)
		}
		if i > 0 && r.Applied.Before(rows[i-1].Applied.Add(-time.Second)) {
			t.Errorf("history row %s applied at %v, before %s at %v", r.Revision, r.Applied, rows[i-1].Revision, rows[i-1].Applied)
		}
	}
}

// TestMySQLVersionTableWrite: on MariaDB too, a revision that writes
// into the version table is caught by the statement that records it
// (the version table then holds what the revision left: its DDL and
// the version row committed).
func TestMySQLVersionTableWrite(t *testing.T) {
	t.Parallel()
	revs := chain(3)
	revs[1].up = "CREATE TABLE t02 (id INTEGER);\nINSERT INTO alembic_version (version_num) VALUES ('zzz');"
	url := dbtest.MySQL(t)
	env := open(t, writeProject(t, t.TempDir(), url, revs, ""))
	err := env.Upgrade(t.Context(), "head")
	vw, ok := errors.AsType[*runner.VersionTableWriteError](err)
	if !ok || vw.Revision != "r02" || !strings.Contains(err.Error(), "zzz") {
		t.Fatalf("got %v; want a VersionTableWriteError for r02 naming the row", err)
	}
	var rows []string
	res, err := dbtest.Open(t, url).QueryContext(t.Context(), "SELECT version_num FROM alembic_version ORDER BY version_num")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	for res.Next() {
		var v string
		if err := res.Scan(&v); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, v)
	}
	if !slices.Equal(rows, []string{"r02", "zzz"}) {
		t.Errorf("version table = %v; want [r02 zzz]", rows)
	}
}

// TestMySQLBlockRowCount: on MariaDB the version row and the history
// row go in one block; when the version row to move is not there (the
// table changed outside the run), the block stops before the history
// row and the error says so, and that the revision's DDL stayed.
func TestMySQLBlockRowCount(t *testing.T) {
	t.Parallel()
	url := dbtest.MySQL(t)
	cfg := writeProject(t, t.TempDir(), url, chain(3), "")
	other := dbtest.Open(t, url)
	env := open(t, cfg, retort.WithHooks(retort.Hooks{BeforeStep: func(ctx context.Context, s retort.StepInfo) error {
		if s.Step.Revision != nil && s.Step.Revision.ID == "r02" {
			_, err := other.ExecContext(ctx, "UPDATE alembic_version SET version_num = 'elsewhere'")
			return err
		}
		return nil
	}}))
	err := env.Upgrade(t.Context(), "head")
	rc, ok := errors.AsType[*runner.RowCountError](err)
	if !ok || rc.Rows != 0 || !strings.Contains(rc.SQL, "'r01'") {
		t.Fatalf("got %v; want a RowCountError of 0 rows for the version row r01", err)
	}
	if _, ok := errors.AsType[*runner.CommittedError](err); !ok || !strings.Contains(err.Error(), "CREATE TABLE t02") {
		t.Errorf("%v: want it to say that r02's DDL committed", err)
	}
	res, err := other.QueryContext(t.Context(), "SELECT revision FROM alembic_version_history ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	var got []string
	for res.Next() {
		var r string
		if err := res.Scan(&r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if !slices.Equal(got, []string{"r01"}) {
		t.Errorf("history rows = %q, want [r01]: the block stops before r02's row", got)
	}
}

// openCounting opens url's MariaDB through a connector that logs every
// statement, BEGIN and COMMIT sent on its connections into log.
func openCounting(t testing.TB, url string, log *stmtLog) *sql.DB {
	t.Helper()
	u, err := config.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := mysql.ParseDSN(u.OpenDSN(0))
	if err != nil {
		t.Fatal(err)
	}
	inner, err := mysql.NewConnector(mc)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(countingConnector{Connector: inner, log: log})
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// stmtLog keeps the statements a countingConnector saw, in order.
type stmtLog struct {
	mu   sync.Mutex
	list []string
}

func (l *stmtLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, s)
}

// from returns the statements from the first that starts with first
// on, each shortened to what tells it apart (its first words; the
// history row's kind), leaving out the session lock's.
func (l *stmtLog) from(first string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	i := slices.IndexFunc(l.list, func(s string) bool { return strings.HasPrefix(s, first) })
	if i < 0 {
		return nil
	}
	var out []string
	for _, s := range l.list[i:] {
		if strings.Contains(s, "_LOCK(") {
			continue
		}
		if strings.HasPrefix(s, "BEGIN NOT ATOMIC") {
			// A block: the statements in it, each told apart as below.
			var inner []string
			for line := range strings.Lines(s) {
				line = strings.TrimSpace(line)
				switch strings.ToUpper(strings.SplitN(line, " ", 2)[0]) {
				case "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "RENAME":
					inner = append(inner, shortStmt(line))
				}
			}
			out = append(out, "block: "+strings.Join(inner, " + "))
			continue
		}
		out = append(out, shortStmt(s))
	}
	return out
}

// shortStmt shortens statement s to what tells it apart: its first
// words; the history row's kind.
func shortStmt(s string) string {
	{
		w := strings.Fields(s)
		short := strings.Join(w[:min(3, len(w))], " ")
		if strings.HasPrefix(s, "INSERT INTO `alembic_version_history`") {
			short = "INSERT INTO `alembic_version_history` VALUES"
			if strings.Contains(s, " FROM DUAL WHERE ") {
				short = "INSERT INTO `alembic_version_history` checked"
			}
		}
		return short
	}
}

type countingConnector struct {
	driver.Connector
	log *stmtLog
}

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: conn, log: c.log}, nil
}

// countingConn logs what goes through a go-sql-driver/mysql connection.
type countingConn struct {
	driver.Conn
	log *stmtLog
}

func (c *countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c.log.add(q)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c *countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.log.add(q)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c *countingConn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	c.log.add("BEGIN")
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, o)
	if err != nil {
		return nil, err
	}
	return countingTx{Tx: tx, log: c.log}, nil
}

func (c *countingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *countingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *countingConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

type countingTx struct {
	driver.Tx
	log *stmtLog
}

func (t countingTx) Commit() error {
	t.log.add("COMMIT")
	return t.Tx.Commit()
}

func (t countingTx) Rollback() error {
	t.log.add("ROLLBACK")
	return t.Tx.Rollback()
}

// TestMySQLInterruptEndsStatement: the run watches its context itself
// on MariaDB (the driver does not, statement by statement), and an
// interrupt stops the statement in flight on the server, not only the
// client's wait for it; the error says what of the revision committed.
func TestMySQLInterruptEndsStatement(t *testing.T) {
	t.Parallel()
	url := dbtest.MySQL(t)
	revs := chain(2)
	revs[1].up = "CREATE TABLE t02 (id INTEGER);\nDO SLEEP(300);"
	env := open(t, writeProject(t, t.TempDir(), url, revs, ""))
	running, err := interruptWhile(t, env, url, "DO SLEEP(300)%")
	if _, ok := errors.AsType[*runner.InterruptedError](err); !ok || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v; want an InterruptedError", err)
	}
	msg := err.Error()
	for _, want := range []string{"while running upgrade r01 -> r02", "not rolled back", "CREATE TABLE t02", "does not record upgrade r02"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q: it must say what of r02 committed", msg, want)
		}
	}
	if strings.Contains(msg, "its transaction was rolled back") {
		t.Errorf("%q claims a rollback that did not happen", msg)
	}
	if running() {
		t.Error("the server still runs the interrupted statement")
	}
	if got := heads(t, env); !slices.Equal(got, []string{"r01"}) {
		t.Errorf("heads = %v, want [r01]", got)
	}
}
