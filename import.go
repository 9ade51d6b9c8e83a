package retort

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/retortdb/retort/importer"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/script"
)

// ImportRequest says what [Env.Import] converts.
type ImportRequest struct {
	// Format is the old tool.
	Format importer.Format
	// Dir is the old tool's migration folder on disk.
	Dir string
	// VersionPath is the version location to write into; "" is the only
	// one there is.
	VersionPath string
	// DryRun converts and checks everything and writes nothing.
	DryRun bool
	// Progress, when set, is called before (done false) and after (done
	// true) each file is written, n counting from 1: the place for a
	// progress line when hundreds of files are imported.
	Progress func(n, total int, path string, done bool, err error)
}

// ImportResult is what [Env.Import] did.
type ImportResult struct {
	*importer.Result
	// Dir is the folder the files are (or, in a dry run, would be)
	// written in.
	Dir string
	// Written are the paths written, in chain order; none in a dry run.
	Written []string
	// Existing are the ids of imported revisions the environment already
	// has from an earlier import of the same folder (left as they are).
	Existing []string
}

// Import converts the old tool's folder req.Dir into retort revisions
// (see package importer) and writes them into the environment's version
// location, a linear chain in the tool's version order. The SQL is
// checked with the engine's splitter when the environment has one.
// Importing the same folder again writes only the versions added since,
// on top of the revisions imported before; an environment with other
// revisions is refused, since adopting relies on the chain holding
// exactly the tool's migrations. Problems in the folder come back as an
// [*importer.Error] (bad input), and then nothing is written.
func (e *Env) Import(ctx context.Context, req ImportRequest) (*ImportResult, error) {
	if _, err := importer.ParseFormat(string(req.Format)); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(req.Dir); err != nil || !fi.IsDir() {
		return nil, fault.BadInput(fmt.Errorf("%s is not a folder; give the %s migration folder to import", req.Dir, req.Format))
	}
	dir, err := e.versionDir(nil, req.VersionPath)
	if err != nil {
		return nil, err
	}
	opts := importer.Options{FileTemplate: e.cfg.FileTemplate, TruncateSlug: e.cfg.TruncateSlugLength}
	if e.dialect != nil {
		so := e.dialect.SplitOptions()
		opts.Split = &so
	}
	if opts.GoPackage, err = script.GoPackage(dir); err != nil {
		return nil, err
	}
	res, err := importer.Convert(os.DirFS(req.Dir), ".", req.Format, opts)
	out := &ImportResult{Result: res, Dir: dir}
	if err != nil {
		return out, err
	}
	todo, err := e.newImports(out)
	if err != nil {
		return out, err
	}
	if len(todo) > 0 && len(out.Existing) > 0 {
		// Go on from the last revision imported before.
		opts.Revises = out.Existing[len(out.Existing)-1]
		if err := importer.Render(todo, req.Format, opts); err != nil {
			return out, err
		}
	}
	out.Revisions = todo
	for _, r := range todo {
		path := filepath.Join(dir, filepath.FromSlash(r.File))
		if _, err := os.Stat(path); err == nil {
			return out, fault.BadInput(fmt.Errorf("%s already exists; remove it or change file_template", path))
		}
	}
	if req.DryRun {
		return out, ctx.Err()
	}
	for i, r := range todo {
		path := filepath.Join(dir, filepath.FromSlash(r.File))
		if req.Progress != nil {
			req.Progress(i+1, len(todo), path, false, nil)
		}
		err := writeNew(path, r.Content)
		if req.Progress != nil {
			req.Progress(i+1, len(todo), path, true, err)
		}
		if err != nil {
			return out, err
		}
		out.Written = append(out.Written, path)
	}
	return out, nil
}

// newImports returns the converted revisions the environment does not
// have yet, filling out.Existing with those it has. Revisions of the
// environment that are not from this import make it refuse.
func (e *Env) newImports(out *ImportResult) ([]importer.Revision, error) {
	if e.graph.Len() == 0 {
		return out.Revisions, nil
	}
	mine := map[string]bool{}
	var todo []importer.Revision
	for _, r := range out.Revisions {
		have := e.graph.Get(r.ID)
		if have == nil {
			todo = append(todo, r)
			continue
		}
		origin := string(out.Format) + " " + r.Source
		if s := e.scriptOf(r.ID); (s == nil || s.ImportedFrom != origin) && !r.Go {
			return nil, fault.BadInput(fmt.Errorf("revision %s (%s) is already in the environment, and not imported from %s; import into an empty version location", r.ID, have.Source, origin))
		}
		if len(todo) > 0 {
			return nil, fault.BadInput(fmt.Errorf("%s %s was imported before, but %s, a version before it, was not; the old folder gained a version in the middle: import it into an empty version location", out.Format, r.Source, todo[0].Source))
		}
		mine[r.ID] = true
		out.Existing = append(out.Existing, r.ID)
	}
	for _, r := range e.graph.Revisions() {
		if !mine[r.ID] {
			return nil, fault.BadInput(fmt.Errorf("the environment already has revision %s (%s), not imported from this %s folder; import into an empty version location (retort init a new environment, or set version_locations)", r.ID, r.Source, out.Format))
		}
	}
	return todo, nil
}
