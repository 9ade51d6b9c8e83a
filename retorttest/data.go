package retorttest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// fixture is data inserted at one point of the history.
type fixture struct {
	// at is the history index the rows went in at; key names the
	// fixture for messages ("at_revision_data of c3").
	at   int
	key  string
	data Data
}

// fixtures places the configured data on the history: before-data of r
// goes in at the revision before r, at-data at r.
func (r *Runner) fixtures() ([]fixture, error) {
	var out []fixture
	add := func(m map[string][]Data, name string, offset int) error {
		for _, rev := range slices.Sorted(maps.Keys(m)) {
			i, err := r.history.Index(rev)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if i+offset < 0 {
				return fmt.Errorf("%s: nothing comes before %s", name, rev)
			}
			for _, d := range m[rev] {
				out = append(out, fixture{at: i + offset, key: name + " of " + rev, data: d})
			}
		}
		return nil
	}
	if err := add(r.cfg.BeforeRevisionData, "before_revision_data", -1); err != nil {
		return nil, err
	}
	if err := add(r.cfg.AtRevisionData, "at_revision_data", 0); err != nil {
		return nil, err
	}
	return out, nil
}

// lost returns the rows of f that are no longer in the database. Rows
// whose table or columns are gone cannot be looked for and count as
// kept: the schema changed, which other tests judge.
func (r *Runner) lost(ctx context.Context, f fixture) []Row {
	var out []Row
	for _, row := range f.data.Rows {
		n, err := r.countRows(ctx, f.data.Table, row)
		if err == nil && n == 0 {
			out = append(out, row)
		}
	}
	return out
}

// dataRoundTrip: the data fixtures go in as the database upgrades one
// revision at a time, and every row is still there after each later
// upgrade and after each downgrade back to where it was inserted
// (stopping before MinimumDowngradeRevision, as up_down_consistency).
func dataRoundTrip(ctx context.Context, c *checker) error {
	if len(c.cfg.BeforeRevisionData) == 0 && len(c.cfg.AtRevisionData) == 0 {
		return &skipError{"no data fixtures: set " + c.cfg.terms().Data}
	}
	r, err := c.runner(ctx)
	if err != nil {
		return err
	}
	fixtures, err := r.fixtures()
	if err != nil {
		return err
	}
	h := r.history
	rows := make([][]string, len(h))
	for i, rev := range h {
		if err := r.UpgradeTo(ctx, rev); err != nil {
			return stepFailure(DataRoundTrip, "Failed to upgrade through each revision individually with the data fixtures in place.", err)
		}
		if rows[i], err = r.sortedHeads(ctx); err != nil {
			return err
		}
		for _, f := range fixtures {
			if f.at < i {
				if missing := r.lost(ctx, f); len(missing) > 0 {
					return lostFailure(f, "upgrade", h[i-1], rev, missing)
				}
			}
		}
	}
	for i := len(h) - 2; i >= 1; i-- {
		from, to := h[i], h[i-1]
		if to == c.cfg.MinimumDowngradeRevision {
			break
		}
		if err := r.DowngradeTo(ctx, to); err != nil {
			if rev, ok := r.noDowngrade(err); ok {
				c.logf("%s", notImplementedWarning(rev, c.cfg.terms()))
				break
			}
			return stepFailure(DataRoundTrip, "Failed to downgrade through each revision individually with the data fixtures in place.", err)
		}
		now, err := r.sortedHeads(ctx)
		if err != nil {
			return err
		}
		if !slices.Equal(now, rows[i-1]) {
			continue
		}
		for _, f := range fixtures {
			if f.at <= i-1 {
				if missing := r.lost(ctx, f); len(missing) > 0 {
					return lostFailure(f, "downgrade", from, to, missing)
				}
			}
		}
	}
	return nil
}

// lostFailure reports rows that a step lost.
func lostFailure(f fixture, dir, from, to string, missing []Row) *Failure {
	rev := to
	if dir == "downgrade" {
		rev = from
	}
	var lines []string
	for _, row := range missing {
		lines = append(lines, formatRow(row))
	}
	return &Failure{
		Test:     DataRoundTrip,
		Revision: rev,
		Message:  fmt.Sprintf("The rows of %s in table %s did not survive the %s %s -> %s.", f.key, f.data.Table, dir, from, to),
		Context: []Section{
			{"Failing Revision", rev},
			{"Missing rows", strings.Join(lines, "\n")},
		},
	}
}

// formatRow renders a row with its columns sorted.
func formatRow(row Row) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(row)) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, row[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
