package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
)

// Record configures the record a run keeps beside the version table
// (where the dialect is a [dialect.Recorder]): a history row per
// revision applied, reverted or stamped, with its checksum, and the
// lease of a no-transaction revision.
type Record struct {
	// Checksum returns a revision's checksum ("" when it has none); nil
	// records none and checks none.
	Checksum func(*revision.Revision) (string, error)
	// Prefetch, when set, is called with the revisions whose checksums
	// Verify is about to ask Checksum for, one call at a time, so that
	// the caller may compute them at once (on several cores) first; an
	// upgrade calls it while it reads the history table, on a goroutine
	// of its own (Checksum is not called meanwhile). Called again with
	// revisions it has done, it should return at once.
	Prefetch func([]*revision.Revision)
	// AllowEdited lets an upgrade run although applied revisions no
	// longer match the checksums recorded for them.
	AllowEdited bool
	// RestartRevision names a no-transaction revision to run again from
	// its first statement, although an earlier run committed some of its
	// statements.
	RestartRevision string
	// LeaseExpiry is how long a no-transaction revision's lease lasts
	// without renewal before another run takes it over; 0 means 30 s.
	LeaseExpiry time.Duration
	// Version is the retort version written into history rows.
	Version string
	// Off writes no history and checks no checksums.
	Off bool
}

// recorder returns the dialect's record tables, or nil when the run
// keeps none.
func (r *Runner) recorder() dialect.Recorder {
	rec, ok := r.Dialect.(dialect.Recorder)
	if !ok || r.Record.Off {
		return nil
	}
	return rec
}

func (r *Runner) history() dialect.HistoryStore { return r.recorder().History(r.Table) }

// runID identifies this run in history and lease rows.
func (r *Runner) runID() string {
	if r.run == "" {
		r.run = randomOwner()[:16]
	}
	return r.run
}

// newRow returns a history row of this run for rev.
func (r *Runner) newRow(rev, direction string) dialect.HistoryRow {
	return dialect.HistoryRow{Run: r.runID(), Revision: rev, Direction: direction, State: dialect.StateDone,
		Applied: time.Now().UTC(), Host: hostname(), User: osUser(), Version: r.Record.Version}
}

// ensureHistory creates the history table, in a transaction that holds
// the lock.
func (r *Runner) ensureHistory(ctx context.Context, q dialect.Querier) error {
	if r.recorder() == nil {
		return nil
	}
	h := r.history()
	if _, err := q.ExecContext(ctx, h.CreateTable()); err != nil {
		return fmt.Errorf("create history table %s: %w", h.Table(), err)
	}
	return nil
}

// recordStep writes the history rows of step s, which took d, in q.
func (r *Runner) recordStep(ctx context.Context, q dialect.Querier, s revision.Step, d time.Duration) error {
	if r.recorder() == nil {
		return nil
	}
	rows, err := r.stepRows(s, d)
	if err != nil {
		return err
	}
	h := r.history()
	for _, row := range rows {
		if _, err := q.ExecContext(ctx, h.Insert(row)); err != nil {
			return fmt.Errorf("history table %s: %w", h.Table(), err)
		}
	}
	return nil
}

// checkAndRecord checks the version table after step s and writes its
// history row in one statement, where the history store can
// ([dialect.CheckedHistory], MySQL) and s is a revision's step; it
// reports false when it did neither (then checkRows and recordStep do).
// After a body that cannot have written the version table's rows (see
// leavesVersionRows) it writes the row without the check: on MySQL the
// check reads the version table with locks, through every row version
// the updates of its key left for purge, and costs more than the rest
// of the bookkeeping together.
func (r *Runner) checkAndRecord(ctx context.Context, q dialect.Querier, s revision.Step, b Body, d time.Duration) (bool, error) {
	if r.recorder() == nil || s.Stamp() || s.Revision == nil {
		return false, nil
	}
	h, ok := r.history().(dialect.CheckedHistory)
	if !ok {
		return false, nil
	}
	rows, err := r.stepRows(s, d)
	if err != nil {
		return true, err
	}
	if r.leavesVersionRows(b) {
		if _, err := r.exec(ctx, q, r.history().Insert(rows[0])); err != nil {
			return true, fmt.Errorf("history table %s: %w", r.history().Table(), err)
		}
		return true, nil
	}
	res, err := r.exec(ctx, q, h.InsertChecked(rows[0], applyRows(r.rows, s.Rows)))
	if err != nil {
		return true, fmt.Errorf("history table %s: %w", r.history().Table(), err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 1 {
		return true, nil
	}
	// The version table is not what the step wrote: read it to say how.
	if err := r.checkRows(ctx, q, s); err != nil {
		return true, err
	}
	return true, fmt.Errorf("history table %s: the row of revision %s was not written", r.history().Table(), s.Revision.ID)
}

// leavesVersionRows reports whether body b cannot have written rows of
// the version table, so that the statement recording it need not check
// the table: where the dialect tells the statements that commit
// implicitly ([dialect.ImplicitCommitter], MySQL's DDL, which writes
// the rows of no existing table), b is a revision file whose statements
// all do, and none names a table called like the version table or
// holds a SELECT or VALUES (whose functions could write). DML, any
// other statement and Go migrations are checked; the version-row write
// itself checks its row count either way.
func (r *Runner) leavesVersionRows(b Body) bool {
	ic, ok := r.Dialect.(dialect.ImplicitCommitter)
	sb, isSQL := b.(*SQLBody)
	if !ok || !isSQL {
		return false
	}
	name := strings.ToLower(r.Table.Name)
	for _, st := range sb.Statements {
		low := strings.ToLower(st.SQL)
		if !ic.CommitsImplicitly(st.SQL) || strings.Contains(low, name) ||
			strings.Contains(low, "select") || strings.Contains(low, "values") {
			return false
		}
	}
	return true
}

// stepRows returns the history rows of step s, which took d.
func (r *Runner) stepRows(s revision.Step, d time.Duration) ([]dialect.HistoryRow, error) {
	var rows []dialect.HistoryRow
	if s.Revision != nil {
		sum, err := r.checksum(s.Revision)
		if err != nil {
			return nil, err
		}
		dir := dialect.HistoryUpgrade
		if s.Direction == revision.Down {
			dir = dialect.HistoryDowngrade
		}
		row := r.newRow(s.Revision.ID, dir)
		row.Checksum, row.Duration = sum, d
		rows = append(rows, row)
	} else {
		for _, id := range s.To {
			rev := r.Graph.Get(id)
			sum, err := r.checksum(rev)
			if err != nil {
				return nil, err
			}
			row := r.newRow(id, dialect.HistoryStamp)
			row.Checksum = sum
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// Recorded reduces history rows to the checksum recorded for each
// revision the database has applied: the latest upgrade, stamp, adopt
// or accept row counts, and a later downgrade forgets it.
func Recorded(rows []dialect.HistoryRow) map[string]string {
	out := map[string]string{}
	for _, row := range rows {
		switch row.Direction {
		case dialect.HistoryUpgrade:
			if row.State == dialect.StateDone {
				out[row.Revision] = row.Checksum
			}
		case dialect.HistoryStamp, dialect.HistoryAdopt, dialect.HistoryAccept:
			out[row.Revision] = row.Checksum
		case dialect.HistoryDowngrade:
			if row.State == dialect.StateDone {
				delete(out, row.Revision)
			}
		}
	}
	return out
}

// Verify compares the checksums of the revisions applied at heads with
// those recorded in rows, returning the edited ones, and the applied
// revisions that have no recorded checksum yet.
func (r *Runner) Verify(heads []string, rows []dialect.HistoryRow) (edited []EditedRevision, missing []*revision.Revision, err error) {
	applied, err := r.Graph.Applied(heads)
	if err != nil {
		return nil, nil, err
	}
	r.prefetch(applied)
	return r.compare(applied, rows)
}

// prefetch hands the revisions whose checksums are about to be asked
// for to Record.Prefetch, if any.
func (r *Runner) prefetch(revs []*revision.Revision) {
	if r.Record.Prefetch != nil && r.Record.Checksum != nil && len(revs) > 1 {
		r.Record.Prefetch(revs)
	}
}

// compare is Verify for the applied revisions.
func (r *Runner) compare(applied []*revision.Revision, rows []dialect.HistoryRow) (edited []EditedRevision, missing []*revision.Revision, err error) {
	rec := Recorded(rows)
	for _, rev := range applied {
		cur, err := r.checksum(rev)
		if err != nil {
			return nil, nil, err
		}
		was, ok := rec[rev.ID]
		switch {
		case !ok:
			missing = append(missing, rev)
		case was != "" && cur != "" && was != cur:
			edited = append(edited, EditedRevision{Revision: rev.ID, File: rev.Source.String(), Recorded: was, Current: cur})
		}
	}
	return edited, missing, nil
}

// verifyApplied runs at the start of an upgrade, under the lock, after
// begin created the version and history tables (IF NOT EXISTS): it
// refuses when applied revisions were edited (unless AllowEdited) and
// records the checksums of applied revisions that have none (a
// database adopted from Alembic or applied by an older retort).
func (r *Runner) verifyApplied(ctx context.Context, q dialect.Querier, heads []string) error {
	if r.recorder() == nil || r.Record.Checksum == nil {
		return nil
	}
	h := r.history()
	applied, err := r.Graph.Applied(heads)
	if err != nil {
		return err
	}
	// The checksums are computed while the history is read.
	var prefetched sync.WaitGroup
	prefetched.Go(func() { r.prefetch(applied) })
	var rows []dialect.HistoryRow
	if eh, ok := h.(dialect.ExistingHistory); ok {
		// ensureHistory created the table in this transaction.
		rows, err = eh.ExistingRows(ctx, q)
	} else {
		rows, err = h.Rows(ctx, q)
	}
	prefetched.Wait()
	if err != nil {
		return err
	}
	edited, missing, err := r.compare(applied, rows)
	if err != nil {
		return err
	}
	if len(edited) > 0 {
		if !r.Record.AllowEdited {
			return &EditedError{Revisions: edited}
		}
		for _, e := range edited {
			r.log().Warn(fmt.Sprintf("revision %s (%s) was edited after it was applied; going on as --allow-edited says", e.Revision, e.File))
		}
	}
	for _, rev := range missing {
		sum, err := r.checksum(rev)
		if err != nil {
			return err
		}
		row := r.newRow(rev.ID, dialect.HistoryAdopt)
		row.Checksum = sum
		if _, err := q.ExecContext(ctx, h.Insert(row)); err != nil {
			return fmt.Errorf("history table %s: %w", h.Table(), err)
		}
	}
	return nil
}

// accept records, in q, the current checksums of revs as reviewed.
func (r *Runner) accept(ctx context.Context, q dialect.Querier, revs []*revision.Revision) error {
	if r.recorder() == nil {
		return fmt.Errorf("dialect %s keeps no history", r.Dialect.Name())
	}
	h := r.history()
	for _, rev := range revs {
		sum, err := r.checksum(rev)
		if err != nil {
			return err
		}
		row := r.newRow(rev.ID, dialect.HistoryAccept)
		row.Checksum = sum
		if _, err := q.ExecContext(ctx, h.Insert(row)); err != nil {
			return fmt.Errorf("history table %s: %w", h.Table(), err)
		}
	}
	return nil
}

// osUser names the user running retort, for history rows: looked up
// once a process (the first lookup reads the user database).
var osUser = sync.OnceValue(func() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
})

// checkRows re-reads the version table after migration step s, inside
// its transaction, and fails when it holds anything but what the step's
// row changes made of r.rows: the migration wrote into the version
// table, and its transaction must roll back.
func (r *Runner) checkRows(ctx context.Context, q dialect.Querier, s revision.Step) error {
	if s.Stamp() {
		return nil
	}
	want := applyRows(r.rows, s.Rows)
	var got []string
	var err error
	if eh, ok := r.store().(dialect.ExistingHeads); ok {
		got, err = eh.ExistingHeads(ctx, q)
	} else {
		got, err = r.store().Heads(ctx, q)
	}
	if err != nil {
		return err
	}
	if !sameSet(got, want) || len(got) != len(want) {
		return &VersionTableWriteError{Revision: s.Revision.ID, Table: r.tableName(), Want: slices.Sorted(slices.Values(want)), Got: slices.Sorted(slices.Values(got))}
	}
	return nil
}

// interrupted describes a run whose context ended (a signal, a
// deadline) with err: what ran, what was rolled back, what committed.
func (r *Runner) interrupted(ctx context.Context, err error, applied []string) error {
	ie := &InterruptedError{Cause: context.Cause(ctx), Applied: applied}
	if nt, ok := errors.AsType[*NoTransactionError](err); ok {
		ie.Running, ie.NoTransaction, ie.Committed = nt.Direction+" of revision "+nt.Revision, true, nt.Committed.String()
		if nt.Committed.Statements > 0 {
			ie.Committed += " (the history table records them; the next upgrade resumes after them)"
		}
	} else if r.track.running != nil {
		ie.Running = r.track.running.String()
		if ce, ok := errors.AsType[*CommittedError](err); ok {
			ie.Committed = ce.stayed()
		}
	}
	return ie
}
