package script

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// indexDir makes a versions folder with files named by id, each revising
// the one before, and keeps the test's caches in a fresh folder.
func indexDir(t *testing.T, ids ...string) string {
	t.Helper()
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	t.Setenv("RETORT_CACHE", "")
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "versions"), 0o755); err != nil {
		t.Fatal(err)
	}
	prev := ""
	for _, id := range ids {
		writeRev(t, root, id+".sql", id, prev, "SELECT 1;", time.Now().Add(-time.Hour))
		prev = id
	}
	return root
}

// writeRev writes a revision file and sets its mtime (zero: leave it).
func writeRev(t *testing.T, root, name, id, revises, sql string, mtime time.Time) {
	t.Helper()
	p := filepath.Join(root, "versions", name)
	src := fmt.Sprintf("-- Revision ID: %s\n-- Revises: %s\n\n-- +retort upgrade\n%s\n", id, revises, sql)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if !mtime.IsZero() {
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}

// loaded returns "id:upgrade SQL" of each script in root/versions.
func loaded(t *testing.T, root string) []string {
	t.Helper()
	scripts, err := Load(DirFS(root), []string{"versions"}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range scripts {
		out = append(out, s.Rev.ID+":"+s.Upgrade.SQL)
	}
	return out
}

func indexPath(t *testing.T, root string) string {
	t.Helper()
	file, _ := indexFile(root, []string{"versions"}, false)
	if file == "" {
		t.Fatal("no index file name")
	}
	return file
}

func same(a, b []string) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func TestIndexSeesChanges(t *testing.T) {
	old := time.Now().Add(-time.Hour)
	tests := []struct {
		name   string
		change func(t *testing.T, root string)
		want   []string
	}{
		{"nothing", func(*testing.T, string) {}, []string{"a1:SELECT 1;", "b2:SELECT 1;"}},
		{"edit in place, same size and mtime", func(t *testing.T, root string) {
			writeRev(t, root, "b2.sql", "b2", "a1", "SELECT 2;", old)
		}, []string{"a1:SELECT 1;", "b2:SELECT 2;"}},
		{"delete", func(t *testing.T, root string) {
			if err := os.Remove(filepath.Join(root, "versions", "b2.sql")); err != nil {
				t.Fatal(err)
			}
		}, []string{"a1:SELECT 1;"}},
		{"add", func(t *testing.T, root string) {
			writeRev(t, root, "c3.sql", "c3", "b2", "SELECT 3;", old)
		}, []string{"a1:SELECT 1;", "b2:SELECT 1;", "c3:SELECT 3;"}},
		{"rename over another", func(t *testing.T, root string) {
			v := filepath.Join(root, "versions")
			writeRev(t, root, "z.sql", "b2", "a1", "SELECT 9;", old)
			if err := os.Rename(filepath.Join(v, "z.sql"), filepath.Join(v, "b2.sql")); err != nil {
				t.Fatal(err)
			}
		}, []string{"a1:SELECT 1;", "b2:SELECT 9;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := indexDir(t, "a1", "b2")
			if got := loaded(t, root); !same(got, []string{"a1:SELECT 1;", "b2:SELECT 1;"}) {
				t.Fatalf("first load: %v", got)
			}
			if _, err := os.Stat(indexPath(t, root)); err != nil {
				t.Fatalf("no index written: %v", err)
			}
			tt.change(t, root)
			if got := loaded(t, root); !same(got, tt.want) {
				t.Errorf("after change: %v, want %v", got, tt.want)
			}
			if got := loaded(t, root); !same(got, tt.want) {
				t.Errorf("from the new index: %v, want %v", got, tt.want)
			}
		})
	}
}

// TestIndexRacy acts as a platform without inode and ctime: an edit that
// keeps size and mtime is seen only because the file was written within
// the timestamp granularity of the index (git's racy-index rule).
func TestIndexRacy(t *testing.T) {
	statFile = func(path string) (fileStamp, bool) {
		st, ok := statOS(path)
		return fileStamp{Size: st.Size, MtimeNs: st.MtimeNs}, ok
	}
	t.Cleanup(func() { statFile = statOS })
	root := indexDir(t)
	mtime := time.Now().Truncate(time.Second)
	writeRev(t, root, "a1.sql", "a1", "", "SELECT 1;", mtime)
	if got := loaded(t, root); !same(got, []string{"a1:SELECT 1;"}) {
		t.Fatalf("first load: %v", got)
	}
	writeRev(t, root, "a1.sql", "a1", "", "SELECT 2;", mtime)
	if got := loaded(t, root); !same(got, []string{"a1:SELECT 2;"}) {
		t.Errorf("racy edit missed: %v", got)
	}
}

func TestIndexIgnoresBadIndex(t *testing.T) {
	tests := []struct {
		name  string
		index func(t *testing.T, root string) []byte
	}{
		{"corrupt", func(*testing.T, string) []byte { return []byte("not an index") }},
		{"empty", func(*testing.T, string) []byte { return nil }},
		{"foreign", func(t *testing.T, root string) []byte {
			// A valid index of other locations, copied over this one's name.
			other := t.TempDir()
			if err := os.Mkdir(filepath.Join(other, "versions"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeRev(t, other, "a1.sql", "a1", "", "SELECT 'foreign';", time.Now().Add(-time.Hour))
			loaded(t, other)
			data, err := os.ReadFile(indexPath(t, other))
			if err != nil {
				t.Fatal(err)
			}
			return data
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := indexDir(t, "a1")
			data := tt.index(t, root)
			file := indexPath(t, root)
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			old := time.Now().Add(-time.Hour)
			if err := os.Chtimes(file, old, old); err != nil {
				t.Fatal(err)
			}
			if got := loaded(t, root); !same(got, []string{"a1:SELECT 1;"}) {
				t.Errorf("with a %s index: %v", tt.name, got)
			}
		})
	}
}

func TestIndexOff(t *testing.T) {
	for _, v := range []string{"off", "OFF"} {
		root := indexDir(t, "a1")
		t.Setenv("RETORT_CACHE", v)
		if got := loaded(t, root); !same(got, []string{"a1:SELECT 1;"}) {
			t.Fatalf("load: %v", got)
		}
		if _, err := os.Stat(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "retort")); err == nil {
			t.Errorf("RETORT_CACHE=%s still wrote a cache", v)
		}
	}
}

func TestIndexConcurrentWriters(t *testing.T) {
	root := indexDir(t, "a1", "b2", "c3")
	want := []string{"a1:SELECT 1;", "b2:SELECT 1;", "c3:SELECT 1;"}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for range 16 {
		wg.Go(func() {
			scripts, err := Load(DirFS(root), []string{"versions"}, LoadOptions{})
			if err != nil || len(scripts) != 3 {
				errs <- fmt.Sprint(len(scripts), err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if _, key := indexFile(root, []string{"versions"}, false); key == "" {
		t.Fatal("no key")
	}
	ix, _ := readIndex(indexFile(root, []string{"versions"}, false))
	if ix == nil || len(ix.Entries) != 3 {
		t.Errorf("index after concurrent writers: %+v", ix)
	}
	entries, err := os.ReadDir(filepath.Dir(indexPath(t, root)))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("left in the cache folder: %v, want the index only", entries)
	}
	if got := loaded(t, root); !same(got, want) {
		t.Errorf("after concurrent writers: %v", got)
	}
}
