package cli

import (
	"log/slog"
	"strings"
	"testing"
)

func TestLogHandler(t *testing.T) {
	var b strings.Builder
	l := slog.New(newLogHandler(&b, slog.LevelDebug))
	l.Info("Running upgrade  -> 1a2b3c4d5e6f, create customer table")
	l.Debug("CREATE TABLE t (id INT)")
	l.Warn("careful", "rev", "abc")
	l.With("env", "reporting").WithGroup("g").Error("failed", "n", 2)
	want := `INFO  [retort] Running upgrade  -> 1a2b3c4d5e6f, create customer table
DEBUG [retort] CREATE TABLE t (id INT)
WARN  [retort] careful rev=abc
ERROR [retort] failed env=reporting g.n=2
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}

	b.Reset()
	q := slog.New(newLogHandler(&b, slog.LevelError))
	q.Info("hidden")
	q.Error("shown")
	if b.String() != "ERROR [retort] shown\n" {
		t.Errorf("quiet handler wrote %q", b.String())
	}
}
