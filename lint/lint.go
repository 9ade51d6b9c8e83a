// Package lint finds the statements of migration scripts that lock
// tables or lose data, with retort's own lexer (package sqlsplit) and a
// statement classifier; it does not parse SQL fully and needs no cgo.
package lint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/retortdb/retort/sqlsplit"
)

// Script is one SQL script to lint: a revision's upgrade text.
type Script struct {
	// Revision and File name where the script comes from.
	Revision, File string
	// SQL is the script text; Line is the file line of its first line.
	SQL  string
	Line int
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
	// Table is the table the statement changes, when known.
	Table string
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
}

// Check lints scripts, run in order in one run, for engine eng, without
// table sizes. A lexing error is bad input naming the file.
func Check(eng Engine, scripts []Script) ([]Finding, error) {
	return CheckWith(eng, scripts, Options{})
}

// CheckWith is [Check] with table sizes: a size-aware rule on a table
// known to have fewer than LargeRows rows reports nothing.
func CheckWith(eng Engine, scripts []Script, o Options) ([]Finding, error) {
	if o.LargeRows <= 0 {
		o.LargeRows = DefaultLargeRows
	}
	opts := splitOptions(eng)
	var out []Finding
	added := map[string]string{} // enum value -> where added, this transaction
	created := map[string]bool{} // tables created in this run: empty, so size-aware rules skip them
	for _, sc := range scripts {
		first := sc.Line
		if first == 0 {
			first = 1
		}
		stmts, err := sqlsplit.SplitFrom(sc.SQL, first, opts)
		if err != nil {
			return nil, fmt.Errorf("revision %s (%s): %w", sc.Revision, sc.File, err)
		}
		lines := strings.Split(sc.SQL, "\n")
		if sc.NoTransaction || sc.CommitBefore {
			clear(added)
		}
		for _, st := range stmts {
			toks, err := sqlsplit.Tokens(st.SQL, opts)
			if err != nil {
				return nil, fmt.Errorf("revision %s (%s:%d): %w", sc.Revision, sc.File, st.Line, err)
			}
			c := classify(toks)
			if c.seq(0, "CREATE", "TABLE") {
				n, _ := c.name(2)
				created[tableKey(n)] = true
			}
			ids := c.rules(eng, sc.NoTransaction)
			for v, where := range added {
				if c.hasLiteral("'" + v + "'") {
					ids = append(ids, hit{EnumValueUse, "uses '" + v + "' added by " + where})
				}
			}
			if eng == Postgres && c.addValue != "" && !sc.NoTransaction {
				added[c.addValue] = fmt.Sprintf("%s:%d", sc.File, st.Line)
			}
			ign := ignores(lines, st.Line-first)
			for _, h := range ids {
				r, _ := RuleByID(h.id)
				f := Finding{Revision: sc.Revision, File: sc.File, Line: st.Line, Rule: r.ID, Risk: r.Risk, Safe: r.Safe[eng], Table: c.table}
				if h.detail != "" {
					f.Risk += " (" + h.detail + ")"
				}
				if r.SizeAware && created[tableKey(c.table)] {
					continue
				}
				if r.SizeAware {
					n, known := int64(0), false
					if o.Rows != nil && c.table != "" {
						n, known = o.Rows(c.table)
					}
					if known && n < o.LargeRows {
						continue
					}
					if known {
						f.Risk += fmt.Sprintf(" (table %s has about %d rows)", c.table, n)
					} else {
						f.Risk += " (check the table size)"
					}
				}
				if reason, ok := ign[r.ID]; ok {
					f.Ignored, f.Reason = true, reason
				}
				out = append(out, f)
			}
		}
		if sc.NoTransaction {
			clear(added)
		}
	}
	return out, nil
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
