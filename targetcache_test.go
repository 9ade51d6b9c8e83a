package retort_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
)

// The target read from schema.sql on PostgreSQL is cached by content and
// server version: a second read gives the same schema without the
// scratch DDL, a changed schema.sql is read anew, and a broken one still
// names its line.
func TestTargetCache(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	dir, url := t.TempDir(), dbtest.Postgres(t)
	cfg := writeProject(t, dir, url, nil, "")
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(schemaSQL), 0o644))
	env := open(t, cfg)
	first, err := env.Target(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := filepath.Glob(filepath.Join(cache, "retort", "targets", "*.json"))
	if len(entries) != 1 {
		t.Fatalf("cache entries = %v, want one", entries)
	}
	second, err := open(t, cfg).Target(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("cached target differs:\nfirst  %+v\nsecond %+v", first, second)
	}

	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(schemaSQL+"CREATE TABLE extra (id INTEGER);\n"), 0o644))
	third, err := open(t, cfg).Target(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(third.Tables) != len(first.Tables)+1 {
		t.Errorf("a changed schema.sql was served from the cache: %d tables", len(third.Tables))
	}

	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE a (id INTEGER);\nCREATE TABLE b (id INTEGER);\nCREATE TABLE a (id INTEGER);\n"), 0o644))
	_, err = open(t, cfg).Target(t.Context())
	if !errors.Is(err, retort.ErrBadInput) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("broken schema.sql: %v, want bad input naming line 3", err)
	}

	t.Setenv("RETORT_TARGET_CACHE", "off")
	must(t, os.RemoveAll(filepath.Join(cache, "retort")))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(schemaSQL), 0o644))
	if _, err := open(t, cfg).Target(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cache, "retort", "targets")); err == nil {
		t.Error("RETORT_TARGET_CACHE=off still wrote the cache")
	}

	t.Setenv("RETORT_TARGET_CACHE", "")
	t.Setenv("RETORT_CACHE", "off")
	must(t, os.RemoveAll(filepath.Join(cache, "retort")))
	if _, err := open(t, cfg).Target(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cache, "retort")); err == nil {
		t.Error("RETORT_CACHE=off still wrote the target cache")
	}
}

// TestMain keeps the tests' target cache out of the user's home.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "retort-cache-")
	if err == nil {
		os.Setenv("XDG_CACHE_HOME", dir)
	}
	code := m.Run()
	if err == nil {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}
