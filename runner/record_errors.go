package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrEdited is matched (errors.Is) by *[EditedError].
var ErrEdited = errors.New("applied revision edited")

// EditedRevision is an applied revision whose content no longer has
// the checksum recorded when it ran.
type EditedRevision struct {
	Revision string
	// File is the revision's file (or Go source).
	File string
	// Recorded and Current are the checksums then and now.
	Recorded, Current string
}

// EditedError reports applied revisions that were edited since they ran
// (white space and comments do not count).
type EditedError struct {
	Revisions []EditedRevision
}

func (e *EditedError) Error() string {
	var b strings.Builder
	ids := make([]string, len(e.Revisions))
	for i, r := range e.Revisions {
		ids[i] = r.Revision
		fmt.Fprintf(&b, "revision %s (%s) was edited after it was applied to this database: its checksum was %s and is now %s\n",
			r.Revision, r.File, short(r.Recorded), short(r.Current))
	}
	fmt.Fprintf(&b, "  the database ran the old content; put the file back as it was, or review the change and run 'retort checksum --accept %s' to record it (or pass --allow-edited to upgrade once without recording it)",
		strings.Join(ids, " "))
	return b.String()
}

// Is matches [ErrEdited].
func (e *EditedError) Is(target error) bool { return target == ErrEdited }

func short(sum string) string {
	sum = strings.TrimPrefix(sum, ChecksumPrefix)
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

// Committed describes the statements of a no-transaction revision that
// are committed: their number and the line of each (0 for a Go
// migration's).
type Committed struct {
	// Statements is how many statements committed.
	Statements int
	// Lines are the file lines of those that ran in this run, when known.
	Lines []int
	// Earlier is how many of them an earlier run committed.
	Earlier int
}

func (c Committed) String() string {
	switch c.Statements {
	case 0:
		return "no statement of it committed"
	case 1:
		return "its first statement committed and stays"
	}
	return fmt.Sprintf("its first %d statements committed and stay", c.Statements)
}

// NoTransactionError reports a no-transaction revision that failed or
// was interrupted part-way: what committed stays (nothing rolls back
// outside a transaction), and the history table records it, so the next
// upgrade resumes after those statements.
type NoTransactionError struct {
	Revision  string
	Direction string
	File      string
	Committed Committed
	Err       error
}

func (e *NoTransactionError) Error() string {
	msg := fmt.Sprintf("%v\n  revision %s runs outside a transaction (no-transaction), so nothing was rolled back: %s", e.Err, e.Revision, e.Committed)
	if e.Committed.Statements > 0 {
		msg += "; the history table records them, and the next 'retort upgrade' resumes after them if they are unchanged in " + e.File +
			" (or run 'retort upgrade --restart-revision " + e.Revision + "' to run it again from its first statement)"
	}
	return msg
}

func (e *NoTransactionError) Unwrap() error { return e.Err }

// ResumeError reports a no-transaction revision that an earlier run
// left part-way, whose committed statements are no longer those of the
// file: retort neither reruns nor skips them without being told.
type ResumeError struct {
	Revision string
	File     string
	// Committed is how many statements committed; Differs the 1-based
	// number of the first that differs now (Committed+1 when the file
	// has fewer statements).
	Committed, Differs int
	// Run describes the run that committed them.
	Run string
	At  time.Time
}

func (e *ResumeError) Error() string {
	return fmt.Sprintf("revision %s (%s) runs outside a transaction and stopped part-way in an earlier run (%s, %s): its first %d statements committed, and statement %d is no longer what ran; "+
		"either repair the database by hand to match the file and run 'retort stamp %s', or run 'retort upgrade --restart-revision %s' to run it again from its first statement",
		e.Revision, e.File, e.Run, e.At.UTC().Format(time.RFC3339), e.Committed, e.Differs, e.Revision, e.Revision)
}

// InterruptedError reports a run stopped by a signal or by its
// context, saying what it was running and what happened to it.
type InterruptedError struct {
	// Cause is why: "interrupt signal received", "context canceled".
	Cause error
	// Running is the step in progress ("" between steps); NoTransaction
	// tells whether it ran outside a transaction, and Committed then
	// says what of it committed. Committed is also set, with
	// NoTransaction false, where DDL commits at once (MySQL) and
	// statements of the step did.
	Running       string
	NoTransaction bool
	Committed     string
	// Applied lists the steps committed before.
	Applied []string
}

func (e *InterruptedError) Error() string {
	msg := "interrupted (" + e.Cause.Error() + ")"
	switch {
	case e.Running != "" && e.NoTransaction:
		msg += " while running " + e.Running + " outside a transaction: " + e.Committed
	case e.Running != "" && e.Committed != "":
		msg += " while running " + e.Running + ": " + e.Committed
	case e.Running != "":
		msg += " while running " + e.Running + "; its transaction was rolled back"
	}
	if len(e.Applied) > 0 {
		msg += "; committed before: " + strings.Join(e.Applied, ", ") + " (the version table records them)"
	} else if !e.NoTransaction {
		msg += "; nothing was committed"
	}
	return msg + "; run the command again to go on"
}

func (e *InterruptedError) Unwrap() error { return e.Cause }

// Is matches context.Canceled, as the run's context was.
func (e *InterruptedError) Is(target error) bool {
	return target == context.Canceled && !errors.Is(e.Cause, context.DeadlineExceeded)
}

// VersionTableWriteError reports a migration that changed the version
// table itself; its transaction was rolled back.
type VersionTableWriteError struct {
	Revision string
	Table    string
	// Want and Got are the rows the run expected and found.
	Want, Got []string
}

func (e *VersionTableWriteError) Error() string {
	return fmt.Sprintf("revision %s wrote into the version table %s: after it ran, the table holds [%s] where retort expected [%s]; its transaction was rolled back. "+
		"A migration must not change %s (if it needs a table of its own with that name, use another name, or set version_table in retort.toml)",
		e.Revision, e.Table, strings.Join(e.Got, ", "), strings.Join(e.Want, ", "), e.Table)
}
