//go:build ignore

// stampfloor is the least work any check that never misses an edit in
// place can do on each run: start a process, read the list of files
// (here one file of names, as retort's graph index holds them), and stat
// every file, on every core, by its name in its open folder, as
// retort's index check does. bench/run.sh times it beside `retort heads`
// on the same 5,000 revision files, so that the report can say how much
// of retort's time is that check and how much is its own.
//
//	stampfloor LIST
//
// LIST holds one path per line, relative to the current folder, all in
// one folder. It prints how many files it stamped.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: stampfloor LIST")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	names := strings.Fields(string(data))
	if len(names) == 0 {
		fmt.Fprintln(os.Stderr, "stampfloor: no files listed")
		os.Exit(1)
	}
	dir, err := unix.Open(filepath.Dir(names[0]), unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var next, stamped atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var st unix.Stat_t
			for {
				i := int(next.Add(1)) - 1
				if i >= len(names) {
					return
				}
				if unix.Fstatat(dir, filepath.Base(names[i]), &st, 0) == nil {
					stamped.Add(1)
				}
			}
		})
	}
	wg.Wait()
	fmt.Println(stamped.Load())
}
