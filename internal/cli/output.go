package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/retortdb/retort"
)

// This file is the output of every command: the JSON envelope of
// --format json and the text for people, behind three calls that a
// command (today's and those to come: lint, import, adopt, fleets,
// history --applied) makes and nothing else:
//
//	a.result(data, func(w io.Writer) { ...text... })
//	a.warn("format %s", args...)
//	return err
//
// result hands over the command's outcome: with --format json, data
// becomes the envelope's "data" (a struct with json tags; lists as [],
// never null) and text is not called; otherwise text prints the same for
// people on stdout. A command that fails may call result first (check's
// differences, test's checks): the envelope then carries both "data" and
// "error". warn adds to "warnings" (text: a line on stdout, unless -q).
// A command's error is returned as usual; [app.finish] prints the one
// envelope after the command returns, with "error" filled from the error
// ([errorKind] names its kind, the exit code is the one text mode uses).
// Logs, progress and Alembic's "... done" lines go to stderr with --format
// json, so stdout holds exactly one JSON document:
//
//	{"retort": 1, "command": "current", "ok": true, "data": {...}, "warnings": []}
//	{"retort": 1, "command": "upgrade", "ok": false,
//	 "error": {"message": "...", "kind": "bad_input", "exit": 2}, "warnings": []}
//
// The shapes are written down in output.schema.json beside this file;
// TestJSONEnvelope runs every command with
// --format json, on success and on failure, and validates what it prints
// against that schema, so a new command must add its shape there. Long
// runs report progress through [app.progress] (progress.go).

// envelopeVersion is the "retort" field: the version of the envelope's
// shape, raised only for incompatible changes.
const envelopeVersion = 1

// envelope is the one JSON document a command prints with --format json.
type envelope struct {
	Retort   int            `json:"retort"`
	Command  string         `json:"command"`
	OK       bool           `json:"ok"`
	Data     any            `json:"data,omitempty"`
	Warnings []string       `json:"warnings"`
	Error    *envelopeError `json:"error,omitempty"`
}

// envelopeError is the envelope's "error".
type envelopeError struct {
	Message string `json:"message"`
	Kind    string `json:"kind"`
	Exit    int    `json:"exit"`
}

// output is what a run has handed over for printing.
type output struct {
	data     any
	warnings []string
	// cobra is what cobra itself printed (help, usage, completion
	// scripts) while --format json holds stdout.
	cobra bytes.Buffer
}

func (a *app) json() bool { return a.jsonArgs || a.format == "json" }

// result hands over the command's outcome: data for --format json, text
// for people (nil prints nothing).
func (a *app) result(data any, text func(w io.Writer)) {
	if a.json() {
		a.out.data = data
		return
	}
	if text != nil {
		text(a.stdout)
	}
}

// warn records a warning: in the envelope's "warnings", or a line on
// stdout unless -q.
func (a *app) warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if a.json() {
		a.out.warnings = append(a.out.warnings, msg)
		return
	}
	a.msg("%s", msg)
}

// info is where Alembic's informational lines ("Generating ...  done")
// go: stdout as Alembic prints them, stderr under --format json.
func (a *app) info() io.Writer {
	if a.json() {
		return a.stderr
	}
	return a.stdout
}

// finish prints the envelope of a run that ended with err (nil: done)
// as command, and returns the exit code.
func (a *app) finish(command string, err error) int {
	code := exitOK
	if err != nil {
		code = report(a.stderr, err)
	}
	var es *exitStatus
	if !a.json() || errors.As(err, &es) {
		// Text, or a delegated program that printed its own envelope.
		return code
	}
	env := envelope{Retort: envelopeVersion, Command: command, OK: err == nil, Data: a.out.data, Warnings: a.out.warnings}
	if env.Warnings == nil {
		env.Warnings = []string{}
	}
	if env.Data == nil && a.out.cobra.Len() > 0 {
		env.Data = textData{Text: a.out.cobra.String()}
	}
	if err != nil {
		env.Error = &envelopeError{Message: errorMessage(err), Kind: errorKind(err), Exit: code}
	} else if env.Data == nil {
		env.Data = struct{}{}
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if werr := enc.Encode(env); werr != nil && code == exitOK {
		fmt.Fprintf(a.stderr, "FAILED: writing the JSON output: %v\n", werr)
		return exitFailed
	}
	return code
}

// textData is the data of a command whose output is text for people
// (help, completion scripts): the text as cobra printed it.
type textData struct {
	Text string `json:"text"`
}

func errorMessage(err error) string {
	var re *runError
	if errors.As(err, &re) {
		return re.err.Error()
	}
	return err.Error()
}

// errorKind names the kind of a command's error for the envelope:
//
//	usage           the command line is wrong (exit 2)
//	bad_input       a file, revision, target or config to fix (exit 2)
//	not_up_to_date  check: the database is not at the heads (exit 1)
//	drift           check: the database differs from the target schema (exit 1)
//	checks_failed   test: a check failed (exit 1)
//	lint            lint (or check with check_lint): findings at error level (exit 1)
//	database_ahead  the version table names revisions the scripts lack (exit 1)
//	connection      the database cannot be reached (exit 1)
//	migration       a migration's statement failed (exit 1)
//	edited          applied revisions were edited since they ran (exit 1)
//	cancelled       interrupted (exit 1)
//	failed          anything else (exit 1)
func errorKind(err error) string {
	var re *runError
	if !errors.As(err, &re) {
		return "usage"
	}
	var (
		ue *usageError
		de *diffError
		nh *retort.NotAtHeadsError
		tf *testFailedError
		le *lintError
		ce *retort.ConnectError
		se *retort.StatementError
	)
	switch {
	case errors.As(err, &ue):
		return "usage"
	case errors.Is(err, retort.ErrBadInput):
		return "bad_input"
	case errors.As(err, &nh):
		return "not_up_to_date"
	case errors.As(err, &de):
		return "drift"
	case errors.As(err, &tf):
		return "checks_failed"
	case errors.As(err, &le):
		return "lint"
	case errors.Is(err, retort.ErrDatabaseAhead):
		return "database_ahead"
	case errors.As(err, &ce):
		return "connection"
	case errors.Is(err, retort.ErrEdited):
		return "edited"
	case errors.As(err, &se):
		return "migration"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return "failed"
}
