package revision_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/retortdb/retort/revision"
)

// harness is one Alembic process answering requests line by line
// (alembic_harness.py --serve): many graphs and thousands of steps per
// process, each step from a state the Go side chooses.
type harness struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
}

// serveResult is the harness's answer to one request.
type serveResult struct {
	pyResult
	// Phase says where Alembic failed: "plan" (resolving the target or
	// collecting revisions) or "rows" (HeadMaintainer, after planning).
	Phase string `json:"phase"`
}

func startHarness(t testing.TB, py string, args ...string) *harness {
	t.Helper()
	cmd := exec.Command(py, append([]string{"testdata/alembic_harness.py", "--serve"}, args...)...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &harness{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	h.out.Buffer(make([]byte, 1<<20), 1<<26)
	t.Cleanup(func() {
		h.in.Close()
		_ = h.cmd.Wait()
	})
	return h
}

func (h *harness) ask(t testing.TB, req any) serveResult {
	t.Helper()
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.in.Write(append(b, '\n')); err != nil {
		t.Fatalf("alembic harness: %v", err)
	}
	if !h.out.Scan() {
		t.Fatalf("alembic harness stopped: %v", h.out.Err())
	}
	var res serveResult
	if err := json.Unmarshal(h.out.Bytes(), &res); err != nil {
		t.Fatalf("alembic harness answer %q: %v", h.out.Text(), err)
	}
	return res
}

// genDenseGraph builds a random graph with several bases and dense
// dependencies: about half the revisions depend on two or three others,
// chosen among branch labels, revisions under another base, ancestors
// of another dependency of the same revision, the revision's own
// ancestors and any earlier revision. Every edge points to an earlier
// revision, so the graph has no cycle.
func genDenseGraph(r *rand.Rand, n int) []*genRev {
	var all []*genRev
	children := map[string]int{}
	base := map[string]string{} // revision -> base it grows from
	for i := range n {
		g := &genRev{id: fmt.Sprintf("%012x", r.Uint64()&0xffffffffffff)}
		var hs []string
		for _, o := range all {
			if children[o.id] == 0 {
				hs = append(hs, o.id)
			}
		}
		switch p := r.IntN(100); {
		case i == 0 || p < 12:
		case p < 24 && len(all) > 2:
			g.down = []string{all[r.IntN(len(all))].id}
		case p < 34 && len(hs) >= 2:
			r.Shuffle(len(hs), func(a, b int) { hs[a], hs[b] = hs[b], hs[a] })
			g.down = slices.Clone(hs[:2+r.IntN(min(2, len(hs)-1))])
		default:
			g.down = []string{hs[r.IntN(len(hs))]}
		}
		base[g.id] = g.id
		if len(g.down) > 0 {
			base[g.id] = base[g.down[0]]
		}
		for _, d := range g.down {
			children[d]++
		}
		all = append(all, g)
	}
	labelLinear(r, all, 4, 2)
	for i, g := range all {
		if i < 2 || r.IntN(100) >= 55 {
			continue
		}
		want := 2 + r.IntN(2)
		for tries := 0; len(g.deps) < want && tries < 20; tries++ {
			if d := pickDep(r, all[:i], g, base); d != "" && !slices.Contains(g.deps, d) {
				g.deps = append(g.deps, d)
			}
		}
	}
	return all
}

// pickDep chooses one dependency for g among the earlier revisions.
func pickDep(r *rand.Rand, earlier []*genRev, g *genRev, base map[string]string) string {
	byID := map[string]*genRev{}
	for _, e := range earlier {
		byID[e.id] = e
	}
	ancestors := func(id string) []string {
		var out []string
		todo := []string{id}
		seen := map[string]bool{}
		for len(todo) > 0 {
			x := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			if seen[x] || byID[x] == nil {
				continue
			}
			seen[x] = true
			out = append(out, x)
			todo = append(todo, byID[x].down...)
		}
		return out
	}
	any := func() string { return earlier[r.IntN(len(earlier))].id }
	switch r.IntN(6) {
	case 0: // a branch label
		var ls []string
		for _, e := range earlier {
			ls = append(ls, e.labels...)
		}
		if len(ls) > 0 {
			return ls[r.IntN(len(ls))]
		}
	case 1: // a revision under another base
		var others []string
		for _, e := range earlier {
			if len(g.down) == 0 || base[e.id] != base[g.down[0]] {
				others = append(others, e.id)
			}
		}
		if len(others) > 0 {
			return others[r.IntN(len(others))]
		}
	case 2: // an ancestor of another dependency
		if len(g.deps) > 0 {
			d := g.deps[r.IntN(len(g.deps))]
			if byID[d] == nil {
				for _, e := range earlier {
					if slices.Contains(e.labels, d) {
						d = e.id
					}
				}
			}
			if as := ancestors(d); len(as) > 1 {
				return as[1+r.IntN(len(as)-1)]
			}
		}
	case 3: // one of its own ancestors
		if len(g.down) > 0 {
			as := ancestors(g.down[0])
			return as[r.IntN(len(as))]
		}
	}
	return any()
}

// labelLinear puts up to max labels, each revision taking one with odds
// 1 in oneIn, on revisions whose descendants form one line, where
// Alembic's label spreading does not depend on Python's set order.
func labelLinear(r *rand.Rand, all []*genRev, max, oneIn int) {
	kids := map[string][]string{}
	for _, g := range all {
		for _, d := range g.down {
			kids[d] = append(kids[d], g.id)
		}
	}
	linear := func(id string) bool {
		for {
			switch len(kids[id]) {
			case 0:
				return true
			case 1:
				id = kids[id][0]
			default:
				return false
			}
		}
	}
	nl := 0
	for _, i := range r.Perm(len(all)) {
		if nl == max {
			return
		}
		if linear(all[i].id) && r.IntN(oneIn) == 0 {
			all[i].labels = []string{fmt.Sprintf("lbl%d", nl)}
			nl++
		}
	}
}

// compatStats counts what a compatibility run compared.
type compatStats struct {
	graphs, steps atomic.Int64
	// exact: same steps, same row changes, same rows; orderOnly: same
	// revisions in the same order where Alembic's rows pass through a
	// row for an ancestor of another (retort keeps them minimal);
	// errors: both refused.
	exact, orderOnly, errors atomic.Int64
	// crashPlan and crashRows count Alembic crashes (KeyError,
	// AssertionError, ...) while planning and while keeping the version
	// table; there retort is checked on its own terms.
	crashPlan, crashRows atomic.Int64
	// crashRefused counts Alembic planning crashes where retort gave a
	// clean error instead of a plan.
	crashRefused atomic.Int64
	mu           sync.Mutex
	crashKinds   map[string]int
}

func (s *compatStats) crash(err string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.crashKinds == nil {
		s.crashKinds = map[string]int{}
	}
	kind, _, _ := strings.Cut(err, ":")
	s.crashKinds[kind]++
}

func (s *compatStats) log(t *testing.T) {
	t.Logf("%d graphs, %d steps compared: %d agreed exactly, %d agreed on the revisions run and their order where Alembic leaves a redundant version row (retort's rows checked minimal), %d agreed on an error; Alembic crashed %d times while planning (retort refused %d of them with a clean error) and %d times while keeping the version table %v (retort's plans, rows and current checked there)",
		s.graphs.Load(), s.steps.Load(), s.exact.Load(), s.orderOnly.Load(), s.errors.Load(),
		s.crashPlan.Load(), s.crashRefused.Load(), s.crashRows.Load(), s.crashKinds)
}

// denseRun drives one graph through Alembic and retort side by side.
type denseRun struct {
	t     *testing.T
	g     *revision.Graph
	h     *harness
	stats *compatStats
	lineage
}

// lineage answers ancestry questions from the headers alone, to check
// version rows independently of retort's planner.
type lineage map[string][]string // revision -> Revises + resolved DependsOn

func newLineage(g *revision.Graph) lineage {
	l := lineage{}
	for _, r := range g.Revisions() {
		in, _ := g.Info(r.ID)
		l[r.ID] = append(slices.Clone(r.Revises), in.Dependencies...)
	}
	return l
}

// newDenseRun loads revs into retort and, unless h is nil, into
// Alembic from script directory dir.
func newDenseRun(t *testing.T, h *harness, stats *compatStats, dir string, revs []*genRev) *denseRun {
	t.Helper()
	if h != nil {
		writeAlembicDir(t, dir, revs)
		h.ask(t, map[string]string{"dir": dir})
	}
	g := loadGen(t, revs)
	d := &denseRun{t: t, g: g, h: h, stats: stats, lineage: newLineage(g)}
	stats.graphs.Add(1)
	return d
}

// loadGen builds retort's graph from generated revisions in sorted file
// order, as the harness loads them.
func loadGen(t testing.TB, revs []*genRev) *revision.Graph {
	t.Helper()
	sorted := slices.Clone(revs)
	slices.SortFunc(sorted, func(a, b *genRev) int { return strings.Compare(a.id, b.id) })
	var rs []*revision.Revision
	for _, g := range sorted {
		rs = append(rs, &revision.Revision{ID: g.id, Revises: g.down, DependsOn: g.deps, BranchLabels: g.labels, Message: "msg " + g.id})
	}
	g, err := revision.New(rs)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// closure returns ids and everything they revise or depend on.
func (l lineage) closure(ids []string) map[string]bool {
	seen := map[string]bool{}
	todo := slices.Clone(ids)
	for len(todo) > 0 {
		x := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if !seen[x] {
			seen[x] = true
			todo = append(todo, l[x]...)
		}
	}
	return seen
}

// tips returns the members of a set that are no ancestor of another
// member: the rows that record exactly that set.
func (l lineage) tips(set map[string]bool) []string {
	var parents []string
	for x := range set {
		parents = append(parents, l[x]...)
	}
	below := l.closure(parents)
	var out []string
	for x := range set {
		if !below[x] {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

func revOrder(steps []pyStep) []string {
	out := []string{}
	for _, s := range steps {
		out = append(out, fmt.Sprintf("%v %s", s.Up, s.Rev))
	}
	return out
}

// sound checks what retort planned on its own terms (see
// lineage.checkPlan).
func (d *denseRun) sound(o op, state []string, gr pyResult) {
	d.t.Helper()
	var steps []pyStep
	if o.Op == "upgrade" || o.Op == "downgrade" {
		steps = gr.Steps
	}
	d.checkPlan(d.t, d.g, fmt.Sprintf("%+v from %v", o, state), state, steps, gr.Heads)
}

// checkPlan checks a plan on its own terms: every upgrade step runs
// something not yet applied, every downgrade step something applied,
// the rows afterwards are exactly the tips of what is applied, and
// current reports every row and implies nothing more. steps is nil for
// a stamp, which runs nothing.
func (l lineage) checkPlan(t testing.TB, g *revision.Graph, what string, state []string, steps []pyStep, rows []string) {
	t.Helper()
	rows = slices.Sorted(slices.Values(rows))
	if steps != nil {
		applied := l.closure(state)
		for _, s := range steps {
			if s.Up == applied[s.Rev] {
				t.Errorf("%s: step %v %s runs again or undoes what is not applied", what, s.Up, s.Rev)
			}
			applied[s.Rev] = s.Up
			if !s.Up {
				delete(applied, s.Rev)
			}
		}
		want := l.tips(applied)
		if !slices.Equal(norm(rows), norm(want)) {
			t.Errorf("%s: rows %v, want the tips %v of what is applied", what, rows, want)
		}
		if c := l.closure(rows); len(c) != len(applied) {
			t.Errorf("%s: rows %v imply %d revisions, %d are applied", what, rows, len(c), len(applied))
		}
	}
	cur, err := g.Current(rows)
	if err != nil {
		t.Errorf("%s: current of %v: %v", what, rows, err)
		return
	}
	var ids []string
	for _, c := range cur {
		ids = append(ids, c.ID)
	}
	for _, h := range rows {
		if !slices.Contains(ids, h) {
			t.Errorf("%s: row %s is not among the branch heads %v that current reports", what, h, ids)
		}
	}
	if a, b := l.closure(ids), l.closure(rows); len(a) != len(b) {
		t.Errorf("%s: current %v implies %d revisions, rows %v imply %d", what, ids, len(a), rows, len(b))
	}
}

// planSteps turns a plan into the steps checkPlan reads.
func planSteps(p *revision.Plan) []pyStep {
	steps := []pyStep{}
	for _, s := range p.Steps {
		if s.Revision != nil {
			steps = append(steps, pyStep{Up: s.Direction == revision.Up, Rev: s.Revision.ID})
		}
	}
	return steps
}

func norm(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// redundant replays Alembic's row changes from state and reports
// whether the version table ever holds a row for an ancestor of another.
func (l lineage) redundant(state []string, steps []pyStep) bool {
	rows := map[string]bool{}
	for _, s := range state {
		rows[s] = true
	}
	for _, s := range steps {
		for _, o := range s.Ops {
			delete(rows, o[1])
			if o[2] != "" {
				rows[o[2]] = true
			}
		}
		delete(rows, "")
		if len(l.tips(l.closure(slices.Collect(maps.Keys(rows))))) != len(rows) {
			return true
		}
	}
	return false
}

// do runs o from state on both sides, compares, and returns the state
// to go on from: the rows both agree on, or retort's where Alembic
// crashed or left redundant rows.
func (d *denseRun) do(o op, state []string) []string {
	t := d.t
	t.Helper()
	o.State = norm(state)
	gr := goResult(d.g, o, state)
	if strings.HasPrefix(gr.Error, "PANIC") {
		t.Errorf("%+v: retort %s", o, gr.Error)
		return state
	}
	if d.h == nil { // no Alembic: retort on its own terms
		if gr.Error != "" || (o.Op != "upgrade" && o.Op != "downgrade" && o.Op != "stamp") {
			return state
		}
		d.sound(o, state, gr)
		return gr.Heads
	}
	py := d.h.ask(t, o)
	d.stats.steps.Add(1)
	if strings.Contains(gr.Error, "stamp targets overlap") {
		d.stats.errors.Add(1) // deliberate: retort refuses what Alembic records
		return state
	}
	if py.Phase == "rows" || alembicCrashed(py.Error) {
		return d.crashed(o, state, py, gr)
	}
	if (py.Error != "") != (gr.Error != "") {
		t.Errorf("%+v: alembic error=%q, retort error=%q", o, py.Error, gr.Error)
		return state
	}
	if py.Error != "" {
		d.stats.errors.Add(1)
		return state
	}
	ok := true
	switch o.Op {
	case "labels":
		for id, l := range py.Labels {
			if !slices.Equal(norm(l), norm(gr.Labels[id])) {
				t.Errorf("labels of %s: alembic %v, retort %v", id, l, gr.Labels[id])
				ok = false
			}
		}
		if ok {
			d.stats.exact.Add(1)
		}
		return state
	case "current", "resolve", "history", "heads", "realheads", "bases":
		if !slices.Equal(norm(py.IDs), norm(gr.IDs)) {
			t.Errorf("%+v: alembic %v, retort %v", o, py.IDs, gr.IDs)
			ok = false
		}
		if ok {
			d.stats.exact.Add(1)
		}
		return state
	case "upgrade", "downgrade":
		d.sound(o, state, gr)
	}
	want, redundant := py.Heads, false
	if o.Op != "stamp" {
		redundant = d.redundant(state, py.Steps)
	}
	if redundant {
		// Alembic passes through (or ends in) rows for ancestors of
		// other rows; retort runs the same revisions in the same order
		// and keeps the rows minimal.
		want = d.tips(d.closure(py.Heads))
		if a, b := revOrder(py.Steps), revOrder(gr.Steps); !slices.Equal(a, b) {
			t.Errorf("%+v:\nalembic %v\nretort  %v", o, a, b)
			ok = false
		}
	} else if a, b := stepsKey(py.Steps), stepsKey(gr.Steps); !slices.Equal(a, b) {
		t.Errorf("%+v:\nalembic %v\nretort  %v", o, a, b)
		ok = false
	}
	if !slices.Equal(norm(want), norm(gr.Heads)) {
		t.Errorf("%+v: rows after: alembic %v, retort %v", o, want, gr.Heads)
		ok = false
	}
	switch {
	case ok && redundant:
		d.stats.orderOnly.Add(1)
	case ok:
		d.stats.exact.Add(1)
	}
	return gr.Heads
}

// crashed handles a step on which Alembic crashed. Where it crashed
// keeping the version table, its plan was made: retort must run the
// same revisions in the same order and keep minimal rows. Where it
// crashed planning, retort may refuse with a clean error. Either way
// what retort plans is sound, and Alembic's current agrees with
// retort's on the rows retort leaves.
func (d *denseRun) crashed(o op, state []string, py serveResult, gr pyResult) []string {
	t := d.t
	t.Helper()
	d.stats.crash(py.Error)
	if py.Phase == "rows" {
		d.stats.crashRows.Add(1)
		if gr.Error != "" {
			t.Errorf("%+v: Alembic crashed keeping the version table (%s); retort refused: %s", o, py.Error, gr.Error)
			return state
		}
		if a, b := revOrder(py.Steps), revOrder(gr.Steps); o.Op != "stamp" && !slices.Equal(a, b) {
			t.Errorf("%+v (Alembic then crashed: %s):\nalembic %v\nretort  %v", o, py.Error, a, b)
		}
	} else {
		d.stats.crashPlan.Add(1)
		if gr.Error != "" {
			d.stats.crashRefused.Add(1)
			return state
		}
	}
	d.sound(o, state, gr)
	if o.Op == "current" {
		return state
	}
	pc := d.h.ask(t, op{Op: "current", State: norm(gr.Heads)})
	if gc := goResult(d.g, op{Op: "current"}, gr.Heads); !slices.Equal(norm(pc.IDs), norm(gc.IDs)) {
		t.Errorf("%+v (Alembic crashed): current of retort's rows: Alembic %v (%s), retort %v", o, pc.IDs, pc.Error, gc.IDs)
	}
	return gr.Heads
}

// scenarios runs the dense scenario set on one graph: upgrade to every
// revision from nothing, downgrade to every revision from the heads,
// relative steps from every state reached, label targets, and random
// walks of eight steps.
func (d *denseRun) scenarios(r *rand.Rand, revs []*genRev, walks int) {
	var ids, labels []string
	for _, g := range revs {
		ids = append(ids, g.id)
		labels = append(labels, g.labels...)
	}
	pick := func() string { return ids[r.IntN(len(ids))] }
	label := func() string {
		if len(labels) == 0 {
			return pick()
		}
		return labels[r.IntN(len(labels))]
	}
	for _, o := range []op{{Op: "heads"}, {Op: "realheads"}, {Op: "bases"}, {Op: "labels"}, {Op: "history"},
		{Op: "history", Lower: pick()}, {Op: "history", Upper: pick()}, {Op: "history", Lower: pick(), Upper: pick()},
		{Op: "history", Lower: label() + "@base", Upper: "heads"}, {Op: "history", Upper: label() + "@head"}} {
		d.do(o, nil)
	}
	states := [][]string{nil}
	for _, id := range ids {
		states = append(states, d.do(op{Op: "upgrade", Target: id}, nil))
	}
	heads := d.do(op{Op: "upgrade", Target: "heads"}, nil)
	states = append(states, heads)
	for _, id := range ids {
		states = append(states, d.do(op{Op: "downgrade", Target: id}, heads))
	}
	relative := func() op {
		switch r.IntN(10) {
		case 0:
			return op{Op: "upgrade", Target: "+2"}
		case 1:
			return op{Op: "downgrade", Target: "-2"}
		case 2:
			return op{Op: "upgrade", Target: pick() + "+1"}
		case 3:
			return op{Op: "downgrade", Target: pick() + "-1"}
		case 4:
			return op{Op: "upgrade", Target: label() + "@+1"}
		case 5:
			return op{Op: "downgrade", Target: label() + "@-1"}
		case 6:
			return op{Op: "upgrade", Target: pick() + "+2"}
		case 7:
			return op{Op: "downgrade", Target: "heads-1"}
		case 8:
			return op{Op: "upgrade", Target: label() + "@" + pick() + "+1"}
		}
		return op{Op: "downgrade", Target: label() + "@" + pick()}
	}
	for _, s := range states {
		d.do(op{Op: "upgrade", Target: "+1"}, s)
		d.do(op{Op: "downgrade", Target: "-1"}, s)
		d.do(relative(), s)
	}
	for _, l := range labels {
		s := states[r.IntN(len(states))]
		for _, o := range []op{
			{Op: "upgrade", Target: l + "@head"}, {Op: "upgrade", Target: l + "@heads"},
			{Op: "downgrade", Target: l + "@base"}, {Op: "resolve", Target: l + "@head"},
		} {
			d.do(o, nil)
			d.do(o, s)
			d.do(o, heads)
		}
	}
	for range len(ids) / 4 {
		d.do(op{Op: "upgrade", Target: pick() + "@head"}, nil)
	}
	for range walks {
		var s []string
		for range 8 {
			s = d.do(randomOp(r, pick, label), s)
		}
	}
}

// randomOp picks any command with any target form.
func randomOp(r *rand.Rand, pick, label func() string) op {
	switch r.IntN(12) {
	case 0, 1, 2, 3, 4:
		ts := []string{"heads", "head", "+1", "+2", pick(), pick(), pick()[:6], pick() + "+1",
			label() + "@head", label() + "@heads", pick() + "@head", label() + "@+1"}
		return op{Op: "upgrade", Target: ts[r.IntN(len(ts))]}
	case 5, 6, 7, 8:
		ts := []string{"base", "-1", "-2", pick(), pick(), pick() + "-1",
			label() + "@base", label() + "@-1", label() + "@" + pick()}
		return op{Op: "downgrade", Target: ts[r.IntN(len(ts))]}
	case 9:
		ts := []string{pick()}
		switch r.IntN(4) {
		case 0:
			ts = append(ts, pick())
		case 1:
			ts = []string{"base"}
		case 2:
			ts = []string{"heads"}
		}
		return op{Op: "stamp", Targets: ts}
	}
	return op{Op: "current"}
}

// TestAlembicCompatDense compares retort with Alembic on random graphs
// with dense depends_on (two or three per revision, on labels, across
// bases, on ancestors of other dependencies), step by step from states
// the test chooses, continuing from retort's rows where Alembic crashes.
func TestAlembicCompatDense(t *testing.T) {
	py := alembicPython(t)
	sizes := []int{6, 10, 16, 22, 30, 40}
	const graphs, workers = 48, 2
	var stats compatStats
	t.Run("graphs", func(t *testing.T) {
		for w := range workers {
			t.Run(fmt.Sprintf("worker%d", w), func(t *testing.T) {
				t.Parallel()
				h := startHarness(t, py)
				for seed := w; seed < graphs; seed += workers {
					n := sizes[seed%len(sizes)]
					t.Run(fmt.Sprintf("seed%d_n%d", seed, n), func(t *testing.T) {
						r := rand.New(rand.NewPCG(uint64(seed), 1111))
						revs := genDenseGraph(r, n)
						d := newDenseRun(t, h, &stats, t.TempDir(), revs)
						d.scenarios(r, revs, 6)
					})
				}
			})
		}
	})
	stats.log(t)
}
