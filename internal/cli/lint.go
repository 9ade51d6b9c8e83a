package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/lint"
)

// lintJSON is lint's data (and check's "lint" with check_lint): what was
// read and each finding, silenced ones included.
type lintJSON struct {
	Engine string `json:"engine"`
	// Database reports that the version table and table statistics
	// were read; Unreachable says why not.
	Database    bool          `json:"database"`
	Unreachable string        `json:"unreachable,omitempty"`
	From        []string      `json:"from"`
	Revisions   []string      `json:"revisions"`
	Findings    []findingJSON `json:"findings"`
	Partial     []partialJSON `json:"partial"`
	Errors      int           `json:"errors"`
	Warnings    int           `json:"warnings"`
	Ignored     int           `json:"ignored"`
}

// findingJSON is one finding.
type findingJSON struct {
	Revision  string `json:"revision"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Rule      string `json:"rule"`
	Level     string `json:"level"`
	Risk      string `json:"risk"`
	Safe      string `json:"safe"`
	Table     string `json:"table"`
	Statement string `json:"statement"`
	Ignored   bool   `json:"ignored"`
	Reason    string `json:"reason,omitempty"`
}

// partialJSON is a Go revision linted only up to a database query.
type partialJSON struct {
	Revision   string `json:"revision"`
	File       string `json:"file"`
	Line       int    `json:"line"`
	Statements int    `json:"statements"`
	Reason     string `json:"reason"`
}

// lintError is the error of a lint that found problems at error level
// (exit 1).
type lintError struct{ errors int }

func (e *lintError) Error() string {
	s := "s"
	if e.errors == 1 {
		s = ""
	}
	return fmt.Sprintf("%d lint finding%s at error level; use the safe pattern shown, or silence one with '-- retort:lint-ignore RULE reason' on the line above the statement, or set the rule to \"warning\" or \"off\" in the lint table of retort.toml", e.errors, s)
}

func (a *app) lintCmd() *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "lint [REV-RANGE]",
		Short: "Find migrations that lock tables or lose data (exit 1 on findings at error level)",
		Long: `Lint reads the upgrade of each revision (Go revisions as the SQL their
operations render) and reports the statements that lock tables, rewrite
them or lose data, each with its rule, risk and a safer way.

Without REV-RANGE it reads the revisions the database has not applied, or
every revision when the database cannot be reached. START:END reads what
'upgrade START:END --sql' writes; a target alone (head, 1a2b, +2) what an
upgrade to it runs from the database.`,
		Args: args(0, 1),
		RunE: run(func(ctx context.Context, args []string) error {
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			req := retort.LintRequest{}
			if len(args) == 1 {
				req.Range = args[0]
			}
			res, err := env.Lint(ctx, req)
			if err != nil {
				return err
			}
			data := a.lintReport(res, req.Range == "")
			a.result(data, func(w io.Writer) { printLint(w, data, verbose) })
			if data.Errors > 0 {
				return &lintError{errors: data.Errors}
			}
			return nil
		}),
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "also list the findings silenced with lint-ignore, with their reasons")
	return cmd
}

// lintReport makes the data of res and warns about what was not read;
// every says that an unread database means every revision was linted.
func (a *app) lintReport(res *retort.LintResult, every bool) lintJSON {
	data := lintJSON{Engine: res.Engine, Database: res.Database, Unreachable: res.Unreachable,
		From: nonNil(res.From), Revisions: nonNil(res.Revisions), Findings: []findingJSON{}, Partial: []partialJSON{}}
	if !res.Database && res.Unreachable != "" {
		what := "without table sizes"
		if every {
			what = "linting every revision, " + what
		}
		a.warn("the database was not read (%s): %s", firstLine(res.Unreachable), what)
	}
	for _, p := range res.Partial {
		data.Partial = append(data.Partial, partialJSON{Revision: p.Revision, File: p.File, Line: p.Line, Statements: p.Statements, Reason: p.Reason})
		a.warn("revision %s (%s:%d): only its first %d statement(s) were linted: %s", p.Revision, p.File, p.Line, p.Statements, p.Reason)
	}
	for _, f := range res.Findings {
		switch {
		case f.Ignored:
			data.Ignored++
		case f.Level == lint.Error:
			data.Errors++
		default:
			data.Warnings++
		}
		data.Findings = append(data.Findings, findingJSON{Revision: f.Revision, File: f.File, Line: f.Line, Rule: f.Rule,
			Level: f.Level.String(), Risk: f.Risk, Safe: f.Safe, Table: f.Table, Statement: f.Statement, Ignored: f.Ignored, Reason: f.Reason})
	}
	return data
}

// printLint writes the findings for people: one block each, then a
// summary line.
func printLint(w io.Writer, data lintJSON, verbose bool) {
	for _, f := range data.Findings {
		if f.Ignored && !verbose {
			continue
		}
		level := f.Level
		if f.Ignored {
			level = "ignored"
		}
		fmt.Fprintf(w, "%s:%d: %s: %s: %s\n", f.File, f.Line, level, f.Rule, f.Risk)
		fmt.Fprintf(w, "  revision %s: %s\n", f.Revision, f.Statement)
		if f.Ignored {
			fmt.Fprintf(w, "  reason: %s\n", orNone(f.Reason))
		} else {
			fmt.Fprintf(w, "  safe: %s\n", f.Safe)
		}
	}
	fmt.Fprintln(w, lintSummary(data, verbose))
}

// lintSummary is the last line of lint's text.
func lintSummary(data lintJSON, verbose bool) string {
	n := len(data.Revisions)
	revs := fmt.Sprintf("%d revision%s", n, plural(n))
	var parts []string
	if data.Errors > 0 {
		parts = append(parts, fmt.Sprintf("%d error%s", data.Errors, plural(data.Errors)))
	}
	if data.Warnings > 0 {
		parts = append(parts, fmt.Sprintf("%d warning%s", data.Warnings, plural(data.Warnings)))
	}
	if data.Ignored > 0 {
		ign := fmt.Sprintf("%d ignored", data.Ignored)
		if !verbose {
			ign += " (--verbose lists them)"
		}
		parts = append(parts, ign)
	}
	if len(parts) == 0 {
		return "No lint findings in " + revs + "."
	}
	return "Linted " + revs + ": " + strings.Join(parts, ", ") + "."
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func orNone(s string) string {
	if s == "" {
		return "(none given)"
	}
	return s
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// checkLint lints every revision for check when the config says
// check_lint = true, printing the findings (text) or setting data.Lint;
// it returns the lint failure check must end with, if any.
func (a *app) checkLint(ctx context.Context, env *retort.Env, data *checkJSON) (failed error, err error) {
	if !env.Config().CheckLint {
		return nil, nil
	}
	res, err := env.Lint(ctx, retort.LintRequest{All: true})
	if err != nil {
		return nil, err
	}
	ld := a.lintReport(res, false)
	data.Lint = &ld
	if !a.json() {
		printLint(a.stdout, ld, false)
	}
	if ld.Errors > 0 {
		return &lintError{errors: ld.Errors}, nil
	}
	return nil, nil
}
