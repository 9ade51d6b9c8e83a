package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFleetCommands runs each command that takes --fleet on a fleet of
// SQLite files, in text and JSON, checking exit codes and that the JSON
// matches output.schema.json.
func TestFleetCommands(t *testing.T) {
	schema := compileOutputSchema(t)
	dir := t.TempDir()
	files := map[string]string{
		"retort.toml": "[retort]\nscript_location = \"migrations\"\nurl = \"sqlite:///data/{x.tenant}.db\"\n" +
			"[fleet.t]\nplaceholder = \"tenant\"\nmembers = [\"acme\", \"globex\", \"initech\"]\n" +
			"[fleet.bad]\nplaceholder = \"tenant\"\nmembers = [\"acme\", \"../etc/x\"]\n" +
			"[fleet.broken]\nplaceholder = \"tenant\"\nmembers = [\"acme\", \"broken\", \"globex\", \"initech\"]\n",
		"migrations/versions/aaaa1111.sql": jsonRevA,
		"migrations/versions/bbbb2222.sql": jsonRevB,
		"data/.keep":                       "",
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
	t.Setenv("RETORT_CONFIG", "")
	cases := []struct {
		name string
		args []string
		exit int
		want string // in text output
	}{
		{"jobs without fleet", []string{"--jobs", "2", "current"}, 2, "--jobs needs --fleet NAME"},
		{"unknown fleet", []string{"--fleet", "nope", "current"}, 2, `no fleet "nope"`},
		{"bad member", []string{"--fleet", "bad", "upgrade", "head"}, 2, `fleet bad: member "../etc/x" from members`},
		{"not a fleet command", []string{"--fleet", "t", "heads"}, 2, "does not run on a fleet"},
		{"sql", []string{"--fleet", "t", "upgrade", "head", "--sql"}, 2, "does not take --sql"},
		{"upgrade one", []string{"--fleet", "t", "--jobs", "2", "upgrade", "aaaa1111"}, 0, "aaaa1111                            3"},
		{"current", []string{"--fleet", "t", "current"}, 0, "aaaa1111                            3"},
		{"check behind", []string{"--fleet", "t", "check"}, 1, "failed          3"},
		{"upgrade", []string{"--fleet", "t", "upgrade", "head"}, 0, "done            3"},
		{"rerun", []string{"--fleet", "t", "upgrade", "head"}, 0, "unchanged       3"},
		{"check", []string{"--fleet", "t", "check"}, 0, "(head)"},
		{"history", []string{"--fleet", "t", "history", "--applied"}, 0, "upgrade   bbbb2222"},
		{"downgrade", []string{"--fleet", "t", "downgrade", "-1"}, 0, "aaaa1111"},
		{"stamp", []string{"--fleet", "t", "stamp", "head"}, 0, "done            3"},
		// broken.db is not a database: that member fails, the rest run
		// with --keep-going; without it, members after it do not start.
		{"stop", []string{"--fleet", "broken", "--jobs", "1", "upgrade", "head"}, 1, "pending         2"},
		{"keep going", []string{"--fleet", "broken", "--jobs", "1", "--keep-going", "upgrade", "head"}, 1, "unchanged       3"},
		{"canary", []string{"--fleet", "broken", "--canary", "2", "--keep-going", "upgrade", "head"}, 1, "pending         2"},
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "broken.db"), []byte("this is not an SQLite database, it is text long enough to be read as a header........................................................................................."), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(t.Context(), c.args, strings.NewReader(""), &stdout, &stderr)
			if code != c.exit || !strings.Contains(stdout.String()+stderr.String(), c.want) {
				t.Fatalf("exit %d, want %d with %q\nstdout:\n%s\nstderr:\n%s", code, c.exit, c.want, stdout.String(), stderr.String())
			}
		})
	}
	// The same in JSON, on the database as the text runs left it.
	for _, args := range [][]string{
		{"--fleet", "t", "current"}, {"--fleet", "t", "check"}, {"--fleet", "t", "history", "--applied"},
		{"--fleet", "t", "upgrade", "head"}, {"--fleet", "t", "downgrade", "base"}, {"--fleet", "t", "stamp", "head"},
		{"--fleet", "broken", "--keep-going", "upgrade", "head"}, {"--fleet", "bad", "current"},
	} {
		t.Run("json "+strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(t.Context(), append([]string{"--format", "json"}, args...), strings.NewReader(""), &stdout, &stderr)
			doc := decodeOne(t, stdout.Bytes())
			if err := schema.Validate(doc); err != nil {
				t.Fatalf("exit %d: the output does not match output.schema.json: %v\n%s", code, err, stdout.String())
			}
			if ok := doc.(map[string]any)["ok"]; ok != (code == 0) {
				t.Fatalf("ok %v with exit %d", ok, code)
			}
		})
	}
}
