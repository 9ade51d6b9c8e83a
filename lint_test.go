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
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// lintRevs: a table, a dropped column, and a dropped table silenced
// with a lint-ignore comment.
var lintRevs = []rev{
	{id: "r1", up: "CREATE TABLE big (id INTEGER PRIMARY KEY, a INTEGER);", down: "DROP TABLE big;"},
	{id: "r2", revises: "r1", up: "ALTER TABLE big DROP COLUMN a;", down: "ALTER TABLE big ADD COLUMN a INTEGER;"},
	{id: "r3", revises: "r2", up: "-- retort:lint-ignore drop-table nothing reads it since v2\nDROP TABLE big;", down: "CREATE TABLE big (id INTEGER PRIMARY KEY);"},
}

func lintOf(t *testing.T, env *retort.Env, req retort.LintRequest) *retort.LintResult {
	t.Helper()
	res, err := env.Lint(t.Context(), req)
	if err != nil {
		t.Fatalf("Lint(%+v): %v", req, err)
	}
	return res
}

// findings lists "revision rule" per finding, "(ignored)" when silenced.
func findings(res *retort.LintResult) string {
	var out []string
	for _, f := range res.Findings {
		s := f.Revision + " " + f.Rule
		if f.Ignored {
			s += " (ignored: " + f.Reason + ")"
		}
		if f.Level != lint.Error {
			s += " " + f.Level.String()
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// TestLintRange: by default lint reads the revisions the database has
// not applied (every revision before the first upgrade), a range or a
// target picks others, and All every revision.
func TestLintRange(t *testing.T) {
	for _, b := range allBackends() {
		t.Run(b.name, func(t *testing.T) {
			cfg := writeProject(t, t.TempDir(), b.url(t), lintRevs, "")
			env := open(t, cfg)
			res := lintOf(t, env, retort.LintRequest{})
			// SQLite without its file: not read, so any revision may be the
			// first one a database lacks and big may hold data. The
			// servers' empty databases: big is made by the run itself.
			want, failed := "r2 drop-column, r3 drop-table (ignored: nothing reads it since v2)", true
			if b.name != "sqlite" {
				want, failed = "", false
			}
			if got := findings(res); got != want || !slices.Equal(res.Revisions, []string{"r1", "r2", "r3"}) || res.Failed() != failed {
				t.Errorf("fresh: %v %s (failed %v), want r1 r2 r3: %s", res.Revisions, got, res.Failed(), want)
			}
			if b.name == "sqlite" && (res.Database || !strings.Contains(res.Unreachable, "does not exist")) {
				t.Errorf("sqlite without its file: database %v, unreachable %q", res.Database, res.Unreachable)
			}
			if b.name != "sqlite" && !res.Database {
				t.Errorf("server: not read: %s", res.Unreachable)
			}
			if err := env.Upgrade(t.Context(), "r2"); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				req    retort.LintRequest
				revs   string
				failed bool
			}{
				{retort.LintRequest{}, "r3", false},
				{retort.LintRequest{Range: "r1:r2"}, "r2", true},
				{retort.LintRequest{Range: "base:r1"}, "r1", false},
				{retort.LintRequest{Range: ":"}, "r1 r2 r3", false}, // from base: big is made by the run
				{retort.LintRequest{Range: "head"}, "r3", false},
				{retort.LintRequest{Range: "r2"}, "", false},
				{retort.LintRequest{All: true}, "r1 r2 r3", true},
			} {
				res := lintOf(t, env, c.req)
				if got := strings.Join(res.Revisions, " "); got != c.revs || res.Failed() != c.failed || !res.Database {
					t.Errorf("%+v: revisions %q failed %v (read %v), want %q %v", c.req, got, res.Failed(), res.Database, c.revs, c.failed)
				}
			}
			_, err := env.Lint(t.Context(), retort.LintRequest{Range: "nosuch:head"})
			if !errors.Is(err, retort.ErrBadInput) || !strings.Contains(err.Error(), "nosuch") {
				t.Errorf("unknown start: %v, want bad input naming it", err)
			}
		})
	}
}

// TestLintLevels: the config's lint table makes a rule a warning (no
// failure) or turns it off.
func TestLintLevels(t *testing.T) {
	for _, c := range []struct {
		name, extra, want string
		failed            bool
	}{
		{"default", "", "r2 drop-column, r3 drop-table (ignored: nothing reads it since v2)", true},
		{"warning", "[retort.lint]\ndrop-column = \"warning\"\n", "r2 drop-column warning, r3 drop-table (ignored: nothing reads it since v2)", false},
		{"off", "lint = { drop-column = \"off\", drop-table = \"off\" }\n", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := writeProject(t, t.TempDir(), "sqlite:///app.db", lintRevs, c.extra)
			res := lintOf(t, open(t, cfg), retort.LintRequest{})
			if got := findings(res); got != c.want || res.Failed() != c.failed {
				t.Errorf("findings %q failed %v, want %q %v", got, res.Failed(), c.want, c.failed)
			}
		})
	}
}

// TestLintTableSize: against PostgreSQL (in a search_path schema) and
// MariaDB, a size-aware rule reports a table above
// lint_large_table_rows with its row estimate, and nothing below it; on
// MariaDB a MODIFY that keeps the column's type (read from the server)
// is not a table copy.
func TestLintTableSize(t *testing.T) {
	for _, c := range []struct {
		name, risky, analyze, extra string
		url                         func(testing.TB) string
		setup                       []string
		rule                        string
	}{
		{"postgres", "CREATE INDEX big_a ON big (a);", "ANALYZE app.big", "search_path = \"app\"\n", dbtest.Postgres,
			[]string{"CREATE SCHEMA app"}, lint.IndexBlocking},
		{"mysql", "ALTER TABLE big MODIFY a BIGINT;\nALTER TABLE big MODIFY a INT DEFAULT 3;", "ANALYZE TABLE big", "", dbtest.MySQL, nil, lint.TableCopy},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := c.url(t)
			db := dbtest.Open(t, url)
			for _, s := range c.setup {
				if _, err := db.ExecContext(t.Context(), s); err != nil {
					t.Fatal(err)
				}
			}
			revs := []rev{
				{id: "r1", up: "CREATE TABLE big (id INTEGER PRIMARY KEY, a INTEGER);", down: "DROP TABLE big;"},
				{id: "r2", revises: "r1", up: c.risky, down: "SELECT 1;"},
			}
			for _, rows := range []struct {
				threshold int
				want      bool
			}{{50, true}, {1000, false}} {
				dir := t.TempDir()
				cfg := writeProject(t, dir, url, revs, c.extra+fmt.Sprintf("lint_large_table_rows = %d\n", rows.threshold))
				env := open(t, cfg)
				if rows.threshold == 50 {
					if err := env.Upgrade(t.Context(), "r1"); err != nil {
						t.Fatal(err)
					}
					insertRows(t, env, 200, c.analyze)
				}
				res := lintOf(t, env, retort.LintRequest{})
				got := len(res.Findings) == 1 && res.Findings[0].Rule == c.rule && strings.Contains(res.Findings[0].Risk, "about 200 rows")
				if got != rows.want || (!rows.want && len(res.Findings) != 0) {
					t.Errorf("threshold %d: %v, want a %s finding with the row count: %v", rows.threshold, res.Findings, c.rule, rows.want)
				}
			}
		})
	}
}

// insertRows fills big with n rows in the environment's search_path,
// then refreshes the statistics.
func insertRows(t *testing.T, env *retort.Env, n int, analyze string) {
	t.Helper()
	err := env.InTx(t.Context(), retort.TxOptions{Write: true}, func(tx *sql.Tx) error {
		for i := range n {
			if _, err := tx.ExecContext(t.Context(), fmt.Sprintf("INSERT INTO big (id, a) VALUES (%d, %d)", i+1, i)); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(t.Context(), analyze)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// lintRegistry: Go revisions whose operations render risky SQL, one
// silenced with LintIgnore, one that queries the database after a
// first statement.
func lintRegistry(ignore map[string]string) *retort.Registry {
	reg := &retort.Registry{}
	reg.Add(retort.Migration{Revision: "g1", Upgrade: func(_ context.Context, op *retort.Op) error {
		return op.CreateTable("users", schema.Column("id", schema.BigInt), schema.Column("email", schema.Text))
	}})
	reg.Add(retort.Migration{Revision: "g2", Revises: []string{"g1"}, Upgrade: func(_ context.Context, op *retort.Op) error {
		return op.DropColumn("users", "email")
	}})
	reg.Add(retort.Migration{Revision: "g3", Revises: []string{"g2"}, LintIgnore: ignore, Upgrade: func(_ context.Context, op *retort.Op) error {
		return op.AddColumn("users", schema.Column("age", schema.Integer, schema.NotNull()))
	}})
	reg.Add(retort.Migration{Revision: "g4", Revises: []string{"g3"}, Upgrade: func(_ context.Context, op *retort.Op) error {
		if err := op.RenameTable("users", "people"); err != nil {
			return err
		}
		q, err := op.Querier()
		if err != nil {
			return err
		}
		_, err = q.ExecContext(context.Background(), "UPDATE people SET age = 1")
		return err
	}})
	return reg
}

// TestLintGo: Go revisions are linted through the SQL their operations
// render for the engine; LintIgnore silences a rule; a revision that
// queries the database is linted up to that point and reported partial.
func TestLintGo(t *testing.T) {
	env := open(t, nil, retort.WithDialect("postgres"), retort.WithRegistry(lintRegistry(map[string]string{lint.AddNotNull: "users is empty"})))
	res := lintOf(t, env, retort.LintRequest{})
	want := "g2 drop-column, g3 add-not-null-column (ignored: users is empty), g4 rename"
	if got := findings(res); got != want {
		t.Errorf("findings %q, want %q", got, want)
	}
	if res.Database || res.Unreachable == "" {
		t.Errorf("no url: database %v, unreachable %q", res.Database, res.Unreachable)
	}
	f := res.Findings[0]
	if filepath.Base(f.File) != "lint_test.go" || f.Line == 0 || !strings.Contains(f.Statement, "DROP COLUMN") {
		t.Errorf("finding placed at %s:%d, statement %q", f.File, f.Line, f.Statement)
	}
	if len(res.Partial) != 1 || res.Partial[0].Revision != "g4" || res.Partial[0].Statements != 1 || !strings.Contains(res.Partial[0].Reason, "op.Querier") {
		t.Errorf("partial %+v, want g4 after 1 statement", res.Partial)
	}
	env = open(t, nil, retort.WithDialect("postgres"), retort.WithRegistry(lintRegistry(map[string]string{"no-such-rule": "x"})))
	if _, err := env.Lint(t.Context(), retort.LintRequest{}); !errors.Is(err, retort.ErrBadInput) || !strings.Contains(err.Error(), "g3") {
		t.Errorf("unknown rule in LintIgnore: %v, want bad input naming g3", err)
	}
}

// TestLintGraphIndex: with the graph index warm (the revision headers
// read from the user cache, their SQL only when asked for), lint still
// reads every revision's SQL.
func TestLintGraphIndex(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("RETORT_CACHE", "")
	dir := t.TempDir()
	cfg := writeProject(t, dir, "sqlite:///app.db", lintRevs, "")
	old := time.Now().Add(-time.Hour)
	files, _ := filepath.Glob(filepath.Join(dir, "migrations", "versions", "*.sql"))
	for _, f := range append(files, filepath.Join(dir, "migrations", "versions")) {
		if err := os.Chtimes(f, old, old); err != nil {
			t.Fatal(err)
		}
	}
	want := "r2 drop-column, r3 drop-table (ignored: nothing reads it since v2)"
	for run := range 3 {
		if got := findings(lintOf(t, open(t, cfg), retort.LintRequest{})); got != want {
			t.Errorf("run %d: findings %q, want %q", run, got, want)
		}
	}
}

// TestLintBatch: SQLite's batch mode rebuilds a table (dropped, made
// anew, its rows copied back): lint reports no dropped table for it.
func TestLintBatch(t *testing.T) {
	reg := &retort.Registry{}
	reg.Add(retort.Migration{Revision: "b1", Upgrade: func(_ context.Context, op *retort.Op) error {
		return op.CreateTable("users", schema.Column("id", schema.BigInt), schema.Column("email", schema.Text))
	}})
	reg.Add(retort.Migration{Revision: "b2", Revises: []string{"b1"}, Upgrade: func(_ context.Context, op *retort.Op) error {
		return op.BatchAlterTable("users", func(b *retort.Batch) error {
			users := schema.NewTable("users", schema.Column("id", schema.BigInt), schema.Column("email", schema.Text))
			b.CopyFrom(&users)
			notNull := false
			b.AlterColumn("email", ops.AlterColumn{Nullable: &notNull})
			return nil
		})
	}})
	res := lintOf(t, open(t, nil, retort.WithDialect("sqlite"), retort.WithRegistry(reg)), retort.LintRequest{Range: "b1:head"})
	if len(res.Findings) != 0 || len(res.Partial) != 0 || !slices.Equal(res.Revisions, []string{"b2"}) {
		t.Errorf("batch rebuild: %+v, partial %+v, revisions %v; want b2 without findings", res.Findings, res.Partial, res.Revisions)
	}
}
