package revision

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// pos is a place in a walk: a revision, "nothing" (zero pos: the
// starting point below every base, or an overwalk), or below (the
// "base" marker a downward walk reaches past a base).
type pos struct {
	n     *node
	below bool
}

// relative matches Alembic's relative destinations: [LABEL@][SYMBOL]+N|-N.
var relative = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:(.+?)@)?(\w+)?([+-]\d+)$`) })

// resolveNumber splits LABEL@ID and expands the symbols head, heads and
// base into ids, as Alembic's _resolve_revision_number.
func (g *Graph) resolveNumber(id string) (ids []string, label string, err error) {
	if i := strings.IndexByte(id, '@'); i >= 0 {
		label, id = id[:i], id[i+1:]
	}
	switch id {
	case "heads":
		if label != "" {
			hs, err := g.filterForLineage(g.heads, label, false)
			return nodeIDs(hs), label, err
		}
		return nodeIDs(g.realHeads), "", nil
	case "head":
		h, err := g.currentHead(label)
		if err != nil || h == nil {
			return nil, label, err
		}
		return []string{h.rev.ID}, label, nil
	case "base", "":
		return nil, label, nil
	}
	return []string{id}, label, nil
}

func nodeIDs(ns []*node) []string {
	ids := make([]string, len(ns))
	for i, n := range ns {
		ids[i] = n.rev.ID
	}
	return ids
}

func (g *Graph) currentHead(label string) (*node, error) {
	hs := g.heads
	if label != "" {
		var err error
		if hs, err = g.filterForLineage(hs, label, false); err != nil {
			return nil, err
		}
	}
	if len(hs) > 1 {
		t := "head"
		if label != "" {
			t = label + "@head"
		}
		return nil, &MultipleHeadsError{Target: t, Heads: nodeIDs(hs)}
	}
	if len(hs) == 1 {
		return hs[0], nil
	}
	return nil, nil
}

// filterForLineage keeps the targets that are ancestors or descendants
// of what against names.
func (g *Graph) filterForLineage(targets []*node, against string, withDeps bool) ([]*node, error) {
	ids, label, err := g.resolveNumber(against)
	if err != nil {
		return nil, err
	}
	var shares []*node
	if label != "" {
		ids = append([]string{label}, ids...)
	}
	for _, id := range ids {
		n, err := g.revisionForIdent(id, "")
		if err != nil {
			return nil, err
		}
		if n != nil {
			shares = append(shares, n)
		}
	}
	var out []*node
	for _, t := range targets {
		if len(ids) == 0 || g.sharesLineage(t, shares, withDeps) {
			out = append(out, t)
		}
	}
	return out, nil
}

func (g *Graph) resolveBranch(label string) (*node, error) {
	if n := g.lookup(label); n != nil {
		return n, nil
	}
	n, err := g.revisionForIdent(label, "")
	if err != nil {
		return nil, resolutionErr(label, "no such branch: '%s'", label)
	}
	return n, nil
}

// revisionForIdent resolves a full or partial id or a branch label,
// checking membership of branch when given. An empty id is base: nil.
func (g *Graph) revisionForIdent(id, branch string) (*node, error) {
	var branchRev *node
	if branch != "" {
		var err error
		if branchRev, err = g.resolveBranch(branch); err != nil {
			return nil, err
		}
	}
	if id == "" {
		return nil, nil
	}
	n := g.lookup(id)
	if n == nil {
		var matches []string
		for _, k := range g.keys {
			if len(k) > 3 && strings.HasPrefix(k, id) {
				matches = append(matches, k)
			}
		}
		if branchRev != nil && len(matches) > 0 {
			var kept []string
			for _, m := range matches {
				if g.sharesLineage(g.lookup(m), []*node{branchRev}, false) {
					kept = append(kept, m)
				}
			}
			matches = kept
		}
		switch {
		case len(matches) == 0:
			hint := "; check 'retort history' for the ids that exist"
			if len(id) < 4 {
				hint = "; please ensure at least four characters are present for partial revision identifier matches"
			}
			return nil, resolutionErr(id, "no such revision or branch '%s'%s", id, hint)
		case len(matches) > 1:
			return nil, &ResolutionError{Arg: id, Candidates: matches,
				Msg: fmt.Sprintf("multiple revisions start with '%s': %s; type more characters", id, quoteList(matches))}
		}
		n = g.lookup(matches[0])
	}
	if branchRev != nil && !g.sharesLineage(n, []*node{branchRev}, false) {
		return nil, resolutionErr(id, "revision %s is not a member of branch '%s'", n.rev.ID, branch)
	}
	return n, nil
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, ", ")
}

// revisions resolves an identifier to zero or more revisions, as
// Alembic's get_revisions: symbols, LABEL@..., and -N / LABEL@-N walking
// down from the heads. A position past base is dropped; an overwalk is
// an error.
func (g *Graph) revisions(id string) ([]*node, error) {
	ids, label, err := g.resolveNumber(id)
	if err != nil {
		return nil, err
	}
	if len(ids) == 1 {
		if k, err := stepCount(ids[0]); err == nil && k < 0 {
			var out []*node
			for _, h := range g.realHeads {
				if label != "" && !h.hasLabel(label) {
					continue
				}
				p, err := g.walk(pos{n: h}, k, "", true)
				if err != nil {
					return nil, err
				}
				if p.n == nil && !p.below {
					return nil, rangeErr(id, "walked past base; there are fewer revisions below the heads than that")
				}
				if p.n != nil {
					out = append(out, p.n)
				}
			}
			return out, nil
		}
	}
	out := make([]*node, 0, len(ids))
	for _, i := range ids {
		n, err := g.revisionForIdent(i, label)
		if err != nil {
			return nil, err
		}
		if n != nil {
			out = append(out, n)
		}
	}
	return out, nil
}

func (g *Graph) revisionsOf(ids []string) ([]*node, error) {
	var out []*node
	for _, id := range ids {
		ns, err := g.revisions(id)
		if err != nil {
			return nil, err
		}
		out = append(out, ns...)
	}
	return out, nil
}

// revision resolves an identifier that must name at most one revision;
// nil is base.
func (g *Graph) revision(id string) (*node, error) {
	ids, label, err := g.resolveNumber(id)
	if err != nil {
		return nil, err
	}
	if len(ids) > 1 {
		return nil, &MultipleHeadsError{Target: id, Heads: ids}
	}
	first := ""
	if len(ids) == 1 {
		first = ids[0]
	}
	return g.revisionForIdent(first, label)
}

// walk moves steps up (>0) or down (<0) from start; up walks may be kept
// to a branch. Past the ends it returns the zero pos when noOverwalk,
// else stops where it is.
func (g *Graph) walk(start pos, steps int, branch string, noOverwalk bool) (pos, error) {
	cur := start
	for range abs(steps) {
		var children []pos
		if steps > 0 {
			if cur.below {
				return pos{}, rangeErr("", "cannot walk up from below base")
			}
			cands := g.bases
			if cur.n != nil {
				cands = cur.n.next
			}
			for _, c := range cands {
				if branch != "" {
					ok, err := g.filterForLineage([]*node{c}, branch, false)
					if err != nil {
						return pos{}, err
					}
					if len(ok) == 0 {
						continue
					}
				}
				children = append(children, pos{n: c})
			}
		} else if !cur.below {
			cands := g.heads
			if cur.n != nil {
				cands = cur.n.down
			}
			for _, c := range cands {
				children = append(children, pos{n: c})
			}
			if len(children) == 0 {
				children = []pos{{below: true}}
			}
		}
		switch {
		case len(children) == 0:
			if noOverwalk {
				return pos{}, nil
			}
			return cur, nil
		case len(children) > 1:
			return pos{}, ambiguousWalk(cur, children, steps)
		}
		cur = children[0]
	}
	return cur, nil
}

// ambiguousWalk explains a relative step that reaches a branch or merge
// point: it names the revisions the step could go to, and suggests
// LABEL@N only when they carry branch labels.
func ambiguousWalk(cur pos, next []pos, steps int) error {
	at, what := "the database's heads", "several heads"
	if cur.n != nil {
		at, what = cur.n.rev.ID, "a branch point"
		if steps < 0 {
			what = "a merge point"
		}
	}
	var ids, labels []string
	for _, p := range next {
		if p.n == nil {
			ids = append(ids, "base")
			continue
		}
		ids = append(ids, p.n.rev.ID)
		for _, l := range p.n.labels {
			if !slices.Contains(labels, l) {
				labels = append(labels, l)
			}
		}
	}
	one := 1
	if steps < 0 {
		one = -1
	}
	msg := fmt.Sprintf("ambiguous walk: %s is %s, so a step of %+d could go to %s", at, what, one, strings.Join(ids, " or "))
	if len(labels) > 0 {
		slices.Sort(labels)
		msg += fmt.Sprintf("; name the branch with LABEL@%+d (labels: %s) or name a revision", steps, strings.Join(labels, ", "))
	} else {
		msg += "; name the revision to go to instead (one of those, or one beyond them)"
	}
	return rangeErr("", "%s", msg)
}

// stepsAvailable counts the single steps a walk from start can take in
// direction dir (+1 up, -1 down), up to limit: how far a relative target
// could go.
func (g *Graph) stepsAvailable(start pos, dir int, branch string, limit int) int {
	n, cur := 0, start
	for n < limit {
		p, err := g.walk(cur, dir, branch, true)
		if err != nil || (p.n == nil && !p.below) {
			break
		}
		n++
		if p.below {
			break
		}
		cur = p
	}
	return n
}

// relMigrationsFrom is relMigrations for a walk from the database's
// revision (from; nil: an empty database) that could take only avail of
// the k steps asked for.
func relMigrationsFrom(rel string, k int, from *node, avail int) error {
	n := strings.TrimLeft(rel, "+-")
	where, dir, end, cmd := "an empty database", "up", "head", "upgrade head"
	if from != nil {
		where = "the database's revision " + from.rev.ID
	}
	if k < 0 {
		dir, end, cmd = "down", "base", "downgrade base"
	}
	verb := "exist"
	if avail == 1 {
		verb = "exists"
	}
	hint := fmt.Sprintf("only %d %s on the way to %s; use %+d, or 'retort %s'", avail, verb, end, avail*sign(k), cmd)
	if avail == 0 {
		hint = fmt.Sprintf("none exist: the database is at %s already", end)
	}
	return rangeErr(rel, "relative revision %s didn't produce %s migrations: %s counts %s steps %s from %s, and %s",
		rel, n, rel, n, dir, where, hint)
}

func sign(k int) int {
	if k < 0 {
		return -1
	}
	return 1
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// maxSteps bounds a relative step count: no graph is deeper, so a walk
// that long stops at base or head as a longer one would.
const maxSteps = math.MaxInt32

// stepCount parses a relative step count ("+2", "-1"). Counts too large
// for an int are clamped to maxSteps, as Python's unbounded ints make
// Alembic walk as far as the graph goes.
func stepCount(rel string) (int, error) {
	k, err := strconv.Atoi(rel)
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		if strings.HasPrefix(rel, "-") {
			return -maxSteps, nil
		}
		return maxSteps, nil
	}
	return max(min(k, maxSteps), -maxSteps), err
}

func relMigrations(rel string) error {
	n := strings.TrimLeft(rel, "+-")
	return rangeErr(rel, "relative revision %s didn't produce %s migrations", rel, n)
}

// downgradeTarget parses a downgrade destination against the current
// heads: it returns the branch label in force (if any) and the target
// revision (nil = base).
func (g *Graph) downgradeTarget(current []string, target string, assertLen bool) (string, *node, error) {
	if m := relative().FindStringSubmatch(target); m != nil {
		label, symbol, rel := m[1], m[2], m[3]
		k, err := stepCount(rel)
		if err != nil {
			return "", nil, resolutionErr(target, "relative step %s is not a number", rel)
		}
		if k >= 0 {
			if symbol == "" {
				return "", nil, relMigrations(rel)
			}
			start, err := g.revision(symbol)
			if err != nil {
				return "", nil, err
			}
			p, err := g.walk(pos{n: start}, k, label, assertLen)
			if err != nil {
				return "", nil, err
			}
			if p.n == nil && !p.below {
				return "", nil, rangeErr(target, "walked too far; there are fewer revisions above %s", symbol)
			}
			return label, p.n, nil
		}
		fromCurrent := symbol == ""
		if fromCurrent {
			if label != "" {
				cur, err := g.revisionsOf(current)
				if err != nil {
					return "", nil, err
				}
				list, err := g.filterForLineage(cur, label, false)
				if err != nil {
					return "", nil, err
				}
				if len(list) == 0 {
					all, err := g.allCurrent(current)
					if err != nil {
						return "", nil, err
					}
					if list, err = g.filterForLineage(all, label, false); err != nil {
						return "", nil, err
					}
				}
				if len(list) != 1 {
					return "", nil, rangeErr(target, "branch '%s' is not applied to the database, or has several current heads; name a revision instead", label)
				}
				symbol = list[0].rev.ID
			} else {
				if len(current) == 0 {
					return "", nil, relMigrations(rel)
				}
				symbol = current[0]
				label = symbol
			}
		}
		ref := symbol
		if label != "" {
			ref = label + "@" + symbol
		}
		start, err := g.revision(ref)
		if err != nil {
			return "", nil, err
		}
		p, err := g.walk(pos{n: start}, k, "", assertLen)
		if err != nil {
			return "", nil, err
		}
		if p.n == nil && !p.below {
			if fromCurrent {
				return "", nil, relMigrationsFrom(rel, k, start, g.stepsAvailable(pos{n: start}, -1, "", -k))
			}
			return "", nil, rangeErr(target, "walked too far; there are fewer revisions below %s", symbol)
		}
		return label, p.n, nil
	}
	label, symbol := "", target
	if i := strings.LastIndexByte(target, '@'); i >= 0 {
		label, symbol = target[:i], target[i+1:]
	}
	n, err := g.revision(symbol)
	return label, n, err
}

// upgradeTargets parses an upgrade destination against the current
// heads into the revisions to reach.
func (g *Graph) upgradeTargets(current []string, target string, assertLen bool) ([]*node, error) {
	m := relative().FindStringSubmatch(target)
	if m == nil {
		return g.revisions(target)
	}
	label, symbol, rel := m[1], m[2], m[3]
	k, err := stepCount(rel)
	if err != nil {
		return nil, resolutionErr(target, "relative step %s is not a number", rel)
	}
	var from *node
	one := func(p pos, err error) ([]*node, error) {
		if err != nil {
			return nil, err
		}
		if p.n == nil && !p.below {
			if symbol == "" && k > 0 {
				return nil, relMigrationsFrom(rel, k, from, g.stepsAvailable(pos{n: from}, 1, label, k))
			}
			if symbol == "" {
				return nil, relMigrations(rel)
			}
			return nil, rangeErr(target, "walked too far from %s", symbol)
		}
		if p.n == nil {
			return nil, nil
		}
		return []*node{p.n}, nil
	}
	if k <= 0 {
		if symbol == "" {
			return nil, relMigrations(rel)
		}
		ref := symbol
		if label != "" {
			ref = label + "@" + symbol
		}
		start, err := g.revision(ref)
		if err != nil {
			return nil, err
		}
		return one(g.walk(pos{n: start}, k, "", assertLen))
	}
	if symbol != "" {
		start, err := g.revision(symbol)
		if err != nil {
			return nil, err
		}
		return one(g.walk(pos{n: start}, k, label, assertLen))
	}
	cur, err := g.revisionsOf(current)
	if err != nil {
		return nil, err
	}
	starts := cur
	if len(cur) == 0 { // no rows, or only "base": walk up from below every base
		starts = []*node{nil}
	}
	if label != "" {
		if starts, err = g.filterForLineage(cur, label, false); err != nil {
			return nil, err
		}
		if len(starts) == 0 {
			active, err := g.filterForLineage(g.ancestors(cur, true), label, false)
			if err != nil {
				return nil, err
			}
			parents := map[*node]bool{}
			for _, a := range active {
				for _, d := range a.normDown {
					parents[d] = true
				}
			}
			for _, a := range active {
				if !parents[a] {
					starts = append(starts, a)
				}
			}
			if len(starts) == 0 {
				starts = []*node{nil}
			}
		}
	}
	if len(starts) > 1 {
		return nil, rangeErr(target, "ambiguous upgrade from multiple current revisions (%s); use LABEL@+N or name a revision", strings.Join(nodeIDs(starts), ", "))
	}
	from = starts[0]
	return one(g.walk(pos{n: starts[0]}, k, label, assertLen))
}

// allCurrent reduces ids and their ancestors to the branch heads among
// them (Alembic's _get_all_current).
func (g *Graph) allCurrent(ids []string) ([]*node, error) {
	top, err := g.revisionsOf(ids)
	if err != nil {
		return nil, err
	}
	all := dedupe(top, g.ancestors(top, true))
	// A revision is dropped when something of the set descends from it
	// (by Revises): when it is a strict ancestor of a set member.
	var parents []*node
	for _, n := range all {
		parents = append(parents, n.down...)
	}
	below := g.reach(downEdges, parents)
	var out []*node
	for _, n := range all {
		if !below.has(n) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *node) int { return a.idx - b.idx })
	return out, nil
}
