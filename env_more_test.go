package retort_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
)

// The cookbook's schema-per-tenant recipe from the CLI's point of view:
// search_path = "{x.tenant}" runs each tenant in its own schema with its
// own version table, and the caller's pooled connections keep their
// search_path.
func TestTenantSchema(t *testing.T) {
	url := dbtest.Postgres(t)
	db := dbtest.Open(t, url)
	ctx := t.Context()
	for _, s := range []string{"acme", "Globex Corp"} {
		if _, err := db.ExecContext(ctx, `CREATE SCHEMA "`+s+`"`); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	writeProject(t, dir, url, chain(2), "search_path = \"{x.tenant}\"\n")
	for _, tenant := range []string{"acme", "Globex Corp"} {
		cfg, err := config.Load(filepath.Join(dir, "retort.toml"), config.WithXArgs(map[string]string{"tenant": tenant}))
		if err != nil {
			t.Fatal(err)
		}
		env := open(t, cfg, retort.WithConn(db))
		if err := env.Upgrade(ctx, "head"); err != nil {
			t.Fatalf("tenant %s: %v", tenant, err)
		}
		if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
			t.Errorf("tenant %s heads = %v", tenant, got)
		}
	}
	for _, s := range []string{"acme", "Globex Corp"} {
		var n int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name IN ('t01','t02','alembic_version')`, s).Scan(&n)
		if err != nil || n != 3 {
			t.Errorf("schema %q has %d of its 3 tables (%v)", s, n, err)
		}
	}
	if tableExists(t, db, "postgres", "t01") {
		t.Error("a tenant's table landed in public")
	}
	var sp string
	if err := db.QueryRowContext(ctx, "SHOW search_path").Scan(&sp); err != nil || strings.Contains(sp, "acme") {
		t.Errorf("the caller's connection kept search_path %q (%v)", sp, err)
	}
}

// A no-transaction revision (CREATE INDEX CONCURRENTLY) commits the run's
// transaction, runs on its own, and the run goes on.
func TestNoTransactionRevision(t *testing.T) {
	url := dbtest.Postgres(t)
	revs := chain(3)
	revs[1].up = "CREATE INDEX CONCURRENTLY t01_note ON t01 (note);"
	revs[1].down = "DROP INDEX CONCURRENTLY t01_note;"
	revs[1].noTx = true
	cfg := writeProject(t, t.TempDir(), url, revs, "")
	env := open(t, cfg)
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	if got := heads(t, env); !slices.Equal(got, []string{"r03"}) {
		t.Fatalf("heads = %v", got)
	}
	if err := env.Downgrade(t.Context(), "base"); err != nil {
		t.Fatal(err)
	}
	if got := heads(t, env); len(got) != 0 {
		t.Fatalf("heads after downgrade base = %v", got)
	}
}

// When another run holds the lock past lock_timeout, the error says so
// and names the holder.
func TestLockTimeout(t *testing.T) {
	url := dbtest.Postgres(t)
	dir := t.TempDir()
	cfg := writeProject(t, dir, url, chain(2), "lock_timeout = \"300ms\"\n")
	holding, release := make(chan struct{}), make(chan struct{})
	first := open(t, cfg, retort.WithHooks(retort.Hooks{BeforeStep: func(ctx context.Context, s retort.StepInfo) error {
		if s.Step.Revision.ID == "r01" {
			close(holding)
			<-release
		}
		return nil
	}}))
	done := make(chan error)
	go func() { done <- first.Upgrade(context.Background(), "head") }()
	<-holding
	second := open(t, cfg)
	err := second.Upgrade(t.Context(), "head")
	close(release)
	if err2 := <-done; err2 != nil {
		t.Fatalf("first run: %v", err2)
	}
	var lt *dialect.LockTimeoutError
	if !errors.As(err, &lt) {
		t.Fatalf("want *dialect.LockTimeoutError, got %T %v", err, err)
	}
	if !strings.Contains(err.Error(), "pid") {
		t.Errorf("lock timeout error does not name the holder: %v", err)
	}
}

// Hooks run inside the migration's transaction: what they do rolls back
// with it.
func TestHooksInTransaction(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			url := b.url(t)
			db := dbtest.Open(t, url)
			if _, err := db.ExecContext(t.Context(), "CREATE TABLE trace (rev VARCHAR(32), dir VARCHAR(16))"); err != nil {
				t.Fatal(err)
			}
			revs := chain(2)
			revs[1].up += "\nSELECT * FROM no_such_table;"
			cfg := writeProject(t, t.TempDir(), url, revs, "")
			var seen []string
			hook := func(ctx context.Context, s retort.StepInfo) error {
				seen = append(seen, s.Step.Revision.ID)
				_, err := s.Querier.ExecContext(ctx, fmt.Sprintf("INSERT INTO trace VALUES ('%s', '%s')", s.Step.Revision.ID, s.Step.Direction))
				return err
			}
			env := open(t, cfg, retort.WithHooks(retort.Hooks{BeforeStep: hook}))
			if err := env.Upgrade(t.Context(), "head"); err == nil {
				t.Fatal("upgrade with a failing revision succeeded")
			}
			if !slices.Equal(seen, []string{"r01", "r02"}) {
				t.Errorf("hooks saw %v", seen)
			}
			var n int
			if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM trace").Scan(&n); err != nil || n != 0 {
				t.Errorf("hook rows survived the rollback: %d (%v)", n, err)
			}
		})
	}
}

// SQL files and Go migrations make one graph; Go migrations read -x
// arguments and run in the same transaction.
func TestGoAndSQLInOneGraph(t *testing.T) {
	url := dbtest.SQLiteFile(t)
	cfg := writeProject(t, t.TempDir(), url, chain(2), "")
	var reg retort.Registry
	reg.Add(retort.Migration{
		Revision: "g03", Revises: []string{"r02"}, Message: "seed data",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			if v, _ := op.XArg("data"); v != "true" {
				return nil
			}
			return op.Exec("INSERT INTO t02 (id, note) VALUES (1, 'seeded')")
		},
	})
	env := open(t, cfg, retort.WithRegistry(&reg), retort.WithXArgs(map[string]string{"data": "true"}))
	if got := env.Graph().Heads(); len(got) != 1 || got[0].ID != "g03" || !got[0].Source.Go {
		t.Fatalf("heads = %v", got)
	}
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	var note string
	if err := dbtest.Open(t, url).QueryRowContext(t.Context(), "SELECT note FROM t02 WHERE id = 1").Scan(&note); err != nil || note != "seeded" {
		t.Fatalf("Go migration did not run: %q %v", note, err)
	}
	err := env.Downgrade(t.Context(), "base")
	if !errors.Is(err, retort.ErrBadInput) || !strings.Contains(err.Error(), "g03") {
		t.Fatalf("downgrading a Go migration without Downgrade: %v", err)
	}
	if got := heads(t, env); !slices.Equal(got, []string{"g03"}) {
		t.Errorf("a refused downgrade changed the heads to %v", got)
	}
}

// Revisions load from any fs.FS (embed.FS in an application), on the
// application's own connection.
func TestEmbeddedRevisions(t *testing.T) {
	url := dbtest.SQLiteFile(t)
	fsys := fstest.MapFS{}
	for i, r := range chain(3) {
		fsys[fmt.Sprintf("migrations/versions/%03d_%s.sql", i, r.id)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"-- step\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- +retort upgrade\n%s\n-- +retort downgrade\n%s\n", r.id, r.revises, r.up, r.down))}
	}
	db := dbtest.Open(t, url)
	env := open(t, nil, retort.WithConn(db), retort.WithFS(fsys, "migrations/versions"))
	if err := env.Upgrade(t.Context(), "heads"); err != nil {
		t.Fatal(err)
	}
	if got := heads(t, env); !slices.Equal(got, []string{"r03"}) {
		t.Fatalf("heads = %v", got)
	}
	if err := db.PingContext(t.Context()); err != nil {
		t.Errorf("retort closed the caller's pool: %v", err)
	}
}

// Several version locations, one of them searched recursively.
func TestVersionLocations(t *testing.T) {
	url := dbtest.SQLiteFile(t)
	dir := t.TempDir()
	revs := chain(3)
	writeProject(t, dir, url, revs[:1], "")
	other := filepath.Join(dir, "more", "deep")
	must(t, os.MkdirAll(other, 0o755))
	for _, r := range revs[1:] {
		src := fmt.Sprintf("-- step\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- +retort upgrade\n%s\n-- +retort downgrade\n%s\n", r.id, r.revises, r.up, r.down)
		must(t, os.WriteFile(filepath.Join(other, r.id+".sql"), []byte(src), 0o644))
	}
	toml := fmt.Sprintf("[retort]\nurl = %q\nversion_locations = [\"migrations/versions\", \"more\"]\nrecursive_version_locations = true\n", url)
	must(t, os.WriteFile(filepath.Join(dir, "retort.toml"), []byte(toml), 0o644))
	cfg, err := config.Load(filepath.Join(dir, "retort.toml"))
	if err != nil {
		t.Fatal(err)
	}
	env := open(t, cfg)
	if env.Graph().Len() != 3 {
		t.Fatalf("loaded %d revisions, want 3", env.Graph().Len())
	}
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
}

// A pgx pool works through its database/sql adapter.
func TestPgxPool(t *testing.T) {
	url := dbtest.Postgres(t)
	pool, err := pgxpool.New(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	cfg := writeProject(t, t.TempDir(), "", chain(2), "")
	env := open(t, cfg, retort.WithConn(db))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := env.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
		t.Fatalf("heads = %v", got)
	}
	var _ *sql.DB = db
}

// A Go migration returning an error rolls its transaction back, and the
// error names the revision.
func TestGoMigrationErrorRollsBack(t *testing.T) {
	url := dbtest.SQLiteFile(t)
	cfg := writeProject(t, t.TempDir(), url, chain(1), "")
	var reg retort.Registry
	reg.Add(retort.Migration{
		Revision: "g02", Revises: []string{"r01"}, Message: "half done",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			if err := op.Exec("CREATE TABLE half (id INTEGER)"); err != nil {
				return err
			}
			return errors.New("backfill source unavailable")
		},
	})
	env := open(t, cfg, retort.WithRegistry(&reg))
	err := env.Upgrade(t.Context(), "head")
	var ge *retort.GoMigrationError
	if !errors.As(err, &ge) || ge.Revision != "g02" || !strings.Contains(err.Error(), "backfill source unavailable") {
		t.Fatalf("want GoMigrationError naming g02, got %v", err)
	}
	if tableExists(t, dbtest.Open(t, url), "sqlite", "half") {
		t.Error("the failed Go migration's table survived")
	}
	if got := heads(t, env); len(got) != 0 {
		t.Errorf("heads = %v, want none (one transaction for the run)", got)
	}
}

// An application with Go revisions only needs no versions folder.
func TestRegistryOnly(t *testing.T) {
	var reg retort.Registry
	reg.Add(retort.Migration{Revision: "g01", Message: "only Go",
		Upgrade: func(ctx context.Context, op *retort.Op) error { return op.Exec("CREATE TABLE g (id INTEGER)") }})
	env := open(t, nil, retort.WithRegistry(&reg), retort.WithConn(dbtest.Open(t, dbtest.SQLiteFile(t))), retort.WithDialect("sqlite"))
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
}

// A lease left by a run that died makes the next run wait, then fail
// naming the holder and the row to delete.
func TestStaleLease(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			url := b.url(t)
			revs := chain(2)
			revs[1].up = "CREATE INDEX t01_note ON t01 (note);"
			revs[1].down = "DROP INDEX t01_note;"
			revs[1].noTx = true
			cfg := writeProject(t, t.TempDir(), url, revs, "lock_timeout = \"300ms\"\n")
			db := dbtest.Open(t, url)
			for _, q := range []string{
				"CREATE TABLE alembic_version_lease (owner VARCHAR(64) NOT NULL PRIMARY KEY, revision VARCHAR(32) NOT NULL, holder VARCHAR(255) NOT NULL, taken VARCHAR(40) NOT NULL)",
				"INSERT INTO alembic_version_lease VALUES ('dead', 'r02', 'host gone pid 1', '2026-11-21T00:00:00Z')",
			} {
				if _, err := db.ExecContext(t.Context(), q); err != nil {
					t.Fatal(err)
				}
			}
			env := open(t, cfg)
			err := env.Upgrade(t.Context(), "head")
			var lt *dialect.LockTimeoutError
			if !errors.As(err, &lt) || !strings.Contains(err.Error(), "host gone pid 1") || !strings.Contains(err.Error(), "alembic_version_lease") {
				t.Fatalf("want a lock timeout naming the stale lease, got %v", err)
			}
			if got := heads(t, env); !slices.Equal(got, []string{"r01"}) {
				t.Errorf("heads = %v, want [r01] (the revision before the blocked one)", got)
			}
			if _, err := db.ExecContext(t.Context(), "DELETE FROM alembic_version_lease"); err != nil {
				t.Fatal(err)
			}
			if err := env.Upgrade(t.Context(), "head"); err != nil {
				t.Fatalf("after deleting the stale lease: %v", err)
			}
		})
	}
}
