package mysql

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.StatementBlocker = Dialect{}

// blockPrefix starts the message of a Block statement's row-count
// failure; the statement's index and its row count follow.
const blockPrefix = "retort block: row count of statement "

// leadVar and startVar are the session variables of a Block statement
// with a lead: whether the lead completed (read by LeadRan after a
// failure), and when the block started (read by the history row that
// InsertTimed renders).
const (
	leadVar  = "@retort_block_lead"
	startVar = "@retort_block_start"
)

// Block returns MariaDB's anonymous compound statement running lead,
// then stmts (a statement sent alone, so multiStatements stays off):
// each statement commits as it would alone, and one with exact set that
// changes a number of rows other than one ends the block with SIGNAL.
// With a lead, the block first notes its start time (SYSDATE(6), the
// clock, not the statement's start) and, after the lead, that the lead
// completed (a token of the block's own, read by LeadRan). It is for a
// MariaDB server only: MySQL has no such statement, and the common
// syntax is for servers of either.
func (d Dialect) Block(lead string, stmts []string, exact []bool) (string, bool) {
	if !d.srv.mariaDB() || len(stmts) == 0 || len(exact) != len(stmts) {
		return "", false
	}
	var b strings.Builder
	b.WriteString("BEGIN NOT ATOMIC\n")
	if lead != "" {
		// The lead is the revision's text: its ";" goes on a line of its
		// own, after any comment the statement ends with.
		lead = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(lead), ";"))
		// The flag is a token of this block's, not 1: a block stopped
		// before it cleared the flag must not read a flag an earlier
		// block of the session set.
		var tok [8]byte
		_, _ = rand.Read(tok[:])
		b.WriteString("  SET " + startVar + " = SYSDATE(6);\n  ")
		b.WriteString(lead)
		b.WriteString("\n  ;\n  " + leadSet + hex.EncodeToString(tok[:]) + "';\n")
	}
	for i, st := range stmts {
		b.WriteString("  ")
		b.WriteString(strings.TrimRight(strings.TrimSpace(st), "; \t\n"))
		b.WriteString(";\n")
		if exact[i] {
			// Each statement of a compound statement costs the server
			// about as much as a short statement sent alone: the
			// message's variable is declared on the failure's path only
			// (ROW_COUNT() there is still the statement's).
			b.WriteString("  IF ROW_COUNT() <> 1 THEN BEGIN\n")
			b.WriteString("    DECLARE m VARCHAR(100) DEFAULT CONCAT('" + blockPrefix + strconv.Itoa(i) + ": ', ROW_COUNT());\n")
			b.WriteString("    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m;\n  END; END IF;\n")
		}
	}
	b.WriteString("END")
	return b.String(), true
}

// CanLead accepts the DDL on tables and indexes that MariaDB runs in a
// compound statement as it runs it alone: CREATE [OR REPLACE]
// [TEMPORARY] TABLE, CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX, ALTER
// [ONLINE] [IGNORE] TABLE, DROP [TEMPORARY] TABLE, DROP INDEX and RENAME
// TABLE, not written in an executable comment; none on a server other
// than MariaDB, which has no Block statement. The runner sends a
// revision's last statement in its block only when it also wrote no
// SELECT or VALUES (CREATE TABLE … SELECT returns nothing but reads).
func (d Dialect) CanLead(stmt string) bool {
	t := strings.TrimLeft(stmt, " \t\r\n\f\v")
	if !d.srv.mariaDB() || strings.HasPrefix(t, "/*!") {
		return false
	}
	w := firstWords(stmt, 5)
	skip := func(words ...string) {
		for len(w) > 1 && slices.Contains(words, w[1]) {
			w = append(w[:1], w[2:]...)
		}
	}
	if len(w) < 2 {
		return false
	}
	switch w[0] {
	case "CREATE":
		if len(w) > 2 && w[1] == "OR" && w[2] == "REPLACE" {
			w = append(w[:1], w[3:]...)
		}
		skip("TEMPORARY", "UNIQUE", "FULLTEXT", "SPATIAL")
		return len(w) > 1 && (w[1] == "TABLE" || w[1] == "INDEX")
	case "ALTER":
		skip("ONLINE", "IGNORE")
		return w[1] == "TABLE"
	case "DROP":
		skip("TEMPORARY")
		return w[1] == "TABLE" || w[1] == "INDEX"
	case "RENAME":
		return w[1] == "TABLE"
	}
	return false
}

// leadSet starts the statement of a Block with a lead that sets the
// flag to the block's token (16 hex digits and a quote follow).
const leadSet = "SET " + leadVar + " = '"

// LeadRan reads whether the flag holds block's token, which block sets
// once its lead completed.
func (Dialect) LeadRan(ctx context.Context, q dialect.Querier, block string) (bool, error) {
	_, rest, ok := strings.Cut(block, leadSet)
	tok, _, ok2 := strings.Cut(rest, "'")
	if !ok || !ok2 {
		return false, errors.New("mysql: the statement is not a block with a lead")
	}
	var got sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT "+leadVar).Scan(&got); err != nil {
		return false, fmt.Errorf("mysql: read whether the block's first statement completed: %w", err)
	}
	return got.Valid && got.String == tok, nil
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
