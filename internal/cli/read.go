package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/revision"
)

// output hands over entries: text lines (each from text) or the
// envelope's {"revisions": [...]} (and "url" when given).
func (a *app) output(url string, entries []entry, text func(entry) string) error {
	if a.json() {
		a.result(revisionsData(url, entries), nil)
		return nil
	}
	a.result(nil, func(w io.Writer) {
		// One write for the lot: a history of thousands of revisions
		// was as many system calls.
		bw := bufio.NewWriter(w)
		for _, e := range entries {
			fmt.Fprintln(bw, text(e))
		}
		_ = bw.Flush() // as the unbuffered writes before it, unchecked
	})
	return nil
}

func entries(env *retort.Env, revs []*revision.Revision, current map[string]bool) []entry {
	out := make([]entry, 0, len(revs))
	for _, r := range revs {
		out = append(out, newEntry(env, r, current))
	}
	return out
}

// verboseFlag adds the command's own -v/--verbose (it shadows the global
// one, which only matters to commands that run SQL).
func verboseFlag(cmd *cobra.Command, v *bool) {
	cmd.Flags().BoolVarP(v, "verbose", "v", false, "print the full description of each revision")
}

func (a *app) currentCmd() *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "current",
		Short: "Show the revisions the database is at",
		Args:  args(0, 0),
		RunE: run(func(ctx context.Context, _ []string) error {
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			revs, err := env.Current(ctx)
			if err != nil {
				return err
			}
			url := ""
			if u := env.Config().URL; u != nil {
				url = u.Redacted()
			}
			current := map[string]bool{}
			for _, r := range revs {
				current[r.ID] = true
			}
			es := entries(env, revs, current)
			if verbose && !a.json() {
				fmt.Fprintf(a.stdout, "Current revision(s) for %s:\n", url)
			}
			return a.output(url, es, func(e entry) string {
				e.current = false // Alembic's current does not mark them
				if verbose {
					return e.logEntry()
				}
				return e.line(false, false, false, true)
			})
		}),
	}
	verboseFlag(cmd, &verbose)
	return cmd
}

func (a *app) historyCmd() *cobra.Command {
	var (
		rng             string
		verbose, indic  bool
		rangeSet        bool
		lower, upper    string
		currentRows     []string
		needDB          bool
		currentRevision map[string]bool
		applied         bool
	)
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List revisions, newest first",
		Args:  args(0, 0),
		RunE: run(func(ctx context.Context, _ []string) error {
			rangeSet = rng != ""
			if rangeSet {
				var ok bool
				if lower, upper, ok = strings.Cut(strings.TrimSpace(rng), ":"); !ok {
					return badInput("History range requires [start]:[end], [start]:, or :[end]")
				}
			}
			needDB = indic || lower == "current" || upper == "current"
			if applied && (rangeSet || indic || verbose) {
				return badInput("history --applied lists the history table; it takes none of -r, -i, -v")
			}
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			if applied {
				return a.appliedHistory(ctx, env)
			}
			if needDB {
				if currentRows, err = env.CurrentHeads(ctx); err != nil {
					return err
				}
				rows := strings.Join(currentRows, " ")
				if lower == "current" {
					lower = rows
				}
				if upper == "current" {
					if rows == "" {
						return a.output("", nil, nil)
					}
					upper = rows
				}
			}
			if indic {
				currentRevision = map[string]bool{}
				for _, r := range currentRows {
					currentRevision[r] = true
				}
			}
			revs, err := env.Graph().History(lower, upper)
			if err != nil {
				return err
			}
			return a.output("", entries(env, revs, currentRevision), func(e entry) string {
				if verbose {
					return e.logEntry()
				}
				return e.line(true, true, true, true)
			})
		}),
	}
	cmd.Flags().StringVarP(&rng, "rev-range", "r", "", "range START:END; either may be empty or 'current'")
	verboseFlag(cmd, &verbose)
	cmd.Flags().BoolVarP(&indic, "indicate-current", "i", false, "mark the database's revisions (current)")
	cmd.Flags().BoolVar(&applied, "applied", false, "list what ran on the database (the history table): direction, checksum, when, how long, host, user, retort version")
	return cmd
}

func (a *app) headsCmd() *cobra.Command {
	var verbose, resolve bool
	cmd := &cobra.Command{
		Use:   "heads",
		Short: "Show the heads of the revision graph",
		Args:  args(0, 0),
		RunE: run(func(ctx context.Context, _ []string) error {
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			revs := env.Graph().Heads()
			if resolve {
				revs = env.Graph().RealHeads()
			}
			return a.output("", entries(env, revs, nil), func(e entry) string {
				if verbose {
					return e.logEntry()
				}
				return e.line(true, false, false, false)
			})
		}),
	}
	verboseFlag(cmd, &verbose)
	cmd.Flags().BoolVar(&resolve, "resolve-dependencies", false, "leave out revisions that are heads only because others depend on them")
	return cmd
}

func (a *app) branchesCmd() *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "branches",
		Short: "Show the branch points of the revision graph",
		Args:  args(0, 0),
		RunE: run(func(ctx context.Context, _ []string) error {
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			g := env.Graph()
			points, err := g.BranchPoints()
			if err != nil {
				return err
			}
			return a.output("", entries(env, points, nil), func(e entry) string {
				first := e.line(true, false, false, true)
				if verbose {
					first = e.logEntry()
				}
				var b strings.Builder
				b.WriteString(first + "\n")
				pad := strings.Repeat(" ", len(e.rev.ID))
				for i, c := range e.info.Children {
					if i > 0 {
						b.WriteString("\n")
					}
					child := newEntry(env, g.Get(c), nil)
					b.WriteString(pad + " -> " + child.line(true, verbose, false, true))
				}
				return b.String() + "\n"
			})
		}),
	}
	verboseFlag(cmd, &verbose)
	return cmd
}

func (a *app) showCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show REV",
		Short: "Show the revisions REV names ('current' for the database's)",
		Args:  args(1, 1),
		RunE: run(func(ctx context.Context, args []string) error {
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			revs, err := a.resolveSymbol(ctx, env, args[0])
			if err != nil {
				return err
			}
			return a.output("", entries(env, revs, nil), entry.logEntry)
		}),
	}
}

// resolveSymbol resolves a show/edit argument: a target, or "current"
// for the version table's rows.
func (a *app) resolveSymbol(ctx context.Context, env *retort.Env, sym string) ([]*revision.Revision, error) {
	if sym != "current" {
		return env.Graph().Resolve(sym)
	}
	rows, err := env.CurrentHeads(ctx)
	if err != nil {
		return nil, err
	}
	revs := make([]*revision.Revision, 0, len(rows))
	for _, id := range rows {
		if r := env.Graph().Get(id); r != nil {
			revs = append(revs, r)
		}
	}
	return revs, nil
}
