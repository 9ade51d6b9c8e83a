package revision_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/revision"
)

// planLines renders each step as Alembic logs it, followed by its
// version-table changes: "upgrade a1 -> a2, rev a2 | update a1 -> a2".
func planLines(p *revision.Plan) []string {
	out := []string{}
	for _, s := range p.Steps {
		var rows []string
		for _, r := range s.Rows {
			switch r.Kind {
			case revision.Insert:
				rows = append(rows, "insert "+r.To)
			case revision.Delete:
				rows = append(rows, "delete "+r.From)
			case revision.Update:
				rows = append(rows, "update "+r.From+" -> "+r.To)
			default:
				rows = append(rows, fmt.Sprintf("%v %s %s", r.Kind, r.From, r.To))
			}
		}
		out = append(out, s.String()+" | "+strings.Join(rows, "; "))
	}
	return out
}

type planCase struct {
	name    string
	revs    func() []*revision.Revision
	current []string
	target  string
	steps   []string
	rows    []string // version table afterwards, sorted
}

func (tt planCase) check(t *testing.T, p *revision.Plan, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%q from %v: %v", tt.target, tt.current, err)
	}
	if got := planLines(p); !slices.Equal(got, tt.steps) {
		t.Errorf("%q from %v: steps\n\t%s\nwant\n\t%s", tt.target, tt.current,
			strings.Join(got, "\n\t"), strings.Join(tt.steps, "\n\t"))
	}
	rows := slices.Sorted(slices.Values(p.Heads))
	if !slices.Equal(rows, tt.rows) && !(len(rows) == 0 && len(tt.rows) == 0) {
		t.Errorf("%q from %v: rows %v, want %v", tt.target, tt.current, rows, tt.rows)
	}
}

func TestUpgradePlan(t *testing.T) {
	t.Parallel()
	tests := []planCase{
		{
			name: "linear from base inserts then updates", revs: linear, target: "head",
			steps: []string{
				"upgrade  -> a1, rev a1 | insert a1",
				"upgrade a1 -> a2, rev a2 | update a1 -> a2",
				"upgrade a2 -> a3, rev a3 | update a2 -> a3",
			},
			rows: []string{"a3"},
		},
		{
			name: "merge deletes one parent row and updates the other", revs: merged,
			current: []string{"bbbb2222", "cccc3333"}, target: "heads",
			steps: []string{"upgrade bbbb2222, cccc3333 -> dddd4444, rev dddd4444 | delete bbbb2222; update cccc3333 -> dddd4444"},
			rows:  []string{"dddd4444"},
		},
		{
			name: "whole branched graph", revs: merged, target: "heads",
			steps: []string{
				"upgrade  -> aaaa1111, rev aaaa1111 | insert aaaa1111",
				"upgrade aaaa1111 -> cccc3333, rev cccc3333 | update aaaa1111 -> cccc3333",
				"upgrade aaaa1111 -> bbbb2222, rev bbbb2222 | insert bbbb2222",
				"upgrade bbbb2222, cccc3333 -> dddd4444, rev dddd4444 | delete bbbb2222; update cccc3333 -> dddd4444",
			},
			rows: []string{"dddd4444"},
		},
		{
			name: "branch from an applied ancestor inserts", revs: merged,
			current: []string{"bbbb2222"}, target: "cccc3333",
			steps: []string{"upgrade aaaa1111 -> cccc3333, rev cccc3333 | insert cccc3333"},
			rows:  []string{"bbbb2222", "cccc3333"},
		},
		{
			// a2 depends on n1: n1 is pulled in, and the table keeps only
			// a2 because a2 implies n1.
			name: "depends_on pulls the dependency in", revs: networked, target: "app@head",
			steps: []string{
				"upgrade  -> n1, rev n1 | insert n1",
				"upgrade  -> a1, rev a1 | insert a1",
				"upgrade a1 -> a2, rev a2 | delete a1; update n1 -> a2",
			},
			rows: []string{"a2"},
		},
		{
			name: "heads with dependencies", revs: networked, target: "heads",
			steps: []string{
				"upgrade  -> n1, rev n1 | insert n1",
				"upgrade n1 -> n2, rev n2 | update n1 -> n2",
				"upgrade  -> d1, rev d1 | update n2 -> d1",
				"upgrade  -> a1, rev a1 | insert a1",
				"upgrade a1 -> a2, rev a2 | update a1 -> a2",
			},
			rows: []string{"a2", "d1"},
		},
		{name: "no-op keeps rows", revs: linear, current: []string{"a3"}, target: "a1", steps: []string{}, rows: []string{"a3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs())
			p, err := g.Upgrade(tt.current, tt.target)
			tt.check(t, p, err)
		})
	}
}

func TestDowngradePlan(t *testing.T) {
	t.Parallel()
	tests := []planCase{
		{
			name: "to base deletes the last row", revs: linear, current: []string{"a3"}, target: "base",
			steps: []string{
				"downgrade a3 -> a2, rev a3 | update a3 -> a2",
				"downgrade a2 -> a1, rev a2 | update a2 -> a1",
				"downgrade a1 -> , rev a1 | delete a1",
			},
		},
		{
			name: "unmerge inserts a parent and updates", revs: merged, current: []string{"dddd4444"}, target: "bbbb2222",
			steps: []string{"downgrade dddd4444 -> bbbb2222, cccc3333, rev dddd4444 | insert bbbb2222; update dddd4444 -> cccc3333"},
			rows:  []string{"bbbb2222", "cccc3333"},
		},
		{
			name: "branch deleted while its parent is implied", revs: branched, current: []string{"bbbb2222", "cccc3333"}, target: "feature@aaaa1111",
			steps: []string{"downgrade cccc3333 -> aaaa1111, rev cccc3333 | delete cccc3333"},
			rows:  []string{"bbbb2222"},
		},
		{
			// a2 depends on n1, so taking networking to base takes a2 down
			// first; d1 depends on n2 and goes too.
			name: "networking@base cascades to dependents", revs: networked, current: []string{"a2", "d1"}, target: "networking@base",
			steps: []string{
				"downgrade a2 -> a1, rev a2 | update a2 -> a1",
				"downgrade d1 -> , rev d1 | update d1 -> n2",
				"downgrade n2 -> n1, rev n2 | update n2 -> n1",
				"downgrade n1 -> , rev n1 | delete n1",
			},
			rows: []string{"a1"},
		},
		{
			name: "networking@base from an effective head", revs: networked, current: []string{"n2", "a2"}, target: "networking@base",
			steps: []string{
				"downgrade n2 -> n1, rev n2 | delete n2",
				"downgrade a2 -> a1, rev a2 | insert a1; update a2 -> n1",
				"downgrade n1 -> , rev n1 | delete n1",
			},
			rows: []string{"a1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs())
			p, err := g.Downgrade(tt.current, tt.target)
			tt.check(t, p, err)
		})
	}
}

func TestStampPlan(t *testing.T) {
	t.Parallel()
	tests := []planCase{
		{
			// Every destination is planned against the original heads.
			name: "two destinations", revs: networked, current: []string{"a1", "n2"}, target: "a2 d1",
			steps: []string{
				"stamp_revision a1, n2 -> a2 | delete a1; update n2 -> a2",
				"stamp_revision a1, n2 -> d1 | insert d1",
			},
			rows: []string{"a2", "d1"},
		},
		{
			// a2 depends on n1 and d1 on n2: both rows collapse to n1.
			name: "a dependency collapses its dependents", revs: networked, current: []string{"d1", "a2"}, target: "n1",
			steps: []string{"stamp_revision d1, a2 -> n1 | delete d1; update a2 -> n1"},
			rows:  []string{"n1"},
		},
		{
			name: "base deletes every row", revs: networked, current: []string{"a2", "d1"}, target: "base",
			steps: []string{
				"stamp_revision a2 ->  | delete a2",
				"stamp_revision d1 ->  | delete d1",
			},
		},
		{
			name: "empty target list is base", revs: linear, current: []string{"a2"}, target: "",
			steps: []string{"stamp_revision a2 ->  | delete a2"},
		},
		{
			name: "merge", revs: merged, current: []string{"bbbb2222", "cccc3333"}, target: "dddd4444",
			steps: []string{"stamp_revision bbbb2222, cccc3333 -> dddd4444 | delete bbbb2222; update cccc3333 -> dddd4444"},
			rows:  []string{"dddd4444"},
		},
		{
			name: "down to an ancestor", revs: merged, current: []string{"dddd4444"}, target: "aaaa1111",
			steps: []string{"stamp_revision dddd4444 -> aaaa1111 | update dddd4444 -> aaaa1111"},
			rows:  []string{"aaaa1111"},
		},
		{
			name: "unrelated branch inserts", revs: merged, current: []string{"bbbb2222"}, target: "cccc3333",
			steps: []string{"stamp_revision  -> cccc3333 | insert cccc3333"},
			rows:  []string{"bbbb2222", "cccc3333"},
		},
		{
			name: "from nothing", revs: linear, target: "heads",
			steps: []string{"stamp_revision  -> a3 | insert a3"},
			rows:  []string{"a3"},
		},
		{
			name: "already there", revs: linear, current: []string{"a3"}, target: "a3", steps: []string{}, rows: []string{"a3"},
		},
		{
			// Alembic 1.8.1 plans two updates of the dddd4444 row; the
			// second finds no row. retort inserts the second branch.
			name: "two destinations below one row", revs: merged, current: []string{"dddd4444"}, target: "bbbb2222 cccc3333",
			steps: []string{
				"stamp_revision dddd4444 -> bbbb2222 | update dddd4444 -> bbbb2222",
				"stamp_revision dddd4444 -> cccc3333 | insert cccc3333",
			},
			rows: []string{"bbbb2222", "cccc3333"},
		},
		{
			name: "a repeated destination counts once", revs: linear, current: []string{"a3"}, target: "a1 a1",
			steps: []string{"stamp_revision a3 -> a1 | update a3 -> a1"},
			rows:  []string{"a1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs())
			p, err := g.Stamp(tt.current, strings.Fields(tt.target))
			tt.check(t, p, err)
		})
	}
}

func TestStampErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		revs    func() []*revision.Revision
		current []string
		targets []string
		err     []string
	}{
		// Alembic 1.8.1 writes both rows; retort refuses a table that
		// would hold a revision and its ancestor.
		{name: "overlapping targets", revs: linear, targets: []string{"a1", "a3"}, err: []string{"overlap", "a1 is an ancestor of a3"}},
		{name: "overlap through a dependency", revs: networked, targets: []string{"n1", "a2"}, err: []string{"overlap"}},
		{name: "head with several heads", revs: branched, targets: []string{"head"}, err: []string{"multiple heads", "single target revision"}},
		{name: "unknown", revs: linear, targets: []string{"zzzz"}, err: []string{"zzzz"}},
		{name: "ambiguous", revs: prefixed, targets: []string{"aaa"}, err: []string{"multiple revisions start with 'aaa'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs())
			_, err := g.Stamp(tt.current, tt.targets)
			wantBadInput(t, err, tt.err...)
		})
	}
}

// TestPlanTarget checks that a plan's absolute Target, planned again
// from the same rows, gives the same steps: what a run does when it must
// re-plan under a lock.
func TestPlanTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		revs    func() []*revision.Revision
		down    bool
		current []string
		target  string
		abs     string
	}{
		{name: "+2", revs: linear, target: "+2", abs: "a2"},
		{name: "+1 from a row", revs: linear, current: []string{"a1"}, target: "+1", abs: "a2"},
		{name: "REV+N", revs: linear, target: "a1+2", abs: "a3"},
		{name: "LABEL@+N", revs: branched, current: []string{"aaaa1111"}, target: "feature@+1", abs: "cccc3333"},
		{name: "heads", revs: merged, target: "heads", abs: "dddd4444"},
		{name: "several heads", revs: branched, target: "heads", abs: "bbbb2222 cccc3333"},
		{name: "LABEL@head", revs: networked, target: "app@head", abs: "a2"},
		// -N walks the branch of the first row, as Alembic does, and
		// names it as the label.
		{name: "-1", revs: linear, down: true, current: []string{"a3"}, target: "-1", abs: "a3@a2"},
		{name: "-N to base", revs: linear, down: true, current: []string{"a3"}, target: "-3", abs: "a3@base"},
		{name: "-1 with two rows", revs: branched, down: true, current: []string{"cccc3333", "bbbb2222"}, target: "-1", abs: "cccc3333@aaaa1111"},
		{name: "LABEL@-N", revs: networked, down: true, current: []string{"n2", "a2"}, target: "app@-1", abs: "app@a1"},
		{name: "LABEL@base", revs: networked, down: true, current: []string{"a2", "d1"}, target: "networking@base", abs: "networking@base"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs())
			plan := g.Upgrade
			if tt.down {
				plan = g.Downgrade
			}
			first, err := plan(tt.current, tt.target)
			if err != nil {
				t.Fatal(err)
			}
			if first.Target != tt.abs {
				t.Errorf("Target = %q, want %q", first.Target, tt.abs)
			}
			again, err := plan(tt.current, first.Target)
			if err != nil {
				t.Fatalf("re-plan %q: %v", first.Target, err)
			}
			if a, b := planLines(first), planLines(again); !slices.Equal(a, b) {
				t.Errorf("re-planned %q to %q:\n\t%s\nwant\n\t%s", tt.target, first.Target, strings.Join(b, "\n\t"), strings.Join(a, "\n\t"))
			}
			if !slices.Equal(first.Heads, again.Heads) {
				t.Errorf("re-planned rows %v, want %v", again.Heads, first.Heads)
			}
		})
	}
}

// TestPlanConsistency replays every upgrade and downgrade plan between
// every pair of revisions and checks that the row changes move the
// table exactly as Plan.Heads says, touching one existing row each.
func TestPlanConsistency(t *testing.T) {
	t.Parallel()
	graphs := map[string]func() []*revision.Revision{"linear": linear, "branched": branched, "merged": merged, "networked": networked}
	for name, revs := range graphs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, revs())
			targets := append(ids(g.Revisions()), "heads", "base")
			for _, from := range targets {
				start, err := g.Upgrade(nil, from)
				if err != nil {
					t.Fatalf("Upgrade(nil, %q): %v", from, err)
				}
				for _, to := range targets {
					for _, dir := range []revision.Direction{revision.Up, revision.Down} {
						plan := g.Upgrade
						if dir == revision.Down {
							plan = g.Downgrade
						}
						p, err := plan(start.Heads, to)
						if err != nil {
							var re *revision.RangeError
							var mh *revision.MultipleHeadsError
							if dir == revision.Down && (errors.As(err, &re) || errors.As(err, &mh)) {
								continue // not an ancestor, or several heads
							}
							t.Fatalf("%v from %v to %q: %v", dir, start.Heads, to, err)
						}
						replay(t, start.Heads, p)
					}
				}
			}
		})
	}
}

func replay(t *testing.T, rows []string, p *revision.Plan) {
	t.Helper()
	table := slices.Clone(rows)
	for _, s := range p.Steps {
		for _, r := range s.Rows {
			switch r.Kind {
			case revision.Insert:
				if slices.Contains(table, r.To) {
					t.Fatalf("step %v inserts %s twice", s, r.To)
				}
				table = append(table, r.To)
			case revision.Delete, revision.Update:
				i := slices.Index(table, r.From)
				if i < 0 {
					t.Fatalf("step %v changes missing row %s", s, r.From)
				}
				if r.Kind == revision.Delete {
					table = slices.Delete(table, i, i+1)
				} else {
					table[i] = r.To
				}
			}
		}
	}
	slices.Sort(table)
	want := slices.Sorted(slices.Values(p.Heads))
	if !slices.Equal(table, want) {
		t.Errorf("replayed rows %v, Plan.Heads %v", table, want)
	}
}

func TestEnumStrings(t *testing.T) {
	t.Parallel()
	for v, want := range map[fmt.Stringer]string{
		revision.Up: "upgrade", revision.Down: "downgrade", revision.Direction(9): "Direction(9)",
		revision.Insert: "insert", revision.Update: "update", revision.Delete: "delete", revision.RowKind(0): "RowKind(0)",
	} {
		if got := v.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
	s := revision.Step{Direction: revision.Up, To: []string{"a1"}}
	if !s.Stamp() || s.String() != "stamp_revision  -> a1" {
		t.Errorf("stamp step: Stamp()=%v String()=%q", s.Stamp(), s.String())
	}
}
