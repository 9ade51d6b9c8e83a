package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/retortdb/retort/dialect"
)

// locker serialises runs with an advisory lock; see the package doc for
// the key.
type locker struct {
	d       Dialect
	t       dialect.Ident
	timeout time.Duration
}

// keyExpr is the SQL expression for the lock key: the first 8 bytes of
// md5('retort:' || schema || '.' || table) as a signed bigint, the
// schema being current_schema() when t has none.
func (l locker) keyExpr() string {
	schema := "coalesce(current_schema(), '')"
	if l.t.Schema != "" {
		schema = l.d.QuoteLiteral(l.t.Schema)
	}
	return "('x' || left(md5('retort:' || " + schema + " || '.' || " +
		l.d.QuoteLiteral(l.t.Name) + "), 16))::bit(64)::bigint"
}

// LockTx takes pg_advisory_xact_lock, held until tx ends. It first tries
// without waiting; when another session holds the lock it notes who,
// then waits, bounded by the locker's timeout through a transaction-local
// lock_timeout that is restored once the lock is granted.
func (l locker) LockTx(ctx context.Context, tx dialect.Querier) error {
	return l.lock(ctx, tx, "pg_try_advisory_xact_lock", "pg_advisory_xact_lock", true)
}

// LockSession takes pg_advisory_lock on conn, with the same timeout
// treatment as LockTx (a session-level lock_timeout, restored after);
// unlock releases it with pg_advisory_unlock.
func (l locker) LockSession(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	if err := l.lock(ctx, conn, "pg_try_advisory_lock", "pg_advisory_lock", false); err != nil {
		return nil, err
	}
	// Behind a transaction-pooling proxy the next statement may run on
	// another server session, which does not hold the lock: the lock
	// protects nothing there. Check that the session now serving this
	// connection holds it, and refuse clearly when it does not.
	var held bool
	err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l, (SELECT `+l.keyExpr()+` AS k) AS key
WHERE l.locktype = 'advisory' AND l.granted AND l.pid = pg_backend_pid() AND l.objsubid = 1
  AND l.classid::bigint = ((key.k >> 32) & 4294967295) AND l.objid::bigint = (key.k & 4294967295))`).Scan(&held)
	if err != nil {
		return nil, l.wrap(ctx, err)
	}
	if !held {
		return nil, &SessionLockError{Table: l.t}
	}
	unlock := func(ctx context.Context) error {
		var released bool
		err := conn.QueryRowContext(ctx, "SELECT pg_advisory_unlock("+l.keyExpr()+")").Scan(&released)
		if err != nil {
			return fmt.Errorf("unlock version table %s: %w", l.t, err)
		}
		if !released {
			return fmt.Errorf("unlock version table %s: advisory lock was not held by this session", l.t)
		}
		return nil
	}
	return unlock, nil
}

// lock tries tryFn, then waits with waitFn. local says whether
// lock_timeout is set for the transaction (true) or the session.
func (l locker) lock(ctx context.Context, q dialect.Querier, tryFn, waitFn string, local bool) error {
	var key int64
	var got bool
	err := q.QueryRowContext(ctx, "SELECT k, "+tryFn+"(k) FROM (SELECT "+l.keyExpr()+" AS k) AS key").Scan(&key, &got)
	if err != nil {
		return l.wrap(ctx, err)
	}
	if got {
		return nil
	}
	holder := l.holder(ctx, q, key)
	var restore string
	if l.timeout > 0 {
		ms := max(l.timeout.Milliseconds(), 1)
		err := q.QueryRowContext(ctx, "SELECT current_setting('lock_timeout'), set_config('lock_timeout', $1, $2)",
			fmt.Sprintf("%dms", ms), local).Scan(&restore, new(string))
		if err != nil {
			return fmt.Errorf("lock version table %s: set lock_timeout: %w", l.t, err)
		}
	}
	_, err = q.ExecContext(ctx, "SELECT "+waitFn+"($1)", key)
	if err != nil {
		if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok && pgErr.Code == "55P03" {
			err = &dialect.LockTimeoutError{Table: l.t, Holder: holder, Timeout: l.timeout, Err: err}
		} else {
			err = l.wrap(ctx, err)
		}
		if restore != "" && !local {
			// The session survives a failed lock; put its setting back.
			_, _ = q.ExecContext(context.WithoutCancel(ctx), "SELECT set_config('lock_timeout', $1, false)", restore)
		}
		return err
	}
	if restore != "" {
		if _, err := q.ExecContext(ctx, "SELECT set_config('lock_timeout', $1, $2)", restore, local); err != nil {
			return fmt.Errorf("lock version table %s: restore lock_timeout: %w", l.t, err)
		}
	}
	return nil
}

// wrap names the table in err. When ctx has ended, the driver's error
// may only say that the connection went bad (pgx closes it to stop the
// query), so ctx's error leads and stays matchable with errors.Is.
func (l locker) wrap(ctx context.Context, err error) error {
	if cerr := context.Cause(ctx); cerr != nil {
		return fmt.Errorf("lock version table %s: %w (%v)", l.t, cerr, err)
	}
	return fmt.Errorf("lock version table %s: %w", l.t, err)
}

// holder describes the sessions holding the advisory lock key, or
// returns "" when they cannot be read (no privilege, or the holder let go).
func (l locker) holder(ctx context.Context, q dialect.Querier, key int64) string {
	rows, err := q.QueryContext(ctx, `
SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local'),
       coalesce(a.usename, ''), coalesce(a.state, ''), a.backend_start
FROM pg_catalog.pg_locks AS l
JOIN pg_catalog.pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
  AND l.classid::bigint = ($1::bigint >> 32) & 4294967295
  AND l.objid::bigint = $1::bigint & 4294967295
ORDER BY a.pid`, key)
	if err != nil {
		return ""
	}
	defer rows.Close()
	var desc string
	for rows.Next() {
		var (
			pid                    int64
			app, addr, user, state string
			start                  sql.NullTime
		)
		if err := rows.Scan(&pid, &app, &addr, &user, &state, &start); err != nil {
			return ""
		}
		if desc != "" {
			desc += "; "
		}
		desc += fmt.Sprintf("pid %d (application %q, user %q, client %s, state %q", pid, app, user, addr, state)
		if start.Valid {
			desc += ", connected " + start.Time.UTC().Format(time.RFC3339)
		}
		desc += ")"
	}
	if rows.Err() != nil {
		return ""
	}
	return desc
}

// SessionLockError reports a session lock that the connection's current
// server session does not hold: the connection goes through a
// transaction-pooling proxy, which hands each transaction (or statement)
// to whichever server session is free.
type SessionLockError struct {
	Table dialect.Ident
}

func (e *SessionLockError) Error() string {
	return "the session lock on version table " + e.Table.String() +
		" is not held by the server session now serving this connection: retort appears to be behind a transaction-pooling proxy (PgBouncer pool_mode = transaction). " +
		"Revisions marked no-transaction need a direct or session-pooled connection; run this upgrade with a direct URL, or remove the no-transaction marker"
}
