// Package cli owns the retort command: its cobra commands, their output
// and exit codes. It does not plan or run migrations; it calls package
// retort (and config, revision, script) and prints what they return.
//
// The commands and their meaning follow Alembic's: init, list-templates,
// revision, merge, upgrade, downgrade, stamp, check, current, history,
// heads, branches, show and edit. Text output is Alembic's, line for line:
//
//	$ retort history
//	aaaa1111 -> bbbb2222 (head), add email
//	<base> -> aaaa1111, create customer table
//
// Progress goes to stderr in Alembic's log format
// ("INFO  [retort] Running upgrade  -> aaaa1111, create customer table");
// -v adds each SQL statement at DEBUG, -q keeps errors only.
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
// With --format json, current, history, heads, branches and show print
// one JSON document instead of text:
//
//	{
//	  "url": "sqlite:///app.db",        // current only: the redacted URL
//	  "revisions": [
//	    {
//	      "revision": "bbbb2222",
//	      "revises": ["aaaa1111"],        // parents; [] for a base
//	      "branch_labels": ["app"],       // labels in force (declared or inherited)
//	      "depends_on": [],               // as written in the file
//	      "message": "add email",         // first paragraph of the description
//	      "doc": "add email",             // the whole description
//	      "path": "/abs/migrations/versions/bbbb2222_add_email.sql",
//	      "head": true,                   // nothing revises or depends on it
//	      "effective_head": false,        // nothing revises it, but something depends on it
//	      "base": false,                  // it revises nothing
//	      "branch_point": false,          // several revisions revise it
//	      "merge_point": false,           // it revises several revisions
//	      "children": [],                 // ids of the revisions that revise it
//	      "current": false                // in the version table (history -i)
//	    }
//	  ]
//	}
//
// Every field is always present; lists are [] rather than null. The
// revisions come in the order the text output lists them: history newest
// first, branches one entry per branch point (its children in
// "children").
package cli
