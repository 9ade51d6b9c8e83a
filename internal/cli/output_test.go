package cli

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/spf13/cobra"
)

// jsonCase is one command line of TestJSONEnvelope.
type jsonCase struct {
	name    string
	args    []string
	command string // the envelope's "command"
	exit    int
	kind    string // the error's kind when exit != 0
}

const jsonProjectConfig = `[retort]
script_location = "migrations"
url = "sqlite:///app.db"
target_schema = "schema.sql"
`

const jsonRevA = `-- create customer
--
-- Revision ID: aaaa1111
-- Revises:
-- Branch Labels: app
-- Depends On:
-- Create Date: 2026-11-21 10:00:00.000000+00:00

-- +retort upgrade
CREATE TABLE customer (id INTEGER PRIMARY KEY);

-- +retort downgrade
DROP TABLE customer;
`

const jsonRevB = `-- add email
--
-- Revision ID: bbbb2222
-- Revises: aaaa1111
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-11-21 10:01:00.000000+00:00

-- +retort upgrade
ALTER TABLE customer ADD COLUMN email TEXT;

-- +retort downgrade
ALTER TABLE customer DROP COLUMN email;
`

const jsonSchemaSQL = "CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT);\n"

// jsonCases run in order on one project: each leaves the database where
// the next expects it.
var jsonCases = []jsonCase{
	{"list-templates", []string{"list-templates"}, "list-templates", 0, ""},
	{"list-templates extra", []string{"list-templates", "x"}, "list-templates", 2, "usage"},
	{"init", []string{"-c", "other/retort.toml", "init", "other/migrations"}, "init", 0, ""},
	{"init not empty", []string{"init", "migrations"}, "init", 2, "bad_input"},
	{"heads", []string{"heads"}, "heads", 0, ""},
	{"heads extra", []string{"heads", "x"}, "heads", 2, "usage"},
	{"history", []string{"history", "-r", "base:head"}, "history", 0, ""},
	{"history bad range", []string{"history", "-r", "nosuch"}, "history", 2, "bad_input"},
	{"branches", []string{"branches"}, "branches", 0, ""},
	{"branches bad flag", []string{"branches", "--nosuch"}, "branches", 2, "usage"},
	{"show", []string{"show", "head"}, "show", 0, ""},
	{"show unknown", []string{"show", "nosuch"}, "show", 2, "bad_input"},
	{"current no database", []string{"current"}, "current", 2, "bad_input"},
	{"upgrade unknown", []string{"upgrade", "nosuch"}, "upgrade", 2, "bad_input"},
	{"upgrade", []string{"upgrade", "aaaa1111"}, "upgrade", 0, ""},
	{"upgrade sql", []string{"upgrade", "aaaa1111:head", "--sql"}, "upgrade", 0, ""},
	{"current", []string{"current"}, "current", 0, ""},
	{"check behind", []string{"check"}, "check", 1, "not_up_to_date"},
	{"downgrade", []string{"downgrade", "base"}, "downgrade", 0, ""},
	{"downgrade past base", []string{"downgrade", "-1"}, "downgrade", 2, "bad_input"},
	{"stamp", []string{"stamp", "head"}, "stamp", 0, ""},
	{"stamp unknown", []string{"stamp", "nosuch"}, "stamp", 2, "bad_input"},
	{"stamp base", []string{"stamp", "--purge", "base"}, "stamp", 0, ""},
	{"upgrade head", []string{"upgrade", "head"}, "upgrade", 0, ""},
	{"check", []string{"check"}, "check", 0, ""},
	{"history applied", []string{"history", "--applied"}, "history", 0, ""},
	{"history applied with range", []string{"history", "--applied", "-r", "base:head"}, "history", 2, "bad_input"},
	{"checksum", []string{"checksum"}, "checksum", 0, ""},
	{"graph", []string{"graph"}, "graph", 0, ""},
	{"graph part", []string{"graph", "-r", "base:aaaa1111", "--branch", "app"}, "graph", 0, ""},
	{"graph unknown branch", []string{"graph", "--branch", "nosuch"}, "graph", 2, "bad_input"},
	{"lint", []string{"lint"}, "lint", 0, ""},
	{"lint unknown start", []string{"lint", "nosuch:head"}, "lint", 2, "bad_input"},
	{"lint findings", []string{"-c", "lint.toml", "lint"}, "lint", 1, "lint"},
	{"stamp lint project", []string{"-c", "lint.toml", "stamp", "head"}, "stamp", 0, ""},
	{"check lint", []string{"-c", "lint.toml", "check"}, "check", 1, "lint"},
	{"checksum accept", []string{"checksum", "--accept", "aaaa1111"}, "checksum", 0, ""},
	{"checksum accept unknown", []string{"checksum", "--accept", "nosuch"}, "checksum", 2, "bad_input"},
	{"check drift", []string{"-c", "drift.toml", "check"}, "check", 1, "drift"},
	{"inspect", []string{"inspect"}, "inspect", 0, ""},
	{"inspect unknown table", []string{"inspect", "nosuch"}, "inspect", 2, "bad_input"},
	{"sync", []string{"sync"}, "sync", 0, ""},
	{"sync no url", []string{"-c", "nourl.toml", "sync"}, "sync", 2, "bad_input"},
	{"test", []string{"test"}, "test", 0, ""},
	{"test unknown check", []string{"test", "--include", "nosuch"}, "test", 2, "bad_input"},
	{"edit", []string{"edit", "head"}, "edit", 0, ""},
	{"edit unknown", []string{"edit", "nosuch"}, "edit", 2, "bad_input"},
	{"revision", []string{"revision", "-m", "branch", "--rev-id", "cccc3333", "--head", "aaaa1111", "--splice"}, "revision", 0, ""},
	{"revision bad id", []string{"revision", "-m", "x", "--rev-id", "not valid"}, "revision", 2, "bad_input"},
	{"merge", []string{"merge", "heads", "-m", "merge", "--rev-id", "dddd4444"}, "merge", 0, ""},
	{"merge unknown", []string{"merge", "nosuch"}, "merge", 2, "bad_input"},
	{"import", []string{"-c", "imp.toml", "import", "goose", "goosedir"}, "import", 0, ""},
	{"import problems", []string{"-c", "imp.toml", "import", "goose", "badgoose"}, "import", 2, "bad_input"},
	{"adopt", []string{"-c", "imp.toml", "adopt", "goose"}, "adopt", 0, ""},
	{"adopt unknown format", []string{"-c", "imp.toml", "adopt", "liquibase"}, "adopt", 2, "bad_input"},
	{"help", []string{"help", "upgrade"}, "help", 0, ""},
	{"help bad flag", []string{"help", "--nosuch"}, "help", 2, "usage"},
	{"completion", []string{"completion"}, "completion", 0, ""},
	{"completion unknown shell", []string{"completion", "--nosuch"}, "completion", 2, "usage"},
	{"completion bash", []string{"completion", "bash"}, "completion bash", 0, ""},
	{"completion bash extra", []string{"completion", "bash", "x"}, "completion bash", 2, "usage"},
	{"completion zsh", []string{"completion", "zsh"}, "completion zsh", 0, ""},
	{"completion zsh extra", []string{"completion", "zsh", "x"}, "completion zsh", 2, "usage"},
	{"completion fish", []string{"completion", "fish"}, "completion fish", 0, ""},
	{"completion fish extra", []string{"completion", "fish", "x"}, "completion fish", 2, "usage"},
	{"completion powershell", []string{"completion", "powershell"}, "completion powershell", 0, ""},
	{"completion powershell extra", []string{"completion", "powershell", "x"}, "completion powershell", 2, "usage"},
	{"version", []string{"--version"}, "", 0, ""},
	{"unknown command", []string{"frobnicate"}, "", 2, "usage"},
}

// TestJSONEnvelope runs every command with --format json, on success
// and on failure, and checks that stdout holds exactly one document that
// output.schema.json accepts, with "ok", "command" and the error's exit
// code matching the run. A command without both cases fails the test.
func TestJSONEnvelope(t *testing.T) {
	schema := compileOutputSchema(t)
	dir := t.TempDir()
	files := map[string]string{
		"retort.toml":                      jsonProjectConfig,
		"nourl.toml":                       "[retort]\nscript_location = \"migrations\"\nurl = \"\"\n",
		"drift.toml":                       strings.Replace(jsonProjectConfig, "schema.sql", "drift.sql", 1),
		"schema.sql":                       jsonSchemaSQL,
		"drift.sql":                        jsonSchemaSQL + "CREATE TABLE extra (id INTEGER PRIMARY KEY);\n",
		"migrations/versions/aaaa1111.sql": jsonRevA,
		"migrations/versions/bbbb2222.sql": jsonRevB,
		"imp.toml":                         "[retort]\nscript_location = \"imp\"\nurl = \"sqlite:///imp.db\"\n",
		"imp/versions/.keep":               "",
		"goosedir/00001_a.sql":             "-- +goose Up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- +goose Down\nDROP TABLE a;\n",
		"goosedir/00002_b.sql":             "-- +goose Up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n",
		"badgoose/00001_a.sql":             "SELECT 1;\n",
		"lint.toml":                        "[retort]\nscript_location = \"lintmig\"\nurl = \"sqlite:///lint.db\"\ntarget_schema = \"lint.sql\"\ncheck_lint = true\n",
		"lint.sql":                         "-- nothing\n",
		"lintmig/versions/l1.sql":          strings.ReplaceAll(strings.ReplaceAll(jsonRevA, "aaaa1111", "l1"), "CREATE TABLE customer (id INTEGER PRIMARY KEY);", "CREATE TABLE keep (id INTEGER PRIMARY KEY);\nDROP TABLE customer;"),
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	gooseTable(t, "imp.db", 1)
	t.Setenv("EDITOR", "true")
	t.Setenv("RETORT_CONFIG", "")
	t.Setenv("DATABASE_URL", "")
	covered := map[string][2]bool{}
	for _, c := range jsonCases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(t.Context(), append([]string{"--format", "json"}, c.args...), strings.NewReader(""), &stdout, &stderr)
			if code != c.exit {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.exit, stdout.String(), stderr.String())
			}
			doc := decodeOne(t, stdout.Bytes())
			if err := schema.Validate(doc); err != nil {
				t.Fatalf("the output does not match output.schema.json: %v\n%s", err, stdout.String())
			}
			env := doc.(map[string]any)
			if env["command"] != c.command || env["ok"] != (code == 0) {
				t.Errorf("command %v, ok %v; want %q, %v", env["command"], env["ok"], c.command, code == 0)
			}
			if code != 0 {
				e := env["error"].(map[string]any)
				if e["exit"] != float64(code) || e["kind"] != c.kind {
					t.Errorf("error %v; want exit %d, kind %s", e, code, c.kind)
				}
			}
			k := covered[c.command]
			k[min(code, 1)] = true
			covered[c.command] = k
		})
	}
	a := &app{}
	root := a.root()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		for _, sub := range cmd.Commands() {
			name := strings.TrimPrefix(sub.CommandPath(), root.Name()+" ")
			if k := covered[name]; !k[0] || !k[1] {
				t.Errorf("command %q lacks a --format json case on success (%v) or on failure (%v) in jsonCases", name, k[0], k[1])
			}
			walk(sub)
		}
	}
	walk(root)
}

// compileOutputSchema loads output.schema.json.
func compileOutputSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("output.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("output.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("output.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// decodeOne decodes b as exactly one JSON document.
func decodeOne(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not a JSON document: %v\n%s", err, b)
	}
	var more any
	if err := dec.Decode(&more); err != io.EOF {
		t.Fatalf("stdout holds more than one JSON document:\n%s", b)
	}
	// Numbers as float64 for the comparisons; the schema sees the same.
	var plain any
	if err := json.Unmarshal(b, &plain); err != nil {
		t.Fatal(err)
	}
	return plain
}

// TestHelpExamples: every command's help has examples.
func TestHelpExamples(t *testing.T) {
	a := &app{}
	root := a.root()
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		if !cmd.Hidden && strings.TrimSpace(cmd.Example) == "" {
			t.Errorf("%q has no Example in its help (examples.go)", cmd.CommandPath())
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// gooseTable makes the SQLite database file a database goose migrated
// to version n, with goose's own table.
func gooseTable(t *testing.T, file string, n int) {
	t.Helper()
	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmts := []string{
		"CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')))",
		"INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1)",
	}
	for v := 1; v <= n; v++ {
		stmts = append(stmts, fmt.Sprintf("INSERT INTO goose_db_version (version_id, is_applied) VALUES (%d, 1)", v))
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
}
