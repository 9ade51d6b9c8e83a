package runner

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/retortdb/retort/dialect"
)

// Prepare makes q a transaction retort works in: the run's schema for
// the transaction (SET LOCAL search_path), then the on-connect hook,
// then, when lock is set, the version table's transaction lock (not
// where the dialect has Caps.SessionLock: there the run holds the
// session lock, see InTx). Every transaction retort opens on a
// database goes through it: the runner's own, the environment's reads
// and writes (InTx), and appdb's Sync.
func (r *Runner) Prepare(ctx context.Context, q dialect.Querier, lock bool) error {
	if r.Schema != "" {
		stmts, err := r.Dialect.SetSchemaLocal(r.Schema)
		if err != nil {
			return err
		}
		for _, s := range stmts {
			if _, err := q.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("set schema %s: %w", r.Schema, err)
			}
		}
	}
	if err := r.onConnect(ctx, q, true); err != nil {
		return err
	}
	if lock && !r.Dialect.Caps().SessionLock {
		return r.Dialect.Locker(r.Table, r.LockTimeout).LockTx(ctx, q)
	}
	return nil
}

// TxOptions says how [Runner.InTx] opens its transaction.
type TxOptions struct {
	// Write commits the transaction when fn succeeds; without it the
	// transaction is always rolled back.
	Write bool
	// ReadOnly begins the transaction read-only.
	ReadOnly bool
	// Lock takes the version table's lock before fn: the transaction
	// lock, or, where the dialect has Caps.SessionLock, its session
	// lock on a connection of its own, held until InTx returns.
	Lock bool
}

// InTx runs fn in a transaction on h, prepared as the runner prepares
// its own (see Prepare): a new transaction on h's pool or connection,
// committed when o.Write is set and fn succeeds and rolled back
// otherwise; or the caller's transaction (a Tx handle), which is never
// committed or rolled back.
func (r *Runner) InTx(ctx context.Context, h Handle, o TxOptions, fn func(*sql.Tx) error) error {
	if h.tx != nil {
		if o.Lock && r.Dialect.Caps().SessionLock {
			return &TxRefusedError{Dialect: r.Dialect.Name()}
		}
		if err := r.Prepare(ctx, h.tx, o.Lock); err != nil {
			return err
		}
		return fn(h.tx)
	}
	if o.Lock && r.Dialect.Caps().SessionLock {
		unlock, _, err := r.runLock(ctx, h.db, h.conn)
		if err != nil {
			return err
		}
		defer unlock()
	}
	var txo *sql.TxOptions
	if o.ReadOnly {
		txo = &sql.TxOptions{ReadOnly: true}
	}
	var tx *sql.Tx
	var err error
	if h.conn != nil {
		tx, err = h.conn.BeginTx(ctx, txo)
	} else {
		tx, err = h.db.BeginTx(ctx, txo)
	}
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := r.Prepare(ctx, tx, o.Lock); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if !o.Write {
		return tx.Rollback()
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
