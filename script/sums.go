package script

import (
	"encoding/binary"
	"hash/crc32"
	"os"
	"sync"
)

// The checksums of revision files are kept beside the graph index, in
// the index's file name with ".sums" added, so that a command that
// needs no checksum (heads, history) does not read them. Layout, as the
// index's (varints, strings their length then their bytes):
//
//	magic, when the run that computed them began stamping files, the
//	key they were computed under (see Script.SetChecksum)
//	files: count, then per file its path, stamp and checksum
//	CRC-32 (IEEE) of all the above, 4 bytes little-endian
//
// A checksum counts for a file whose stamp this run found equal to the
// one kept and older than the racy window before that run began: the
// file is then what that run read (the headers' rule).
const sumsMagic = "retort checksums 1\n"

// indexRef ties the scripts of one [Load] to the graph index they were
// loaded with and to the files as that run found them.
type indexRef struct {
	file    string // the index; the checksums are in file + ".sums"
	started int64  // when this run began stamping files (Unix ns)
	paths   []string
	stamps  []fileStamp
	out     []parsed // the scripts, by position

	mu     sync.Mutex
	loaded bool // the checksums file was read
	dirty  bool // a checksum was set that the file does not hold
}

// CachedChecksum returns the checksum kept for s under key: one that
// [Script.SetChecksum] set in an earlier run and that still holds for
// the file as it is (its size, mtime, inode and ctime are those that run
// found, and it was not modified within two seconds before that run
// began, the rule the graph index's headers follow), or one set in this
// process. It reports false for a script loaded without the index.
func (s *Script) CachedChecksum(key string) (string, bool) {
	if s.ref == nil {
		return "", false
	}
	s.ref.mu.Lock()
	defer s.ref.mu.Unlock()
	s.ref.load()
	if s.sum == "" || s.sumKey != key {
		return "", false
	}
	return s.sum, true
}

// SetChecksum keeps sum as the checksum of s's file under key (what
// the caller computed it with: a later key leaves the checksums kept
// under another unused), for this process and, through [SaveChecksums],
// for later runs, tied to the file's stamp as this run found it. The
// sum must be of the file's content as read in this process. It does
// nothing for a script loaded without the index.
func (s *Script) SetChecksum(key, sum string) {
	if s.ref == nil || key == "" || sum == "" {
		return
	}
	s.ref.mu.Lock()
	defer s.ref.mu.Unlock()
	s.ref.load()
	if s.sumKey != key || s.sum != sum {
		s.sumKey, s.sum = key, sum
		s.ref.dirty = true
	}
}

// SaveChecksums writes the checksums kept for the scripts' files again
// when one was set since they were loaded ([Script.SetChecksum]); errors
// are ignored, as the checksums only save time.
func SaveChecksums(scripts []*Script) {
	for _, s := range scripts {
		if r := s.ref; r != nil {
			r.mu.Lock()
			if r.dirty && writeAtomic(r.file+".sums", r.encode()) {
				r.dirty = false
			}
			r.mu.Unlock()
			return
		}
	}
}

// load reads the checksums file once, giving each script whose file
// still has the stamp it was kept under its checksum. r.mu is held.
func (r *indexRef) load() {
	if r.loaded {
		return
	}
	r.loaded = true
	data, err := os.ReadFile(r.file + ".sums")
	if err != nil {
		return
	}
	started, key, byPath, ok := decodeSums(data)
	if !ok {
		return
	}
	racyBefore := started - int64(racyWindow)
	for i, p := range r.paths {
		k, ok := byPath[p]
		s := r.out[i].s
		if ok && s != nil && s.sum == "" && k.sum != "" && k.stamp == r.stamps[i] && k.stamp.MtimeNs < racyBefore {
			s.sumKey, s.sum = key, k.sum
		}
	}
}

// keptSum is a checksum of the checksums file, with the stamp of the
// file it is of.
type keptSum struct {
	stamp fileStamp
	sum   string
}

// decodeSums reads a checksums file (see sumsMagic); ok is false when it
// is not one or is damaged.
func decodeSums(data []byte) (started int64, key string, byPath map[string]keptSum, ok bool) {
	if len(data) < len(sumsMagic)+4 || string(data[:len(sumsMagic)]) != sumsMagic ||
		crc32.ChecksumIEEE(data) != crcResidue {
		return 0, "", nil, false
	}
	d := decoder{s: string(data[len(sumsMagic) : len(data)-4])}
	started, key = d.int(), d.str()
	n := d.count(6) // a path, a stamp and a sum take 6 bytes at least
	byPath = make(map[string]keptSum, n)
	for range n {
		p, st, sum := d.str(), d.stamp(), d.str()
		byPath[p] = keptSum{st, sum}
	}
	if d.err != nil || d.s != "" || key == "" {
		return 0, "", nil, false
	}
	return started, key, byPath, true
}

// encode renders the checksums file: the files of the key most of the
// kept checksums have, with their stamps as this run found them. r.mu
// is held.
func (r *indexRef) encode() []byte {
	count := map[string]int{}
	key := ""
	for i := range r.out {
		if s := r.out[i].s; s != nil && s.sum != "" {
			count[s.sumKey]++
			if key == "" || count[s.sumKey] > count[key] {
				key = s.sumKey
			}
		}
	}
	w := encoder{b: make([]byte, 0, 64+len(r.paths)*128)}
	w.b = append(w.b, sumsMagic...)
	w.int(r.started)
	w.str(key)
	n := 0
	for i := range r.out {
		if s := r.out[i].s; s != nil && s.sum != "" && s.sumKey == key {
			n++
		}
	}
	w.uint(uint64(n))
	for i, p := range r.paths {
		if s := r.out[i].s; s != nil && s.sum != "" && s.sumKey == key {
			w.str(p)
			w.stamp(r.stamps[i])
			w.str(s.sum)
		}
	}
	return binary.LittleEndian.AppendUint32(w.b, crc32.ChecksumIEEE(w.b))
}
