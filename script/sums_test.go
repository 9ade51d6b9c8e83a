package script

import (
	"maps"
	"slices"
	"testing"
	"time"
)

// load loads root/versions with the graph index, by id.
func loadByID(t *testing.T, root string) map[string]*Script {
	t.Helper()
	scripts, err := Load(DirFS(root), []string{"versions"}, LoadOptions{Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*Script{}
	for _, s := range scripts {
		out[s.Rev.ID] = s
	}
	return out
}

// TestIndexChecksums: a checksum set on a script is kept in the graph
// index for later runs, under its key, for as long as the file keeps
// the stamp that run found; an edited, new or just-written file has
// none.
func TestIndexChecksums(t *testing.T) {
	root := indexDir(t, "a1", "b2", "c3")
	s := loadByID(t, root)
	if _, ok := s["a1"].CachedChecksum("k1"); ok {
		t.Fatal("a checksum before any was set")
	}
	s["a1"].SetChecksum("k1", "sum-a")
	s["b2"].SetChecksum("k1", "sum-b")
	if got, ok := s["a1"].CachedChecksum("k1"); !ok || got != "sum-a" {
		t.Errorf("in the same process: %q, %v", got, ok)
	}
	SaveChecksums([]*Script{s["c3"], s["a1"]})

	s = loadByID(t, root)
	for id, want := range map[string]string{"a1": "sum-a", "b2": "sum-b", "c3": ""} {
		got, ok := s[id].CachedChecksum("k1")
		if got != want || ok != (want != "") {
			t.Errorf("%s after a save: %q, %v; want %q", id, got, ok, want)
		}
		if _, ok := s[id].CachedChecksum("k2"); ok {
			t.Errorf("%s: a checksum under another key", id)
		}
	}

	// a1 edited (its stamp changes), d4 added, b2 kept.
	writeRev(t, root, "a1.sql", "a1", "", "SELECT 2; -- edited", time.Now().Add(-time.Hour))
	writeRev(t, root, "d4.sql", "d4", "c3", "SELECT 1;", time.Now().Add(-time.Hour))
	oldDir(t, root+"/versions")
	s = loadByID(t, root)
	if _, ok := s["a1"].CachedChecksum("k1"); ok {
		t.Error("a1 keeps its checksum after an edit")
	}
	if got, ok := s["b2"].CachedChecksum("k1"); !ok || got != "sum-b" {
		t.Errorf("b2 after another file changed: %q, %v", got, ok)
	}
	if _, ok := s["d4"].CachedChecksum("k1"); ok {
		t.Error("a new file has a checksum")
	}

	// A file modified within the racy window keeps none: it may change
	// again within its mtime's tick.
	writeRev(t, root, "c3.sql", "c3", "b2", "SELECT 3;", time.Time{})
	s = loadByID(t, root)
	s["c3"].SetChecksum("k1", "sum-c")
	SaveChecksums([]*Script{s["c3"]})
	s = loadByID(t, root)
	if _, ok := s["c3"].CachedChecksum("k1"); ok {
		t.Error("a file written just now keeps its checksum")
	}
	if got, ok := s["b2"].CachedChecksum("k1"); !ok || got != "sum-b" {
		t.Errorf("b2 after c3 changed: %q, %v", got, ok)
	}
}

// TestChecksumsWithoutIndex: with caching off, nothing is kept.
func TestChecksumsWithoutIndex(t *testing.T) {
	root := indexDir(t, "a1")
	t.Setenv("RETORT_CACHE", "off")
	s := loadByID(t, root)
	s["a1"].SetChecksum("k1", "sum-a")
	if _, ok := s["a1"].CachedChecksum("k1"); ok {
		t.Error("a checksum kept with caching off")
	}
	SaveChecksums([]*Script{s["a1"]})
}

// FuzzDecodeSums: whatever a checksums file holds, reading it does not
// panic, and what it reads as valid writes back to the same.
func FuzzDecodeSums(f *testing.F) {
	r := &indexRef{started: 42, paths: []string{"versions/a.sql", "versions/b.sql"},
		stamps: []fileStamp{{1, 2, 3, 4}, {5, 6, 7, 8}},
		out:    []parsed{{s: &Script{sumKey: "k", sum: "sha256:aa"}}, {s: &Script{}}}}
	good := r.encode()
	f.Add(good)
	f.Add([]byte(sumsMagic))
	f.Add(good[:len(good)-5])
	f.Fuzz(func(t *testing.T, data []byte) {
		started, key, byPath, ok := decodeSums(data)
		if !ok {
			return
		}
		again := &indexRef{started: started}
		for _, p := range slices.Sorted(maps.Keys(byPath)) {
			k := byPath[p]
			if k.sum == "" {
				continue // not written back: no checksum
			}
			again.paths = append(again.paths, p)
			again.stamps = append(again.stamps, k.stamp)
			again.out = append(again.out, parsed{s: &Script{sumKey: key, sum: k.sum}})
		}
		if len(again.paths) == 0 {
			return
		}
		s2, k2, m2, ok := decodeSums(again.encode())
		if !ok || s2 != started || k2 != key {
			t.Fatalf("written back: %v %d %q", ok, s2, k2)
		}
		for _, p := range again.paths {
			if m2[p] != byPath[p] {
				t.Fatalf("%q: %v, read %v", p, m2[p], byPath[p])
			}
		}
	})
	started, key, byPath, ok := decodeSums(good)
	if !ok || started != 42 || key != "k" || len(byPath) != 1 || byPath["versions/a.sql"] != (keptSum{fileStamp{1, 2, 3, 4}, "sha256:aa"}) {
		f.Errorf("round trip: %v %d %q %v", ok, started, key, byPath)
	}
}
