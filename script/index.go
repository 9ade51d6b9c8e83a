package script

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/retortdb/retort/internal/usercache"
)

// indexFormat changes whenever what the graph index holds, or how, changes.
const indexFormat = "retort-graph-index-v4"

// racyWindow is the timestamp granularity assumed of any file system: a
// file whose mtime is not older than the index's write time minus this
// window may have been changed again within the same tick after it was
// read, so it is read again (git's racy-index rule). Two seconds covers
// FAT; finer file systems only re-read a file edited just before.
const racyWindow = 2 * time.Second

// fileStamp is what says a file or folder is the one indexed: its size
// and mtime everywhere, plus inode and ctime where the platform has them.
type fileStamp struct {
	Size, MtimeNs, Ino, CtimeNs int64
}

// noInodes makes stamps hold size and mtime only, as on a platform
// without inodes; tests set it.
var noInodes bool

func (st fileStamp) portable() fileStamp {
	if noInodes {
		st.Ino, st.CtimeNs = 0, 0
	}
	return st
}

// dirStamp is one listed folder of the index: a file added to, removed
// from or renamed in it changes its mtime and ctime.
type dirStamp struct {
	path  string // slash-separated, relative to the root
	stamp fileStamp
}

// indexEntry is one revision file of the index; s is nil for a file
// that did not parse (it is parsed again on every run).
type indexEntry struct {
	path  string
	stamp fileStamp
	s     *Script
}

// graphIndex is the file kept between runs: the folders listed for one
// set of version locations, and the headers of their revision files.
type graphIndex struct {
	key     string
	started int64 // when its run began stamping files (Unix ns)
	dirs    []dirStamp
	entries []indexEntry // in load order
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
	return filepath.Join(cdir, key+".idx"), key
}

// maxIndexSize bounds what readIndex reads: an index of a million
// revisions takes about 200 MB; anything larger is not one of ours.
const maxIndexSize = 1 << 30

// readIndex returns the index in file, up to its files' paths and
// stamps, what decodes the rest (the scripts' headers), and its write
// time (the file's mtime); nil when it is missing, corrupt, or made
// for other locations.
func readIndex(file, key string) (*graphIndex, *headerDecoder, time.Time) {
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, time.Time{}
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxIndexSize {
		return nil, nil, time.Time{}
	}
	// Read into a buffer of the file's size, which the decoded strings
	// then share (nothing writes to it after).
	buf := make([]byte, info.Size())
	if _, err := io.ReadFull(f, buf); err != nil || len(buf) == 0 {
		return nil, nil, time.Time{}
	}
	ix, headers, err := decodeFiles(unsafe.String(&buf[0], len(buf)), crc32.ChecksumIEEE(buf))
	if err != nil || ix.key != key {
		return nil, nil, time.Time{}
	}
	return ix, headers, info.ModTime()
}

// writeIndex writes ix to file through a temporary file and a rename, so
// a reader, or a concurrent writer, never sees half an index. Errors are
// ignored: the index only saves time.
func writeIndex(file string, ix *graphIndex) {
	if writeAtomic(file, encodeIndex(ix)) {
		pruneIndexes(filepath.Dir(file), time.Now())
	}
}

// writeAtomic writes data to file through a temporary file and a
// rename; it reports whether it did.
func writeAtomic(file string, data []byte) bool {
	if os.MkdirAll(filepath.Dir(file), 0o755) != nil {
		return false
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".index-*")
	if err != nil {
		return false
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		_ = os.Remove(tmp.Name())
		return false
	}
	if os.Rename(tmp.Name(), file) != nil {
		_ = os.Remove(tmp.Name())
		return false
	}
	return true
}

// indexMaxAge is how long an index nobody rewrote is kept: one per
// project folder ever used (every test's temporary project too) would
// pile up otherwise.
const indexMaxAge = 30 * 24 * time.Hour

// pruneIndexes removes from the index folder dir what no run will read:
// indexes not written for indexMaxAge (a project still in use rebuilds
// its own on the next run), indexes of the first format (*.gob), and
// temporary files a killed writer left an hour ago or more. It runs only
// after an index was written, which is rare next to reads.
func pruneIndexes(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		var maxAge time.Duration
		switch {
		case strings.HasSuffix(name, ".gob"):
		case strings.HasSuffix(name, ".idx"), strings.HasSuffix(name, ".idx.sums"):
			maxAge = indexMaxAge
		case strings.HasPrefix(name, ".index-"):
			maxAge = time.Hour
		default:
			continue
		}
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && now.Sub(info.ModTime()) >= maxAge {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}

// loadIndexed finds and parses the revision files of dirs under d.root
// as Load does, with the graph index's help: when no listed folder
// changed, the index's file list stands for the listing; every file is
// then stamped (it may have been edited in place), and a file whose
// stamp matches the index and is not racy keeps the index's header,
// its SQL read only when asked for (Script.body). A new index is
// written when anything was listed or read again. ok is false when
// caching is off; the caller then loads without an index.
func loadIndexed(d dirFS, dirs []string, recursive bool) (paths []string, out []parsed, ok bool, err error) {
	file, key := indexFile(d.root, dirs, recursive)
	if file == "" {
		return nil, nil, false, nil
	}
	started := time.Now().UnixNano()
	old, headers, written := readIndex(file, key)
	// The racy window ends when the old index's run began stamping, or
	// when it was written, whichever is earlier.
	racyBefore := written.UnixNano()
	if old != nil {
		racyBefore = min(racyBefore, old.started)
	}
	racyBefore -= int64(racyWindow)
	st := newStatter(d.root)
	defer st.close()

	var listed []dirStamp
	sameList := old != nil && dirsUnchanged(st, old.dirs, racyBefore)
	if sameList {
		listed = old.dirs
		paths = make([]string, len(old.entries))
		for i, e := range old.entries {
			paths[i] = e.path
		}
	} else {
		// Each folder is stamped before it is listed, so that a file
		// added while listing changes the stamp the next run sees.
		paths, err = listDirs(d, dirs, recursive, func(dir string) {
			stamp, _ := st.statDir(dir)
			listed = append(listed, dirStamp{path: dir, stamp: stamp})
		})
		if err != nil {
			return nil, nil, true, err
		}
	}

	// The old entry of each path: by position when the list is the
	// index's own, else by name.
	olds := make([]*indexEntry, len(paths))
	if sameList {
		for i := range olds {
			olds[i] = &old.entries[i]
		}
	} else if old != nil {
		byPath := make(map[string]*indexEntry, len(old.entries))
		for i := range old.entries {
			byPath[old.entries[i].path] = &old.entries[i]
		}
		for i, p := range paths {
			olds[i] = byPath[p]
		}
	}

	for _, l := range listed {
		st.open(l.path)
	}
	// Stamp every file; meanwhile this goroutine decodes the old
	// index's headers, then helps stamping. A file whose stamp is not
	// the indexed one, or is racy, is read again below.
	stamps := make([]fileStamp, len(paths))
	fresh := make([]bool, len(paths))
	var next atomic.Int64
	const chunk = 64
	stampAll := func() {
		var buf []byte
		for {
			lo := int(next.Add(chunk)) - chunk
			if lo >= len(paths) {
				return
			}
			for i := lo; i < min(lo+chunk, len(paths)); i++ {
				stamp, ok := st.stat(paths[i], &buf)
				if !ok {
					stamp = fileStamp{Size: -1} // never matches: read again next time
				}
				stamps[i] = stamp
				fresh[i] = ok && olds[i] != nil && olds[i].stamp == stamp && stamp.MtimeNs < racyBefore
			}
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)/(2*chunk)+1) - 1 {
		wg.Go(stampAll)
	}
	if old != nil && headers.decode(old) != nil {
		clear(olds) // a damaged index: read every file again
	}
	stampAll()
	wg.Wait()

	out = make([]parsed, len(paths))
	lazies := make([]lazyBody, len(paths))
	var fsys fs.FS = d // boxed once for every lazy body
	var reread []int
	for i := range paths {
		if e := olds[i]; fresh[i] && e != nil && e.s != nil {
			lazies[i].fsys = fsys
			e.s.lazy = &lazies[i]
			out[i].s = e.s
			continue
		}
		reread = append(reread, i)
	}
	if len(reread) > 0 {
		parseEach(d, paths, reread, out)
	}
	// The files as this run found them, for the checksums kept beside
	// the index (Script.CachedChecksum).
	ref := &indexRef{file: file, started: started, paths: paths, stamps: stamps, out: out}
	for i := range out {
		if s := out[i].s; s != nil {
			s.ref = ref
		}
	}
	if sameList && len(reread) == 0 {
		return paths, out, true, nil
	}
	ix := &graphIndex{key: key, started: started, dirs: listed, entries: make([]indexEntry, len(paths))}
	for i, p := range paths {
		ix.entries[i] = indexEntry{path: p, stamp: stamps[i], s: out[i].s}
	}
	writeIndex(file, ix)
	return paths, out, true, nil
}

// dirsUnchanged reports whether every folder of an index has its stamp
// and is not racy.
func dirsUnchanged(st *statter, dirs []dirStamp, racyBefore int64) bool {
	if len(dirs) == 0 {
		return false
	}
	for _, l := range dirs {
		stamp, ok := st.statDir(l.path)
		if !ok || stamp != l.stamp || stamp.MtimeNs >= racyBefore {
			return false
		}
	}
	return true
}

// lazyBody reads the SQL of a script whose header came from the index.
type lazyBody struct {
	fsys fs.FS
	once sync.Once
	err  error
}

// body fills s.Upgrade and s.Downgrade from the file, once, checking
// that its header is still the one loaded.
func (s *Script) body() error {
	l := s.lazy
	if l == nil {
		return nil
	}
	l.once.Do(func() {
		r := parseOne(l.fsys, s.Path)
		if r.err != nil {
			l.err = r.err
			return
		}
		if !sameHeader(s, r.s) {
			l.err = &ParseError{File: s.Path, Msg: "the revision file changed while retort was running", Hint: "run the command again"}
			return
		}
		s.Upgrade, s.Downgrade = r.s.Upgrade, r.s.Downgrade
	})
	return l.err
}

// sameHeader reports whether a and b declare the same revision, in the
// same place, with the same sections.
func sameHeader(a, b *Script) bool {
	ra, rb := a.Rev, b.Rev
	return ra.ID == rb.ID && slices.Equal(ra.Revises, rb.Revises) &&
		slices.Equal(ra.BranchLabels, rb.BranchLabels) && slices.Equal(ra.DependsOn, rb.DependsOn) &&
		ra.NoTransaction == rb.NoTransaction && ra.CommitBefore == rb.CommitBefore &&
		ra.Source.Line == rb.Source.Line && a.HasDowngrade == b.HasDowngrade &&
		a.Upgrade.Line == b.Upgrade.Line && a.Downgrade.Line == b.Downgrade.Line
}

// statDir stamps folder dir (slash-separated, relative to the root).
func (s *statter) statDir(dir string) (fileStamp, bool) {
	st, ok := statOS(filepath.Join(s.root, filepath.FromSlash(path.Clean(dir))))
	return st.portable(), ok
}
