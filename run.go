package retort

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/runner"
)

// Kind is what a [Request] does.
type Kind int

// Kinds of [Request].
const (
	// Upgrade runs migrations up to Request.Target.
	Upgrade Kind = iota + 1
	// Downgrade reverts migrations down to Request.Target.
	Downgrade
	// Stamp records Request.Targets without running migrations.
	Stamp
)

// String returns the kind's command name: "upgrade", "downgrade" or
// "stamp".
func (k Kind) String() string {
	switch k {
	case Upgrade:
		return "upgrade"
	case Downgrade:
		return "downgrade"
	case Stamp:
		return "stamp"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Request says what [Env.Run], [Env.RunTx] and [Env.SQL] do: an upgrade
// or downgrade to Target, or a stamp of Targets.
type Request struct {
	Kind Kind
	// Target is where an upgrade or downgrade goes: "head", "heads",
	// "base", an id, "+1", "-1", "LABEL@head", ...
	Target string
	// Targets are the revisions a stamp records.
	Targets []string
	// Purge deletes every version row before stamping (live runs only).
	Purge bool
	// AllowEdited lets an upgrade run although applied revisions were
	// edited since they ran (see [Env.Edited]); it records nothing.
	AllowEdited bool
	// RestartRevision names a no-transaction revision that an earlier
	// run left part-way, to run again from its first statement instead
	// of resuming after the statements that committed.
	RestartRevision string
}

func (r Request) runner() (runner.Request, error) {
	var k runner.Kind
	switch r.Kind {
	case Upgrade:
		k = runner.Upgrade
	case Downgrade:
		k = runner.Downgrade
	case Stamp:
		k = runner.Stamp
	default:
		return runner.Request{}, fault.BadInput(fmt.Errorf("retort.Request: set Kind to Upgrade, Downgrade or Stamp (got %v)", r.Kind))
	}
	return runner.Request{Kind: k, Target: r.Target, Targets: r.Targets, Purge: r.Purge}, nil
}

// StepResult is one step of a run: a revision applied or reverted, or a
// version-table change of a stamp (Revision nil for a stamp to base).
type StepResult struct {
	revision.Step
	// Duration is how long the step took; 0 in an SQL script.
	Duration time.Duration
}

// Result is what a run did.
type Result struct {
	// Before are the version table's rows the run started from; After
	// the rows it left.
	Before, After []string
	// Steps are the steps applied (and committed, unless the run was in
	// a caller's transaction), in order.
	Steps []StepResult
}

func newResult(r *runner.Result) *Result {
	if r == nil {
		return nil
	}
	out := &Result{Before: nonNil(r.Before), After: nonNil(r.Heads), Steps: make([]StepResult, len(r.Steps))}
	for i, s := range r.Steps {
		out.Steps[i].Step = s
		if i < len(r.Durations) {
			out.Steps[i].Duration = r.Durations[i]
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// StepEvent tells a progress function (see [WithProgress]) that a step
// started or ended.
type StepEvent struct {
	// Step is the step.
	Step revision.Step
	// N is the step's number in the run, from 1; Total the number of
	// steps planned so far (it grows if another run moves the database
	// while this one works and the rest is planned again).
	N, Total int
	// Done is false when the step starts and true when it has ended;
	// Duration and Err then say how long it took and how it failed.
	Done     bool
	Duration time.Duration
	Err      error
}

// WithProgress calls fn as each step of a live run ([Env.Run],
// [Env.RunTx], Upgrade, Downgrade, Stamp) starts and ends, on the
// goroutine of the run: the place for a progress bar. fn must be quick.
func WithProgress(fn func(StepEvent)) Option {
	return optionFunc(func(o *options) error { o.progress = fn; return nil })
}

func (e *Env) progress() func(runner.Event) {
	fn := e.opts.progress
	if fn == nil {
		return nil
	}
	return func(ev runner.Event) {
		fn(StepEvent{Step: ev.Step, N: ev.N, Total: ev.Total, Done: ev.Done, Duration: ev.Duration, Err: ev.Err})
	}
}

// ErrDatabaseAhead is matched (errors.Is) by [*DatabaseAheadError].
var ErrDatabaseAhead = runner.ErrDatabaseAhead

// DatabaseAheadError reports a database whose version table names
// revisions the scripts do not have (Table, Unknown, and the scripts'
// Heads). Runs refuse to touch it; package appdb reports the same type.
type DatabaseAheadError = runner.DatabaseAheadError

// StatementError reports a migration statement the database rejected:
// the revision, direction, file and line, and the statement.
type StatementError = runner.StatementError

// PartialError reports a run that stopped part-way: the revisions it
// committed before the failure, and the one rolled back.
type PartialError = runner.PartialError

// Run applies req (an upgrade, downgrade or stamp) and reports what it
// did. On failure the result, when not nil, lists the steps committed
// before it.
func (e *Env) Run(ctx context.Context, req Request) (*Result, error) {
	if err := e.needEngine(); err != nil {
		return nil, err
	}
	rr, err := req.runner()
	if err != nil {
		return nil, err
	}
	h, err := e.handle(ctx, true)
	if err != nil {
		return nil, err
	}
	rn, err := e.requestRunner(req)
	if err != nil {
		return nil, err
	}
	out, err := rn.Run(ctx, h, rr)
	res := newResult(out)
	if err != nil {
		err = e.missingSchema(ctx, err)
		e.forgetCreated(res, err)
	} else {
		e.created = ""
	}
	return res, err
}

// RunTx applies req (an upgrade, downgrade or stamp) inside the caller's
// transaction tx, whatever connection the environment was opened with:
// it takes the version table's lock in tx, re-reads the version table
// under it, and never commits or rolls back. It is for work that must
// land together with the caller's own statements, such as creating a
// fresh database and stamping it at the heads in one transaction
// (package appdb). A revision marked no-transaction cannot run this way.
func (e *Env) RunTx(ctx context.Context, tx *sql.Tx, req Request) (*Result, error) {
	if err := e.needEngine(); err != nil {
		return nil, err
	}
	rr, err := req.runner()
	if err != nil {
		return nil, err
	}
	rn, err := e.requestRunner(req)
	if err != nil {
		return nil, err
	}
	res, err := rn.Run(ctx, runner.Tx(tx), rr)
	return newResult(res), err
}

// Upgrade runs the migrations from the database's heads up to target
// ("head", "heads", an id, "+1", "LABEL@head", ...).
func (e *Env) Upgrade(ctx context.Context, target string) error {
	_, err := e.Run(ctx, Request{Kind: Upgrade, Target: target})
	return err
}

// Downgrade reverts migrations down to target ("base", an id, "-1",
// "LABEL@base", ...).
func (e *Env) Downgrade(ctx context.Context, target string) error {
	_, err := e.Run(ctx, Request{Kind: Downgrade, Target: target})
	return err
}

// Stamp records targets in the version table without running
// migrations.
func (e *Env) Stamp(ctx context.Context, targets ...string) error {
	_, err := e.Run(ctx, Request{Kind: Stamp, Targets: targets})
	return err
}

// SQL writes the script req would run to w, without a database,
// assuming the database is at start (nil: an empty database).
func (e *Env) SQL(ctx context.Context, w io.Writer, req Request, start []string) (*Result, error) {
	if err := e.needEngine(); err != nil {
		return nil, err
	}
	rr, err := req.runner()
	if err != nil {
		return nil, err
	}
	res, err := e.runner().Offline(ctx, w, rr, start)
	return newResult(res), err
}

// VersionTable names the environment's version table.
func (e *Env) VersionTable() dialect.Ident {
	return dialect.Ident{Schema: e.cfg.VersionTableSchema, Name: e.cfg.VersionTable}
}

// CheckPlan plans req from the version rows from (none: an empty
// database) under the environment's transaction policy and reads every
// revision it would run, without connecting: it fails as Run would
// before anything runs, such as with a *TxPolicyError for statements
// PostgreSQL cannot run or use in one transaction.
func (e *Env) CheckPlan(req Request, from []string) error {
	if err := e.needEngine(); err != nil {
		return err
	}
	rr, err := req.runner()
	if err != nil {
		return err
	}
	rn, err := e.requestRunner(req)
	if err != nil {
		return err
	}
	return rn.CheckPlan(from, rr)
}

// TxPolicyError is the error of a plan whose transactions cannot hold
// what its revisions do (see runner.TxPolicyError).
type TxPolicyError = runner.TxPolicyError

// MissingSchemaError is a run that failed because the search_path
// schema does not exist (PostgreSQL then says only "no schema has been
// selected to create in"): it names the schema and what to do.
type MissingSchemaError struct {
	// Schema is the search_path schema that does not exist.
	Schema string
	// Config names the configuration file.
	Config string
	// Err is the run's error.
	Err error
}

func (e *MissingSchemaError) Error() string {
	return fmt.Sprintf("%v: search_path schema %q does not exist; create it, set create_schema = true in %s (fleets and retort test create it), or check search_path and the -x value that fills it", e.Err, e.Schema, e.Config)
}

func (e *MissingSchemaError) Unwrap() error { return e.Err }

// missingSchema returns err as a *MissingSchemaError when the
// environment's search_path names a schema the database lacks (read
// through dialect.SchemaFinder after the failure, so a run that
// succeeds pays nothing); otherwise err unchanged.
func (e *Env) missingSchema(ctx context.Context, err error) error {
	name := e.cfg.SearchPath
	f, ok := e.dialect.(dialect.SchemaFinder)
	if name == "" || !ok || !e.dialect.Caps().Schemas || ctx.Err() != nil {
		return err
	}
	if _, isTx := e.opts.conn.(*sql.Tx); isTx {
		return err // the caller's transaction is aborted: nothing to read it with
	}
	var found []string
	if cerr := e.InTx(ctx, TxOptions{}, func(tx *sql.Tx) error {
		var ferr error
		found, ferr = f.ExistingSchemas(ctx, tx, []string{name})
		return ferr
	}); cerr != nil || len(found) > 0 {
		return err
	}
	return &MissingSchemaError{Schema: name, Config: e.cfgName(), Err: err}
}
