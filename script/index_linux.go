//go:build linux

package script

import (
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// statter stamps the files of a run. On Linux it keeps each folder open
// (O_PATH) and stamps a file by its name in the folder (fstatat), which
// spares the kernel walking the whole path for each of thousands of
// files.
type statter struct {
	root string
	fds  map[string]int // folder (slash-separated, clean) -> descriptor
	// noStatx is set once statx turned out to be missing.
	noStatx atomic.Bool
}

func newStatter(root string) *statter { return &statter{root: root, fds: map[string]int{}} }

// open keeps folder dir open for stat; call it before any stat runs.
func (s *statter) open(dir string) {
	dir = path.Clean(dir)
	if _, ok := s.fds[dir]; ok {
		return
	}
	for {
		fd, err := unix.Open(filepath.Join(s.root, filepath.FromSlash(dir)), unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err == unix.EINTR {
			continue
		}
		if err == nil {
			s.fds[dir] = fd
		}
		return
	}
}

func (s *statter) close() {
	for _, fd := range s.fds {
		_ = unix.Close(fd)
	}
}

// stat stamps file p (slash-separated, relative to the root); it may run
// on several goroutines at once, each with its own buf (scratch space
// for the name, so that stamping thousands of files allocates nothing).
func (s *statter) stat(p string, buf *[]byte) (fileStamp, bool) {
	dir, name := ".", p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		dir, name = p[:i], p[i+1:]
	}
	fd, ok := s.fds[dir]
	if !ok || s.noStatx.Load() {
		st, ok := statOS(filepath.Join(s.root, filepath.FromSlash(p)))
		return st.portable(), ok
	}
	b := append(append((*buf)[:0], name...), 0)
	*buf = b
	var stx unix.Statx_t
	for {
		_, _, errno := unix.Syscall6(unix.SYS_STATX, uintptr(fd), uintptr(unsafe.Pointer(&b[0])),
			unix.AT_STATX_SYNC_AS_STAT, statxMask, uintptr(unsafe.Pointer(&stx)), 0)
		switch errno {
		case 0:
			return fileStamp{
				Size:    int64(stx.Size),
				MtimeNs: stx.Mtime.Sec*1e9 + int64(stx.Mtime.Nsec),
				Ino:     int64(stx.Ino),
				CtimeNs: stx.Ctime.Sec*1e9 + int64(stx.Ctime.Nsec),
			}.portable(), true
		case unix.EINTR:
			continue
		case unix.ENOSYS, unix.EPERM:
			// A kernel before 4.11, or a sandbox that filters statx.
			s.noStatx.Store(true)
			st, ok := statOS(filepath.Join(s.root, filepath.FromSlash(p)))
			return st.portable(), ok
		}
		return fileStamp{}, false
	}
}

// statxMask asks statx for what a stamp holds.
const statxMask = unix.STATX_SIZE | unix.STATX_MTIME | unix.STATX_INO | unix.STATX_CTIME

// statOS stamps the file at path with size, mtime, inode and ctime.
func statOS(path string) (fileStamp, bool) {
	var st unix.Stat_t
	for {
		err := unix.Stat(path, &st)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fileStamp{}, false
		}
		return stampOf(&st), true
	}
}

func stampOf(st *unix.Stat_t) fileStamp {
	return fileStamp{
		Size:    st.Size,
		MtimeNs: st.Mtim.Nano(),
		Ino:     int64(st.Ino),
		CtimeNs: st.Ctim.Nano(),
	}
}
