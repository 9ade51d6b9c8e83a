//go:build ignore

// report turns the hyperfine JSON written by bench/run.sh into markdown:
//
//	go run bench/report.go [-env env.txt] [-memory memory.tsv] RESULTS_DIR
//
// RESULTS_DIR holds one folder per group (heads-5000, upgrade-sqlite-1000,
// …), each with one hyperfine JSON file per command. A command's name may end
// with its transaction policy in brackets ("alembic [single]"); ratios compare
// rows of the same policy: "× retort" is the row's median over retort's, and
// "× floor" the row's median over the floor's (sqlite3/psql running the same
// SQL, rows named "floor: …"; other rows starting with "floor" are extra
// variants shown for reference).
package main

import (
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/retortdb/retort/bench/internal/benchfmt"
)

type group struct {
	name string
	rows []benchfmt.Result
}

func policy(name string) string {
	if i := strings.LastIndex(name, "["); i >= 0 && strings.HasSuffix(name, "]") {
		return name[i+1 : len(name)-1]
	}
	return ""
}

func tool(name string) string {
	if i := strings.LastIndex(name, "["); i >= 0 {
		name = name[:i]
	}
	return strings.TrimSpace(name)
}

func (g *group) find(pred func(benchfmt.Result) bool) *benchfmt.Result {
	for i := range g.rows {
		if pred(g.rows[i]) {
			return &g.rows[i]
		}
	}
	return nil
}

// isRetort says whether a tool name is retort's: "retort", or "retort …"
// (the testkit's "retort test (default set)").
func isRetort(t string) bool { return t == "retort" || strings.HasPrefix(t, "retort ") }

func (g *group) retort(pol string) *benchfmt.Result {
	return g.find(func(r benchfmt.Result) bool { return isRetort(tool(r.Command)) && policy(r.Command) == pol })
}

func (g *group) floor(pol string) *benchfmt.Result {
	return g.find(func(r benchfmt.Result) bool {
		return strings.HasPrefix(r.Command, "floor:") && policy(r.Command) == pol
	})
}

func (g *group) named(prefix, pol string) *benchfmt.Result {
	return g.find(func(r benchfmt.Result) bool { return strings.HasPrefix(r.Command, prefix) && policy(r.Command) == pol })
}

// dur writes a time with a decimal of milliseconds below 10 ms.
func dur(s float64) string { return benchfmt.Duration(s, 0.01) }

// order sorts groups as heads, current, history, upgrade-sqlite,
// upgrade-postgres, testkit, no-trace, then by size.
var kinds = []string{"startup", "heads-", "current-", "history-", "upgrade-sqlite-", "upgrade-postgres-", "upgrade-mysql-",
	"testkit-sqlite-", "testkit-postgres-", "no-trace-sqlite-", "no-trace-postgres-"}

func order(name string) (int, int) {
	for k, p := range kinds {
		if strings.HasPrefix(name, p) {
			n, _ := strconv.Atoi(strings.TrimPrefix(name, p))
			return k, n
		}
	}
	return len(kinds), 0
}

func rowOrder(name string) int {
	switch t := tool(name); {
	case isRetort(t):
		return 0
	case t == "alembic":
		return 1
	case strings.HasPrefix(t, "floor"):
		return 4
	case t == "goose":
		return 2
	default:
		return 3
	}
}

func load(dir string) []*group {
	entries, err := os.ReadDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	var groups []*group
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		rows, err := benchfmt.ReadDir(filepath.Join(dir, e.Name()))
		if err != nil {
			log.Fatal(err)
		}
		g := &group{name: e.Name(), rows: rows}
		sort.SliceStable(g.rows, func(i, j int) bool {
			pi, pj := policy(g.rows[i].Command), policy(g.rows[j].Command)
			if pi != pj {
				return pi > pj // single before per-revision
			}
			return rowOrder(g.rows[i].Command) < rowOrder(g.rows[j].Command)
		})
		if len(g.rows) > 0 {
			groups = append(groups, g)
		}
	}
	sort.Slice(groups, func(i, j int) bool {
		ki, ni := order(groups[i].name)
		kj, nj := order(groups[j].name)
		if ki != kj {
			return ki < kj
		}
		return ni < nj
	})
	return groups
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("report: ")
	envFile := flag.String("env", "", "env.txt written by run.sh")
	memFile := flag.String("memory", "", "memory.tsv written by run.sh")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: go run bench/report.go [-env FILE] [-memory FILE] RESULTS_DIR")
	}
	groups := load(flag.Arg(0))
	byName := map[string]*group{}
	for _, g := range groups {
		byName[g.name] = g
	}

	if *envFile != "" {
		if data, err := os.ReadFile(*envFile); err == nil {
			fmt.Printf("### Machine and versions\n\n```\n%s```\n\n", data)
		}
	}

	fmt.Printf("### Timings (hyperfine medians)\n\n")
	fmt.Printf("`× retort`: this row's median over retort's with the same transaction policy (above 1: retort is faster). ")
	fmt.Printf("`× floor`: this row's median over the floor's (sqlite3/psql running the same SQL) with the same policy.\n\n")
	for _, g := range groups {
		// Groups without a floor (heads, testkit, …) have no × floor column.
		hasFloor := g.find(func(r benchfmt.Result) bool { return strings.HasPrefix(r.Command, "floor:") }) != nil
		fmt.Printf("#### %s\n\n", g.name)
		if hasFloor {
			fmt.Printf("| command | median | mean ± σ | min … max | runs | × retort | × floor |\n")
			fmt.Printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		} else {
			fmt.Printf("| command | median | mean ± σ | min … max | runs | × retort |\n")
			fmt.Printf("| --- | ---: | ---: | ---: | ---: | ---: |\n")
		}
		for i := range g.rows {
			r := &g.rows[i]
			pol := policy(r.Command)
			fmt.Printf("| %s | %s | %s ± %s | %s … %s | %d | %s |",
				r.Command, dur(r.Median), dur(r.Mean), dur(r.Stddev), dur(r.Min), dur(r.Max), len(r.Times),
				benchfmt.Ratio(r, g.retort(pol)))
			if hasFloor {
				fmt.Printf(" %s |", benchfmt.Ratio(r, g.floor(pol)))
			}
			fmt.Println()
		}
		fmt.Println()
	}

	mems := benchfmt.LoadMemory(*memFile)
	if len(mems) > 0 {
		fmt.Printf("### Peak memory (`/usr/bin/time -v`, maximum resident set size)\n\n")
		fmt.Printf("| command | median of runs | max | runs |\n| --- | ---: | ---: | ---: |\n")
		for _, m := range mems {
			fmt.Printf("| %s revisions | %.1f MB | %.1f MB | %d |\n", m.Command, float64(m.Median())/1000, float64(m.Peak())/1000, len(m.KB))
		}
		fmt.Println()
	}

	fmt.Printf("### Goals\n\n| goal | measured | verdict |\n| --- | --- | --- |\n")
	for _, op := range []string{"heads", "current"} {
		goal := fmt.Sprintf("`%s` on 5,000 revisions ≥ 100× faster than Alembic", op)
		g := byName[op+"-5000"]
		var r, a *benchfmt.Result
		if g != nil {
			r, a = g.retort(""), g.named("alembic", "")
		}
		if r == nil || a == nil {
			fmt.Printf("| %s | pending | pending |\n", goal)
			continue
		}
		x := a.Median / r.Median
		fmt.Printf("| %s | %s vs %s: %.0f× | %s |\n", goal, dur(r.Median), dur(a.Median), x, benchfmt.Verdict(x >= 100))
	}
	for _, op := range []string{"heads", "current"} {
		goal := fmt.Sprintf("peak memory of `%s` on 5,000 revisions < 50 MB", op)
		var found *benchfmt.Memory
		for i := range mems {
			if mems[i].Command == "retort "+op+" 5000" {
				found = &mems[i]
			}
		}
		if found == nil {
			fmt.Printf("| %s | pending | pending |\n", goal)
			continue
		}
		mb := float64(found.Peak()) / 1000
		fmt.Printf("| %s | %.1f MB (max of %d runs) | %s |\n", goal, mb, len(found.KB), benchfmt.Verdict(mb < 50))
	}
	type lim struct {
		group, pol, floorName string
		limit                 float64
	}
	for _, l := range []lim{
		{"upgrade-sqlite-1000", "single", "one sqlite3 transaction", 2},
		{"upgrade-postgres-1000", "single", "one psql transaction", 1.1},
		{"upgrade-postgres-1000", "per-revision", "psql statement by statement", 1.1},
		{"upgrade-mysql-100", "per-revision", "the mariadb client statement by statement (one version-row write per revision)", 1.2},
		{"upgrade-mysql-1000", "per-revision", "the mariadb client statement by statement (one version-row write per revision)", 1.2},
	} {
		engine, size, _ := strings.Cut(strings.TrimPrefix(l.group, "upgrade-"), "-")
		if size == "1000" {
			size = "1,000"
		}
		goal := fmt.Sprintf("`upgrade head`, %s migrations, %s: within %.1f× of %s", size, engine, l.limit, l.floorName)
		g := byName[l.group]
		var r, f *benchfmt.Result
		if g != nil {
			r, f = g.retort(l.pol), g.floor(l.pol)
		}
		if r == nil || f == nil {
			fmt.Printf("| %s | pending | pending |\n", goal)
			continue
		}
		x := r.Median / f.Median
		fmt.Printf("| %s | %s vs %s: %.2f× | %s |\n", goal, dur(r.Median), dur(f.Median), x, benchfmt.Verdict(x <= l.limit))
	}
	mysqlPeerGoals(byName)
	testkitGoals(groups)
	fmt.Println()
	noTraceGrowth(groups)
}

// testkitGoals adds the test kit's goals (issue 6) when the testkit suite
// has results: the default set at least 10× faster than pytest-alembic's,
// and downgrade_leaves_no_trace linear in the number of revisions.
func testkitGoals(groups []*group) {
	for _, g := range groups {
		if !strings.HasPrefix(g.name, "testkit-") {
			continue
		}
		r := g.retort("")
		for _, name := range []string{"pytest-alembic (4 default tests)", "pytest-alembic (3, without model_definitions_match_ddl)"} {
			p := g.named(name, "")
			if r == nil || p == nil {
				continue
			}
			x := p.Median / r.Median
			v := benchfmt.Verdict(x >= 10)
			if strings.Contains(name, "without") {
				// retort runs all four; the three are shown for reference.
				v = "(for reference)"
			}
			fmt.Printf("| `retort test`, default set, %s: ≥ 10× faster than %s | %s vs %s: %.1f× | %s |\n",
				strings.TrimPrefix(g.name, "testkit-"), name, dur(r.Median), dur(p.Median), x, v)
		}
	}
	for _, dialect := range []string{"sqlite", "postgres"} {
		pts := growth(groups, "no-trace-"+dialect+"-", isRetort)
		if len(pts) < 2 {
			continue
		}
		a, b := pts[0], pts[len(pts)-1]
		e := exponent(a, b)
		fmt.Printf("| `retort test --include downgrade_leaves_no_trace`, %s: linear in the number of revisions | %d → %d revisions: %s → %s, time ∝ n^%.2f | %s |\n",
			dialect, a.n, b.n, dur(a.median), dur(b.median), e, benchfmt.Verdict(e <= 1.2))
	}
}

type point struct {
	n      int
	median float64
}

// growth returns, by size, the median of the first row whose tool
// matches in the groups named prefix+N.
func growth(groups []*group, prefix string, match func(string) bool) []point {
	var pts []point
	for _, g := range groups {
		if !strings.HasPrefix(g.name, prefix) {
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(g.name, prefix))
		if err != nil {
			continue
		}
		if r := g.find(func(r benchfmt.Result) bool { return match(tool(r.Command)) }); r != nil {
			pts = append(pts, point{n, r.Median})
		}
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].n < pts[j].n })
	return pts
}

// exponent is k in time ∝ n^k between two points: 1 is linear, 2 quadratic.
func exponent(a, b point) float64 {
	return math.Log(b.median/a.median) / math.Log(float64(b.n)/float64(a.n))
}

// noTraceGrowth prints how downgrade_leaves_no_trace grows with the
// history, per tool and database.
func noTraceGrowth(groups []*group) {
	type series struct {
		title string
		pts   []point
	}
	var all []series
	for _, dialect := range []string{"sqlite", "postgres"} {
		prefix := "no-trace-" + dialect + "-"
		for _, t := range []struct {
			name  string
			match func(string) bool
		}{
			{"retort", isRetort},
			{"pytest-alembic", func(t string) bool { return strings.HasPrefix(t, "pytest-alembic") }},
		} {
			if pts := growth(groups, prefix, t.match); len(pts) > 0 {
				all = append(all, series{t.name + ", " + dialect, pts})
			}
		}
	}
	if len(all) == 0 {
		return
	}
	fmt.Printf("### downgrade_leaves_no_trace: growth with the history\n\n")
	fmt.Printf("`n^k`: the exponent between this size and the previous one (time ∝ n^k; 1 is linear, 2 quadratic).\n\n")
	fmt.Printf("| tool, database | revisions | median | × previous size | n^k |\n| --- | ---: | ---: | ---: | ---: |\n")
	for _, s := range all {
		for i, p := range s.pts {
			x, k := "", ""
			if i > 0 {
				x = fmt.Sprintf("%.2f×", p.median/s.pts[i-1].median)
				k = fmt.Sprintf("%.2f", exponent(s.pts[i-1], p))
			}
			fmt.Printf("| %s | %d | %s | %s | %s |\n", s.title, p.n, dur(p.median), x, k)
		}
	}
	fmt.Println()
}

// mysqlPeerGoals checks that retort's upgrade head on MySQL/MariaDB is
// faster than each peer's (every tool applies one revision at a time
// there, so all rows compare with retort's per-revision row).
func mysqlPeerGoals(byName map[string]*group) {
	for _, n := range []string{"100", "1000"} {
		g := byName["upgrade-mysql-"+n]
		for _, peer := range []string{"alembic", "goose", "migrate"} {
			goal := fmt.Sprintf("`upgrade head`, %s migrations, mysql: faster than %s", strings.Replace(n, "1000", "1,000", 1), peer)
			var r, p *benchfmt.Result
			if g != nil {
				r = g.retort("per-revision")
				p = g.named(peer, "per-revision")
			}
			if r == nil || p == nil {
				fmt.Printf("| %s | pending | pending |\n", goal)
				continue
			}
			x := p.Median / r.Median
			fmt.Printf("| %s | %s vs %s: %.2f× | %s |\n", goal, dur(r.Median), dur(p.Median), x, benchfmt.Verdict(x > 1))
		}
	}
}
