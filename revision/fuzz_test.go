package revision_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/revision"
)

// fuzzRevs is a mid-size graph with every shape the grammar cares
// about: a labelled trunk with a branch point and a merge, a second
// branch off the trunk that depends on another base's label, an
// effective head (n00002, only depended on), a short id and a prefix
// shared by two ids.
func fuzzRevs() []*revision.Revision {
	return []*revision.Revision{
		rev("r00001", "", "core", ""),
		rev("r00002", "r00001", "", ""),
		rev("r00003", "r00002", "", ""),
		rev("r00004", "r00003", "feat", ""),
		rev("r00005", "r00003", "", ""),
		rev("r00006", "r00004,r00005", "", ""),
		rev("r00007", "r00006", "", ""),
		rev("n00001", "", "net", ""),
		rev("n00002", "n00001", "", ""),
		rev("a00001", "r00002", "app", "net"),
		rev("a00002", "a00001", "", ""),
		rev("d00001", "", "", "n00002"),
		rev("ab", "r00007", "", ""),
	}
}

// fuzzStates are version tables the fuzz graph can be in: every
// revision upgraded to from nothing, the heads, and a few with two rows.
func fuzzStates(tb testing.TB, g *revision.Graph) [][]string {
	tb.Helper()
	states := [][]string{nil}
	for _, t := range append(ids(g.Revisions()), "heads", "core@heads", "r00004 r00005", "a00002 n00002", "r00005 n00001") {
		p, err := g.Upgrade(nil, t)
		if err != nil {
			tb.Fatalf("Upgrade(nil, %q): %v", t, err)
		}
		states = append(states, p.Heads)
	}
	return states
}

// checkErr fails unless err is bad input, or an error that says the
// version table is inconsistent with the graph.
func checkErr(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil || errors.Is(err, fault.ErrBadInput) {
		return
	}
	t.Errorf("%s: error %q (%T) is not bad input", what, err, err)
}

func FuzzTargets(f *testing.F) {
	g := mustGraph(f, fuzzRevs())
	states := fuzzStates(f, g)
	seeds := []string{
		"", " ", "head", "heads", "base", "current",
		"r00001", "r000", "r00", "r", "ab", "a000", "a0000", "n0000", "zzzz",
		"core", "cor", "feat", "app", "net",
		"+1", "-1", "+0", "-0", "+2", "-2", "+99999999999999999999", "-99999999999999999999", "+-1", "--1", "++1", "1", "-",
		"r00003+1", "r00003-1", "r00006-1", "ab-3", "ab+1", "r00001+9",
		"feat@head", "feat@heads", "feat@base", "feat@+1", "feat@-1", "feat@-2", "feat@r00006", "feat@r00005",
		"a@-2", "x@head", "app@head", "app@+2", "app@-1", "net@base", "net@-1", "core@head", "core@heads",
		"r00004@head", "r00003@head", "r00003@heads", "n00001@head", "feat@r00004+1", "feat@head-1",
		":", "@", "@@", "@head", "head@", "a@b@c", "r00001:r00007", "r00001 r00005", "heads-1",
		"é", "r0000\u00e9", "\x00", "\u0661", "+\u0661", "feat@\U0001F600",
	}
	for _, s := range seeds {
		for _, i := range []int{0, 3, 8, 14} {
			f.Add(s, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, target string, state uint8) {
		cur := states[int(state)%len(states)]
		_, err := g.Resolve(target)
		checkErr(t, "Resolve", err)
		_, err = g.ResolveOne(target)
		checkErr(t, "ResolveOne", err)
		up, err := g.Upgrade(cur, target)
		checkErr(t, fmt.Sprintf("Upgrade(%v, %q)", cur, target), err)
		if err == nil {
			replay(t, cur, up)
			again, err := g.Upgrade(cur, up.Target)
			if err != nil {
				t.Fatalf("re-plan Upgrade(%v, %q) from %q: %v", cur, up.Target, target, err)
			}
			if a, b := planLines(up), planLines(again); !slices.Equal(a, b) {
				t.Errorf("re-plan Upgrade(%v, %q) from %q:\n\t%s\nwant\n\t%s", cur, up.Target, target,
					strings.Join(b, "\n\t"), strings.Join(a, "\n\t"))
			}
		}
		down, err := g.Downgrade(cur, target)
		checkErr(t, fmt.Sprintf("Downgrade(%v, %q)", cur, target), err)
		if err == nil {
			replay(t, cur, down)
		}
		_, err = g.History(target, "")
		checkErr(t, "History(target, \"\")", err)
		_, err = g.History("", target)
		checkErr(t, "History(\"\", target)", err)
		_, err = g.Stamp(cur, strings.Fields(target))
		checkErr(t, "Stamp", err)
		_, err = g.Current(strings.Fields(target))
		checkErr(t, "Current", err)
	})
}

// fuzzGraph decodes bytes into a small graph: four bytes a revision,
// ids from a tiny alphabet (so duplicates happen), parents and
// dependencies chosen by bit masks over all ids (so unknown names,
// forward references, self-loops and cycles happen), and labels that
// may repeat or collide with ids.
func fuzzGraph(data []byte) []*revision.Revision {
	const alphabet = "abcdefgh"
	var revs []*revision.Revision
	for i := 0; i+4 <= len(data) && len(revs) < 10; i += 4 {
		b := data[i : i+4]
		id := string(alphabet[b[0]%8])
		if b[0]&0x80 != 0 {
			id += "1"
		}
		r := &revision.Revision{ID: id, Source: revision.Source{File: id + ".sql", Line: i/4 + 1}}
		for j := range 8 {
			if b[1]&(1<<j) != 0 {
				r.Revises = append(r.Revises, string(alphabet[j]))
			}
			if b[2]&(1<<j) != 0 && j < 4 {
				r.DependsOn = append(r.DependsOn, string(alphabet[j]))
			}
		}
		if b[2]&0x30 == 0x30 {
			r.DependsOn = append(r.DependsOn, "lx")
		}
		switch b[3] % 8 {
		case 1:
			r.BranchLabels = []string{"lx"}
		case 2:
			r.BranchLabels = []string{"ly"}
		case 3:
			r.BranchLabels = []string{"a"}
		case 4:
			r.BranchLabels = []string{"lx", "ly"}
		case 5:
			r.BranchLabels = []string{"bad label"}
		}
		revs = append(revs, r)
	}
	return revs
}

func FuzzNew(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{0, 0, 0, 1, 1, 1, 0, 0, 2, 1, 0, 2, 3, 6, 0, 0})    // branch and merge
	f.Add([]byte{0, 0, 0, 1, 1, 1, 0, 0, 2, 0, 1, 0, 3, 4, 2, 0})    // dependencies
	f.Add([]byte{0, 2, 0, 0, 1, 1, 0, 0})                            // cycle a <-> b
	f.Add([]byte{0, 1, 0, 0})                                        // self-loop
	f.Add([]byte{0, 0, 1, 0})                                        // dependency self-loop
	f.Add([]byte{0, 0, 0, 1, 1, 0, 0, 1})                            // label twice
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0})                            // duplicate id
	f.Add([]byte{0, 0, 0, 0, 1, 1, 0, 0, 2, 1, 0x30, 0, 3, 0, 0, 1}) // depends on a label
	f.Add([]byte{0, 0, 0, 3, 1, 1, 0, 5, 0x82, 2, 0, 0, 4, 0, 3, 0}) // label = id, bad label, long id
	f.Add([]byte{0, 0, 0, 0, 1, 1, 0, 0, 2, 1, 0, 0, 3, 2, 0, 0, 4, 3, 0, 0, 5, 24, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		revs := fuzzGraph(data)
		g, err := revision.New(revs)
		if err != nil {
			if !errors.Is(err, fault.ErrBadInput) {
				t.Fatalf("New: %v is not bad input", err)
			}
			if g != nil {
				t.Fatalf("New returned a graph with an error")
			}
			return
		}
		_ = g.Heads()
		_ = g.RealHeads()
		_ = g.Bases()
		for _, r := range g.Revisions() {
			if _, ok := g.Info(r.ID); !ok {
				t.Fatalf("Info(%q) missing", r.ID)
			}
		}
		h, err := g.History("", "")
		if err != nil {
			t.Fatalf("History: %v", err)
		}
		if len(h) != g.Len() {
			t.Errorf("History lists %d of %d revisions", len(h), g.Len())
		}
		if _, err := g.BranchPoints(); err != nil {
			t.Fatalf("BranchPoints: %v", err)
		}
		up, err := g.Upgrade(nil, "heads")
		if err != nil {
			t.Fatalf("Upgrade(nil, heads): %v", err)
		}
		if len(up.Steps) != g.Len() {
			t.Errorf("upgrade heads runs %d steps for %d revisions", len(up.Steps), g.Len())
		}
		replay(t, nil, up)
		lin := newLineage(g)
		lin.checkPlan(t, g, "upgrade heads", nil, planSteps(up), up.Heads)
		down, err := g.Downgrade(up.Heads, "base")
		if err != nil {
			t.Fatalf("Downgrade(%v, base): %v", up.Heads, err)
		}
		replay(t, up.Heads, down)
		if len(down.Heads) != 0 || len(down.Steps) != g.Len() {
			t.Errorf("downgrade base from %v: %d steps, rows %v", up.Heads, len(down.Steps), down.Heads)
		}
		for _, r := range g.Revisions() {
			p, err := g.Upgrade(nil, r.ID)
			if err != nil {
				t.Fatalf("Upgrade(nil, %s): %v", r.ID, err)
			}
			replay(t, nil, p)
			lin.checkPlan(t, g, "upgrade "+r.ID, nil, planSteps(p), p.Heads)
			if d, err := g.Downgrade(up.Heads, r.ID); err == nil {
				lin.checkPlan(t, g, "downgrade "+r.ID+" from the heads", up.Heads, planSteps(d), d.Heads)
			} else {
				checkErr(t, "Downgrade from the heads", err)
			}
			if _, err := g.Stamp(p.Heads, []string{"heads"}); err != nil {
				checkErr(t, "Stamp heads", err)
			}
			if u, err := g.Upgrade(p.Heads, "+1"); err != nil {
				checkErr(t, "Upgrade +1", err)
			} else {
				lin.checkPlan(t, g, "upgrade +1 from "+r.ID, p.Heads, planSteps(u), u.Heads)
			}
			if d, err := g.Downgrade(p.Heads, "-1"); err != nil {
				checkErr(t, "Downgrade -1", err)
			} else {
				lin.checkPlan(t, g, "downgrade -1 from "+r.ID, p.Heads, planSteps(d), d.Heads)
			}
		}
	})
}
