package script

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/retortdb/retort/internal/usercache"
)

// indexFormat changes whenever what the graph index holds, or how, changes.
const indexFormat = "retort-graph-index-v1"

// racyWindow is the timestamp granularity assumed of any file system: a
// file whose mtime is not older than the index's write time minus this
// window may have been changed again within the same tick after it was
// read, so it is read again (git's racy-index rule). Two seconds covers
// FAT; finer file systems only re-read a file edited just before.
const racyWindow = 2 * time.Second

// fileStamp is what says a revision file is the one indexed: its size
// and mtime everywhere, plus inode and ctime where the platform has them.
type fileStamp struct {
	Size, MtimeNs, Ino, CtimeNs int64
}

// statFile stamps a file; tests replace it to act as a platform
// without inodes.
var statFile = statOS

// indexEntry is one indexed revision file.
type indexEntry struct {
	Stamp  fileStamp
	Script *Script
}

// graphIndex is the file kept between runs: the parsed revision files of
// one set of version locations.
type graphIndex struct {
	Format  string
	Key     string // the locations it was made for
	Entries map[string]indexEntry
}

// indexFile names the graph index of the locations dirs in the folder
// root, or "" when caching is off.
func indexFile(root string, dirs []string, recursive bool) (file, key string) {
	cdir := usercache.Dir("graphs")
	if cdir == "" {
		return "", ""
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", ""
	}
	h := sha256.New()
	for _, part := range append([]string{indexFormat, abs, strconv.FormatBool(recursive)}, dirs...) {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	key = hex.EncodeToString(h.Sum(nil))
	return filepath.Join(cdir, key+".gob"), key
}

// readIndex returns the index in file and its write time (the file's
// mtime), or nil when it is missing, corrupt, or made for other locations.
func readIndex(file, key string) (*graphIndex, time.Time) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, time.Time{}
	}
	info, err := os.Stat(file)
	if err != nil {
		return nil, time.Time{}
	}
	var ix graphIndex
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&ix) != nil || ix.Format != indexFormat || ix.Key != key {
		return nil, time.Time{}
	}
	return &ix, info.ModTime()
}

// writeIndex writes ix to file through a temporary file and a rename, so
// a reader, or a concurrent writer, never sees half an index. Errors are
// ignored: the index only saves time.
func writeIndex(file string, ix *graphIndex) {
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(ix) != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(file), 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".index-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		_ = os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), file) != nil {
		_ = os.Remove(tmp.Name())
	}
}

// parseIndexed is parseAll for files on disk under d.root, reusing the
// parse of every file whose stamp matches the graph index and that is not
// racy, and writing a new index when anything was read.
func parseIndexed(d dirFS, dirs []string, recursive bool, paths []string) []parsed {
	file, key := indexFile(d.root, dirs, recursive)
	if file == "" {
		return parseAll(d, paths)
	}
	old, written := readIndex(file, key)
	racyBefore := written.Add(-racyWindow).UnixNano()
	out := make([]parsed, len(paths))
	stamps := make([]fileStamp, len(paths))
	stamped := make([]bool, len(paths))
	var reread atomic.Bool
	workers := min(runtime.GOMAXPROCS(0), len(paths)/64+1)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(paths) {
					return
				}
				st, ok := statFile(filepath.Join(d.root, filepath.FromSlash(paths[i])))
				stamps[i], stamped[i] = st, ok
				if ok && old != nil && st.MtimeNs < racyBefore {
					if e, hit := old.Entries[paths[i]]; hit && e.Stamp == st && e.Script != nil {
						out[i].s = e.Script
						continue
					}
				}
				reread.Store(true)
				out[i] = parseOne(d, paths[i])
			}
		})
	}
	wg.Wait()
	if !reread.Load() && old != nil && len(old.Entries) == len(paths) {
		return out
	}
	ix := &graphIndex{Format: indexFormat, Key: key, Entries: make(map[string]indexEntry, len(paths))}
	for i, p := range paths {
		if out[i].err == nil && stamped[i] {
			ix.Entries[p] = indexEntry{Stamp: stamps[i], Script: out[i].s}
		}
	}
	writeIndex(file, ix)
	return out
}
