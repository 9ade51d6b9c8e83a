package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort"
)

func (a *app) upgradeCmd() *cobra.Command {
	var sql bool
	cmd := &cobra.Command{
		Use:   "upgrade TARGET",
		Short: "Upgrade to a later revision (head, heads, an id, +N, LABEL@head)",
		Args:  args(1, 1),
		RunE: run(func(ctx context.Context, args []string) error {
			return a.move(ctx, retort.Upgrade, args[0], sql)
		}),
	}
	cmd.Flags().BoolVar(&sql, "sql", false, "write the SQL to stdout instead of running it; TARGET may be START:END")
	return cmd
}

func (a *app) downgradeCmd() *cobra.Command {
	var sql bool
	cmd := &cobra.Command{
		Use:   "downgrade TARGET",
		Short: "Revert to a previous revision (base, an id, -N, LABEL@base)",
		Args:  args(1, 1),
		RunE: run(func(ctx context.Context, args []string) error {
			return a.move(ctx, retort.Downgrade, args[0], sql)
		}),
	}
	cmd.Flags().BoolVar(&sql, "sql", false, "write the SQL to stdout instead of running it; TARGET must be FROM:TO")
	return cmd
}

// move runs an upgrade or a downgrade, online or as SQL.
func (a *app) move(ctx context.Context, kind retort.Kind, target string, sql bool) error {
	start, end, isRange := strings.Cut(target, ":")
	if isRange && !sql {
		return badInput("Range revision not allowed")
	}
	if !isRange {
		if sql && kind == retort.Downgrade {
			return badInput("downgrade with --sql requires <fromrev>:<torev>")
		}
		start, end = "", target
	}
	env, err := a.open(ctx)
	if err != nil {
		return err
	}
	defer env.Close()
	req := retort.Request{Kind: kind, Target: end}
	if sql {
		return a.offline(ctx, env, req, start)
	}
	_, err = env.Run(ctx, req)
	return err
}

// offline writes the script of req to stdout, starting at the revisions
// start names ("" or base: an empty database).
func (a *app) offline(ctx context.Context, env *retort.Env, req retort.Request, start string) error {
	var ids []string
	if start != "" && start != "base" {
		revs, err := env.Graph().Resolve(start)
		if err != nil {
			return err
		}
		for _, r := range revs {
			ids = append(ids, r.ID)
		}
	}
	_, err := env.SQL(ctx, a.stdout, req, ids)
	return err
}

func (a *app) stampCmd() *cobra.Command {
	var sql, purge bool
	cmd := &cobra.Command{
		Use:   "stamp REV...",
		Short: "Record revisions in the version table without running migrations",
		Args:  args(1, -1),
		RunE: run(func(ctx context.Context, args []string) error {
			if purge && sql {
				return badInput("Can't use --purge with --sql mode")
			}
			var start string
			targets := make([]string, len(args))
			for i, arg := range args {
				s, end, isRange := strings.Cut(arg, ":")
				if isRange && !sql {
					return badInput("Range revision not allowed")
				}
				if !isRange {
					s, end = "", arg
				}
				if s != "" && start != "" && s != start {
					return badInput("Stamp operation with --sql only supports a single starting revision at a time")
				}
				if s != "" {
					start = s
				}
				targets[i] = end
			}
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			req := retort.Request{Kind: retort.Stamp, Targets: targets, Purge: purge}
			if sql {
				return a.offline(ctx, env, req, start)
			}
			_, err = env.Run(ctx, req)
			return err
		}),
	}
	cmd.Flags().BoolVar(&sql, "sql", false, "write the SQL to stdout instead of running it; each REV may be START:END")
	cmd.Flags().BoolVar(&purge, "purge", false, "delete every row of the version table first")
	return cmd
}

func (a *app) checkCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Check that the database is at the scripts' heads and matches the target schema (exit 1 if not)",
		Args:  args(0, 0),
		RunE: run(func(ctx context.Context, _ []string) error {
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			if err := env.Check(ctx); err != nil {
				return err
			}
			if err := a.checkTarget(ctx, env); err != nil {
				return err
			}
			a.msg("No new upgrade operations detected.")
			return nil
		}),
	}
}
