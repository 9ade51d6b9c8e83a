// Command retort is schema migrations for Go, the Alembic way: see
// package github.com/retortdb/retort/internal/cli for its commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"

	"github.com/retortdb/retort/internal/cli"
)

func main() {
	lateFirstGC()
	// An interrupt cancels the context of a command that must stop
	// cleanly; one that only reads and prints just ends (and starts a
	// thread sooner: signal handling costs one).
	ctx, stop := context.Background(), func() {}
	if cli.Interruptible(os.Args[1:]) {
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	}
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// lateFirstGC lets the heap reach 16 MB before the first collection
// (GOGC=400 until then) and goes back to the default after it: a read
// command such as history on thousands of revisions ends before that
// and spends nothing on collecting, while a long command (upgrade,
// check) collects as usual from then on. GOGC in the environment wins.
func lateFirstGC() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	debug.SetGCPercent(400)
	sentinel := new([64]byte) // past the tiny allocator, so it is freed on its own
	runtime.AddCleanup(sentinel, func(int) { debug.SetGCPercent(100) }, 0)
}
