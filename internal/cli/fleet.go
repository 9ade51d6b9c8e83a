package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/fleet"
)

// fleetFlags are the global flags of a fleet run: --fleet NAME runs the
// command on every member of [fleet.NAME].
type fleetFlags struct {
	name      string
	jobs      int
	keepGoing bool
	canary    int
}

func (a *app) addFleetFlags(pf *pflag.FlagSet) {
	pf.StringVar(&a.fleet.name, "fleet", "", "run upgrade, downgrade, stamp, current, check or history --applied on every member of the [fleet.NAME] table")
	pf.IntVar(&a.fleet.jobs, "jobs", 4, "with --fleet: how many members run at once (one connection each)")
	pf.BoolVar(&a.fleet.keepGoing, "keep-going", false, "with --fleet: start further members after one fails")
	pf.IntVar(&a.fleet.canary, "canary", 0, "with --fleet: run the first K members first and stop if any fails")
}

// useFleet makes cmd run on the fleet of --fleet, or refuses a command
// that does not run on fleets.
func (a *app) useFleet(cmd *cobra.Command) error {
	if a.fleet.name == "" {
		for _, f := range []string{"jobs", "keep-going", "canary"} {
			if cmd.Flags().Changed(f) {
				return &usageError{msg: fmt.Sprintf("--%s needs --fleet NAME", f)}
			}
		}
		return nil
	}
	if a.fleet.jobs < 1 {
		return &usageError{msg: fmt.Sprintf("--jobs %d: want 1 or more", a.fleet.jobs)}
	}
	if a.fleet.canary < 0 {
		return &usageError{msg: fmt.Sprintf("--canary %d: want 0 or more", a.fleet.canary)}
	}
	if cmd.Flags().Lookup("sql") != nil && cmd.Flags().Changed("sql") {
		return &usageError{msg: "--fleet runs on the databases; it does not take --sql"}
	}
	var c fleet.Command
	switch cmd.Name() {
	case "upgrade":
		c = fleet.Upgrade
	case "downgrade":
		c = fleet.Downgrade
	case "stamp":
		c = fleet.Stamp
	case "current":
		c = fleet.Current
	case "check":
		c = fleet.Check
	case "history":
		if applied, _ := cmd.Flags().GetBool("applied"); applied {
			c = fleet.History
		}
	}
	if c == 0 {
		return &usageError{msg: fmt.Sprintf("%s does not run on a fleet; --fleet works with upgrade, downgrade, stamp, current, check and history --applied", cmd.CommandPath())}
	}
	cmd.RunE = run(func(ctx context.Context, args []string) error {
		return a.runFleet(ctx, cmd, c, args)
	})
	return nil
}

// fleetJSON is the data of a command run with --fleet.
type fleetJSON struct {
	Fleet   string `json:"fleet"`
	Command string `json:"fleet_command"`
	Target  string `json:"target,omitempty"`
	// Heads are the scripts' heads.
	Heads []string `json:"heads"`
	// States counts members by state; Revisions counts them by the
	// revisions they are at (ids joined by ","; "" for base).
	States    map[string]int `json:"states"`
	Revisions map[string]int `json:"revisions"`
	// Behind lists the members not at the heads; Failed those that failed.
	Behind     []string          `json:"behind"`
	Failed     []string          `json:"failed"`
	Members    []fleetMemberJSON `json:"members"`
	DurationMS float64           `json:"duration_ms"`
}

// fleetMemberJSON is one member of a fleet run.
type fleetMemberJSON struct {
	Member     string           `json:"member"`
	State      string           `json:"state"`
	Before     []string         `json:"before"`
	After      []string         `json:"after"`
	Steps      int              `json:"steps"`
	DurationMS float64          `json:"duration_ms"`
	Error      *string          `json:"error"`
	Applied    []appliedRowJSON `json:"applied,omitempty"`
}

func (a *app) runFleet(ctx context.Context, cmd *cobra.Command, c fleet.Command, args []string) error {
	x, err := config.ParseXArgs(a.xargs)
	if err != nil {
		return err
	}
	f, err := config.LoadFleet(a.configFile, a.fleet.name, config.WithXArgs(x))
	if err != nil {
		return err
	}
	opts := fleet.Options{Command: c, Jobs: a.fleet.jobs, KeepGoing: a.fleet.keepGoing, Canary: a.fleet.canary,
		EnvOptions: append([]retort.Option{retort.WithLogger(a.quietLogger())}, a.extra...)}
	switch c {
	case fleet.Upgrade, fleet.Downgrade:
		opts.Request.Target = args[0]
		if c == fleet.Upgrade {
			opts.Request.AllowEdited, _ = cmd.Flags().GetBool("allow-edited")
		}
	case fleet.Stamp:
		opts.Request.Targets = args
		opts.Request.Purge, _ = cmd.Flags().GetBool("purge")
	}
	p := a.progress("member")
	defer p.stop()
	start := time.Now()
	opts.Progress = func(ev fleet.Event) {
		if p == nil {
			return
		}
		el := time.Since(start)
		finished := ev.Done + ev.Failed
		what := fmt.Sprintf("%d done, %d failed, %d running, %d left", ev.Done, ev.Failed, ev.Running, ev.Left)
		if finished > 0 && el > 0 {
			rate := float64(finished) / el.Seconds()
			left := time.Duration(float64(ev.Left+ev.Running) / rate * float64(time.Second))
			what += fmt.Sprintf(", %.0f/s, %s left", rate, seconds(left))
		}
		switch ev.Member.State {
		case fleet.Running:
			p.begin(finished, ev.Total, what)
		case fleet.Failed, fleet.Done, fleet.Unchanged:
			p.end(finished, ev.Total, ev.Member.Name, ev.Member.Duration, ev.Member.Err)
			p.begin(finished, ev.Total, what)
		}
	}
	rep, err := fleet.Run(ctx, f, opts)
	if rep == nil {
		return err
	}
	p.stop()
	data := newFleetJSON(rep, opts.Request)
	a.result(data, func(w io.Writer) { fleetText(w, data, a.verbose) })
	return err
}

// quietLogger is the members' logger: their "Running upgrade" lines
// would drown the terminal, so only warnings unless -v.
func (a *app) quietLogger() *slog.Logger {
	level := slog.LevelWarn
	if a.verbose {
		level = slog.LevelDebug
	}
	return slog.New(newLogHandler(logWriter{a}, level))
}

func newFleetJSON(rep *fleet.Report, req retort.Request) fleetJSON {
	out := fleetJSON{Fleet: rep.Fleet, Command: rep.Command.String(), Target: req.Target, Heads: nonNil(rep.Heads),
		States: map[string]int{}, Revisions: map[string]int{}, Behind: []string{}, Failed: []string{},
		Members: make([]fleetMemberJSON, 0, len(rep.Members)), DurationMS: millis(rep.Duration)}
	for _, m := range rep.Members {
		jm := fleetMemberJSON{Member: m.Name, State: m.State.String(), Before: nonNil(m.Before), After: nonNil(m.After),
			Steps: m.Steps, DurationMS: millis(m.Duration)}
		if m.Err != nil {
			msg := m.Err.Error()
			jm.Error = &msg
			out.Failed = append(out.Failed, m.Name)
		}
		for _, r := range m.History {
			jm.Applied = append(jm.Applied, appliedRowJSON{ID: r.ID, Revision: r.Revision, Direction: r.Direction, State: r.State,
				Checksum: r.Checksum, Statements: r.Statements, StatementChecksums: nonNil(r.StatementChecksums),
				At: r.Applied.UTC().Format("2006-01-02T15:04:05Z"), DurationMS: millis(r.Duration), Host: r.Host, User: r.User,
				RetortVersion: r.Version, Run: r.Run})
		}
		out.States[jm.State]++
		if m.State == fleet.Done || m.State == fleet.Unchanged {
			after := slices.Sorted(slices.Values(m.After))
			out.Revisions[strings.Join(after, ",")]++
			if !slices.Equal(after, rep.Heads) {
				out.Behind = append(out.Behind, m.Name)
			}
		}
		out.Members = append(out.Members, jm)
	}
	return out
}

// fleetText prints the summary table of a fleet run: members by state
// and by revision, then the failed and behind members (every member
// with -v).
func fleetText(w io.Writer, d fleetJSON, verbose bool) {
	fmt.Fprintf(w, "Fleet %s: %s on %d members in %s\n", d.Fleet, d.Command, len(d.Members), seconds(time.Duration(d.DurationMS*float64(time.Millisecond))))
	for _, s := range []string{"done", "unchanged", "failed", "pending", "deferred"} {
		if n := d.States[s]; n > 0 {
			fmt.Fprintf(w, "  %-10s %6s\n", s, thousands(n))
		}
	}
	fmt.Fprintln(w, "Revision                        members")
	revs := make([]string, 0, len(d.Revisions))
	for r := range d.Revisions {
		revs = append(revs, r)
	}
	slices.Sort(revs)
	heads := strings.Join(d.Heads, ",")
	for _, r := range revs {
		name, mark := r, ""
		if name == "" {
			name = "(base)"
		}
		if r == heads {
			mark = "  (head)"
		}
		fmt.Fprintf(w, "  %-30s %6s%s\n", name, thousands(d.Revisions[r]), mark)
	}
	if len(d.Behind) > 0 && d.Command != "downgrade" && d.Command != "stamp" {
		fmt.Fprintf(w, "Behind the heads: %s\n", list(d.Behind, 20))
	}
	for _, m := range d.Members {
		if m.Error == nil && !verbose && len(m.Applied) == 0 {
			continue
		}
		status := m.State
		if m.Error != nil {
			status = "FAILED: " + *m.Error
		}
		fmt.Fprintf(w, "  %-24s %-14s -> %-14s %9s  %s\n", m.Member, strings.Join(m.Before, ","), strings.Join(m.After, ","), millisText(time.Duration(m.DurationMS*float64(time.Millisecond))), status)
		for _, r := range m.Applied {
			fmt.Fprintf(w, "      %s  %-9s %-12s %s\n", r.At, r.Direction, r.Revision, r.State)
		}
	}
}

// list joins names, at most n of them and a count of the rest.
func list(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}
