package dialect

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/sqlsplit"
)

// Querier is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

var (
	_ Querier = (*sql.DB)(nil)
	_ Querier = (*sql.Conn)(nil)
	_ Querier = (*sql.Tx)(nil)
)

// Caps lists what an engine can do that changes how the runner works.
type Caps struct {
	// TransactionalDDL reports that DDL runs inside a transaction and
	// rolls back with it (PostgreSQL, SQLite; not MySQL).
	TransactionalDDL bool
	// Schemas reports that tables live in named schemas (PostgreSQL).
	Schemas bool
	// Leases reports that revisions marked no-transaction are guarded by
	// a lease row (in a table beside the version table, named
	// <version table>_lease) written under the transaction-level lock,
	// rather than by a session lock: this holds behind a
	// transaction-pooling proxy, where a session lock does not.
	Leases bool
	// RebuildsTables reports that ALTER TABLE cannot change columns or
	// constraints, so such changes rebuild the table (batch mode, see
	// package batch; SQLite). A dialect with it implements
	// [RebuildCatalog].
	RebuildsTables bool
	// Comments reports that tables and columns carry comments.
	Comments bool
	// Enums reports named enum types (CREATE TYPE ... AS ENUM); without
	// them (or InlineEnums) an enum column compares as text.
	Enums bool
	// InlineEnums reports enum column types that carry their values
	// (MySQL's ENUM('a', 'b'), [schema.EnumOf]) and no named enum
	// types: autogenerate writes a named enum type of the target
	// schema into the columns that use it, and a change of its values
	// is a change of those columns' type. Enums and InlineEnums
	// exclude each other.
	InlineEnums bool
	// MultiStatements reports that one Exec may carry several
	// statements separated by semicolons (one round trip for a whole
	// script), inside a transaction that a SAVEPOINT can undo.
	MultiStatements bool
	// DefaultSchema is the schema unqualified names land in on a fresh
	// database ("public"), left out when objects are named for people;
	// empty when the engine has no schemas.
	DefaultSchema string
	// Placeholders is how a query refers to its arguments.
	Placeholders Placeholders
	// SessionLock reports that runs are serialised by a session lock
	// (Locker.LockSession) held on a connection of its own for the
	// whole run, not by a lock per transaction: DDL commits implicitly
	// (MySQL), so no lock can last until a transaction ends, and
	// Locker.LockTx fails.
	SessionLock bool
	// Upsert is how an INSERT that meets a row holding its unique key
	// is made to do nothing or update, and how the row is read back.
	Upsert UpsertStyle
}

// UpsertStyle is how an engine writes an insert-or-update.
type UpsertStyle int

// Upsert styles.
const (
	// OnConflict is INSERT ... ON CONFLICT (key) DO NOTHING / DO UPDATE
	// with RETURNING (PostgreSQL, SQLite).
	OnConflict UpsertStyle = iota
	// OnDuplicateKey is INSERT ... ON DUPLICATE KEY UPDATE, with no
	// RETURNING: rows are read back with a SELECT (MySQL, MariaDB).
	OnDuplicateKey
)

// Placeholders is how a query refers to its arguments.
type Placeholders int

// Placeholder styles.
const (
	// QuestionMarks writes ? for each argument (SQLite, MySQL).
	QuestionMarks Placeholders = iota
	// DollarNumbers writes $1, $2, ... (PostgreSQL).
	DollarNumbers
)

// Arg returns the placeholder of the n-th argument, counted from 1.
func (p Placeholders) Arg(n int) string {
	if p == DollarNumbers {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// String returns "?" or "$n".
func (p Placeholders) String() string {
	if p == DollarNumbers {
		return "$n"
	}
	return "?"
}

// Ident names a table, optionally qualified by a schema.
type Ident struct {
	Schema string
	Name   string
}

// Dialect is one database engine as retort sees it.
type Dialect interface {
	// Name is the engine's short name: "postgres", "sqlite", "mysql".
	Name() string
	// Caps reports the engine's abilities.
	Caps() Caps
	// QuoteIdent quotes one identifier (a name, never a dotted path).
	QuoteIdent(name string) string
	// QuoteLiteral renders s as a SQL string literal.
	QuoteLiteral(s string) string
	// SplitOptions tells the statement splitter this engine's syntax.
	SplitOptions() sqlsplit.Options
	// VersionStore returns the SQL for the version table named t.
	VersionStore(t Ident) VersionStore
	// Locker returns the lock that serialises runs on the version table t.
	Locker(t Ident, timeout time.Duration) Locker
	// Begin and Commit are the statements an offline script uses to open
	// and close a transaction; empty when the engine wants none.
	Begin() string
	Commit() string
	// SetSchema returns the statements that make schema the default for
	// unqualified names for the rest of the session (search_path), or
	// an error when the engine has no schemas.
	SetSchema(schema string) ([]string, error)
	// SetSchemaLocal is SetSchema for the current transaction only
	// (SET LOCAL), so a pooled connection goes back unchanged.
	SetSchemaLocal(schema string) ([]string, error)
	// Render returns the statements that carry out op, without a
	// database: the same text runs online and goes into --sql scripts.
	// An op that implements [Renderer] renders itself; one the engine
	// cannot do fails with an *[UnsupportedError].
	Render(op ops.Operation) ([]string, error)
}

// Renderer is implemented by custom operations: Render calls RenderSQL
// for any operation that has it, before looking at built-in kinds, so a
// custom operation may also override a built-in's rendering.
type Renderer interface {
	// RenderSQL returns the statements for d, or an *UnsupportedError
	// when the operation cannot be done on d.
	RenderSQL(d Dialect) ([]string, error)
}

// ErrUnsupported is matched (errors.Is) by *[UnsupportedError].
var ErrUnsupported = errors.New("operation not supported by the dialect")

// UnsupportedError reports an operation the dialect cannot render,
// naming the operation, its table and the dialect, with what to do
// instead.
type UnsupportedError struct {
	// Op is the operation's Describe text.
	Op string
	// Table is the table it changes, when it changes one.
	Table string
	// Dialect is the dialect's name.
	Dialect string
	// Hint says what to do instead, such as using batch mode on SQLite.
	Hint string
}

func (e *UnsupportedError) Error() string {
	msg := e.Dialect + " cannot " + e.Op
	if e.Table != "" && !strings.Contains(e.Op, e.Table) {
		msg += " (table " + e.Table + ")"
	}
	if e.Hint != "" {
		msg += ": " + e.Hint
	}
	return msg
}

// Is matches [ErrUnsupported].
func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupported }

// VersionStore renders the statements that keep the version table:
// one row per applied head, version_num VARCHAR(32) PRIMARY KEY, as
// Alembic keeps it. Ids are rendered as literals (they are validated
// [A-Za-z0-9_] and quoted with QuoteLiteral all the same), so the same
// text serves online runs and offline scripts.
type VersionStore interface {
	// Exists reports whether the table exists.
	Exists(ctx context.Context, q Querier) (bool, error)
	// Heads reads the stored heads, in the order the database returns
	// them; none when the table does not exist.
	Heads(ctx context.Context, q Querier) ([]string, error)
	// CreateTable is the DDL that creates the table if it is missing.
	CreateTable() string
	// DropTable drops the table.
	DropTable() string
	// Insert adds one row.
	Insert(id string) string
	// Update renames one row from -> to.
	Update(from, to string) string
	// Delete removes one row.
	Delete(id string) string
	// DeleteAll removes every row (stamp --purge).
	DeleteAll() string
}

// Locker serialises concurrent runs against one version table.
type Locker interface {
	// LockTx takes a lock that lasts until tx ends. Every transaction
	// the runner opens calls it first, so it works behind a
	// transaction-pooling proxy.
	LockTx(ctx context.Context, tx Querier) error
	// LockSession takes a lock held by conn until unlock is called; used
	// only around revisions that run outside a transaction. unlock must
	// be called with a context that is not cancelled.
	LockSession(ctx context.Context, conn *sql.Conn) (unlock func(context.Context) error, err error)
}

// LockTimeoutError reports that a lock was not granted in time, naming
// who held it when known.
type LockTimeoutError struct {
	// Table is the version table the lock guards.
	Table Ident
	// Holder describes the session holding the lock (pid, application,
	// client address), or is empty when unknown.
	Holder string
	// Timeout is the configured lock_timeout.
	Timeout time.Duration
	// Err is the database's error.
	Err error
}

func (e *LockTimeoutError) Error() string {
	msg := "lock on version table " + e.Table.String() + " not granted within " + e.Timeout.String()
	if e.Holder != "" {
		msg += "; held by " + e.Holder
	}
	msg += "; another retort run is migrating this database: wait for it, or raise lock_timeout"
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *LockTimeoutError) Unwrap() error { return e.Err }

// String renders the identifier as schema.name or name, unquoted, for
// messages.
func (i Ident) String() string {
	if i.Schema == "" {
		return i.Name
	}
	return i.Schema + "." + i.Name
}

// ExistingHeads is an optional [VersionStore] ability: read the rows of
// a version table known to exist, skipping the existence check (one
// round trip instead of two). The runner uses it once it has created
// the table.
type ExistingHeads interface {
	ExistingHeads(ctx context.Context, q Querier) ([]string, error)
}

// InspectOpts says what an [Inspector] reflects.
type InspectOpts struct {
	// Schemas lists the schemas to reflect (Alembic's include_schemas);
	// empty means the current schema only. Objects of the current
	// schema are reported with an empty Schema, as the schema builders
	// make them.
	Schemas []string
	// Tables lists the names of the tables (and views) to reflect, in
	// every schema reflected; empty means all.
	Tables []string
	// Exclude lists names of tables (and views) to leave out, such as
	// the version table "alembic_version".
	Exclude []string
}

// Inspector reflects a live database into [schema] values, the same
// values the schema builders produce for the same DDL, so that a
// reflected database can be compared with a declared one.
type Inspector interface {
	// Inspect reads the objects that o selects through q.
	Inspect(ctx context.Context, q Querier, o InspectOpts) (*schema.Database, error)
}

// Inspectable is an optional [Dialect] ability: a dialect that can
// reflect a database returns its [Inspector].
type Inspectable interface {
	Inspector() Inspector
}

// ImplicitCommitter is an optional [Dialect] ability of an engine
// without transactional DDL (MySQL): it tells which statements commit
// the transaction they run in, so that a revision that fails half-way
// can be reported with exactly the statements that stayed applied.
type ImplicitCommitter interface {
	// CommitsImplicitly reports whether stmt commits the open
	// transaction before it runs (a CREATE, ALTER or DROP on MySQL).
	CommitsImplicitly(stmt string) bool
}

// StatementBlocker is an optional [Dialect] ability of an engine that
// runs several statements sent as one (MariaDB's anonymous compound
// statement, BEGIN NOT ATOMIC … END), each of them committing as it
// would alone: the runner writes a revision's version rows and its
// history row in one round trip instead of one each, and sends the
// revision's last statement in that round trip too where it can.
type StatementBlocker interface {
	// Block returns one statement that runs lead (a statement of the
	// revision's own, which CanLead accepts; "" for none), then stmts in
	// order, and stops, running none of the rest, at the first failure
	// or the first stmts[i] with exact[i] set that does not change
	// exactly one row; that last failure is the error BlockRowCount
	// recognises. ok is false when the server cannot (MySQL has no
	// compound statement outside stored programs; offline SQL has no
	// server).
	Block(lead string, stmts []string, exact []bool) (stmt string, ok bool)
	// BlockRowCount returns the index in stmts of the statement whose
	// row count stopped a Block statement, and that count, when err is
	// that failure.
	BlockRowCount(err error) (stmt int, rows int64, ok bool)
	// CanLead reports whether stmt runs inside a Block statement as it
	// does alone (DDL on tables and indexes; not a statement that stored
	// programs refuse or that returns rows).
	CanLead(stmt string) bool
	// LeadRan reports, after block, a Block statement with a lead,
	// failed, on the same session, whether its lead had completed (so
	// that the failure was in stmts).
	LeadRan(ctx context.Context, q Querier, block string) (bool, error)
}

// TimedHistory is an optional ability of the [HistoryStore] of a
// [StatementBlocker]: a history row written in a Block statement with a
// lead, whose applied_at and duration_ms add the time the server spent
// from the block's start (the lead's run) to the row.
type TimedHistory interface {
	InsertTimed(r HistoryRow) string
}

// StatementKiller is an optional [Dialect] ability of an engine whose
// driver watches the context of every statement with a goroutine of
// its own (go-sql-driver/mysql hands each statement's context to one:
// thread wake-ups that cost as much as a short statement). The runner
// can watch a run's context once instead, run its statements with a
// context that is never cancelled, and stop the statement in flight
// from another connection when the run's context ends.
type StatementKiller interface {
	// SessionID returns the server's id of q's session.
	SessionID(ctx context.Context, q Querier) (int64, error)
	// KillStatement stops the statement session id is running, from q
	// (another session), if it runs one; the session stays open. A
	// statement that has not reached the server yet is not stopped:
	// call it again until the session is known to be idle.
	KillStatement(ctx context.Context, q Querier, id int64) error
}

// ServerAware is an optional [Dialect] ability of an engine whose SQL
// depends on the server's product and version (MySQL and MariaDB).
type ServerAware interface {
	// ForServer returns the dialect for the server behind q, asked
	// once after connecting: online, the server decides.
	ForServer(ctx context.Context, q Querier) (Dialect, error)
	// ForVersion returns the dialect for the server that v names
	// (retort.toml's server_version), for offline scripts. Errors match
	// the bad-input sentinel.
	ForVersion(v string) (Dialect, error)
}
