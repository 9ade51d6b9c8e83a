package retort

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/runner"
)

// LintRequest says which revisions [Env.Lint] reads.
type LintRequest struct {
	// Range picks the revisions, in the order an upgrade runs them:
	//   - "": the revisions not yet applied when the database can be
	//     read, else every revision;
	//   - "START:END": those `upgrade START:END --sql` writes (START ""
	//     or "base": from an empty database; END "": the heads);
	//   - a target alone ("head", "1a2b", "+2"): those an upgrade to it
	//     runs from the database's revisions (from base when the
	//     database cannot be read).
	Range string
	// All lints every revision, base to heads, and reads the database
	// only for table sizes (retort check with check_lint).
	All bool
}

// LintResult is what [Env.Lint] found.
type LintResult struct {
	// Engine is the dialect's name the rules were chosen for.
	Engine string
	// Revisions are the ids linted, in the order an upgrade runs them;
	// From the version rows the range starts after.
	Revisions []string
	From      []string
	// Database reports that the database was read (version table,
	// table sizes). Unreachable says why not, when the default range
	// fell back to every revision.
	Database    bool
	Unreachable string
	// Findings are in run order, silenced ones included (Ignored).
	Findings []lint.Finding
	// Partial lists the Go revisions only partly linted: their Upgrade
	// queries the database (op.Querier), which linting does not do, so
	// only the statements rendered before that were read.
	Partial []LintPartial
}

// LintPartial is a Go revision lint could not render whole.
type LintPartial struct {
	Revision, File string
	Line           int
	// Statements is how many statements were rendered and linted.
	Statements int
	Reason     string
}

// Failed reports findings at lint.Error that are not silenced: what
// makes retort lint exit 1.
func (r *LintResult) Failed() bool {
	for _, f := range r.Findings {
		if !f.Ignored && f.Level == lint.Error {
			return true
		}
	}
	return false
}

// Lint reads the upgrade of the revisions req picks with package lint's
// rules for the environment's engine, at the levels of the config's lint
// table: SQL revisions as written, Go revisions as the SQL their
// operations render (the offline --sql path, with the -x arguments in
// force). When the database can be read, the rules that matter only on
// large tables use its statistics (lint_large_table_rows), and on
// MySQL/MariaDB the current column types tell a MODIFY that runs in
// place; otherwise they say to check the table size. A database that cannot be reached
// is not an error: every revision is linted and Unreachable says why.
func (e *Env) Lint(ctx context.Context, req LintRequest) (*LintResult, error) {
	if err := e.needEngine(); err != nil {
		return nil, err
	}
	res := &LintResult{Engine: e.dialect.Name()}
	start, end, isRange := strings.Cut(strings.TrimSpace(req.Range), ":")
	if !isRange {
		start, end = "", strings.TrimSpace(req.Range)
	}
	if end == "" {
		end = "heads"
	}
	if reason := e.unreachable(ctx); reason != "" {
		res.Unreachable = reason
	} else {
		res.Database = true
	}
	switch {
	case req.All:
		end = "heads"
	case isRange:
		if start != "" && start != "base" {
			revs, err := e.graph.Resolve(start)
			if err != nil {
				return nil, fmt.Errorf("lint range %s: %w", req.Range, err)
			}
			for _, r := range revs {
				res.From = append(res.From, r.ID)
			}
		}
	case res.Database:
		rows, err := e.CurrentHeads(ctx)
		if err != nil {
			return nil, err
		}
		res.From = rows
	}
	var revs []*revision.Revision
	if e.graph.Len() > 0 {
		plan, err := e.graph.Upgrade(res.From, end)
		if err != nil {
			return nil, err
		}
		for _, s := range plan.Steps {
			if s.Revision != nil {
				revs = append(revs, s.Revision)
			}
		}
	}
	scripts, err := e.lintScripts(ctx, revs, res)
	if err != nil {
		return nil, err
	}
	eng := lint.Engine(e.dialect.Name())
	o := lint.Options{LargeRows: e.cfg.LintLargeTableRows, Levels: e.cfg.LintLevels, PerMigration: e.cfg.TransactionPerMigration,
		// Where the run does not start at the database's revisions, a
		// table made by an earlier revision may already hold data.
		NewTablesPerScript: req.All || (!isRange && req.Range == "" && !res.Database)}
	if !res.Database {
		res.Findings, err = lint.CheckWith(eng, scripts, o)
		return res, err
	}
	// In a read-only transaction set up as migrations' (search_path), so
	// that table names resolve as the migrations will.
	err = e.inTx(ctx, false, func(q dialect.Querier) error {
		o.Rows, o.Columns = lint.RowEstimates(ctx, q, eng), lint.ColumnTypes(ctx, q, eng)
		res.Findings, err = lint.CheckWith(eng, scripts, o)
		return err
	})
	return res, err
}

// unreachable says why the database cannot be read ("" when it can):
// a SQLite file that does not exist, or a server that refuses or does
// not answer. It opens the connection.
func (e *Env) unreachable(ctx context.Context) string {
	if e.opts.haveConn {
		return ""
	}
	u := e.cfg.URL
	if u == nil {
		return "no url"
	}
	if u.Path != "" {
		if _, err := os.Stat(u.Path); errors.Is(err, fs.ErrNotExist) {
			return fmt.Sprintf("SQLite database %s does not exist", u.Path)
		}
	}
	if _, err := e.handle(ctx, false); err != nil {
		var ce *ConnectError
		if errors.As(err, &ce) {
			return ce.Error()
		}
		return err.Error()
	}
	return ""
}

// lintScripts makes the lint scripts of revs: an SQL revision's
// upgrade section, a Go revision's Upgrade rendered to SQL.
func (e *Env) lintScripts(ctx context.Context, revs []*revision.Revision, res *LintResult) ([]lint.Script, error) {
	var out []lint.Script
	for _, r := range revs {
		res.Revisions = append(res.Revisions, r.ID)
		sc := lint.Script{Revision: r.ID, NoTransaction: r.NoTransaction, CommitBefore: r.CommitBefore}
		if s := e.scriptOf(r.ID); s != nil {
			// Reads the section from the file when the header came from
			// the graph index, and reports a malformed one.
			if _, err := s.UpgradeStatements(e.dialect.SplitOptions()); err != nil {
				return nil, err
			}
			sc.File, sc.SQL, sc.Line = s.Path, s.Upgrade.SQL, s.Upgrade.Line
			out = append(out, sc)
			continue
		}
		m := e.gomigs[r.ID]
		if m == nil {
			return nil, fmt.Errorf("revision %s has no migration code", r.ID)
		}
		sc.File, sc.Line, sc.Ignore = r.Source.File, r.Source.Line, m.LintIgnore
		for id := range m.LintIgnore {
			if _, ok := lint.RuleByID(id); !ok {
				return nil, fault.BadInput(fmt.Errorf("revision %s (Go, %s): LintIgnore names unknown rule %q; rules: %s", r.ID, r.Source, id, strings.Join(lint.RuleIDs(), ", ")))
			}
		}
		x := &collectExec{}
		b := &goBody{fn: m.Upgrade, dialect: e.dialect, xargs: e.opts.xargs, rev: r.ID, reg: e.opts.registry}
		err := b.Run(ctx, x)
		sc.Statements = append([]string{}, x.stmts...)
		var oe *runner.OfflineError
		switch {
		case errors.As(err, &oe):
			res.Partial = append(res.Partial, LintPartial{Revision: r.ID, File: r.Source.File, Line: r.Source.Line, Statements: len(x.stmts), Reason: oe.Msg})
		case err != nil:
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}
