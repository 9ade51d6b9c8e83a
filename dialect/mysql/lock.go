package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/retortdb/retort/dialect"
)

// ErrNoTxLock is returned by the locker's LockTx: MySQL has no lock that
// ends with a transaction and DDL commits implicitly, so runs on MySQL
// are serialised by a session lock held for the whole run
// ([dialect.Caps] SessionLock), taken with LockSession.
var ErrNoTxLock = errors.New("mysql has no transaction-scoped lock (DDL commits implicitly): hold the session lock (LockSession) for the whole run instead")

// forever is the GET_LOCK timeout, in seconds, used when the locker has
// none: MariaDB reads a negative timeout as an error, not as "wait".
// The context still ends the wait.
const forever = 365 * 24 * 3600

// locker serialises runs with GET_LOCK; see the package doc for the key.
type locker struct {
	d       Dialect
	t       dialect.Ident
	timeout time.Duration
}

// keyExpr is the SQL expression for the lock's name: "retort:" and the
// first 56 hex digits of SHA2(schema + "." + table, 256), the schema
// being DATABASE() when t has none. It stays under MySQL's 64-character
// limit for lock names whatever the names.
func (l locker) keyExpr() string {
	schema := "COALESCE(DATABASE(), '')"
	if l.t.Schema != "" {
		schema = l.d.QuoteLiteral(l.t.Schema)
	}
	return "CONCAT('retort:', LEFT(SHA2(CONCAT(" + schema + ", '.', " + l.d.QuoteLiteral(l.t.Name) + "), 256), 56))"
}

// LockTx fails with [ErrNoTxLock].
func (l locker) LockTx(context.Context, dialect.Querier) error {
	return fmt.Errorf("lock version table %s: %w", l.t, ErrNoTxLock)
}

// LockSession takes GET_LOCK on conn, waiting up to the locker's timeout
// (zero: until ctx ends). unlock releases it with RELEASE_LOCK; the
// server also releases it when the connection closes, so a run that
// dies does not leave it held.
func (l locker) LockSession(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	var key string
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT k, GET_LOCK(k, 0) FROM (SELECT "+l.keyExpr()+" AS k) AS lockname").Scan(&key, &got); err != nil {
		return nil, l.wrap(ctx, err)
	}
	if !got.Valid || got.Int64 != 1 {
		holder := l.holder(ctx, conn, key)
		wait := float64(forever)
		if l.timeout > 0 {
			wait = max(l.timeout.Seconds(), 0.001)
		}
		err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, "+strconv.FormatFloat(wait, 'f', 3, 64)+")", key).Scan(&got)
		switch {
		case err != nil:
			return nil, l.wrap(ctx, err)
		case !got.Valid:
			return nil, fmt.Errorf("lock version table %s: GET_LOCK(%s) returned NULL (the server refused the lock)", l.t, key)
		case got.Int64 != 1:
			return nil, &dialect.LockTimeoutError{Table: l.t, Holder: holder, Timeout: l.timeout}
		}
	}
	unlock := func(ctx context.Context) error {
		var released sql.NullInt64
		if err := conn.QueryRowContext(ctx, "SELECT RELEASE_LOCK(?)", key).Scan(&released); err != nil {
			return fmt.Errorf("unlock version table %s: %w", l.t, err)
		}
		if !released.Valid || released.Int64 != 1 {
			return fmt.Errorf("unlock version table %s: lock %s was not held by this session", l.t, key)
		}
		return nil
	}
	return unlock, nil
}

// wrap names the table in err, leading with ctx's error when ctx has
// ended (the driver may only say that the connection went bad).
func (l locker) wrap(ctx context.Context, err error) error {
	if cerr := context.Cause(ctx); cerr != nil {
		return fmt.Errorf("lock version table %s: %w (%v)", l.t, cerr, err)
	}
	return fmt.Errorf("lock version table %s: %w", l.t, err)
}

// holder describes the session holding the lock key, or returns "" when
// it cannot be read (no PROCESS privilege, or the holder let go).
func (l locker) holder(ctx context.Context, q dialect.Querier, key string) string {
	var (
		id                  int64
		user, host, command string
		db                  sql.NullString
		secs                sql.NullInt64
	)
	err := q.QueryRowContext(ctx, `SELECT p.id, p.user, p.host, p.db, p.command, p.time
FROM information_schema.processlist AS p WHERE p.id = IS_USED_LOCK(?)`, key).Scan(&id, &user, &host, &db, &command, &secs)
	if err != nil {
		return ""
	}
	desc := fmt.Sprintf("connection %d (user %q, client %s, database %q, %s", id, user, host, db.String, command)
	if secs.Valid {
		desc += fmt.Sprintf(" for %ds", secs.Int64)
	}
	return desc + ")"
}
