package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/sqlsplit"
)

// blocker returns the dialect's [dialect.StatementBlocker] when step s,
// whose body is b, can write its version rows and its history row in
// one Block statement, else nil: a revision's step that moves the
// version table, recorded in a history store with
// [dialect.CheckedHistory], after a body that cannot have written the
// version table's rows (leavesVersionRows), so that the row needs no
// check. The step works it out once, before its body runs.
func (r *Runner) blocker(s revision.Step, b Body) dialect.StatementBlocker {
	bl, ok := r.Dialect.(dialect.StatementBlocker)
	if !ok || r.recorder() == nil || s.Stamp() || s.Revision == nil || len(s.Rows) == 0 || !r.leavesVersionRows(b) {
		return nil
	}
	if _, ok := r.history().(dialect.CheckedHistory); !ok {
		return nil
	}
	return bl
}

// blockLead splits body b for a Block statement of bl (nil: none) that
// runs its last statement too (lead): the round trip of that statement
// is the one of the version rows and the history row. head is what runs
// before; lead is nil (and head b) when there is no block, the
// statement is not one the dialect runs in a block as alone
// ([dialect.StatementBlocker.CanLead]), or the history store cannot
// time a row written in one ([dialect.TimedHistory]).
func (r *Runner) blockLead(bl dialect.StatementBlocker, b Body) (head Body, lead *sqlsplit.Statement) {
	sb, isSQL := b.(*SQLBody)
	if bl == nil || !isSQL || len(sb.Statements) == 0 {
		return b, nil
	}
	if _, timed := r.history().(dialect.TimedHistory); !timed {
		return b, nil
	}
	last := sb.Statements[len(sb.Statements)-1]
	if !bl.CanLead(last.SQL) {
		return b, nil
	}
	h := *sb
	h.Statements = sb.Statements[:len(sb.Statements)-1]
	return &h, &last
}

// blockWrite writes step s's version-row changes and its history row
// in one statement of bl (see blocker; nil: none): one round trip a revision
// instead of two, and, with lead (body b's last statement, see
// blockLead), instead of three. Each statement still commits on its
// own, as when sent apart; a version-row change that matches no row
// stops the block before the history row. It reports false when it
// wrote nothing (the caller then writes them apart), after running lead
// on its own; its error then is lead's.
func (r *Runner) blockWrite(ctx context.Context, q dialect.Querier, s revision.Step, b Body, bl dialect.StatementBlocker, lead *sqlsplit.Statement, x *liveExec, start time.Time) (bool, error) {
	if bl == nil {
		return false, nil // and lead is nil (blockLead)
	}
	rows, err := r.stepRows(s, time.Since(start))
	if err != nil {
		return true, err
	}
	stmts := make([]string, 0, len(s.Rows)+1)
	exact := make([]bool, 0, len(s.Rows)+1)
	for _, rc := range s.Rows {
		stmts = append(stmts, r.rowStatement(rc))
		exact = append(exact, rc.Kind != revision.Insert)
	}
	leadSQL, hist := "", r.history().Insert(rows[0])
	if lead != nil {
		// The row's time and duration add what the lead took.
		leadSQL, hist = lead.SQL, r.history().(dialect.TimedHistory).InsertTimed(rows[0])
	}
	stmts = append(stmts, hist)
	exact = append(exact, false)
	block, ok := bl.Block(leadSQL, stmts, exact)
	if !ok {
		return false, r.runLead(ctx, s, b, lead, x)
	}
	r.log().Debug(block)
	if _, err := r.exec(ctx, q, block); err != nil {
		if done, err := r.leadFailed(ctx, q, bl, block, b, lead, x, err); done {
			return true, r.notRolledBack(s, x, err)
		}
		if i, n, ok := bl.BlockRowCount(err); ok && i < len(s.Rows) {
			// The block stopped there: the version rows before it are
			// written, the history row is not.
			return true, r.notRolledBack(s, x, &RowCountError{Table: r.tableName(), SQL: stmts[i], Rows: n})
		}
		// Which statement failed: the version table says whether the
		// version rows were written before it (read even when the run's
		// context ended: that is what an interrupt stopped).
		if r.checkRows(context.WithoutCancel(ctx), q, s) == nil {
			return true, fmt.Errorf("history table %s: %w", r.history().Table(), err)
		}
		return true, r.notRolledBack(s, x, fmt.Errorf("version table %s: %w", r.tableName(), err))
	}
	x.done(lead)
	return true, nil
}

// runLead runs lead, the statement of step s's body b that a block was
// to run, on its own.
func (r *Runner) runLead(ctx context.Context, s revision.Step, b Body, lead *sqlsplit.Statement, x *liveExec) error {
	if lead == nil {
		return nil
	}
	sb := *b.(*SQLBody)
	sb.Statements = []sqlsplit.Statement{*lead}
	if err := sb.Run(ctx, x); err != nil {
		return r.notRolledBack(s, x, err)
	}
	return nil
}

// leadFailed tells, after block, a Block statement with a lead, failed with
// err, whether the lead is what failed (done, with the step's error,
// as SQLBody.Run reports it); when it completed, it counts as run and
// the failure is the bookkeeping's.
func (r *Runner) leadFailed(ctx context.Context, q dialect.Querier, bl dialect.StatementBlocker, block string, b Body, lead *sqlsplit.Statement, x *liveExec, err error) (bool, error) {
	if lead == nil {
		return false, nil
	}
	ran, rerr := bl.LeadRan(context.WithoutCancel(ctx), q, block)
	if rerr != nil {
		x.fail(lead)
		return true, errors.Join(b.(*SQLBody).failed(*lead, err), fmt.Errorf("whether it completed is unknown: %w", rerr))
	}
	if ran {
		x.done(lead)
		return false, nil
	}
	x.fail(lead)
	if ctx.Err() != nil {
		return true, ctx.Err()
	}
	return true, b.(*SQLBody).failed(*lead, err)
}
