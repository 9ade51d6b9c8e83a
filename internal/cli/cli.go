package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/fault"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// app holds one run of the command: its streams and global flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	configFile string
	name       string
	xargs      []string
	format     string
	quiet      bool
	verbose    bool

	// args are the command line as given, for a delegated program.
	args []string
	// delegate runs the config's program, when it names one, instead of
	// handling the command here (the stock command).
	delegate bool
	// extra are the options of a Go environment (see MainWith), passed
	// to retort.Open after the command's own; goEnv is set with them.
	extra []retort.Option
	goEnv bool

	// out is what the command hands over for printing (output.go);
	// jsonArgs is set when the command line asks for --format json.
	out      output
	jsonArgs bool
	// terminal and width, when set, say that stderr is a terminal of
	// that width (tests); otherwise the progress reporter asks stderr.
	// live is the reporter drawing a progress line (progress.go).
	terminal bool
	width    int
	live     *reporter

	// fleet holds --fleet, --jobs, --keep-going, --canary (fleet.go).
	fleet fleetFlags
}

// runError marks an error returned by a command's own code (as opposed
// to cobra's argument parsing, which makes usage errors).
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }

// usageError is a mistake on the command line, reported with exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// badInput returns a bad-input error (exit 2) with Alembic's wording.
func badInput(format string, a ...any) error {
	return fault.BadInput(fmt.Errorf(format, a...))
}

// Main runs the retort command with args (without the program name) and
// returns the exit status: 0 done, 1 failed, 2 bad usage or bad input.
// When the config names a program (a Go environment), Main runs that
// program with the same arguments and returns its exit status instead,
// except for init, list-templates, help and --version, and unless the
// environment variable RETORT_IN_PROGRAM is set.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, args: args, delegate: os.Getenv(inProgramEnv) == ""}
	return a.main(ctx)
}

// MainWith runs the retort command as a Go environment: as Main, but
// it passes extra (the user's registry, hooks, on-connect function) to
// retort.Open after its own options, writes Go revisions when the config
// says format = "go", and never delegates to the config's program (it
// is that program).
func MainWith(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, extra []retort.Option) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, args: args, extra: extra, goEnv: true}
	return a.main(ctx)
}

func (a *app) main(ctx context.Context) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(a.stderr, "FAILED: internal error: %v\n", r)
			code = exitFailed
		}
	}()
	// Known before cobra parses anything, so that a usage error is an
	// envelope too; what cobra prints (help, completion) goes into the
	// envelope's data (see root).
	a.jsonArgs = wantsJSON(a.args)
	root := a.root()
	root.SetArgs(negativeArgs(a.args))
	cmd, err := root.ExecuteContextC(ctx)
	name := ""
	if cmd != nil && cmd != root {
		name = strings.TrimPrefix(cmd.CommandPath(), root.Name()+" ")
	}
	return a.finish(name, err)
}

// wantsJSON reports whether args ask for --format json (never for the
// shell's completion requests).
func wantsJSON(args []string) bool {
	if len(args) > 0 && strings.HasPrefix(args[0], cobra.ShellCompRequestCmd) {
		return false
	}
	for i, arg := range args {
		switch {
		case arg == "--":
			return false
		case arg == "--format=json":
			return true
		case arg == "--format" && i+1 < len(args) && args[i+1] == "json":
			return true
		}
	}
	return false
}

// valueFlags are the flags that take a value in the next argument.
var valueFlags = map[string]bool{
	"-c": true, "--config": true, "-n": true, "--name": true, "-x": true,
	"--format": true, "-m": true, "--message": true, "-r": true, "--rev-range": true,
	"-t": true, "--template": true, "--head": true, "--branch-label": true,
	"--depends-on": true, "--rev-id": true, "--version-path": true,
}

// negativeArgs moves relative targets such as -1 (which the flag parser
// would take for flags) after a "--", so that `retort downgrade -1`
// works as in Alembic.
func negativeArgs(args []string) []string {
	var flags, neg []string
	for i, a := range args {
		if a == "--" {
			if neg == nil {
				return args
			}
			flags = append(flags, args[i:]...)
			return append(flags, neg...)
		}
		if isNegative(a) && (i == 0 || !valueFlags[args[i-1]]) {
			neg = append(neg, a)
			continue
		}
		flags = append(flags, a)
	}
	if neg == nil {
		return args
	}
	return append(append(flags, "--"), neg...)
}

func isNegative(a string) bool {
	if len(a) < 2 || a[0] != '-' {
		return false
	}
	for _, r := range a[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// report prints err as Alembic does ("FAILED: message") and returns the
// exit status it deserves.
func report(w io.Writer, err error) int {
	var es *exitStatus
	if errors.As(err, &es) {
		return es.code
	}
	var re *runError
	if !errors.As(err, &re) {
		fmt.Fprintf(w, "FAILED: %s\nRun 'retort --help' for usage.\n", err)
		return exitUsage
	}
	fmt.Fprintf(w, "FAILED: %s\n", re.err)
	if errors.Is(re.err, fault.ErrBadInput) {
		return exitUsage
	}
	var ue *usageError
	if errors.As(re.err, &ue) {
		return exitUsage
	}
	return exitFailed
}

// versionJSON is what --version says: the build info of the binary.
type versionJSON struct {
	// Version is the module version ("v1.2.3", or "(devel)" for a build
	// from a work tree).
	Version string `json:"version"`
	// Revision, Time and Modified are the VCS revision the binary was
	// built from, its commit time and whether the tree had changes.
	Revision string `json:"revision"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified"`
	Go       string `json:"go"`
}

// buildVersion reads the module version and VCS revision from the
// binary's build info.
func buildVersion() versionJSON {
	v := versionJSON{Version: "(devel)", Go: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// String is the --version line: "retort v1.2.3 (revision 0123abcd..., 2026-12-01T10:00:00Z, go1.26.8)".
func (v versionJSON) String() string {
	var parts []string
	if v.Revision != "" {
		r := "revision " + v.Revision
		if v.Modified {
			r += " with local changes"
		}
		parts = append(parts, r)
	}
	if v.Time != "" {
		parts = append(parts, v.Time)
	}
	parts = append(parts, v.Go)
	return fmt.Sprintf("retort %s (%s)", v.Version, strings.Join(parts, ", "))
}

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "retort",
		Short: "Schema migrations for Go, the Alembic way",
		Long: `retort keeps schema migrations as a revision graph and applies them to
PostgreSQL or SQLite, online or as an SQL script (--sql).

Targets: head, heads, base, full or partial ids, +N/-N, REV+N, REV-N,
LABEL@head, LABEL@base, LABEL@REV, and START:END ranges with --sql.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
	}
	var showVersion bool
	root.Flags().BoolVar(&showVersion, "version", false, "print the module version and VCS revision of this binary")
	// Bare retort prints its usage and exits 2, as Alembic does.
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		if !showVersion {
			fmt.Fprint(a.stderr, cmd.UsageString())
			return &usageError{msg: "too few arguments: name a command"}
		}
		v := buildVersion()
		a.result(v, func(w io.Writer) { fmt.Fprintln(w, v) })
		return nil
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{msg: err.Error()}
	})
	def := os.Getenv("RETORT_CONFIG")
	if def == "" {
		def = config.DefaultFile
	}
	pf := root.PersistentFlags()
	pf.StringVarP(&a.configFile, "config", "c", def, "config file (env RETORT_CONFIG)")
	pf.StringVarP(&a.name, "name", "n", "", "environment: the [env.NAME] table of the config file")
	pf.StringArrayVarP(&a.xargs, "x", "x", nil, "KEY=VALUE argument for migrations and {x.KEY} in the config (repeatable)")
	pf.StringVar(&a.format, "format", "text", "output: text, or json for one JSON document on stdout (shapes in the README)")
	pf.BoolVarP(&a.quiet, "quiet", "q", false, "print errors only")
	pf.BoolVarP(&a.verbose, "verbose", "v", false, "log each SQL statement; on a terminal, also each revision's duration")
	a.addFleetFlags(pf)
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if a.format != "text" && a.format != "json" {
			return &usageError{msg: fmt.Sprintf("--format %q: use text or json", a.format)}
		}
		if err := a.useFleet(cmd); err != nil || a.fleet.name != "" {
			return err
		}
		if a.delegate && !noDelegate[cmd.Name()] {
			return a.runProgram(cmd.Context())
		}
		return nil
	}
	root.AddCommand(
		a.initCmd(), a.listTemplatesCmd(),
		a.revisionCmd(), a.mergeCmd(),
		a.upgradeCmd(), a.downgradeCmd(), a.stampCmd(), a.checkCmd(), a.checksumCmd(),
		a.currentCmd(), a.historyCmd(), a.headsCmd(), a.branchesCmd(), a.showCmd(), a.graphCmd(),
		a.editCmd(), a.testCmd(), a.syncCmd(),
		a.inspectCmd(),
		a.importCmd(), a.adoptCmd(),
		a.lintCmd(),
	)
	root.SetIn(a.stdin)
	root.SetErr(a.stderr)
	root.SetOut(a.stdout)
	if a.json() {
		root.SetOut(&a.out.cobra)
	}
	// After SetOut: cobra's completion commands keep the writer they
	// find when they are made.
	addExamples(root)
	a.addCompletions(root)
	return root
}

// run wraps a command body so its errors are told apart from cobra's
// usage errors.
func run(fn func(ctx context.Context, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := fn(cmd.Context(), args); err != nil {
			return &runError{err}
		}
		return nil
	}
}

// args checks the number of positional arguments, as a usage error.
func args(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		switch {
		case len(a) < min && min == max:
			return &usageError{fmt.Sprintf("%s takes %d argument(s), got %d; see 'retort %s --help'", cmd.Name(), min, len(a), cmd.Name())}
		case len(a) < min:
			return &usageError{fmt.Sprintf("%s takes at least %d argument(s), got %d; see 'retort %s --help'", cmd.Name(), min, len(a), cmd.Name())}
		case max >= 0 && len(a) > max:
			return &usageError{fmt.Sprintf("%s takes at most %d argument(s), got %d: %s", cmd.Name(), max, len(a), strings.Join(a, " "))}
		}
		return nil
	}
}

// logger returns the logger for -q/-v. While a progress line is live,
// it stands for the "Running upgrade ..." lines, so only warnings (and,
// with -v, everything) are logged, around the line.
func (a *app) logger() *slog.Logger {
	level := slog.LevelInfo
	switch {
	case a.quiet:
		level = slog.LevelError
	case a.verbose:
		level = slog.LevelDebug
	case a.live != nil:
		level = slog.LevelWarn
	}
	return slog.New(newLogHandler(logWriter{a}, level))
}

// loadConfig reads the config file with --name and -x.
func (a *app) loadConfig() (*config.Config, error) {
	x, err := config.ParseXArgs(a.xargs)
	if err != nil {
		return nil, err
	}
	return config.Load(a.configFile, config.WithName(a.name), config.WithXArgs(x))
}

// open loads the config and the revision graph, with opts before the Go
// environment's. Commands that only read the graph work without a
// database URL.
func (a *app) open(ctx context.Context, opts ...retort.Option) (*retort.Env, error) {
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	// Without a URL, graph commands still work; database commands and
	// --sql fail saying the URL is needed.
	opts = append([]retort.Option{retort.WithLogger(a.logger())}, opts...)
	env, err := retort.Open(ctx, cfg, append(opts, a.extra...)...)
	if err != nil {
		return nil, err
	}
	for _, w := range env.Warnings() {
		if a.json() {
			a.warn("%s", w)
		} else if !a.quiet {
			// stderr: stdout may be an SQL script (--sql).
			fmt.Fprintln(a.stderr, "WARNING: "+w)
		}
	}
	return env, nil
}

// status prints Alembic's "message ...  done" line, unless -q (on
// stderr with --format json).
func (a *app) status(msg string) {
	if !a.quiet {
		fmt.Fprintf(a.info(), "%s ...  done\n", msg)
	}
}

// msg prints a line unless -q (on stderr with --format json).
func (a *app) msg(format string, args ...any) {
	if !a.quiet {
		fmt.Fprintf(a.info(), format+"\n", args...)
	}
}
