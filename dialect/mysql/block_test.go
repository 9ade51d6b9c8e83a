package mysql_test

import (
	"errors"
	"fmt"
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
		if _, ok := mysql.NewFor(srv).(dialect.StatementBlocker).Block(stmts, exact); ok {
			t.Errorf("%s: a block, but only MariaDB has BEGIN NOT ATOMIC", v)
		}
	}
	srv, err := mysql.ParseServer("mariadb-10.11")
	if err != nil {
		t.Fatal(err)
	}
	b := mysql.NewFor(srv).(dialect.StatementBlocker)
	got, ok := b.Block(stmts, exact)
	if !ok {
		t.Fatal("no block for MariaDB")
	}
	dialecttest.GoldenText(t, "testdata/block.sql", got, *update)
	if _, ok := b.Block(stmts, exact[:1]); ok {
		t.Error("a block with a row-count flag missing")
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
