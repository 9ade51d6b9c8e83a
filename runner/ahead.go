package runner

import (
	"sync/atomic"

	"github.com/retortdb/retort/revision"
)

// ahead computes the checksums of a plan's revisions on a goroutine of
// its own while the run applies them, so that a revision's history row
// does not wait for its checksum (the revision file split again and
// hashed: about 50 µs a revision, between the revision's last statement
// and its row, while the database has a core and the run's second
// waits). Record.Checksum is still called one call at a time: for a
// revision the goroutine does not compute, checksum stops it first,
// and computes those the goroutine had not reached itself.
type ahead struct {
	sums map[*revision.Revision]*aheadSum // fixed before the goroutine starts
	stop atomic.Bool
	done chan struct{}
}

type aheadSum struct {
	ready chan struct{} // closed when sum and err are set
	sum   string
	err   error
}

// startAhead starts computing the checksums of the revisions of steps
// that run a revision file (bodies[i] a *SQLBody: a Go migration's
// checksum runs its code, which is left to the run's own goroutine),
// in order, replacing a computation under way; with fewer than two
// there is nothing to gain.
func (r *Runner) startAhead(steps []revision.Step, bodies []Body) {
	r.endAhead()
	if r.Record.Checksum == nil || r.recorder() == nil {
		return
	}
	a := &ahead{sums: map[*revision.Revision]*aheadSum{}, done: make(chan struct{})}
	var revs []*revision.Revision
	for i, s := range steps {
		if _, isSQL := bodies[i].(*SQLBody); isSQL && s.Revision != nil && a.sums[s.Revision] == nil {
			a.sums[s.Revision] = &aheadSum{ready: make(chan struct{})}
			revs = append(revs, s.Revision)
		}
	}
	if len(revs) < 2 {
		return
	}
	fn := r.Record.Checksum
	go func() {
		defer close(a.done)
		for _, rev := range revs {
			if a.stop.Load() {
				return
			}
			e := a.sums[rev]
			e.sum, e.err = fn(rev)
			close(e.ready)
		}
	}()
	r.ahead = a
}

// stopAhead stops the computation under way, if any, and waits for it;
// the checksums computed stay.
func (r *Runner) stopAhead() {
	if r.ahead != nil {
		r.ahead.stop.Store(true)
		<-r.ahead.done
	}
}

// endAhead stops the computation and forgets its checksums.
func (r *Runner) endAhead() {
	r.stopAhead()
	r.ahead = nil
}

// checksum returns rev's checksum ("" when the run records none):
// computed ahead when it was, else by Record.Checksum.
func (r *Runner) checksum(rev *revision.Revision) (string, error) {
	if r.Record.Checksum == nil || rev == nil {
		return "", nil
	}
	if a := r.ahead; a != nil {
		if e := a.sums[rev]; e != nil {
			select {
			case <-e.ready:
				return e.sum, e.err
			case <-a.done:
			}
			select {
			case <-e.ready: // computed as the goroutine stopped
				return e.sum, e.err
			default:
			}
		} else {
			r.stopAhead()
		}
	}
	return r.Record.Checksum(rev)
}
