package mysql

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
)

// Flavor is the product a [Server] runs.
type Flavor uint8

// Flavors. Common, the zero value, is no product in particular: the
// syntax both MariaDB ≥ 10.5 and MySQL ≥ 8.0 accept.
const (
	Common Flavor = iota
	MySQL
	MariaDB
)

// String returns "common", "mysql" or "mariadb".
func (f Flavor) String() string {
	switch f {
	case MySQL:
		return "mysql"
	case MariaDB:
		return "mariadb"
	}
	return "common"
}

// Server is the server the SQL is written for: a flavor and a version.
// The zero Server is Common: the syntax that MariaDB 10.5 and later and
// MySQL 8.0 and later both accept, which is what offline scripts use
// unless server_version says otherwise.
type Server struct {
	Flavor              Flavor
	Major, Minor, Patch int
}

// String renders s as ParseServer reads it: "mariadb-10.11.19",
// "mysql-8.0.36", or "common".
func (s Server) String() string {
	if s.Flavor == Common {
		return "common"
	}
	return fmt.Sprintf("%s-%d.%d.%d", s.Flavor, s.Major, s.Minor, s.Patch)
}

// ParseServer reads a server version: "mysql-8.0.36", "mariadb-10.11",
// "mariadb 10.6", what SELECT VERSION() returns ("10.11.19-MariaDB-0+deb12u1",
// "8.0.36", "8.0.36-0ubuntu0.22.04.1"), or "" and "common" for the
// common syntax. A bare version is MySQL's unless it says MariaDB.
// Errors match fault.ErrBadInput.
func ParseServer(v string) (Server, error) {
	s := strings.TrimSpace(v)
	lower := strings.ToLower(s)
	if lower == "" || lower == "common" {
		return Server{}, nil
	}
	var srv Server
	switch {
	case strings.HasPrefix(lower, "mariadb"):
		srv.Flavor, s = MariaDB, strings.TrimLeft(s[len("mariadb"):], " -/")
	case strings.HasPrefix(lower, "mysql"):
		srv.Flavor, s = MySQL, strings.TrimLeft(s[len("mysql"):], " -/")
	case strings.Contains(lower, "mariadb"):
		srv.Flavor = MariaDB
	default:
		srv.Flavor = MySQL
	}
	// MariaDB 10 servers behind old replication clients report
	// "5.5.5-10.11.2-MariaDB": the real version follows the prefix.
	if srv.Flavor == MariaDB {
		s = strings.TrimPrefix(s, "5.5.5-")
	}
	num := s
	if i := strings.IndexFunc(s, func(r rune) bool { return r != '.' && (r < '0' || r > '9') }); i >= 0 {
		num = s[:i]
	}
	parts := strings.Split(num, ".")
	if num == "" || len(parts) > 3 {
		return Server{}, badServer(v)
	}
	nums := []*int{&srv.Major, &srv.Minor, &srv.Patch}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Server{}, badServer(v)
		}
		*nums[i] = n
	}
	return srv, nil
}

func badServer(v string) error {
	return fault.BadInput(fmt.Errorf("server_version %q: want mysql-X.Y[.Z], mariadb-X.Y[.Z] or common (for example mysql-8.0.36 or mariadb-10.11)", v))
}

// atLeast reports whether s is flavor f at version maj.min.patch or later.
func (s Server) atLeast(f Flavor, maj, min, patch int) bool {
	if s.Flavor != f {
		return false
	}
	if s.Major != maj {
		return s.Major > maj
	}
	if s.Minor != min {
		return s.Minor > min
	}
	return s.Patch >= patch
}

// mariaDB reports a MariaDB server (any version).
func (s Server) mariaDB() bool { return s.Flavor == MariaDB }

// checks reports whether CHECK constraints are enforced: MariaDB 10.2,
// MySQL 8.0.16. The common syntax assumes so.
func (s Server) checks() bool {
	return s.Flavor == Common || s.atLeast(MariaDB, 10, 2, 1) || s.atLeast(MySQL, 8, 0, 16)
}

// renameColumn reports RENAME COLUMN: MariaDB 10.5.2, MySQL 8.0.
func (s Server) renameColumn() bool {
	return s.Flavor == Common || s.atLeast(MariaDB, 10, 5, 2) || s.atLeast(MySQL, 8, 0, 0)
}

// functionalIndex reports index parts that are expressions: MySQL 8.0.13
// only (MariaDB indexes a generated column instead).
func (s Server) functionalIndex() bool { return s.atLeast(MySQL, 8, 0, 13) }

// sequences reports CREATE SEQUENCE: MariaDB 10.3.
func (s Server) sequences() bool { return s.atLeast(MariaDB, 10, 3, 0) }

// dropCheckSyntax returns how a CHECK constraint is dropped: DROP CHECK
// on MySQL before 8.0.19, else DROP CONSTRAINT (MariaDB, MySQL 8.0.19).
func (s Server) dropCheckSyntax() string {
	if s.Flavor == MySQL && !s.atLeast(MySQL, 8, 0, 19) {
		return "DROP CHECK "
	}
	return "DROP CONSTRAINT "
}

// ForServer returns the dialect for the server behind q, read with
// SELECT VERSION(): online, the server decides the syntax.
func (d Dialect) ForServer(ctx context.Context, q dialect.Querier) (dialect.Dialect, error) {
	var v string
	if err := q.QueryRowContext(ctx, "SELECT VERSION()").Scan(&v); err != nil {
		return nil, fmt.Errorf("mysql: read server version: %w", err)
	}
	srv, err := ParseServer(v)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("mysql: the server reports version %q, which retort cannot read", v), err)
	}
	return Dialect{srv: srv}, nil
}

// ForVersion returns the dialect for the server v names (see
// [ParseServer]): server_version in retort.toml, for offline scripts.
func (d Dialect) ForVersion(v string) (dialect.Dialect, error) {
	srv, err := ParseServer(v)
	if err != nil {
		return nil, err
	}
	return Dialect{srv: srv}, nil
}

var _ dialect.ServerAware = Dialect{}
