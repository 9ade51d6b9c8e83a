package appdb

import (
	"fmt"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/fault"
)

// State is where a database stands against the code's migrations.
type State int

// States. The zero value is not a state.
const (
	// NoVersionTable: the version table does not exist; the database
	// was never created or stamped by retort (or Alembic).
	NoVersionTable State = iota + 1
	// UpgradeAvailable: every revision in the version table is known
	// and the database is behind the scripts' heads.
	UpgradeAvailable
	// UpToDate: the database is at the scripts' heads.
	UpToDate
	// DatabaseAhead: the version table names a revision the code does
	// not have (newer code migrated it, or the revision was deleted).
	DatabaseAhead
)

// String returns "no_version_table", "upgrade_available", "up_to_date"
// or "database_ahead".
func (s State) String() string {
	switch s {
	case NoVersionTable:
		return "no_version_table"
	case UpgradeAvailable:
		return "upgrade_available"
	case UpToDate:
		return "up_to_date"
	case DatabaseAhead:
		return "database_ahead"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Status is where the database stands.
type Status struct {
	State State
	// Current are the version table's rows; Latest the scripts' heads.
	Current []string
	Latest  []string
	// Unknown are the rows the code does not have (DatabaseAhead).
	Unknown []string
}

// SyncResult says what Sync did.
type SyncResult int

// Sync results.
const (
	// AlreadyUpToDate: nothing to do.
	AlreadyUpToDate SyncResult = iota + 1
	// Created: an empty database was created and stamped.
	Created
	// Upgraded: migrations ran.
	Upgraded
)

// String returns "already_up_to_date", "created" or "upgraded".
func (r SyncResult) String() string {
	switch r {
	case AlreadyUpToDate:
		return "already_up_to_date"
	case Created:
		return "created"
	case Upgraded:
		return "upgraded"
	}
	return fmt.Sprintf("SyncResult(%d)", int(r))
}

// Message is what the syncdb command prints, in sqlalchemy-helpers'
// words: "Database created.", "Database upgraded." or "Database already
// up-to-date.".
func (r SyncResult) Message() string {
	switch r {
	case Created:
		return "Database created."
	case Upgraded:
		return "Database upgraded."
	case AlreadyUpToDate:
		return "Database already up-to-date."
	}
	return "Unexpected sync result: " + r.String()
}

// ErrDatabaseAhead is matched (errors.Is) by a database ahead of the
// code: it is [retort.ErrDatabaseAhead], and the error is a
// *retort.DatabaseAheadError.
var ErrDatabaseAhead = retort.ErrDatabaseAhead

// NotEmptyError reports a database with no version table that already
// holds tables the target would create: it was not made by retort, and
// Sync will not guess which revision it is at.
type NotEmptyError struct {
	Table  string   // the version table
	Tables []string // the target's tables that exist
}

func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("database has no version table %s but already has table %s: it was not created by retort; stamp it at the revision it matches (retort stamp REV), or point the URL at an empty database",
		e.Table, strings.Join(e.Tables, ", "))
}

// Is matches retort.ErrBadInput.
func (e *NotEmptyError) Is(target error) bool { return target == fault.ErrBadInput }

func badInput(err error) error { return fault.BadInput(err) }
