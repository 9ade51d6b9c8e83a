package script

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/internal/par"
)

// LoadOptions tune [Load].
type LoadOptions struct {
	// Recursive also reads the sub-directories of each directory
	// (Alembic's recursive_version_locations).
	Recursive bool
	// Lazy lets Load take the headers of unchanged files from the graph
	// index kept in the user's cache folder, when fsys is a [DirFS] and
	// caching is on (RETORT_CACHE is not "off"); the SQL of such a
	// script is read from its file when [Script.UpgradeStatements] or
	// [Script.DowngradeStatements] first needs it. A file counts as
	// unchanged when its size, mtime, inode and ctime (size and mtime
	// where there are no inodes) are those indexed and it was not
	// modified within two seconds of the index being made.
	Lazy bool
}

// Load reads and parses every revision file, *.sql, in the directories
// dirs of fsys (slash-separated paths inside fsys), skipping files and
// directories whose names start with '.' or '_'. Scripts come in the
// order of dirs, then sorted by path within each; a file reached twice
// through overlapping dirs is read once.
//
// Load reports every malformed file at once, joined with errors.Join, and
// duplicate revision ids across files, naming both files. On any error it
// returns no scripts.
func Load(fsys fs.FS, dirs []string, opts LoadOptions) ([]*Script, error) {
	var paths []string
	var parsed []parsed
	indexed := false
	if d, ok := fsys.(dirFS); ok && opts.Lazy {
		var err error
		if paths, parsed, indexed, err = loadIndexed(d, dirs, opts.Recursive); err != nil {
			return nil, err
		}
	}
	if !indexed {
		var err error
		if paths, err = listDirs(fsys, dirs, opts.Recursive, nil); err != nil {
			return nil, err
		}
		parsed = parseAll(fsys, paths)
	}
	scripts := make([]*Script, 0, len(paths))
	var errs []error
	byID := make(map[string]*Script, len(paths))
	for i, p := range paths {
		s, err := parsed[i].s, parsed[i].err
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if first, ok := byID[s.Rev.ID]; ok {
			errs = append(errs, fault.BadInput(&ParseError{
				File: p, Line: s.Rev.Source.Line,
				Msg:  "revision id " + s.Rev.ID + " is also declared in " + first.Rev.Source.String(),
				Hint: "give one of them a new id ('retort revision' makes one) and fix the revisions that name it",
			}))
			continue
		}
		byID[s.Rev.ID] = s
		scripts = append(scripts, s)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return scripts, nil
}

// listDirs returns the paths of the revision files in dirs, in the order
// of dirs and sorted within each, each path once. It calls onDir, when
// not nil, with each folder it is about to list.
func listDirs(fsys fs.FS, dirs []string, recursive bool, onDir func(string)) ([]string, error) {
	var paths []string
	seen := make(map[string]bool)
	for _, dir := range dirs {
		found, err := list(fsys, dir, recursive, onDir)
		if err != nil {
			return nil, err
		}
		for _, p := range found {
			if !seen[p] {
				seen[p] = true
				paths = append(paths, p)
			}
		}
	}
	return paths, nil
}

// list returns the sorted paths of the revision files in dir.
func list(fsys fs.FS, dir string, recursive bool, onDir func(string)) ([]string, error) {
	dir = path.Clean(dir)
	if !fs.ValidPath(dir) {
		return nil, fault.BadInput(fmt.Errorf("versions directory %q is not a valid path inside the script location; use a relative, slash-separated path", dir))
	}
	var paths []string
	if !recursive {
		// ReadDir first: some file systems (fstest.MapFS) make a Stat of
		// a directory as costly as listing it.
		if onDir != nil {
			onDir(dir)
		}
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, dirError(fsys, dir, err)
		}
		for _, e := range entries {
			if !e.IsDir() && isRevisionFile(e.Name()) {
				paths = append(paths, path.Join(dir, e.Name()))
			}
		}
		return paths, nil // fs.ReadDir sorts by name
	}
	if info, err := fs.Stat(fsys, dir); err != nil || !info.IsDir() {
		return nil, dirError(fsys, dir, err)
	}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case p == dir || d.IsDir() && !skipName(d.Name()):
			if onDir != nil && d.IsDir() {
				onDir(p)
			}
		case d.IsDir():
			return fs.SkipDir
		case !d.IsDir() && isRevisionFile(d.Name()):
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("versions directory %s: %w", dir, err)
	}
	slices.Sort(paths)
	return paths, nil
}

// dirError explains why dir cannot be listed; err is the listing's error,
// or nil when dir is not a directory.
func dirError(fsys fs.FS, dir string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fault.BadInput(&missingDirError{dir: dir})
	}
	if info, serr := fs.Stat(fsys, dir); serr == nil && !info.IsDir() {
		return fault.BadInput(fmt.Errorf("versions directory %s is not a directory; fix script_location", dir))
	}
	return fmt.Errorf("versions directory %s: %w", dir, err)
}

func isRevisionFile(name string) bool {
	return strings.HasSuffix(name, ".sql") && !skipName(name)
}

func skipName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

type parsed struct {
	s   *Script
	err error
}

// parseAll reads and parses paths on every core: loading thousands of
// revisions is most of what a read-only command does.
func parseAll(fsys fs.FS, paths []string) []parsed {
	out := make([]parsed, len(paths))
	parseEach(fsys, paths, nil, out)
	return out
}

// parseEach parses the files paths[i] for each i in which (every path
// when which is nil) into out[i], on several goroutines.
func parseEach(fsys fs.FS, paths []string, which []int, out []parsed) {
	n := len(which)
	if which == nil {
		n = len(paths)
	}
	par.For(n, 64, func(k int) {
		i := k
		if which != nil {
			i = which[k]
		}
		out[i] = parseOne(fsys, paths[i])
	})
}

// parseOne reads and parses the revision file p.
func parseOne(fsys fs.FS, p string) parsed {
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return parsed{err: fault.BadInput(fmt.Errorf("revision file %s cannot be read (%w); make it a readable file, or remove it from the versions folder", p, err))}
	}
	s, err := Parse(p, src)
	return parsed{s: s, err: err}
}

// missingDirError reports a version location that does not exist; it
// matches fs.ErrNotExist, so a caller with Go revisions only can go on.
type missingDirError struct{ dir string }

func (e *missingDirError) Error() string {
	return fmt.Sprintf("versions directory %s does not exist; run 'retort init' or fix script_location", e.dir)
}

func (e *missingDirError) Is(target error) bool { return target == fs.ErrNotExist }
