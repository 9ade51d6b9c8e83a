package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// writeChain writes a project of n SQLite revisions into dir.
func writeChain(t *testing.T, dir string, n int) {
	t.Helper()
	vdir := filepath.Join(dir, "migrations", "versions")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		t.Fatal(err)
	}
	prev := ""
	for i := range n {
		id := fmt.Sprintf("r%04d", i+1)
		src := fmt.Sprintf("-- step %d\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Branch Labels:\n-- Depends On:\n-- Create Date: 2026-11-21 10:00:00.000000+00:00\n\n-- +retort upgrade\nCREATE TABLE t%d (id INTEGER);\n\n-- +retort downgrade\nDROP TABLE t%d;\n", i+1, id, prev, i+1, i+1)
		if err := os.WriteFile(filepath.Join(vdir, id+".sql"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		prev = id
	}
	cfg := fmt.Sprintf("[retort]\nscript_location = \"migrations\"\nurl = \"sqlite:///%s\"\n", filepath.ToSlash(filepath.Join(dir, "app.db")))
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runAt runs the command with stderr taken for a terminal of 60 columns
// when term is set.
func runAt(t *testing.T, term bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, args: args, terminal: term, width: 60}
	code = a.main(t.Context())
	return code, out.String(), errb.String()
}

// TestProgress: on a terminal, one line kept up to date with n/N, the
// summary at the end, durations with -v; nothing of that off a terminal
// or with -q, where the log lines stay the record.
func TestProgress(t *testing.T) {
	dir := t.TempDir()
	writeChain(t, dir, 3)
	cfg := filepath.Join(dir, "retort.toml")
	summary := regexp.MustCompile(`\r\x1b\[KApplied 3 revisions in \d+\.\d s\n$`)

	code, stdout, stderr := runAt(t, true, "-c", cfg, "upgrade", "head")
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "\r\x1b[K[1/3] 0.") || !summary.MatchString(stderr) {
		t.Errorf("terminal: no progress line or summary in %q", stderr)
	}
	if strings.Contains(stderr, "INFO") {
		t.Errorf("terminal: log lines beside the progress line: %q", stderr)
	}

	code, _, stderr = runAt(t, true, "-c", cfg, "downgrade", "base", "-v")
	if code != 0 || !regexp.MustCompile(`\r\x1b\[K +\d+(\.\d)? ms  downgrade r0003 -> r0002, step 3\n`).MatchString(stderr) ||
		!regexp.MustCompile(`\r\x1b\[KReverted 3 revisions in `).MatchString(stderr) {
		t.Errorf("-v on a terminal: want a line per revision with its duration and the summary, got %q", stderr)
	}

	code, _, stderr = runAt(t, true, "-c", cfg, "upgrade", "head", "-q")
	if code != 0 || stderr != "" {
		t.Errorf("-q on a terminal printed %q", stderr)
	}
	if code, _, _ = runAt(t, false, "-c", cfg, "downgrade", "base", "-q"); code != 0 {
		t.Fatal("downgrade failed")
	}

	code, _, stderr = runAt(t, false, "-c", cfg, "upgrade", "head")
	if code != 0 || strings.Contains(stderr, "\r") || strings.Contains(stderr, "Applied") ||
		strings.Count(stderr, "INFO  [retort] Running upgrade") != 3 {
		t.Errorf("off a terminal: want the three log lines only, got %q", stderr)
	}
}

func TestProgressLine(t *testing.T) {
	var b bytes.Buffer
	p := &reporter{w: &b, width: 30, noun: "revision", start: time.Now()}
	p.begin(7, 2000, "upgrade aaaa1111 -> bbbb2222, a long message")
	if got := b.String(); got != "\r\x1b[K[   7/2000] 0.0 s  upgrade a…" {
		t.Errorf("line %q", got)
	}
	b.Reset()
	p.summary("Applied", 2000)
	if got := b.String(); got != "\r\x1b[KApplied 2,000 revisions in 0.0 s\n" {
		t.Errorf("summary %q", got)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 2000: "2,000", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
