package runner

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
)

// leasePoll is how often a run waiting for another run's lease looks
// again.
const leasePoll = 200 * time.Millisecond

// leaseTable is the table beside the version table that holds the lease
// of a no-transaction revision in progress.
func (r *Runner) leaseTable() string {
	return r.qualified(dialect.Ident{Schema: r.Table.Schema, Name: r.Table.Name + "_lease"})
}

func (r *Runner) qualified(t dialect.Ident) string {
	if t.Schema == "" {
		return r.Dialect.QuoteIdent(t.Name)
	}
	return r.Dialect.QuoteIdent(t.Schema) + "." + r.Dialect.QuoteIdent(t.Name)
}

// runNoTxLeased runs a no-transaction revision guarded by a lease row:
// under the transaction-level lock it checks the version table and takes
// the lease (or, when another run holds it, waits and looks again), then
// runs the revision in autocommit mode, and finally, under the lock
// again, records the revision and drops the lease. Nothing depends on
// the session, so this holds behind a transaction-pooling proxy.
func (r *Runner) runNoTxLeased(ctx context.Context, conn *sql.Conn, s revision.Step, b Body, req Request, target string) (bool, error) {
	owner := randomOwner()
	s, ok, err := r.takeLease(ctx, conn, s, req, target, owner)
	if err != nil || !ok {
		return false, err
	}
	release := func(ctx context.Context, rows []revision.RowChange) error {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := r.begin(ctx, tx, false); err != nil {
			_ = tx.Rollback()
			return err
		}
		if err := r.applyRows(ctx, tx, rows); err != nil {
			_ = tx.Rollback()
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+r.leaseTable()+" WHERE owner = "+r.Dialect.QuoteLiteral(owner)); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	reset, err := r.sessionSetup(ctx, conn)
	if err == nil {
		err = r.timed(s, func() error {
			r.log().Info("Running " + s.String() + " (outside a transaction)")
			return b.Run(ctx, &liveExec{q: conn, log: r.log()})
		})
	}
	reset()
	if err != nil {
		// Give the lease back, recording nothing; the revision's partial
		// effects (if any) are the user's to see in the error.
		_ = release(context.WithoutCancel(ctx), nil)
		return false, err
	}
	return true, release(ctx, s.Rows)
}

// takeLease waits until s is still the next step and no other run holds
// the lease, then takes it. It reports false when another run has applied
// s meanwhile.
func (r *Runner) takeLease(ctx context.Context, conn *sql.Conn, s revision.Step, req Request, target, owner string) (revision.Step, bool, error) {
	holder := fmt.Sprintf("host %s pid %d", hostname(), os.Getpid())
	start := time.Now()
	for {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return s, false, fmt.Errorf("begin transaction: %w", err)
		}
		next, ok, other, err := r.tryLease(ctx, tx, s, req, target, owner, holder)
		if err != nil {
			_ = tx.Rollback()
			return s, false, err
		}
		if err := tx.Commit(); err != nil {
			return s, false, err
		}
		if other == "" {
			return next, ok, nil
		}
		if r.LockTimeout > 0 && time.Since(start) > r.LockTimeout {
			return s, false, &dialect.LockTimeoutError{Table: r.Table, Timeout: r.LockTimeout,
				Holder: other + "; if that run died, delete its row from " + r.leaseTable(),
				Err:    errors.New("a no-transaction revision is in progress")}
		}
		select {
		case <-ctx.Done():
			return s, false, ctx.Err()
		case <-time.After(leasePoll):
		}
	}
}

// tryLease, in tx, re-plans and takes the lease when it is free. other
// describes the lease's holder when another run has it.
func (r *Runner) tryLease(ctx context.Context, tx *sql.Tx, s revision.Step, req Request, target, owner, holder string) (next revision.Step, ok bool, other string, err error) {
	if err := r.begin(ctx, tx, false); err != nil {
		return s, false, "", err
	}
	heads, err := r.readHeads(ctx, tx)
	if err != nil {
		return s, false, "", err
	}
	next, ok, err = r.stillNext(heads, req, target, s)
	if err != nil || !ok {
		return s, false, "", err
	}
	lease := r.leaseTable()
	if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+lease+
		" (owner VARCHAR(64) NOT NULL PRIMARY KEY, revision VARCHAR(32) NOT NULL, holder VARCHAR(255) NOT NULL, taken VARCHAR(40) NOT NULL)"); err != nil {
		return s, false, "", fmt.Errorf("lease table %s: %w", lease, err)
	}
	var rev, who, taken string
	switch err := tx.QueryRowContext(ctx, "SELECT revision, holder, taken FROM "+lease).Scan(&rev, &who, &taken); {
	case err == nil:
		return s, false, fmt.Sprintf("%s, running revision %s since %s", who, rev, taken), nil
	case !errors.Is(err, sql.ErrNoRows):
		return s, false, "", fmt.Errorf("lease table %s: %w", lease, err)
	}
	q := r.Dialect.QuoteLiteral
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+lease+" (owner, revision, holder, taken) VALUES ("+
		q(owner)+", "+q(next.Revision.ID)+", "+q(holder)+", "+q(time.Now().UTC().Format(time.RFC3339))+")"); err != nil {
		return s, false, "", fmt.Errorf("lease table %s: %w", lease, err)
	}
	return next, true, "", nil
}

func randomOwner() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "unknown"
	}
	return h
}
