//go:build ignore

// agreport turns the autogenerate suite's hyperfine JSON (bench/run.sh
// autogenerate) into markdown:
//
//	go run bench/agreport.go RESULTS_DIR/autogenerate
//
// The folder holds one folder per group, same-N and changed-N, or
// same-NxK and changed-NxK for N tables in K schemas (the target
// equal to the N-table database, or differing from it in 5 columns), each
// with one JSON file per command, and load.tsv (the load average before
// each command). retort's rows come twice, "(cold: target cache empty)"
// and "(warm: target cache kept)". Ratios: "× alembic" is the row's median
// over `alembic revision --autogenerate`'s, "× atlas" over atlas inspect's
// and "× floor" over `pg_dump --schema-only`'s (below 1: the row is
// faster); the goals table gives the speed-ups (the peer's median over
// retort's).
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/retortdb/retort/bench/internal/benchfmt"
)

type group struct {
	variant string
	n       int
	schemas int // the tables are spread over this many schemas
	rows    []benchfmt.Result
}

func (g *group) row(prefix string) *benchfmt.Result { return benchfmt.Find(g.rows, prefix) }

// dur writes a time with a decimal of milliseconds below 10 ms.
func dur(s float64) string { return benchfmt.Duration(s, 0.01) }

func rank(cmd string) int {
	for i, p := range []string{"retort check (cold", "retort check", "retort revision --autogenerate (cold", "retort revision",
		"alembic", "atlas", "floor", "reference: retort", "reference"} {
		if strings.HasPrefix(cmd, p) {
			return i
		}
	}
	return 99
}

func variantTitle(v string) string {
	if v == "changed" {
		return "target differs in 5 columns"
	}
	return "no difference"
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("agreport: ")
	if len(os.Args) != 2 {
		log.Fatal("usage: go run bench/agreport.go RESULTS_DIR/autogenerate")
	}
	dir := os.Args[1]
	entries, err := os.ReadDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, e := range entries {
		v, ns, ok := strings.Cut(e.Name(), "-")
		ns, ks, multi := strings.Cut(ns, "x") // same-1000x4: 1,000 tables in 4 schemas
		n, err := strconv.Atoi(ns)
		k := 1
		if multi && err == nil {
			k, err = strconv.Atoi(ks)
		}
		if !e.IsDir() || !ok || err != nil {
			continue
		}
		rows, err := benchfmt.ReadDir(filepath.Join(dir, e.Name()))
		if err != nil {
			log.Fatal(err)
		}
		g := &group{variant: v, n: n, schemas: k, rows: rows}
		sort.SliceStable(g.rows, func(i, j int) bool { return rank(g.rows[i].Command) < rank(g.rows[j].Command) })
		if len(g.rows) > 0 {
			groups = append(groups, g)
			byKey[e.Name()] = g
		}
	}
	sort.Slice(groups, func(i, j int) bool {
		if groups[i].n != groups[j].n {
			return groups[i].n < groups[j].n
		}
		if groups[i].schemas != groups[j].schemas {
			return groups[i].schemas < groups[j].schemas
		}
		return groups[i].variant > groups[j].variant // same before changed
	})

	fmt.Printf("### Autogenerate timings (hyperfine medians)\n\n")
	fmt.Printf("`× alembic`: the row's median over `alembic revision --autogenerate`'s; `× atlas`: over atlas inspect's; `× floor`: over `pg_dump --schema-only`'s (below 1: the row is faster). retort *cold*: its target cache emptied before every run (the first run after `schema.sql` changed); *warm*: the cache kept.\n\n")
	for _, g := range groups {
		in := ""
		if g.schemas > 1 {
			in = fmt.Sprintf(" in %d schemas", g.schemas)
		}
		fmt.Printf("#### %d tables%s, %s\n\n", g.n, in, variantTitle(g.variant))
		fmt.Printf("| command | median | mean ± σ | min … max | runs | × alembic | × atlas | × floor |\n")
		fmt.Printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		al, at, fl := g.row("alembic"), g.row("atlas"), g.row("floor")
		for i := range g.rows {
			r := &g.rows[i]
			fmt.Printf("| %s | %s | %s ± %s | %s … %s | %d | %s | %s | %s |\n",
				r.Command, dur(r.Median), dur(r.Mean), dur(r.Stddev), dur(r.Min), dur(r.Max), len(r.Times),
				benchfmt.Ratio(r, al), benchfmt.Ratio(r, at), benchfmt.Ratio(r, fl))
		}
		fmt.Println()
	}

	if data, err := os.ReadFile(filepath.Join(dir, "load.tsv")); err == nil && len(data) > 0 {
		fmt.Printf("Load average (1, 5, 15 min) before each command:\n\n| group | command | load |\n| --- | --- | --- |\n")
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			fmt.Printf("| %s |\n", strings.ReplaceAll(line, "\t", " | "))
		}
		fmt.Println()
	}

	fmt.Printf("### Autogenerate goals (1,000 tables)\n\n| goal | measured | verdict |\n| --- | --- | --- |\n")
	for _, v := range []string{"same", "changed"} {
		g := byKey[v+"-1000"]
		if g == nil {
			fmt.Printf("| 1,000 tables, %s | pending | pending |\n", variantTitle(v))
			continue
		}
		al, at, fl := g.row("alembic"), g.row("atlas"), g.row("floor")
		for i := range g.rows {
			r := &g.rows[i]
			if !strings.HasPrefix(r.Command, "retort check") && !strings.HasPrefix(r.Command, "retort revision") {
				continue
			}
			rt := r.Command
			if al != nil {
				x := al.Median / r.Median
				fmt.Printf("| `%s`, %s: ≥ 20× faster than `alembic revision --autogenerate` | %s vs %s: %.1f× | %s |\n",
					rt, variantTitle(v), dur(r.Median), dur(al.Median), x, benchfmt.Verdict(x >= 20))
			}
			if at != nil {
				x := at.Median / r.Median
				fmt.Printf("| `%s`, %s: faster than `%s` | %s vs %s: %.2f× | %s |\n",
					rt, variantTitle(v), at.Command, dur(r.Median), dur(at.Median), x, benchfmt.Verdict(x > 1))
			}
			if fl != nil {
				fmt.Printf("| `%s`, %s: × the floor (`pg_dump --schema-only`) | %s vs %s: %.1f× | (for reference) |\n",
					rt, variantTitle(v), dur(r.Median), dur(fl.Median), r.Median/fl.Median)
			}
		}
		for _, peer := range []*benchfmt.Result{al, at} {
			if peer != nil && fl != nil {
				fmt.Printf("| `%s`, %s: × the floor (the issue: Alembic about 19×, atlas about 11×) | %s vs %s: %.1f× | (for reference) |\n",
					peer.Command, variantTitle(v), dur(peer.Median), dur(fl.Median), peer.Median/fl.Median)
			}
		}
	}
	fmt.Println()
}
