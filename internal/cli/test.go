package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort/retorttest"
	"github.com/retortdb/retort/schema"
)

func (a *app) testCmd() *cobra.Command {
	var (
		url              string
		include, exclude []string
		heads            int
		minimum          string
	)
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Run the migration test kit's built-in checks on scratch databases (exit 1 if one fails)",
		Long: `Run the built-in checks of the migration test kit (package retorttest)
on scratch databases, for projects without Go tests: a single head, an
upgrade from empty to head, every downgrade back, and each downgrade
leaving no trace. The database named by the config is never touched: the
checks run on SQLite in memory, or, when --url or the config's url is
PostgreSQL, on scratch databases created on that server (the user needs
CREATEDB) and dropped afterwards.

Checks: ` + strings.Join(retorttest.Tests(), ", ") + `.`,
		Args: args(0, 0),
		RunE: run(func(ctx context.Context, _ []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			tc := retorttest.Config{
				Settings: cfg, Options: a.extra, URL: url,
				Include: include, Exclude: exclude,
				Heads: heads, MinimumDowngradeRevision: minimum,
				Terms: &retorttest.CLITerms,
			}
			switch {
			case url != "":
			case cfg.URL == nil:
				tc.Dialect = retorttest.DefaultEngine
			case cfg.URL.Local():
				tc.Dialect = cfg.URL.Dialect
			default:
				tc.Server = cfg.URL
			}
			// The target for model_definitions_match_ddl is built on a
			// scratch database, so only when that check runs.
			if selected(retorttest.ModelDefinitionsMatchDDL, include, exclude) {
				if tc.Target, err = a.testTarget(ctx); err != nil {
					return err
				}
			}
			results, err := retorttest.Check(ctx, tc)
			if err != nil {
				return badInput("%v", err)
			}
			return a.testReport(results)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&url, "url", "", "PostgreSQL server to make scratch databases on (default: the config's url when PostgreSQL, else SQLite in memory)")
	f.StringSliceVar(&include, "include", nil, "checks to run, comma-separated (default: all)")
	f.StringSliceVar(&exclude, "exclude", nil, "checks to leave out, comma-separated")
	f.IntVar(&heads, "heads", 1, "number of heads single_head_revision expects")
	f.StringVar(&minimum, "minimum-downgrade-revision", "", "never downgrade to this revision (pytest-alembic's minimum_downgrade_revision)")
	return cmd
}

// testResult is one check as --format json prints it.
type testResult struct {
	Test     string   `json:"test"`
	Status   string   `json:"status"`
	Revision string   `json:"revision,omitempty"`
	Message  string   `json:"message,omitempty"`
	Log      []string `json:"log,omitempty"`
}

// testData is test's JSON data: each check with its status and why.
type testData struct {
	Checks []testResult `json:"checks"`
}

// testFailedError is test's error when a check failed (exit 1).
type testFailedError struct{ failed, total int }

func (e *testFailedError) Error() string {
	return fmt.Sprintf("%d of %d checks failed", e.failed, e.total)
}

// testReport prints the results and fails when a check failed.
func (a *app) testReport(results []retorttest.Result) error {
	out := []testResult{}
	failed := 0
	for _, r := range results {
		tr := testResult{Test: r.Test, Status: "pass", Log: r.Log}
		switch {
		case r.Err != nil:
			failed++
			tr.Status, tr.Message = "fail", r.Err.Error()
			var f *retorttest.Failure
			if errors.As(r.Err, &f) {
				tr.Revision = f.Revision
			}
		case r.Skipped != "":
			tr.Status, tr.Message = "skip", r.Skipped
		}
		out = append(out, tr)
	}
	a.result(testData{Checks: out}, func(io.Writer) {
		for _, tr := range out {
			a.printTestResult(tr)
		}
	})
	if failed > 0 {
		return &testFailedError{failed: failed, total: len(results)}
	}
	return nil
}

func (a *app) printTestResult(tr testResult) {
	if a.quiet && tr.Status != "fail" {
		return
	}
	switch tr.Status {
	case "pass":
		fmt.Fprintf(a.stdout, "PASS  %s\n", tr.Test)
	case "skip":
		fmt.Fprintf(a.stdout, "SKIP  %s: %s\n", tr.Test, tr.Message)
	default:
		fmt.Fprintf(a.stdout, "FAIL  %s\n", tr.Test)
		for _, l := range strings.Split(tr.Message, "\n") {
			if l == "" {
				fmt.Fprintln(a.stdout)
				continue
			}
			fmt.Fprintf(a.stdout, "    %s\n", l)
		}
	}
	for _, l := range tr.Log {
		fmt.Fprintf(a.stdout, "    %s\n", l)
	}
}

// selected reports whether the built-in check name runs with these
// --include and --exclude lists (the "test_" prefix is optional, and an
// excluded check never runs), as retorttest decides.
func selected(name string, include, exclude []string) bool {
	has := func(list []string) bool {
		for _, n := range list {
			if strings.TrimPrefix(strings.TrimSpace(n), "test_") == name {
				return true
			}
		}
		return false
	}
	return !has(exclude) && (len(include) == 0 || has(include))
}

// testTarget returns the config's target_schema (schema.sql) as
// autogenerate reads it, or nil when the project has none.
func (a *app) testTarget(ctx context.Context) (*schema.Database, error) {
	env, err := a.open(ctx)
	if err != nil {
		return nil, nil // the checks report the project's problems themselves
	}
	defer env.Close()
	if !env.HasTarget() {
		return nil, nil
	}
	return env.Target(ctx)
}
