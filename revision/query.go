package revision

import (
	"slices"
	"strings"
)

// Info is what the graph knows about one revision beyond its header.
type Info struct {
	Revision *Revision
	// Labels are the branch labels in force: declared here or spread
	// from an ancestor (and up to the nearest branch point), sorted.
	Labels []string
	// Children are the revisions that revise this one, in load order.
	Children []string
	// Dependents are the revisions that depend on this one.
	Dependents []string
	// Dependencies are the resolved DependsOn ids.
	Dependencies []string
	// Head: nothing revises it (it may still be depended on: then it is
	// an effective head, not a real one).
	Head bool
	// RealHead: nothing revises it or depends on it.
	RealHead bool
	// Base: it revises nothing.
	Base bool
	// BranchPoint: several revisions revise it.
	BranchPoint bool
	// MergePoint: it revises several revisions.
	MergePoint bool
}

// Len returns the number of revisions.
func (g *Graph) Len() int { return len(g.nodes) }

// Revisions returns every revision in load order.
func (g *Graph) Revisions() []*Revision {
	out := make([]*Revision, len(g.nodes))
	for i, n := range g.nodes {
		out[i] = n.rev
	}
	return out
}

// Get returns the revision with exactly this id, or nil.
func (g *Graph) Get(id string) *Revision {
	if n := g.byID[id]; n != nil {
		return n.rev
	}
	return nil
}

// Info describes the revision with exactly this id; ok is false when
// there is none.
func (g *Graph) Info(id string) (Info, bool) {
	n := g.byID[id]
	if n == nil {
		return Info{}, false
	}
	in := Info{
		Revision:     n.rev,
		Labels:       slices.Sorted(slices.Values(n.labels)),
		Children:     nodeIDs(n.next),
		Dependencies: nodeIDs(n.deps),
		Head:         n.isHead(),
		RealHead:     n.isRealHead(),
		Base:         n.isBase(),
		BranchPoint:  n.isBranchPoint(),
		MergePoint:   n.isMergePoint(),
	}
	for _, c := range n.allNext {
		if !slices.Contains(n.next, c) {
			in.Dependents = append(in.Dependents, c.rev.ID)
		}
	}
	return in, true
}

func revs(ns []*node) []*Revision {
	out := make([]*Revision, len(ns))
	for i, n := range ns {
		out[i] = n.rev
	}
	return out
}

// Heads returns what Alembic's heads command lists: every revision that
// no other revises, including effective heads that are only depended on.
func (g *Graph) Heads() []*Revision { return revs(g.heads) }

// RealHeads returns what the "heads" target means: revisions that
// nothing revises or depends on.
func (g *Graph) RealHeads() []*Revision { return revs(g.realHeads) }

// Bases returns every revision that revises nothing.
func (g *Graph) Bases() []*Revision { return revs(g.bases) }

// Resolve returns the revisions a target names, as Alembic's
// get_revisions (used by show): ids, unique prefixes, branch labels,
// head, heads, base (none), LABEL@head, LABEL@heads, LABEL@REV, -N and
// LABEL@-N walking down from the heads.
func (g *Graph) Resolve(target string) ([]*Revision, error) {
	ns, err := g.revisionsOf(splitIDs(target))
	if err != nil {
		return nil, err
	}
	return revs(ns), nil
}

// ResolveOne returns the single revision a target names, nil for base;
// a target naming several heads is a *MultipleHeadsError.
func (g *Graph) ResolveOne(target string) (*Revision, error) {
	n, err := g.revision(target)
	if err != nil || n == nil {
		return nil, err
	}
	return n.rev, nil
}

// Current reduces the version table's rows to the branch heads they
// stand for (Alembic's get_all_current), in load order. A row naming an
// unknown revision is a *ResolutionError.
func (g *Graph) Current(rows []string) ([]*Revision, error) {
	ns, err := g.allCurrent(rows)
	if err != nil {
		return nil, err
	}
	return revs(ns), nil
}

// History lists revisions from upper down to lower inclusive, newest
// first, as Alembic's history: lower and upper default to base and
// heads, take any target form, and may name several ids separated by
// spaces (for the current rows).
func (g *Graph) History(lower, upper string) ([]*Revision, error) {
	if lower == "" {
		lower = "base"
	}
	if upper == "" {
		upper = "heads"
	}
	lowerIDs := splitIDs(lower)
	var targets []*node
	var err error
	if strings.Contains(upper, " ") {
		targets, err = g.revisionsOf(splitIDs(upper))
	} else {
		targets, err = g.upgradeTargets(lowerIDs, upper, false)
	}
	if err != nil {
		return nil, err
	}
	o := upgradeOpts{inclusive: true, lowerArg: lower}
	if len(lowerIDs) == 1 {
		if i := strings.IndexByte(lower, '@'); i >= 0 {
			o.lowerLabel = lower[:i]
		}
	}
	needs, err := g.collectUpgrade(lowerIDs, targets, o)
	if err != nil {
		return nil, err
	}
	return revs(g.topoSort(needs, targets)), nil
}

func splitIDs(s string) []string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return []string{s}
	}
	return f
}

// BranchPoints returns revisions that several revisions revise, newest
// first as Alembic's branches command walks them.
func (g *Graph) BranchPoints() ([]*Revision, error) {
	all, err := g.History("", "")
	if err != nil {
		return nil, err
	}
	var out []*Revision
	for _, r := range all {
		if g.byID[r.ID].isBranchPoint() {
			out = append(out, r)
		}
	}
	return out, nil
}

// Applied returns every revision a database whose version table holds
// rows counts as applied: the rows' revisions and all their ancestors,
// dependencies included, in load order. A row naming an unknown
// revision is a *ResolutionError.
func (g *Graph) Applied(rows []string) ([]*Revision, error) {
	top, err := g.revisionsOf(rows)
	if err != nil {
		return nil, err
	}
	all := g.ancestors(top, true)
	slices.SortFunc(all, func(a, b *node) int { return a.idx - b.idx })
	return revs(all), nil
}
