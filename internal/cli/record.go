package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/runner"
)

// appliedJSON is the data of history --applied: the history table's
// rows, oldest first.
type appliedJSON struct {
	Applied []appliedRowJSON `json:"applied"`
}

type appliedRowJSON struct {
	ID                 int64    `json:"id"`
	Revision           string   `json:"revision"`
	Direction          string   `json:"direction"`
	State              string   `json:"state"`
	Checksum           string   `json:"checksum"`
	Statements         int      `json:"statements"`
	StatementChecksums []string `json:"statement_checksums"`
	At                 string   `json:"at"`
	DurationMS         float64  `json:"duration_ms"`
	Host               string   `json:"host"`
	User               string   `json:"user"`
	RetortVersion      string   `json:"retort_version"`
	Run                string   `json:"run"`
}

// appliedHistory prints the history table (history --applied).
func (a *app) appliedHistory(ctx context.Context, env *retort.Env) error {
	rows, err := env.History(ctx)
	if err != nil {
		return err
	}
	data := appliedJSON{Applied: []appliedRowJSON{}}
	for _, r := range rows {
		sums := r.StatementChecksums
		if sums == nil {
			sums = []string{}
		}
		data.Applied = append(data.Applied, appliedRowJSON{ID: r.ID, Revision: r.Revision, Direction: r.Direction, State: r.State,
			Checksum: r.Checksum, Statements: r.Statements, StatementChecksums: sums, At: r.Applied.UTC().Format("2006-01-02T15:04:05Z"),
			DurationMS: millis(r.Duration), Host: r.Host, User: r.User, RetortVersion: r.Version, Run: r.Run})
	}
	a.result(data, func(w io.Writer) {
		if len(rows) == 0 {
			fmt.Fprintf(w, "No history recorded in %s_history yet.\n", env.VersionTable())
			return
		}
		for _, r := range data.Applied {
			state := r.State
			if r.Statements > 0 {
				state += fmt.Sprintf(" (%d statements)", r.Statements)
			}
			sum := r.Checksum
			if sum == "" {
				sum = "(not checksummed)"
			}
			fmt.Fprintf(w, "%s  %-9s %-12s %-22s %8.0fms  %s  %s@%s, retort %s\n",
				r.At, r.Direction, r.Revision, state, r.DurationMS, shortSum(sum), r.User, r.Host, r.RetortVersion)
		}
	})
	return nil
}

func shortSum(s string) string {
	if t, ok := strings.CutPrefix(s, runner.ChecksumPrefix); ok && len(t) > 16 {
		return runner.ChecksumPrefix + t[:16]
	}
	return s
}

// checksumJSON is the data of checksum: the applied revisions with
// their recorded and current checksums, and what --accept recorded.
type checksumJSON struct {
	Revisions []checksumRowJSON `json:"revisions"`
	Accepted  []string          `json:"accepted"`
}

type checksumRowJSON struct {
	Revision string `json:"revision"`
	Current  string `json:"current"`
	// Status is "edited" (differs from what ran) or "ok".
	Status   string `json:"status"`
	Recorded string `json:"recorded,omitempty"`
	File     string `json:"file,omitempty"`
}

func (a *app) checksumCmd() *cobra.Command {
	var accept bool
	cmd := &cobra.Command{
		Use:   "checksum [--accept REV...]",
		Short: "Show the applied revisions edited since they ran; --accept REV records their content after review",
		Args:  cobra.ArbitraryArgs,
		RunE: run(func(ctx context.Context, args []string) error {
			if !accept && len(args) > 0 {
				return badInput("checksum takes revisions only with --accept (retort checksum --accept REV)")
			}
			if accept && len(args) == 0 {
				return badInput("--accept needs the revisions to accept: retort checksum --accept REV")
			}
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			data := checksumJSON{Revisions: []checksumRowJSON{}, Accepted: []string{}}
			if accept {
				if err := env.AcceptChecksums(ctx, args...); err != nil {
					return err
				}
				for _, rv := range args {
					r, _ := env.Graph().ResolveOne(rv)
					data.Accepted = append(data.Accepted, r.ID)
				}
			}
			edited, err := env.Edited(ctx)
			if err != nil {
				return err
			}
			for _, e := range edited {
				data.Revisions = append(data.Revisions, checksumRowJSON{Revision: e.Revision, File: e.File, Recorded: e.Recorded, Current: e.Current, Status: "edited"})
			}
			a.result(data, func(w io.Writer) {
				for _, id := range data.Accepted {
					fmt.Fprintf(w, "Recorded the current content of %s as reviewed.\n", id)
				}
				if len(edited) == 0 {
					fmt.Fprintln(w, "No applied revision was edited since it ran.")
				}
				for _, e := range edited {
					fmt.Fprintf(w, "%s (%s): edited since it ran (recorded %s, now %s)\n", e.Revision, e.File, shortSum(e.Recorded), shortSum(e.Current))
				}
			})
			return nil
		}),
	}
	cmd.Flags().BoolVar(&accept, "accept", false, "record the current content of the named applied revisions as reviewed")
	return cmd
}
