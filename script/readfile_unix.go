//go:build unix

package script

import (
	"io/fs"
	"sync"
	"syscall"
)

var scratch = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// readFile reads path with plain open/read/close: regular files never
// block on the network poller, so registering with it is wasted work, and
// a short read of a regular file is its end, so a small file costs three
// system calls.
func readFile(path string) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	bp := scratch.Get().(*[]byte)
	defer scratch.Put(bp)
	buf := *bp
	var out []byte
	for {
		n, err := syscall.Read(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		out = append(out, buf[:n]...)
		if n < len(buf) {
			if out == nil {
				out = []byte{}
			}
			return out, nil
		}
	}
}
