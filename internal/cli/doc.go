// Package cli owns the retort command: its cobra commands, their output
// and exit codes. It does not plan or run migrations; it calls package
// retort (and config, revision, script) and prints what they return.
//
// The commands and their meaning follow Alembic's: init, list-templates,
// revision, merge, upgrade, downgrade, stamp, check, current, history,
// heads, branches, show and edit (and graph, which draws the graph). Text output is Alembic's, line for line:
//
//	$ retort history
//	aaaa1111 -> bbbb2222 (head), add email
//	<base> -> aaaa1111, create customer table
//
// Logs go to stderr in Alembic's format ("INFO  [retort] Running
// upgrade  -> aaaa1111, create customer table"); -v adds each SQL
// statement at DEBUG, -q keeps errors only. On a terminal the progress
// line stands for the "Running" lines (see Progress).
//
// # Go environments
//
// [Main] is the stock command. When the config names a program (a Go
// package directory, a .go file or an executable; `retort init -t go`
// writes cmd/migrate), Main runs that program with the same arguments
// and returns its exit status, building Go source with `go build` into
// the user's cache folder first; init, list-templates, help and
// --version are never handed on, and the program runs with
// RETORT_IN_PROGRAM=1 so that it never hands on again. [MainWith] is
// that program's side (package retortcli calls it): the same commands
// with the user's registry, hooks and on-connect function, and
// `revision` writes Go files when the config says format = "go".
//
// # Exit codes
//
// 0: done. 1: the command failed (a migration or database error; check
// found the database behind). 2: bad usage or bad input (unknown flag or
// command, wrong argument count, unknown or ambiguous revision, several
// heads where one is needed, a malformed file or config). Errors print as
// "FAILED: <message>" on stderr. URLs are printed with the password
// replaced by "***".
//
// # JSON output
//
// With --format json every command prints one envelope on stdout,
// {"retort": 1, "command": ..., "ok": ..., "data": ..., "warnings": [...],
// "error": {"message", "kind", "exit"}}, its shapes written down in
// output.schema.json; output.go is the one place that prints it (see
// its comment for the API new commands use).
//
// # Progress
//
// progress.go is the one progress reporter of long operations (upgrade,
// downgrade and stamp today; fleets and imports to come): on a terminal a
// line with n/N, elapsed time and the item running, a line per item with
// its duration under -v, and a summary line at the end; nothing when
// stderr is not a terminal or with -q.
package cli
