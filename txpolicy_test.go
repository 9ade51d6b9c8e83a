package retort_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
)

// enumRevs add an enum value in one revision and use it in the next.
func enumRevs(commitBefore bool) []rev {
	return []rev{
		{id: "a1", up: "CREATE TYPE job_state AS ENUM ('queued', 'done');\nCREATE TABLE job (id int PRIMARY KEY, state job_state NOT NULL);", down: "DROP TABLE job;\nDROP TYPE job_state;"},
		{id: "b2", revises: "a1", up: "ALTER TYPE job_state ADD VALUE 'failed';", down: "SELECT 1;"},
		{id: "c3", revises: "b2", commitBefore: commitBefore, up: "CREATE INDEX job_failed ON job (id) WHERE state = 'failed';", down: "DROP INDEX job_failed;"},
	}
}

// TestTxPolicy: what PostgreSQL cannot run or use in one transaction is
// found when the plan is made, before anything runs, naming the
// revisions and the two ways on; both ways work.
func TestTxPolicy(t *testing.T) {
	t.Run("enum value used in the same transaction", func(t *testing.T) {
		url := dbtest.Postgres(t)
		env := open(t, writeProject(t, t.TempDir(), url, enumRevs(false), ""))
		err := env.Upgrade(t.Context(), "head")
		var tp *retort.TxPolicyError
		if !errors.As(err, &tp) || !errors.Is(err, retort.ErrBadInput) || tp.Revision != "c3" || !strings.Contains(tp.Earlier, "b2") {
			t.Fatalf("err = %v", err)
		}
		for _, want := range []string{"transaction_per_migration = true", "-- +retort commit-before", "'failed'", "revision b2"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error does not say %q: %v", want, err)
			}
		}
		if h := heads(t, env); len(h) != 0 {
			t.Errorf("ran before failing: heads %v", h)
		}
	})
	t.Run("commit-before", func(t *testing.T) {
		env := open(t, writeProject(t, t.TempDir(), dbtest.Postgres(t), enumRevs(true), ""))
		if err := env.Upgrade(t.Context(), "head"); err != nil {
			t.Fatal(err)
		}
		if err := env.Downgrade(t.Context(), "base"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("transaction_per_migration", func(t *testing.T) {
		env := open(t, writeProject(t, t.TempDir(), dbtest.Postgres(t), enumRevs(false), "transaction_per_migration = true\n"))
		if err := env.Upgrade(t.Context(), "head"); err != nil {
			t.Fatal(err)
		}
	})
	for _, stmt := range []string{"CREATE INDEX CONCURRENTLY ix ON t (id);", "VACUUM t;", "ALTER SYSTEM SET work_mem = '8MB';"} {
		t.Run(stmt, func(t *testing.T) {
			revs := []rev{{id: "a1", up: "CREATE TABLE t (id int);", down: "DROP TABLE t;"}, {id: "b2", revises: "a1", up: stmt, down: "SELECT 1;"}}
			env := open(t, writeProject(t, t.TempDir(), dbtest.Postgres(t), revs, ""))
			err := env.Upgrade(t.Context(), "head")
			var tp *retort.TxPolicyError
			if !errors.As(err, &tp) || !tp.NoTransaction || tp.Revision != "b2" || !strings.Contains(err.Error(), "-- +retort no-transaction") {
				t.Fatalf("err = %v", err)
			}
		})
	}
}
