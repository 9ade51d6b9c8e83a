package mysql_test

import (
	"errors"
	"fmt"
	"regexp"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/dialect/mysql"
)

// TestBlock pins the block the runner sends to MariaDB for a revision's
// version row and history row (golden), and that MySQL and the common
// syntax have none.
func TestBlock(t *testing.T) {
	t.Parallel()
	stmts := []string{"UPDATE `alembic_version` SET version_num='b2' WHERE `alembic_version`.version_num = 'a1'",
		"INSERT INTO `alembic_version_history` (revision) VALUES ('b2;');"}
	exact := []bool{true, false}
	for _, v := range []string{"common", "mysql-8.0.36"} {
		srv, err := mysql.ParseServer(v)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := mysql.NewFor(srv).(dialect.StatementBlocker).Block("", stmts, exact); ok {
			t.Errorf("%s: a block, but only MariaDB has BEGIN NOT ATOMIC", v)
		}
	}
	srv, err := mysql.ParseServer("mariadb-10.11")
	if err != nil {
		t.Fatal(err)
	}
	b := mysql.NewFor(srv).(dialect.StatementBlocker)
	got, ok := b.Block("", stmts, exact)
	if !ok {
		t.Fatal("no block for MariaDB")
	}
	dialecttest.GoldenText(t, "testdata/block.sql", got, *update)
	// With a lead: a revision's last statement, which may end with a
	// comment (its ";" goes on a line of its own).
	got, ok = b.Block("ALTER TABLE t01 ADD COLUMN note TEXT -- the note;", stmts, exact)
	if !ok {
		t.Fatal("no block with a lead for MariaDB")
	}
	dialecttest.GoldenText(t, "testdata/block_lead.sql", token.ReplaceAllString(got, "'<token>'"), *update)
	if _, ok := b.Block("", stmts, exact[:1]); ok {
		t.Error("a block with a row-count flag missing")
	}
}

// token is the block's own token (random) in a Block with a lead.
var token = regexp.MustCompile(`'[0-9a-f]{16}'`)

// TestLeadRan: after a block with a lead fails, LeadRan tells whether
// that block's lead completed, whatever an earlier block of the session
// left in the flag.
func TestLeadRan(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	srv, err := mysql.ParseServer("mariadb-10.11")
	if err != nil {
		t.Fatal(err)
	}
	b := mysql.NewFor(srv).(dialect.StatementBlocker)
	stmts, exact := []string{"INSERT INTO log (v) VALUES (1)"}, []bool{true}
	if _, err := conn.ExecContext(t.Context(), "CREATE TABLE log (v INT)"); err != nil {
		t.Fatal(err)
	}
	ok1, _ := b.Block("CREATE TABLE a (id INT)", stmts, exact)
	if _, err := conn.ExecContext(t.Context(), ok1); err != nil {
		t.Fatal(err)
	}
	// The lead runs, then the row count stops the block.
	stopped, _ := b.Block("CREATE TABLE b (id INT)", []string{"UPDATE log SET v = 2 WHERE v = 0"}, exact)
	if _, err := conn.ExecContext(t.Context(), stopped); err == nil {
		t.Fatal("the block did not stop")
	}
	if ran, err := b.LeadRan(t.Context(), conn, stopped); err != nil || !ran {
		t.Errorf("LeadRan after the version row stopped the block = %v, %v; want true", ran, err)
	}
	// The lead fails (the table exists): the flag still holds the
	// earlier block's token.
	failed, _ := b.Block("CREATE TABLE a (id INT)", stmts, exact)
	if _, err := conn.ExecContext(t.Context(), failed); err == nil {
		t.Fatal("the block's lead did not fail")
	}
	if ran, err := b.LeadRan(t.Context(), conn, failed); err != nil || ran {
		t.Errorf("LeadRan after the lead failed = %v, %v; want false", ran, err)
	}
	if _, err := b.LeadRan(t.Context(), conn, "BEGIN NOT ATOMIC END"); err == nil {
		t.Error("LeadRan read a token from a block without a lead")
	}
}

// TestCanLead: the statements a block may run before the version row
// are DDL on tables and indexes, which MariaDB runs in a compound
// statement as it runs them alone.
func TestCanLead(t *testing.T) {
	t.Parallel()
	maria, err := mysql.ParseServer("mariadb-10.11")
	if err != nil {
		t.Fatal(err)
	}
	d := mysql.NewFor(maria).(dialect.StatementBlocker)
	for _, v := range []string{"common", "mysql-8.0.36"} {
		srv, err := mysql.ParseServer(v)
		if err != nil {
			t.Fatal(err)
		}
		if mysql.NewFor(srv).(dialect.StatementBlocker).CanLead("CREATE TABLE t (id INT)") {
			t.Errorf("%s: a lead, but only MariaDB has a block to run it in", v)
		}
	}
	for stmt, want := range map[string]bool{
		"CREATE TABLE t (id INT)":                                         true,
		"create or replace table t (id int)":                              true,
		"CREATE TEMPORARY TABLE t (id INT)":                               true,
		"-- why\nCREATE UNIQUE INDEX ix ON t (a)":                         true,
		"CREATE FULLTEXT INDEX ix ON t (a)":                               true,
		"ALTER TABLE t ADD COLUMN c INT":                                  true,
		"ALTER ONLINE IGNORE TABLE t ADD c INT":                           true,
		"DROP TABLE IF EXISTS t":                                          true,
		"DROP INDEX ix ON t":                                              true,
		"RENAME TABLE a TO b":                                             true,
		"/*!50100 ALTER TABLE t ADD c INT */":                             false,
		"CREATE PROCEDURE p() BEGIN SELECT 1; END":                        false,
		"CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1": false,
		"CREATE VIEW v AS SELECT 1":                                       false,
		"ALTER VIEW v AS SELECT 1":                                        false,
		"DROP PROCEDURE p":                                                false,
		"LOCK TABLES t WRITE":                                             false,
		"INSERT INTO t VALUES (1)":                                        false,
		"DO SLEEP(1)":                                                     false,
		"CREATE DATABASE d":                                               false,
		"":                                                                false,
	} {
		if got := d.CanLead(stmt); got != want {
			t.Errorf("CanLead(%q) = %v, want %v", stmt, got, want)
		}
	}
}

func TestBlockRowCount(t *testing.T) {
	t.Parallel()
	d := mysql.Dialect{}
	for _, c := range []struct {
		err        error
		stmt       int
		rows       int64
		recognised bool
	}{
		{&gomysql.MySQLError{Number: 1644, Message: "retort block: row count of statement 0: 0"}, 0, 0, true},
		{fmt.Errorf("version table: %w", &gomysql.MySQLError{Number: 1644, Message: "retort block: row count of statement 2: 3"}), 2, 3, true},
		{&gomysql.MySQLError{Number: 1644, Message: "raised by the migration itself"}, 0, 0, false},
		{&gomysql.MySQLError{Number: 1146, Message: "retort block: row count of statement 0: 0"}, 0, 0, false},
		{&gomysql.MySQLError{Number: 1644, Message: "retort block: row count of statement x: 0"}, 0, 0, false},
		{errors.New("retort block: row count of statement 0: 0"), 0, 0, false},
	} {
		i, n, ok := d.BlockRowCount(c.err)
		if ok != c.recognised || ok && (i != c.stmt || n != c.rows) {
			t.Errorf("%v: got %d, %d, %v; want %d, %d, %v", c.err, i, n, ok, c.stmt, c.rows, c.recognised)
		}
	}
}
