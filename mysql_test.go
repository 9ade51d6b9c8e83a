package retort_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/cli"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/runner"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/sqlsplit"
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

const mysqlSchemaSQL = `CREATE TABLE customer (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    email VARCHAR(200),
    active BOOL NOT NULL DEFAULT 1,
    prefs JSON,
    balance DECIMAL(10,2) NOT NULL DEFAULT 0.00,
    CONSTRAINT uq_customer_email UNIQUE (email),
    CONSTRAINT customer_balance_check CHECK (balance >= 0)
) COMMENT 'people who buy';
# a MySQL comment
CREATE INDEX ix_customer_name ON customer (name);
CREATE TABLE orders (
    id BIGINT PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) ON DELETE CASCADE
);
CREATE VIEW customer_names AS SELECT name FROM customer;
`

// TestMySQLAutogenerate: target_schema is applied to a scratch database
// that is always dropped, inspected, and compared; applying the result
// leaves nothing to do. The CLI's check, revision --autogenerate and
// inspect work on MariaDB.
func TestMySQLAutogenerate(t *testing.T) {
	dir, url := t.TempDir(), dbtest.MySQL(t)
	cfg := writeProject(t, dir, url, nil, "target_schema = \"schema.sql\"\n")
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(mysqlSchemaSQL), 0o644); err != nil {
		t.Fatal(err)
	}
	db := dbtest.Open(t, url)
	before := scratchNames(t, db, mysqlScratchQuery)
	env := open(t, cfg)
	d, err := env.Autogenerate(t.Context(), "first")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := describeOps(d.Upgrade), []string{"create table customer", "create table orders", "create view customer_names"}; !slices.Equal(got, want) {
		t.Errorf("upgrade %q, want %q", got, want)
	}
	if err := env.RunOperations(t.Context(), d.Upgrade...); err != nil {
		t.Fatal(err)
	}
	if left := autogenerate(t, env); len(left) > 0 {
		t.Errorf("left: %q", describeOps(left))
	}
	scratchGone(t, db, mysqlScratchQuery, before, "after autogenerate")

	run := func(args ...string) (int, string) {
		var out bytes.Buffer
		code := cli.Main(t.Context(), append([]string{"-c", cfg.File}, args...), nil, &out, &out)
		return code, out.String()
	}
	if code, out := run("check"); code != 0 {
		t.Errorf("check exited %d:\n%s", code, out)
	}
	if code, out := run("inspect", "customer"); code != 0 || !strings.Contains(out, "customer") {
		t.Errorf("inspect exited %d:\n%s", code, out)
	}
	// A new column in the target: check fails, revision --autogenerate
	// writes it.
	more := strings.Replace(mysqlSchemaSQL, "    prefs JSON,", "    prefs JSON,\n    phone VARCHAR(20),", 1)
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(more), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := run("check"); code != 1 || !strings.Contains(out, "phone") {
		t.Errorf("check with a new column exited %d:\n%s", code, out)
	}
	if code, out := run("revision", "--autogenerate", "-m", "phone"); code != 0 {
		t.Errorf("revision --autogenerate exited %d:\n%s", code, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "migrations", "versions", "*phone*.sql"))
	if len(files) != 1 {
		t.Fatalf("revision files: %v", files)
	}
	body, _ := os.ReadFile(files[0])
	if !strings.Contains(string(body), "ALTER TABLE `customer` ADD COLUMN `phone` VARCHAR(20)") {
		t.Errorf("revision:\n%s", body)
	}
	if code, out := run("upgrade", "head"); code != 0 {
		t.Errorf("upgrade exited %d:\n%s", code, out)
	}
	if code, out := run("check"); code != 0 {
		t.Errorf("check after upgrade exited %d:\n%s", code, out)
	}

	// A broken target fails as bad input and still drops its scratch.
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE x (id INTEGER);\nCREATE TABLE x (id INTEGER);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env = open(t, cfg) // with the new revision
	if _, err := env.Autogenerate(t.Context(), ""); !errors.Is(err, retort.ErrBadInput) {
		t.Errorf("broken schema.sql: %v", err)
	}
	scratchGone(t, db, mysqlScratchQuery, before, "after a failure")
}

// TestMySQLOfflineSQL: upgrade --sql writes MySQL's SQL without a
// server, with no BEGIN/COMMIT (DDL commits at once), in the syntax that
// server_version names (default: what MariaDB 10.5+ and MySQL 8.0+ both
// accept).
func TestMySQLOfflineSQL(t *testing.T) {
	t.Parallel()
	reg := opsRegistry(false)
	reg.Add(retort.Migration{
		Revision: "c3", Revises: []string{"b2"}, Message: "phone",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			return op.Run(ops.AddColumn{Table: "customer", Column: schema.Column("phone", schema.Varchar(20)), IfNotExists: true})
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error { return op.DropColumn("customer", "phone") },
	})
	script := func(extra string) (string, error) {
		cfg := writeProject(t, t.TempDir(), "mysql://nobody@127.0.0.1:1/never", nil, extra)
		env := open(t, cfg, retort.WithRegistry(reg))
		var buf bytes.Buffer
		_, err := env.SQL(t.Context(), &buf, retort.Request{Kind: retort.Upgrade, Target: "head"}, nil)
		return buf.String(), err
	}
	_, err := script("")
	if ue, ok := errors.AsType[*dialect.UnsupportedError](err); !ok || !strings.Contains(err.Error(), "server_version") {
		t.Fatalf("ADD COLUMN IF NOT EXISTS in the common syntax = %v (%T), want an UnsupportedError naming server_version", err, ue)
	}
	out, err := script("server_version = \"mariadb-10.11\"\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"CREATE TABLE IF NOT EXISTS `alembic_version` (version_num VARCHAR(32) NOT NULL, CONSTRAINT `alembic_version_pkc` PRIMARY KEY (version_num));",
		"`id` BIGINT NOT NULL AUTO_INCREMENT",
		"`name` LONGTEXT NOT NULL",
		"CREATE UNIQUE INDEX `uq_customer_email` ON `customer` (`email`);",
		"('O''Hara', NULL)",
		"ALTER TABLE `customer` ADD COLUMN IF NOT EXISTS `phone` VARCHAR(20);",
		"UPDATE `alembic_version` SET version_num='c3' WHERE `alembic_version`.version_num = 'b2';",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("offline script lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "BEGIN") || strings.Contains(out, "COMMIT") {
		t.Errorf("offline MySQL script opens a transaction:\n%s", out)
	}
	cfg := writeProject(t, t.TempDir(), "mysql://nobody@127.0.0.1:1/never", nil, "server_version = \"oracle-19\"\n")
	if _, err := retort.Open(t.Context(), cfg); !errors.Is(err, retort.ErrBadInput) || !strings.Contains(err.Error(), "oracle-19") {
		t.Errorf("bad server_version = %v, want bad input naming it", err)
	}
}

// TestMySQLRetortTest: `retort test` runs its checks on MariaDB, on
// databases of their own made on the server of the project's url.
func TestMySQLRetortTest(t *testing.T) {
	t.Parallel()
	url := dbtest.MySQL(t)
	revs := chain(3)
	cfg := writeProject(t, t.TempDir(), url, revs, "")
	var out bytes.Buffer
	code := cli.Main(t.Context(), []string{"-c", cfg.File, "test"}, nil, &out, &out)
	if code != 0 || !strings.Contains(out.String(), "PASS") || strings.Contains(out.String(), "FAIL") {
		t.Fatalf("retort test exited %d:\n%s", code, out.String())
	}
	leaky := chain(3)
	leaky[2].down = "SELECT 1;"
	cfg = writeProject(t, t.TempDir(), url, leaky, "")
	out.Reset()
	if code := cli.Main(t.Context(), []string{"-c", cfg.File, "test"}, nil, &out, &out); code != 1 || !strings.Contains(out.String(), "t03") {
		t.Fatalf("retort test of a leaky downgrade exited %d:\n%s", code, out.String())
	}
}

// TestMySQLRoutines: a revision written for the mysql client (DELIMITER,
// a procedure, a function and a trigger with BEGIN ... END bodies, #
// comments) runs on MariaDB as the client would run it, and its downgrade
// removes them.
func TestMySQLRoutines(t *testing.T) {
	t.Parallel()
	url := dbtest.MySQL(t)
	revs := routineRevisions()
	cfg := writeProject(t, t.TempDir(), url, revs, "")
	env := open(t, cfg)
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	db := dbtest.Open(t, url)
	if _, err := db.ExecContext(t.Context(), "INSERT INTO hits VALUES (-5)"); err != nil {
		t.Fatal(err)
	}
	var n, two int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*), twice(MIN(n) + 1) FROM hits").Scan(&n, &two); err != nil || n != 4 || two != 2 {
		t.Fatalf("after the upgrade: %d rows, twice(min+1) = %d, %v; want 4 rows and 2", n, two, err)
	}
	if err := env.Downgrade(t.Context(), "r01"); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM information_schema.routines WHERE routine_schema = DATABASE()").Scan(&left); err != nil || left != 0 {
		t.Errorf("%d routines left after the downgrade (%v)", left, err)
	}
}

// routineRevisions: r01, then r02 written for the mysql client
// (DELIMITER, a procedure, a function and a trigger with BEGIN ... END
// bodies, # comments).
func routineRevisions() []rev {
	return append(chain(1), rev{id: "r02", revises: "r01", up: `# counters
CREATE TABLE hits (n INT NOT NULL);
DELIMITER //
CREATE PROCEDURE bump(IN k INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  WHILE i < k DO
    INSERT INTO hits VALUES (i); SET i = i + 1;
  END WHILE;
END //
CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC
BEGIN
  RETURN x * 2;
END //
DELIMITER ;
CREATE TRIGGER hits_positive BEFORE INSERT ON hits FOR EACH ROW
BEGIN
  IF NEW.n < 0 THEN SET NEW.n = 0; END IF;
END;
CALL bump(3);`, down: "DROP TRIGGER hits_positive;\nDROP FUNCTION twice;\nDROP PROCEDURE bump;\nDROP TABLE hits;"})
}

// TestMySQLOfflineRoutines: an offline script of routines with ';' in
// their bodies writes them between DELIMITER lines, so the mariadb
// client runs it as written; the splitter reads the script back into
// the same statements.
func TestMySQLOfflineRoutines(t *testing.T) {
	t.Parallel()
	offline := func(url string) string {
		cfg := writeProject(t, t.TempDir(), url, routineRevisions(), "server_version = \"mariadb-10.11\"\n")
		var buf bytes.Buffer
		if _, err := open(t, cfg).SQL(t.Context(), &buf, retort.Request{Kind: retort.Upgrade, Target: "head"}, nil); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	out := offline("mysql://nobody@127.0.0.1:1/never")
	if n := strings.Count(out, "DELIMITER //\n"); n != 3 || strings.Count(out, "DELIMITER ;\n") != 3 {
		t.Errorf("want the procedure, function and trigger each between DELIMITER lines, got %d:\n%s", n, out)
	}
	if !strings.Contains(out, "CREATE TABLE hits (n INT NOT NULL);\n") {
		t.Errorf("a statement without ';' inside is written plainly:\n%s", out)
	}
	stmts, err := sqlsplit.Split(out, sqlsplit.MySQL)
	if err != nil {
		t.Fatalf("the splitter cannot read the script back: %v", err)
	}
	var routines int
	for _, s := range stmts {
		if strings.HasPrefix(s.SQL, "CREATE PROCEDURE") || strings.HasPrefix(s.SQL, "CREATE FUNCTION") || strings.HasPrefix(s.SQL, "CREATE TRIGGER") {
			routines++
		}
	}
	if routines != 3 {
		t.Errorf("read back %d routine statements, want 3", routines)
	}

	client, err := exec.LookPath("mariadb")
	if err != nil {
		client, err = exec.LookPath("mysql")
	}
	if err != nil {
		t.Skip("no mariadb or mysql client on PATH; install mariadb-client to run the script")
	}
	url := dbtest.MySQL(t)
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	cmd := exec.CommandContext(t.Context(), client, "--protocol=TCP", "-h", u.Hostname(), "-P", u.Port(), "-u", u.User.Username(), strings.TrimPrefix(u.Path, "/"))
	cmd.Env = append(os.Environ(), "MYSQL_PWD="+pw)
	cmd.Stdin = strings.NewReader(offline(url))
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the mariadb client refused the offline script: %v\n%s", err, msg)
	}
	db := dbtest.Open(t, url)
	var n, two int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*), twice(MIN(n) + 1) FROM hits").Scan(&n, &two); err != nil || n != 3 || two != 2 {
		t.Fatalf("after the script: %d rows, twice(min+1) = %d, %v; want 3 rows and 2", n, two, err)
	}
}

// TestMySQLSchemas: on MySQL a schema is a database. search_path selects
// the database the revisions run in (USE), and version_table_schema names
// the database that holds the version table.
func TestMySQLSchemas(t *testing.T) {
	t.Parallel()
	home, tenant := dbtest.MySQL(t), dbtest.MySQL(t)
	tenantDB := tenant[strings.LastIndexByte(tenant, '/')+1:]
	homeDB := home[strings.LastIndexByte(home, '/')+1:]
	cfg := writeProject(t, t.TempDir(), home, chain(2), fmt.Sprintf("search_path = %q\n", tenantDB))
	env := open(t, cfg)
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
		t.Fatalf("heads = %v", got)
	}
	tdb, hdb := dbtest.Open(t, tenant), dbtest.Open(t, home)
	if !tableExists(t, tdb, "mysql", "t02") || !tableExists(t, tdb, "mysql", "alembic_version") || tableExists(t, hdb, "mysql", "t01") {
		t.Fatal("search_path did not put the tables and the version table in the tenant's database")
	}

	// The version table elsewhere: in the home database, the tables in
	// a third one.
	third := dbtest.MySQL(t)
	thirdDB := third[strings.LastIndexByte(third, '/')+1:]
	cfg = writeProject(t, t.TempDir(), home, chain(1), fmt.Sprintf("search_path = %q\nversion_table_schema = %q\n", thirdDB, homeDB))
	env = open(t, cfg)
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	if !tableExists(t, dbtest.Open(t, third), "mysql", "t01") || !tableExists(t, hdb, "mysql", "alembic_version") {
		t.Fatal("version_table_schema did not put the version table in the home database")
	}
	if got := heads(t, env); !slices.Equal(got, []string{"r01"}) {
		t.Fatalf("heads = %v", got)
	}
	// A database that does not exist is named.
	cfg = writeProject(t, t.TempDir(), home, chain(1), "version_table_schema = \"no_such_db_x\"\n")
	if err := open(t, cfg).Upgrade(t.Context(), "head"); err == nil || !strings.Contains(err.Error(), "no_such_db_x") {
		t.Fatalf("missing version_table_schema database: %v", err)
	}
}
