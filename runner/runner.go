package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/par"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/sqlsplit"
)

func (r *Runner) log() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

func (r *Runner) store() dialect.VersionStore { return r.Dialect.VersionStore(r.Table) }

func (r *Runner) tableName() string { return r.Table.String() }

// Heads reads the version table's rows without changing anything (no
// table is created), checking that the scripts know every one.
func (r *Runner) Heads(ctx context.Context, h Handle) ([]string, error) {
	var heads []string
	read := func(q dialect.Querier) error {
		var err error
		heads, err = r.store().Heads(ctx, q)
		return err
	}
	var err error
	switch {
	case h.tx != nil:
		if err = r.Prepare(ctx, h.tx, false); err == nil {
			err = read(h.tx)
		}
	case r.Schema == "" && r.OnConnect == nil:
		if h.conn != nil {
			err = read(h.conn)
		} else {
			err = read(h.db)
		}
	default:
		err = r.InTx(ctx, h, TxOptions{ReadOnly: true}, func(tx *sql.Tx) error { return read(tx) })
	}
	if err != nil {
		return nil, err
	}
	return heads, r.checkKnown(heads)
}

func (r *Runner) onConnect(ctx context.Context, q dialect.Querier, inTx bool) error {
	if r.OnConnect == nil {
		return nil
	}
	if err := r.OnConnect(ctx, ConnectInfo{Querier: q, InTransaction: inTx}); err != nil {
		return fmt.Errorf("on-connect hook: %w", err)
	}
	return nil
}

func (r *Runner) checkKnown(heads []string) error {
	var unknown []string
	for _, h := range heads {
		if r.Graph.Get(h) == nil {
			unknown = append(unknown, h)
		}
	}
	if unknown == nil {
		return nil
	}
	e := &DatabaseAheadError{Table: r.tableName(), Unknown: slices.Sorted(slices.Values(unknown))}
	for _, h := range r.Graph.RealHeads() {
		e.Heads = append(e.Heads, h.ID)
	}
	return e
}

func (r *Runner) plan(current []string, req Request, target string) (*revision.Plan, error) {
	if target == "" {
		target = req.Target
	}
	switch req.Kind {
	case Upgrade:
		return r.Graph.Upgrade(current, target)
	case Downgrade:
		return r.Graph.Downgrade(current, target)
	case Stamp:
		if req.Purge {
			current = nil
		}
		return r.Graph.Stamp(current, req.Targets)
	}
	return nil, fmt.Errorf("unknown request kind %d", req.Kind)
}

// prepare returns the bodies of every migration step, failing before
// anything runs. Reading and splitting the files runs on every core
// (Bodies is called concurrently for different steps); errors are
// joined in plan order.
func (r *Runner) prepare(steps []revision.Step) ([]Body, error) {
	bodies := make([]Body, len(steps))
	errs := make([]error, len(steps))
	par.For(len(steps), 16, func(i int) {
		if steps[i].Stamp() {
			return
		}
		if b, err := r.Bodies(steps[i]); err != nil {
			errs[i] = err
		} else {
			bodies[i] = b
		}
	})
	if err := errors.Join(errs...); err != nil {
		return bodies, err
	}
	return bodies, r.checkTxPolicy(steps, bodies)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func noTx(s revision.Step) bool { return s.Revision != nil && s.Revision.NoTransaction }

// Run applies req on h.
func (r *Runner) Run(ctx context.Context, h Handle, req Request) (*Result, error) {
	if h.tx != nil {
		if !r.Dialect.Caps().TransactionalDDL {
			return nil, &TxRefusedError{Dialect: r.Dialect.Name()}
		}
		return r.runInTx(ctx, h.tx, req)
	}
	if r.recorder() != nil {
		// The history rows name the host and the user: look them up
		// while the run connects, not before its first row.
		go func() { hostname(); osUser() }()
	}
	conn := h.conn
	r.db = h.db
	if conn == nil {
		var err error
		if conn, err = h.db.Conn(ctx); err != nil {
			return nil, fmt.Errorf("connect: %w", err)
		}
		defer conn.Close()
	}
	if r.Dialect.Caps().SessionLock {
		unlock, lockConn, err := r.runLock(ctx, h.db, conn)
		if err != nil {
			return nil, err
		}
		defer unlock()
		if lockConn != conn {
			defer r.watchRun(ctx, conn, lockConn)()
		}
	}
	return r.runOnConn(ctx, conn, req)
}

// runLock takes the dialect's session lock for the whole run (where
// Caps.SessionLock: DDL commits implicitly, so no lock lasts until a
// transaction ends). It holds the lock on lockConn, a connection of its
// own from db, or conn when the run has only the caller's connection.
// unlock releases it, whatever state the run ended in.
func (r *Runner) runLock(ctx context.Context, db *sql.DB, conn *sql.Conn) (unlock func(), lockConn *sql.Conn, err error) {
	lockConn = conn
	if db != nil {
		if lockConn, err = db.Conn(ctx); err != nil {
			return nil, nil, fmt.Errorf("connect for the lock on version table %s: %w", r.tableName(), err)
		}
	}
	closeConn := func() {
		if lockConn != conn {
			_ = lockConn.Close()
		}
	}
	t := r.Table
	if t.Schema == "" && r.Schema != "" {
		// The lock is keyed on the version table's schema, which an
		// unqualified table takes from the run's.
		t.Schema = r.Schema
	}
	release, err := r.Dialect.Locker(t, r.LockTimeout).LockSession(ctx, lockConn)
	if err != nil {
		closeConn()
		return nil, nil, err
	}
	return func() {
		if err := release(context.WithoutCancel(ctx)); err != nil {
			r.log().Warn(err.Error())
		}
		closeConn()
	}, lockConn, nil
}

// begin prepares a transaction the runner works in (Prepare, with the
// lock) and, when ensure is set, creates the version table.
func (r *Runner) begin(ctx context.Context, q dialect.Querier, ensure bool) error {
	if err := r.Prepare(ctx, q, true); err != nil {
		return err
	}
	if ensure {
		if _, err := q.ExecContext(ctx, r.store().CreateTable()); err != nil {
			return fmt.Errorf("create version table %s: %w", r.tableName(), err)
		}
		return r.ensureHistory(ctx, q)
	}
	return nil
}

func (r *Runner) runInTx(ctx context.Context, tx *sql.Tx, req Request) (*Result, error) {
	if err := r.begin(ctx, tx, true); err != nil {
		return nil, err
	}
	heads, err := r.readHeads(ctx, tx)
	if err != nil {
		return nil, err
	}
	if req.Kind == Stamp && req.Purge {
		if _, err := tx.ExecContext(ctx, r.store().DeleteAll()); err != nil {
			return nil, err
		}
	}
	plan, err := r.plan(heads, req, "")
	if err != nil {
		return nil, err
	}
	if req.Kind == Upgrade {
		if err := r.verifyApplied(ctx, tx, heads); err != nil {
			return nil, err
		}
	}
	bodies, err := r.prepare(plan.Steps)
	if err != nil {
		return nil, err
	}
	r.startAhead(plan.Steps, bodies)
	defer r.endAhead()
	for i, s := range plan.Steps {
		if noTx(s) {
			return nil, fmt.Errorf("revision %s (%s) must run outside a transaction, but retort was given the caller's *sql.Tx; pass a *sql.DB or *sql.Conn instead", s.Revision.ID, s.Revision.Source)
		}
		if i > 0 && s.Revision != nil && s.Revision.CommitBefore {
			return nil, fmt.Errorf("revision %s (%s) is marked commit-before, but retort was given the caller's *sql.Tx, which it never commits; pass a *sql.DB or *sql.Conn instead, or upgrade to the revision before it first", s.Revision.ID, s.Revision.Source)
		}
	}
	res := &Result{Before: heads}
	r.planned(0, len(plan.Steps))
	r.rows = heads
	for i, s := range plan.Steps {
		if err := r.runStep(ctx, tx, s, bodies[i]); err != nil {
			return res, err
		}
		r.rows = applyRows(r.rows, s.Rows)
		res.Durations = append(res.Durations, r.track.last)
		res.Steps = append(res.Steps, s)
	}
	res.Heads = plan.Heads
	return res, nil
}

func (r *Runner) readHeads(ctx context.Context, q dialect.Querier) ([]string, error) {
	heads, err := r.store().Heads(ctx, q)
	if err != nil {
		return nil, err
	}
	return heads, r.checkKnown(heads)
}

func (r *Runner) runOnConn(ctx context.Context, conn *sql.Conn, req Request) (*Result, error) {
	defer r.endAhead()
	res := &Result{}
	target := ""
	ensure := true
	var cache planCache
	fail := func(err error, failed string) (*Result, error) {
		var applied []string
		for _, s := range res.Steps {
			applied = append(applied, s.String())
		}
		if ctx.Err() != nil {
			return res, r.interrupted(ctx, err, applied)
		}
		if len(res.Steps) > 0 && failed != "" {
			return res, &PartialError{Applied: applied, Failed: failed, Err: err}
		}
		return res, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return fail(err, "")
		}
		var q dialect.Querier = conn
		var tx *sql.Tx
		if !r.commitsAnyway(&cache) {
			var err error
			if tx, err = conn.BeginTx(ctx, nil); err != nil {
				return fail(fmt.Errorf("begin transaction: %w", err), "")
			}
			q = tx
		}
		done, next, err := r.runTxRound(ctx, q, req, &target, ensure, &cache)
		ensure = false
		if err != nil {
			if tx != nil {
				_ = tx.Rollback()
			}
			return fail(err, next)
		}
		if tx != nil {
			if err := tx.Commit(); err != nil {
				return fail(fmt.Errorf("commit: %w", err), next)
			}
		}
		if res.Before == nil {
			res.Before = nonNil(done.before)
		}
		res.Steps = append(res.Steps, done.steps...)
		res.Durations = append(res.Durations, done.durations...)
		res.Heads = done.heads
		if done.noTx != nil {
			ran, err := r.runNoTx(ctx, conn, *done.noTx, done.noTxBody, req, target)
			if err != nil {
				return fail(err, done.noTx.Revision.ID)
			}
			if ran {
				res.Steps = append(res.Steps, *done.noTx)
				res.Durations = append(res.Durations, r.track.last)
			}
			continue
		}
		if done.finished {
			return res, nil
		}
	}
}

type round struct {
	before    []string
	steps     []revision.Step
	durations []time.Duration
	heads     []string
	finished  bool
	noTx      *revision.Step
	noTxBody  Body
}

// runTxRound runs, in tx, as many steps of the plan as the policy
// allows. It re-reads the version table under the lock and plans from
// what it finds, so concurrent runs never apply a step twice.
// planCache carries the rest of a plan from one transaction to the next,
// with the heads the version table must hold for it to still apply.
type planCache struct {
	valid  bool
	heads  []string
	steps  []revision.Step
	bodies []Body
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func (r *Runner) runTxRound(ctx context.Context, tx dialect.Querier, req Request, target *string, ensure bool, c *planCache) (round, string, error) {
	var rd round
	if err := r.begin(ctx, tx, ensure); err != nil {
		return rd, "", err
	}
	var heads []string
	var err error
	if c.valid && r.Dialect.Caps().SessionLock {
		// The run has held the session lock since before it first read
		// the version table, and wrote every row since: it knows the
		// rows without reading them again.
		heads = slices.Clone(c.heads)
	} else if eh, ok := r.store().(dialect.ExistingHeads); ok {
		// begin created the table in this round or the first one (IF NOT
		// EXISTS): read it in one round trip.
		if heads, err = eh.ExistingHeads(ctx, tx); err == nil {
			err = r.checkKnown(heads)
		}
	} else {
		heads, err = r.readHeads(ctx, tx)
	}
	if err != nil {
		return rd, "", err
	}
	if req.Kind == Stamp && req.Purge {
		if _, err := tx.ExecContext(ctx, r.store().DeleteAll()); err != nil {
			return rd, "", err
		}
	}
	var steps []revision.Step
	var bodies []Body
	if c.valid && sameSet(heads, c.heads) {
		// Nobody moved the database since our last round: go on with the
		// plan instead of planning (and splitting every file) again.
		steps, bodies = c.steps, c.bodies
	} else {
		plan, err := r.plan(heads, req, *target)
		if err != nil {
			return rd, "", err
		}
		if ensure && req.Kind == Upgrade {
			// After planning, so a bad target is reported first.
			if err := r.verifyApplied(ctx, tx, heads); err != nil {
				return rd, "", err
			}
		}
		*target = plan.Target
		if bodies, err = r.prepare(plan.Steps); err != nil {
			return rd, "", err
		}
		steps = plan.Steps
		r.startAhead(steps, bodies)
	}
	c.valid = false
	rd.before, rd.heads = heads, heads
	r.planned(r.track.n, len(steps))
	for i, s := range steps {
		if i > 0 && len(rd.steps) > 0 && s.Revision != nil && s.Revision.CommitBefore {
			// End this transaction before the revision; the next round
			// goes on with the rest of the plan.
			*c = planCache{valid: true, heads: rd.heads, steps: steps[i:], bodies: bodies[i:]}
			return rd, "", nil
		}
		if noTx(s) && r.Dialect.Caps().TransactionalDDL {
			// Where DDL is not transactional every revision runs as a
			// no-transaction one would: the marker changes nothing.
			rd.noTx, rd.noTxBody = &steps[i], bodies[i]
			return rd, "", nil
		}
		r.rows = rd.heads
		if err := r.runStep(ctx, tx, s, bodies[i]); err != nil {
			name := "stamp"
			if s.Revision != nil {
				name = s.Revision.ID
			}
			return rd, name, err
		}
		rd.steps = append(rd.steps, s)
		rd.durations = append(rd.durations, r.track.last)
		rd.heads = applyRows(rd.heads, s.Rows)
		if r.perMigration() && !s.Stamp() && i < len(steps)-1 {
			*c = planCache{valid: true, heads: rd.heads, steps: steps[i+1:], bodies: bodies[i+1:]}
			return rd, "", nil
		}
	}
	rd.finished = true
	return rd, "", nil
}

func applyRows(heads []string, rows []revision.RowChange) []string {
	heads = slices.Clone(heads)
	for _, rc := range rows {
		switch rc.Kind {
		case revision.Insert:
			heads = append(heads, rc.To)
		case revision.Delete:
			heads = slices.DeleteFunc(heads, func(h string) bool { return h == rc.From })
		case revision.Update:
			if i := slices.Index(heads, rc.From); i >= 0 {
				heads[i] = rc.To
			}
		}
	}
	return heads
}

// runStep runs one step's hooks, body and version rows on q, timed.
func (r *Runner) runStep(ctx context.Context, q dialect.Querier, s revision.Step, b Body) error {
	return r.timed(s, func() error { return r.step(ctx, q, s, b) })
}

func (r *Runner) step(ctx context.Context, q dialect.Querier, s revision.Step, b Body) error {
	start := time.Now()
	r.log().Info("Running " + s.String())
	info := StepInfo{Step: s, Querier: q}
	if r.Hooks.BeforeStep != nil {
		if err := r.Hooks.BeforeStep(ctx, info); err != nil {
			return fmt.Errorf("before-step hook for %s: %w", s, err)
		}
	}
	x := &liveExec{q: q, log: r.log(), track: !r.Dialect.Caps().TransactionalDDL, unwatched: r.unwatched}
	bl := r.blocker(s, b)
	var lead *sqlsplit.Statement // b's last statement, sent with its bookkeeping
	if b != nil {
		var head Body
		head, lead = r.blockLead(bl, b)
		if err := head.Run(ctx, x); err != nil {
			return r.notRolledBack(s, x, err)
		}
	}
	if err := r.record(ctx, q, s, b, bl, lead, x, start); err != nil {
		return err
	}
	if r.Hooks.AfterStep != nil {
		if err := r.Hooks.AfterStep(ctx, info); err != nil {
			return fmt.Errorf("after-step hook for %s: %w", s, err)
		}
	}
	return nil
}

// record writes what step s changes in the version table and its
// history row, after its body ran through x but for lead (see
// blockLead): in one statement of bl where there is one (blockWrite,
// which runs lead too); else the version rows, then the
// history row checking the version table where the history store can
// (checkAndRecord); else the version rows, a read of the version table
// and the history row.
func (r *Runner) record(ctx context.Context, q dialect.Querier, s revision.Step, b Body, bl dialect.StatementBlocker, lead *sqlsplit.Statement, x *liveExec, start time.Time) error {
	if done, err := r.blockWrite(ctx, q, s, b, bl, lead, x, start); done || err != nil {
		return err
	}
	if err := r.applyRows(ctx, q, s.Rows); err != nil {
		// Where DDL commits at once, the body stayed applied.
		return r.notRolledBack(s, x, err)
	}
	if done, err := r.checkAndRecord(ctx, q, s, b, time.Since(start)); done || err != nil {
		return err
	}
	if err := r.checkRows(ctx, q, s); err != nil {
		return err
	}
	return r.recordStep(ctx, q, s, time.Since(start))
}

// rowStatement renders the version-row change rc.
func (r *Runner) rowStatement(rc revision.RowChange) string {
	st := r.store()
	switch rc.Kind {
	case revision.Update:
		return st.Update(rc.From, rc.To)
	case revision.Delete:
		return st.Delete(rc.From)
	}
	return st.Insert(rc.To)
}

func (r *Runner) applyRows(ctx context.Context, q dialect.Querier, rows []revision.RowChange) error {
	for _, rc := range rows {
		stmt := r.rowStatement(rc)
		r.log().Debug(stmt)
		res, err := r.exec(ctx, q, stmt)
		if err != nil {
			return fmt.Errorf("version table %s: %w", r.tableName(), err)
		}
		if rc.Kind != revision.Insert {
			if n, err := res.RowsAffected(); err == nil && n != 1 {
				return &RowCountError{Table: r.tableName(), SQL: stmt, Rows: n}
			}
		}
	}
	return nil
}

// runNoTx runs a no-transaction revision in autocommit mode and records
// it, reporting whether it ran it. It re-checks the version table under
// the lock first: another run may have done it. Where the dialect has
// leases (Caps.Leases) a lease row guards the revision; otherwise the
// dialect's session lock on conn does.
func (r *Runner) runNoTx(ctx context.Context, conn *sql.Conn, s revision.Step, b Body, req Request, target string) (bool, error) {
	if r.Dialect.Caps().Leases {
		return r.runNoTxLeased(ctx, conn, s, b, req, target)
	}
	unlock, err := r.Dialect.Locker(r.Table, r.LockTimeout).LockSession(ctx, conn)
	if err != nil {
		return false, err
	}
	defer unlock(context.WithoutCancel(ctx)) //nolint:errcheck // the session ends with the connection anyway
	reset, err := r.sessionSetup(ctx, conn)
	if err != nil {
		return false, err
	}
	defer reset()
	heads, err := r.readHeads(ctx, conn)
	if err != nil {
		return false, err
	}
	s, ok, err := r.stillNext(heads, req, target, s)
	if err != nil || !ok {
		return false, err
	}
	start := time.Now()
	err = r.timed(s, func() error {
		r.log().Info("Running " + s.String() + " (outside a transaction)")
		return b.Run(ctx, &liveExec{q: conn, log: r.log()})
	})
	if err != nil {
		return false, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	if err := r.applyRows(ctx, tx, s.Rows); err != nil {
		_ = tx.Rollback()
		return false, err
	}
	if err := r.recordStep(ctx, tx, s, time.Since(start)); err != nil {
		_ = tx.Rollback()
		return false, err
	}
	return true, tx.Commit()
}

// stillNext re-plans from heads and reports whether s is still the next
// step (another run may have applied it meanwhile).
func (r *Runner) stillNext(heads []string, req Request, target string, s revision.Step) (revision.Step, bool, error) {
	plan, err := r.plan(heads, req, target)
	if err != nil {
		return s, false, err
	}
	if len(plan.Steps) == 0 || plan.Steps[0].Revision == nil || plan.Steps[0].Revision.ID != s.Revision.ID || plan.Steps[0].Direction != s.Direction {
		return s, false, nil // the next round re-plans
	}
	return plan.Steps[0], true, nil
}

// sessionSetup prepares a connection that runs statements outside a
// transaction: the run's schema for the session and the on-connect hook.
// reset undoes the schema.
func (r *Runner) sessionSetup(ctx context.Context, conn *sql.Conn) (reset func(), err error) {
	reset = func() {}
	if r.Schema != "" {
		stmts, err := r.Dialect.SetSchema(r.Schema)
		if err != nil {
			return reset, err
		}
		for _, st := range stmts {
			if _, err := conn.ExecContext(ctx, st); err != nil {
				return reset, err
			}
		}
		if rs, ok := r.Dialect.(dialect.SchemaResetter); ok {
			reset = func() {
				for _, st := range rs.ResetSchema() {
					conn.ExecContext(context.WithoutCancel(ctx), st) //nolint:errcheck // best effort
				}
			}
		}
	}
	if err := r.onConnect(ctx, conn, false); err != nil {
		return reset, err
	}
	return reset, nil
}

type liveExec struct {
	q   dialect.Querier
	log *slog.Logger
	// track records the statements run (ran) and the one that failed,
	// where DDL is not transactional and a failure must say what stayed.
	track  bool
	ran    []string
	failed string
	// unwatched: see Runner.exec.
	unwatched bool
}

func (x *liveExec) Exec(ctx context.Context, sql string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	x.log.Debug(sql)
	if x.unwatched {
		ctx = context.WithoutCancel(ctx) // checked above
	}
	_, err := x.q.ExecContext(ctx, sql)
	if x.track {
		if err != nil {
			x.failed = sql
		} else {
			x.ran = append(x.ran, sql)
		}
	}
	return err
}

// notRolledBack wraps err, the failure of step s's body, in a
// *[CommittedError] where DDL is not transactional and statements of the
// step committed: rolling the step's transaction back does not undo
// them. On MySQL a statement that commits implicitly (DDL) commits what
// ran before it, and the session, in autocommit mode, then commits each
// later statement as it runs; so either no statement committed (no DDL
// ran, and the rollback undoes them all) or every one that ran did.
func (r *Runner) notRolledBack(s revision.Step, x *liveExec, err error) error {
	if !x.track || len(x.ran) == 0 {
		return err
	}
	if ic, ok := r.Dialect.(dialect.ImplicitCommitter); ok {
		ddl := x.failed != "" && ic.CommitsImplicitly(x.failed)
		for _, st := range x.ran {
			ddl = ddl || ic.CommitsImplicitly(st)
		}
		if !ddl {
			return err
		}
	}
	id := "stamp"
	if s.Revision != nil {
		id = s.Revision.ID
	}
	return &CommittedError{Revision: id, Direction: s.Direction.String(), Dialect: r.Dialect.Name(), Committed: x.ran, Err: err}
}

func (x *liveExec) Querier() dialect.Querier { return x.q }

// done counts st, run outside Exec (in a block), as run; fail as the
// statement that failed.
func (x *liveExec) done(st *sqlsplit.Statement) {
	if x.track && st != nil {
		x.ran = append(x.ran, st.SQL)
	}
}

func (x *liveExec) fail(st *sqlsplit.Statement) {
	if x.track && st != nil {
		x.failed = st.SQL
	}
}

// commitsAnyway reports whether the next round, the first step of plan
// c, runs without a transaction: where the run holds the session lock
// and DDL commits implicitly (MySQL), a revision whose first statement
// commits implicitly gains nothing from BEGIN and COMMIT around it.
// That statement commits the transaction at once, and every later one,
// the version row and the history row then commit as they run (the
// session is in autocommit mode), with or without them; so the round
// skips their two round trips. A revision that begins with DML keeps
// its transaction, which holds that DML until the first DDL.
func (r *Runner) commitsAnyway(c *planCache) bool {
	caps := r.Dialect.Caps()
	if caps.TransactionalDDL || !caps.SessionLock || !c.valid || len(c.bodies) == 0 {
		return false
	}
	ic, ok := r.Dialect.(dialect.ImplicitCommitter)
	if !ok {
		return false
	}
	b, ok := c.bodies[0].(*SQLBody)
	return ok && len(b.Statements) > 0 && ic.CommitsImplicitly(b.Statements[0].SQL)
}

// perMigration reports whether each revision commits on its own: when
// asked, and always where DDL is not transactional (as Alembic does on
// MySQL), so the version table never claims what a failed run undid.
func (r *Runner) perMigration() bool {
	return r.PerMigration || !r.Dialect.Caps().TransactionalDDL
}
