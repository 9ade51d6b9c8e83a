package benchfmt

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Memory is one command's peak resident set sizes, one a run, in KiB
// (the maximum resident set size that /usr/bin/time -v prints).
type Memory struct {
	Command string
	KB      []int
}

// LoadMemory reads a memory file of "COMMAND<TAB>KIB" lines, as the
// suites write them, into one [Memory] a command in the order the
// commands first appear. Lines without a tab or a whole number are
// passed over; a file that cannot be opened (or no path) gives nil.
func LoadMemory(path string) []Memory {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []Memory
	idx := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cmd, val, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		kb, err := strconv.Atoi(strings.TrimSpace(val))
		if err != nil {
			continue
		}
		i, seen := idx[cmd]
		if !seen {
			i = len(out)
			idx[cmd] = i
			out = append(out, Memory{Command: cmd})
		}
		out[i].KB = append(out[i].KB, kb)
	}
	return out
}

// Median returns the middle run's KiB (of an even number of runs, the
// larger of the two middle ones). m must hold at least one run.
func (m Memory) Median() int {
	s := slices.Sorted(slices.Values(m.KB))
	return s[len(s)/2]
}

// Peak returns the largest run's KiB. m must hold at least one run.
func (m Memory) Peak() int { return slices.Max(m.KB) }
