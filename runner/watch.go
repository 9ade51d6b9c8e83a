package runner

import (
	"context"
	"database/sql"
	"time"

	"github.com/retortdb/retort/dialect"
)

// killTimeout bounds each statement that stops an interrupted run's
// statement; killEvery is how often it is repeated until the run
// returns (a statement on its way to the server is not stopped).
const (
	killTimeout = 10 * time.Second
	killEvery   = 100 * time.Millisecond
)

// watchRun watches the run's context once for the whole run, where the
// dialect can stop a session's statement from another session
// ([dialect.StatementKiller], MySQL) and the run has a connection
// besides conn (ctl, the lock's). The run's statements then go to the
// driver with a context it need not watch (the MySQL driver hands every
// statement's context to a goroutine of its own: two thread wake-ups a
// statement), each after a check of the run's context; and when that
// context ends, conn's statement in flight is stopped from ctl, again
// every killEvery until the run returns. stop ends the watch, waiting
// for a stop under way, so that nothing is sent to conn's session
// once conn goes back to the pool. Without a session id (a proxy that
// has none) the driver watches each statement, as elsewhere.
func (r *Runner) watchRun(ctx context.Context, conn, ctl *sql.Conn) (stop func()) {
	k, ok := r.Dialect.(dialect.StatementKiller)
	if !ok {
		return func() {}
	}
	id, err := k.SessionID(ctx, conn)
	if err != nil {
		// A server or proxy without session ids: the driver watches
		// each statement, as it does elsewhere.
		r.log().Debug("the driver watches each statement: " + err.Error())
		return func() {}
	}
	done, stopping := make(chan struct{}), make(chan struct{})
	stopAfter := context.AfterFunc(ctx, func() {
		defer close(done)
		for {
			kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), killTimeout)
			err := k.KillStatement(kctx, ctl, id)
			cancel()
			if err != nil {
				r.log().Warn("interrupted: " + err.Error())
				return
			}
			select {
			case <-stopping:
				return
			case <-time.After(killEvery):
			}
		}
	})
	r.unwatched = true
	return func() {
		r.unwatched = false
		close(stopping)
		if !stopAfter() {
			<-done
		}
	}
}

// exec runs stmt on q: with the run's context, or, when watchRun
// watches it, after checking it, with a context the driver need not
// watch.
func (r *Runner) exec(ctx context.Context, q dialect.Querier, stmt string) (sql.Result, error) {
	if r.unwatched {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ctx = context.WithoutCancel(ctx)
	}
	return q.ExecContext(ctx, stmt)
}
