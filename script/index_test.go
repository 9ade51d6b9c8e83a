package script

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/retortdb/retort/sqlsplit"
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
	oldDir(t, filepath.Join(root, "versions"))
	return root
}

// oldDir sets the mtime of folder dir an hour back, so that it is not
// racy and the index may take its listing.
func oldDir(t *testing.T, dir string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(dir, old, old); err != nil {
		t.Fatal(err)
	}
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
	scripts, err := Load(DirFS(root), []string{"versions"}, LoadOptions{Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range scripts {
		if err := s.body(); err != nil {
			t.Fatal(err)
		}
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
		{"add, folder mtime set back", func(t *testing.T, root string) {
			writeRev(t, root, "c3.sql", "c3", "b2", "SELECT 3;", old)
			oldDir(t, filepath.Join(root, "versions"))
		}, []string{"a1:SELECT 1;", "b2:SELECT 1;", "c3:SELECT 3;"}},
		{"header edited in place, same size and mtime", func(t *testing.T, root string) {
			writeRev(t, root, "b2.sql", "b3", "a1", "SELECT 1;", old)
		}, []string{"a1:SELECT 1;", "b3:SELECT 1;"}},
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
	noInodes = true
	t.Cleanup(func() { noInodes = false })
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
		{"truncated", func(t *testing.T, root string) []byte {
			return ownIndex(t, root)[:40]
		}},
		{"id changed", func(t *testing.T, root string) []byte {
			// Caught by the checksum alone: the rest still decodes.
			data := ownIndex(t, root)
			i := bytes.Index(data, []byte("\x02a1"))
			if i < 0 {
				t.Fatal("no id in the index")
			}
			return slices.Concat(data[:i], []byte("\x02z9"), data[i+3:])
		}},
		{"headers cut, checksum fixed", func(t *testing.T, root string) []byte {
			// The paths and stamps decode, the headers after them do not:
			// every file is read again.
			data := ownIndex(t, root)
			body := data[:len(data)-4-2]
			cut := binary.LittleEndian.AppendUint32(slices.Clone(body), crc32.ChecksumIEEE(body))
			ix, headers, err := decodeFiles(string(cut), crc32.ChecksumIEEE(cut))
			if err != nil || len(ix.entries) != 1 || headers.decode(ix) == nil {
				t.Fatalf("want the files to decode and the headers not: %v", err)
			}
			return cut
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
			// Written now, after the files: not racy, so used if valid.
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if got := loaded(t, root); !same(got, []string{"a1:SELECT 1;"}) {
				t.Errorf("with a %s index: %v", tt.name, got)
			}
		})
	}
}

// ownIndex loads root and returns the index written.
func ownIndex(t *testing.T, root string) []byte {
	t.Helper()
	loaded(t, root)
	data, err := os.ReadFile(indexPath(t, root))
	if err != nil {
		t.Fatal(err)
	}
	return data
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
			scripts, err := Load(DirFS(root), []string{"versions"}, LoadOptions{Lazy: true})
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
	ix, headers, _ := readIndex(indexFile(root, []string{"versions"}, false))
	if ix == nil || len(ix.entries) != 3 || headers.decode(ix) != nil {
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

// TestIndexHeaders loads files using every header feature twice, the
// second time from the index, and compares both with Parse.
func TestIndexHeaders(t *testing.T) {
	root := indexDir(t)
	files := map[string]string{
		"a.sql": "-- first paragraph\n-- goes on\n--\n-- second one\n--\n-- Revision ID: a1\n-- Revises:\n-- Branch Labels: main, extra\n" +
			"-- Depends On:\n-- Create Date: 2026-11-21 10:00:00.123456+02:00\n-- Imported From: goose 00001_a.sql\n\n" +
			"-- +retort no-transaction\n-- +retort upgrade\nCREATE INDEX CONCURRENTLY i ON t (x);\n\n-- +retort downgrade\nDROP INDEX i;\n",
		"b.sql": "-- Revision ID: b2\n-- Revises: a1\n-- Depends On: main\n-- Create Date: 2026-11-21 10:00:00\n\n" +
			"-- +retort commit-before\n-- +retort upgrade\nSELECT '\xff';\n",
		"c.sql": "-- Revision ID: c3\n-- Revises: b2, a1\n\n-- +retort upgrade\n",
	}
	old := time.Now().Add(-time.Hour)
	for name, src := range files {
		p := filepath.Join(root, "versions", name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	oldDir(t, filepath.Join(root, "versions"))
	for _, pass := range []string{"files", "index"} {
		scripts, err := Load(DirFS(root), []string{"versions"}, LoadOptions{Lazy: true})
		if err != nil {
			t.Fatal(err)
		}
		if (pass == "index") != (scripts[0].lazy != nil) {
			t.Fatalf("%s: lazy = %v", pass, scripts[0].lazy != nil)
		}
		for _, got := range scripts {
			want, err := Parse(got.Path, []byte(files[filepath.Base(got.Path)]))
			if err != nil {
				t.Fatal(err)
			}
			if err := got.body(); err != nil {
				t.Fatal(err)
			}
			if !got.Rev.CreateDate.Equal(want.Rev.CreateDate) || got.Rev.CreateDate.Format(time.RFC3339Nano) != want.Rev.CreateDate.Format(time.RFC3339Nano) {
				t.Errorf("%s %s: date %v, want %v", pass, got.Path, got.Rev.CreateDate, want.Rev.CreateDate)
			}
			g, w := *got, *want
			gr, wr := *g.Rev, *w.Rev
			gr.CreateDate, wr.CreateDate = time.Time{}, time.Time{}
			g.Rev, w.Rev, g.lazy, g.ref = &gr, &wr, nil, nil
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s %s:\n got %+v %+v\nwant %+v %+v", pass, got.Path, g, gr, w, wr)
			}
		}
	}
}

// TestIndexRecursive loads a tree of folders as TestLoad does, from the
// files and then from the index, and sees a file added deep down.
func TestIndexRecursive(t *testing.T) {
	root := indexDir(t)
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{"versions/sub/c_three.sql", "versions/_old/x.sql", "versions/.git/y.sql",
		"versions/dir.sql/z_z.sql", "versions/a_one.sql", "versions/sub.sql", "reporting/deep/e_five.sql"} {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		id := strings.TrimSuffix(filepath.Base(p), ".sql")
		name, _ := filepath.Rel("versions", p)
		writeRev(t, root, name, id, "", "SELECT 1;", old)
	}
	dirs := []string{"versions/sub", "./versions/", "reporting"}
	load := func() []string {
		t.Helper()
		scripts, err := Load(DirFS(root), dirs, LoadOptions{Recursive: true, Lazy: true})
		if err != nil {
			t.Fatal(err)
		}
		return paths(scripts)
	}
	want, err := Load(os.DirFS(root), dirs, LoadOptions{Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"versions", "versions/sub", "versions/dir.sql", "versions/_old", "versions/.git", "reporting", "reporting/deep"} {
		oldDir(t, filepath.Join(root, d))
	}
	for _, pass := range []string{"files", "index"} {
		if got := load(); !reflect.DeepEqual(got, paths(want)) {
			t.Errorf("%s: %q, want %q", pass, got, paths(want))
		}
	}
	writeRev(t, root, "../reporting/deep/f_six.sql", "f_six", "", "SELECT 1;", old)
	if got := load(); !slices.Contains(got, "reporting/deep/f_six.sql") {
		t.Errorf("file added deep down not seen: %q", got)
	}
}

// TestIndexLazyBody reads the SQL of a script taken from the index after
// its file changed.
func TestIndexLazyBody(t *testing.T) {
	old := time.Now().Add(-time.Hour)
	tests := []struct {
		name    string
		id      string
		sql     string
		want    string // SQL read, or "" for an error
		wantErr string
	}{
		{"unchanged", "a1", "SELECT 1;", "SELECT 1;", ""},
		{"body edited", "a1", "SELECT 22;", "SELECT 22;", ""},
		{"header edited", "z9", "SELECT 1;", "", "versions/a1.sql: the revision file changed while retort was running; run the command again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := indexDir(t, "a1")
			loaded(t, root)
			scripts, err := Load(DirFS(root), []string{"versions"}, LoadOptions{Lazy: true})
			if err != nil || scripts[0].lazy == nil {
				t.Fatalf("not from the index: %v", err)
			}
			writeRev(t, root, "a1.sql", tt.id, "", tt.sql, old)
			stmts, err := scripts[0].UpgradeStatements(sqlsplit.Options{})
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("error %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(stmts) != 1 || stmts[0].SQL+";" != tt.want || scripts[0].Upgrade.SQL != tt.want {
				t.Errorf("UpgradeStatements = %v, %v; Upgrade.SQL %q; want %s", stmts, err, scripts[0].Upgrade.SQL, tt.want)
			}
		})
	}
}

// FuzzDecodeIndex feeds the index decoder damaged indexes: it must
// reject them, or decode them, without panicking.
func FuzzDecodeIndex(f *testing.F) {
	s, err := Parse("versions/a.sql", []byte("-- m\n--\n-- Revision ID: a1\n-- Revises: b, c\n-- Branch Labels: x\n"+
		"-- Create Date: 2026-11-21 10:00:00+01:00\n\n-- +retort upgrade\nSELECT 1;\n-- +retort downgrade\nSELECT 2;\n"))
	if err != nil {
		f.Fatal(err)
	}
	ix := &graphIndex{key: "k", started: 7, dirs: []dirStamp{{"versions", fileStamp{1, 2, 3, 4}}},
		entries: []indexEntry{{"versions/a.sql", fileStamp{5, 6, 7, 8}, s}, {"versions/b.sql", fileStamp{Size: -1}, nil}}}
	good := encodeIndex(ix)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(indexMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		sum := crc32.ChecksumIEEE(data)
		got, err := decodeIndex(string(data), sum)
		if err == nil && len(got.entries) > len(data) {
			t.Errorf("%d entries from %d bytes", len(got.entries), len(data))
		}
		// Without the checksum, damage reaches the decoder itself.
		if len(data) > 4 {
			fixed := binary.LittleEndian.AppendUint32(slices.Clone(data[:len(data)-4]), crc32.ChecksumIEEE(data[:len(data)-4]))
			_, _ = decodeIndex(string(fixed), crc32.ChecksumIEEE(fixed))
		}
	})
}

func TestIndexPrune(t *testing.T) {
	root := indexDir(t, "a1")
	dir := filepath.Dir(indexPath(t, root))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	files := []struct {
		name string
		age  time.Duration
		kept bool
	}{
		{"recent.idx", indexMaxAge - time.Hour, true},
		{"stale.idx", indexMaxAge + time.Hour, false},
		{"old-format.gob", 0, false},
		{".index-123", 2 * time.Hour, false},
		{".index-456", time.Minute, true},
		{"other.txt", indexMaxAge * 2, true},
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-f.age), now.Add(-f.age)); err != nil {
			t.Fatal(err)
		}
	}
	loaded(t, root) // writes this folder's index, then prunes
	for _, f := range files {
		_, err := os.Stat(filepath.Join(dir, f.name))
		if kept := err == nil; kept != f.kept {
			t.Errorf("%s kept = %v, want %v", f.name, kept, f.kept)
		}
	}
	if _, err := os.Stat(indexPath(t, root)); err != nil {
		t.Errorf("the new index is gone: %v", err)
	}
}

// decodeIndex decodes a whole index as a run does, files then headers;
// sum is the CRC-32 (IEEE) of data.
func decodeIndex(data string, sum uint32) (*graphIndex, error) {
	ix, headers, err := decodeFiles(data, sum)
	if err != nil {
		return nil, err
	}
	if err := headers.decode(ix); err != nil {
		return nil, err
	}
	return ix, nil
}
