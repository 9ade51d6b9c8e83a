// Package lint finds the statements of migration scripts that lock
// tables or lose data, with retort's own lexer (package sqlsplit) and a
// statement classifier; it does not parse SQL fully and needs no cgo.
// It reads SQL text only: the caller renders Go revisions to SQL first.
package lint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/retortdb/retort/internal/txpolicy"
	"github.com/retortdb/retort/sqlsplit"
)

// Script is one SQL script to lint: a revision's upgrade text.
type Script struct {
	// Revision and File name where the script comes from.
	Revision, File string
	// SQL is the script text; Line is the file line of its first line.
	SQL  string
	Line int
	// Statements, when not nil, are the script's statements already
	// split (a Go revision rendered to SQL); SQL is then not read, and
	// Line is the line every finding names.
	Statements []string
	// Ignore silences rules for every statement of the script, by rule
	// id, with the reason (a Go revision's Migration.LintIgnore).
	Ignore map[string]string
	// NoTransaction reports a revision that runs outside a transaction.
	NoTransaction bool
	// CommitBefore reports a revision that starts a new transaction.
	CommitBefore bool
}

// Finding is one risky statement.
type Finding struct {
	Revision, File string
	Line           int
	Rule           string
	Risk, Safe     string
	// Level is the rule's level from [Options.Levels] (Error unless set).
	Level Level
	// Table is the table the statement changes, when known.
	Table string
	// Statement is the start of the statement, on one line.
	Statement string
	// Ignored reports a finding silenced by '-- retort:lint-ignore';
	// Reason is the reason given there.
	Ignored bool
	Reason  string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d: revision %s: %s: %s; safe: %s", f.File, f.Line, f.Revision, f.Rule, f.Risk, f.Safe)
}

// ignoreRe matches a lint-ignore comment: rule id, then a reason.
var ignoreRe = regexp.MustCompile(`^\s*--\s*retort:lint-ignore\s+([a-z0-9-]+)\s*(.*)$`)

// DefaultLargeRows is the default of lint_large_table_rows.
const DefaultLargeRows = 1_000_000

// Options tune [CheckWith].
type Options struct {
	// LargeRows is the row count from which a table is large; 0 means
	// DefaultLargeRows.
	LargeRows int64
	// Rows estimates a table's row count from the database's
	// statistics; ok is false when it is unknown. Nil means no
	// database: size-aware findings then say to check the table size.
	Rows func(table string) (rows int64, ok bool)
	// Levels sets rules' levels by id; a rule not named is at Error, a
	// rule at Off reports nothing.
	Levels map[string]Level
	// Columns tells an existing column's type (see [ColumnTypes]), so
	// that column-type-rewrite (PostgreSQL) and table-copy (MySQL) know a
	// type change that keeps the table in place; nil means unknown:
	// every type change may rewrite or copy.
	Columns func(table, column string) (Column, bool)
	// PerMigration reports that every revision runs in a transaction of
	// its own (transaction_per_migration).
	PerMigration bool
	// NewTablesPerScript counts a table as created in the run only
	// within the script that creates it, for a run whose starting point
	// is unknown (every revision linted because the database could not
	// be read): any revision may be the first one a database lacks.
	NewTablesPerScript bool
}

// Check lints scripts, run in order in one run, for engine eng, without
// table sizes. A lexing error is bad input naming the file.
func Check(eng Engine, scripts []Script) ([]Finding, error) {
	return CheckWith(eng, scripts, Options{})
}

// run is the state of one [CheckWith] call.
type run struct {
	eng     Engine
	o       Options
	out     []Finding
	enums   txpolicy.Enums  // enum values added in this transaction
	created map[string]bool // tables created in this run: empty, so size-aware rules skip them
}

// CheckWith is [Check] with table sizes: a size-aware rule on a table
// known to have fewer than LargeRows rows reports nothing.
func CheckWith(eng Engine, scripts []Script, o Options) ([]Finding, error) {
	if o.LargeRows <= 0 {
		o.LargeRows = DefaultLargeRows
	}
	r := &run{eng: eng, o: o, created: map[string]bool{}}
	opts := splitOptions(eng)
	for _, sc := range scripts {
		first := sc.Line
		if first == 0 {
			first = 1
		}
		var stmts []sqlsplit.Statement
		var lines []string
		if sc.Statements != nil {
			for _, s := range sc.Statements {
				stmts = append(stmts, sqlsplit.Statement{SQL: s, Line: first})
			}
		} else {
			var err error
			if stmts, err = sqlsplit.SplitFrom(sc.SQL, first, opts); err != nil {
				return nil, fmt.Errorf("revision %s (%s): %w", sc.Revision, sc.File, err)
			}
			lines = strings.Split(sc.SQL, "\n")
		}
		if sc.NoTransaction || sc.CommitBefore || o.PerMigration {
			r.enums.Reset()
		}
		if o.NewTablesPerScript {
			clear(r.created)
		}
		cls := make([]*stmt, len(stmts))
		made := map[string]int{} // table key -> the last statement that creates it
		for i, st := range stmts {
			toks, err := sqlsplit.Tokens(st.SQL, opts)
			if err != nil {
				return nil, fmt.Errorf("revision %s (%s:%d): %w", sc.Revision, sc.File, st.Line, err)
			}
			cls[i] = classify(toks)
			if k := cls[i].creates(); k != "" {
				made[k] = i
			}
		}
		for i, st := range stmts {
			ign := ignores(lines, st.Line-first)
			for id, reason := range sc.Ignore {
				ign[id] = reason
			}
			r.statement(sc, st, cls[i], ign, func(table string) bool { return made[tableKey(table)] > i })
		}
		if sc.NoTransaction {
			r.enums.Reset()
		}
	}
	return r.out, nil
}

// statement lints one statement of sc, classified as c; ign are the
// lint-ignore comments above it; remade tells whether a later
// statement of the script creates a table again (a rebuild: SQLite's
// batch mode drops the table and creates it anew with its rows).
func (r *run) statement(sc Script, st sqlsplit.Statement, c *stmt, ign map[string]string, remade func(table string) bool) {
	if k := c.creates(); k != "" {
		if c.at(0) == "CREATE" || r.created[tableKey(c.table)] {
			r.created[k] = true
		}
	}
	hits := c.rules(r.eng, r.o.Columns)
	if r.eng == Postgres && !sc.NoTransaction {
		if what, ok := txpolicy.NoTransaction(st.SQL); ok {
			hits = append(hits, hit{ConcurrentlyInTx, what})
		}
		where := fmt.Sprintf("%s:%d", sc.File, st.Line)
		if v, earlier, used := r.enums.Statement(st.SQL, where); used {
			hits = append(hits, hit{EnumValueUse, "uses '" + v + "' added by " + earlier})
		}
	}
	for _, h := range hits {
		rule, _ := RuleByID(h.id)
		level, set := r.o.Levels[rule.ID]
		if !set {
			level = Error
		}
		if level == Off || ((rule.SizeAware || rule.Existing) && r.created[tableKey(c.table)]) {
			continue
		}
		if rule.ID == DropTable && remade(c.table) {
			continue
		}
		f := Finding{Revision: sc.Revision, File: sc.File, Line: st.Line, Rule: rule.ID, Risk: rule.Risk,
			Safe: rule.Safe[r.eng], Level: level, Table: c.table, Statement: short(st.SQL)}
		if h.detail != "" {
			f.Risk += " (" + h.detail + ")"
		}
		if rule.SizeAware && !r.sized(&f, c.table) {
			continue
		}
		if reason, ok := ign[rule.ID]; ok {
			f.Ignored, f.Reason = true, reason
		}
		r.out = append(r.out, f)
	}
}

// sized adds the table's size to a size-aware finding's risk, or
// reports false when the table is known to be small.
func (r *run) sized(f *Finding, table string) bool {
	n, known := int64(0), false
	if r.o.Rows != nil && table != "" {
		n, known = r.o.Rows(table)
	}
	switch {
	case known && n < r.o.LargeRows:
		return false
	case known:
		f.Risk += fmt.Sprintf(" (table %s has about %d rows)", table, n)
	default:
		f.Risk += " (check the table size)"
	}
	return true
}

// short is the start of a statement on one line, without its leading
// comments.
func short(sql string) string {
	var lines []string
	for _, l := range strings.Split(sql, "\n") {
		if t := strings.TrimSpace(l); t != "" && (len(lines) > 0 || !strings.HasPrefix(t, "--")) {
			lines = append(lines, t)
		}
	}
	s := strings.Join(lines, " ")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:97]) + "..."
	}
	return s
}

// ignores reads the lint-ignore comments on the lines just above the
// statement at 0-based index idx of lines.
func ignores(lines []string, idx int) map[string]string {
	m := map[string]string{}
	for i := idx - 1; i >= 0 && i < len(lines); i-- {
		t := strings.TrimSpace(lines[i])
		sm := ignoreRe.FindStringSubmatch(t)
		if sm == nil {
			break
		}
		m[sm[1]] = strings.TrimSpace(sm[2])
	}
	return m
}

func splitOptions(eng Engine) sqlsplit.Options {
	switch eng {
	case MySQL:
		return sqlsplit.MySQL
	case SQLite:
		return sqlsplit.SQLite
	}
	return sqlsplit.Postgres
}

// tableKey is a table name without schema, quotes or case, for telling
// whether a statement's table was created earlier in the run.
func tableKey(n string) string {
	if i := strings.LastIndexByte(n, '.'); i >= 0 {
		n = n[i+1:]
	}
	return strings.ToLower(strings.Trim(n, "\"`[]"))
}
