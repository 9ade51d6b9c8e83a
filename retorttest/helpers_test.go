package retorttest

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/schema"
)

// mig is a test migration of raw SQL; an empty down means no Downgrade.
type mig struct {
	id, revises string
	up, down    []string
	// downErr makes the downgrade fail with this error.
	downErr error
}

// registry builds a Go registry of migs.
func registry(migs ...mig) *retort.Registry {
	reg := &retort.Registry{}
	for _, m := range migs {
		var revises []string
		if m.revises != "" {
			revises = strings.Split(m.revises, ",")
		}
		rm := retort.Migration{Revision: m.id, Revises: revises, Message: "test " + m.id, Upgrade: execAll(m.up)}
		if m.down != nil || m.downErr != nil {
			rm.Downgrade = execAll(m.down)
			if m.downErr != nil {
				err := m.downErr
				rm.Downgrade = func(context.Context, *retort.Op) error { return err }
			}
		}
		reg.Add(rm)
	}
	return reg
}

func execAll(stmts []string) func(context.Context, *retort.Op) error {
	return func(_ context.Context, op *retort.Op) error {
		for _, s := range stmts {
			if err := op.Exec(s); err != nil {
				return err
			}
		}
		return nil
	}
}

// good is a sound three-revision history.
var good = []mig{
	{id: "a1", up: []string{"CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"}, down: []string{"DROP TABLE customer"}},
	{id: "b2", revises: "a1", up: []string{"ALTER TABLE customer ADD COLUMN email TEXT"}, down: []string{"ALTER TABLE customer DROP COLUMN email"}},
	{id: "c3", revises: "b2", up: []string{"CREATE INDEX ix_customer_name ON customer (name)"}, down: []string{"DROP INDEX ix_customer_name"}},
}

// goodTarget is the schema good produces.
func goodTarget() *schema.Database {
	return &schema.Database{Tables: []schema.Table{customerTable()}}
}

func customerTable() schema.Table {
	return schema.NewTable("customer",
		schema.Column("id", schema.Integer, schema.PrimaryKey()),
		schema.Column("name", schema.Text, schema.NotNull()),
		schema.Column("email", schema.Text),
		schema.Index("ix_customer_name", "name"))
}

// with returns migs with the migration of the same id replaced by m.
func with(migs []mig, m mig) []mig {
	out := append([]mig(nil), migs...)
	for i := range out {
		if out[i].id == m.id {
			out[i] = m
			return out
		}
	}
	return append(out, m)
}

// sqliteConfig is a Config for migs on SQLite.
func sqliteConfig(migs ...mig) Config {
	return Config{Dialect: "sqlite", Options: goOptions(migs...)}
}

// goOptions are the options for a Go-only history. The empty folder
// works around retort.Open with a nil config failing on the default
// versions folder even when a registry is given.
func goOptions(migs ...mig) []retort.Option {
	return []retort.Option{retort.WithFS(fstest.MapFS{"versions": {Mode: fs.ModeDir}}, "versions"), retort.WithRegistry(registry(migs...))}
}

// fakeTB captures a built-in test's outcome without failing the real
// test; everything else goes to the real one.
type fakeTB struct {
	testing.TB
	mu      sync.Mutex
	errors  []string
	skipped string
	logs    []string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Error(args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, fmt.Sprint(args...))
}

func (f *fakeTB) Errorf(format string, args ...any) { f.Error(fmt.Sprintf(format, args...)) }

func (f *fakeTB) Skip(args ...any) { f.skipped = fmt.Sprint(args...) }

func (f *fakeTB) Logf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}

// runOne runs the built-in test name on a fake TB and returns it.
func runOne(t *testing.T, cfg Config, name string) *fakeTB {
	t.Helper()
	for _, b := range builtins {
		if b.name == name {
			f := &fakeTB{TB: t}
			runBuiltin(f, cfg, b)
			return f
		}
	}
	t.Fatalf("no built-in test %s", name)
	return nil
}

// failure returns the single failure of f, failing t unless there is
// exactly one.
func (f *fakeTB) failure(t *testing.T) string {
	t.Helper()
	if len(f.errors) != 1 {
		t.Fatalf("want one failure, got %d: %q (skipped %q)", len(f.errors), f.errors, f.skipped)
	}
	return f.errors[0]
}

func (f *fakeTB) passed(t *testing.T) {
	t.Helper()
	if len(f.errors) > 0 || f.skipped != "" {
		t.Fatalf("want a pass, got failures %q, skipped %q, log %q", f.errors, f.skipped, f.logs)
	}
}

// contains fails t unless s contains every want.
func contains(t *testing.T, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("message lacks %q:\n%s", w, s)
		}
	}
}
