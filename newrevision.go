package retort

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/render"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
)

// NewRevision describes a revision file for [Env.WriteRevision] to
// write: Alembic's revision command (one parent, or a new base) and its
// merge command (several parents).
type NewRevision struct {
	// Message is the revision's description.
	Message string
	// Revises names what the new revision builds on, each resolved as a
	// target: none means "head"; "base" starts a new base; several
	// (or "heads" with several heads) make a merge. Each must be a head
	// unless Splice.
	Revises []string
	// Splice allows a parent that is not a head, starting a branch.
	Splice bool
	// BranchLabel, when set, is the new revision's branch label.
	BranchLabel string
	// DependsOn are revisions or branch labels the new revision depends
	// on; a label is kept as written, an id is made full.
	DependsOn []string
	// ID is the new revision's id; empty for a random 12-hex one.
	ID string
	// VersionPath is the version location to write in; empty for the
	// only one, or the first parent's folder when there are several.
	VersionPath string
	// Autogenerate fills the upgrade and downgrade from the difference
	// between the database and the target schema (see [Env.Autogenerate]).
	Autogenerate bool
	// CreateDate is the file's Create Date; zero for now, in the config's
	// timezone.
	CreateDate time.Time
}

// WrittenRevision is the file [Env.WriteRevision] wrote.
type WrittenRevision struct {
	// Path is the file's absolute path; empty when nothing was written
	// (an autogenerate hook dropped the revision: see Skipped).
	Path string
	// ID, Revises, BranchLabels, DependsOn and Message are its header.
	ID           string
	Revises      []string
	BranchLabels []string
	DependsOn    []string
	Message      string
	// Format is what was written: SQL or Go.
	Format config.Format
	// Skipped reports that autogenerate's hook dropped the revision
	// (compare.Directives.Drop), so no file was written.
	Skipped bool
}

func joinComma(s []string) string { return strings.Join(s, ", ") }

func badInputf(format string, a ...any) error {
	return fault.BadInput(fmt.Errorf(format, a...))
}

// WriteRevision writes a new revision file (SQL, or Go when the config
// says format = "go"), as Alembic's revision and
// merge commands do: it resolves the parents and dependencies, checks
// the id and label are new, picks the version location, renders the
// file (SQL, or Go in the package of the Go files beside it) and creates
// it, failing rather than overwriting. The environment's graph is not
// reloaded: open a new [Env] to run the new revision.
func (e *Env) WriteRevision(ctx context.Context, n NewRevision) (*WrittenRevision, error) {
	format := e.cfg.Format
	nf, err := e.newFile(n)
	if err != nil {
		return nil, err
	}
	dir, err := e.versionDir(nf.Revises, n.VersionPath)
	if err != nil {
		return nil, err
	}
	w := &WrittenRevision{Format: format}
	var code *script.GoCode
	if n.Autogenerate {
		if code, w.Skipped, err = e.autogenFile(ctx, &nf, format); err != nil || w.Skipped {
			return w, err
		}
	}
	name, err := script.FileName(e.cfg.FileTemplate, nf, e.cfg.TruncateSlugLength)
	if err != nil {
		return nil, err
	}
	var src []byte
	if format == config.FormatGo {
		name = script.GoFileName(name)
		pkg, err := script.GoPackage(filepath.Dir(filepath.Join(dir, filepath.FromSlash(name))))
		if err != nil {
			return nil, err
		}
		if src, err = script.RenderGo(nf, pkg, code); err != nil {
			return nil, err
		}
	} else {
		src = script.RenderSQL(nf)
		if _, err := script.Parse(name, src); err != nil {
			return nil, fmt.Errorf("the new revision file does not parse back (a bug): %w", err)
		}
	}
	file := filepath.Join(dir, filepath.FromSlash(name))
	if err := writeNew(file, src); err != nil {
		return nil, err
	}
	w.Path, w.ID, w.Message = file, nf.ID, nf.Message
	w.Revises, w.BranchLabels, w.DependsOn = nonNil(nf.Revises), nonNil(nf.BranchLabels), nonNil(nf.DependsOn)
	return w, nil
}

// newFile checks n against the graph and returns the file's header.
func (e *Env) newFile(n NewRevision) (script.NewFile, error) {
	g := e.graph
	id := n.ID
	if id == "" {
		id = script.NewID()
	} else if !revision.ValidID(id) {
		return script.NewFile{}, badInputf("--rev-id %q is not a valid revision identifier: use letters, digits and '_' only", id)
	}
	if r := g.Get(id); r != nil {
		return script.NewFile{}, badInputf("revision %s already exists (%s); choose another --rev-id", id, r.Source)
	}
	targets := n.Revises
	if len(targets) == 0 {
		targets = []string{"head"}
	}
	parents, err := resolveHeads(g, targets, n.Splice)
	if err != nil {
		return script.NewFile{}, err
	}
	deps, err := resolveDeps(g, n.DependsOn)
	if err != nil {
		return script.NewFile{}, err
	}
	var labels []string
	if n.BranchLabel != "" {
		if !revision.ValidID(n.BranchLabel) {
			return script.NewFile{}, badInputf("--branch-label %q is not valid: use letters, digits and '_' only", n.BranchLabel)
		}
		for _, r := range g.Revisions() {
			if slices.Contains(r.BranchLabels, n.BranchLabel) {
				return script.NewFile{}, badInputf("Branch name '%s' is already used by revision %s (%s)", n.BranchLabel, r.ID, r.Source)
			}
		}
		labels = []string{n.BranchLabel}
	}
	date := n.CreateDate
	if date.IsZero() {
		loc := e.cfg.Location
		if loc == nil {
			loc = time.UTC
		}
		date = time.Now().In(loc)
	}
	return script.NewFile{
		ID:           id,
		Revises:      parents,
		BranchLabels: labels,
		DependsOn:    deps,
		Message:      n.Message,
		CreateDate:   date,
		Upgrade:      "-- write the upgrade SQL here",
		Downgrade:    "-- write the downgrade SQL here",
	}, nil
}

// autogenFile compares the database with the target schema and fills
// nf's sections (SQL), or returns the Go function bodies. skipped
// reports that a hook dropped the revision.
func (e *Env) autogenFile(ctx context.Context, nf *script.NewFile, format config.Format) (code *script.GoCode, skipped bool, err error) {
	d, err := e.Autogenerate(ctx, nf.Message)
	if err != nil {
		return nil, false, err
	}
	if d.Drop {
		return nil, true, nil
	}
	nf.Message = d.Message
	if format != config.FormatGo {
		nf.Upgrade, nf.Downgrade, err = render.Script(e.dialect, d.Upgrade, d.Downgrade)
		return nil, false, err
	}
	up, err := render.Go(d.Upgrade)
	if err != nil {
		return nil, false, fmt.Errorf("upgrade: %w", err)
	}
	down, err := render.Go(d.Downgrade)
	if err != nil {
		return nil, false, fmt.Errorf("downgrade: %w", err)
	}
	return &script.GoCode{
		Upgrade:   "// " + render.Notice + "\n" + up.Body,
		Downgrade: down.Body,
		Imports:   slices.Compact(slices.Sorted(slices.Values(append(up.Imports, down.Imports...)))),
	}, false, nil
}

// writeNew creates file with src, refusing to overwrite one.
func writeNew(file string, src []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return badInputf("%s already exists; pass another -m message or change file_template", file)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(src); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// resolveHeads resolves the targets a new revision revises to ids; each
// must be a head unless splice.
func resolveHeads(g *revision.Graph, targets []string, splice bool) ([]string, error) {
	var ids []string
	for _, t := range targets {
		revs, err := g.Resolve(t)
		var mh *revision.MultipleHeadsError
		if errors.As(err, &mh) {
			return nil, badInputf("Multiple heads are present (%s); please specify the head revision on which the new revision should be based (--head), or perform a merge (retort merge heads)", joinComma(mh.Heads))
		}
		if err != nil {
			return nil, err
		}
		for _, r := range revs {
			if slices.Contains(ids, r.ID) {
				return nil, badInputf("Duplicate head revisions specified")
			}
			if info, _ := g.Info(r.ID); !splice && !info.Head {
				return nil, badInputf("Revision %s is not a head revision; please specify --splice to create a new branch from this revision", r.ID)
			}
			ids = append(ids, r.ID)
		}
	}
	return ids, nil
}

// resolveDeps resolves depends-on values to full ids, keeping a branch
// label of the revision it names as written, as Alembic does.
func resolveDeps(g *revision.Graph, deps []string) ([]string, error) {
	var out []string
	for _, d := range deps {
		r, err := g.ResolveOne(d)
		if err != nil {
			return nil, err
		}
		if r == nil {
			return nil, badInputf("--depends-on %s names no revision", d)
		}
		info, _ := g.Info(r.ID)
		if slices.Contains(info.Labels, d) {
			out = append(out, d)
		} else {
			out = append(out, r.ID)
		}
	}
	return out, nil
}

// versionDir picks the folder for a new revision file: versionPath,
// which must be a version location; else the only version location; else
// the folder of the first parent's file.
func (e *Env) versionDir(parents []string, versionPath string) (string, error) {
	dirs := e.cfg.VersionDirs()
	if versionPath == "" {
		if len(dirs) == 1 {
			return dirs[0], nil
		}
		for _, p := range parents {
			if r := e.graph.Get(p); r != nil && !r.Source.Go {
				versionPath = filepath.Dir(e.revisionPath(r))
				break
			}
		}
		if versionPath == "" {
			return "", badInputf("Multiple version locations present, please specify --version-path")
		}
	}
	abs, err := filepath.Abs(versionPath)
	if err != nil {
		return "", err
	}
	for _, d := range dirs {
		if filepath.Clean(d) == abs {
			return abs, nil
		}
	}
	return "", badInputf("Path %s is not represented in current version locations (%s)", versionPath, joinComma(dirs))
}

// revisionPath returns the absolute path of r's file (a Go revision's
// source file, if known).
func (e *Env) revisionPath(r *revision.Revision) string {
	p := r.Source.File
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if abs := e.Path(r.ID); abs != "" {
		return abs
	}
	return filepath.FromSlash(p)
}
