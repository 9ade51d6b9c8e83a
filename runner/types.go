package runner

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
)

// Executor runs the statements of a [Body]: on a live transaction or
// connection, or into an offline script.
type Executor interface {
	// Exec runs one statement.
	Exec(ctx context.Context, sql string) error
	// Querier is the live transaction or connection the step runs on;
	// nil when rendering an offline script.
	Querier() dialect.Querier
}

// Body is what one revision does in one direction.
type Body interface {
	Run(ctx context.Context, x Executor) error
}

// BodyFunc returns the body for a migration step; it is called for every
// step of a plan before any step runs, so bad input fails before
// anything is applied, from several goroutines at once (for different
// steps).
type BodyFunc func(s revision.Step) (Body, error)

// StepInfo describes a step to hooks.
type StepInfo struct {
	Step revision.Step
	// Querier is the transaction (or connection, for a no-transaction
	// revision) the step runs on; nil offline.
	Querier dialect.Querier
}

// Hooks run inside each step's transaction, around its body.
type Hooks struct {
	// BeforeStep runs before the body; an error stops the run.
	BeforeStep func(ctx context.Context, s StepInfo) error
	// AfterStep runs after the body and the version-table change.
	AfterStep func(ctx context.Context, s StepInfo) error
}

// ConnectInfo describes a connection to [Runner.OnConnect].
type ConnectInfo struct {
	// Querier is the transaction, or the connection before a
	// no-transaction revision.
	Querier dialect.Querier
	// InTransaction is false on the bare connection of a no-transaction
	// revision, where settings made with SET LOCAL would not hold.
	InTransaction bool
}

// Kind is the command a [Request] runs.
type Kind int

// Kinds of request.
const (
	Upgrade Kind = iota + 1
	Downgrade
	Stamp
)

// Request says what to run: an upgrade or downgrade to Target, or a
// stamp of Targets.
type Request struct {
	Kind    Kind
	Target  string
	Targets []string
	// Purge deletes every version row before stamping.
	Purge bool
}

// Result lists what a run did.
type Result struct {
	// Before are the version table's rows the run started from.
	Before []string
	// Steps are the steps applied (and committed, unless the run was in a
	// caller's transaction), in order; Durations how long each took (0
	// for an offline script).
	Steps     []revision.Step
	Durations []time.Duration
	// Heads are the version table's rows at the end.
	Heads []string
}

// Runner runs plans against one version table. Its fields are set once;
// it may be used by one run at a time.
type Runner struct {
	Graph   *revision.Graph
	Dialect dialect.Dialect
	// Table is the version table.
	Table dialect.Ident
	// Schema, when set, is made the session's default schema (PostgreSQL
	// search_path) for everything the run does.
	Schema string
	// PerMigration commits after each revision instead of once.
	PerMigration bool
	// LockTimeout bounds the wait for the version-table lock (0 = wait).
	LockTimeout time.Duration
	Bodies      BodyFunc
	Hooks       Hooks
	// OnConnect, when set, runs at the start of every transaction the
	// run works in (reads included), after the schema is set and before
	// the lock, and on the bare connection before each no-transaction
	// revision. An error stops the run.
	OnConnect func(ctx context.Context, c ConnectInfo) error
	// Logger receives "Running upgrade A -> B, message" at Info and each
	// statement at Debug; nil discards.
	Logger *slog.Logger
	// Progress, when set, is called as each step starts and ends.
	Progress func(Event)
	// Record configures the history table, checksums and leases.
	Record Record

	track tracker
	run   string   // this run's id in history and lease rows
	db    *sql.DB  // the pool, when the run has one: lease renewal
	rows  []string // the version rows before the step in progress
	// unwatched: the run's context is watched once for the whole run
	// (watchRun); statements go to the driver with a context it need
	// not watch.
	unwatched bool
	ahead     *ahead // checksums computed while the run goes on
}

// Handle is the connection a run uses: a pool, a pinned connection or a
// caller's transaction.
type Handle struct {
	db   *sql.DB
	conn *sql.Conn
	tx   *sql.Tx
}

// DB runs on a connection taken from db for the run and returned after.
func DB(db *sql.DB) Handle { return Handle{db: db} }

// Conn runs on the caller's connection, which is never closed.
func Conn(c *sql.Conn) Handle { return Handle{conn: c} }

// Tx runs inside the caller's transaction, which is never committed or
// rolled back.
func Tx(tx *sql.Tx) Handle { return Handle{tx: tx} }
