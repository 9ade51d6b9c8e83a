package mysql_test

import (
	"database/sql"
	"errors"
	"flag"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/internal/fault"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

// openDB opens a fresh database on the server of RETORT_TEST_MYSQL_URL.
func openDB(t testing.TB) *sql.DB {
	t.Helper()
	return dbtest.Open(t, dbtest.MySQL(t))
}

func TestConformance(t *testing.T) {
	dialecttest.Run(t, mysql.New(), openDB)
}

func TestVersionSQL(t *testing.T) {
	dialecttest.Golden(t, mysql.New(), *update)
}

func TestRender(t *testing.T) {
	dialecttest.GoldenRender(t, mysql.New(), *update)
}

// TestRenderMySQL8 is the rendering for a MySQL 8.0 server
// (server_version = "mysql-8.0.36"), which no test server runs here.
func TestRenderMySQL8(t *testing.T) {
	dialecttest.GoldenRender(t, mysql.NewFor(mustServer(t, "mysql-8.0.36")), *update)
}

// TestRenderMySQL57 is the rendering for MySQL 5.7, before RENAME COLUMN
// and enforced CHECK constraints.
func TestRenderMySQL57(t *testing.T) {
	dialecttest.GoldenRender(t, mysql.NewFor(mustServer(t, "mysql-5.7.44")), *update)
}

// TestRenderMariaDB is the rendering for MariaDB 10.11, the test server.
func TestRenderMariaDB(t *testing.T) {
	dialecttest.GoldenRender(t, mysql.NewFor(mustServer(t, "mariadb-10.11")), *update)
}

func mustServer(t testing.TB, v string) mysql.Server {
	t.Helper()
	s, err := mysql.ParseServer(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseServer(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want string
	}{
		{"", "common"},
		{"common", "common"},
		{"mysql-8.0.36", "mysql-8.0.36"},
		{"MySQL 8.0", "mysql-8.0.0"},
		{"mariadb-10.11", "mariadb-10.11.0"},
		{"10.11.19-MariaDB-0+deb12u1", "mariadb-10.11.19"},
		{"5.5.5-10.6.12-MariaDB-log", "mariadb-10.6.12"},
		{"8.0.36-0ubuntu0.22.04.1", "mysql-8.0.36"},
		{"8.4.0", "mysql-8.4.0"},
	} {
		t.Run(c.in, func(t *testing.T) {
			s, err := mysql.ParseServer(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if s.String() != c.want {
				t.Errorf("ParseServer(%q) = %s, want %s", c.in, s, c.want)
			}
		})
	}
	for _, bad := range []string{"postgres-16", "mysql-eight", "1.2.3.4", "mariadb-"} {
		if _, err := mysql.ParseServer(bad); !errors.Is(err, fault.ErrBadInput) {
			t.Errorf("ParseServer(%q) = %v, want a bad-input error", bad, err)
		}
	}
}

func TestQuote(t *testing.T) {
	t.Parallel()
	d := mysql.New()
	for _, c := range []struct{ name, in, ident, lit string }{
		{"plain", "a", "`a`", `'a'`},
		{"quotes", "we`i'rd", "`we``i'rd`", `'we` + "`" + `i''rd'`},
		{"backslash", `a\b`, "`a\\b`", `'a\\b'`},
		{"nul", "a\x00b", "`a\x00b`", `'a\0b'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := d.QuoteIdent(c.in); got != c.ident {
				t.Errorf("QuoteIdent(%q) = %s, want %s", c.in, got, c.ident)
			}
			if got := d.QuoteLiteral(c.in); got != c.lit {
				t.Errorf("QuoteLiteral(%q) = %s, want %s", c.in, got, c.lit)
			}
		})
	}
}

// TestLiteralsRoundTrip stores odd strings through QuoteLiteral and reads
// them back unchanged.
func TestLiteralsRoundTrip(t *testing.T) {
	db := openDB(t)
	d := mysql.New()
	for _, s := range []string{`it's`, `back\slash`, `\'`, "nul\x00byte", "ctrl\x1az", `%_`, "ünï"} {
		var got string
		if err := db.QueryRowContext(t.Context(), "SELECT "+d.QuoteLiteral(s)).Scan(&got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got != s {
			t.Errorf("QuoteLiteral(%q) read back as %q", s, got)
		}
	}
}

var _ dialect.Dialect = mysql.Dialect{}
