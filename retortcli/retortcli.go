// Package retortcli owns the entry point of a Go environment: a main
// package of the user's that runs the retort command with the user's Go
// migrations, hooks and on-connect function. It does not parse commands
// itself; it runs the same commands, flags, output and exit codes as the
// stock retort binary.
//
// A project with Go migrations (retort init -t go writes one) has a
// small program, say cmd/migrate:
//
//	func main() {
//		os.Exit(retortcli.Main(
//			retort.WithRegistry(&versions.Registry),
//			retort.WithOnConnect(onConnect)))
//	}
//
// and program = "./cmd/migrate" in retort.toml, so that the stock command
// runs it with the same arguments: `retort upgrade head` works unchanged,
// and so does `go run ./cmd/migrate upgrade head`. A program started this
// way never hands the command on again.
package retortcli

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/cli"
)

// Main runs the retort command on os.Args[1:] and the process's standard
// streams, with opts passed to [retort.Open] after the command's own, and
// returns the exit status for os.Exit: 0 done, 1 failed, 2 bad usage or
// bad input. An interrupt (Ctrl-C) or SIGTERM cancels the run, which rolls
// back the transaction in progress and says what had committed.
func Main(opts ...retort.Option) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, opts...)
}

// Run runs the retort command with args (without the program name) and
// the given streams, with opts passed to [retort.Open] after the
// command's own, and returns the exit status. With format = "go" in the
// config, `revision` and `merge` write Go files into the versions
// package. Run never runs the config's program: it is that program.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, opts ...retort.Option) int {
	return cli.MainWith(ctx, args, stdin, stdout, stderr, opts)
}
