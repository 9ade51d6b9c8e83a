package retort_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/cli"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/runner"
)

// rev is a revision file to write.
type rev struct {
	id, revises, up, down string
	noTx                  bool
	commitBefore          bool
}

func writeProject(t testing.TB, dir, url string, revs []rev, extra string) *config.Config {
	t.Helper()
	vdir := filepath.Join(dir, "migrations", "versions")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, r := range revs {
		var b strings.Builder
		fmt.Fprintf(&b, "-- step %s\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Branch Labels:\n-- Depends On:\n-- Create Date: 2026-11-21 10:00:00.000000+00:00\n\n", r.id, r.id, r.revises)
		if r.noTx {
			b.WriteString("-- +retort no-transaction\n\n")
		}
		if r.commitBefore {
			b.WriteString("-- +retort commit-before\n\n")
		}
		fmt.Fprintf(&b, "-- +retort upgrade\n%s\n\n-- +retort downgrade\n%s\n", r.up, r.down)
		name := filepath.Join(vdir, fmt.Sprintf("%03d_%s.sql", i, r.id))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	toml := fmt.Sprintf("[retort]\nscript_location = \"migrations\"\nurl = %q\n%s", url, extra)
	file := filepath.Join(dir, "retort.toml")
	if err := os.WriteFile(file, []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(extra, "{x.") {
		return nil // the caller loads it with its x-arguments
	}
	cfg, err := config.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func chain(n int) []rev {
	var out []rev
	prev := ""
	for i := range n {
		id := fmt.Sprintf("r%02d", i+1)
		out = append(out, rev{id: id, revises: prev,
			up:   fmt.Sprintf("CREATE TABLE t%02d (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'a;b');", i+1),
			down: fmt.Sprintf("DROP TABLE t%02d;", i+1)})
		prev = id
	}
	return out
}

type backend struct {
	name string
	url  func(t testing.TB) string
}

func backends() []backend {
	return []backend{
		{"sqlite", dbtest.SQLiteFile},
		{"postgres", dbtest.Postgres},
	}
}

// allBackends is backends and MariaDB (MySQL), for the tests whose
// story does not rely on transactional DDL.
func allBackends() []backend {
	return append(backends(), backend{"mysql", dbtest.MySQL})
}

func open(t testing.TB, cfg *config.Config, opts ...retort.Option) *retort.Env {
	t.Helper()
	env, err := retort.Open(t.Context(), cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	return env
}

func heads(t testing.TB, env *retort.Env) []string {
	t.Helper()
	h, err := env.CurrentHeads(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return slices.Sorted(slices.Values(h))
}

func tableExists(t testing.TB, db *sql.DB, dialectName, table string) bool {
	t.Helper()
	q := "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=$1"
	switch dialectName {
	case "postgres":
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name=$1"
	case "mysql":
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name=?"
	}
	var n int
	if err := db.QueryRowContext(t.Context(), q, table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func TestUpgradeDowngrade(t *testing.T) {
	for _, b := range allBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			url := b.url(t)
			cfg := writeProject(t, t.TempDir(), url, chain(3), "")
			env := open(t, cfg)
			ctx := t.Context()
			if err := env.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if got := heads(t, env); !slices.Equal(got, []string{"r03"}) {
				t.Fatalf("heads after upgrade head = %v", got)
			}
			if err := env.Downgrade(ctx, "-2"); err != nil {
				t.Fatal(err)
			}
			if got := heads(t, env); !slices.Equal(got, []string{"r01"}) {
				t.Fatalf("heads after downgrade -2 = %v", got)
			}
			if err := env.Upgrade(ctx, "+1"); err != nil {
				t.Fatal(err)
			}
			if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
				t.Fatalf("heads after upgrade +1 = %v", got)
			}
			if err := env.Downgrade(ctx, "base"); err != nil {
				t.Fatal(err)
			}
			if got := heads(t, env); len(got) != 0 {
				t.Fatalf("heads after downgrade base = %v", got)
			}
			db := dbtest.Open(t, url)
			if tableExists(t, db, b.name, "t01") {
				t.Error("t01 still exists after downgrade base")
			}
		})
	}
}

// A failing statement rolls back the open transaction: with the default
// policy nothing is applied; with one transaction per migration the
// earlier revisions stay, and the version table says exactly that.
func TestFailureRollsBack(t *testing.T) {
	for _, b := range backends() {
		for _, perMigration := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/per_migration=%v", b.name, perMigration), func(t *testing.T) {
				t.Parallel()
				url := b.url(t)
				revs := chain(3)
				revs[2].up = "CREATE TABLE t03 (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);"
				extra := ""
				if perMigration {
					extra = "transaction_per_migration = true\n"
				}
				cfg := writeProject(t, t.TempDir(), url, revs, extra)
				env := open(t, cfg)
				err := env.Upgrade(t.Context(), "head")
				var se *runner.StatementError
				if !errors.As(err, &se) {
					t.Fatalf("want *runner.StatementError, got %T %v", err, err)
				}
				if se.Revision != "r03" || se.Line != 11 || !strings.HasSuffix(se.File, "002_r03.sql") {
					t.Errorf("error names %s %s:%d, want r03 ...002_r03.sql:11", se.Revision, se.File, se.Line)
				}
				db := dbtest.Open(t, url)
				want := []string{}
				if perMigration {
					want = []string{"r02"}
					var pe *runner.PartialError
					if !errors.As(err, &pe) {
						t.Errorf("want *runner.PartialError, got %v", err)
					}
				}
				if got := heads(t, env); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
					t.Errorf("heads = %v, want %v", got, want)
				}
				if tableExists(t, db, b.name, "t03") {
					t.Error("t03 was left behind by the failed revision")
				}
				if got := tableExists(t, db, b.name, "t01"); got != perMigration {
					t.Errorf("t01 exists = %v, want %v", got, perMigration)
				}
			})
		}
	}
}

// On a caller's transaction retort runs inside it and never commits: the
// caller's rollback leaves nothing applied.
func TestCallerTransaction(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			url := b.url(t)
			cfg := writeProject(t, t.TempDir(), "", chain(2), "")
			db := dbtest.Open(t, url)
			tx, err := db.BeginTx(t.Context(), nil)
			if err != nil {
				t.Fatal(err)
			}
			env := open(t, cfg, retort.WithConn(tx), retort.WithDialect(b.name))
			if err := env.Upgrade(t.Context(), "head"); err != nil {
				t.Fatal(err)
			}
			if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
				t.Fatalf("inside the transaction heads = %v", got)
			}
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			if tableExists(t, db, b.name, "t01") || tableExists(t, db, b.name, "alembic_version") {
				t.Error("the caller's rollback left tables behind")
			}
		})
	}
}

// Cancelling the context stops the run and rolls back.
func TestCancel(t *testing.T) {
	url := dbtest.SQLiteFile(t)
	cfg := writeProject(t, t.TempDir(), url, chain(3), "")
	ctx, cancel := context.WithCancel(t.Context())
	env := open(t, cfg, retort.WithHooks(retort.Hooks{BeforeStep: func(ctx context.Context, s retort.StepInfo) error {
		if s.Step.Revision.ID == "r02" {
			cancel()
		}
		return nil
	}}))
	err := env.Upgrade(ctx, "head")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	// Nothing was committed, so the SQLite file the run made is gone.
	if _, err := os.Stat(strings.TrimPrefix(url, "sqlite:///")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the database file of a cancelled first run is still there: %v", err)
	}
}

// A run that committed something keeps its file; heads show where it
// stopped.
func TestCancelKeepsCommitted(t *testing.T) {
	url := dbtest.SQLiteFile(t)
	cfg := writeProject(t, t.TempDir(), url, chain(3), "")
	cfg.TransactionPerMigration = true
	ctx, cancel := context.WithCancel(t.Context())
	env := open(t, cfg, retort.WithHooks(retort.Hooks{BeforeStep: func(ctx context.Context, s retort.StepInfo) error {
		if s.Step.Revision.ID == "r02" {
			cancel()
		}
		return nil
	}}))
	if err := env.Upgrade(ctx, "head"); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if got := heads(t, open(t, cfg)); !slices.Equal(got, []string{"r01"}) {
		t.Errorf("heads after a cancelled run = %v, want [r01]", got)
	}
}

// Offline SQL needs no database and shows the whole script.
func TestOfflineSQL(t *testing.T) {
	cfg := writeProject(t, t.TempDir(), "sqlite:///never-created.db", chain(2), "")
	env := open(t, cfg)
	var buf bytes.Buffer
	if _, err := env.SQL(t.Context(), &buf, retort.Request{Kind: retort.Upgrade, Target: "head"}, nil); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"BEGIN;", `CREATE TABLE IF NOT EXISTS "alembic_version"`, "-- Running upgrade  -> r01, step r01", "CREATE TABLE t01", `INSERT INTO "alembic_version" (version_num) VALUES ('r01');`, "COMMIT;"} {
		if !strings.Contains(out, want) {
			t.Errorf("offline script lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(cfg.Dir, "never-created.db")); err == nil {
		t.Error("offline mode created the database file")
	}
}

// A version table naming a revision the scripts lack is a clear error.
func TestDatabaseAhead(t *testing.T) {
	url := dbtest.SQLiteFile(t)
	dir := t.TempDir()
	cfg := writeProject(t, dir, url, chain(3), "")
	if err := open(t, cfg).Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "migrations", "versions", "002_r03.sql"))
	env := open(t, cfg)
	_, err := env.CurrentHeads(t.Context())
	var ahead *retort.DatabaseAheadError
	if !errors.As(err, &ahead) || !slices.Equal(ahead.Unknown, []string{"r03"}) || !slices.Equal(ahead.Heads, []string{"r02"}) {
		t.Fatalf("want DatabaseAheadError for r03, got %v", err)
	}
	if !errors.Is(err, retort.ErrDatabaseAhead) {
		t.Fatalf("%v does not match ErrDatabaseAhead", err)
	}
	if _, err := env.Run(t.Context(), retort.Request{Kind: retort.Upgrade, Target: "head"}); !errors.Is(err, retort.ErrDatabaseAhead) {
		t.Fatalf("upgrade on a database ahead: %v", err)
	}
}

// TestConcurrentUpgrade starts sixteen processes running "retort upgrade
// head" at once against one database: each exits cleanly, every migration runs
// exactly once, and the version table ends at the head.
func TestConcurrentUpgrade(t *testing.T) {
	if os.Getenv("RETORT_CHILD_CONFIG") != "" {
		t.Skip("child")
	}
	for _, b := range allBackends() {
		for _, perMigration := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/per_migration=%v", b.name, perMigration), func(t *testing.T) {
				// One revision outside a transaction, guarded by a lease
				// (on MySQL, where DDL is never transactional, the marker
				// changes nothing: the run's GET_LOCK guards every revision).
				index := "CREATE INDEX t04_note ON t04 (note);"
				switch b.name {
				case "postgres":
					index = "CREATE INDEX CONCURRENTLY t04_note ON t04 (note);"
				case "mysql":
					index = "CREATE INDEX t04_note ON t04 (note(10));"
				}
				upgradeAtOnce(t, b.url(t), index, perMigration)
			})
		}
	}
}

// upgradeAtOnce runs sixteen processes of "retort upgrade head" at once
// on url over eight revisions, the fifth (index) outside a transaction,
// and checks that each process exits cleanly, each revision ran exactly
// once and the version table ends at the head.
func upgradeAtOnce(t *testing.T, url, index string, perMigration bool) {
	t.Helper()
	revs := chain(8)
	for i := range revs {
		revs[i].up += fmt.Sprintf("\nINSERT INTO applied (rev) VALUES ('%s');", revs[i].id)
	}
	revs[0].up = "CREATE TABLE applied (rev VARCHAR(32));\n" + revs[0].up
	revs[4].up = index + "\nINSERT INTO applied (rev) VALUES ('r05');"
	revs[4].down = "DROP INDEX t04_note;"
	revs[4].noTx = true
	extra := ""
	if perMigration {
		extra = "transaction_per_migration = true\n"
	}
	cfg := writeProject(t, t.TempDir(), url, revs, extra)
	var wg sync.WaitGroup
	errs := make([]error, 16)
	outs := make([][]byte, 16)
	for i := range 16 {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^TestChildUpgrade$")
			cmd.Env = append(os.Environ(), "RETORT_CHILD_CONFIG="+cfg.File)
			outs[i], errs[i] = cmd.CombinedOutput()
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outs[i])
		}
	}
	db := dbtest.Open(t, url)
	rows, err := db.QueryContext(t.Context(), "SELECT rev, count(*) FROM applied GROUP BY rev ORDER BY rev")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var r string
		var c int
		if err := rows.Scan(&r, &c); err != nil {
			t.Fatal(err)
		}
		if c != 1 {
			t.Errorf("revision %s applied %d times", r, c)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 8 {
		t.Errorf("%d revisions applied, want 8", n)
	}
	if got := heads(t, open(t, cfg)); !slices.Equal(got, []string{"r08"}) {
		t.Errorf("heads = %v, want [r08]", got)
	}
}

// TestChildUpgrade is the body of TestConcurrentUpgrade's processes: the
// retort command's own entry point running "upgrade head".
func TestChildUpgrade(t *testing.T) {
	file := os.Getenv("RETORT_CHILD_CONFIG")
	if file == "" {
		t.Skip("run by TestConcurrentUpgrade")
	}
	var out bytes.Buffer
	if code := cli.Main(context.Background(), []string{"-c", file, "upgrade", "head"}, nil, &out, &out); code != 0 {
		t.Fatalf("retort upgrade head exited %d:\n%s", code, out.String())
	}
}
