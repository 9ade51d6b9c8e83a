package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/retortdb/retort/draw"
	"github.com/retortdb/retort/revision"
	"github.com/spf13/cobra"
)

// graphFormats are the values of graph's --format.
var graphFormats = []string{"dot", "mermaid", "svg", "html", "json"}

// graphJSON is the data of graph --format json.
type graphJSON struct {
	Revisions []*draw.Node `json:"revisions"`
	Edges     []graphEdge  `json:"edges"`
	Rows      []string     `json:"version_rows"`
	Database  bool         `json:"database"`
}

type graphEdge struct {
	From string `json:"from"`
	To   string `json:"to"`
	Kind string `json:"kind"`
}

func (a *app) graphCmd() *cobra.Command {
	var (
		format, rng, branch, out string
		offline                  bool
	)
	cmd := &cobra.Command{
		Use:   "graph [-r START:END] [--branch LABEL] [--format dot|mermaid|svg|html]",
		Short: "Draw the revision graph: DOT, Mermaid, SVG or an HTML page",
		Long: `Draw the revision graph: revisions, merges, branch points, heads, bases
and branch labels, with depends_on edges dashed apart from revises edges.
When the config names a database that can be read, revisions are marked
applied or unapplied and the version table's rows as current; --offline
skips the database. The SVG and HTML are laid out by retort itself.`,
		Args: args(0, 0),
		RunE: run(func(ctx context.Context, _ []string) error {
			if a.json() {
				format = "json"
			}
			if !slices.Contains(graphFormats, format) {
				return &usageError{msg: fmt.Sprintf("--format %q: use %s", format, strings.Join(graphFormats, ", "))}
			}
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			g := env.Graph()
			revs, err := graphPart(g, rng, branch)
			if err != nil {
				return err
			}
			var opts []draw.Option
			var rows []string
			haveDB := false
			if !offline && env.Dialect() != nil {
				if rows, err = env.CurrentHeads(ctx); err != nil {
					a.warn("graph: the database could not be read, drawn without applied revisions: %v", err)
				} else if applied, err := g.Applied(rows); err != nil {
					return err
				} else {
					haveDB = true
					opts = append(opts, draw.WithDatabase(rows, applied))
				}
			}
			pic := draw.New(g, revs, opts...)
			if format == "json" {
				data := graphJSON{Revisions: pic.Nodes, Edges: []graphEdge{}, Rows: rows, Database: haveDB}
				if data.Revisions == nil {
					data.Revisions = []*draw.Node{}
				}
				if data.Rows == nil {
					data.Rows = []string{}
				}
				for _, e := range pic.Edges {
					data.Edges = append(data.Edges, graphEdge{From: e.From, To: e.To, Kind: e.Kind.String()})
				}
				a.result(data, nil)
				return nil
			}
			w := a.stdout
			if out != "" && out != "-" {
				f, err := os.Create(out)
				if err != nil {
					return badInput("graph -o %s: %v", out, err)
				}
				defer f.Close()
				w = f
			}
			if err := drawAs(pic, format, w); err != nil {
				return err
			}
			if f, ok := w.(*os.File); ok && out != "" && out != "-" {
				return f.Close()
			}
			return nil
		}),
	}
	// A local --format hides the global one (text or json).
	cmd.Flags().StringVar(&format, "format", "dot", "dot, mermaid, svg, html, or json (the nodes and edges in the JSON envelope)")
	cmd.Flags().StringVarP(&rng, "rev-range", "r", "", "draw only START:END, as history takes it; either may be empty")
	cmd.Flags().StringVar(&branch, "branch", "", "draw only the revisions of this branch label")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of stdout")
	cmd.Flags().BoolVar(&offline, "offline", false, "do not read the database, even when the config names one")
	return cmd
}

// drawAs writes pic in format (not json).
func drawAs(pic *draw.Picture, format string, w io.Writer) error {
	switch format {
	case "mermaid":
		return pic.Mermaid(w)
	case "svg":
		return pic.SVG(w)
	case "html":
		return pic.HTML(w, "retort revision graph")
	}
	return pic.DOT(w)
}

// graphPart chooses the revisions to draw: a history range, a branch
// label's revisions, both (the intersection), or all.
func graphPart(g *revision.Graph, rng, branch string) ([]*revision.Revision, error) {
	revs := g.Revisions()
	if rng != "" {
		lower, upper, ok := strings.Cut(strings.TrimSpace(rng), ":")
		if !ok {
			return nil, badInput("graph -r %q: a range is [start]:[end], [start]:, or :[end]", rng)
		}
		if lower == "current" || upper == "current" {
			return nil, badInput("graph -r %q: name revisions; 'current' is drawn as the class current", rng)
		}
		var err error
		if revs, err = g.History(lower, upper); err != nil {
			return nil, err
		}
	}
	if branch != "" {
		var keep []*revision.Revision
		known := false
		in := map[string]bool{}
		for _, r := range revs {
			in[r.ID] = true
		}
		for _, r := range g.Revisions() {
			info, _ := g.Info(r.ID)
			if slices.Contains(info.Labels, branch) {
				known = true
				if in[r.ID] {
					keep = append(keep, r)
				}
			}
		}
		if !known {
			return nil, badInput("graph --branch %q: no revision has this branch label (retort heads -v shows each head's labels)", branch)
		}
		revs = keep
	}
	return revs, nil
}

// completeLabels completes a branch label of the graph.
func (a *app) completeLabels(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	env, err := a.open(cmd.Context())
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer env.Close()
	seen := map[string]bool{}
	var out []cobra.Completion
	for _, r := range env.Graph().Revisions() {
		for _, l := range r.BranchLabels {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return filterPrefix(out, toComplete), cobra.ShellCompDirectiveNoFileComp
}
