package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
)

func (a *app) revisionCmd() *cobra.Command {
	var (
		n    retort.NewRevision
		head string
		sql  bool
	)
	cmd := &cobra.Command{
		Use:   "revision -m MESSAGE",
		Short: "Create a new revision file",
		Args:  args(0, 0),
		RunE: run(func(ctx context.Context, _ []string) error {
			if sql && n.Autogenerate {
				return badInput("Using --sql with --autogenerate does not make any sense")
			}
			if sql {
				return badInput("Using --sql with the revision command does not make any sense: it writes a file and runs nothing")
			}
			n.Revises = []string{head}
			return a.generate(ctx, n)
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&n.Message, "message", "m", "", "message of the revision")
	f.BoolVar(&n.Autogenerate, "autogenerate", false, "fill the revision from the difference between the database and the target schema")
	f.BoolVar(&sql, "sql", false, "not supported: revision writes a file")
	f.StringVar(&head, "head", "head", "revision to build on: head, base, an id, LABEL@head")
	f.BoolVar(&n.Splice, "splice", false, "allow a --head that is not a head, starting a new branch")
	f.StringVar(&n.BranchLabel, "branch-label", "", "branch label for the new revision")
	f.StringArrayVar(&n.DependsOn, "depends-on", nil, "revision or branch label the new revision depends on (repeatable)")
	f.StringVar(&n.ID, "rev-id", "", "id of the new revision instead of a random one")
	f.StringVar(&n.VersionPath, "version-path", "", "version location to write the file in")
	return cmd
}

func (a *app) mergeCmd() *cobra.Command {
	var n retort.NewRevision
	cmd := &cobra.Command{
		Use:   "merge REV...",
		Short: "Merge heads into a new revision",
		Args:  args(1, -1),
		RunE: run(func(ctx context.Context, args []string) error {
			n.Revises = args
			return a.generate(ctx, n)
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&n.Message, "message", "m", "", "message of the revision")
	f.StringVar(&n.BranchLabel, "branch-label", "", "branch label for the new revision")
	f.StringVar(&n.ID, "rev-id", "", "id of the new revision instead of a random one")
	return cmd
}

// generate writes a new revision file with the library's
// Env.WriteRevision and says so, as Alembic's generate_revision.
func (a *app) generate(ctx context.Context, n retort.NewRevision) error {
	env, err := a.open(ctx)
	if err != nil {
		return err
	}
	defer env.Close()
	cfg := env.Config()
	if cfg.Format == config.FormatGo && !a.goEnv {
		return badInput("%s: format = \"go\" needs the Go environment that registers the Go revisions: set program = \"./cmd/migrate\" there (retort init -t go writes one), or run that program", cfg.File)
	}
	w, err := env.WriteRevision(ctx, n)
	if err != nil {
		return err
	}
	a.result(writtenJSON{
		Written: !w.Skipped, Path: w.Path, Revision: w.ID, Revises: nonNil(w.Revises),
		BranchLabels: nonNil(w.BranchLabels), DependsOn: nonNil(w.DependsOn), Message: w.Message, Format: w.Format.String(),
	}, nil)
	if w.Skipped {
		a.msg("No changes in schema detected; no revision written.")
		return nil
	}
	a.status("Generating " + w.Path)
	return nil
}

// writtenJSON is the data of revision and merge: the file written.
type writtenJSON struct {
	// Written is false when an autogenerate hook dropped the revision.
	Written      bool     `json:"written"`
	Path         string   `json:"path"`
	Revision     string   `json:"revision"`
	Revises      []string `json:"revises"`
	BranchLabels []string `json:"branch_labels"`
	DependsOn    []string `json:"depends_on"`
	Message      string   `json:"message"`
	Format       string   `json:"format"`
}
