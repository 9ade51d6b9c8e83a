package draw

import (
	"slices"

	"github.com/retortdb/retort/revision"
)

// EdgeKind tells what an edge of the picture stands for.
type EdgeKind int

const (
	// Revises goes from a revision to one that revises it.
	Revises EdgeKind = iota
	// DependsOn goes from a dependency to the revision that depends on it.
	DependsOn
)

// String returns "revises" or "depends_on".
func (k EdgeKind) String() string {
	if k == DependsOn {
		return "depends_on"
	}
	return "revises"
}

// Node is one revision of the picture.
type Node struct {
	ID          string   `json:"id"`
	Message     string   `json:"message"`
	Labels      []string `json:"branch_labels"`
	Head        bool     `json:"head"`
	Base        bool     `json:"base"`
	Merge       bool     `json:"merge"`
	BranchPoint bool     `json:"branch_point"`
	// Applied is nil when the database was not read.
	Applied *bool `json:"applied,omitempty"`
	// Current is true for a revision that a version table row names.
	Current bool `json:"current"`
}

// Class is the node's space-separated CSS class list: "revision", then
// applied or unapplied when known, current, head, base, merge and
// branchpoint as they apply.
func (n *Node) Class() string {
	c := []string{"revision"}
	if n.Applied != nil {
		if *n.Applied {
			c = append(c, "applied")
		} else {
			c = append(c, "unapplied")
		}
	}
	for _, f := range []struct {
		on   bool
		name string
	}{{n.Current, "current"}, {n.Head, "head"}, {n.Base, "base"}, {n.Merge, "merge"}, {n.BranchPoint, "branchpoint"}} {
		if f.on {
			c = append(c, f.name)
		}
	}
	return joinSpace(c)
}

func joinSpace(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

// roles is the short list of roles shown in a box.
func (n *Node) roles() []string {
	var r []string
	if n.Current {
		r = append(r, "current")
	}
	if n.Head {
		r = append(r, "head")
	}
	if n.Base {
		r = append(r, "base")
	}
	if n.Merge {
		r = append(r, "merge")
	}
	if n.BranchPoint {
		r = append(r, "branch point")
	}
	return r
}

// Edge joins two revisions of the picture.
type Edge struct {
	From string   `json:"from"`
	To   string   `json:"to"`
	Kind EdgeKind `json:"-"`
}

// Picture is a part of a revision graph ready to be drawn: its nodes
// oldest first (every revision after those it revises or depends on) and
// the edges between them.
type Picture struct {
	Nodes []*Node
	Edges []Edge
}

// Option tunes [New].
type Option interface{ apply(*options) }

type options struct {
	rows    []string
	applied map[string]bool
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// WithDatabase marks what a database holds: rows are its version table's
// rows and applied every revision it counts as applied (see
// [revision.Graph.Applied]). Without it no node is classed applied or
// unapplied.
func WithDatabase(rows []string, applied []*revision.Revision) Option {
	return optionFunc(func(o *options) {
		o.rows = slices.Clone(rows)
		o.applied = map[string]bool{}
		for _, r := range applied {
			o.applied[r.ID] = true
		}
	})
}

// New builds the picture of revs, revisions of g in any order; edges to
// revisions outside revs are left out. Roles (head, base, merge, branch
// point) are those of the whole graph.
func New(g *revision.Graph, revs []*revision.Revision, opts ...Option) *Picture {
	var o options
	for _, opt := range opts {
		opt.apply(&o)
	}
	in := map[string]bool{}
	deps := map[string][]string{}
	for _, r := range revs {
		in[r.ID] = true
		info, _ := g.Info(r.ID)
		deps[r.ID] = info.Dependencies
	}
	ordered := topo(revs, in, deps)
	p := &Picture{}
	for _, r := range ordered {
		info, _ := g.Info(r.ID)
		n := &Node{
			ID:          r.ID,
			Message:     r.Message,
			Labels:      slices.Clone(info.Labels),
			Head:        info.Head,
			Base:        info.Base,
			Merge:       info.MergePoint,
			BranchPoint: info.BranchPoint,
			Current:     slices.Contains(o.rows, r.ID),
		}
		if n.Labels == nil {
			n.Labels = []string{}
		}
		if o.applied != nil {
			a := o.applied[r.ID]
			n.Applied = &a
		}
		p.Nodes = append(p.Nodes, n)
		for _, from := range r.Revises {
			if in[from] {
				p.Edges = append(p.Edges, Edge{From: from, To: r.ID, Kind: Revises})
			}
		}
		for _, from := range deps[r.ID] {
			if in[from] {
				p.Edges = append(p.Edges, Edge{From: from, To: r.ID, Kind: DependsOn})
			}
		}
	}
	return p
}

// parents are the revisions r revises or depends on that are drawn.
func parents(r *revision.Revision, in map[string]bool, deps map[string][]string) []string {
	var out []string
	for _, id := range slices.Concat(r.Revises, deps[r.ID]) {
		if in[id] {
			out = append(out, id)
		}
	}
	return out
}

// topo orders revs so that each comes after its drawn parents, keeping
// the given order where it is free. The graph is acyclic (revision.New
// refuses cycles).
func topo(revs []*revision.Revision, in map[string]bool, deps map[string][]string) []*revision.Revision {
	byID := map[string]*revision.Revision{}
	for _, r := range revs {
		byID[r.ID] = r
	}
	done := map[string]bool{}
	var out []*revision.Revision
	var visit func(r *revision.Revision)
	visit = func(r *revision.Revision) {
		if done[r.ID] {
			return
		}
		done[r.ID] = true
		for _, p := range parents(r, in, deps) {
			visit(byID[p])
		}
		out = append(out, r)
	}
	for _, r := range revs {
		visit(r)
	}
	return out
}
