package runner

import (
	"errors"
	"fmt"
	"strings"

	"github.com/retortdb/retort/internal/fault"
)

// StatementError reports a statement the database rejected.
type StatementError struct {
	// Revision is the revision whose statement failed.
	Revision string
	// Direction is "upgrade" or "downgrade".
	Direction string
	// File and Line locate the statement; Line is 0 when unknown.
	File string
	Line int
	// SQL is the statement (truncated in Error).
	SQL string
	// Err is the database's error.
	Err error
}

func (e *StatementError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if loc == "" {
		loc = "Go migration"
	}
	return fmt.Sprintf("%s of revision %s failed (%s): %v\n  statement: %s", e.Direction, e.Revision, loc, e.Err, abbreviate(e.SQL, 200))
}

func (e *StatementError) Unwrap() error { return e.Err }

func abbreviate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// PartialError reports a run that stopped part-way: the revisions in
// Applied were committed (the version table records them), Failed was
// rolled back.
type PartialError struct {
	Applied []string
	Failed  string
	Err     error
}

func (e *PartialError) Error() string {
	_, committed := errors.AsType[*CommittedError](e.Err)
	_, noTx := errors.AsType[*NoTransactionError](e.Err)
	if committed || noTx {
		return fmt.Sprintf("%v\n  committed before the failure: %s; the version table records them", e.Err, strings.Join(e.Applied, ", "))
	}
	return fmt.Sprintf("%v\n  committed before the failure: %s; the version table records them, and %s was rolled back",
		e.Err, strings.Join(e.Applied, ", "), e.Failed)
}

// CommittedError reports a revision that failed on an engine whose DDL
// commits implicitly (MySQL): the statements in Committed stayed applied
// although the version table does not record the revision.
type CommittedError struct {
	Revision  string
	Direction string
	// Dialect is the engine's name.
	Dialect string
	// Committed are the statements that ran before the failing one, in
	// order.
	Committed []string
	// Err is the failure, a *StatementError for a SQL revision.
	Err error
}

func (e *CommittedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v\n  %s commits DDL at once, so this was not rolled back: %d statement(s) of revision %s stayed applied:",
		e.Err, e.Dialect, len(e.Committed), e.Revision)
	for _, s := range e.Committed {
		b.WriteString("\n    " + abbreviate(s, 120))
	}
	fmt.Fprintf(&b, "\n  the version table does not record %s %s: undo those statements by hand (or make the revision able to run again from where it stopped, e.g. with IF NOT EXISTS), then run the command again",
		e.Direction, e.Revision)
	return b.String()
}

func (e *CommittedError) Unwrap() error { return e.Err }

// stayed says, for an interrupted run, what of the revision stayed
// applied and what to do.
func (e *CommittedError) stayed() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s commits DDL at once, so this was not rolled back: %d statement(s) of it stayed applied (", e.Dialect, len(e.Committed))
	for i, s := range e.Committed {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(abbreviate(s, 60))
	}
	fmt.Fprintf(&b, ") and the version table does not record %s %s: undo them by hand, or make the revision able to run again from where it stopped", e.Direction, e.Revision)
	return b.String()
}

// TxRefusedError reports a caller's *sql.Tx given to run migrations on
// an engine whose DDL commits implicitly: the first CREATE or ALTER
// would commit the caller's transaction half-way. It matches
// fault.ErrBadInput.
type TxRefusedError struct {
	// Dialect is the engine's name.
	Dialect string
}

func (e *TxRefusedError) Error() string {
	return e.Dialect + " commits DDL at once (each CREATE, ALTER or DROP ends the open transaction), so retort cannot run migrations inside the caller's *sql.Tx: " +
		"pass the *sql.DB or a *sql.Conn with WithConn instead"
}

// Is makes TxRefusedError match fault.ErrBadInput.
func (e *TxRefusedError) Is(target error) bool { return target == fault.ErrBadInput }

func (e *PartialError) Unwrap() error { return e.Err }

// ErrDatabaseAhead is matched (errors.Is) by [*DatabaseAheadError].
var ErrDatabaseAhead = errors.New("database is ahead of the scripts")

// DatabaseAheadError reports a database whose version table names
// revisions the scripts do not have: the code is older than the
// database, or the config points at the wrong folder. Runs refuse to
// touch such a database. It is the one error for this in retort
// (retort.DatabaseAheadError and appdb's errors are this type).
type DatabaseAheadError struct {
	// Table names the version table.
	Table string
	// Unknown are the version table's rows the scripts do not have.
	Unknown []string
	// Heads are the scripts' heads.
	Heads []string
}

func (e *DatabaseAheadError) Error() string {
	heads := strings.Join(e.Heads, ", ")
	if heads == "" {
		heads = "none"
	}
	return fmt.Sprintf("database is ahead of the scripts: version table %s holds revision %s, which the scripts do not have (their heads: %s); deploy the code that has it (or downgrade with that code first), or check that script_location points at the right folder",
		e.Table, strings.Join(e.Unknown, ", "), heads)
}

// Is matches ErrDatabaseAhead.
func (e *DatabaseAheadError) Is(target error) bool { return target == ErrDatabaseAhead }

// RowCountError reports a version-table update or delete that did not
// hit exactly one row: someone changed the table under the run.
type RowCountError struct {
	Table string
	SQL   string
	Rows  int64
}

func (e *RowCountError) Error() string {
	return fmt.Sprintf("version table %s: expected to match one row with %q; %d found; the table was changed outside this run", e.Table, e.SQL, e.Rows)
}

// OfflineError reports something that cannot run without a database.
type OfflineError struct {
	Revision string
	Msg      string
}

func (e *OfflineError) Error() string {
	return fmt.Sprintf("revision %s cannot be rendered as SQL: %s", e.Revision, e.Msg)
}

// Is makes OfflineError match fault.ErrBadInput.
func (e *OfflineError) Is(target error) bool { return target == fault.ErrBadInput }
