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

// TestMySQLLeadFails: on MariaDB a revision's last statement goes in
// the block that writes its version row and history row; when that
// statement fails, the run reports it as it reports any statement (the
// revision, file line and server error), with the statements of the
// revision that committed before it, and writes neither row.
func TestMySQLLeadFails(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, up  string
		line      int
		committed []string
	}{
		{"after DDL", "CREATE TABLE t02 (id INTEGER);\nCREATE INDEX ix_t02 ON t02 (nope);", 11, []string{"CREATE TABLE t02 (id INTEGER)"}},
		{"alone", "ALTER TABLE no_such ADD COLUMN c INTEGER;", 10, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			url := dbtest.MySQL(t)
			revs := chain(3)
			revs[1].up = c.up
			env := open(t, writeProject(t, t.TempDir(), url, revs, ""))
			err := env.Upgrade(t.Context(), "head")
			se, ok := errors.AsType[*runner.StatementError](err)
			if !ok || se.Revision != "r02" || se.Line != c.line {
				t.Fatalf("got %v; want the StatementError of r02 at line %d", err, c.line)
			}
			ce, ok := errors.AsType[*runner.CommittedError](err)
			if c.committed == nil {
				if ok {
					t.Errorf("CommittedError %q, but nothing of r02 committed", ce.Committed)
				}
			} else if !ok || !slices.Equal(ce.Committed, c.committed) {
				t.Errorf("got %v; want it to say that %q committed", err, c.committed)
			}
			if got := heads(t, env); !slices.Equal(got, []string{"r01"}) {
				t.Errorf("heads = %v, want [r01]", got)
			}
			rows, err := env.History(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if got := directions(rows); !slices.Equal(got, []string{"r01 upgrade done"}) {
				t.Errorf("history = %q, want r01's row only", got)
			}
		})
	}
}

// TestMySQLInterruptInLead: an interrupt while a revision's last
// statement runs in its block (here an ALTER waiting for a table lock
// another session holds) stops it on the server; the error says what
// of the revision committed, and no row is written.
func TestMySQLInterruptInLead(t *testing.T) {
	t.Parallel()
	url := dbtest.MySQL(t)
	revs := chain(2)
	revs[1].up = "CREATE TABLE t02 (id INTEGER);\nALTER TABLE t01 ADD COLUMN c INTEGER;"
	locker, err := dbtest.Open(t, url).Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close()
	env := open(t, writeProject(t, t.TempDir(), url, revs, ""), retort.WithHooks(retort.Hooks{BeforeStep: func(ctx context.Context, s retort.StepInfo) error {
		if s.Step.Revision != nil && s.Step.Revision.ID == "r02" {
			_, err := locker.ExecContext(ctx, "LOCK TABLES t01 READ")
			return err
		}
		return nil
	}}))
	running, err := interruptWhile(t, env, url, "%ALTER TABLE t01%")
	if _, ok := errors.AsType[*runner.InterruptedError](err); !ok || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v; want an InterruptedError", err)
	}
	msg := err.Error()
	for _, want := range []string{"not rolled back", "CREATE TABLE t02", "does not record upgrade r02"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q: it must say what of r02 committed", msg, want)
		}
	}
	if strings.Contains(msg, "ALTER TABLE t01") {
		t.Errorf("%q counts the interrupted ALTER TABLE as committed", msg)
	}
	if running() {
		t.Error("the server still runs the interrupted statement")
	}
	if _, err := locker.ExecContext(t.Context(), "UNLOCK TABLES"); err != nil {
		t.Fatal(err)
	}
	if got := heads(t, env); !slices.Equal(got, []string{"r01"}) {
		t.Errorf("heads = %v, want [r01]", got)
	}
}

// interruptWhile runs env's upgrade to head and interrupts it (as a
// signal does) once a session of url's database other than its own runs
// a statement like pattern (SQL LIKE); it returns running, which tells
// whether such a statement still runs, and the run's error.
func interruptWhile(t *testing.T, env *retort.Env, url, pattern string) (running func() bool, err error) {
	t.Helper()
	ctx, cancel := context.WithCancelCause(t.Context())
	defer cancel(nil)
	done := make(chan error, 1)
	go func() { done <- env.Upgrade(ctx, "head") }()
	admin := dbtest.Open(t, url)
	running = func() bool {
		var n int
		if err := admin.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID() AND info LIKE ?", pattern).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	for until := time.Now().Add(time.Minute); !running(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(until) {
			t.Fatalf("no statement like %q ever ran", pattern)
		}
	}
	cancel(errSignal)
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the interrupted run did not stop: its statement goes on")
	}
	return running, err
}
