package runner

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/revision"
)

// ReadRecord reads the version table's rows and the history table's
// rows in one read-only transaction, creating nothing; rows is empty
// when the dialect keeps no history or the table does not exist yet.
func (r *Runner) ReadRecord(ctx context.Context, h Handle) (heads []string, rows []dialect.HistoryRow, err error) {
	err = r.InTx(ctx, h, TxOptions{ReadOnly: true}, func(tx *sql.Tx) error {
		var err error
		if heads, err = r.store().Heads(ctx, tx); err != nil {
			return err
		}
		if r.recorder() != nil {
			rows, err = r.history().Rows(ctx, tx)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return heads, rows, r.checkKnown(heads)
}

// AcceptChecksums records the current checksums of the applied
// revisions ids as reviewed (retort checksum --accept), under the lock.
func (r *Runner) AcceptChecksums(ctx context.Context, h Handle, ids []string) error {
	if r.recorder() == nil {
		return fmt.Errorf("dialect %s keeps no history table", r.Dialect.Name())
	}
	return r.InTx(ctx, h, TxOptions{Write: true, Lock: true}, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, r.store().CreateTable()); err != nil {
			return fmt.Errorf("create version table %s: %w", r.tableName(), err)
		}
		if err := r.ensureHistory(ctx, tx); err != nil {
			return err
		}
		heads, err := r.readHeads(ctx, tx)
		if err != nil {
			return err
		}
		applied, err := r.Graph.Applied(heads)
		if err != nil {
			return err
		}
		var revs []*revision.Revision
		for _, id := range ids {
			rev := r.Graph.Get(id)
			if rev == nil || !slices.Contains(applied, rev) {
				return fault.BadInput(fmt.Errorf("revision %s is not applied to this database, so it has no checksum to accept; 'retort current' shows what is applied", id))
			}
			revs = append(revs, rev)
		}
		return r.accept(ctx, tx, revs)
	})
}
