package retorttest

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// Run runs the built-in tests that cfg selects, each as a subtest of t
// named as pytest-alembic names it ("upgrade", "up_down_consistency",
// ...), each on a fresh database. A failure reports the revision at fault
// and the schema difference; a test that lacks what it needs (a target
// schema, models, data, a PostgreSQL server) is skipped saying what to
// set. An unknown name in Include or Exclude fails t.
func Run(t *testing.T, cfg Config) {
	t.Helper()
	tests, err := cfg.selected()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range tests {
		t.Run(b.name, func(t *testing.T) { runBuiltin(t, cfg, b) })
	}
}

// runBuiltin runs one built-in test and reports its outcome on tb.
func runBuiltin(tb testing.TB, cfg Config, b builtin) {
	tb.Helper()
	c := &checker{cfg: cfg, label: tb.Name(), logf: tb.Logf, cleanup: tb.Cleanup}
	err := b.run(tb.Context(), c)
	var skip *skipError
	switch {
	case err == nil:
	case errors.As(err, &skip):
		tb.Skip(skip.why)
	default:
		tb.Error(err)
	}
}

// Result is the outcome of one built-in test run by [Check].
type Result struct {
	// Test is the built-in test's name.
	Test string
	// Err is nil when the test passed; a *[Failure] when it failed for
	// the reason it checks; any other error when it could not run.
	Err error
	// Skipped says why the test did not run, or is empty.
	Skipped string
	// Log holds the test's notes and warnings.
	Log []string
}

// Check runs the built-in tests outside go test (the retort test
// command), each on a fresh database dropped afterwards, and returns
// their results in order. The error is for a bad selection, or an
// engine the kit cannot test on (one retort cannot run on yet, say).
func Check(ctx context.Context, cfg Config) ([]Result, error) {
	tests, err := cfg.selected()
	if err != nil {
		return nil, err
	}
	// An engine that cannot be tested on is the configuration's fault,
	// not each check's.
	settings, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	if _, _, _, err := cfg.chooseEngine(settings); err != nil {
		return nil, err
	}
	out := make([]Result, 0, len(tests))
	for _, b := range tests {
		out = append(out, checkOne(ctx, cfg, b))
	}
	return out, nil
}

func checkOne(ctx context.Context, cfg Config, b builtin) (res Result) {
	res.Test = b.name
	var cleanups []func()
	c := &checker{
		cfg:     cfg,
		label:   "check_" + b.name,
		logf:    func(format string, args ...any) { res.Log = append(res.Log, fmt.Sprintf(format, args...)) },
		cleanup: func(f func()) { cleanups = append(cleanups, f) },
	}
	defer func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}()
	err := b.run(ctx, c)
	var skip *skipError
	if errors.As(err, &skip) {
		res.Skipped = skip.why
		return res
	}
	res.Err = err
	return res
}
