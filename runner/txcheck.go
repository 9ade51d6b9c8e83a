package runner

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/revision"
)

// TxPolicyError is the error of a plan that runs, inside one
// transaction, a statement PostgreSQL cannot run there, or uses what an
// earlier statement of the same transaction made where PostgreSQL
// cannot (a new enum value). It is found when the plan is made, before
// anything runs, and matches fault.ErrBadInput.
type TxPolicyError struct {
	// Revision, File and Line place the statement at fault.
	Revision, File string
	Line           int
	// What the statement does ("VACUUM", "uses enum value 'failed'").
	What string
	// Earlier is the revision (and file:line) that added the enum value
	// used, when that is the trouble; empty otherwise.
	Earlier string
	// NoTransaction reports that the statement can never run in a
	// transaction: the revision needs '-- +retort no-transaction'.
	NoTransaction bool
}

func (e *TxPolicyError) Error() string {
	at := fmt.Sprintf("revision %s (%s:%d)", e.Revision, e.File, e.Line)
	if e.NoTransaction {
		return fmt.Sprintf("%s runs %s, which PostgreSQL cannot run inside a transaction block: add '-- +retort no-transaction' on a line of its own above the revision's first section", at, e.What)
	}
	return fmt.Sprintf("%s %s, which %s adds in the same transaction; PostgreSQL cannot use a new enum value before the transaction that adds it commits: set transaction_per_migration = true in retort.toml, or add '-- +retort commit-before' on a line of its own above the first section of revision %s",
		at, e.What, e.Earlier, e.Revision)
}

// Unwrap makes the error match fault.ErrBadInput.
func (e *TxPolicyError) Unwrap() error { return fault.ErrBadInput }

var (
	// noTxStatement matches what PostgreSQL refuses in a transaction.
	noTxStatement = regexp.MustCompile(`(?is)^\s*(CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY|DROP\s+INDEX\s+CONCURRENTLY|REINDEX\b.*\bCONCURRENTLY|` +
		`VACUUM|ALTER\s+SYSTEM|CREATE\s+DATABASE|DROP\s+DATABASE|CREATE\s+TABLESPACE|DROP\s+TABLESPACE|ALTER\s+TABLE\s+.*\sDETACH\s+PARTITION\s+.*\sCONCURRENTLY)\b`)
	// addValue matches ALTER TYPE ... ADD VALUE 'v', capturing v.
	addValue = regexp.MustCompile(`(?is)^\s*ALTER\s+TYPE\s+\S+\s+ADD\s+VALUE\s+(?:IF\s+NOT\s+EXISTS\s+)?'((?:[^']|'')*)'`)
)

// checkTxPolicy finds, before anything runs, what the plan's
// transactions cannot hold (see [TxPolicyError]). Steps share a
// transaction unless the run commits per migration; a no-transaction
// revision runs alone and a commit-before one starts a new transaction.
// Only SQL revisions are read; Go migrations are code.
func (r *Runner) checkTxPolicy(steps []revision.Step, bodies []Body) error {
	if !r.Dialect.Caps().TransactionalDDL {
		return nil
	}
	added := map[string]string{} // enum value -> revision (file:line) that added it in this transaction
	for i, s := range steps {
		b, ok := bodies[i].(*SQLBody)
		if s.Revision == nil || !ok {
			continue
		}
		if noTx(s) || r.perMigration() || s.Revision.CommitBefore {
			clear(added)
		}
		for _, st := range b.Statements {
			text := stripComments(st.SQL)
			if !noTx(s) {
				if m := noTxStatement.FindString(text); m != "" {
					return &TxPolicyError{Revision: s.Revision.ID, File: b.File, Line: st.Line,
						What: strings.Join(strings.Fields(strings.ToUpper(m)), " "), NoTransaction: true}
				}
			}
			for v, where := range added {
				if strings.Contains(text, "'"+v+"'") {
					return &TxPolicyError{Revision: s.Revision.ID, File: b.File, Line: st.Line,
						What: "uses enum value '" + v + "'", Earlier: where}
				}
			}
			if m := addValue.FindStringSubmatch(text); m != nil && !noTx(s) {
				added[m[1]] = fmt.Sprintf("revision %s (%s:%d)", s.Revision.ID, b.File, st.Line)
			}
		}
		if noTx(s) {
			clear(added)
		}
	}
	return nil
}

// stripComments removes leading -- comment lines, so that a statement's
// first keyword is found.
func stripComments(sql string) string {
	for {
		t := strings.TrimSpace(sql)
		if !strings.HasPrefix(t, "--") {
			return t
		}
		nl := strings.IndexByte(t, '\n')
		if nl < 0 {
			return ""
		}
		sql = t[nl+1:]
	}
}

// CheckPlan plans req from the version rows heads and reads every
// step's body, failing as [Runner.Run] would before anything runs
// (unknown revisions, unreadable files, a [TxPolicyError]). It runs
// nothing.
func (r *Runner) CheckPlan(heads []string, req Request) error {
	plan, err := r.plan(heads, req, "")
	if err != nil {
		return err
	}
	_, err = r.prepare(plan.Steps)
	return err
}
