package runner

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
)

const (
	// leasePoll is how often a run waiting for another run's lease looks
	// again.
	leasePoll = 200 * time.Millisecond
	// renewEvery is how often the lease holder renews its lease (more
	// often when lease_expiry is under 15 s).
	renewEvery = 5 * time.Second
	// defaultLeaseExpiry is lease_expiry's default.
	defaultLeaseExpiry = 30 * time.Second
)

// ErrLeaseLost is matched by the error of a run that lost its lease
// while it ran a no-transaction revision (another run took it over, or
// it could not be renewed in time); the run stops.
var ErrLeaseLost = errors.New("lease of the no-transaction revision lost")

func (r *Runner) leaseExpiry() time.Duration {
	if r.Record.LeaseExpiry > 0 {
		return r.Record.LeaseExpiry
	}
	return defaultLeaseExpiry
}

func (r *Runner) leaseStore() dialect.LeaseStore {
	return r.Dialect.(dialect.Recorder).Lease(r.Table)
}

// canRenew reports whether the run has a second connection to renew its
// lease on while a statement runs on the first.
func (r *Runner) canRenew() bool {
	return r.db != nil && r.db.Stats().MaxOpenConnections != 1
}

// leased is what takeLease found: the step still to run, and the
// progress an earlier run left.
type leased struct {
	step revision.Step
	ok   bool
	// row is this run's history row, nil without history.
	row *dialect.HistoryRow
	// want are the checksums of the statements an earlier run committed.
	want []string
	// prev describes that run.
	prev dialect.HistoryRow
}

// runNoTxLeased runs a no-transaction revision guarded by a lease row:
// under the transaction-level lock it checks the version table and takes
// the lease (waiting while a live run holds it, taking it over from one
// that died), then runs the revision in autocommit mode, recording each
// committed statement in the history table and renewing the lease from
// a second connection, and finally, under the lock again, records the
// revision and drops the lease. Nothing depends on the session, so this
// holds behind a transaction-pooling proxy.
func (r *Runner) runNoTxLeased(ctx context.Context, conn *sql.Conn, s revision.Step, b Body, req Request, target string) (bool, error) {
	owner := randomOwner()
	session := ""
	if p, ok := r.Dialect.(dialect.SessionProber); ok {
		var err error
		if session, err = p.Session(ctx, conn); err != nil {
			return false, err
		}
	}
	l, err := r.takeLease(ctx, conn, s, req, target, owner, session)
	if err != nil || !l.ok {
		return false, err
	}
	s = l.step
	start := time.Now()
	rctx, lost := context.WithCancelCause(ctx)
	defer lost(nil)
	stop := r.renew(rctx, lost, owner)
	px := &progressExec{x: &liveExec{q: conn, log: r.log()}, r: r, row: l.row, want: l.want, prev: l.prev, rev: s.Revision}
	reset, err := r.sessionSetup(rctx, conn)
	if err == nil {
		err = r.timed(s, func() error {
			r.log().Info("Running " + s.String() + " (outside a transaction)")
			if err := b.Run(rctx, px); err != nil {
				return err
			}
			return px.finish()
		})
	}
	stop()
	reset()
	if cause := context.Cause(rctx); err != nil && cause != nil && ctx.Err() == nil {
		err = fmt.Errorf("%w: %w", cause, err)
	}
	if err != nil {
		// Give the lease back, recording no version row; the statements
		// that committed stay recorded in the history row.
		ferr := r.releaseLease(context.WithoutCancel(ctx), conn, owner, nil, px.row, dialect.StatePartial, time.Since(start))
		var re *ResumeError
		if errors.As(err, &re) {
			return false, errors.Join(err, ferr)
		}
		return false, errors.Join(&NoTransactionError{Revision: s.Revision.ID, Direction: s.Direction.String(), File: s.Revision.Source.File,
			Committed: Committed{Statements: px.committed(), Earlier: len(l.want)}, Err: err}, ferr)
	}
	return true, r.releaseLease(ctx, conn, owner, s.Rows, px.row, dialect.StateDone, time.Since(start))
}

// releaseLease, under the lock, applies rows to the version table,
// brings the history row up to date and drops the lease, unless another
// run took the lease over.
func (r *Runner) releaseLease(ctx context.Context, conn *sql.Conn, owner string, rows []revision.RowChange, row *dialect.HistoryRow, state string, d time.Duration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	if err := r.begin(ctx, tx, false); err != nil {
		return err
	}
	ls := r.leaseStore()
	l, err := ls.Read(ctx, tx)
	if err != nil {
		return err
	}
	if l == nil || l.Owner != owner {
		holder := "nobody"
		if l != nil {
			holder = l.Holder
		}
		return fmt.Errorf("%w: %s took over the lease of this run (now held by %s); nothing was recorded in the version table; run the upgrade again once that run has ended", ErrLeaseLost, ls.Table(), holder)
	}
	if err := r.applyRows(ctx, tx, rows); err != nil {
		return err
	}
	if row != nil {
		row.State, row.Duration = state, d
		if _, err := tx.ExecContext(ctx, r.history().Update(*row)); err != nil {
			return fmt.Errorf("history table %s: %w", r.history().Table(), err)
		}
	}
	if err := ls.Release(ctx, tx, owner); err != nil {
		return err
	}
	return tx.Commit()
}

// observed is a lease as a waiting run last saw it change, by the
// waiter's own clock.
type observed struct {
	owner    string
	renewals int64
	since    time.Time
}

// takeLease waits until s is still the next step and no live run holds
// the lease, then takes it. It reports ok false when another run has
// applied s meanwhile.
func (r *Runner) takeLease(ctx context.Context, conn *sql.Conn, s revision.Step, req Request, target, owner, session string) (leased, error) {
	holder := fmt.Sprintf("host %s, pid %d, %s", hostname(), os.Getpid(), filepath.Base(os.Args[0]))
	start := time.Now()
	var seen observed
	for {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return leased{}, fmt.Errorf("begin transaction: %w", err)
		}
		l, other, err := r.tryLease(ctx, tx, s, req, target, dialect.Lease{Owner: owner, Holder: holder, Session: session}, &seen)
		if err != nil {
			_ = tx.Rollback()
			return leased{}, err
		}
		if err := tx.Commit(); err != nil {
			return leased{}, err
		}
		if other == "" {
			return l, nil
		}
		if r.LockTimeout > 0 && time.Since(start) > r.LockTimeout {
			return leased{}, &dialect.LockTimeoutError{Table: r.Table, Timeout: r.LockTimeout,
				Holder: other,
				Err:    errors.New("a no-transaction revision is in progress")}
		}
		select {
		case <-ctx.Done():
			return leased{}, ctx.Err()
		case <-time.After(leasePoll):
		}
	}
}

// tryLease, in tx, re-plans and takes the lease when it is free or its
// holder is gone. other describes the holder when a live run has it.
func (r *Runner) tryLease(ctx context.Context, tx *sql.Tx, s revision.Step, req Request, target string, mine dialect.Lease, seen *observed) (l leased, other string, err error) {
	if err := r.begin(ctx, tx, false); err != nil {
		return l, "", err
	}
	heads, err := r.readHeads(ctx, tx)
	if err != nil {
		return l, "", err
	}
	if l.step, l.ok, err = r.stillNext(heads, req, target, s); err != nil || !l.ok {
		return l, "", err
	}
	ls := r.leaseStore()
	if err := ls.Ensure(ctx, tx); err != nil {
		return l, "", err
	}
	cur, err := ls.Read(ctx, tx)
	if err != nil {
		return l, "", err
	}
	if cur != nil {
		why, err := r.stale(ctx, tx, cur, seen)
		if err != nil {
			return l, "", err
		}
		if why == "" {
			other = fmt.Sprintf("%s, running revision %s since %s", cur.Holder, cur.Revision, cur.Taken.Format(time.RFC3339))
			if cur.Expiry <= 0 {
				other += "; that lease does not expire (its run had no second connection to renew it on, or it was taken by an older retort): if that run died, delete its row from " + ls.Table().String()
			} else {
				other += fmt.Sprintf("; retort takes the lease over once it is not renewed for %s (lease_expiry)", cur.Expiry)
			}
			return l, other, nil
		}
		r.log().Warn(fmt.Sprintf("taking over the lease of revision %s from %s (taken %s): %s",
			cur.Revision, cur.Holder, cur.Taken.Format(time.RFC3339), why))
		if err := ls.Release(ctx, tx, cur.Owner); err != nil {
			return l, "", err
		}
	}
	mine.Revision, mine.Taken = l.step.Revision.ID, time.Now().UTC()
	if r.canRenew() {
		mine.Expiry = r.leaseExpiry()
	}
	if err := ls.Take(ctx, tx, mine); err != nil {
		return l, "", err
	}
	return l, "", r.startRow(ctx, tx, &l)
}

// stale reports why the lease cur may be taken over, or "" while its
// holder lives: the holder's session is gone (where the engine can
// tell), or the lease was not renewed for its expiry by this run's clock
// while the holder's session, if known, runs no statement.
func (r *Runner) stale(ctx context.Context, q dialect.Querier, cur *dialect.Lease, seen *observed) (string, error) {
	exists, active := true, false
	if p, ok := r.Dialect.(dialect.SessionProber); ok && cur.Session != "" {
		var err error
		if exists, active, err = p.SessionState(ctx, q, cur.Session); err != nil {
			return "", err
		}
		if !exists {
			return "its database session (" + cur.Session + ") is gone", nil
		}
	}
	if seen.owner != cur.Owner || seen.renewals != cur.Renewals {
		*seen = observed{owner: cur.Owner, renewals: cur.Renewals, since: time.Now()}
		return "", nil
	}
	if cur.Expiry <= 0 || active {
		return "", nil
	}
	if idle := time.Since(seen.since); idle >= cur.Expiry {
		return fmt.Sprintf("not renewed for %s (lease_expiry %s)", idle.Round(time.Millisecond), cur.Expiry), nil
	}
	return "", nil
}

// startRow, in tx, finds what an earlier run of the same revision left
// part-way and writes this run's history row, carrying that progress
// over (unless the revision is to restart).
func (r *Runner) startRow(ctx context.Context, tx *sql.Tx, l *leased) error {
	if r.recorder() == nil {
		return nil
	}
	h := r.history()
	rows, err := h.Rows(ctx, tx)
	if err != nil {
		return err
	}
	dir := dialect.HistoryUpgrade
	if l.step.Direction == revision.Down {
		dir = dialect.HistoryDowngrade
	}
	id := l.step.Revision.ID
	row := r.newRow(id, dir)
	row.State = dialect.StatePartial
	if row.Checksum, err = r.checksum(l.step.Revision); err != nil {
		return err
	}
	for i := len(rows) - 1; i >= 0; i-- {
		p := rows[i]
		if p.Revision != id {
			continue
		}
		if p.Direction == dir && p.State == dialect.StatePartial && p.Statements > 0 {
			if r.Record.RestartRevision == id {
				r.log().Warn(fmt.Sprintf("revision %s: an earlier run (%s) committed %d statements; running it again from its first statement as --restart-revision says", id, p.Run, p.Statements))
			} else {
				l.want, l.prev = p.StatementChecksums, p
				row.Statements, row.StatementChecksums = p.Statements, p.StatementChecksums
			}
			p.State = dialect.StateInterrupted
			if _, err := tx.ExecContext(ctx, h.Update(p)); err != nil {
				return fmt.Errorf("history table %s: %w", h.Table(), err)
			}
		}
		break
	}
	if _, err := tx.ExecContext(ctx, h.Insert(row)); err != nil {
		return fmt.Errorf("history table %s: %w", h.Table(), err)
	}
	l.row = &row
	return nil
}

// renew renews owner's lease every renewEvery (a third of the expiry
// when that is shorter) on a connection of its own, until stop is
// called. When the lease is gone (taken over) or cannot be renewed for
// two thirds of its expiry, it cancels the run with ErrLeaseLost, so a
// run never goes on after another may have taken its place.
func (r *Runner) renew(ctx context.Context, lost context.CancelCauseFunc, owner string) (stop func()) {
	if !r.canRenew() {
		return func() {}
	}
	expiry := r.leaseExpiry()
	every := min(renewEvery, expiry/3)
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		last := time.Now()
		for {
			select {
			case <-rctx.Done():
				return
			case <-t.C:
			}
			ok, err := r.renewOnce(rctx, owner)
			switch {
			case rctx.Err() != nil:
				return
			case err == nil && ok:
				last = time.Now()
			case err == nil:
				lost(fmt.Errorf("%w: another run took it over", ErrLeaseLost))
				return
			case time.Since(last) > expiry*2/3:
				lost(fmt.Errorf("%w: not renewed for %s (lease_expiry %s): %v", ErrLeaseLost, time.Since(last).Round(time.Millisecond), expiry, err))
				return
			default:
				r.log().Warn("renewing the lease: " + err.Error())
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// renewOnce renews the lease in a transaction of its own, under the
// lock, so that it never races a run deciding to take the lease over.
func (r *Runner) renewOnce(ctx context.Context, owner string) (bool, error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	if err := r.begin(ctx, tx, false); err != nil {
		return false, err
	}
	ok, err := r.leaseStore().Renew(ctx, tx, owner)
	if err != nil {
		return false, err
	}
	return ok, tx.Commit()
}

// progressExec runs a no-transaction revision's statements, skipping
// those an earlier run committed (when they are unchanged) and recording
// each one that commits in the history row.
type progressExec struct {
	x    Executor
	r    *Runner
	rev  *revision.Revision
	row  *dialect.HistoryRow
	want []string
	prev dialect.HistoryRow
	seen int
}

func (p *progressExec) Querier() dialect.Querier { return p.x.Querier() }

func (p *progressExec) committed() int {
	if p.row == nil {
		return max(p.seen-1, 0)
	}
	return p.row.Statements
}

func (p *progressExec) resumeError(differs int) error {
	return &ResumeError{Revision: p.rev.ID, File: p.rev.Source.File, Committed: len(p.want), Differs: differs,
		Run: fmt.Sprintf("run %s from %s, user %s", p.prev.Run, p.prev.Host, p.prev.User), At: p.prev.Applied}
}

func (p *progressExec) Exec(ctx context.Context, sql string) error {
	n := p.seen
	p.seen++
	sum := StatementChecksum(sql, p.r.Dialect.SplitOptions())
	if n < len(p.want) {
		if p.want[n] != sum {
			return p.resumeError(n + 1)
		}
		p.r.log().Info(fmt.Sprintf("skipping statement %d of revision %s: an earlier run committed it", n+1, p.rev.ID))
		return nil
	}
	if err := p.x.Exec(ctx, sql); err != nil {
		return err
	}
	if p.row == nil {
		return nil
	}
	p.row.Statements++
	p.row.StatementChecksums = append(p.row.StatementChecksums, sum)
	if _, err := p.x.Querier().ExecContext(ctx, p.r.history().Update(*p.row)); err != nil {
		return fmt.Errorf("statement %d of revision %s committed, but recording it in the history table failed: %w", n+1, p.rev.ID, err)
	}
	return nil
}

// finish checks, after the body ran, that it reached every statement an
// earlier run committed.
func (p *progressExec) finish() error {
	if p.seen < len(p.want) {
		return p.resumeError(p.seen + 1)
	}
	return nil
}

func randomOwner() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// hostname names this machine, for history rows and leases: looked up
// once a process.
var hostname = sync.OnceValue(func() string {
	h, err := os.Hostname()
	if err != nil {
		return "unknown"
	}
	return h
})
