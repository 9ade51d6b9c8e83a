package runner

import (
	"sync/atomic"
	"testing"

	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/revision"
)

// TestChecksumAhead: the checksums of a plan's revision files are
// computed on a goroutine of their own and handed out in any order; a
// revision it does not compute (a Go migration's, a stamp's) stops it
// first, so that Record.Checksum never runs twice at once.
func TestChecksumAhead(t *testing.T) {
	t.Parallel()
	revs := []*revision.Revision{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "go"}}
	var running, calls atomic.Int32
	r := &Runner{Dialect: mysql.Dialect{}, Record: Record{Checksum: func(rev *revision.Revision) (string, error) {
		if running.Add(1) != 1 {
			t.Error("Record.Checksum called while another call runs")
		}
		defer running.Add(-1)
		calls.Add(1)
		return "sum-" + rev.ID, nil
	}}}
	var steps []revision.Step
	var bodies []Body
	for _, rev := range revs {
		steps = append(steps, revision.Step{Revision: rev})
		if rev.ID == "go" {
			bodies = append(bodies, &goBodyStub{})
		} else {
			bodies = append(bodies, &SQLBody{})
		}
	}
	r.startAhead(steps, bodies)
	if r.ahead == nil {
		t.Fatal("no computation started for three revision files")
	}
	for _, i := range []int{2, 0, 3, 1} {
		got, err := r.checksum(revs[i])
		if want := "sum-" + revs[i].ID; err != nil || got != want {
			t.Errorf("checksum(%s) = %q, %v; want %q", revs[i].ID, got, err, want)
		}
	}
	if !r.ahead.stop.Load() {
		t.Error("a revision outside the computation did not stop it")
	}
	r.endAhead()
	if n := calls.Load(); n != 4 {
		t.Errorf("Record.Checksum called %d times, want 4 (once a revision)", n)
	}
}
