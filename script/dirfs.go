package script

import (
	"io/fs"
	"os"
	"path/filepath"
)

// DirFS is os.DirFS(root) with a ReadFile that costs fewer system calls
// per file where the platform allows (no poller registration), which
// matters when a command reads thousands of revision files.
func DirFS(root string) fs.FS { return dirFS{FS: os.DirFS(root), root: root} }

type dirFS struct {
	fs.FS
	root string
}

// ReadFile implements fs.ReadFileFS.
func (d dirFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	return readFile(filepath.Join(d.root, filepath.FromSlash(name)))
}

// ReadDir implements fs.ReadDirFS.
func (d dirFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(d.FS, name) }
