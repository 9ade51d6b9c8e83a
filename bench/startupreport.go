//go:build ignore

// startupreport turns the start-up suite of bench/run.sh into markdown:
// every command of the suite side by side, measured in the same run,
// with the ratios the goals name.
//
//	go run bench/startupreport.go -env startup-env.txt -memory startup-memory.tsv -json OUT.json ROUND.json...
//
// Each ROUND.json is one hyperfine run (several commands); the rounds'
// times are pooled per command before taking medians, so that a load
// that changes during the suite weighs on every command alike. -json
// writes the pooled results in hyperfine's format (for report.go and
// fleetreport.go).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/retortdb/retort/bench/internal/benchfmt"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("startupreport: ")
	envFile := flag.String("env", "", "the suite's environment lines")
	memFile := flag.String("memory", "", "peak RSS per command (command<TAB>KiB lines)")
	jsonOut := flag.String("json", "", "write the pooled results here")
	flag.Parse()

	var order []string
	pooled := map[string][]float64{}
	for _, f := range flag.Args() {
		results, err := benchfmt.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		for _, r := range results {
			if _, ok := pooled[r.Command]; !ok {
				order = append(order, r.Command)
			}
			pooled[r.Command] = append(pooled[r.Command], r.Times...)
		}
	}
	rows := map[string]*benchfmt.Result{}
	var all []benchfmt.Result
	for _, c := range order {
		r := summarize(c, pooled[c])
		rows[c] = &r
		all = append(all, r)
	}
	if *jsonOut != "" {
		data, err := json.MarshalIndent(struct {
			Results []benchfmt.Result `json:"results"`
		}{all}, "", "  ")
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(*jsonOut, data, 0o644); err != nil {
			log.Fatal(err)
		}
	}

	fmt.Printf("### Start-up and the graph commands, side by side\n\n")
	if *envFile != "" {
		if data, err := os.ReadFile(*envFile); err == nil {
			fmt.Printf("```\n%s```\n\n", data)
		}
	}
	floor := rows["/bin/true"]
	version := rows["retort --version"]
	fmt.Printf("Whole-process wall time (hyperfine, no shell). `− /bin/true`: the median less the process start-up of `/bin/true` measured in the same run; `× --version`: the median over `retort --version`'s.\n\n")
	fmt.Printf("| command | median | − /bin/true | mean ± σ | min … max | runs | × --version |\n")
	fmt.Printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, c := range order {
		r := rows[c]
		less := ""
		if floor != nil {
			less = dur(r.Median - floor.Median)
		}
		fmt.Printf("| `%s` | %s | %s | %s ± %s | %s … %s | %d | %s |\n", c, dur(r.Median), less,
			dur(r.Mean), dur(r.Stddev), dur(r.Min), dur(r.Max), len(r.Times), benchfmt.Ratio(r, version))
	}
	fmt.Println()

	mems := benchfmt.LoadMemory(*memFile)
	if len(mems) > 0 {
		fmt.Printf("Peak memory (`/usr/bin/time -v`, maximum resident set size, the largest of the runs):\n\n")
		fmt.Printf("| command | peak RSS | runs |\n| --- | ---: | ---: |\n")
		for _, m := range mems {
			fmt.Printf("| `%s` | %.1f MB | %d |\n", m.Command, float64(m.Peak())/1000, len(m.KB))
		}
		fmt.Println()
	}

	fmt.Printf("| goal | measured | verdict |\n| --- | --- | --- |\n")
	for _, op := range []string{"heads", "current", "history"} {
		r := rows["retort "+op+" (5,000 revisions)"]
		if r == nil || version == nil {
			continue
		}
		x := r.Median / version.Median
		fmt.Printf("| `retort %s` on 5,000 revisions within 1.5× of `retort --version` | %s vs %s: %.2f× | %s |\n",
			op, dur(r.Median), dur(version.Median), x, benchfmt.Verdict(x <= 1.5))
	}
	if g := rows["goose --version"]; g != nil && version != nil {
		x := version.Median / g.Median
		fmt.Printf("| `retort --version` within 1.2× of `goose --version` | %s vs %s: %.2f× | %s |\n",
			dur(version.Median), dur(g.Median), x, benchfmt.Verdict(x <= 1.2))
	}
	for _, m := range mems {
		if strings.HasPrefix(m.Command, "retort ") && strings.Contains(m.Command, "5,000") {
			mb := float64(m.Peak()) / 1000
			fmt.Printf("| peak memory of `%s` ≤ 50 MB | %.1f MB | %s |\n", m.Command, mb, benchfmt.Verdict(mb <= 50))
		}
	}
	for _, op := range []string{"heads", "current", "history"} {
		r, a := rows["retort "+op+" (5,000 revisions)"], rows["alembic "+op+" (5,000 revisions)"]
		if r == nil || a == nil {
			continue
		}
		fmt.Printf("| `%s` on 5,000 revisions against Alembic (reported) | %s vs %s: %.0f× faster | |\n",
			op, dur(r.Median), dur(a.Median), a.Median/r.Median)
	}
	// What the goal's floor leaves out: a check that never misses an edit
	// in place stats every file (bench/stampfloor.go).
	if st := rows["stat 5,000 files (stampfloor)"]; st != nil && version != nil {
		fmt.Printf("| stat 5,000 files (`stampfloor`) against `retort --version` (reported) | %s vs %s: %.2f× | |\n",
			dur(st.Median), dur(version.Median), st.Median/version.Median)
		for _, op := range []string{"heads", "current", "history"} {
			if r := rows["retort "+op+" (5,000 revisions)"]; r != nil {
				fmt.Printf("| `retort %s` on 5,000 revisions over the stat alone (reported) | %s vs %s: %.2f× | |\n",
					op, dur(r.Median), dur(st.Median), r.Median/st.Median)
			}
		}
	}
	fmt.Println()
}

func summarize(cmd string, times []float64) benchfmt.Result {
	s := slices.Sorted(slices.Values(times))
	r := benchfmt.Result{Command: cmd, Times: times, Min: s[0], Max: s[len(s)-1]}
	if n := len(s); n%2 == 1 {
		r.Median = s[n/2]
	} else {
		r.Median = (s[n/2-1] + s[n/2]) / 2
	}
	for _, t := range s {
		r.Mean += t
	}
	r.Mean /= float64(len(s))
	for _, t := range s {
		r.Stddev += (t - r.Mean) * (t - r.Mean)
	}
	if len(s) > 1 {
		r.Stddev = math.Sqrt(r.Stddev / float64(len(s)-1))
	}
	return r
}

// dur writes a time with a decimal of milliseconds below 100 ms (the
// start-up commands take a few milliseconds); a difference may be negative.
func dur(s float64) string { return benchfmt.Duration(s, 0.1) }
