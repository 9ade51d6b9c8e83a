package revision_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/retortdb/retort/revision"
)

// prefixed holds two ids sharing the prefix "aaa".
func prefixed() []*revision.Revision {
	return []*revision.Revision{rev("aaaa1111", "", "", ""), rev("aaab5555", "aaaa1111", "", "")}
}

// Error kinds a target case may expect, checked with errors.As.
const (
	resolution    = "resolution"
	rangeErr      = "range"
	multipleHeads = "multiple heads"
)

type targetCase struct {
	name    string
	revs    func() []*revision.Revision
	current []string
	target  string
	want    []string // Resolve: ids; Upgrade/Downgrade: step revisions in order
	rows    []string // Upgrade/Downgrade: the version table afterwards
	err     []string // fragments of the error
	kind    string   // error kind
	cands   []string // ResolutionError.Candidates
	heads   []string // MultipleHeadsError.Heads
}

func (tt targetCase) check(t *testing.T, got []string, rows []string, err error) {
	t.Helper()
	if tt.err != nil || tt.kind != "" {
		wantBadInput(t, err, tt.err...)
		switch tt.kind {
		case resolution:
			var re *revision.ResolutionError
			if !errors.As(err, &re) {
				t.Fatalf("%v is not a *ResolutionError", err)
			}
			if tt.cands != nil && !slices.Equal(re.Candidates, tt.cands) {
				t.Errorf("Candidates = %v, want %v", re.Candidates, tt.cands)
			}
		case rangeErr:
			var re *revision.RangeError
			if !errors.As(err, &re) {
				t.Fatalf("%v is not a *RangeError", err)
			}
		case multipleHeads:
			var mh *revision.MultipleHeadsError
			if !errors.As(err, &mh) {
				t.Fatalf("%v is not a *MultipleHeadsError", err)
			}
			if !slices.Equal(mh.Heads, tt.heads) {
				t.Errorf("Heads = %v, want %v", mh.Heads, tt.heads)
			}
		}
		return
	}
	if err != nil {
		t.Fatalf("target %q from %v: %v", tt.target, tt.current, err)
	}
	if !slices.Equal(got, tt.want) {
		t.Errorf("target %q from %v = %v, want %v", tt.target, tt.current, got, tt.want)
	}
	if tt.rows != nil || rows != nil {
		slices.Sort(rows)
		if !slices.Equal(rows, tt.rows) {
			t.Errorf("target %q from %v leaves rows %v, want %v", tt.target, tt.current, rows, tt.rows)
		}
	}
}

var multipleHeadsHint = []string{"please specify a specific target revision", "'<branchname>@head'", "'heads' for all heads"}

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []targetCase{
		{name: "head", revs: linear, target: "head", want: []string{"a3"}},
		{name: "head of a merge", revs: merged, target: "head", want: []string{"dddd4444"}},
		{name: "head with two heads", revs: branched, target: "head", kind: multipleHeads,
			heads: []string{"bbbb2222", "cccc3333"}, err: append([]string{"'head'", "bbbb2222, cccc3333"}, multipleHeadsHint...)},
		{name: "heads", revs: branched, target: "heads", want: []string{"bbbb2222", "cccc3333"}},
		{name: "heads are real heads", revs: networked, target: "heads", want: []string{"a2", "d1"}},
		{name: "base is nothing", revs: linear, target: "base", want: []string{}},
		{name: "full id", revs: merged, target: "bbbb2222", want: []string{"bbbb2222"}},
		{name: "short full id", revs: linear, target: "a2", want: []string{"a2"}},
		{name: "unique partial id", revs: merged, target: "bbbb", want: []string{"bbbb2222"}},
		// Alembic matches keys longer than 3 characters, so a 3-character
		// query that is a unique prefix still resolves.
		{name: "three characters of a long id", revs: merged, target: "ccc", want: []string{"cccc3333"}},
		{name: "label prefix", revs: merged, target: "feat", want: []string{"cccc3333"}},
		{name: "bare label", revs: merged, target: "feature", want: []string{"cccc3333"}},
		{name: "ambiguous prefix lists candidates", revs: prefixed, target: "aaa", kind: resolution,
			cands: []string{"aaaa1111", "aaab5555"}, err: []string{"multiple revisions start with 'aaa'", "'aaaa1111', 'aaab5555'"}},
		{name: "short unknown id hints at four characters", revs: merged, target: "zz", kind: resolution,
			err: []string{"'zz'", "at least four characters"}},
		{name: "short ids are never prefixes", revs: linear, target: "a", kind: resolution,
			err: []string{"at least four characters"}},
		{name: "long unknown id", revs: merged, target: "zzzz9999", kind: resolution,
			err: []string{"no such revision or branch 'zzzz9999'"}},
		{name: "LABEL@head through a merge", revs: merged, target: "feature@head", want: []string{"dddd4444"}},
		{name: "LABEL@head", revs: branched, target: "feature@head", want: []string{"cccc3333"}},
		{name: "LABEL@heads", revs: branched, target: "feature@heads", want: []string{"cccc3333"}},
		{name: "REV@heads", revs: branched, target: "aaaa1111@heads", want: []string{"bbbb2222", "cccc3333"}},
		{name: "LABEL@base", revs: networked, target: "networking@base", want: []string{}},
		{name: "REV@head", revs: merged, target: "bbbb2222@head", want: []string{"dddd4444"}},
		{name: "REV@head at a branch point", revs: branched, target: "aaaa1111@head", kind: multipleHeads,
			heads: []string{"bbbb2222", "cccc3333"}, err: append([]string{"'aaaa1111@head'"}, multipleHeadsHint...)},
		{name: "LABEL@REV", revs: merged, target: "feature@cccc3333", want: []string{"cccc3333"}},
		{name: "LABEL@REV off the branch", revs: branched, target: "feature@bbbb2222", kind: resolution,
			err: []string{"not a member of branch 'feature'"}},
		{name: "unknown label", revs: merged, target: "nosuch@head", kind: resolution, err: []string{"nosuch"}},
		{name: "-N walks down from the heads", revs: linear, target: "-1", want: []string{"a2"}},
		{name: "-N to base", revs: linear, target: "-3", want: []string{}},
		{name: "-N past base", revs: linear, target: "-4", kind: rangeErr, err: []string{"walked past base"}},
		{name: "-N through a merge point", revs: merged, target: "-1", kind: rangeErr, err: []string{"ambiguous walk"}},
		{name: "LABEL@-N", revs: networked, target: "app@-1", want: []string{"a1"}},
		{name: "huge -N", revs: linear, target: "-99999999999999999999", kind: rangeErr, err: []string{"walked past base"}},
		{name: "+N is not a revision", revs: linear, target: "a1+1", kind: resolution},
		{name: "several ids", revs: branched, target: "bbbb2222 cccc3333", want: []string{"bbbb2222", "cccc3333"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs())
			rs, err := g.Resolve(tt.target)
			tt.check(t, ids(rs), nil, err)
		})
	}
}

func TestResolveOne(t *testing.T) {
	t.Parallel()
	tests := []targetCase{
		{name: "head", revs: merged, target: "head", want: []string{"dddd4444"}},
		{name: "base is nil", revs: merged, target: "base", want: []string{}},
		{name: "partial", revs: merged, target: "dddd", want: []string{"dddd4444"}},
		{name: "LABEL@head", revs: networked, target: "app@head", want: []string{"a2"}},
		{name: "several heads", revs: branched, target: "heads", kind: multipleHeads,
			heads: []string{"bbbb2222", "cccc3333"}, err: []string{"'heads'"}},
		{name: "head with several heads", revs: networked, target: "head", kind: multipleHeads,
			heads: []string{"n2", "a2", "d1"}, err: multipleHeadsHint},
		{name: "ambiguous", revs: prefixed, target: "aaa", kind: resolution, cands: []string{"aaaa1111", "aaab5555"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs())
			r, err := g.ResolveOne(tt.target)
			got := []string{}
			if r != nil {
				got = append(got, r.ID)
			}
			tt.check(t, got, nil, err)
		})
	}
}

func stepIDs(p *revision.Plan) []string {
	out := []string{}
	for _, s := range p.Steps {
		if s.Revision != nil {
			out = append(out, s.Revision.ID)
		}
	}
	return out
}

func TestUpgradeTargets(t *testing.T) {
	t.Parallel()
	tests := []targetCase{
		{name: "head from nothing", revs: linear, target: "head", want: []string{"a1", "a2", "a3"}, rows: []string{"a3"}},
		{name: "heads", revs: merged, target: "heads", want: []string{"aaaa1111", "cccc3333", "bbbb2222", "dddd4444"}, rows: []string{"dddd4444"}},
		{name: "full id", revs: linear, current: []string{"a1"}, target: "a2", want: []string{"a2"}, rows: []string{"a2"}},
		{name: "partial id", revs: merged, current: []string{"aaaa1111"}, target: "cccc", want: []string{"cccc3333"}, rows: []string{"cccc3333"}},
		{name: "any unique prefix, however short", revs: merged, current: []string{"aaaa1111"}, target: "c", want: []string{"cccc3333"}, rows: []string{"cccc3333"}},
		{name: "bare label", revs: merged, current: []string{"aaaa1111"}, target: "feature", want: []string{"cccc3333"}, rows: []string{"cccc3333"}},
		{name: "+1 from nothing", revs: linear, target: "+1", want: []string{"a1"}, rows: []string{"a1"}},
		{name: "+2", revs: linear, current: []string{"a1"}, target: "+2", want: []string{"a2", "a3"}, rows: []string{"a3"}},
		{name: "+N past head", revs: linear, current: []string{"a1"}, target: "+5", kind: rangeErr,
			err: []string{"relative revision +5 didn't produce 5 migrations: +5 counts 5 steps up from the database's revision a1, and only 2 exist on the way to head; use +2, or 'retort upgrade head'"}},
		{name: "+1 at head", revs: linear, current: []string{"a3"}, target: "+1", kind: rangeErr,
			err: []string{"didn't produce 1 migrations", "none exist: the database is at head already"}},
		{name: "+N on an empty database", revs: linear, target: "+4", kind: rangeErr,
			err: []string{"+4 counts 4 steps up from an empty database, and only 3 exist on the way to head; use +3"}},
		{name: "huge +N", revs: linear, target: "+99999999999999999999", kind: rangeErr,
			err: []string{"didn't produce 99999999999999999999 migrations"}},
		{name: "-N is not an upgrade", revs: linear, current: []string{"a3"}, target: "-1", kind: rangeErr,
			err: []string{"relative revision -1 didn't produce 1 migrations"}},
		{name: "+N with several current heads", revs: merged, current: []string{"bbbb2222", "cccc3333"}, target: "+1",
			kind: rangeErr, err: []string{"ambiguous upgrade from multiple current revisions"}},
		{name: "+N through a branch point", revs: branched, current: []string{"aaaa1111"}, target: "+1",
			kind: rangeErr, err: []string{"ambiguous walk", "aaaa1111"}},
		{name: "REV+N", revs: linear, target: "a1+1", want: []string{"a1", "a2"}, rows: []string{"a2"}},
		{name: "REV+N from above REV", revs: linear, current: []string{"a2"}, target: "a1+2", want: []string{"a3"}, rows: []string{"a3"}},
		{name: "REV-N works for upgrade", revs: linear, target: "a3-1", want: []string{"a1", "a2"}, rows: []string{"a2"}},
		{name: "REV+N too far", revs: linear, target: "a2+5", kind: rangeErr, err: []string{"walked too far"}},
		{name: "REV+N through a branch point", revs: branched, target: "aaaa1111+1", kind: rangeErr, err: []string{"ambiguous walk"}},
		{name: "LABEL@+N picks the branch", revs: branched, current: []string{"aaaa1111"}, target: "feature@+1",
			want: []string{"cccc3333"}, rows: []string{"cccc3333"}},
		{name: "LABEL@+N from nothing", revs: networked, target: "networking@+2", want: []string{"n1", "n2"}, rows: []string{"n2"}},
		{name: "LABEL@+N beside another branch", revs: networked, current: []string{"n2"}, target: "app@+1",
			want: []string{"a1"}, rows: []string{"a1", "n2"}},
		{name: "LABEL@+N past the branch head", revs: networked, current: []string{"a2"}, target: "networking@+2",
			kind: rangeErr, err: []string{"didn't produce 2 migrations"}},
		{name: "LABEL@head", revs: merged, current: []string{"bbbb2222"}, target: "feature@head",
			want: []string{"cccc3333", "dddd4444"}, rows: []string{"dddd4444"}},
		{name: "LABEL@head pulls dependencies", revs: networked, target: "app@head", want: []string{"n1", "a1", "a2"}, rows: []string{"a2"}},
		{name: "REV@head", revs: merged, current: []string{"aaaa1111"}, target: "bbbb2222@head",
			want: []string{"cccc3333", "bbbb2222", "dddd4444"}, rows: []string{"dddd4444"}},
		{name: "head with several heads", revs: branched, target: "head", kind: multipleHeads,
			heads: []string{"bbbb2222", "cccc3333"}, err: multipleHeadsHint},
		{name: "upgrade to an ancestor is a no-op", revs: linear, current: []string{"a2"}, target: "a1", want: []string{}, rows: []string{"a2"}},
		{name: "upgrade to base is a no-op", revs: linear, current: []string{"a2"}, target: "base", want: []string{}, rows: []string{"a2"}},
		{name: "upgrade to current is a no-op", revs: linear, current: []string{"a2"}, target: "a2", want: []string{}, rows: []string{"a2"}},
		{name: "upgrade at head is a no-op", revs: merged, current: []string{"dddd4444"}, target: "heads", want: []string{}, rows: []string{"dddd4444"}},
		{name: "unknown target", revs: linear, target: "nop", kind: resolution, err: []string{"'nop'", "four characters"}},
		{name: "unknown current row", revs: linear, current: []string{"gone"}, target: "head", kind: resolution, err: []string{"gone"}},
		{name: "overlapping current rows", revs: linear, current: []string{"a1", "a2"}, target: "head", kind: rangeErr,
			err: []string{"overlaps"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs())
			p, err := g.Upgrade(tt.current, tt.target)
			if err != nil {
				tt.check(t, nil, nil, err)
				return
			}
			tt.check(t, stepIDs(p), p.Heads, nil)
		})
	}
}

func TestDowngradeTargets(t *testing.T) {
	t.Parallel()
	tests := []targetCase{
		{name: "-1", revs: linear, current: []string{"a3"}, target: "-1", want: []string{"a3"}, rows: []string{"a2"}},
		{name: "-N to base", revs: linear, current: []string{"a3"}, target: "-3", want: []string{"a3", "a2", "a1"}, rows: []string{}},
		{name: "-N past base", revs: linear, current: []string{"a3"}, target: "-4", kind: rangeErr,
			err: []string{"relative revision -4 didn't produce 4 migrations: -4 counts 4 steps down from the database's revision a3, and only 3 exist on the way to base; use -3, or 'retort downgrade base'"}},
		{name: "-N from nothing", revs: linear, target: "-1", kind: rangeErr, err: []string{"didn't produce 1 migrations"}},
		{name: "+N is not a downgrade", revs: linear, current: []string{"a1"}, target: "+1", kind: rangeErr,
			err: []string{"relative revision +1 didn't produce 1 migrations"}},
		// Alembic warns and walks the first row; the row is deleted
		// because the other head still implies aaaa1111.
		{name: "-1 with several heads uses the first row", revs: branched, current: []string{"cccc3333", "bbbb2222"}, target: "-1",
			want: []string{"cccc3333"}, rows: []string{"bbbb2222"}},
		{name: "-1 with several heads, other order", revs: branched, current: []string{"bbbb2222", "cccc3333"}, target: "-1",
			want: []string{"bbbb2222"}, rows: []string{"cccc3333"}},
		{name: "-1 from a merge point", revs: merged, current: []string{"dddd4444"}, target: "-1", kind: rangeErr,
			err: []string{"ambiguous walk: dddd4444 is a merge point, so a step of -1 could go to bbbb2222 or cccc3333; name the branch with LABEL@-1 (labels: feature)"}},
		{name: "-1 from an unlabelled merge point", revs: func() []*revision.Revision {
			return []*revision.Revision{rev("m1", "", "", ""), rev("m2", "m1", "", ""), rev("m3", "m1", "", ""), rev("m4", "m2,m3", "", "")}
		}, current: []string{"m4"}, target: "-1", kind: rangeErr,
			err: []string{"ambiguous walk: m4 is a merge point, so a step of -1 could go to m2 or m3; name the revision to go to instead"}},
		{name: "REV-N", revs: linear, current: []string{"a3"}, target: "a3-2", want: []string{"a3", "a2"}, rows: []string{"a1"}},
		{name: "REV-N to base", revs: linear, current: []string{"a3"}, target: "a2-2", want: []string{"a3", "a2", "a1"}, rows: []string{}},
		{name: "REV-N too far", revs: linear, current: []string{"a1"}, target: "a1-2", kind: rangeErr, err: []string{"walked too far"}},
		{name: "REV+N works for downgrade", revs: linear, current: []string{"a3"}, target: "a1+1", want: []string{"a3"}, rows: []string{"a2"}},
		{name: "REV+N too far", revs: linear, current: []string{"a3"}, target: "a2+2", kind: rangeErr, err: []string{"walked too far"}},
		{name: "base", revs: linear, current: []string{"a3"}, target: "base", want: []string{"a3", "a2", "a1"}, rows: []string{}},
		{name: "LABEL@base", revs: merged, current: []string{"dddd4444"}, target: "feature@base",
			want: []string{"dddd4444", "bbbb2222", "cccc3333", "aaaa1111"}, rows: []string{}},
		{name: "LABEL@-N", revs: networked, current: []string{"n2", "a2"}, target: "app@-1", want: []string{"a2"}, rows: []string{"a1", "n2"}},
		{name: "other LABEL@-N", revs: networked, current: []string{"n2", "a2"}, target: "networking@-1", want: []string{"n2"}, rows: []string{"a2"}},
		{name: "LABEL@REV", revs: merged, current: []string{"dddd4444"}, target: "feature@cccc3333",
			want: []string{"dddd4444"}, rows: []string{"bbbb2222", "cccc3333"}},
		{name: "partial id", revs: linear, current: []string{"a3"}, target: "a1", want: []string{"a3", "a2"}, rows: []string{"a1"}},
		{name: "to current is a no-op", revs: linear, current: []string{"a3"}, target: "a3", want: []string{}, rows: []string{"a3"}},
		{name: "to a non-ancestor", revs: linear, current: []string{"a2"}, target: "a3", kind: rangeErr,
			err: []string{"a3", "not a valid downgrade target from current head(s) (a2)"}},
		{name: "to another branch", revs: branched, current: []string{"bbbb2222"}, target: "cccc3333", kind: rangeErr,
			err: []string{"not a valid downgrade target"}},
		{name: "head with several heads", revs: branched, current: []string{"bbbb2222", "cccc3333"}, target: "head",
			kind: multipleHeads, heads: []string{"bbbb2222", "cccc3333"}, err: multipleHeadsHint},
		{name: "ambiguous prefix", revs: prefixed, current: []string{"aaab5555"}, target: "aaa", kind: resolution,
			cands: []string{"aaaa1111", "aaab5555"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := mustGraph(t, tt.revs())
			p, err := g.Downgrade(tt.current, tt.target)
			if err != nil {
				tt.check(t, nil, nil, err)
				return
			}
			tt.check(t, stepIDs(p), p.Heads, nil)
		})
	}
}
