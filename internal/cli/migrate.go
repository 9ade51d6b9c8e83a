package cli

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort"
)

func (a *app) upgradeCmd() *cobra.Command {
	var sql bool
	var req retort.Request
	cmd := &cobra.Command{
		Use:   "upgrade TARGET",
		Short: "Upgrade to a later revision (head, heads, an id, +N, LABEL@head)",
		Args:  args(1, 1),
		RunE: run(func(ctx context.Context, args []string) error {
			req.Kind, req.Target = retort.Upgrade, args[0]
			return a.move(ctx, req, sql)
		}),
	}
	cmd.Flags().BoolVar(&sql, "sql", false, "write the SQL to stdout instead of running it; TARGET may be START:END")
	cmd.Flags().BoolVar(&req.AllowEdited, "allow-edited", false, "run although applied revisions were edited since they ran (records nothing; see 'retort checksum --accept')")
	cmd.Flags().StringVar(&req.RestartRevision, "restart-revision", "", "run the no-transaction revision `REV`, which an earlier run left part-way, again from its first statement")
	return cmd
}

func (a *app) downgradeCmd() *cobra.Command {
	var sql bool
	cmd := &cobra.Command{
		Use:   "downgrade TARGET",
		Short: "Revert to a previous revision (base, an id, -N, LABEL@base)",
		Args:  args(1, 1),
		RunE: run(func(ctx context.Context, args []string) error {
			return a.move(ctx, retort.Request{Kind: retort.Downgrade, Target: args[0]}, sql)
		}),
	}
	cmd.Flags().BoolVar(&sql, "sql", false, "write the SQL to stdout instead of running it; TARGET must be FROM:TO")
	return cmd
}

// move runs an upgrade or a downgrade, online or as SQL.
func (a *app) move(ctx context.Context, req retort.Request, sql bool) error {
	kind := req.Kind
	start, end, isRange := strings.Cut(req.Target, ":")
	if isRange && !sql {
		return badInput("Range revision not allowed")
	}
	if !isRange {
		if sql && kind == retort.Downgrade {
			return badInput("downgrade with --sql requires <fromrev>:<torev>")
		}
		start, end = "", req.Target
	}
	req.Target = end
	if sql {
		env, err := a.open(ctx)
		if err != nil {
			return err
		}
		defer env.Close()
		return a.offline(ctx, env, req, start)
	}
	return a.runRequest(ctx, req)
}

// runJSON is the data of upgrade, downgrade and stamp: the request, the
// version table's rows before and after, and each step run with its
// duration; with --sql, the script instead of a database's rows.
type runJSON struct {
	Target     string     `json:"target,omitempty"`
	Targets    []string   `json:"targets,omitempty"`
	SQL        *string    `json:"sql,omitempty"`
	Before     []string   `json:"before"`
	After      []string   `json:"after"`
	Steps      []stepJSON `json:"steps"`
	DurationMS float64    `json:"duration_ms"`
}

// stepJSON is one step of a run.
type stepJSON struct {
	// Revision is null for a stamp step.
	Revision   *string  `json:"revision"`
	Direction  string   `json:"direction"`
	Stamp      bool     `json:"stamp"`
	From       []string `json:"from"`
	To         []string `json:"to"`
	Message    string   `json:"message"`
	DurationMS float64  `json:"duration_ms"`
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func newRunJSON(req retort.Request, res *retort.Result, elapsed time.Duration) runJSON {
	out := runJSON{Target: req.Target, Targets: req.Targets, Before: []string{}, After: []string{}, Steps: []stepJSON{}, DurationMS: millis(elapsed)}
	if res == nil {
		return out
	}
	out.Before, out.After = res.Before, res.After
	for _, s := range res.Steps {
		js := stepJSON{Direction: s.Direction.String(), Stamp: s.Stamp(), From: nonNil(s.From), To: nonNil(s.To), DurationMS: millis(s.Duration)}
		if s.Revision != nil {
			id := s.Revision.ID
			js.Revision, js.Message = &id, s.Revision.Message
		}
		out.Steps = append(out.Steps, js)
	}
	return out
}

// summaryVerb is the first word of a run's summary line.
var summaryVerb = map[retort.Kind]string{retort.Upgrade: "Applied", retort.Downgrade: "Reverted", retort.Stamp: "Stamped"}

// runRequest runs req on the database with the progress reporter,
// handing over what it did (also when it failed part-way, committing
// some steps).
func (a *app) runRequest(ctx context.Context, req retort.Request) error {
	p := a.progress("revision")
	defer p.stop()
	var opts []retort.Option
	if p != nil {
		opts = append(opts, retort.WithProgress(p.stepEvents()))
	}
	env, err := a.open(ctx, opts...)
	if err != nil {
		return err
	}
	defer env.Close()
	start := time.Now()
	res, err := env.Run(ctx, req)
	if err == nil || (res != nil && len(res.Steps) > 0) {
		a.result(newRunJSON(req, res, time.Since(start)), nil)
	}
	if err == nil {
		p.summary(summaryVerb[req.Kind], len(res.Steps))
	}
	return err
}

// offline writes the script of req to stdout (into the data with
// --format json), starting at the revisions start names ("" or base: an
// empty database).
func (a *app) offline(ctx context.Context, env *retort.Env, req retort.Request, start string) error {
	var ids []string
	if start != "" && start != "base" {
		revs, err := env.Graph().Resolve(start)
		if err != nil {
			return err
		}
		for _, r := range revs {
			ids = append(ids, r.ID)
		}
	}
	if !a.json() {
		_, err := env.SQL(ctx, a.stdout, req, ids)
		return err
	}
	var script strings.Builder
	res, err := env.SQL(ctx, &script, req, ids)
	if err != nil {
		return err
	}
	data := newRunJSON(req, res, 0)
	text := script.String()
	data.SQL = &text
	a.result(data, nil)
	return nil
}

func (a *app) stampCmd() *cobra.Command {
	var sql, purge bool
	cmd := &cobra.Command{
		Use:   "stamp REV...",
		Short: "Record revisions in the version table without running migrations",
		Args:  args(1, -1),
		RunE: run(func(ctx context.Context, args []string) error {
			if purge && sql {
				return badInput("Can't use --purge with --sql mode")
			}
			var start string
			targets := make([]string, len(args))
			for i, arg := range args {
				s, end, isRange := strings.Cut(arg, ":")
				if isRange && !sql {
					return badInput("Range revision not allowed")
				}
				if !isRange {
					s, end = "", arg
				}
				if s != "" && start != "" && s != start {
					return badInput("Stamp operation with --sql only supports a single starting revision at a time")
				}
				if s != "" {
					start = s
				}
				targets[i] = end
			}
			req := retort.Request{Kind: retort.Stamp, Targets: targets, Purge: purge}
			if !sql {
				return a.runRequest(ctx, req)
			}
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			return a.offline(ctx, env, req, start)
		}),
	}
	cmd.Flags().BoolVar(&sql, "sql", false, "write the SQL to stdout instead of running it; each REV may be START:END")
	cmd.Flags().BoolVar(&purge, "purge", false, "delete every row of the version table first")
	return cmd
}

// checkJSON is check's data: the version table's rows, the scripts'
// heads, and the differences from the target schema.
type checkJSON struct {
	Current     []string   `json:"current"`
	Heads       []string   `json:"heads"`
	UpToDate    bool       `json:"up_to_date"`
	Target      bool       `json:"target"`
	Differences []diffJSON `json:"differences"`
	// Lint is what lint found, with check_lint = true (lint.go).
	Lint *lintJSON `json:"lint,omitempty"`
}

// diffJSON is one difference: the operation that would remove it.
type diffJSON struct {
	Operation   string `json:"operation"`
	Description string `json:"description"`
}

func (a *app) checkCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Check that the database is at the scripts' heads and matches the target schema (exit 1 if not)",
		Args:  args(0, 0),
		RunE: run(func(ctx context.Context, _ []string) error {
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			data := checkJSON{Current: []string{}, Heads: []string{}, Differences: []diffJSON{}, Target: env.HasTarget()}
			lintFailed, err := a.checkLint(ctx, env, &data)
			if err != nil {
				return err
			}
			err = env.Check(ctx)
			var nh *retort.NotAtHeadsError
			switch {
			case errors.As(err, &nh):
				data.Current, data.Heads = nonNil(nh.Current), nonNil(nh.Heads)
				a.result(data, nil)
				return err
			case err != nil:
				return err
			}
			data.UpToDate = true
			if data.Current, err = env.CurrentHeads(ctx); err != nil {
				return err
			}
			data.Current = nonNil(data.Current)
			data.Heads = data.Current
			err = a.checkTarget(ctx, env)
			var de *diffError
			if errors.As(err, &de) {
				for _, o := range de.ops {
					data.Differences = append(data.Differences, diffJSON{Operation: opName(o), Description: o.Describe()})
				}
			}
			a.result(data, func(io.Writer) {
				if err == nil {
					a.msg("No new upgrade operations detected.")
				}
			})
			if err == nil {
				err = lintFailed
			}
			return err
		}),
	}
}
