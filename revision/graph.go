package revision

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// node is a revision with its edges resolved.
type node struct {
	rev *Revision
	idx int // load order: decides every order Alembic takes from its map

	down     []*node // Revises, in header order (versioned down revisions)
	deps     []*node // resolved DependsOn
	normDeps []*node // deps not already depended on by an ancestor
	allDown  []*node // down + deps, deduplicated
	normDown []*node // down + normDeps, deduplicated: the effective parents
	next     []*node // children by Revises, in load order
	allNext  []*node // children by Revises or DependsOn, in load order
	labels   []string
}

func (n *node) isBase() bool            { return len(n.down) == 0 }
func (n *node) isRealBase() bool        { return len(n.down) == 0 && len(n.rev.DependsOn) == 0 }
func (n *node) isHead() bool            { return len(n.next) == 0 }
func (n *node) isRealHead() bool        { return len(n.allNext) == 0 }
func (n *node) isBranchPoint() bool     { return len(n.next) > 1 }
func (n *node) isRealBranchPoint() bool { return len(n.allNext) > 1 }
func (n *node) isMergePoint() bool      { return len(n.down) > 1 }
func (n *node) hasLabel(l string) bool  { return slices.Contains(n.labels, l) }

// Graph is a loaded, validated revision graph. It is immutable and safe
// for concurrent use.
type Graph struct {
	nodes     []*node          // load order
	byID      map[string]*node // revision ids
	byLabel   map[string]*node // branch label -> declaring revision
	keys      []string         // ids then labels, in load order: partial-id candidates
	heads     []*node          // not revised by anything (Alembic's get_heads)
	realHeads []*node          // neither revised nor depended on
	bases     []*node
	realBases []*node
}

// New builds a graph from revisions in load order (the order decides
// ties exactly where Alembic's file order does). It checks everything at
// once and returns every problem joined, so nothing half-built escapes.
func New(revs []*Revision) (*Graph, error) {
	g := &Graph{byID: make(map[string]*node, len(revs)), byLabel: map[string]*node{},
		nodes: make([]*node, 0, len(revs)), keys: make([]string, 0, len(revs))}
	all := make([]node, len(revs)) // one allocation for every node
	var errs []error
	for _, r := range revs {
		if !ValidID(r.ID) {
			errs = append(errs, &GraphError{Revision: fmt.Sprintf("%q", r.ID), Source: r.Source,
				Msg: "invalid revision id; use letters, digits and '_' only"})
			continue
		}
		if prev, ok := g.byID[r.ID]; ok {
			errs = append(errs, &GraphError{Revision: r.ID, Source: r.Source,
				Msg: fmt.Sprintf("revision id is already used by %s; give one of them a new id", prev.rev.Source)})
			continue
		}
		if slices.Contains(r.Revises, r.ID) {
			errs = append(errs, &CycleError{Revisions: []string{r.ID}})
			continue
		}
		if slices.Contains(r.DependsOn, r.ID) {
			errs = append(errs, &CycleError{Revisions: []string{r.ID}, Dependency: true})
			continue
		}
		n := &all[len(g.nodes)]
		n.rev, n.idx = r, len(g.nodes)
		g.nodes = append(g.nodes, n)
		g.byID[r.ID] = n
		g.keys = append(g.keys, r.ID)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	errs = append(errs, g.mapLabels()...)
	errs = append(errs, g.link()...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	g.normalizeDeps()
	for _, n := range g.nodes {
		if n.isHead() {
			g.heads = append(g.heads, n)
		}
		if n.isRealHead() {
			g.realHeads = append(g.realHeads, n)
		}
		if n.isBase() {
			g.bases = append(g.bases, n)
		}
		if n.isRealBase() {
			g.realBases = append(g.realBases, n)
		}
	}
	if err := g.detectCycles(); err != nil {
		return nil, err
	}
	g.propagateLabels()
	return g, nil
}

func (g *Graph) mapLabels() []error {
	var errs []error
	for _, n := range g.nodes {
		for _, l := range n.rev.BranchLabels {
			if !ValidID(l) {
				errs = append(errs, &GraphError{Revision: n.rev.ID, Source: n.rev.Source,
					Msg: fmt.Sprintf("invalid branch label %q; use letters, digits and '_' only", l)})
				continue
			}
			if other, ok := g.byID[l]; ok {
				errs = append(errs, &GraphError{Revision: n.rev.ID, Source: n.rev.Source,
					Msg: fmt.Sprintf("branch label '%s' is already used as the id of revision %s (%s); choose another label", l, other.rev.ID, other.rev.Source)})
				continue
			}
			if other, ok := g.byLabel[l]; ok {
				errs = append(errs, &GraphError{Revision: n.rev.ID, Source: n.rev.Source,
					Msg: fmt.Sprintf("branch label '%s' is already used by revision %s (%s); a label names one branch", l, other.rev.ID, other.rev.Source)})
				continue
			}
			g.byLabel[l] = n
			g.keys = append(g.keys, l)
		}
	}
	return errs
}

// lookup finds a revision by id or branch label (exact).
func (g *Graph) lookup(key string) *node {
	if n, ok := g.byID[key]; ok {
		return n
	}
	return g.byLabel[key]
}

func (g *Graph) link() []error {
	// Every edge list is carved out of a few shared arrays, sized first:
	// thousands of tiny slices would each be an allocation.
	var nRevises, nDeps int
	for _, n := range g.nodes {
		nRevises += len(n.rev.Revises)
		nDeps += len(n.rev.DependsOn)
	}
	downs := make([]*node, 0, nRevises)
	deps := make([]*node, 0, nDeps)
	var errs []error
	for _, n := range g.nodes {
		start := len(downs)
		for _, id := range n.rev.Revises {
			p, ok := g.byID[id]
			if !ok {
				errs = append(errs, &GraphError{Revision: n.rev.ID, Source: n.rev.Source,
					Msg: fmt.Sprintf("Revises names unknown revision '%s'; add that revision or fix the header", id)})
				continue
			}
			if !slices.Contains(downs[start:], p) {
				downs = append(downs, p)
			}
		}
		n.down = downs[start:len(downs):len(downs)]
		start = len(deps)
		for _, id := range n.rev.DependsOn {
			p := g.lookup(id)
			if p == nil {
				errs = append(errs, &GraphError{Revision: n.rev.ID, Source: n.rev.Source,
					Msg: fmt.Sprintf("Depends On names unknown revision or branch label '%s'; add it or fix the header", id)})
				continue
			}
			if p == n {
				errs = append(errs, &CycleError{Revisions: []string{n.rev.ID}, Dependency: true})
				continue
			}
			if !slices.Contains(deps[start:], p) {
				deps = append(deps, p)
			}
		}
		n.deps = deps[start:len(deps):len(deps)]
		n.allDown = dedupe(n.down, n.deps)
	}
	if len(errs) > 0 {
		return errs
	}
	// Children in load order: count them, carve, then fill.
	nAll, nNext := make([]int32, len(g.nodes)), make([]int32, len(g.nodes))
	var sumAll, sumNext int
	for _, n := range g.nodes {
		for _, p := range n.allDown {
			nAll[p.idx]++
			sumAll++
		}
		for _, p := range n.down {
			nNext[p.idx]++
			sumNext++
		}
	}
	allNext, next := make([]*node, sumAll), make([]*node, sumNext)
	for _, n := range g.nodes {
		c := int(nAll[n.idx])
		n.allNext, allNext = allNext[:0:c], allNext[c:]
		c = int(nNext[n.idx])
		n.next, next = next[:0:c], next[c:]
	}
	for _, n := range g.nodes {
		for _, p := range n.allDown {
			p.allNext = append(p.allNext, n)
			if slices.Contains(n.down, p) {
				p.next = append(p.next, n)
			}
		}
	}
	return nil
}

// dedupe returns a and then b without repeats; a itself when b is empty
// (a has none: link made it so).
func dedupe(a, b []*node) []*node {
	if len(b) == 0 {
		return a
	}
	out := make([]*node, 0, len(a)+len(b))
	if len(a)+len(b) <= 16 {
		for _, s := range [][]*node{a, b} {
			for _, n := range s {
				if !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
		}
		return out
	}
	// Long lists (every ancestor of the current revisions): a set of
	// load indexes instead of a quadratic search.
	top := 0
	for _, s := range [][]*node{a, b} {
		for _, n := range s {
			top = max(top, n.idx)
		}
	}
	seen := make(bits, top/64+1)
	for _, s := range [][]*node{a, b} {
		for _, n := range s {
			if !seen.has(n) {
				seen.add(n)
				out = append(out, n)
			}
		}
	}
	return out
}

// normalizeDeps drops a dependency that an ancestor (by Revises) already
// depends on, as Alembic's _normalize_depends_on does.
func (g *Graph) normalizeDeps() {
	for _, n := range g.nodes {
		if len(n.deps) == 0 {
			n.normDown = n.down
			continue
		}
		anc := g.reach(downEdges, n.down)
		drop := g.newBits()
		for _, a := range g.nodes {
			if anc.has(a) {
				for _, d := range a.deps {
					drop.add(d)
				}
			}
		}
		for _, d := range n.deps {
			if !drop.has(d) {
				n.normDeps = append(n.normDeps, d)
			}
		}
		n.normDown = dedupe(n.down, n.normDeps)
	}
}

// detectCycles finds revisions that are not both reachable from a head
// going down and from a base going up: they sit on a cycle.
func (g *Graph) detectCycles() error {
	if len(g.nodes) == 0 {
		return nil
	}
	// Peeling finds every cycle; in a graph without one, every revision
	// is reached from a head going down and from a base going up, so the
	// walks below, which only decide what the error names, can be skipped.
	if len(g.cyclic(downEdges, nextEdges)) == 0 && len(g.cyclic(allDownEdges, allNextEdges)) == 0 {
		return nil
	}
	check := func(heads, bases []*node, downE, upE edges, dep bool) error {
		if len(heads) == 0 || len(bases) == 0 {
			return &CycleError{Revisions: g.sortedIDs(g.nodes), Dependency: dep}
		}
		fromHeads := g.reach(downE, heads)
		fromBases := g.reach(upE, bases)
		var bad []*node
		for _, n := range g.nodes {
			if !fromHeads.has(n) || !fromBases.has(n) {
				bad = append(bad, n)
			}
		}
		if len(bad) > 0 {
			return &CycleError{Revisions: g.sortedIDs(bad), Dependency: dep}
		}
		return nil
	}
	if err := check(g.heads, g.bases, downEdges, nextEdges, false); err != nil {
		return err
	}
	if bad := g.cyclic(downEdges, nextEdges); len(bad) > 0 {
		return &CycleError{Revisions: g.sortedIDs(bad)}
	}
	if err := check(g.realHeads, g.realBases, allDownEdges, allNextEdges, true); err != nil {
		return err
	}
	if bad := g.cyclic(allDownEdges, allNextEdges); len(bad) > 0 {
		return &CycleError{Revisions: g.sortedIDs(bad), Dependency: true}
	}
	return nil
}

// cyclic finds the cycles the reachability check misses (and Alembic
// with it): a loop that a head reaches going down and a base reaches
// going up, such as b revising a and c while c revises b. It peels off
// revisions with no parent left, then revisions with no child left;
// what remains lies on a cycle, or between two.
func (g *Graph) cyclic(down, up edges) []*node {
	gone := g.newBits()
	left := make([]int, len(g.nodes)) // by load index
	peel := func(count, next edges) {
		var todo []*node
		for _, n := range g.nodes {
			if gone.has(n) {
				continue
			}
			left[n.idx] = 0
			for _, m := range count(n) {
				if !gone.has(m) {
					left[n.idx]++
				}
			}
			if left[n.idx] == 0 {
				todo = append(todo, n)
			}
		}
		for len(todo) > 0 {
			n := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			gone.add(n)
			for _, m := range next(n) {
				if left[m.idx]--; left[m.idx] == 0 && !gone.has(m) {
					todo = append(todo, m)
				}
			}
		}
	}
	peel(down, up) // from the bases up
	peel(up, down) // from the heads down
	var bad []*node
	for _, n := range g.nodes {
		if !gone.has(n) {
			bad = append(bad, n)
		}
	}
	return bad
}

func (g *Graph) sortedIDs(ns []*node) []string {
	ids := make([]string, len(ns))
	for i, n := range ns {
		ids[i] = n.rev.ID
	}
	sort.Strings(ids)
	return ids
}

// propagateLabels spreads each declared branch label to every descendant
// (by Revises), and from the last descendant reached back down its line
// until a real branch point or a merge point, as Alembic does.
func (g *Graph) propagateLabels() {
	for _, n := range g.nodes {
		n.labels = slices.Clone(n.rev.BranchLabels)
	}
	for _, n := range g.nodes {
		if len(n.rev.BranchLabels) == 0 {
			continue
		}
		desc := g.related(nextEdges, []*node{n})
		for _, d := range desc {
			// A label is declared once, so only this loop adds it to
			// descendants: no need to look for it first.
			if d != n {
				d.labels = append(d.labels, n.rev.BranchLabels...)
			}
		}
		p := desc[len(desc)-1]
		for p != nil && !p.isRealBranchPoint() && !p.isMergePoint() {
			addLabels(p, n.rev.BranchLabels)
			if len(p.down) == 0 {
				break
			}
			p = p.down[0]
		}
	}
}

func addLabels(n *node, labels []string) {
	for _, l := range labels {
		if !n.hasLabel(l) {
			n.labels = append(n.labels, l)
		}
	}
}

// edges picks the neighbours a walk follows.
type edges func(*node) []*node

var (
	downEdges     edges = func(n *node) []*node { return n.down }
	normDownEdges edges = func(n *node) []*node { return n.normDown }
	allDownEdges  edges = func(n *node) []*node { return n.allDown }
	nextEdges     edges = func(n *node) []*node { return n.next }
	allNextEdges  edges = func(n *node) []*node { return n.allNext }
)

// related returns the targets and everything reachable from them along
// e, in Alembic's stack order (depth first, last neighbour first).
func (g *Graph) related(e edges, targets []*node) []*node {
	seen := g.newBits()
	var out, todo []*node
	for _, t := range targets {
		todo = append(todo, t)
		for len(todo) > 0 {
			n := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			if seen.has(n) {
				continue
			}
			seen.add(n)
			todo = append(todo, e(n)...)
			out = append(out, n)
		}
	}
	return out
}

// reach is related as a set: the targets and everything reachable
// from them along e.
func (g *Graph) reach(e edges, targets []*node) bits {
	seen := g.newBits()
	todo := slices.Clone(targets)
	for len(todo) > 0 {
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen.has(n) {
			continue
		}
		seen.add(n)
		todo = append(todo, e(n)...)
	}
	return seen
}

// bits is a set of revisions by load index: membership tests on large
// graphs without building maps.
type bits []uint64

func (g *Graph) newBits() bits  { return make(bits, (len(g.nodes)+63)/64) }
func (b bits) has(n *node) bool { return b[n.idx>>6]&(1<<(n.idx&63)) != 0 }
func (b bits) add(n *node)      { b[n.idx>>6] |= 1 << (n.idx & 63) }
func (b bits) remove(n *node)   { b[n.idx>>6] &^= 1 << (n.idx & 63) }
func (b bits) hasAny(ns []*node) bool {
	for _, n := range ns {
		if b.has(n) {
			return true
		}
	}
	return false
}

// relatedChecked is related, but fails when one target is reachable from
// another (Alembic's "overlaps" check).
func (g *Graph) relatedChecked(e edges, targets []*node) ([]*node, error) {
	seen := g.newBits()
	var out, todo []*node
	for _, t := range targets {
		todo = append(todo, t)
		per := g.newBits()
		for len(todo) > 0 {
			n := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			per.add(n)
			if seen.has(n) {
				continue
			}
			seen.add(n)
			todo = append(todo, e(n)...)
			out = append(out, n)
		}
		var overlaps []string
		for _, o := range targets {
			if o != t && per.has(o) && !slices.Contains(overlaps, o.rev.ID) {
				overlaps = append(overlaps, o.rev.ID)
			}
		}
		if len(overlaps) > 0 {
			return nil, &RangeError{Msg: fmt.Sprintf("requested revision %s overlaps with other requested revisions %s; the version table may hold both a revision and its ancestor: rewrite it with 'retort stamp --purge' and the revisions to keep",
				t.rev.ID, strings.Join(overlaps, ", "))}
		}
	}
	return out, nil
}

func toSet(ns []*node) map[*node]bool {
	s := make(map[*node]bool, len(ns))
	for _, n := range ns {
		s[n] = true
	}
	return s
}

func (g *Graph) ancestors(ns []*node, withDeps bool) []*node {
	if withDeps {
		return g.related(normDownEdges, ns)
	}
	return g.related(downEdges, ns)
}

func (g *Graph) descendants(ns []*node, withDeps bool) []*node {
	if withDeps {
		return g.related(allNextEdges, ns)
	}
	return g.related(nextEdges, ns)
}

// sharesLineage reports whether n is an ancestor or descendant of (or
// is) any of against.
func (g *Graph) sharesLineage(n *node, against []*node, withDeps bool) bool {
	if len(against) == 0 {
		return true
	}
	down, up := downEdges, nextEdges
	if withDeps {
		down, up = normDownEdges, allNextEdges
	}
	return g.reach(up, []*node{n}).hasAny(against) || g.reach(down, []*node{n}).hasAny(against)
}
