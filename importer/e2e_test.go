package importer_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/importer"
	"github.com/retortdb/retort/internal/cli"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/schema"
)

// toolCases are the tools of the end-to-end tests: the real ones are
// built from the Go module proxy (tools/), the others simulated with
// their version tables' own SQL.
var toolCases = []struct {
	format  importer.Format
	real    bool
	engines []string
}{
	{importer.Goose, true, []string{"postgres", "sqlite", "mysql"}},
	{importer.GolangMigrate, true, []string{"postgres", "sqlite", "mysql"}},
	{importer.SQLMigrate, true, []string{"postgres", "sqlite", "mysql"}},
	{importer.Tern, true, []string{"postgres"}}, // tern runs on PostgreSQL only
	{importer.Dbmate, false, []string{"postgres", "sqlite", "mysql"}},
	{importer.Flyway, false, []string{"postgres", "sqlite", "mysql"}},
	{importer.Atlas, false, []string{"postgres", "sqlite", "mysql"}},
}

// TestTakeOver is the story on each engine with each tool: the
// tool applies its folder, 'retort import' and 'retort adopt' take over,
// 'retort current' shows the head, 'upgrade head' does nothing and a new
// revision applies; and from a database the tool left at its second
// version, retort applies exactly the rest and the schema equals what
// the tool produced (compared with retort's inspector).
func TestTakeOver(t *testing.T) {
	for _, tc := range toolCases {
		for _, e := range engines {
			if !slices.Contains(tc.engines, e.name) {
				continue
			}
			t.Run(string(tc.format)+"/"+e.name, func(t *testing.T) {
				t.Parallel()
				all := steps(e.name, tc.format)
				src := t.TempDir()
				writeFolder(t, src, tc.format, all)
				apply := func(u string, n int) {
					if tc.real {
						realApply(t, tc.format, e, u, src, n)
					} else {
						simulatedApply(t, tc.format, e, u, all, n)
					}
				}
				var ids []string
				for i, s := range all {
					ids = append(ids, importer.ID(importer.ParseVersion(tc.format, fileVersion(tc.format, i+1, s))))
				}
				head := ids[len(ids)-1]

				full := e.url(t)
				apply(full, 0)
				want := inspect(t, project(t, full))
				if e.name == "mysql" {
					// retort's MySQL inspector reads no triggers: compare
					// them from information_schema.
					want.Triggers = mysqlTriggers(t, full)
				}
				if len(want.Tables) != 2 || len(want.Functions)+len(want.Triggers) == 0 {
					t.Fatalf("the inspector read %d tables, %d functions, %d triggers after %s; want users, orders and the body", len(want.Tables), len(want.Functions), len(want.Triggers), tc.format)
				}
				p := project(t, full)
				runCLI(t, p, 0, "import", string(tc.format), src)
				if out := runCLI(t, p, 0, "adopt", string(tc.format)); !strings.Contains(out, "Stamped the version table at "+head) {
					t.Errorf("adopt said:\n%s", out)
				}
				if out := runCLI(t, p, 0, "current"); !strings.Contains(out, head+" (head)") {
					t.Errorf("current said %q, want %s (head)", out, head)
				}
				if res := upgrade(t, p); len(res.Steps) != 0 {
					t.Errorf("upgrade head after adopt ran %v", res.Steps)
				}
				if out := runCLI(t, p, 0, "adopt", string(tc.format)); !strings.Contains(out, "already at "+head) {
					t.Errorf("second adopt said:\n%s", out)
				}
				newRevision(t, p, head)
				if res := upgrade(t, p); len(res.Steps) != 1 || res.Steps[0].Revision.ID != "retort0001" {
					t.Errorf("upgrade head with a new revision ran %v", res.Steps)
				}

				half := e.url(t)
				apply(half, 2)
				p2 := project(t, half)
				runCLI(t, p2, 0, "import", string(tc.format), src)
				if out := runCLI(t, p2, 0, "adopt", string(tc.format), "--drop-old-table"); !strings.Contains(out, "Stamped the version table at "+ids[1]) || !strings.Contains(out, "Dropped") {
					t.Errorf("adopt of the half-applied database said:\n%s", out)
				}
				res := upgrade(t, p2)
				var ran []string
				for _, s := range res.Steps {
					ran = append(ran, s.Revision.ID)
				}
				if !slices.Equal(ran, ids[2:]) {
					t.Errorf("upgrade head ran %v, want exactly %v", ran, ids[2:])
				}
				got := inspect(t, p2)
				if e.name == "mysql" {
					got.Triggers = mysqlTriggers(t, half)
				}
				if !reflect.DeepEqual(got, want) {
					a, _ := json.MarshalIndent(got, "", " ")
					b, _ := json.MarshalIndent(want, "", " ")
					t.Errorf("schema after retort finished:\n%s\nwant, as %s left it:\n%s", a, tc.format, b)
				}
			})
		}
	}
}

// project writes a retort project on url and returns its config file.
func project(t *testing.T, url string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "migrations", "versions"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "retort.toml")
	body := "[retort]\nscript_location = \"migrations\"\nurl = '" + url + "'\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// runCLI runs retort with the project's config and returns stdout.
func runCLI(t *testing.T, cfg string, exit int, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(t.Context(), append([]string{"-c", cfg}, args...), strings.NewReader(""), &stdout, &stderr)
	if code != exit {
		t.Fatalf("retort %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, exit, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func open(t *testing.T, cfgFile string) *retort.Env {
	t.Helper()
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	env, err := retort.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	return env
}

func upgrade(t *testing.T, cfg string) *retort.Result {
	t.Helper()
	res, err := open(t, cfg).Run(t.Context(), retort.Request{Kind: retort.Upgrade, Target: "head"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// newRevision adds a plain retort revision on head.
func newRevision(t *testing.T, cfg, head string) {
	t.Helper()
	src := "-- after the take-over\n--\n-- Revision ID: retort0001\n-- Revises: " + head +
		"\n\n-- +retort upgrade\nCREATE TABLE after_takeover (id INTEGER PRIMARY KEY);\n\n-- +retort downgrade\nDROP TABLE after_takeover;\n"
	file := filepath.Join(filepath.Dir(cfg), "migrations", "versions", "retort0001_after.sql")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// inspect reads the schema without the old tools' and retort's tables.
func inspect(t *testing.T, cfg string) *schema.Database {
	t.Helper()
	db, err := open(t, cfg).Inspect(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	db.Schemas = slices.DeleteFunc(db.Schemas, isOldTable)
	db.Tables = slices.DeleteFunc(db.Tables, func(tb schema.Table) bool { return isOldTable(tb.Name) })
	db.Sequences = slices.DeleteFunc(db.Sequences, func(s schema.Sequence) bool { return isOldTable(s.Name) })
	return db
}

// mysqlTriggers reads the current database's triggers on MySQL/MariaDB.
func mysqlTriggers(t *testing.T, url string) []schema.Trigger {
	t.Helper()
	rows, err := dbtest.Open(t, url).QueryContext(t.Context(),
		"SELECT trigger_name, event_object_table, action_statement FROM information_schema.triggers WHERE trigger_schema = DATABASE() ORDER BY trigger_name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []schema.Trigger
	for rows.Next() {
		var tr schema.Trigger
		if err := rows.Scan(&tr.Name, &tr.Table, &tr.Definition); err != nil {
			t.Fatal(err)
		}
		out = append(out, tr)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAdoptRefuses checks, on SQLite files and on PostgreSQL, that adopt
// refuses each state the issue names, saying what to fix, and stamps
// nothing.
func TestAdoptRefuses(t *testing.T) {
	goose := "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY, version_id BIGINT NOT NULL, is_applied BOOLEAN NOT NULL)"
	tests := []struct {
		name   string
		format importer.Format
		setup  []string
		args   []string
		want   string
	}{
		{"golang-migrate dirty", importer.GolangMigrate, []string{
			"CREATE TABLE schema_migrations (version BIGINT NOT NULL PRIMARY KEY, dirty BOOLEAN NOT NULL)",
			"INSERT INTO schema_migrations VALUES (2, TRUE)"}, nil,
			"golang-migrate marked the database dirty at version 2 (table schema_migrations): that migration failed part-way. Repair the database by hand, run 'migrate force 2'"},
		{"flyway failed row", importer.Flyway, []string{
			"CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY, version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL, execution_time INT NOT NULL, success BOOLEAN NOT NULL)",
			"INSERT INTO flyway_schema_history VALUES (1, '1', 'create users', 'SQL', 'V1__create_users.sql', 0, 'me', 1, TRUE)",
			"INSERT INTO flyway_schema_history VALUES (2, '2', 'users email index', 'SQL', 'V2__users_email_index.sql', 0, 'me', 1, FALSE)"}, nil,
			"the Flyway table flyway_schema_history records a failed migration (installed_rank 2, version 2, type SQL): repair the database by hand, run 'flyway repair'"},
		{"atlas part-way", importer.Atlas, []string{
			"CREATE TABLE atlas_schema_revisions (version VARCHAR(255) NOT NULL PRIMARY KEY, description VARCHAR(255) NOT NULL, type BIGINT NOT NULL, applied BIGINT NOT NULL, total BIGINT NOT NULL, error TEXT)",
			"INSERT INTO atlas_schema_revisions VALUES ('20240101000001', 'create_users', 2, 0, 1, 'relation exists')"}, nil,
			"the Atlas table atlas_schema_revisions records revision 20240101000001 as applied part-way (0 of 1 statements): relation exists"},
		{"unknown version", importer.Goose, []string{goose,
			"INSERT INTO goose_db_version VALUES (1, 0, TRUE)", "INSERT INTO goose_db_version VALUES (2, 1, TRUE)",
			"INSERT INTO goose_db_version VALUES (3, 9, TRUE)"}, nil,
			"goose's table goose_db_version records version(s) 9, which the imported revisions do not have: import the goose folder"},
		{"out of order", importer.Goose, []string{goose,
			"INSERT INTO goose_db_version VALUES (1, 1, TRUE)", "INSERT INTO goose_db_version VALUES (2, 3, TRUE)"}, nil,
			"goose's table goose_db_version records version 00003 as applied but not version 00002 (00002_users_email_index.sql), which comes before it: stamping would skip it"},
		{"down again", importer.Goose, []string{goose,
			"INSERT INTO goose_db_version VALUES (1, 1, TRUE)", "INSERT INTO goose_db_version VALUES (2, 2, TRUE)",
			"INSERT INTO goose_db_version VALUES (3, 3, TRUE)", "INSERT INTO goose_db_version VALUES (4, 2, FALSE)"}, nil,
			"records version 00003 as applied but not version 00002"},
		{"no table", importer.Dbmate, nil, nil,
			"no dbmate table schema_migrations here; check url (is this the database dbmate managed?), or name the table with --table"},
		{"already stamped elsewhere", importer.Goose, []string{goose, "INSERT INTO goose_db_version VALUES (1, 1, TRUE)",
			"CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)", "INSERT INTO alembic_version VALUES ('00003')"}, nil,
			"version table alembic_version already records [00003], not 00001"},
		{"unknown format", "liquibase", nil, nil, `unknown format "liquibase"; use one of goose, golang-migrate`},
	}
	for _, e := range engines[:2] {
		for _, tt := range tests {
			t.Run(e.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				f := tt.format
				if f == "liquibase" {
					f = importer.Goose
				}
				src := t.TempDir()
				writeFolder(t, src, f, steps(e.name, f))
				u := e.url(t)
				db := dbtest.Open(t, u)
				for _, s := range tt.setup {
					if _, err := db.ExecContext(t.Context(), s); err != nil {
						t.Fatalf("%s: %v", s, err)
					}
				}
				p := project(t, u)
				runCLI(t, p, 0, "import", string(f), src)
				var stdout, stderr bytes.Buffer
				code := cli.Main(t.Context(), append([]string{"-c", p, "adopt", string(tt.format)}, tt.args...), strings.NewReader(""), &stdout, &stderr)
				if code != 2 || !strings.Contains(stderr.String(), tt.want) {
					t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and\n%s", code, stderr.String(), tt.want)
				}
				var n int
				if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM alembic_version").Scan(&n); err == nil && n != 0 && tt.name != "already stamped elsewhere" {
					t.Errorf("alembic_version has %d rows after a refused adopt", n)
				}
			})
		}
	}
}

// TestAdoptNothingApplied: a tool that applied nothing leaves nothing to
// stamp; --drop-old-table still drops its table, and upgrade head then
// runs every imported revision.
func TestAdoptNothingApplied(t *testing.T) {
	u := dbtest.SQLiteFile(t)
	src := t.TempDir()
	all := steps("sqlite", importer.Dbmate)
	writeFolder(t, src, importer.Dbmate, all)
	simulatedApply(t, importer.Dbmate, engines[1], u, all[:0], 0)
	p := project(t, u)
	runCLI(t, p, 0, "import", "dbmate", src)
	if out := runCLI(t, p, 0, "adopt", "dbmate", "--drop-old-table"); !strings.Contains(out, "Nothing applied") || !strings.Contains(out, "Dropped schema_migrations") {
		t.Errorf("adopt said:\n%s", out)
	}
	if res := upgrade(t, p); len(res.Steps) != len(all) {
		t.Errorf("upgrade head ran %d steps, want %d", len(res.Steps), len(all))
	}
}
