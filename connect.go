package retort

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/retortdb/retort/dialect"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/retortdb/retort/config"
)

// ConnectError reports a database retort could not connect to: the
// redacted URL, what to check, and the driver's error.
type ConnectError struct {
	// URL is the database URL with the password replaced by "***".
	URL string
	// Hint says what to check.
	Hint string
	// Err is the driver's error.
	Err error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("cannot connect to %s: %s\n  (%v)", e.URL, e.Hint, e.Err)
}

func (e *ConnectError) Unwrap() error { return e.Err }

// connectError explains a failed first connection to u.
func (e *Env) connectError(u *config.URL, err error) error {
	where := "url in " + e.cfgName()
	addr := u.Host
	if u.Port != "" {
		addr = net.JoinHostPort(u.Host, u.Port)
	}
	var hint string
	var dns *net.DNSError
	var ne net.Error
	var state interface{ SQLState() string }
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &dns):
		hint = fmt.Sprintf("host %q is not known; check the host name in %s", dns.Name, where)
	case errors.Is(err, syscall.ECONNREFUSED):
		hint = fmt.Sprintf("nothing accepts connections at %s; check that the server is running there and the host and port in %s", addr, where)
	case errors.As(err, &ne) && ne.Timeout():
		hint = fmt.Sprintf("no answer from %s; check the host, the port and any firewall in between", addr)
	case errors.As(err, &state) && strings.HasPrefix(state.SQLState(), "28"):
		hint = fmt.Sprintf("the server refused user %q; check the user name and password in %s (or the password file the driver reads)", u.User, where)
	case errors.As(err, &state) && state.SQLState() == "3D000":
		hint = fmt.Sprintf("database %q does not exist; create it, or check the database name in %s", u.Database, where)
	case errors.Is(err, os.ErrPermission):
		hint = fmt.Sprintf("no permission to open %s; check the file's permissions, or url in %s", u.Path, where)
	default:
		hint = fmt.Sprintf("check that the server is running and reachable, and the user name, password and database name in %s", where)
	}
	return &ConnectError{URL: u.Redacted(), Hint: hint, Err: err}
}

// forgetCreated removes the SQLite file this environment's first run
// created when that run failed with err and committed nothing, so that
// a failed first upgrade leaves no empty database behind. It closes the
// connection. The file is kept when err says another session holds the
// database (a lock timeout, SQLITE_BUSY): that session has the file
// open, maybe still waiting for its write lock, and removing the file
// under it would lose its work or fail its commit. Otherwise the file is
// removed only while still empty and under its write lock (see
// removeEmptySQLite).
func (e *Env) forgetCreated(res *Result, err error) {
	file := e.created
	e.created = ""
	if file == "" || (res != nil && len(res.Steps) > 0) || e.db == nil || e.contended(err) {
		return
	}
	if err := e.db.Close(); err != nil {
		return
	}
	e.db = nil
	removeEmptySQLite(e.cfg.URL, file)
}

// createSQLiteFile creates the empty file of a new SQLite database (an
// empty file is an empty database) and reports whether this call made
// it: false, with no error, when another process created it first.
// Only the process that made the file may remove it again.
func createSQLiteFile(file string) (bool, error) {
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, f.Close()
}

// removeEmptySQLite removes file, the SQLite database of u, when it
// holds no table, index or view, checking and removing while holding
// the database's write lock (BEGIN IMMEDIATE, not waited for). A run of
// another process that opened the file in the meantime either holds
// that lock (the file stays) or has committed its tables (it stays).
// Removing a file another run is writing would make that run fail with
// SQLITE_READONLY_DBMOVED at its next write, or with
// SQLITE_IOERR_DELETE_NOENT at its commit when its journal went too.
func removeEmptySQLite(u *config.URL, file string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	db, err := sql.Open(u.Driver, u.SQLiteDSN(0))
	if err != nil {
		return
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return // another connection writes it: it is in use
	}
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") }()
	var objects int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&objects); err != nil || objects != 0 {
		return
	}
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		_ = os.Remove(file + suffix)
	}
}

// contended reports whether err says another session holds the
// database: the lock_timeout ran out, or the dialect reports it busy
// (dialect.BusyReporter).
func (e *Env) contended(err error) bool {
	if _, ok := errors.AsType[*dialect.LockTimeoutError](err); ok {
		return true
	}
	b, ok := e.dialect.(dialect.BusyReporter)
	return ok && b.Busy(err)
}
