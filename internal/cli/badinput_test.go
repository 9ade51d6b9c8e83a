package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Unreadable files and a missing SQLite folder are bad input (exit 2)
// that name the path; a revision file with bytes that are not UTF-8
// loads with a warning naming file and line.
func TestBadInputFiles(t *testing.T) {
	const rev = "-- one\n--\n-- Revision ID: aaaa\n-- Revises:\n\n-- +retort upgrade\nCREATE TABLE t (id INTEGER);\n"
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		args  []string
		exit  int
		want  string
	}{
		{"revision file is a dangling link", func(t *testing.T, dir string) {
			if err := os.Symlink(filepath.Join(dir, "gone.sql"), filepath.Join(dir, "migrations/versions/bbbb_gone.sql")); err != nil {
				t.Fatal(err)
			}
		}, []string{"heads"}, 2, "revision file migrations/versions/bbbb_gone.sql cannot be read"},
		{"config is a directory", func(t *testing.T, dir string) {
			if err := os.Mkdir(filepath.Join(dir, "conf.toml"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, []string{"-c", "conf.toml", "heads"}, 2, "conf.toml: the config file cannot be read"},
		{"config is a dangling link", func(t *testing.T, dir string) {
			if err := os.Symlink(filepath.Join(dir, "gone.toml"), filepath.Join(dir, "link.toml")); err != nil {
				t.Fatal(err)
			}
		}, []string{"-c", "link.toml", "heads"}, 2, "link.toml"},
		{"sqlite folder missing", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "retort.toml"), "[retort]\nscript_location = \"migrations\"\nurl = \"sqlite:///no/such/folder/app.db\"\n")
		}, []string{"upgrade", "head"}, 2, "its folder " + "DIR/no/such/folder does not exist"},
		{"not UTF-8", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "migrations/versions/aaaa_one.sql"), rev+"INSERT INTO t VALUES (1); -- caf\xe9\n")
		}, []string{"heads"}, 0, "WARNING: migrations/versions/aaaa_one.sql:8: bytes that are not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "retort.toml"), "[retort]\nscript_location = \"migrations\"\nurl = \"sqlite:///app.db\"\n")
			writeFile(t, filepath.Join(dir, "migrations/versions/aaaa_one.sql"), rev)
			tt.setup(t, dir)
			t.Chdir(dir)
			t.Setenv("RETORT_CONFIG", "")
			t.Setenv("DATABASE_URL", "")
			var stdout, stderr bytes.Buffer
			code := Main(t.Context(), tt.args, strings.NewReader(""), &stdout, &stderr)
			want := strings.ReplaceAll(tt.want, "DIR", dir)
			if code != tt.exit || !strings.Contains(stderr.String(), want) {
				t.Fatalf("exit %d, want %d; stderr lacks %q:\n%s", code, tt.exit, want, stderr.String())
			}
		})
	}
}

func writeFile(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
