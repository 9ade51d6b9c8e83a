package retort

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"

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
// created when that run committed nothing, so that a failed first
// upgrade leaves no empty database behind. It closes the connection.
func (e *Env) forgetCreated(res *Result) {
	file := e.created
	e.created = ""
	if file == "" || (res != nil && len(res.Steps) > 0) || e.db == nil {
		return
	}
	if err := e.db.Close(); err != nil {
		return
	}
	e.db = nil
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		_ = os.Remove(file + suffix)
	}
}
