package config_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/fault"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		dialect  string
		driver   string
		dsn      string
		redacted string
		path     string
		memory   bool
	}{
		{"postgres", "postgres://app:s3cret@db.example:5433/app", "postgres", "pgx",
			"postgres://app:s3cret@db.example:5433/app", "postgres://app:***@db.example:5433/app", "", false},
		{"postgresql", "postgresql://app@localhost/app?sslmode=disable", "postgres", "pgx",
			"postgres://app@localhost/app?sslmode=disable", "postgresql://app@localhost/app?sslmode=disable", "", false},
		{"asyncpg", "postgresql+asyncpg://u:p@h/d", "postgres", "pgx", "postgres://u:p@h/d", "postgresql+asyncpg://u:***@h/d", "", false},
		{"psycopg2", "postgresql+psycopg2://u:p@h:1/d", "postgres", "pgx", "postgres://u:p@h:1/d", "postgresql+psycopg2://u:***@h:1/d", "", false},
		{"psycopg", "postgresql+psycopg://u:p@h/d", "postgres", "pgx", "postgres://u:p@h/d", "postgresql+psycopg://u:***@h/d", "", false},
		{"pg8000", "postgresql+pg8000://u:p@h/d", "postgres", "pgx", "postgres://u:p@h/d", "postgresql+pg8000://u:***@h/d", "", false},
		{"postgres special password", "postgresql://u:p/ss?w#x:y@h/d", "postgres", "pgx",
			"postgres://u:p%2Fss%3Fw%23x%3Ay@h/d", "postgresql://u:***@h/d", "", false},
		{"postgres escaped password", "postgresql://u:a%40b@h/d", "postgres", "pgx",
			"postgres://u:a%40b@h/d", "postgresql://u:***@h/d", "", false},
		{"postgres empty password", "postgresql://u:@h/d", "postgres", "pgx", "postgres://u:@h/d", "postgresql://u:***@h/d", "", false},
		{"postgres socket", "postgresql:///app?host=/var/run/postgresql", "postgres", "pgx",
			"postgres:///app?host=%2Fvar%2Frun%2Fpostgresql", "postgresql:///app?host=%2Fvar%2Frun%2Fpostgresql", "", false},
		{"postgres ipv6", "postgresql://u@[::1]:5432/d", "postgres", "pgx", "postgres://u@[::1]:5432/d", "postgresql://u@[::1]:5432/d", "", false},
		{"postgres multi host", "postgresql://u@h1:5432,h2:5433/d", "postgres", "pgx", "postgres://u@h1:5432,h2:5433/d", "postgresql://u@h1:5432,h2:5433/d", "", false},
		{"postgres password param", "postgresql://h/d?password=hunter22", "postgres", "pgx", "postgres://h/d?password=hunter22", "postgresql://h/d?password=%2A%2A%2A", "", false},
		{"sqlite relative", "sqlite:///app.db", "sqlite", "sqlite", "app.db", "sqlite:///app.db", "app.db", false},
		{"sqlite relative dir", "sqlite:///data/app.db", "sqlite", "sqlite", "data/app.db", "sqlite:///data/app.db", "data/app.db", false},
		{"sqlite absolute", "sqlite:////var/lib/app.db", "sqlite", "sqlite", "/var/lib/app.db", "sqlite:////var/lib/app.db", "/var/lib/app.db", false},
		{"pysqlite", "sqlite+pysqlite:///app.db", "sqlite", "sqlite", "app.db", "sqlite+pysqlite:///app.db", "app.db", false},
		{"aiosqlite", "sqlite+aiosqlite:////a.db", "sqlite", "sqlite", "/a.db", "sqlite+aiosqlite:////a.db", "/a.db", false},
		{"sqlite params", "sqlite:///app.db?check_same_thread=false&_pragma=journal_mode(WAL)", "sqlite", "sqlite",
			"app.db?_pragma=journal_mode%28WAL%29", "sqlite:///app.db?_pragma=journal_mode%28WAL%29&check_same_thread=false", "app.db", false},
		{"sqlite memory", "sqlite://", "sqlite", "sqlite", "", "sqlite://", "", true},
		{"sqlite memory explicit", "sqlite:///:memory:", "sqlite", "sqlite", "", "sqlite://", "", true},
		{"mysql", "mysql://app:s3cret@db:3307/app", "mysql", "mysql",
			"app:s3cret@tcp(db:3307)/app?interpolateParams=true&parseTime=true", "mysql://app:***@db:3307/app", "", false},
		{"mysql default port", "mysql://app@db/app", "mysql", "mysql", "app@tcp(db:3306)/app?interpolateParams=true&parseTime=true", "mysql://app@db/app", "", false},
		{"pymysql", "mysql+pymysql://u:p@h/d?charset=utf8mb4", "mysql", "mysql",
			"u:p@tcp(h:3306)/d?charset=utf8mb4&parseTime=true", "mysql+pymysql://u:***@h/d?charset=utf8mb4", "", false},
		{"mysqldb", "mysql+mysqldb://u:p@h/d", "mysql", "mysql", "u:p@tcp(h:3306)/d?interpolateParams=true&parseTime=true", "mysql+mysqldb://u:***@h/d", "", false},
		{"aiomysql", "mysql+aiomysql://u:p@h/d", "mysql", "mysql", "u:p@tcp(h:3306)/d?interpolateParams=true&parseTime=true", "mysql+aiomysql://u:***@h/d", "", false},
		{"asyncmy", "mysql+asyncmy://u:p@h/d", "mysql", "mysql", "u:p@tcp(h:3306)/d?interpolateParams=true&parseTime=true", "mysql+asyncmy://u:***@h/d", "", false},
		{"mariadb", "mariadb://u:p@h/d", "mysql", "mysql", "u:p@tcp(h:3306)/d?interpolateParams=true&parseTime=true", "mariadb://u:***@h/d", "", false},
		{"mariadb pymysql", "mariadb+pymysql://u:p@h/d", "mysql", "mysql", "u:p@tcp(h:3306)/d?interpolateParams=true&parseTime=true", "mariadb+pymysql://u:***@h/d", "", false},
		{"mysql socket and timeout", "mysql://u@/d?unix_socket=/run/mysqld/mysqld.sock&connect_timeout=5", "mysql", "mysql",
			"u@unix(/run/mysqld/mysqld.sock)/d?interpolateParams=true&parseTime=true&timeout=5s", "mysql://u@/d?connect_timeout=5&unix_socket=%2Frun%2Fmysqld%2Fmysqld.sock", "", false},
		{"mysql options kept", "mysql://u:p@h/d?allowCleartextPasswords=true&tls=true&sql_mode=ANSI_QUOTES&charset=utf8mb4&use_unicode=1", "mysql", "mysql",
			"u:p@tcp(h:3306)/d?allowCleartextPasswords=true&charset=utf8mb4&parseTime=true&tls=true&sql_mode=ANSI_QUOTES",
			"mysql://u:***@h/d?allowCleartextPasswords=%2A%2A%2A&charset=utf8mb4&sql_mode=ANSI_QUOTES&tls=true&use_unicode=1", "", false},
		{"mysql interpolation off", "mysql://u:p@h/d?interpolateParams=false", "mysql", "mysql",
			"u:p@tcp(h:3306)/d?parseTime=true", "mysql://u:***@h/d?interpolateParams=false", "", false},
		{"mysql collation: driver default", "mysql://u:p@h/d?collation=gbk_chinese_ci", "mysql", "mysql",
			"u:p@tcp(h:3306)/d?collation=gbk_chinese_ci&parseTime=true", "mysql://u:***@h/d?collation=gbk_chinese_ci", "", false},
		{"mysql allowAllFiles off", "mysql://u:p@h/d?allowAllFiles=false", "mysql", "mysql", "u:p@tcp(h:3306)/d?interpolateParams=true&parseTime=true", "mysql://u:***@h/d?allowAllFiles=false", "", false},
		{"mysql special password", "mysql://u:p%40ss/w:d@h/d", "mysql", "mysql", "u:p@ss/w:d@tcp(h:3306)/d?interpolateParams=true&parseTime=true", "mysql://u:***@h/d", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := config.ParseURL(tt.in)
			if err != nil {
				t.Fatalf("ParseURL(%q): %v", tt.in, err)
			}
			if u.Dialect != tt.dialect || u.Driver != tt.driver {
				t.Errorf("dialect, driver = %q, %q; want %q, %q", u.Dialect, u.Driver, tt.dialect, tt.driver)
			}
			if !tt.memory && u.DSN != tt.dsn {
				t.Errorf("DSN = %q, want %q", u.DSN, tt.dsn)
			}
			if got := u.Redacted(); got != tt.redacted {
				t.Errorf("Redacted() = %q, want %q", got, tt.redacted)
			}
			if got := u.String(); got != tt.redacted {
				t.Errorf("String() = %q, want %q", got, tt.redacted)
			}
			if u.Path != tt.path || u.Memory != tt.memory {
				t.Errorf("Path, Memory = %q, %v; want %q, %v", u.Path, u.Memory, tt.path, tt.memory)
			}
		})
	}
}

func TestParseURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string // substring of the error
	}{
		{"no scheme", "localhost/app", "dialect[+driver]://"},
		{"unknown scheme", "oracle://u:pw1234@h/d", `unsupported scheme "oracle"; supported: mariadb, `},
		{"unknown driver", "postgresql+foo://u:pw1234@h/d", `unsupported scheme "postgresql+foo"`},
		{"bad port", "postgresql://u:pw1234@h:99999/d", `database url postgresql://u:***@h:99999/d: port "99999"`},
		{"port not a number", "mysql://u:pw1234@h:abc/d", `port "abc" is not a number`},
		{"sqlite with host", "sqlite://u:pw1234@h/app.db", "a SQLite url has no user, password or host"},
		{"sqlite host only", "sqlite://app.db", "sqlite:///relative/path.db"},
		{"sqlite unknown param", "sqlite:///a.db?foo=1", `query parameter "foo" is not supported for SQLite`},
		{"sqlite bad timeout", "sqlite:///a.db?timeout=x", `timeout="x"`},
		{"mysql python ssl param", "mysql://u:pw1234@h/d?ssl_ca=/x", `query parameter "ssl_ca" is a Python driver's; go-sql-driver/mysql has no such parameter: use tls=true`},
		{"mysql local files", "mysql://u:pw1234@h/d?allowAllFiles=true", "allowAllFiles=true is refused"},
		{"mysql local infile", "mysql+pymysql://u:pw1234@h/d?local_infile=1", `"local_infile"`},
		{"mysql cleartext without tls", "mysql://u:pw1234@h/d?allowCleartextPasswords=1", "allowCleartextPasswords=true is refused without TLS"},
		{"mysql cleartext tls preferred", "mysql://u:pw1234@h/d?allowCleartextPasswords=true&tls=preferred", "allowCleartextPasswords=true is refused without TLS"},
		{"mysql multi statements", "mysql://u:pw1234@h/d?multiStatements=true", "multiStatements=true is refused"},
		{"mysql bad value", "mysql://u:pw1234@h/d?parseTime=maybe", "query parameters"},
		{"bad escape", "postgresql://u:pw%zz1234@h/d", "password: bad %-escape"},
		{"bad ipv6", "postgresql://u:pw1234@[::1/d", "missing ]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.ParseURL(tt.in)
			if err == nil {
				t.Fatalf("ParseURL(%q) = nil error, want %q", tt.in, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseURL(%q) = %q, want it to contain %q", tt.in, err, tt.want)
			}
			if strings.Contains(err.Error(), "pw1234") || strings.Contains(err.Error(), "pw%zz") {
				t.Errorf("error shows the password: %q", err)
			}
			if !errors.Is(err, fault.ErrBadInput) {
				t.Errorf("error is not bad input: %v", err)
			}
		})
	}
}

func TestSQLiteDSN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"defaults", "sqlite:///app.db", "app.db?_pragma=busy_timeout%285000%29&_pragma=foreign_keys%281%29&_txlock=immediate"},
		{"url timeout wins", "sqlite:///app.db?timeout=1.5", "app.db?_pragma=busy_timeout%281500%29&_pragma=foreign_keys%281%29&_txlock=immediate"},
		{"url pragmas kept", "sqlite:///app.db?_pragma=foreign_keys(0)&_txlock=deferred&_busy_timeout=10",
			"app.db?_busy_timeout=10&_pragma=foreign_keys%280%29&_txlock=deferred"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := config.ParseURL(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := u.SQLiteDSN(5 * time.Second); got != tt.want {
				t.Errorf("SQLiteDSN = %q, want %q", got, tt.want)
			}
		})
	}
	u, _ := config.ParseURL("postgres://h/d")
	if got := u.SQLiteDSN(time.Second); got != "" {
		t.Errorf("SQLiteDSN of a postgres URL = %q, want \"\"", got)
	}
}

// TestSQLiteMemoryShared checks that every connection of one *sql.DB sees
// one in-memory database, and that two URLs give two databases.
func TestSQLiteMemoryShared(t *testing.T) {
	t.Parallel()
	open := func(raw string) *sql.DB {
		u, err := config.ParseURL(raw)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open(u.Driver, u.SQLiteDSN(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	db := open("sqlite://")
	ctx := t.Context()
	c1, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c1.ExecContext(ctx, "CREATE TABLE t (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.ExecContext(ctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Fatalf("second connection does not see the table: %v", err)
	}
	other := open("sqlite:///:memory:")
	if _, err := other.ExecContext(ctx, "SELECT * FROM t"); err == nil {
		t.Fatal("a second in-memory URL sees the first one's table")
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"postgresql", "mysql+pymysql", "sqlite", "mariadb", "oracle", "postgres+x"} {
		f.Add(s, "user", "hunter2pw", "host:5432/db?sslmode=disable")
	}
	f.Add("mysql", "u", "p@ss/w:rd", "h/d?charset=utf8mb4")
	f.Add("postgresql", "", "secret!!", "[::1]:5/d")
	f.Add("sqlite", "", "secret!!", "/app.db")
	f.Add("mysql", "u", "pw%41pw%41", "h/d?parseTime=x")
	f.Fuzz(func(t *testing.T, scheme, user, pass, rest string) {
		in := scheme + "://" + user + ":" + pass + "@" + rest
		u, err := config.ParseURL(in) // must not panic
		if len(pass) < 4 || strings.ContainsAny(pass, "@%") || strings.ContainsAny(user, ":/?@") {
			return // the password is not what follows user: up to @
		}
		// What the output shows with another password in its place: if that
		// holds pass too, pass is not only the password.
		other := scheme + "://" + user + ":" + "\x00@" + rest
		if u2, err2 := config.ParseURL(other); err2 != nil && strings.Contains(err2.Error(), pass) ||
			err2 == nil && strings.Contains(u2.Redacted(), pass) {
			return
		}
		if err != nil {
			if strings.Contains(err.Error(), pass) {
				t.Fatalf("ParseURL(%q) error shows the password: %v", in, err)
			}
			return
		}
		if r := u.Redacted(); strings.Contains(r, pass) {
			t.Fatalf("Redacted() of %q shows the password: %s", in, r)
		}
		if got, ok := u.Password(); !ok || got != pass {
			t.Fatalf("Password() of %q = %q, %v; want %q", in, got, ok, pass)
		}
	})
}
