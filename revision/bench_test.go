package revision_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/retortdb/retort/revision"
)

// linearChain returns n revisions, each revising the one before.
func linearChain(n int) []*revision.Revision {
	revs := make([]*revision.Revision, n)
	for i := range revs {
		revs[i] = &revision.Revision{ID: fmt.Sprintf("%012x", i+1)}
		if i > 0 {
			revs[i].Revises = []string{revs[i-1].ID}
		}
	}
	return revs
}

// branchyGraph returns n revisions that branch, merge, depend on other
// branches and carry labels, the same for every call.
func branchyGraph(n int) []*revision.Revision {
	r := rand.New(rand.NewPCG(1, 2))
	revs := make([]*revision.Revision, 0, n)
	var heads []string // current heads, oldest first
	for i := range n {
		rv := &revision.Revision{ID: fmt.Sprintf("%012x", r.Uint64()&0xffffffffffff)}
		switch p := r.IntN(100); {
		case i == 0 || p < 1: // a new base
		case p < 6 && len(heads) > 1: // merge the two oldest heads
			rv.Revises = []string{heads[0], heads[1]}
			heads = heads[2:]
		case p < 11: // branch off something recent
			rv.Revises = []string{revs[len(revs)-1-r.IntN(min(len(revs), 50))].ID}
		default: // extend the newest head
			rv.Revises = []string{heads[len(heads)-1]}
			heads = heads[:len(heads)-1]
		}
		if i > 10 && r.IntN(100) < 3 {
			rv.DependsOn = []string{revs[r.IntN(len(revs))].ID}
		}
		if r.IntN(100) < 2 {
			rv.BranchLabels = []string{fmt.Sprintf("label%d", i)}
		}
		revs = append(revs, rv)
		// keep heads as the revisions nothing revises yet
		var kept []string
		for _, h := range heads {
			revised := false
			for _, p := range rv.Revises {
				revised = revised || p == h
			}
			if !revised {
				kept = append(kept, h)
			}
		}
		heads = append(kept, rv.ID)
	}
	return revs
}

var benchGraphs = []struct {
	name string
	revs func(int) []*revision.Revision
}{
	{"linear", linearChain},
	{"branchy", branchyGraph},
}

func BenchmarkNewAndHeads5000(b *testing.B) {
	for _, bg := range benchGraphs {
		b.Run(bg.name, func(b *testing.B) {
			revs := bg.revs(5000)
			b.ReportAllocs()
			for b.Loop() {
				g, err := revision.New(revs)
				if err != nil {
					b.Fatal(err)
				}
				if len(g.Heads()) == 0 {
					b.Fatal("no heads")
				}
			}
		})
	}
}

func BenchmarkHistory5000(b *testing.B) {
	for _, bg := range benchGraphs {
		b.Run(bg.name, func(b *testing.B) {
			g := mustGraph(b, bg.revs(5000))
			b.ReportAllocs()
			for b.Loop() {
				h, err := g.History("", "")
				if err != nil || len(h) != 5000 {
					b.Fatalf("History: %d revisions, %v", len(h), err)
				}
			}
		})
	}
}

func BenchmarkUpgradePlan5000(b *testing.B) {
	for _, bg := range benchGraphs {
		b.Run(bg.name, func(b *testing.B) {
			g := mustGraph(b, bg.revs(5000))
			b.ReportAllocs()
			for b.Loop() {
				p, err := g.Upgrade(nil, "heads")
				if err != nil || len(p.Steps) != 5000 {
					b.Fatalf("Upgrade: %d steps, %v", len(p.Steps), err)
				}
			}
		})
	}
}

func BenchmarkCurrent5000(b *testing.B) {
	for _, bg := range benchGraphs {
		b.Run(bg.name, func(b *testing.B) {
			g := mustGraph(b, bg.revs(5000))
			var rows []string
			for _, h := range g.Heads() {
				rows = append(rows, h.ID)
			}
			b.ReportAllocs()
			for b.Loop() {
				if cur, err := g.Current(rows); err != nil || len(cur) != len(rows) {
					b.Fatalf("Current: %d revisions, %v", len(cur), err)
				}
			}
		})
	}
}
