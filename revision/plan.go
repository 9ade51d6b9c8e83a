package revision

import (
	"fmt"
	"slices"
	"strings"
)

// Direction says which way a step moves.
type Direction int

// Directions.
const (
	Up Direction = iota + 1
	Down
)

// String returns "upgrade" or "downgrade".
func (d Direction) String() string {
	switch d {
	case Up:
		return "upgrade"
	case Down:
		return "downgrade"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

// RowKind is the kind of change a step makes to the version table.
type RowKind int

// Row changes.
const (
	Insert RowKind = iota + 1
	Update
	Delete
)

// String returns "insert", "update" or "delete".
func (k RowKind) String() string {
	switch k {
	case Insert:
		return "insert"
	case Update:
		return "update"
	case Delete:
		return "delete"
	}
	return fmt.Sprintf("RowKind(%d)", int(k))
}

// RowChange is one change to the version table; each touches exactly
// one row.
type RowChange struct {
	Kind RowKind
	// From is the row deleted or updated; empty for Insert.
	From string
	// To is the row inserted or the new value of an updated row; empty
	// for Delete.
	To string
}

// Step is one migration to run (or, for a stamp, one change recorded
// without running anything), with the version-table changes that follow
// it.
type Step struct {
	// Revision is the revision whose upgrade or downgrade runs; nil for
	// a stamp step.
	Revision *Revision
	// Direction is Up or Down.
	Direction Direction
	// From and To are the revisions the step moves between, without
	// dependencies, as Alembic logs them ("Running upgrade A -> B").
	From, To []string
	// Rows are the version-table changes, in order.
	Rows []RowChange
}

// Stamp reports a step that records revisions without running them.
func (s Step) Stamp() bool { return s.Revision == nil }

// String renders the step as Alembic logs it: "upgrade A -> B, message".
func (s Step) String() string {
	verb := s.Direction.String()
	if s.Stamp() {
		verb = "stamp_revision"
	}
	msg := fmt.Sprintf("%s %s -> %s", verb, strings.Join(s.From, ", "), strings.Join(s.To, ", "))
	if s.Revision != nil && s.Revision.Message != "" {
		msg += ", " + s.Revision.Message
	}
	return msg
}

// Plan is the ordered steps from a set of current heads to a target.
type Plan struct {
	Steps []Step
	// Heads are the version table's rows once every step has run.
	Heads []string
	// Target is the destination in absolute form (relative steps
	// resolved), so a run that must re-plan after another process moved
	// the database reaches the same place.
	Target string
}

// Upgrade plans the steps from the current heads (the version table's
// rows, in the database's order) up to target, as Alembic's upgrade
// command does. Targets that are ancestors of the current heads are
// no-ops, as in Alembic.
func (g *Graph) Upgrade(current []string, target string) (*Plan, error) {
	targets, err := g.upgradeTargetsFrom(current, target)
	if err != nil {
		return nil, err
	}
	needs, err := g.collectUpgrade(current, targets, upgradeOpts{implicitBase: true})
	if err != nil {
		return nil, err
	}
	order := g.topoSort(needs, targets)
	slices.Reverse(order)
	abs := strings.Join(nodeIDs(targets), " ")
	if abs == "" {
		abs = "base"
	}
	p := &Plan{Target: abs}
	err = p.build(g, current, order, Up)
	return p, err
}

// upgradeTargetsFrom resolves an upgrade target; several ids separated
// by spaces (a Plan's Target) name several revisions at once.
func (g *Graph) upgradeTargetsFrom(current []string, target string) ([]*node, error) {
	if strings.Contains(target, " ") {
		var out []*node
		for _, t := range strings.Fields(target) {
			ns, err := g.revisions(t)
			if err != nil {
				return nil, err
			}
			out = append(out, ns...)
		}
		return out, nil
	}
	return g.upgradeTargets(current, target, true)
}

// Downgrade plans the steps from the current heads down to target, as
// Alembic's downgrade command does.
func (g *Graph) Downgrade(current []string, target string) (*Plan, error) {
	label, dest, err := g.downgradeTarget(current, target, true)
	if err != nil {
		return nil, err
	}
	drop, heads, err := g.collectDowngrade(current, label, dest, false)
	if err != nil {
		if re, ok := err.(*RangeError); ok && re.Msg == nothingToDrop {
			return nil, rangeErr(target, "not a valid downgrade target from current head(s) %s; it is not an ancestor of what the database has", formatHeads(current))
		}
		return nil, err
	}
	abs := "base"
	if dest != nil {
		abs = dest.rev.ID
	}
	if label != "" {
		abs = label + "@" + abs
	}
	p := &Plan{Target: abs}
	err = p.build(g, current, g.topoSort(drop, heads), Down)
	return p, err
}

func formatHeads(h []string) string {
	if len(h) == 0 {
		return "(none)"
	}
	return "(" + strings.Join(h, ", ") + ")"
}

const nothingToDrop = "nothing to drop"

type upgradeOpts struct {
	implicitBase bool
	inclusive    bool
	lowerLabel   string // LABEL of a "LABEL@..." lower bound, for history
	lowerArg     string // the lower bound as given, for messages
}

// collectUpgrade returns what must be applied to reach targets from
// current (Alembic's _collect_upgrade_revisions).
func (g *Graph) collectUpgrade(current []string, targets []*node, o upgradeOpts) (map[*node]bool, error) {
	if o.lowerLabel != "" {
		branch := o.lowerLabel
		if br, err := g.revision(branch); err == nil && br != nil && br.rev.ID == branch && len(br.labels) == 1 {
			branch = br.labels[0]
		}
		var kept []*node
		for _, t := range targets {
			if t.hasLabel(branch) {
				kept = append(kept, t)
			}
		}
		targets = kept
	}
	req, err := g.relatedChecked(normDownEdges, targets)
	if err != nil {
		return nil, err
	}
	required := toSet(req)
	cur, err := g.revisionsOf(current)
	if err != nil {
		return nil, err
	}
	if !o.implicitBase {
		for _, c := range cur {
			if !required[c] {
				return nil, rangeErr("", "requested range %s:%s does not refer to ancestor/descendant revisions along the same branch",
					o.lowerArg, strings.Join(nodeIDs(targets), ","))
			}
		}
	}
	have, err := g.relatedChecked(normDownEdges, cur)
	if err != nil {
		return nil, err
	}
	needs := required
	for _, h := range have {
		delete(needs, h)
	}
	if o.inclusive {
		for _, c := range cur {
			needs[c] = true
		}
	}
	if len(cur) > 0 && !o.implicitBase {
		desc, err := g.relatedChecked(nextEdges, cur)
		if err != nil {
			return nil, err
		}
		ds := toSet(desc)
		for n := range needs {
			if !ds[n] {
				delete(needs, n)
			}
		}
	}
	return needs, nil
}

// collectDowngrade returns what must be undone to reach dest (nil =
// base) from current (Alembic's _collect_downgrade_revisions).
func (g *Graph) collectDowngrade(current []string, label string, dest *node, inclusive bool) (map[*node]bool, []*node, error) {
	var roots []*node
	switch {
	case dest == nil:
		for _, n := range g.nodes {
			if len(n.down) == 0 {
				roots = append(roots, n)
			}
		}
	case inclusive:
		roots = []*node{dest}
	default:
		roots = slices.Clone(dest.next)
	}
	if label != "" && len(roots) > 1 {
		br, err := g.resolveBranch(label)
		if err != nil {
			return nil, nil, err
		}
		anc := toSet(g.ancestors([]*node{br}, false))
		var kept []*node
		for _, r := range roots {
			if anc[r] {
				kept = append(kept, r)
			}
		}
		if len(kept) == 0 {
			return nil, nil, rangeErr(label, "not a valid downgrade target from current heads")
		}
		roots = kept
	}
	heads, err := g.revisionsOf(current)
	if err != nil {
		return nil, nil, err
	}
	active := g.reach(normDownEdges, heads)
	drop := map[*node]bool{}
	for _, d := range g.descendants(roots, true) {
		if active.has(d) {
			drop[d] = true
		}
	}
	if dest != nil && len(drop) == 0 && !slices.Contains(heads, dest) {
		return nil, nil, &RangeError{Msg: nothingToDrop}
	}
	return drop, heads, nil
}

// topoSort orders revs heads first, every revision before its parents,
// walking one branch down until another pending head needs the
// candidate, as Alembic's _topological_sort does.
func (g *Graph) topoSort(revs map[*node]bool, heads []*node) []*node {
	todo := make(map[*node]bool, len(revs))
	for n := range revs {
		todo[n] = true
	}
	var cur []*node
	for _, h := range heads {
		if todo[h] && !slices.Contains(cur, h) {
			cur = append(cur, h)
		}
	}
	out := make([]*node, 0, len(todo))
	for len(todo) > 0 {
		if len(cur) == 0 {
			// heads outside revs (Alembic asserts here): go on from the
			// tips of what is left, so nothing is silently dropped.
			cur = tips(todo)
		}
		out = g.topoSortFrom(todo, cur, out)
		cur = nil
	}
	return out
}

// tips returns the revisions in set that no other revision in set has
// as an effective parent.
func tips(set map[*node]bool) []*node {
	below := map[*node]bool{}
	for n := range set {
		for _, d := range n.normDown {
			below[d] = true
		}
	}
	var out []*node
	for n := range set {
		if !below[n] {
			out = append(out, n)
		}
	}
	return out
}

// topoSortFrom runs Alembic's sort from the heads cur, appending to out
// and deleting from todo what it emits.
func (g *Graph) topoSortFrom(todo map[*node]bool, cur, out []*node) []*node {
	slices.SortFunc(cur, func(a, b *node) int { return a.idx - b.idx })
	anc := func(n *node) bits { return g.reach(normDownEdges, []*node{n}) }
	ancestors := make([]bits, len(cur))
	for i, h := range cur {
		ancestors[i] = anc(h)
	}
	idx := 0
	for len(cur) > 0 {
		cand := cur[idx]
		blocked := false
		for j, a := range ancestors {
			if j != idx && a.has(cand) {
				idx = j
				blocked = true
				break
			}
		}
		if blocked {
			continue
		}
		if todo[cand] {
			out = append(out, cand)
			delete(todo, cand)
		}
		var add []*node
		for _, d := range cand.normDown {
			if todo[d] && !slices.Contains(cur, d) {
				add = append(add, d)
			}
		}
		switch {
		case len(add) == 0:
			cur = slices.Delete(cur, idx, idx+1)
			ancestors = slices.Delete(ancestors, idx, idx+1)
			idx = max(idx-1, 0)
		case len(cand.normDeps) == 0 && len(cand.down) == 1:
			cur[idx] = add[0]
			ancestors[idx].remove(cand)
		default:
			cur[idx] = add[0]
			cur = append(cur, add[1:]...)
			ancestors[idx] = anc(add[0])
			for _, a := range add[1:] {
				ancestors = append(ancestors, anc(a))
			}
		}
	}
	return out
}

// build turns ordered revisions into steps, simulating the version
// table from current to compute each step's row changes.
func (p *Plan) build(g *Graph, current []string, order []*node, dir Direction) error {
	hm := headMaintainer{g: g, heads: slices.Clone(current)}
	for _, n := range order {
		s := Step{Revision: n.rev, Direction: dir}
		if dir == Up {
			s.From, s.To = nodeIDs(n.down), []string{n.rev.ID}
		} else {
			s.From, s.To = []string{n.rev.ID}, nodeIDs(n.down)
		}
		rows, err := hm.revisionStep(n, dir)
		if err != nil {
			return err
		}
		s.Rows = rows
		p.Steps = append(p.Steps, s)
	}
	p.Heads = hm.heads
	return nil
}
