package runner

import (
	"time"

	"github.com/retortdb/retort/revision"
)

// Event tells a [Runner.Progress] function that a step started or
// ended.
type Event struct {
	// Step is the step.
	Step revision.Step
	// N is the step's number in the run, from 1; Total is the number of
	// steps the run has planned so far (it can grow when another run
	// moves the database between transactions and the plan is made
	// again).
	N, Total int
	// Done is false when the step starts and true when it has ended;
	// Duration and Err are then how long it took and how it failed.
	Done     bool
	Duration time.Duration
	Err      error
}

// tracker counts the steps of one run for Progress and Result.
type tracker struct {
	n, total int
	// last is the duration of the step timed last.
	last time.Duration
	// running is the step in progress, nil between steps.
	running *revision.Step
}

// planned records that the run has done steps so far and has left more
// to do.
func (r *Runner) planned(done, left int) {
	r.track.total = max(r.track.total, done+left)
}

// timed runs fn as step s, telling Progress when it starts and ends and
// recording its duration.
func (r *Runner) timed(s revision.Step, fn func() error) error {
	r.track.n++
	r.track.total = max(r.track.total, r.track.n)
	ev := Event{Step: s, N: r.track.n, Total: r.track.total}
	if r.Progress != nil {
		r.Progress(ev)
	}
	start := time.Now()
	r.track.running = &s
	err := fn()
	if err == nil {
		r.track.running = nil
	}
	r.track.last = time.Since(start)
	if r.Progress != nil {
		ev.Done, ev.Duration, ev.Err = true, r.track.last, err
		r.Progress(ev)
	}
	return err
}
