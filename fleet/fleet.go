package fleet

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/ops"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Command is what a fleet run does on each member.
type Command int

// Commands of a fleet run.
const (
	// Upgrade, Downgrade and Stamp run the [retort.Request] of [Options].
	Upgrade Command = iota + 1
	Downgrade
	Stamp
	// Current reads each member's heads.
	Current
	// Check checks each member is at the heads with no edited revision.
	Check
	// History reads each member's history table (history --applied).
	History
)

// String returns the command's name.
func (c Command) String() string {
	switch c {
	case Upgrade:
		return "upgrade"
	case Downgrade:
		return "downgrade"
	case Stamp:
		return "stamp"
	case Current:
		return "current"
	case Check:
		return "check"
	case History:
		return "history"
	}
	return fmt.Sprintf("Command(%d)", int(c))
}

// State is where one member stands in a fleet run.
type State int

// States of a member.
const (
	// Pending: not started (yet, or at all after a failure).
	Pending State = iota
	// Running: its run is under way.
	Running
	// Done: the run changed the member and succeeded.
	Done
	// Unchanged: the member was already at the target (or the command
	// only reads).
	Unchanged
	// Failed: the member's run failed; Err says why.
	Failed
	// Deferred: another process held its lock; it is revisited at the end.
	Deferred
)

// String returns the state's name.
func (s State) String() string {
	return [...]string{"pending", "running", "done", "unchanged", "failed", "deferred"}[s]
}

// Member is one member's outcome.
type Member struct {
	// Name is the member: what fills the placeholder.
	Name string
	// State is where it stands; Err why it failed.
	State State
	Err   error
	// Before and After are its version table's rows before and after.
	Before, After []string
	// Steps is how many revisions the run applied or reverted.
	Steps    int
	Duration time.Duration
	// History is the member's history table (the History command).
	History []retort.HistoryRow
}

// Event tells the progress function of a change of one member's state,
// with the counts of the whole run.
type Event struct {
	Member                             Member
	Index                              int // the member's index in Report.Members
	Done, Failed, Running, Left, Total int
}

// Options says how a fleet run goes.
type Options struct {
	// Command is what runs; Request the upgrade, downgrade or stamp.
	Command Command
	Request retort.Request
	// Jobs bounds how many members run at once (one connection each);
	// 0 means 1.
	Jobs int
	// KeepGoing goes on starting members after a failure; by default
	// none is started after the first failure.
	KeepGoing bool
	// Canary runs the first Canary members first and stops if any fails.
	Canary int
	// Progress, when set, is called on each member's change of state,
	// from the goroutines running members, one call at a time.
	Progress func(Event)
	// EnvOptions are passed to [retort.Open] for every member.
	EnvOptions []retort.Option
	// Members, when set, are the members to run instead of the fleet's
	// own list.
	Members []string
}

// Report is what a fleet run did.
type Report struct {
	Fleet   string
	Command Command
	// Members are the members in the fleet's order.
	Members []Member
	// Heads are the scripts' heads.
	Heads    []string
	Duration time.Duration
}

// Failed returns the members that failed.
func (r *Report) Failed() []Member {
	var out []Member
	for _, m := range r.Members {
		if m.State == Failed {
			out = append(out, m)
		}
	}
	return out
}

// OK reports whether every member reached the target.
func (r *Report) OK() bool {
	for _, m := range r.Members {
		if m.State != Done && m.State != Unchanged {
			return false
		}
	}
	return true
}

// ErrIncomplete is matched (errors.Is) by the error of a fleet run where
// some member did not reach the target.
var ErrIncomplete = errors.New("fleet run incomplete")

// IncompleteError reports a fleet run where some members failed or were
// not started.
type IncompleteError struct {
	Fleet          string
	Failed, NotRun int
	First          error // the first member's error
	FirstMember    string
}

func (e *IncompleteError) Error() string {
	msg := fmt.Sprintf("fleet %s: %d member(s) failed, %d not run", e.Fleet, e.Failed, e.NotRun)
	if e.First != nil {
		msg += fmt.Sprintf("; first failure, member %s: %v", e.FirstMember, e.First)
	}
	return msg
}

// Is makes the error match [ErrIncomplete].
func (e *IncompleteError) Is(target error) bool { return target == ErrIncomplete }

// Unwrap returns the first member's error.
func (e *IncompleteError) Unwrap() error { return e.First }

// Members lists the fleet's members: its list, file or glob, or the rows
// of members_query run on members_url. Each is checked by the rule of -x
// values; a bad one is a bad-input *[config.MemberError].
func Members(ctx context.Context, f *config.Fleet) ([]string, error) {
	var ms []string
	var err error
	if f.Source == config.FromQuery {
		ms, err = query(ctx, f)
	} else {
		ms, err = f.FileMembers()
	}
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(ms))
	out := ms[:0]
	for _, m := range ms {
		if err := f.Check(m); err != nil {
			return nil, err
		}
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil, fault.BadInput(fmt.Errorf("fleet %s: %s lists no members", f.Name, f.Source))
	}
	return out, nil
}

func query(ctx context.Context, f *config.Fleet) ([]string, error) {
	u := f.MembersURL
	db, err := sql.Open(u.Driver, u.OpenDSN(5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("fleet %s: members_url %s: %w", f.Name, u.Redacted(), err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, f.MembersQuery)
	if err != nil {
		return nil, fmt.Errorf("fleet %s: members_query on %s: %w", f.Name, u.Redacted(), err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, fmt.Errorf("fleet %s: members_query: %w; it must return one text column", f.Name, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fleet %s: members_query: %w", f.Name, err)
	}
	return out, nil
}

// Run runs opts.Command on every member of f and reports each member's
// outcome. The error is nil only when every member reached the target;
// otherwise it is an *[IncompleteError] (or the error that kept the run
// from starting).
func Run(ctx context.Context, f *config.Fleet, opts Options) (*Report, error) {
	start := time.Now()
	names := opts.Members
	if names == nil {
		var err error
		if names, err = Members(ctx, f); err != nil {
			return nil, err
		}
	} else {
		for _, m := range names {
			if err := f.Check(m); err != nil {
				return nil, err
			}
		}
	}
	if opts.Command < Upgrade || opts.Command > History {
		return nil, fault.BadInput(fmt.Errorf("fleet.Run: set Options.Command (got %v)", opts.Command))
	}
	rep := &Report{Fleet: f.Name, Command: opts.Command, Members: make([]Member, len(names))}
	for i, n := range names {
		rep.Members[i].Name = n
	}
	heads, err := scriptHeads(ctx, f, names[0], opts)
	if err != nil {
		return nil, err
	}
	rep.Heads = heads
	r := &run{f: f, opts: opts, rep: rep}
	if r.pool, err = sharedPool(f, names, max(opts.Jobs, 1)); err != nil {
		return nil, err
	}
	if r.pool != nil {
		defer r.pool.Close()
	}
	all := make([]int, len(names))
	for i := range all {
		all[i] = i
	}
	canary := min(max(opts.Canary, 0), len(all))
	r.pass(ctx, r.pass(ctx, all[:canary], true), false)
	if r.failed() == 0 {
		r.pass(ctx, r.pass(ctx, all[canary:], true), false)
	}
	rep.Duration = time.Since(start)
	return rep, r.result()
}

// scriptHeads opens the environment once to read the scripts' heads.
func scriptHeads(ctx context.Context, f *config.Fleet, member string, opts Options) ([]string, error) {
	cfg, err := f.Config(member)
	if err != nil {
		return nil, err
	}
	env, err := retort.Open(ctx, cfg, opts.EnvOptions...)
	if err != nil {
		return nil, err
	}
	defer env.Close()
	var heads []string
	for _, r := range env.Graph().RealHeads() {
		heads = append(heads, r.ID)
	}
	slices.Sort(heads)
	return heads, nil
}

type run struct {
	f    *config.Fleet
	opts Options
	rep  *Report
	mu   sync.Mutex
	// pool, when set, is the connection pool every member runs on
	// (see sharedPool); it is not capped, so a member that needs a second
	// connection never waits for another member's.
	pool *sql.DB
}

// sharedPool opens one connection pool for the whole run when every
// member connects to the same server database and differs only in its
// search_path (a schema per tenant): members then reuse the connections
// of the members before them instead of each opening its own, which
// saves the connection's start-up and its first catalog reads. This is
// safe because a run sets a member's schema inside each transaction
// (SET LOCAL) and resets it after a session-level setting. Otherwise
// (a database or SQLite file per member) it returns nil.
func sharedPool(f *config.Fleet, names []string, jobs int) (*sql.DB, error) {
	if len(names) < 2 {
		return nil, nil
	}
	a, err := f.Config(names[0])
	if err != nil {
		return nil, err
	}
	b, err := f.Config(names[1])
	if err != nil {
		return nil, err
	}
	if a.URL == nil || b.URL == nil || a.URL.Dialect == config.SQLite || a.URL.DSN != b.URL.DSN || a.SearchPath == "" {
		return nil, nil
	}
	db, err := sql.Open(a.URL.Driver, a.URL.OpenDSN(a.LockTimeout))
	if err != nil {
		return nil, fmt.Errorf("fleet %s: open %s: %w", f.Name, a.URL.Redacted(), err)
	}
	// Each running member holds one connection, two while a revision
	// outside a transaction renews its lease; keep them all between
	// members.
	db.SetMaxIdleConns(2 * jobs)
	return db, nil
}

func (r *run) failed() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.rep.Members {
		if m.State == Failed {
			n++
		}
	}
	return n
}

func (r *run) result() error {
	e := &IncompleteError{Fleet: r.f.Name}
	for _, m := range r.rep.Members {
		switch m.State {
		case Failed:
			if e.First == nil {
				e.First, e.FirstMember = m.Err, m.Name
			}
			e.Failed++
		case Pending, Deferred, Running:
			e.NotRun++
		}
	}
	if e.Failed == 0 && e.NotRun == 0 {
		return nil
	}
	return e
}

// set records member i's new state and reports it.
func (r *run) set(i int, m Member) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rep.Members[i] = m
	if r.opts.Progress == nil {
		return
	}
	ev := Event{Member: m, Index: i, Total: len(r.rep.Members)}
	for _, x := range r.rep.Members {
		switch x.State {
		case Done, Unchanged:
			ev.Done++
		case Failed:
			ev.Failed++
		case Running:
			ev.Running++
		default:
			ev.Left++
		}
	}
	r.opts.Progress(ev)
}

// pass runs the members idx with at most Jobs at once. With try set, a
// member whose lock another process holds is left Deferred and
// returned; without, each waits up to lock_timeout. After a failure and
// without KeepGoing, no member is started.
func (r *run) pass(ctx context.Context, idx []int, try bool) (deferred []int) {
	jobs := max(r.opts.Jobs, 1)
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	var dmu sync.Mutex
	for _, i := range idx {
		if ctx.Err() != nil || (!r.opts.KeepGoing && r.failed() > 0) {
			break
		}
		sem <- struct{}{}
		if ctx.Err() != nil || (!r.opts.KeepGoing && r.failed() > 0) {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if r.member(ctx, i, try) {
				dmu.Lock()
				deferred = append(deferred, i)
				dmu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(deferred)
	return deferred
}

// lockHeld reports whether err says that another session holds the
// member's lock: a lock timeout, or SQLite's busy file (which a
// connection can meet as it opens the file another process writes).
func lockHeld(err error) bool {
	if _, ok := errors.AsType[*dialect.LockTimeoutError](err); ok {
		return true
	}
	e, ok := errors.AsType[*sqlite.Error](err)
	return ok && e.Code()&0xff == sqlite3.SQLITE_BUSY
}

// tryTimeout is the lock wait of the first pass: the databases' locks
// are tried, not waited for (PostgreSQL and MySQL try first and then
// wait this long; SQLite's busy_timeout is this long).
const tryTimeout = time.Millisecond

// member runs member i and reports whether it was deferred.
func (r *run) member(ctx context.Context, i int, try bool) bool {
	m := Member{Name: r.rep.Members[i].Name, State: Running}
	r.set(i, m)
	start := time.Now()
	err := r.do(ctx, &m, try)
	m.Duration = time.Since(start)
	switch {
	case try && lockHeld(err):
		m.State, m.Err = Deferred, nil
	case err != nil:
		m.State, m.Err = Failed, err
	case m.Steps > 0:
		m.State = Done
	default:
		m.State = Unchanged
	}
	r.set(i, m)
	return m.State == Deferred
}

func (r *run) do(ctx context.Context, m *Member, try bool) error {
	cfg, err := r.f.Config(m.Name)
	if err != nil {
		return err
	}
	if try && r.opts.Command <= Stamp {
		cfg.LockTimeout = tryTimeout
	}
	opts := r.opts.EnvOptions
	if r.pool != nil {
		opts = append([]retort.Option{retort.WithConn(r.pool)}, opts...)
	}
	env, err := retort.Open(ctx, cfg, opts...)
	if err != nil {
		return err
	}
	defer env.Close()
	switch r.opts.Command {
	case Current:
		m.After, err = env.CurrentHeads(ctx)
		m.Before = m.After
		return err
	case Check:
		m.After, err = env.CurrentHeads(ctx)
		m.Before = m.After
		if err != nil {
			return err
		}
		return env.Check(ctx)
	case History:
		if m.After, err = env.CurrentHeads(ctx); err != nil {
			return err
		}
		m.Before = m.After
		m.History, err = env.History(ctx)
		return err
	}
	if (r.f.CreateSchema || cfg.CreateSchema) && r.opts.Command == Upgrade && cfg.SearchPath != "" {
		if err := createSchema(ctx, env, cfg, r.pool); err != nil {
			return err
		}
	}
	req := r.opts.Request
	switch r.opts.Command {
	case Upgrade:
		req.Kind = retort.Upgrade
	case Downgrade:
		req.Kind = retort.Downgrade
	case Stamp:
		req.Kind = retort.Stamp
	}
	res, err := env.Run(ctx, req)
	if res != nil {
		m.Before, m.After, m.Steps = res.Before, res.After, len(res.Steps)
	}
	return err
}

// createSchema creates the member's schema when it does not exist, on
// the run's pool, or else on a connection of its own: the dialect finds
// it (dialect.SchemaFinder) and renders CREATE SCHEMA IF NOT EXISTS. An
// engine without named schemas (SQLite) has nothing to create.
func createSchema(ctx context.Context, env *retort.Env, cfg *config.Config, pool *sql.DB) error {
	d := env.Dialect()
	finder, ok := d.(dialect.SchemaFinder)
	if cfg.URL == nil || !d.Caps().Schemas || !ok {
		return nil
	}
	stmts, err := d.Render(ops.CreateSchema{Name: cfg.SearchPath, IfNotExists: true})
	if err != nil {
		return fmt.Errorf("create schema %s: %w", cfg.SearchPath, err)
	}
	db := pool
	if db == nil {
		if db, err = sql.Open(cfg.URL.Driver, cfg.URL.OpenDSN(cfg.LockTimeout)); err != nil {
			return err
		}
		defer db.Close()
	}
	exists := func() (bool, error) {
		found, err := finder.ExistingSchemas(ctx, db, []string{cfg.SearchPath})
		return len(found) > 0, err
	}
	if ok, err := exists(); err != nil || ok {
		return err
	}
	for _, st := range stmts {
		if _, err := db.ExecContext(ctx, st); err != nil {
			// Another runner may have created it at the same moment.
			if ok, _ := exists(); ok {
				return nil
			}
			return fmt.Errorf("create schema %s: %w", cfg.SearchPath, err)
		}
	}
	return nil
}
