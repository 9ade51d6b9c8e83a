package revision_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/revision"
)

// rev builds a revision from comma-separated Revises, branch labels and
// Depends On lists; its source is "<id>.sql", line 1.
func rev(id, revises, labels, deps string) *revision.Revision {
	list := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	return &revision.Revision{
		ID:           id,
		Revises:      list(revises),
		BranchLabels: list(labels),
		DependsOn:    list(deps),
		Message:      "rev " + id,
		Source:       revision.Source{File: id + ".sql", Line: 1},
	}
}

// The named graphs every test file shares. Each call returns fresh
// revisions in load order.

// linear: a1 -> a2 -> a3.
func linear() []*revision.Revision {
	return []*revision.Revision{rev("a1", "", "", ""), rev("a2", "a1", "", ""), rev("a3", "a2", "", "")}
}

// branched is the first half of Alembic's branches tutorial: aaaa1111
// with two children, cccc3333 labelled feature.
func branched() []*revision.Revision {
	return []*revision.Revision{
		rev("aaaa1111", "", "", ""),
		rev("bbbb2222", "aaaa1111", "", ""),
		rev("cccc3333", "aaaa1111", "feature", ""),
	}
}

// merged is branched with the merge dddd4444 of both heads.
func merged() []*revision.Revision {
	return append(branched(), rev("dddd4444", "bbbb2222,cccc3333", "", ""))
}

// networked is Alembic's branch-dependency example: networking n1 -> n2,
// app a1 -> a2 where a2 depends on n1, and a base d1 depending on n2.
func networked() []*revision.Revision {
	return []*revision.Revision{
		rev("n1", "", "networking", ""),
		rev("n2", "n1", "", ""),
		rev("a1", "", "app", ""),
		rev("a2", "a1", "", "n1"),
		rev("d1", "", "", "n2"),
	}
}

func mustGraph(tb testing.TB, revs []*revision.Revision) *revision.Graph {
	tb.Helper()
	g, err := revision.New(revs)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return g
}

func ids(rs []*revision.Revision) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// wantBadInput checks that err is a bad-input error whose message holds
// every fragment.
func wantBadInput(tb testing.TB, err error, fragments ...string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want one containing %q", fragments)
	}
	if !errors.Is(err, fault.ErrBadInput) {
		tb.Errorf("errors.Is(%v, fault.ErrBadInput) = false", err)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			tb.Errorf("error %q does not contain %q", err, f)
		}
	}
}

func TestNewGraphErrors(t *testing.T) {
	t.Parallel()
	at := func(r *revision.Revision, file string, line int) *revision.Revision {
		r.Source = revision.Source{File: file, Line: line}
		return r
	}
	tests := []struct {
		name      string
		revs      []*revision.Revision
		fragments []string
		cycle     []string // want a *CycleError with these revisions
		dep       bool     // ... marked as a dependency cycle
		graphErr  string   // want a *GraphError for this revision
	}{
		{
			name: "duplicate id names both sources",
			revs: []*revision.Revision{
				at(rev("a1", "", "", ""), "versions/a1_first.sql", 3),
				at(rev("a1", "", "", ""), "versions/a1_dup.sql", 7),
			},
			fragments: []string{"versions/a1_first.sql:3", "versions/a1_dup.sql:7", "already used"},
			graphErr:  "a1",
		},
		{
			name: "revises unknown revision",
			revs: []*revision.Revision{
				at(rev("a1", "", "", ""), "a1.sql", 1),
				at(rev("a2", "zz99", "", ""), "versions/a2.sql", 4),
			},
			fragments: []string{"a2", "versions/a2.sql:4", "Revises", "'zz99'"},
			graphErr:  "a2",
		},
		{
			name: "depends on unknown revision",
			revs: []*revision.Revision{
				at(rev("a1", "", "", ""), "a1.sql", 1),
				at(rev("a2", "a1", "", "nope"), "versions/a2.sql", 9),
			},
			fragments: []string{"a2", "versions/a2.sql:9", "Depends On", "'nope'"},
			graphErr:  "a2",
		},
		{
			name:      "self loop",
			revs:      []*revision.Revision{rev("a1", "a1", "", "")},
			fragments: []string{"a1"},
			cycle:     []string{"a1"},
		},
		{
			name:      "dependency self loop",
			revs:      []*revision.Revision{rev("a1", "", "", "a1")},
			fragments: []string{"dependency cycle", "a1"},
			cycle:     []string{"a1"},
			dep:       true,
		},
		{
			name: "two-revision cycle",
			revs: []*revision.Revision{
				rev("base1", "", "", ""),
				rev("c2", "c1", "", ""),
				rev("c1", "c2", "", ""),
			},
			fragments: []string{"cycle detected in revisions (c1, c2)"},
			cycle:     []string{"c1", "c2"},
		},
		{
			name: "three-revision cycle is listed sorted",
			revs: []*revision.Revision{
				rev("r0", "", "", ""),
				rev("r1", "r0", "", ""),
				rev("zc", "yb", "", ""),
				rev("xa", "zc", "", ""),
				rev("yb", "xa", "", ""),
			},
			fragments: []string{"(xa, yb, zc)"},
			cycle:     []string{"xa", "yb", "zc"},
		},
		{
			name: "cycle with no base at all",
			revs: []*revision.Revision{
				rev("p", "q", "", ""),
				rev("q", "p", "", ""),
			},
			cycle: []string{"p", "q"},
		},
		{
			// Alembic 1.8.1 accepts this: every revision is reachable
			// from the head h and from the base a.
			name: "cycle between a base and a head",
			revs: []*revision.Revision{
				rev("a", "", "", ""),
				rev("b", "a,c", "", ""),
				rev("c", "b", "", ""),
				rev("h", "c", "", ""),
			},
			fragments: []string{"cycle detected in revisions (b, c)"},
			cycle:     []string{"b", "c"},
		},
		{
			// b depends on d, which revises b (found by FuzzNew; Alembic
			// accepts it and upgrades d before b).
			name: "dependency cycle between a base and a head",
			revs: []*revision.Revision{
				rev("a", "", "", ""),
				rev("b", "a", "", "d"),
				rev("d", "b", "", ""),
				rev("h", "a,b", "", ""),
			},
			fragments: []string{"dependency cycle detected in revisions (b, d)"},
			cycle:     []string{"b", "d"},
			dep:       true,
		},
		{
			name: "dependency cycle",
			revs: []*revision.Revision{
				rev("a1", "", "", "b2"),
				rev("a2", "a1", "", ""),
				rev("b1", "", "", "a2"),
				rev("b2", "b1", "", ""),
			},
			fragments: []string{"dependency cycle detected in revisions (a1, a2, b1, b2)"},
			cycle:     []string{"a1", "a2", "b1", "b2"},
			dep:       true,
		},
		{
			name: "branch label used twice",
			revs: []*revision.Revision{
				at(rev("a1", "", "feature", ""), "versions/a1.sql", 2),
				at(rev("b1", "", "feature", ""), "versions/b1.sql", 5),
			},
			fragments: []string{"'feature'", "already used by revision a1", "versions/a1.sql:2", "versions/b1.sql:5"},
			graphErr:  "b1",
		},
		{
			name: "branch label collides with a revision id",
			revs: []*revision.Revision{
				at(rev("a1", "", "", ""), "versions/a1.sql", 2),
				at(rev("b1", "", "a1", ""), "versions/b1.sql", 6),
			},
			fragments: []string{"'a1'", "id of revision a1", "versions/a1.sql:2", "versions/b1.sql:6"},
			graphErr:  "b1",
		},
		{
			name:      "invalid id characters",
			revs:      []*revision.Revision{at(rev("a-1", "", "", ""), "versions/bad.sql", 8)},
			fragments: []string{`"a-1"`, "versions/bad.sql:8", "invalid revision id"},
			graphErr:  `"a-1"`,
		},
		{
			name:      "id with @ is rejected",
			revs:      []*revision.Revision{rev("x@head", "", "", "")},
			fragments: []string{"invalid revision id"},
			graphErr:  `"x@head"`,
		},
		{
			name:      "empty id is rejected",
			revs:      []*revision.Revision{rev("", "", "", "")},
			fragments: []string{"invalid revision id"},
			graphErr:  `""`,
		},
		{
			name:      "invalid branch label",
			revs:      []*revision.Revision{at(rev("a1", "", "my label", ""), "versions/a1.sql", 3)},
			fragments: []string{"invalid branch label", "versions/a1.sql:3"},
			graphErr:  "a1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := revision.New(tt.revs)
			if g != nil {
				t.Errorf("New returned a graph with an error")
			}
			wantBadInput(t, err, tt.fragments...)
			if tt.cycle != nil {
				var ce *revision.CycleError
				if !errors.As(err, &ce) {
					t.Fatalf("error %v is not a *CycleError", err)
				}
				if !slices.Equal(ce.Revisions, tt.cycle) || ce.Dependency != tt.dep {
					t.Errorf("CycleError{%v, dep=%v}, want {%v, dep=%v}", ce.Revisions, ce.Dependency, tt.cycle, tt.dep)
				}
			}
			if tt.graphErr != "" {
				var ge *revision.GraphError
				if !errors.As(err, &ge) {
					t.Fatalf("error %v is not a *GraphError", err)
				}
				if ge.Revision != tt.graphErr {
					t.Errorf("GraphError.Revision = %q, want %q", ge.Revision, tt.graphErr)
				}
			}
		})
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := revision.New([]*revision.Revision{
		rev("a1", "", "", ""),
		rev("a2", "gone1", "", ""),
		rev("a3", "a2", "", "gone2"),
	})
	wantBadInput(t, err, "gone1", "gone2")
}

func TestNewEmpty(t *testing.T) {
	t.Parallel()
	g := mustGraph(t, nil)
	if g.Len() != 0 || len(g.Heads()) != 0 || len(g.RealHeads()) != 0 || len(g.Bases()) != 0 {
		t.Fatalf("empty graph has revisions")
	}
	for _, target := range []string{"head", "heads", "base"} {
		p, err := g.Upgrade(nil, target)
		if err != nil || len(p.Steps) != 0 {
			t.Errorf("Upgrade(nil, %q) on an empty graph = %v, %v; want no steps", target, p, err)
		}
	}
	h, err := g.History("", "")
	if err != nil || len(h) != 0 {
		t.Errorf("History on an empty graph = %v, %v", h, err)
	}
}

func TestHeadsAndRealHeads(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		revs             []*revision.Revision
		heads, realHeads []string
		bases            []string
	}{
		{name: "linear", revs: linear(), heads: []string{"a3"}, realHeads: []string{"a3"}, bases: []string{"a1"}},
		{name: "branched", revs: branched(), heads: []string{"bbbb2222", "cccc3333"}, realHeads: []string{"bbbb2222", "cccc3333"}, bases: []string{"aaaa1111"}},
		{name: "merged", revs: merged(), heads: []string{"dddd4444"}, realHeads: []string{"dddd4444"}, bases: []string{"aaaa1111"}},
		{
			// n2 is an effective head: only d1's dependency is above it.
			name: "effective head only in Heads", revs: networked(),
			heads: []string{"n2", "a2", "d1"}, realHeads: []string{"a2", "d1"}, bases: []string{"n1", "a1", "d1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs)
			if got := ids(g.Heads()); !slices.Equal(got, tt.heads) {
				t.Errorf("Heads() = %v, want %v", got, tt.heads)
			}
			if got := ids(g.RealHeads()); !slices.Equal(got, tt.realHeads) {
				t.Errorf("RealHeads() = %v, want %v", got, tt.realHeads)
			}
			if got := ids(g.Bases()); !slices.Equal(got, tt.bases) {
				t.Errorf("Bases() = %v, want %v", got, tt.bases)
			}
			heads, err := g.Resolve("heads")
			if err != nil || !slices.Equal(ids(heads), tt.realHeads) {
				t.Errorf(`Resolve("heads") = %v, %v; want the real heads %v`, ids(heads), err, tt.realHeads)
			}
		})
	}
}

func TestInfo(t *testing.T) {
	t.Parallel()
	type flags struct {
		labels                                        []string
		head, realHead, base, branchPoint, mergePoint bool
	}
	tests := []struct {
		name string
		revs []*revision.Revision
		id   string
		want flags
	}{
		{name: "branch point", revs: merged(), id: "aaaa1111", want: flags{base: true, branchPoint: true}},
		{name: "plain branch member", revs: merged(), id: "bbbb2222"},
		{name: "declared label", revs: merged(), id: "cccc3333", want: flags{labels: []string{"feature"}}},
		// Alembic spreads a label to every descendant, through merges:
		// the merge carries feature, so feature@head = dddd4444.
		{name: "label propagated through merge", revs: merged(), id: "dddd4444",
			want: flags{labels: []string{"feature"}, head: true, realHead: true, mergePoint: true}},
		{name: "label spreads up to the branch point, not past it", revs: merged(), id: "aaaa1111",
			want: flags{base: true, branchPoint: true}},
		{name: "effective head", revs: networked(), id: "n2", want: flags{labels: []string{"networking"}, head: true}},
		{name: "label spreads down a line", revs: networked(), id: "a2", want: flags{labels: []string{"app"}, head: true, realHead: true}},
		{name: "base with a dependency", revs: networked(), id: "d1", want: flags{head: true, realHead: true, base: true}},
		{name: "label spreads up to the base", revs: []*revision.Revision{
			rev("r1", "", "", ""), rev("r2", "r1", "", ""), rev("r3", "r2", "lbl", ""),
		}, id: "r1", want: flags{labels: []string{"lbl"}, base: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs)
			in, ok := g.Info(tt.id)
			if !ok {
				t.Fatalf("Info(%q) not found", tt.id)
			}
			got := flags{labels: in.Labels, head: in.Head, realHead: in.RealHead, base: in.Base,
				branchPoint: in.BranchPoint, mergePoint: in.MergePoint}
			if len(got.labels) == 0 {
				got.labels = nil
			}
			if !slices.Equal(got.labels, tt.want.labels) || got.head != tt.want.head || got.realHead != tt.want.realHead ||
				got.base != tt.want.base || got.branchPoint != tt.want.branchPoint || got.mergePoint != tt.want.mergePoint {
				t.Errorf("Info(%q) = %+v, want %+v", tt.id, got, tt.want)
			}
		})
	}
}

func TestInfoEdges(t *testing.T) {
	t.Parallel()
	g := mustGraph(t, networked())
	n1, _ := g.Info("n1")
	if !slices.Equal(n1.Children, []string{"n2"}) || !slices.Equal(n1.Dependents, []string{"a2"}) {
		t.Errorf("Info(n1) children %v dependents %v, want [n2] [a2]", n1.Children, n1.Dependents)
	}
	a2, _ := g.Info("a2")
	if !slices.Equal(a2.Dependencies, []string{"n1"}) {
		t.Errorf("Info(a2).Dependencies = %v, want [n1]", a2.Dependencies)
	}
	if _, ok := g.Info("n"); ok {
		t.Errorf("Info takes exact ids only, but found a prefix")
	}
	if g.Get("n1") == nil || g.Get("networking") != nil {
		t.Errorf("Get must find ids, not labels")
	}
	if got := ids(g.Revisions()); !slices.Equal(got, []string{"n1", "n2", "a1", "a2", "d1"}) {
		t.Errorf("Revisions() = %v, want load order", got)
	}
}

func TestDependsOnLabel(t *testing.T) {
	t.Parallel()
	// Depends On may name a branch label: it resolves to the revision
	// declaring it.
	g := mustGraph(t, []*revision.Revision{
		rev("n1", "", "networking", ""),
		rev("a1", "", "", "networking"),
	})
	in, _ := g.Info("a1")
	if !slices.Equal(in.Dependencies, []string{"n1"}) {
		t.Errorf("Dependencies = %v, want [n1]", in.Dependencies)
	}
	if got := ids(g.RealHeads()); !slices.Equal(got, []string{"a1"}) {
		t.Errorf("RealHeads() = %v, want [a1]", got)
	}
}

func TestHistory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		revs         []*revision.Revision
		lower, upper string
		want         []string
		err          []string
	}{
		{name: "linear newest first", revs: linear(), want: []string{"a3", "a2", "a1"}},
		{name: "merge", revs: merged(), want: []string{"dddd4444", "bbbb2222", "cccc3333", "aaaa1111"}},
		{name: "two heads", revs: branched(), want: []string{"bbbb2222", "cccc3333", "aaaa1111"}},
		{name: "dependencies", revs: networked(), want: []string{"a2", "a1", "d1", "n2", "n1"}},
		{name: "range inclusive", revs: linear(), lower: "a2", upper: "a3", want: []string{"a3", "a2"}},
		{name: "range from base", revs: linear(), lower: "base", upper: "a2", want: []string{"a2", "a1"}},
		{name: "range to heads", revs: merged(), lower: "cccc3333", upper: "heads", want: []string{"dddd4444", "cccc3333"}},
		{name: "single revision", revs: linear(), lower: "a2", upper: "a2", want: []string{"a2"}},
		{name: "partial ids", revs: merged(), lower: "bbbb", upper: "dddd", want: []string{"dddd4444", "bbbb2222"}},
		{name: "relative upper", revs: linear(), lower: "a1", upper: "+1", want: []string{"a2", "a1"}},
		{name: "relative upper from base", revs: linear(), lower: "base", upper: "+2", want: []string{"a2", "a1"}},
		{name: "relative upper from REV", revs: linear(), upper: "a1+1", want: []string{"a2", "a1"}},
		{name: "relative upper stops at head", revs: linear(), lower: "a2", upper: "+5", want: []string{"a3", "a2"}},
		{name: "huge relative upper stops at head", revs: linear(), lower: "a1", upper: "+99999999999999999999", want: []string{"a3", "a2", "a1"}},
		{name: "label head", revs: merged(), lower: "base", upper: "feature@head", want: []string{"dddd4444", "bbbb2222", "cccc3333", "aaaa1111"}},
		{name: "label lower keeps that branch", revs: networked(), lower: "app@base", upper: "heads", want: []string{"a2", "a1", "n1"}},
		{name: "several lower ids", revs: branched(), lower: "bbbb2222 cccc3333", upper: "heads", want: []string{"bbbb2222", "cccc3333"}},
		{name: "dependency-only lower reaches heads", revs: networked(), lower: "n1", upper: "heads", want: []string{"n2", "n1"}},
		{name: "not along one branch", revs: branched(), lower: "bbbb2222", upper: "cccc3333", err: []string{"bbbb2222:cccc3333", "same branch"}},
		{name: "lower above upper", revs: linear(), lower: "a3", upper: "a1", err: []string{"a3:a1"}},
		{name: "unknown upper", revs: linear(), upper: "zzzz", err: []string{"zzzz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs)
			got, err := g.History(tt.lower, tt.upper)
			if tt.err != nil {
				wantBadInput(t, err, tt.err...)
				return
			}
			if err != nil {
				t.Fatalf("History(%q, %q): %v", tt.lower, tt.upper, err)
			}
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("History(%q, %q) = %v, want %v", tt.lower, tt.upper, ids(got), tt.want)
			}
		})
	}
}

func TestBranchPointsAndCurrent(t *testing.T) {
	t.Parallel()
	g := mustGraph(t, merged())
	bp, err := g.BranchPoints()
	if err != nil || !slices.Equal(ids(bp), []string{"aaaa1111"}) {
		t.Errorf("BranchPoints() = %v, %v; want [aaaa1111]", ids(bp), err)
	}
	n := mustGraph(t, networked())
	cur, err := n.Current([]string{"a2"})
	if err != nil || !slices.Equal(ids(cur), []string{"n1", "a2"}) {
		t.Errorf("Current([a2]) = %v, %v; want [n1 a2] (a2's dependency n1 is applied)", ids(cur), err)
	}
	_, err = n.Current([]string{"nope"})
	var re *revision.ResolutionError
	if !errors.As(err, &re) {
		t.Errorf("Current with an unknown row: %v, want *ResolutionError", err)
	}
	wantBadInput(t, err, "nope")
}
