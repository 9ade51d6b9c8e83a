package runner

import (
	"fmt"
	"strings"

	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/internal/txpolicy"
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
	// SameRevision reports that Earlier is in the same revision, which
	// then has to be split (or run without a transaction).
	SameRevision bool
}

func (e *TxPolicyError) Error() string {
	at := fmt.Sprintf("revision %s (%s:%d)", e.Revision, e.File, e.Line)
	if e.NoTransaction {
		return fmt.Sprintf("%s runs %s, which PostgreSQL cannot run inside a transaction block: add '-- +retort no-transaction' on a line of its own above the revision's first section", at, e.What)
	}
	if e.SameRevision {
		return fmt.Sprintf("%s %s, which the same revision adds earlier (%s); PostgreSQL cannot use a new enum value before the transaction that adds it commits: "+
			"move the ALTER TYPE ... ADD VALUE into a revision of its own before this one (and set transaction_per_migration = true in retort.toml, or add '-- +retort commit-before' above the first section of revision %s), "+
			"or add '-- +retort no-transaction' above the first section of revision %s",
			at, e.What, e.Earlier, e.Revision, e.Revision)
	}
	return fmt.Sprintf("%s %s, which %s adds in the same transaction; PostgreSQL cannot use a new enum value before the transaction that adds it commits: set transaction_per_migration = true in retort.toml, or add '-- +retort commit-before' on a line of its own above the first section of revision %s",
		at, e.What, e.Earlier, e.Revision)
}

// Unwrap makes the error match fault.ErrBadInput.
func (e *TxPolicyError) Unwrap() error { return fault.ErrBadInput }

// checkTxPolicy finds, before anything runs, what the plan's
// transactions cannot hold (see [TxPolicyError]), with package
// txpolicy. Steps share a transaction unless the run commits per
// migration; a no-transaction revision runs alone and a commit-before
// one starts a new transaction. Only SQL revisions are read; Go
// migrations are code.
func (r *Runner) checkTxPolicy(steps []revision.Step, bodies []Body) error {
	if !r.Dialect.Caps().TransactionalDDL {
		return nil
	}
	var enums txpolicy.Enums // values added in this transaction
	for i, s := range steps {
		b, ok := bodies[i].(*SQLBody)
		if s.Revision == nil || !ok {
			continue
		}
		if noTx(s) || r.perMigration() || s.Revision.CommitBefore {
			enums.Reset()
		}
		if noTx(s) {
			continue
		}
		for _, st := range b.Statements {
			if what, ok := txpolicy.NoTransaction(st.SQL); ok {
				return &TxPolicyError{Revision: s.Revision.ID, File: b.File, Line: st.Line, What: what, NoTransaction: true}
			}
			where := fmt.Sprintf("revision %s (%s:%d)", s.Revision.ID, b.File, st.Line)
			if v, earlier, used := enums.Statement(st.SQL, where); used {
				return &TxPolicyError{Revision: s.Revision.ID, File: b.File, Line: st.Line,
					What: "uses enum value '" + v + "'", Earlier: earlier, SameRevision: strings.HasPrefix(earlier, "revision "+s.Revision.ID+" (")}
			}
		}
	}
	return nil
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
