package retort

import (
	"context"
	"fmt"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
)

// HistoryRow is one row of the history table (see [Env.History]).
type HistoryRow = dialect.HistoryRow

// History returns the rows of the history table <version_table>_history,
// oldest first: one per revision applied, reverted, stamped, adopted
// (checksum recorded for a revision applied before retort kept history)
// or accepted (retort checksum --accept). It creates nothing; none when
// the table does not exist yet.
func (e *Env) History(ctx context.Context) ([]HistoryRow, error) {
	h, err := e.handle(ctx, false)
	if err != nil {
		return nil, err
	}
	_, rows, err := e.runner().ReadRecord(ctx, h)
	return rows, err
}

// Edited returns the applied revisions whose content no longer matches
// the checksum recorded when they ran (white space and comments aside).
// Applied revisions with no checksum recorded yet are not reported: the
// next upgrade records them.
func (e *Env) Edited(ctx context.Context) ([]EditedRevision, error) {
	h, err := e.handle(ctx, false)
	if err != nil {
		return nil, err
	}
	r := e.runner()
	heads, rows, err := r.ReadRecord(ctx, h)
	if err != nil {
		return nil, err
	}
	edited, _, err := r.Verify(heads, rows)
	return edited, err
}

// AcceptChecksums records the current content of the applied revisions
// revs (ids or unique prefixes) as reviewed, so that edits made to them
// after they ran no longer stop upgrade and check.
func (e *Env) AcceptChecksums(ctx context.Context, revs ...string) error {
	if len(revs) == 0 {
		return fault.BadInput(fmt.Errorf("name the revisions whose checksums to accept"))
	}
	ids := make([]string, len(revs))
	for i, rv := range revs {
		r, err := e.graph.ResolveOne(rv)
		if err != nil {
			return err
		}
		if r == nil {
			return fault.BadInput(fmt.Errorf("%q names no revision; give a revision id", rv))
		}
		ids[i] = r.ID
	}
	h, err := e.handle(ctx, true)
	if err != nil {
		return err
	}
	return e.runner().AcceptChecksums(ctx, h, ids)
}
