package retort_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
)

// ageProject sets the mtime of every file and folder under dir an hour
// back, as files in a project that was not just written have: the graph
// index trusts only files older than its racy window.
func ageProject(t *testing.T, dir string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, old, old)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestChecksumCacheSeesEdits: the checksums of the applied revision
// files that a run computes are kept in the graph index, so the next
// runs do not read the files again; an edit of a file in place, even of
// the same size and with its mtime put back, is still caught: the
// file's inode change time is part of the stamp the checksum is kept
// under.
func TestChecksumCacheSeesEdits(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("RETORT_CACHE", "")
	dir := t.TempDir()
	cfg := writeProject(t, dir, dbtest.SQLiteFile(t), chain(3), "")
	ageProject(t, dir)
	ctx := t.Context()
	env := open(t, cfg)
	if err := env.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	want, err := env.Checksum("r02")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}

	env = open(t, cfg)
	if got, ok := retort.CachedChecksum(env, "r02"); !ok || got != want {
		t.Fatalf("the next run's kept checksum of r02: %q, %v; want %q", got, ok, want)
	}
	if err := env.Check(ctx); err != nil {
		t.Fatalf("check with kept checksums: %v", err)
	}

	// The same number of bytes, the mtime put back.
	file := revFile(t, dir, 1, "r02")
	rewrite(t, file, "DEFAULT 'a;b'", "DEFAULT 'x;y'")
	ageProject(t, dir)
	env = open(t, cfg)
	if _, ok := retort.CachedChecksum(env, "r02"); ok {
		t.Error("r02 keeps its checksum after an edit")
	}
	if err := env.Check(ctx); !errors.Is(err, retort.ErrEdited) {
		t.Fatalf("check after an edit in place: %v; want ErrEdited", err)
	}
	if _, ok := retort.CachedChecksum(env, "r01"); !ok {
		t.Error("r01, not edited, lost its kept checksum")
	}
}
