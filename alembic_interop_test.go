package retort_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
)

const alembicEnvPy = `from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
`

func writeAlembic(t testing.TB, dir, url string, revs []rev) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "alembic", "versions"), 0o755); err != nil {
		t.Fatal(err)
	}
	ini := fmt.Sprintf("[alembic]\nscript_location = %s\nsqlalchemy.url = %s\n", filepath.Join(dir, "alembic"), strings.ReplaceAll(url, "%", "%%"))
	must(t, os.WriteFile(filepath.Join(dir, "alembic.ini"), []byte(ini), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "alembic", "env.py"), []byte(alembicEnvPy), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "alembic", "script.py.mako"), []byte("\n"), 0o644))
	for _, r := range revs {
		down := "None"
		if r.revises != "" {
			down = fmt.Sprintf("%q", r.revises)
		}
		src := fmt.Sprintf("\"\"\"step %s\n\"\"\"\nfrom alembic import op\n\nrevision = %q\ndown_revision = %s\nbranch_labels = None\ndepends_on = None\n\ndef upgrade():\n    op.execute(%q)\n\ndef downgrade():\n    op.execute(%q)\n",
			r.id, r.id, down, strings.TrimSuffix(r.up, ";"), strings.TrimSuffix(r.down, ";"))
		must(t, os.WriteFile(filepath.Join(dir, "alembic", "versions", r.id+".py"), []byte(src), 0o644))
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func alembic(t testing.TB, py, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(py, append([]string{"-m", "alembic", "-c", filepath.Join(dir, "alembic.ini")}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("alembic %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// sqlalchemyURL turns a test URL into the form SQLAlchemy accepts: on
// MySQL, through PyMySQL (Debian's python3-pymysql), which retort reads
// as plain mysql://.
func sqlalchemyURL(u string) string {
	if rest, ok := strings.CutPrefix(u, "postgres://"); ok {
		return "postgresql://" + rest
	}
	if rest, ok := strings.CutPrefix(u, "mysql://"); ok {
		return "mysql+pymysql://" + rest
	}
	return u
}

// TestAlembicAdoptAndHandBack proves the version table is Alembic's: a
// database Alembic migrated is upgraded further by retort, and Alembic
// then reads retort's rows and downgrades through them.
func TestAlembicAdoptAndHandBack(t *testing.T) {
	py := dbtest.Alembic(t)
	for _, b := range allBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			url := b.url(t)
			if b.name == "mysql" {
				if err := exec.Command(py, "-c", "import pymysql").Run(); err != nil {
					t.Skipf("%s cannot import pymysql (Debian: apt-get install python3-pymysql): %v", py, err)
				}
				// Both sides read the same URL: retort takes the
				// SQLAlchemy driver suffix.
				url = sqlalchemyURL(url)
			}
			revs := chain(3)
			dir := t.TempDir()
			writeAlembic(t, dir, sqlalchemyURL(url), revs[:2])
			alembic(t, py, dir, "upgrade", "head")

			cfg := writeProject(t, dir, url, revs, "")
			env := open(t, cfg)
			if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
				t.Fatalf("retort reads Alembic's table as %v, want [r02]", got)
			}
			if err := env.Upgrade(t.Context(), "head"); err != nil {
				t.Fatal(err)
			}
			env.Close()

			writeAlembic(t, dir, sqlalchemyURL(url), revs)
			if out := alembic(t, py, dir, "current"); !strings.Contains(out, "r03 (head)") {
				t.Fatalf("alembic current after retort's upgrade:\n%s", out)
			}
			alembic(t, py, dir, "downgrade", "r01")
			if got := heads(t, open(t, cfg)); !slices.Equal(got, []string{"r01"}) {
				t.Fatalf("after Alembic's downgrade retort reads %v, want [r01]", got)
			}
			db := dbtest.Open(t, url)
			if tableExists(t, db, b.name, "t03") || !tableExists(t, db, b.name, "t01") {
				t.Error("tables do not match revision r01")
			}
		})
	}
}

// TestAlembicReadsRetortTable: a version table retort created (on an
// empty database) is one Alembic reads and migrates on.
func TestAlembicReadsRetortTable(t *testing.T) {
	py := dbtest.Alembic(t)
	for _, b := range allBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			url := b.url(t)
			if b.name == "mysql" {
				if err := exec.Command(py, "-c", "import pymysql").Run(); err != nil {
					t.Skipf("%s cannot import pymysql: %v", py, err)
				}
			}
			revs := chain(3)
			dir := t.TempDir()
			cfg := writeProject(t, dir, url, revs[:2], "")
			env := open(t, cfg)
			if err := env.Upgrade(t.Context(), "head"); err != nil {
				t.Fatal(err)
			}
			env.Close()
			writeAlembic(t, dir, sqlalchemyURL(url), revs)
			alembic(t, py, dir, "upgrade", "head")
			if out := alembic(t, py, dir, "current"); !strings.Contains(out, "r03 (head)") {
				t.Fatalf("alembic current after its upgrade from retort's table:\n%s", out)
			}
		})
	}
}
