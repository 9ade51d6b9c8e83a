package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
)

// newRevision is what revision and merge ask for.
type newRevision struct {
	message     string
	heads       []string // targets the new revision revises
	splice      bool
	branchLabel string
	dependsOn   []string
	revID       string
	versionPath string
	// autogenerate fills the sections from the comparison of the
	// database with the target schema (autogen.go).
	autogenerate bool
}

func (a *app) revisionCmd() *cobra.Command {
	var (
		n            newRevision
		head         string
		autogenerate bool
		sql          bool
	)
	cmd := &cobra.Command{
		Use:   "revision -m MESSAGE",
		Short: "Create a new revision file",
		Args:  args(0, 0),
		RunE: run(func(ctx context.Context, _ []string) error {
			if sql && autogenerate {
				return badInput("Using --sql with --autogenerate does not make any sense")
			}
			if sql {
				return badInput("Using --sql with the revision command does not make any sense: it writes a file and runs nothing")
			}
			n.heads = []string{head}
			n.autogenerate = autogenerate
			return a.generate(ctx, n)
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&n.message, "message", "m", "", "message of the revision")
	f.BoolVar(&autogenerate, "autogenerate", false, "fill the revision from the difference between the database and the target schema")
	f.BoolVar(&sql, "sql", false, "not supported: revision writes a file")
	f.StringVar(&head, "head", "head", "revision to build on: head, base, an id, LABEL@head")
	f.BoolVar(&n.splice, "splice", false, "allow a --head that is not a head, starting a new branch")
	f.StringVar(&n.branchLabel, "branch-label", "", "branch label for the new revision")
	f.StringArrayVar(&n.dependsOn, "depends-on", nil, "revision or branch label the new revision depends on (repeatable)")
	f.StringVar(&n.revID, "rev-id", "", "id of the new revision instead of a random one")
	f.StringVar(&n.versionPath, "version-path", "", "version location to write the file in")
	return cmd
}

func (a *app) mergeCmd() *cobra.Command {
	var n newRevision
	cmd := &cobra.Command{
		Use:   "merge REV...",
		Short: "Merge heads into a new revision",
		Args:  args(1, -1),
		RunE: run(func(ctx context.Context, args []string) error {
			n.heads = args
			return a.generate(ctx, n)
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&n.message, "message", "m", "", "message of the revision")
	f.StringVar(&n.branchLabel, "branch-label", "", "branch label for the new revision")
	f.StringVar(&n.revID, "rev-id", "", "id of the new revision instead of a random one")
	return cmd
}

// generate writes a new revision file, as Alembic's generate_revision.
func (a *app) generate(ctx context.Context, n newRevision) error {
	env, err := a.open(ctx)
	if err != nil {
		return err
	}
	defer env.Close()
	cfg, g := env.Config(), env.Graph()
	goFormat := cfg.Format == config.FormatGo
	if goFormat && !a.goEnv {
		return badInput("%s: format = \"go\" needs the Go environment that registers the Go revisions: set program = \"./cmd/migrate\" there (retort init -t go writes one), or run that program", cfg.File)
	}

	id := n.revID
	if id == "" {
		id = script.NewID()
	} else if !revision.ValidID(id) {
		return badInput("--rev-id %q is not a valid revision identifier: use letters, digits and '_' only", id)
	}
	if r := g.Get(id); r != nil {
		return badInput("revision %s already exists (%s); choose another --rev-id", id, r.Source)
	}

	parents, err := resolveHeads(g, n.heads, n.splice)
	if err != nil {
		return err
	}
	deps, err := resolveDeps(g, n.dependsOn)
	if err != nil {
		return err
	}
	var labels []string
	if n.branchLabel != "" {
		if !revision.ValidID(n.branchLabel) {
			return badInput("--branch-label %q is not valid: use letters, digits and '_' only", n.branchLabel)
		}
		for _, r := range g.Revisions() {
			if slices.Contains(r.BranchLabels, n.branchLabel) {
				return badInput("Branch name '%s' is already used by revision %s (%s)", n.branchLabel, r.ID, r.Source)
			}
		}
		labels = []string{n.branchLabel}
	}

	dir, err := versionDir(env, parents, n.versionPath)
	if err != nil {
		return err
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	nf := script.NewFile{
		ID:           id,
		Revises:      parents,
		BranchLabels: labels,
		DependsOn:    deps,
		Message:      n.message,
		CreateDate:   time.Now().In(loc),
		Upgrade:      "-- write the upgrade SQL here",
		Downgrade:    "-- write the downgrade SQL here",
	}
	var code *autogenCode
	if n.autogenerate {
		if code, err = a.autogenerate(ctx, env, &nf, goFormat); err != nil || code == nil {
			return err
		}
	}
	name, err := script.FileName(cfg.FileTemplate, nf, cfg.TruncateSlugLength)
	if err != nil {
		return err
	}
	var src []byte
	if goFormat {
		name = goFileName(name)
		src, err = renderGoFile(nf, filepath.Join(dir, filepath.FromSlash(name)), code)
		if err != nil {
			return err
		}
	} else {
		src = script.RenderSQL(nf)
		if _, err := script.Parse(name, src); err != nil {
			return fmt.Errorf("the new revision file does not parse back (a bug): %w", err)
		}
	}
	file := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return badInput("%s already exists; pass another -m message or change file_template", file)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(src); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	a.status("Generating " + file)
	return nil
}

// renderGoFile renders nf as the Go file file, in the package of the Go
// files beside it.
func renderGoFile(nf script.NewFile, file string, code *autogenCode) ([]byte, error) {
	pkg, err := goPackage(filepath.Dir(file))
	if err != nil {
		return nil, err
	}
	return renderGo(nf, pkg, code)
}

// resolveHeads resolves --head (or merge's arguments) to the ids the new
// revision revises; each must be a head unless splice.
func resolveHeads(g *revision.Graph, targets []string, splice bool) ([]string, error) {
	var ids []string
	for _, t := range targets {
		revs, err := g.Resolve(t)
		var mh *revision.MultipleHeadsError
		if errors.As(err, &mh) {
			return nil, badInput("Multiple heads are present (%s); please specify the head revision on which the new revision should be based (--head), or perform a merge (retort merge heads)", joinComma(mh.Heads))
		}
		if err != nil {
			return nil, err
		}
		for _, r := range revs {
			if slices.Contains(ids, r.ID) {
				return nil, badInput("Duplicate head revisions specified")
			}
			if info, _ := g.Info(r.ID); !splice && !info.Head {
				return nil, badInput("Revision %s is not a head revision; please specify --splice to create a new branch from this revision", r.ID)
			}
			ids = append(ids, r.ID)
		}
	}
	return ids, nil
}

// resolveDeps resolves --depends-on values to full ids, keeping a branch
// label of the revision it names as written, as Alembic does.
func resolveDeps(g *revision.Graph, deps []string) ([]string, error) {
	var out []string
	for _, d := range deps {
		r, err := g.ResolveOne(d)
		if err != nil {
			return nil, err
		}
		if r == nil {
			return nil, badInput("--depends-on %s names no revision", d)
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

// versionDir picks the folder for a new revision file: --version-path,
// which must be a version location; else the only version location; else
// the folder of the first parent's file.
func versionDir(env *retort.Env, parents []string, versionPath string) (string, error) {
	cfg := env.Config()
	dirs := cfg.VersionDirs()
	if versionPath == "" {
		if len(dirs) == 1 {
			return dirs[0], nil
		}
		for _, p := range parents {
			if r := env.Graph().Get(p); r != nil && !r.Source.Go {
				versionPath = filepath.Dir(revisionPath(env, r))
				break
			}
		}
		if versionPath == "" {
			return "", badInput("Multiple version locations present, please specify --version-path")
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
	return "", badInput("Path %s is not represented in current version locations (%s)", versionPath, joinComma(dirs))
}
