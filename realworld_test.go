package retort_test

import (
	"errors"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/dbtest"
)

// realWorld is one fixture of testdata/realworld: migrations modelled
// on what production projects do, and the three changes the test makes
// in the dumped schema.
type realWorld struct {
	name   string
	sqlite bool
	mysql  bool   // MariaDB/MySQL, dumped with mariadb-dump --no-data
	extra  string // more retort.toml lines
	// table (as the dump writes it) and column to drop, index to drop.
	table, column, index string
	want                 []string // the operations autogenerate must find
}

var realWorlds = []realWorld{
	{name: "auth", extra: "include_schemas = [\"auth\"]\n", table: "auth.users", column: "display_name", index: "sessions_live_idx",
		want: []string{"create table added_by_test", "drop column display_name from auth.users", "drop index sessions_live_idx on auth.sessions"}},
	{name: "jobqueue", table: "public.job_runs", column: "finished_at", index: "jobs_ready_idx",
		want: []string{"create table added_by_test", "drop column finished_at from job_runs", "drop index jobs_ready_idx on jobs"}},
	{name: "registry", table: "public.packages", column: "description", index: "downloads_day_idx",
		want: []string{"create table added_by_test", "drop column description from packages", "drop index downloads_day_idx on downloads"}},
	{name: "catalog", table: "public.orders", column: "note", index: "products_tags_idx",
		want: []string{"create table added_by_test", "drop column note from orders", "drop index products_tags_idx on products"}},
	{name: "notes", sqlite: true, table: "notes", column: "pinned", index: "notes_pinned_idx",
		// SQLite: both changes to notes are one batch (a table rebuild).
		want: []string{"batch alter table notes: drop index notes_pinned_idx on notes; drop column pinned from notes", "create table added_by_test"}},
	{name: "shop", mysql: true, table: "product", column: "description", index: "ix_orders_placed",
		want: []string{"create table added_by_test", "drop column description from product", "drop index ix_orders_placed on orders"}},
}

// TestRealWorldSchemas applies each fixture's migrations, dumps the
// database with the engine's own tool (pg_dump -s, sqlite3 .schema) at
// test time and uses the dump as target_schema: check finds nothing.
// Then a column, an index and a table are changed in the dump:
// autogenerate finds exactly those three, and the revision it writes
// upgrades and downgrades cleanly.
func TestRealWorldSchemas(t *testing.T) {
	for _, rw := range realWorlds {
		t.Run(rw.name, func(t *testing.T) {
			tool := "pg_dump"
			switch {
			case rw.sqlite:
				tool = "sqlite3"
			case rw.mysql:
				tool = "mariadb-dump"
			}
			if _, err := exec.LookPath(tool); err != nil {
				t.Skipf("%s is not installed", tool)
			}
			var url string
			switch {
			case rw.sqlite:
				url = dbtest.SQLiteFile(t)
			case rw.mysql:
				url = dbtest.MySQL(t)
			default:
				url = dbtest.Postgres(t)
			}
			dir := t.TempDir()
			cfg := realWorldProject(t, dir, url, rw)
			env := open(t, cfg)
			if err := env.Upgrade(t.Context(), "head"); err != nil {
				t.Fatal(err)
			}
			dump := dumpSchema(t, cfg, url, rw)
			target := filepath.Join(dir, "schema.sql")
			writeFile(t, target, dump)
			if left := autogenerate(t, env); len(left) > 0 {
				t.Fatalf("the dump of the database, as target, differs from it: %q", describeOps(left))
			}

			writeFile(t, target, mutateDump(t, dump, rw))
			env = open(t, cfg)
			d, err := env.Autogenerate(t.Context(), "")
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Sorted(slices.Values(describeOps(d.Upgrade))); !slices.Equal(got, rw.want) {
				t.Fatalf("found %q, want %q", got, rw.want)
			}
			if _, err := env.WriteRevision(t.Context(), retort.NewRevision{Message: "changes in the dump", Autogenerate: true}); err != nil {
				t.Fatal(err)
			}
			env = open(t, cfg)
			if err := env.Upgrade(t.Context(), "head"); err != nil {
				t.Fatalf("upgrade to the generated revision: %v", err)
			}
			if left := autogenerate(t, env); len(left) > 0 {
				t.Errorf("after the generated revision: %q", describeOps(left))
			}
			if err := env.Downgrade(t.Context(), "-1"); err != nil {
				t.Fatalf("downgrade of the generated revision: %v", err)
			}
			if err := env.Upgrade(t.Context(), "head"); err != nil {
				t.Fatalf("upgrade after the downgrade: %v", err)
			}
			if left := autogenerate(t, env); len(left) > 0 {
				t.Errorf("after downgrade and upgrade: %q", describeOps(left))
			}
		})
	}
}

func realWorldProject(t *testing.T, dir, url string, rw realWorld) *config.Config {
	t.Helper()
	cfg := writeProject(t, dir, url, nil, rw.extra)
	src := filepath.Join("testdata", "realworld", rw.name, "versions")
	files, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(src, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "migrations", "versions", f.Name()), string(data))
	}
	return cfg
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// dumpSchema dumps the database's schema with pg_dump -s, sqlite3
// .schema or mariadb-dump --no-data.
func dumpSchema(t *testing.T, cfg *config.Config, rawURL string, rw realWorld) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "pg_dump", "-s", cfg.URL.DSN)
	switch {
	case rw.sqlite:
		cmd = exec.CommandContext(t.Context(), "sqlite3", cfg.URL.Path, ".schema")
	case rw.mysql:
		u, err := neturl.Parse(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		pw, _ := u.User.Password()
		cmd = exec.CommandContext(t.Context(), "mariadb-dump", "--protocol=TCP", "-h", u.Hostname(), "-P", u.Port(), "-u", u.User.Username(), "--no-data", strings.TrimPrefix(u.Path, "/"))
		cmd.Env = append(os.Environ(), "MYSQL_PWD="+pw)
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", cmd.Args[0], err)
	}
	return string(out)
}

// mutateDump drops rw's column and index from the dump and adds a
// table.
func mutateDump(t *testing.T, dump string, rw realWorld) string {
	t.Helper()
	if rw.mysql {
		return mutateMySQLDump(t, dump, rw)
	}
	lines := strings.Split(dump, "\n")
	in, droppedCol, droppedIx := false, false, false
	var out []string
	for _, l := range lines {
		trim := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(trim, "CREATE TABLE "+rw.table+" ("):
			in = true
		case in && strings.HasPrefix(trim, ")"):
			in = false
		case in && strings.HasPrefix(trim, rw.column+" ") && strings.HasSuffix(trim, ","):
			droppedCol = true
			continue
		case strings.Contains(trim, "INDEX "+rw.index+" ON"):
			droppedIx = true
			continue
		}
		out = append(out, l)
	}
	if !droppedCol || !droppedIx {
		t.Fatalf("dump has no column %s in %s (%v) or no index %s (%v):\n%s", rw.column, rw.table, droppedCol, rw.index, droppedIx, dump)
	}
	add := "CREATE TABLE public.added_by_test (id bigint PRIMARY KEY, note text);\n"
	if rw.sqlite {
		add = "CREATE TABLE added_by_test (id INTEGER PRIMARY KEY, note TEXT);\n"
	}
	return strings.Join(out, "\n") + "\n" + add
}

// mutateMySQLDump drops rw's column and index from a mariadb-dump file
// (the index is a KEY line inside its CREATE TABLE) and adds a table.
func mutateMySQLDump(t *testing.T, dump string, rw realWorld) string {
	t.Helper()
	lines := strings.Split(dump, "\n")
	droppedCol, droppedIx := false, false
	var out []string
	for _, l := range lines {
		trim := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(trim, "`"+rw.column+"` ") && strings.HasSuffix(trim, ",") && !droppedCol:
			droppedCol = true
			continue
		case strings.HasPrefix(trim, "KEY `"+rw.index+"` "):
			droppedIx = true
			if !strings.HasSuffix(trim, ",") && len(out) > 0 { // the last line of the table: the one before loses its comma
				out[len(out)-1] = strings.TrimSuffix(out[len(out)-1], ",")
			}
			continue
		}
		out = append(out, l)
	}
	if !droppedCol || !droppedIx {
		t.Fatalf("dump has no column %s (%v) or no index %s (%v):\n%s", rw.column, droppedCol, rw.index, droppedIx, dump)
	}
	return strings.Join(out, "\n") + "\nCREATE TABLE `added_by_test` (`id` bigint NOT NULL, `note` text, PRIMARY KEY (`id`)) ENGINE=InnoDB;\n"
}

// TestTargetOutsideSchemas: a target whose objects lie in a schema that
// include_schemas leaves out is an error naming them, never ignored; the
// scratch database is dropped either way.
func TestTargetOutsideSchemas(t *testing.T) {
	url := dbtest.Postgres(t)
	dir := t.TempDir()
	cfg := writeProject(t, dir, url, nil, "")
	db := dbtest.Open(t, url)
	before := scratchNames(t, db, pgScratchQuery)
	writeFile(t, filepath.Join(dir, "schema.sql"), "CREATE SCHEMA billing;\nCREATE TABLE billing.invoice (id int PRIMARY KEY);\nCREATE TABLE public.customer (id int PRIMARY KEY);\n")
	env := open(t, cfg)
	_, err := env.Autogenerate(t.Context(), "")
	if !errors.Is(err, retort.ErrBadInput) || !strings.Contains(err.Error(), "table billing.invoice") || !strings.Contains(err.Error(), "include_schemas") {
		t.Fatalf("err = %v", err)
	}
	writeFile(t, filepath.Join(dir, "retort.toml"), "[retort]\nscript_location = \"migrations\"\nurl = \""+url+"\"\ninclude_schemas = [\"*\"]\n")
	cfg, err = config.Load(filepath.Join(dir, "retort.toml"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := open(t, cfg).Autogenerate(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(slices.Values(describeOps(d.Upgrade))); !slices.Equal(got, []string{"create schema billing", "create table billing.invoice", "create table customer"}) {
		t.Errorf("include_schemas = [\"*\"]: %q", got)
	}
	scratchGone(t, db, pgScratchQuery, before, "")
}
