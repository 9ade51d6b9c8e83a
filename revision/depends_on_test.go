package revision_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/revision"
)

// readGraph reads a graph written one revision a line:
// "ID revises=A,B labels=L depends_on=X,Y" ('#' starts a comment line).
func readGraph(t testing.TB, path string) []*genRev {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var revs []*genRev
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		g := &genRev{id: fields[0]}
		for _, kv := range fields[1:] {
			k, v, _ := strings.Cut(kv, "=")
			var list []string
			if v != "" {
				list = strings.Split(v, ",")
			}
			switch k {
			case "revises":
				g.down = list
			case "labels":
				g.labels = list
			case "depends_on":
				g.deps = list
			default:
				t.Fatalf("%s: unknown field %q", path, kv)
			}
		}
		revs = append(revs, g)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return revs
}

// crossBranchOrder is the upgrade to 774a47377629 from nothing on
// testdata/depends_on_cross_branch.txt: Alembic's walk with
// dc2946403f60's dependencies taken in the order its header declares
// them (1a51239c4ca1, then cf46ad3863b9).
var crossBranchOrder = strings.Fields(`0fc58c436fec d793e5e53c86 a831f4a3ffac 7f1329f2da4b
	4b83696f8f7a 1a51239c4ca1 fc6b2c7a6ec7 072ba5bf7460 614aaa6739f9 a8576583f795
	ebd9d8f197ea 06e9e061f73d 0980beceddc7 577c770e82b9 cf46ad3863b9 0282717d3ffb
	019adc31d393 5042c5b513ab 57d0999d123f f2135109bb93 a48f2846443f dc2946403f60
	774a47377629`)

// TestDependsOnCrossBranch plans on issue 11's 70-revision graph: the
// upgrade order is Alembic's walk, and every upgrade and downgrade from
// the scenario set leaves exactly the tips of what is applied.
func TestDependsOnCrossBranch(t *testing.T) {
	t.Parallel()
	revs := readGraph(t, "testdata/depends_on_cross_branch.txt")
	g := loadGen(t, revs)
	p, err := g.Upgrade(nil, "774a47377629")
	if err != nil {
		t.Fatal(err)
	}
	if got := stepIDs(p); !slices.Equal(got, crossBranchOrder) {
		t.Errorf("upgrade 774a47377629:\n got %v\nwant %v", got, crossBranchOrder)
	}
	if !slices.Equal(p.Heads, []string{"774a47377629"}) {
		t.Errorf("rows after upgrade 774a47377629: %v", p.Heads)
	}
	d := newDenseRun(t, nil, &compatStats{}, "", revs)
	d.scenarios(rand.New(rand.NewPCG(11, 70)), revs, 20)
}

// TestDependsOnCrossBranchAlembic compares the 70-revision graph with
// Alembic over the whole scenario set, and shows why retort pins one
// order: Alembic keeps dc2946403f60's two dependencies in a Python set,
// so its own order changes with the interpreter's hash seed. retort's
// order is one of the two Alembic produces.
func TestDependsOnCrossBranchAlembic(t *testing.T) {
	py := alembicPython(t)
	revs := readGraph(t, "testdata/depends_on_cross_branch.txt")
	var stats compatStats
	d := newDenseRun(t, startHarness(t, py), &stats, t.TempDir(), revs)
	d.scenarios(rand.New(rand.NewPCG(11, 70)), revs, 20)
	stats.log(t)

	dir := t.TempDir()
	writeAlembicDir(t, dir, revs)
	orders := map[string]bool{}
	for _, seed := range []string{"0", "1", "2", "3"} {
		cmd := exec.Command(py, "testdata/alembic_harness.py", "--serve", "--python-set-order")
		cmd.Env = append(os.Environ(), "PYTHONHASHSEED="+seed)
		cmd.Stdin = strings.NewReader(`{"dir": "` + dir + `"}` + "\n" + `{"op": "upgrade", "target": "774a47377629"}` + "\n")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("alembic harness: %v", err)
		}
		lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
		var res serveResult
		if err := json.Unmarshal(lines[len(lines)-1], &res); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range res.Steps {
			ids = append(ids, s.Rev)
		}
		orders[strings.Join(ids, " ")] = true
	}
	if !orders[strings.Join(crossBranchOrder, " ")] || len(orders) != 2 {
		t.Errorf("Alembic's orders under hash seeds 0-3: %v; want two, one of them retort's %v", slices.Collect(maps.Keys(orders)), crossBranchOrder)
	}
}

// ancestorDeps is issue 11's second graph: b20000000002 depends on
// a10000000002 and on its ancestor a10000000001.
func ancestorDeps() []*revision.Revision {
	return []*revision.Revision{
		{ID: "a10000000001", BranchLabels: []string{"left"}, Message: "a1"},
		{ID: "a10000000002", Revises: []string{"a10000000001"}, Message: "a2"},
		{ID: "b20000000001", BranchLabels: []string{"right"}, Message: "b1"},
		{ID: "b20000000002", Revises: []string{"b20000000001"}, DependsOn: []string{"a10000000002", "a10000000001"}, Message: "b2"},
		{ID: "b20000000003", Revises: []string{"b20000000002"}, Message: "b3"},
	}
}

// TestDependsOnAncestorRows: a revision that depends on a revision and
// on its ancestor leaves no row for the ancestor when it is downgraded
// (Alembic writes one there, and crashes with a KeyError upgrading it).
func TestDependsOnAncestorRows(t *testing.T) {
	t.Parallel()
	tests := []planCase{
		{
			name: "upgrade heads merges the dependency rows", revs: ancestorDeps, target: "heads",
			steps: []string{
				"upgrade  -> a10000000001, a1 | insert a10000000001",
				"upgrade a10000000001 -> a10000000002, a2 | update a10000000001 -> a10000000002",
				"upgrade  -> b20000000001, b1 | insert b20000000001",
				"upgrade b20000000001 -> b20000000002, b2 | delete b20000000001; update a10000000002 -> b20000000002",
				"upgrade b20000000002 -> b20000000003, b3 | update b20000000002 -> b20000000003",
			},
			rows: []string{"b20000000003"},
		},
		{
			name: "downgrade keeps no row for the ancestor", revs: ancestorDeps,
			current: []string{"b20000000003"}, target: "b20000000001",
			steps: []string{
				"downgrade b20000000003 -> b20000000002, b3 | update b20000000003 -> b20000000002",
				"downgrade b20000000002 -> b20000000001, b2 | insert b20000000001; update b20000000002 -> a10000000002",
			},
			rows: []string{"a10000000002", "b20000000001"},
		},
		{
			name: "then upgrading the ancestor is a no-op", revs: ancestorDeps,
			current: []string{"a10000000002", "b20000000001"}, target: "a10000000001",
			steps: []string{}, rows: []string{"a10000000002", "b20000000001"},
		},
		{
			name: "and upgrade heads merges again", revs: ancestorDeps,
			current: []string{"a10000000002", "b20000000001"}, target: "heads",
			steps: []string{
				"upgrade b20000000001 -> b20000000002, b2 | delete b20000000001; update a10000000002 -> b20000000002",
				"upgrade b20000000002 -> b20000000003, b3 | update b20000000002 -> b20000000003",
			},
			rows: []string{"b20000000003"},
		},
		{
			name: "upgrade the dependent from the ancestor alone", revs: ancestorDeps,
			current: []string{"a10000000001"}, target: "b20000000002",
			steps: []string{
				"upgrade a10000000001 -> a10000000002, a2 | update a10000000001 -> a10000000002",
				"upgrade  -> b20000000001, b1 | insert b20000000001",
				"upgrade b20000000001 -> b20000000002, b2 | delete b20000000001; update a10000000002 -> b20000000002",
			},
			rows: []string{"b20000000002"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := revision.New(tt.revs())
			if err != nil {
				t.Fatal(err)
			}
			p, err := g.Upgrade(tt.current, tt.target)
			if strings.HasPrefix(tt.name, "downgrade") {
				p, err = g.Downgrade(tt.current, tt.target)
			}
			tt.check(t, p, err)
		})
	}
}

func ancestorDepsGen() []*genRev {
	var out []*genRev
	for _, r := range ancestorDeps() {
		out = append(out, &genRev{id: r.ID, down: r.Revises, deps: r.DependsOn, labels: r.BranchLabels})
	}
	return out
}

// TestDependsOnAncestorRowsAlembic runs the scenario set on the same
// graph against Alembic: where Alembic crashes, retort runs the same
// revisions, keeps minimal rows, and current agrees.
func TestDependsOnAncestorRowsAlembic(t *testing.T) {
	py := alembicPython(t)
	revs := ancestorDepsGen()
	var stats compatStats
	d := newDenseRun(t, startHarness(t, py), &stats, t.TempDir(), revs)
	d.scenarios(rand.New(rand.NewPCG(11, 2)), revs, 30)
	stats.log(t)
	if stats.crashRows.Load() == 0 {
		t.Error("Alembic no longer crashes on this graph; check what changed")
	}
}
