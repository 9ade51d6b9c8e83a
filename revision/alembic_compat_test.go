package revision_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/retortdb/retort/revision"
)

// alembicPython returns a python3 that can import alembic, or skips.
func alembicPython(t testing.TB) string {
	t.Helper()
	py := os.Getenv("RETORT_TEST_ALEMBIC")
	if py == "" {
		py = "/usr/bin/python3"
	}
	if err := exec.Command(py, "-c", "import alembic").Run(); err != nil {
		t.Skipf("Alembic is not importable by %s; install python3-alembic or set RETORT_TEST_ALEMBIC (./scripts/test.sh does both)", py)
	}
	return py
}

type genRev struct {
	id     string
	down   []string
	deps   []string
	labels []string
}

// genGraph builds a random graph: chains, new bases, branches, merges of
// two and three heads, depends_on across branches and branch labels on
// revisions whose descendants form a single line (where Alembic's label
// spreading does not depend on Python's set order).
func genGraph(r *rand.Rand, n int) []*genRev {
	var all []*genRev
	children := map[string]int{}
	heads := func() []string {
		var hs []string
		for _, g := range all {
			if children[g.id] == 0 {
				hs = append(hs, g.id)
			}
		}
		return hs
	}
	for i := range n {
		g := &genRev{id: fmt.Sprintf("%012x", r.Uint64()&0xffffffffffff)}
		hs := heads()
		switch p := r.IntN(100); {
		case i == 0 || p < 4:
		case p < 16 && len(all) > 2:
			g.down = []string{all[r.IntN(len(all))].id}
		case p < 28 && len(hs) >= 2:
			r.Shuffle(len(hs), func(a, b int) { hs[a], hs[b] = hs[b], hs[a] })
			k := 2
			if len(hs) >= 3 && r.IntN(3) == 0 {
				k = 3
			}
			g.down = slices.Clone(hs[:k])
		default:
			g.down = []string{hs[r.IntN(len(hs))]}
		}
		if len(all) > 3 && r.IntN(100) < 8 {
			d := all[r.IntN(len(all))].id
			if !slices.Contains(g.down, d) {
				g.deps = []string{d}
			}
		}
		for _, d := range g.down {
			children[d]++
		}
		all = append(all, g)
	}
	labelLinear(r, all, 3, 3)
	return all
}

func pyTuple(ss []string) string {
	switch len(ss) {
	case 0:
		return "None"
	case 1:
		return fmt.Sprintf("%q", ss[0])
	}
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "(" + strings.Join(q, ", ") + ")"
}

func writeAlembicDir(t testing.TB, dir string, revs []*genRev) {
	t.Helper()
	vdir := filepath.Join(dir, "versions")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, g := range revs {
		src := fmt.Sprintf("\"\"\"msg %s\n\nRevision ID: %s\n\"\"\"\nrevision = %q\ndown_revision = %s\nbranch_labels = %s\ndepends_on = %s\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n",
			g.id, g.id, g.id, pyTuple(g.down), pyTuple(g.labels), pyTuple(g.deps))
		if err := os.WriteFile(filepath.Join(vdir, g.id+"_m.py"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type op struct {
	Op      string   `json:"op"`
	Target  string   `json:"target,omitempty"`
	Targets []string `json:"targets,omitempty"`
	Lower   string   `json:"lower,omitempty"`
	Upper   string   `json:"upper,omitempty"`
	State   []string `json:"state,omitempty"`
}

type pyStep struct {
	Up  bool       `json:"up"`
	Rev string     `json:"rev"`
	Ops [][]string `json:"ops"`
}

type pyResult struct {
	IDs    []string            `json:"ids"`
	Labels map[string][]string `json:"labels"`
	Steps  []pyStep            `json:"steps"`
	Heads  []string            `json:"heads"`
	Error  string              `json:"error"`
	State  []string            `json:"state"`
}

func genOps(r *rand.Rand, revs []*genRev) []op {
	pick := func() string { return revs[r.IntN(len(revs))].id }
	var labels []string
	for _, g := range revs {
		labels = append(labels, g.labels...)
	}
	label := func() string {
		if len(labels) == 0 {
			return pick()
		}
		return labels[r.IntN(len(labels))]
	}
	ops := []op{{Op: "heads"}, {Op: "realheads"}, {Op: "bases"}, {Op: "labels"}, {Op: "history"},
		{Op: "history", Lower: pick()}, {Op: "history", Upper: pick()},
		{Op: "history", Lower: label() + "@base", Upper: "heads"},
		{Op: "resolve", Target: "heads"}, {Op: "resolve", Target: pick()[:6]},
		{Op: "resolve", Target: label() + "@head"}, {Op: "resolve", Target: "-1"}}
	upTargets := func() string {
		switch r.IntN(9) {
		case 0:
			return "heads"
		case 1:
			return "head"
		case 2:
			return "+1"
		case 3:
			return "+2"
		case 4:
			return pick() + "+1"
		case 5:
			return label() + "@head"
		case 6:
			return label() + "@+1"
		case 7:
			return pick()[:5]
		}
		return pick()
	}
	downTargets := func() string {
		switch r.IntN(8) {
		case 0:
			return "base"
		case 1:
			return "-1"
		case 2:
			return "-2"
		case 3:
			return pick() + "-1"
		case 4:
			return label() + "@base"
		case 5:
			return label() + "@-1"
		}
		return pick()
	}
	for range 25 {
		switch r.IntN(10) {
		case 0:
			ops = append(ops, op{Op: "reset"})
		case 1, 2, 3, 4:
			ops = append(ops, op{Op: "upgrade", Target: upTargets()})
		case 5, 6, 7:
			ops = append(ops, op{Op: "downgrade", Target: downTargets()})
		case 8:
			ts := []string{pick()}
			if r.IntN(3) == 0 {
				ts = append(ts, pick())
			}
			if r.IntN(5) == 0 {
				ts = []string{"base"}
			}
			ops = append(ops, op{Op: "stamp", Targets: ts})
		default:
			ops = append(ops, op{Op: "current"})
		}
	}
	return ops
}

// netEffect reduces row changes to what was removed and added: which
// parent row an Alembic merge renames depends on Python's set order.
func netEffect(kinds, from, to []string) string {
	var del, ins []string
	for i := range kinds {
		if from[i] != "" {
			del = append(del, from[i])
		}
		if to[i] != "" {
			ins = append(ins, to[i])
		}
	}
	sort.Strings(del)
	sort.Strings(ins)
	return fmt.Sprintf("-%v+%v", del, ins)
}

func goResult(g *revision.Graph, o op, state []string) (res pyResult) {
	defer func() {
		if p := recover(); p != nil {
			res = pyResult{Error: fmt.Sprintf("PANIC: %v", p)}
		}
	}()
	var plan *revision.Plan
	var err error
	list := func(rs []*revision.Revision, err error) pyResult {
		if err != nil {
			return pyResult{Error: err.Error()}
		}
		var ids []string
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		return pyResult{IDs: ids}
	}
	switch o.Op {
	case "heads":
		return list(g.Heads(), nil)
	case "realheads":
		return list(g.RealHeads(), nil)
	case "bases":
		return list(g.Bases(), nil)
	case "labels":
		m := map[string][]string{}
		for _, r := range g.Revisions() {
			in, _ := g.Info(r.ID)
			m[r.ID] = in.Labels
		}
		return pyResult{Labels: m}
	case "history":
		return list(g.History(o.Lower, o.Upper))
	case "resolve":
		return list(g.Resolve(o.Target))
	case "current":
		res := list(g.Current(state))
		sort.Strings(res.IDs)
		return res
	case "upgrade":
		plan, err = g.Upgrade(state, o.Target)
	case "downgrade":
		plan, err = g.Downgrade(state, o.Target)
	case "stamp":
		plan, err = g.Stamp(state, o.Targets)
	}
	if err != nil {
		return pyResult{Error: err.Error()}
	}
	for _, s := range plan.Steps {
		ps := pyStep{Up: s.Direction == revision.Up}
		if s.Revision != nil {
			ps.Rev = s.Revision.ID
		}
		for _, rc := range s.Rows {
			ps.Ops = append(ps.Ops, []string{rc.Kind.String(), rc.From, rc.To})
		}
		res.Steps = append(res.Steps, ps)
	}
	res.Heads = slices.Sorted(slices.Values(plan.Heads))
	return res
}

func stepsKey(steps []pyStep) []string {
	var out []string
	for _, s := range steps {
		var k, f, t []string
		for _, o := range s.Ops {
			k, f, t = append(k, o[0]), append(f, o[1]), append(t, o[2])
		}
		out = append(out, fmt.Sprintf("%v %s %s", s.Up, s.Rev, netEffect(k, f, t)))
	}
	return out
}

// alembicCrashed reports an Alembic failure that is a Python crash
// (KeyError, AssertionError, ...) rather than one of its error messages:
// there retort must answer cleanly instead, and is checked for soundness.
func alembicCrashed(err string) bool {
	for _, p := range []string{"KeyError", "AssertionError", "AttributeError", "TypeError"} {
		if strings.HasPrefix(err, p) {
			return true
		}
	}
	return false
}

// minimal checks that no version row is an ancestor of another.
func minimal(t *testing.T, g *revision.Graph, o op, heads []string) {
	t.Helper()
	for _, h := range heads {
		others := slices.DeleteFunc(slices.Clone(heads), func(x string) bool { return x == h })
		if len(others) == 0 {
			continue
		}
		anc, err := g.History("", strings.Join(others, " "))
		if err != nil {
			t.Errorf("%+v: %v", o, err)
			return
		}
		for _, a := range anc {
			if a.ID == h {
				t.Errorf("%+v: row %s is an ancestor of another row in %v", o, h, heads)
			}
		}
	}
}

func compare(t *testing.T, g *revision.Graph, l lineage, o op, py, gr pyResult) {
	t.Helper()
	if strings.HasPrefix(gr.Error, "PANIC") {
		t.Errorf("%+v from %v: retort %s", o, py.State, gr.Error)
		return
	}
	if strings.Contains(gr.Error, "stamp targets overlap") {
		// Deliberate divergence: Alembic records both rows (a version
		// table it later refuses to read); retort refuses the stamp.
		return
	}
	if alembicCrashed(py.Error) {
		if gr.Error == "" && gr.Steps != nil {
			minimal(t, g, o, gr.Heads)
		}
		return
	}
	if (py.Error != "") != (gr.Error != "") {
		t.Errorf("%+v from %v: alembic error=%q, retort error=%q", o, py.State, py.Error, gr.Error)
		return
	}
	if py.Error != "" {
		return
	}
	switch o.Op {
	case "labels":
		for id, l := range py.Labels {
			if !slices.Equal(norm(l), norm(gr.Labels[id])) {
				t.Errorf("labels of %s: alembic %v, retort %v", id, l, gr.Labels[id])
			}
		}
	case "upgrade", "downgrade", "stamp":
		want, steps, key := py.Heads, gr.Steps, stepsKey
		if o.Op != "stamp" && l.redundant(py.State, py.Steps) {
			// Alembic's rows pass through a row for an ancestor of
			// another; retort runs the same revisions in the same order
			// and keeps the rows minimal.
			want, key = l.tips(l.closure(py.Heads)), revOrder
		}
		if a, b := key(py.Steps), key(steps); !slices.Equal(a, b) {
			t.Errorf("%+v from %v:\nalembic %v\nretort  %v", o, py.State, a, b)
		}
		if !slices.Equal(norm(want), norm(gr.Heads)) {
			t.Errorf("%+v from %v: heads after: alembic %v, retort %v", o, py.State, want, gr.Heads)
		}
	default:
		if !slices.Equal(norm(py.IDs), norm(gr.IDs)) {
			t.Errorf("%+v from %v:\nalembic %v\nretort  %v", o, py.State, py.IDs, gr.IDs)
		}
	}
}

// TestAlembicCompat builds real Alembic script directories from seeded
// random graphs and checks that retort answers every query, and plans
// every upgrade, downgrade and stamp, as Alembic does.
func TestAlembicCompat(t *testing.T) {
	py := alembicPython(t)
	sizes := []int{5, 12, 30, 60, 120, 250}
	for seed := range 24 {
		n := sizes[seed%len(sizes)]
		t.Run(fmt.Sprintf("seed%d_n%d", seed, n), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(uint64(seed), 42))
			revs := genGraph(r, n)
			dir := t.TempDir()
			writeAlembicDir(t, dir, revs)
			ops := genOps(r, revs)
			in, _ := json.Marshal(map[string]any{"dir": dir, "ops": ops})
			cmd := exec.Command(py, "testdata/alembic_harness.py")
			cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0")
			cmd.Stdin = bytes.NewReader(in)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("alembic harness: %v\n%s", err, stderr.String())
			}
			var results []pyResult
			if err := json.Unmarshal(out, &results); err != nil {
				t.Fatal(err)
			}
			graph := loadGen(t, revs)
			lin := newLineage(graph)
			agreed, failed := 0, 0
			defer func() { t.Logf("%d ops agreed with a result, %d agreed on an error", agreed, failed) }()
			for i, o := range ops {
				if o.Op == "reset" {
					continue
				}
				if results[i].Error == "" {
					agreed++
				} else {
					failed++
				}
				compare(t, graph, lin, o, results[i], goResult(graph, o, results[i].State))
			}
		})
	}
}
