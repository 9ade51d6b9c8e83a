package dialect

import (
	"context"
	"database/sql"
	"time"
)

// Recorder is the [Dialect] ability to keep the record of what ran
// beside the version table, which stays Alembic's: a history table
// <version table>_history and a lease table <version table>_lease.
// Alembic ignores both. Every dialect provides it; the conformance
// suite (dialecttest) checks it on a live database.
type Recorder interface {
	// History returns the history table kept beside the version table
	// named version.
	History(version Ident) HistoryStore
	// Lease returns the lease table kept beside the version table named
	// version.
	Lease(version Ident) LeaseStore
}

// Directions and states of a [HistoryRow].
const (
	// HistoryUpgrade and HistoryDowngrade record a revision that ran.
	HistoryUpgrade   = "upgrade"
	HistoryDowngrade = "downgrade"
	// HistoryStamp records a revision stamped without running.
	HistoryStamp = "stamp"
	// HistoryAdopt records the checksum of a revision applied before
	// its database kept history (adopted from Alembic or applied by an
	// older retort).
	HistoryAdopt = "adopt"
	// HistoryAccept records a checksum accepted after review (retort
	// checksum --accept).
	HistoryAccept = "accept"

	// StateDone is a finished row; StatePartial the row of a
	// no-transaction revision that is running or stopped part-way.
	StateDone    = "done"
	StatePartial = "partial"
	// StateInterrupted marks a partial row whose progress a later run
	// carried over (or restarted from scratch).
	StateInterrupted = "interrupted"
)

// HistoryRow is one row of the history table.
type HistoryRow struct {
	// ID orders the rows; the database assigns it.
	ID int64
	// Run identifies the run (random, one per run) that wrote the row.
	Run string
	// Revision is the revision's id.
	Revision string
	// Direction is one of HistoryUpgrade, HistoryDowngrade, HistoryStamp,
	// HistoryAdopt, HistoryAccept.
	Direction string
	// State is StateDone, StatePartial or StateInterrupted.
	State string
	// Checksum is the revision's checksum when the row was written; ""
	// for a revision that is not checksummed.
	Checksum string
	// Statements counts the statements committed; StatementChecksums
	// holds the checksum of each, in order (no-transaction revisions).
	Statements         int
	StatementChecksums []string
	// Applied is when the revision started (UTC); Duration how long it
	// ran.
	Applied  time.Time
	Duration time.Duration
	// Host, User and Version say where it ran from: host name,
	// operating-system user and retort version.
	Host, User, Version string
}

// HistoryStore renders and runs the history table's statements. Values
// are written as literals (QuoteLiteral), so the SQL needs no
// placeholders.
type HistoryStore interface {
	// Table names the history table.
	Table() Ident
	// Exists reports whether the table exists.
	Exists(ctx context.Context, q Querier) (bool, error)
	// CreateTable creates the table if it is missing (id assigned by
	// the database, increasing).
	CreateTable() string
	// Insert adds r (its ID is ignored).
	Insert(r HistoryRow) string
	// Update sets State, Checksum, Statements, StatementChecksums and
	// Duration of the row with r's Run, Revision and Direction.
	Update(r HistoryRow) string
	// Rows reads every row in ID order; none when the table is missing.
	Rows(ctx context.Context, q Querier) ([]HistoryRow, error)
}

// ExistingHistory is an optional [HistoryStore] ability: read the rows
// of a history table known to exist, skipping the existence check (one
// round trip instead of two, three where the check is a prepared
// statement). The runner uses it right after creating the table.
type ExistingHistory interface {
	ExistingRows(ctx context.Context, q Querier) ([]HistoryRow, error)
}

// CheckedHistory is an optional ability of a [HistoryStore] (MySQL,
// where DDL commits implicitly, and PostgreSQL): one statement that both
// checks the version table and records a revision, so the runner pays
// one round trip for the two.
type CheckedHistory interface {
	// InsertChecked adds r only when the version table holds exactly
	// the rows heads (no other); it affects no row otherwise.
	InsertChecked(r HistoryRow, heads []string) string
}

// Lease is the row that guards a no-transaction revision in progress.
type Lease struct {
	// Owner identifies the run holding the lease (random).
	Owner string
	// Revision is the revision it runs.
	Revision string
	// Holder describes the run for people: host, pid, application.
	Holder string
	// Taken is when the lease was taken (UTC, for messages).
	Taken time.Time
	// Renewals counts renewals; a waiting run sees the lease is alive
	// when the count moves, by its own clock, so clocks of different
	// hosts never meet.
	Renewals int64
	// Expiry is how long the lease lasts without a renewal, as the
	// holder was configured (lease_expiry); 0 means it never expires by
	// time (the holder cannot renew while a statement runs).
	Expiry time.Duration
	// Session identifies the holder's database session where the
	// engine can tell whether it still exists (see [SessionProber]); ""
	// otherwise.
	Session string
}

// LeaseStore runs the lease table's statements. The runner calls them
// under the version table's transaction-level lock, except Renew.
type LeaseStore interface {
	// Table names the lease table.
	Table() Ident
	// Ensure creates the table, or adds the columns an older retort's
	// table lacks.
	Ensure(ctx context.Context, q Querier) error
	// Read returns the lease, or nil when none is held.
	Read(ctx context.Context, q Querier) (*Lease, error)
	// Take inserts l.
	Take(ctx context.Context, q Querier, l Lease) error
	// Renew adds one to the renewals of owner's lease, reporting false
	// when owner no longer holds it.
	Renew(ctx context.Context, q Querier, owner string) (bool, error)
	// Release deletes owner's lease.
	Release(ctx context.Context, q Querier, owner string) error
}

// SessionProber is an optional [Dialect] ability: telling whether the
// database session that took a lease still exists, so that a lease left
// by a killed run is taken over at once instead of after its expiry.
type SessionProber interface {
	// Session returns an identifier of the session serving conn, or ""
	// when the connection does not reach the database directly (a
	// pooler in between) or the engine cannot tell.
	Session(ctx context.Context, conn *sql.Conn) (string, error)
	// SessionState reports whether the session still exists and whether
	// it is running a statement now.
	SessionState(ctx context.Context, q Querier, session string) (exists, active bool, err error)
}

// RecordTables names the tables retort keeps for the version table
// named version: the version table itself, its history table and its
// lease table. Autogenerate and the test kit leave them out of every
// comparison.
func RecordTables(version string) []string {
	return []string{version, version + "_history", version + "_lease"}
}
