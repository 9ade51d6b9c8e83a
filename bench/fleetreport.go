//go:build ignore

// fleetreport turns the hyperfine JSON of the fleet suite (bench/fleet.sh)
// into markdown:
//
//	go run bench/fleetreport.go [-env env.txt] [-revisions 20] [-full 200] RESULTS_DIR
//
// It reads RESULTS_DIR/fleet-postgres-N, fleet-sqlite-N and startup, and
// prints: the side-by-side table at -full tenants (each command's median,
// tenants a second, the Alembic loop's time over the row's, the row's
// over the floor's), retort's scaling with --jobs and with the number of
// tenants, the SQLite files table, and process start-up. With -env, the
// load averages the suite noted are printed first.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/retortdb/retort/bench/internal/benchfmt"
)

var (
	envFile   = flag.String("env", "", "env.txt of the run (load averages)")
	revisions = flag.Int("revisions", 20, "revisions per tenant")
	full      = flag.Int("full", 200, "the PostgreSQL size at which every tool ran")
)

func load(dir string) []benchfmt.Result {
	out, err := benchfmt.ReadDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	sort.SliceStable(out, func(i, j int) bool { return order(out[i].Command) < order(out[j].Command) })
	return out
}

// order: retort by --jobs, then the Alembic loop, goose loop, floor.
func order(cmd string) int {
	if j, ok := jobs(cmd); ok {
		return j
	}
	switch {
	case strings.HasPrefix(cmd, "alembic"):
		return 1000
	case strings.HasPrefix(cmd, "goose"):
		return 1001
	case strings.HasPrefix(cmd, "floor"):
		return 1002
	}
	return 1003
}

// jobs returns the --jobs of a retort row.
func jobs(cmd string) (int, bool) {
	const p = "retort --fleet --jobs "
	if !strings.HasPrefix(cmd, p) {
		return 0, false
	}
	j, err := strconv.Atoi(strings.TrimPrefix(cmd, p))
	return j, err == nil
}

// dur writes a time in whole milliseconds below one second.
func dur(s float64) string { return benchfmt.Duration(s, 0) }

func times(r benchfmt.Result) string {
	if len(r.Times) < 2 {
		return ""
	}
	var parts []string
	for _, t := range r.Times {
		parts = append(parts, dur(t))
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// sizes returns the N of RESULTS_DIR/prefix-N folders, ascending.
func sizes(dir, prefix string) []int {
	ms, _ := filepath.Glob(filepath.Join(dir, prefix+"*"))
	var out []int
	for _, m := range ms {
		if n, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(m), prefix)); err == nil {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("fleetreport: ")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: go run bench/fleetreport.go [-env env.txt] [-revisions N] [-full N] RESULTS_DIR")
	}
	dir := flag.Arg(0)
	fmt.Printf("## Fleets: `upgrade head` on every tenant (%d migrations each)\n\n", *revisions)
	if *envFile != "" {
		if f, err := os.Open(*envFile); err == nil {
			sc := bufio.NewScanner(f)
			fmt.Println("```")
			for sc.Scan() {
				l := sc.Text()
				if strings.HasPrefix(l, "date:") || strings.HasPrefix(l, "load average") || strings.HasPrefix(l, "nproc:") || strings.HasPrefix(l, "retort:") || strings.HasPrefix(l, "postgres:") {
					fmt.Println(l)
				}
			}
			fmt.Println("```")
			fmt.Println()
			f.Close()
		}
	}

	pg := sizes(dir, "fleet-postgres-")
	for _, m := range pg {
		if m != *full {
			continue
		}
		rows := load(filepath.Join(dir, fmt.Sprintf("fleet-postgres-%d", m)))
		alembic, floor := benchfmt.Find(rows, "alembic"), benchfmt.Find(rows, "floor")
		fmt.Printf("### %d tenants × %d migrations, PostgreSQL (one schema each)\n\n", m, *revisions)
		fmt.Println("| command | time | tenants a second | Alembic loop ÷ this | this ÷ floor |")
		fmt.Println("| --- | ---: | ---: | ---: | ---: |")
		for i := range rows {
			r := &rows[i]
			fmt.Printf("| %s | %s%s | %.1f | %s | %s |\n", r.Command, dur(r.Median), times(*r), float64(m)/r.Median, benchfmt.Ratio(alembic, r), benchfmt.Ratio(r, floor))
		}
		fmt.Println()
		var one *benchfmt.Result
		fmt.Printf("### retort --fleet: scaling with --jobs (%d tenants, PostgreSQL)\n\n", m)
		fmt.Println("| --jobs | time | tenants a second | speed-up over --jobs 1 |")
		fmt.Println("| ---: | ---: | ---: | ---: |")
		for i := range rows {
			j, ok := jobs(rows[i].Command)
			if !ok {
				continue
			}
			if j == 1 {
				one = &rows[i]
			}
			fmt.Printf("| %d | %s | %.1f | %s |\n", j, dur(rows[i].Median), float64(m)/rows[i].Median, benchfmt.Ratio(one, &rows[i]))
		}
		fmt.Println()
	}

	if len(pg) > 0 {
		// Every --jobs measured at every size.
		cols := map[int]bool{}
		for _, m := range pg {
			for _, r := range load(filepath.Join(dir, fmt.Sprintf("fleet-postgres-%d", m))) {
				if j, ok := jobs(r.Command); ok {
					cols[j] = true
				}
			}
		}
		var js []int
		for j := range cols {
			all := true
			for _, m := range pg {
				if benchfmt.Find(load(filepath.Join(dir, fmt.Sprintf("fleet-postgres-%d", m))), fmt.Sprintf("retort --fleet --jobs %d", j)) == nil {
					all = false
				}
			}
			if all {
				js = append(js, j)
			}
		}
		sort.Ints(js)
		fmt.Println("### Scaling with the number of tenants (PostgreSQL schemas)")
		fmt.Println()
		head, line := "| tenants |", "| ---: |"
		for _, j := range js {
			head += fmt.Sprintf(" retort --jobs %d | ms a tenant |", j)
			line += " ---: | ---: |"
		}
		fmt.Println(head + " floor | ms a tenant |")
		fmt.Println(line + " ---: | ---: |")
		for _, m := range pg {
			rows := load(filepath.Join(dir, fmt.Sprintf("fleet-postgres-%d", m)))
			fmt.Printf("| %d |", m)
			for _, j := range js {
				r := benchfmt.Find(rows, fmt.Sprintf("retort --fleet --jobs %d", j))
				fmt.Printf(" %s | %.1f |", dur(r.Median), 1000*r.Median/float64(m))
			}
			if f := benchfmt.Find(rows, "floor"); f != nil {
				fmt.Printf(" %s | %.1f |\n", dur(f.Median), 1000*f.Median/float64(m))
			} else {
				fmt.Println(" | |")
			}
		}
		fmt.Println()
	}

	for _, m := range sizes(dir, "fleet-sqlite-") {
		rows := load(filepath.Join(dir, fmt.Sprintf("fleet-sqlite-%d", m)))
		floor := benchfmt.Find(rows, "floor")
		fmt.Printf("### %d SQLite tenant files × %d migrations\n\n", m, *revisions)
		fmt.Println("| command | time | tenants a second | this ÷ floor |")
		fmt.Println("| --- | ---: | ---: | ---: |")
		for i := range rows {
			r := &rows[i]
			fmt.Printf("| %s | %s%s | %.1f | %s |\n", r.Command, dur(r.Median), times(*r), float64(m)/r.Median, benchfmt.Ratio(r, floor))
		}
		fmt.Println()
	}

	if rows := load(filepath.Join(dir, "startup")); len(rows) > 0 {
		fmt.Println("### Process start-up (what each loop pays once a tenant)")
		fmt.Println()
		fmt.Println("| command | median |")
		fmt.Println("| --- | ---: |")
		for _, r := range rows {
			fmt.Printf("| `%s` | %.2f ms |\n", r.Command, r.Median*1000)
		}
		fmt.Println()
	}
}
