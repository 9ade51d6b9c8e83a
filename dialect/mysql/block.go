package mysql

import (
	"errors"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.StatementBlocker = Dialect{}

// blockPrefix starts the message of a Block statement's row-count
// failure; the statement's index and its row count follow.
const blockPrefix = "retort block: row count of statement "

// Block returns MariaDB's anonymous compound statement running stmts (a
// statement sent alone, so multiStatements stays off): each statement
// commits as it would alone, and one with exact set that changes a
// number of rows other than one ends the block with SIGNAL. It is for a
// MariaDB server only: MySQL has no such statement, and the common
// syntax is for servers of either.
func (d Dialect) Block(stmts []string, exact []bool) (string, bool) {
	if !d.srv.mariaDB() || len(stmts) == 0 || len(exact) != len(stmts) {
		return "", false
	}
	var b strings.Builder
	b.WriteString("BEGIN NOT ATOMIC\n  DECLARE n BIGINT;\n  DECLARE m VARCHAR(100);\n")
	for i, st := range stmts {
		b.WriteString("  ")
		b.WriteString(strings.TrimRight(strings.TrimSpace(st), "; \t\n"))
		b.WriteString(";\n")
		if exact[i] {
			b.WriteString("  SET n = ROW_COUNT();\n")
			b.WriteString("  IF n <> 1 THEN\n    SET m = CONCAT('" + blockPrefix + strconv.Itoa(i) + ": ', n);\n")
			b.WriteString("    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m;\n  END IF;\n")
		}
	}
	b.WriteString("END")
	return b.String(), true
}

// BlockRowCount reads the failure Block's SIGNAL raises (error 1644,
// ER_SIGNAL_EXCEPTION, with Block's message).
func (Dialect) BlockRowCount(err error) (int, int64, bool) {
	me, ok := errors.AsType[*mysql.MySQLError](err)
	if !ok || me.Number != 1644 {
		return 0, 0, false
	}
	rest, ok := strings.CutPrefix(me.Message, blockPrefix)
	if !ok {
		return 0, 0, false
	}
	is, ns, ok := strings.Cut(rest, ": ")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.ParseInt(ns, 10, 64)
	if !ok || err1 != nil || err2 != nil || i < 0 {
		return 0, 0, false
	}
	return i, n, true
}
