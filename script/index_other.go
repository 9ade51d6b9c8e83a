//go:build !linux

package script

import (
	"os"
	"path/filepath"
)

// statter stamps the files of a run by their paths.
type statter struct{ root string }

func newStatter(root string) *statter { return &statter{root: root} }

func (s *statter) open(string) {}
func (s *statter) close()      {}

// stat stamps file p (slash-separated, relative to the root); buf is
// the Linux version's scratch space.
func (s *statter) stat(p string, _ *[]byte) (fileStamp, bool) {
	st, ok := statOS(filepath.Join(s.root, filepath.FromSlash(p)))
	return st.portable(), ok
}

// statOS stamps the file at path with its size and mtime; the racy
// rule covers an edit that keeps both.
func statOS(path string) (fileStamp, bool) {
	info, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, false
	}
	return fileStamp{Size: info.Size(), MtimeNs: info.ModTime().UnixNano()}, true
}
