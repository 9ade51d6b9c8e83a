package revision

import (
	"fmt"
	"slices"
	"strings"
)

// headMaintainer simulates the version table while a plan is built,
// choosing each step's row changes with Alembic's rules: delete a
// branch, create a branch, merge, unmerge, or a plain update.
type headMaintainer struct {
	g     *Graph
	heads []string
	rows  []RowChange
}

func (h *headMaintainer) has(id string) bool { return slices.Contains(h.heads, id) }

func (h *headMaintainer) insert(id string) error {
	if h.has(id) {
		return fmt.Errorf("version table already holds %s; it is inconsistent with the revision graph: fix it with 'retort stamp'", id)
	}
	h.heads = append(h.heads, id)
	h.rows = append(h.rows, RowChange{Kind: Insert, To: id})
	return nil
}

func (h *headMaintainer) delete(id string) error {
	i := slices.Index(h.heads, id)
	if i < 0 {
		return fmt.Errorf("version table does not hold %s; it is inconsistent with the revision graph: fix it with 'retort stamp'", id)
	}
	h.heads = slices.Delete(h.heads, i, i+1)
	h.rows = append(h.rows, RowChange{Kind: Delete, From: id})
	return nil
}

func (h *headMaintainer) update(from, to string) error {
	i := slices.Index(h.heads, from)
	if i < 0 || h.has(to) {
		return fmt.Errorf("cannot move version row %s to %s; the version table is inconsistent with the revision graph: fix it with 'retort stamp'", from, to)
	}
	h.heads[i] = to
	h.rows = append(h.rows, RowChange{Kind: Update, From: from, To: to})
	return nil
}

// notImplied returns the ids in ids that are not ancestors (with
// dependencies) of the heads other than except.
func (h *headMaintainer) notImplied(ids []string, except []string) []string {
	var others []*node
	for _, id := range h.heads {
		if !slices.Contains(except, id) {
			if n := h.g.byID[id]; n != nil {
				others = append(others, n)
			}
		}
	}
	if len(others) == 0 {
		return ids
	}
	anc := h.g.reach(normDownEdges, others)
	var out []string
	for _, id := range ids {
		if !anc.has(h.g.byID[id]) {
			out = append(out, id)
		}
	}
	return out
}

// tips drops from ids every revision that is an ancestor (with
// dependencies) of another of them: a parent that another parent
// already implies needs no row of its own.
func (h *headMaintainer) tips(ids []string) []string {
	var parents []*node
	for _, id := range ids {
		if n := h.g.byID[id]; n != nil {
			parents = append(parents, n.normDown...)
		}
	}
	below := h.g.reach(normDownEdges, parents)
	var out []string
	for _, id := range ids {
		if n := h.g.byID[id]; n == nil || !below.has(n) {
			out = append(out, id)
		}
	}
	return out
}

func (h *headMaintainer) revisionStep(n *node, dir Direction) ([]RowChange, error) {
	h.rows = nil
	id := n.rev.ID
	downs := nodeIDs(n.normDown)
	inHeads := 0
	for _, d := range downs {
		if h.has(d) {
			inHeads++
		}
	}
	var err error
	switch {
	case dir == Down && h.has(id) && (len(downs) == 0 || len(h.notImplied(downs, []string{id})) == 0):
		err = h.delete(id)
	case dir == Up && (len(downs) == 0 || inHeads == 0):
		err = h.insert(id)
	case dir == Up && len(downs) > 1 && inHeads > 1:
		from := h.notImplied(downs, downs)
		var present []string
		for _, f := range from {
			if h.has(f) {
				present = append(present, f)
			}
		}
		if len(present) == 0 {
			return nil, fmt.Errorf("merge %s: none of its parents is in the version table", id)
		}
		for _, d := range present[:len(present)-1] {
			if err = h.delete(d); err != nil {
				return nil, err
			}
		}
		err = h.update(present[len(present)-1], id)
	case dir == Down && h.has(id) && len(downs) > 1:
		// Alembic inserts every parent not implied by another row,
		// even one another parent implies (a revision that depends on
		// both a revision and its ancestor, a merge of a branch the
		// other parent depends on); retort keeps the table minimal:
		// one row per tip of what stays applied.
		to := h.tips(h.notImplied(downs, []string{id}))
		for _, t := range to[:len(to)-1] {
			if err = h.insert(t); err != nil {
				return nil, err
			}
		}
		err = h.update(id, to[len(to)-1])
	default:
		down := ""
		if len(downs) == 1 {
			down = downs[0]
		} else {
			var present []string
			for _, d := range downs {
				if h.has(d) {
					present = append(present, d)
				}
			}
			if len(present) != 1 {
				return nil, fmt.Errorf("revision %s: can't update the version table because the parent revision is ambiguous (%v in the table)", id, present)
			}
			down = present[0]
		}
		if dir == Up {
			err = h.update(down, id)
		} else {
			err = h.update(id, down)
		}
	}
	if err != nil {
		return nil, err
	}
	return h.rows, nil
}

// stampStep applies Alembic's StampStep rules.
func (h *headMaintainer) stampStep(from, to []string, up, branchMove bool) ([]RowChange, error) {
	h.rows = nil
	var err error
	missing := func(ids []string) bool {
		for _, id := range ids {
			if !h.has(id) {
				return true
			}
		}
		return false
	}
	switch {
	case !up && branchMove:
		err = h.delete(from[0])
	case up && (branchMove || missing(from)) && missing(to):
		err = h.insert(to[0])
	case len(from) > 1:
		for _, d := range from[:len(from)-1] {
			if h.has(d) {
				if err = h.delete(d); err != nil {
					return nil, err
				}
			}
		}
		last := from[len(from)-1]
		if h.has(last) {
			err = h.update(last, to[0])
		} else if !h.has(to[0]) {
			err = h.insert(to[0])
		}
	case len(to) > 1:
		for _, t := range to[:len(to)-1] {
			if err = h.insert(t); err != nil {
				return nil, err
			}
		}
		err = h.update(from[0], to[len(to)-1])
	case len(from) == 1 && len(to) == 1:
		switch {
		case h.has(from[0]):
			err = h.update(from[0], to[0])
		case !h.has(to[0]):
			// An earlier destination of the same stamp moved this row
			// already ("stamp B C" with B and C both below the row).
			err = h.insert(to[0])
		}
	}
	if err != nil {
		return nil, err
	}
	return h.rows, nil
}

// Stamp plans recording targets in the version table without running
// migrations, as Alembic's stamp: each destination is planned against
// the original heads, filtered by lineage with dependencies.
func (g *Graph) Stamp(current []string, targets []string) (*Plan, error) {
	if len(targets) == 0 {
		targets = []string{"base"}
	}
	heads, err := g.revisionsOf(current)
	if err != nil {
		return nil, err
	}
	var filtered []*node
	for _, t := range targets {
		if t == "" {
			continue
		}
		fs, err := g.filterForLineage(heads, t, true)
		if err != nil {
			return nil, stampErr(err)
		}
		for _, f := range fs {
			if !slices.Contains(filtered, f) {
				filtered = append(filtered, f)
			}
		}
	}
	var dests []*node
	for _, t := range targets {
		ns, err := g.revisions(t)
		if err != nil {
			return nil, stampErr(err)
		}
		for _, n := range ns {
			if !slices.Contains(dests, n) { // "stamp a1 a1" is "stamp a1"
				dests = append(dests, n)
			}
		}
	}
	for _, d := range dests {
		anc := g.ancestors([]*node{d}, true)
		for _, o := range dests {
			if o != d && slices.Contains(anc, o) {
				return nil, &RangeError{Target: strings.Join(targets, " "),
					Msg: fmt.Sprintf("stamp targets overlap: %s is an ancestor of %s; stamp only %s", o.rev.ID, d.rev.ID, d.rev.ID)}
			}
		}
	}
	hm := headMaintainer{g: g, heads: slices.Clone(current)}
	p := &Plan{Target: joinIDs(dests)}
	add := func(from, to []string, up, branchMove bool) error {
		rows, err := hm.stampStep(from, to, up, branchMove)
		if err != nil {
			return err
		}
		dir := Down
		if up {
			dir = Up
		}
		p.Steps = append(p.Steps, Step{Direction: dir, From: from, To: to, Rows: rows})
		return nil
	}
	fids := nodeIDs(filtered)
	if len(dests) == 0 {
		for _, f := range fids {
			if err := add([]string{f}, nil, false, true); err != nil {
				return nil, err
			}
		}
	}
	for _, d := range dests {
		if slices.Contains(filtered, d) {
			continue
		}
		desc := g.reach(allNextEdges, []*node{d})
		anc := g.reach(normDownEdges, []*node{d})
		var err error
		switch {
		case anyIn(filtered, desc):
			err = add(fids, []string{d.rev.ID}, false, false)
		case anyIn(filtered, anc):
			err = add(fids, []string{d.rev.ID}, true, false)
		default:
			err = add(nil, []string{d.rev.ID}, true, true)
		}
		if err != nil {
			return nil, err
		}
	}
	p.Heads = hm.heads
	return p, nil
}

func joinIDs(ns []*node) string {
	if len(ns) == 0 {
		return "base"
	}
	s := ""
	for i, n := range ns {
		if i > 0 {
			s += " "
		}
		s += n.rev.ID
	}
	return s
}

func anyIn(ns []*node, set bits) bool { return set.hasAny(ns) }

func stampErr(err error) error {
	if mh, ok := err.(*MultipleHeadsError); ok {
		return &RangeError{Target: mh.Target, Msg: fmt.Sprintf("multiple heads are present (%v); please specify a single target revision", mh.Heads)}
	}
	return err
}
