package retort_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/runner"
)

// errSignal stands for the cause signal.NotifyContext gives.
var errSignal = errors.New("terminated signal received")

// An interrupted run says so, names the step it was running and what
// committed, for both transaction policies.
func TestInterrupted(t *testing.T) {
	for _, tt := range []struct {
		name, extra string
		committed   []string
	}{
		{"one transaction", "", nil},
		{"per migration", "transaction_per_migration = true\n", []string{"r01"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := writeProject(t, t.TempDir(), dbtest.SQLiteFile(t), chain(3), tt.extra)
			ctx, cancel := context.WithCancelCause(t.Context())
			defer cancel(nil)
			env := open(t, cfg, retort.WithHooks(retort.Hooks{BeforeStep: func(ctx context.Context, s retort.StepInfo) error {
				if s.Step.Revision.ID == "r02" {
					cancel(errSignal)
				}
				return ctx.Err()
			}}))
			err := env.Upgrade(ctx, "head")
			var ie *runner.InterruptedError
			if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v; want an InterruptedError", err)
			}
			msg := err.Error()
			for _, want := range []string{"interrupted (terminated signal received)", "while running upgrade r01 -> r02", "its transaction was rolled back"} {
				if !strings.Contains(msg, want) {
					t.Errorf("%q lacks %q", msg, want)
				}
			}
			if tt.committed != nil && !strings.Contains(msg, "committed before: upgrade  -> r01") {
				t.Errorf("%q does not name what committed", msg)
			}
			if tt.committed == nil && !strings.Contains(msg, "nothing was committed") {
				t.Errorf("%q does not say nothing committed", msg)
			}
			if tt.committed != nil {
				if got := heads(t, open(t, cfg)); !slices.Equal(got, tt.committed) {
					t.Errorf("heads = %v, want %v", got, tt.committed)
				}
			}
		})
	}
}

// Interrupted inside a no-transaction revision, the message says how
// many of its statements committed, and the next run resumes.
func TestInterruptedNoTransaction(t *testing.T) {
	url := dbtest.Postgres(t)
	revs := chain(2)
	revs[1].noTx = true
	revs[1].up = "CREATE TABLE n1 (id INTEGER);\nSELECT pg_sleep(30);\nCREATE TABLE n2 (id INTEGER);"
	revs[1].down = "DROP TABLE n2;\nDROP TABLE n1;"
	cfg := writeProject(t, t.TempDir(), url, revs, "")
	db := dbtest.Open(t, url)
	ctx, cancel := context.WithCancelCause(t.Context())
	defer cancel(nil)
	go func() {
		for ctx.Err() == nil {
			var n int
			err := db.QueryRowContext(ctx, "SELECT coalesce(max(statements), 0) FROM alembic_version_history WHERE state = 'partial'").Scan(&n)
			if err == nil && n >= 1 {
				time.Sleep(50 * time.Millisecond) // into pg_sleep
				cancel(errSignal)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	err := open(t, cfg).Upgrade(ctx, "head")
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	for _, want := range []string{"interrupted (terminated signal received) while running upgrade of revision r02 outside a transaction: its first statement committed and stays", "committed before: upgrade  -> r01"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	// The next run resumes after CREATE TABLE n1 (which would fail if
	// run again); the statement that did not commit may change.
	rewrite(t, revFile(t, cfg.Dir, 1, "r02"), "SELECT pg_sleep(30)", "SELECT pg_sleep(0)")
	env := open(t, cfg)
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatalf("resume after the interruption: %v", err)
	}
	if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
		t.Fatalf("heads = %v", got)
	}
}
