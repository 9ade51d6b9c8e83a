package script

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"time"

	"github.com/retortdb/retort/revision"
)

// The graph index is a flat binary file, written and read by hand: a
// graph command decodes thousands of entries before it can print
// anything, and a reflection-driven decoder (encoding/gob) cost more than
// the rest of the command. Layout, every integer a varint and every
// string its length (uvarint) then its bytes:
//
//	magic, key, when its run began stamping files
//	folders: count, then per folder its path and stamp
//	files: count, then per file its path and stamp
//	headers: per file, in the same order, 0 (the file did not parse) or
//	1 and the script's header
//	CRC-32 (IEEE) of all the above, 4 bytes little-endian
//
// A stamp is size, mtime, inode and ctime. The header is everything of
// a Script but the SQL of its sections (see Script.lazy): id, revises,
// branch labels, depends on, message, doc, create date (a flag, then
// Unix seconds, nanoseconds and the zone's offset in seconds, -1 for
// UTC), flags, the lines of the header and of both
// sections, warnings, imported from.
const indexMagic = "retort graph index 4\n"

// Flag bits of an encoded header.
const (
	flagNoTransaction = 1 << iota
	flagCommitBefore
	flagHasDowngrade
)

// encodeIndex renders ix; each entry's Script must not be nil.
func encodeIndex(ix *graphIndex) []byte {
	size := len(indexMagic) + len(ix.key) + 64
	for _, e := range ix.entries {
		size += 2*len(e.path) + 128
		if e.s != nil {
			size += len(e.s.Rev.Message) + len(e.s.Rev.Doc)
		}
	}
	w := encoder{b: make([]byte, 0, size)}
	w.b = append(w.b, indexMagic...)
	w.str(ix.key)
	w.int(ix.started)
	w.uint(uint64(len(ix.dirs)))
	for _, d := range ix.dirs {
		w.str(d.path)
		w.stamp(d.stamp)
	}
	w.uint(uint64(len(ix.entries)))
	for _, e := range ix.entries {
		w.str(e.path)
		w.stamp(e.stamp)
	}
	// The headers come after every path and stamp, so that a reader can
	// start stamping files before it decodes them.
	for _, e := range ix.entries {
		s := e.s
		if s == nil {
			w.uint(0)
			continue
		}
		w.uint(1)
		r := s.Rev
		w.str(r.ID)
		w.strs(r.Revises)
		w.strs(r.BranchLabels)
		w.strs(r.DependsOn)
		w.str(r.Message)
		w.str(r.Doc)
		if d := r.CreateDate; d.IsZero() {
			w.uint(0)
		} else {
			w.uint(1)
			w.int(d.Unix())
			w.int(int64(d.Nanosecond()))
			if d.Location() == time.UTC {
				w.int(-1)
			} else {
				_, off := d.Zone()
				w.int(int64(off))
			}
		}
		var flags uint64
		if r.NoTransaction {
			flags |= flagNoTransaction
		}
		if r.CommitBefore {
			flags |= flagCommitBefore
		}
		if s.HasDowngrade {
			flags |= flagHasDowngrade
		}
		w.uint(flags)
		w.int(int64(r.Source.Line))
		w.int(int64(s.Upgrade.Line))
		w.int(int64(s.Downgrade.Line))
		w.strs(s.Warnings)
		w.str(s.ImportedFrom)
	}
	return binary.LittleEndian.AppendUint32(w.b, crc32.ChecksumIEEE(w.b))
}

var errCorrupt = errors.New("corrupt graph index")

const crcResidue = 0x2144df1c

// decodeFiles reads an index up to its files' paths and stamps (the
// entries' scripts are nil) and returns what decodes their headers.
func decodeFiles(data string, sum uint32) (*graphIndex, *headerDecoder, error) {
	if len(data) < len(indexMagic)+4 || data[:len(indexMagic)] != indexMagic {
		return nil, nil, errCorrupt
	}
	// A message followed by its own CRC-32, little-endian, always sums
	// to this constant (the CRC's residue).
	if sum != crcResidue {
		return nil, nil, errCorrupt
	}
	r := decoder{s: data[len(indexMagic) : len(data)-4]}
	ix := &graphIndex{key: r.str(), started: r.int()}
	ndirs := r.count(5)
	ix.dirs = make([]dirStamp, ndirs)
	for i := range ix.dirs {
		ix.dirs[i] = dirStamp{path: r.str(), stamp: r.stamp()}
	}
	// Each file takes at least 6 bytes here and 1 among the headers.
	n := r.count(7)
	if r.err != nil {
		return nil, nil, r.err
	}
	ix.entries = make([]indexEntry, n)
	for i := range ix.entries {
		ix.entries[i] = indexEntry{path: r.str(), stamp: r.stamp()}
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	return ix, &headerDecoder{r: r}, nil
}

// headerDecoder reads the headers part of an index.
type headerDecoder struct{ r decoder }

// decode fills the scripts of ix's entries; on error, it leaves them
// all nil.
func (h *headerDecoder) decode(ix *graphIndex) error {
	r := &h.r
	n := len(ix.entries)
	// One allocation each for all scripts, revisions and lists.
	scripts := make([]Script, n)
	revs := make([]revision.Revision, n)
	for i := range ix.entries {
		e := &ix.entries[i]
		if r.uint() == 0 {
			continue
		}
		s, rev := &scripts[i], &revs[i]
		s.Rev, s.Path = rev, e.path
		rev.Source.File = e.path
		rev.ID = r.str()
		rev.Revises = r.strs()
		rev.BranchLabels = r.strs()
		rev.DependsOn = r.strs()
		rev.Message = r.str()
		rev.Doc = r.str()
		if r.uint() == 1 {
			rev.CreateDate = r.date()
		}
		flags := r.uint()
		rev.NoTransaction = flags&flagNoTransaction != 0
		rev.CommitBefore = flags&flagCommitBefore != 0
		s.HasDowngrade = flags&flagHasDowngrade != 0
		rev.Source.Line = int(r.int())
		s.Upgrade.Line = int(r.int())
		s.Downgrade.Line = int(r.int())
		s.Warnings = r.strs()
		s.ImportedFrom = r.str()
		if r.err != nil {
			break
		}
	}
	if r.err != nil || r.s != "" {
		return errCorrupt
	}
	for i := range ix.entries {
		if scripts[i].Rev != nil {
			ix.entries[i].s = &scripts[i]
		}
	}
	return nil
}

type encoder struct{ b []byte }

func (w *encoder) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *encoder) int(v int64)   { w.b = binary.AppendVarint(w.b, v) }

func (w *encoder) str(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *encoder) strs(l []string) {
	w.uint(uint64(len(l)))
	for _, s := range l {
		w.str(s)
	}
}

func (w *encoder) stamp(st fileStamp) {
	w.int(st.Size)
	w.int(st.MtimeNs)
	w.int(st.Ino)
	w.int(st.CtimeNs)
}

// decoder reads from s, which shrinks as it goes; after the first
// problem, err is set and every read returns a zero value.
type decoder struct {
	s     string
	err   error
	pool  []string // lists are carved out of it, to save allocations
	zones map[int64]*time.Location
}

func (r *decoder) uint() uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	for i := 0; i < len(r.s) && i < binary.MaxVarintLen64; i++ {
		c := r.s[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			r.s = r.s[i+1:]
			return v
		}
	}
	r.err = errCorrupt
	return 0
}

func (r *decoder) int() int64 {
	u := r.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (r *decoder) str() string {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.s)) {
		r.err = errCorrupt
		return ""
	}
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}

// count reads a number of items, each taking at least min bytes, so
// that a corrupt count cannot ask for a huge allocation.
func (r *decoder) count(min int) int {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.s)/min) {
		r.err = errCorrupt
		return 0
	}
	return int(n)
}

func (r *decoder) strs() []string {
	n := r.count(1)
	if n == 0 {
		return nil
	}
	if cap(r.pool)-len(r.pool) < n {
		r.pool = make([]string, 0, max(n, 1024))
	}
	l := r.pool[len(r.pool) : len(r.pool)+n : len(r.pool)+n]
	r.pool = r.pool[:len(r.pool)+n]
	for i := range l {
		l[i] = r.str()
	}
	return l
}

// date reads what the encoder wrote of a create date. As time.Parse
// does, a date whose offset is the local zone's at that time is in
// time.Local, and another offset is a fixed zone, made once per offset.
func (r *decoder) date() time.Time {
	sec, nsec, off := r.int(), r.int(), r.int()
	t := time.Unix(sec, nsec)
	if off == -1 {
		return t.UTC()
	}
	if _, local := t.Zone(); int64(local) == off {
		return t
	}
	if r.zones == nil {
		r.zones = map[int64]*time.Location{}
	}
	z := r.zones[off]
	if z == nil {
		z = time.FixedZone("", int(off))
		r.zones[off] = z
	}
	return t.In(z)
}

func (r *decoder) stamp() fileStamp {
	return fileStamp{Size: r.int(), MtimeNs: r.int(), Ino: r.int(), CtimeNs: r.int()}
}
