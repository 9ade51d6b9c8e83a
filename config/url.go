package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
)

// Dialect names, as found in [URL.Dialect].
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
	MySQL    = "mysql"
)

// URL is a parsed database URL in SQLAlchemy's form
// (dialect[+driver]://user:password@host:port/database?key=value), so that an
// Alembic project's URL works unchanged.
//
// The password is kept unexported: [URL.String] and [URL.Redacted] print
// "***" in its place, and so does every error that ParseURL returns. Only
// [URL.DSN] and [URL.SQLiteDSN] hold it, for sql.Open.
type URL struct {
	// Scheme is the scheme as written, e.g. "postgresql+psycopg2".
	Scheme string
	// Dialect is Postgres, SQLite or MySQL (MariaDB is MySQL).
	Dialect string
	// Driver is the database/sql driver name: "pgx", "sqlite" (modernc.org/sqlite)
	// or "mysql" (github.com/go-sql-driver/mysql). The caller imports the driver.
	Driver string
	// DSN is what to pass to sql.Open(Driver, DSN). It holds the password.
	DSN string

	// User, Host, Port and Database are the URL's parts, decoded.
	// Host and Port are empty when the URL leaves them out.
	User     string
	Host     string
	Port     string
	Database string
	// Query holds the query parameters as written.
	Query url.Values

	// Path is the SQLite database file as written in the URL (relative paths
	// are relative to the working directory, as in SQLAlchemy); empty for an
	// in-memory database.
	Path string
	// Memory reports an in-memory SQLite database (sqlite:// or
	// sqlite:///:memory:). Its DSN names a database private to this URL
	// value that every connection of one *sql.DB shares; it lives as long as
	// one connection to it stays open.
	Memory bool

	password    string
	hasPassword bool
	busyTimeout time.Duration // from sqlite ?timeout=
	sqliteQuery url.Values    // modernc parameters kept for SQLiteDSN
	memName     string        // memdb name of an in-memory database
}

// SupportedSchemes returns the URL schemes ParseURL accepts, sorted: those
// of the engines registered in package dialect (the engine packages the
// program imports; package retort imports all of them).
func SupportedSchemes() []string { return dialect.Schemes() }

// dsnBuilders translate a URL into the DSN of a database/sql driver, by
// the driver's name ([dialect.Engine.Driver]).
var dsnBuilders = map[string]func(*URL) error{
	"pgx":    (*URL).postgres,
	"sqlite": (*URL).sqlite,
	"mysql":  (*URL).mysql,
}

var schemeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*$`) })

// ParseURL parses a database URL. Every error is a bad-input error
// (errors.Is fault.ErrBadInput) and never contains the password.
func ParseURL(s string) (*URL, error) {
	u, err := parseURL(s)
	if err != nil {
		return nil, fault.BadInput(err)
	}
	return u, nil
}

func parseURL(s string) (*URL, error) {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(s), "://")
	if !ok || !schemeRE().MatchString(scheme) {
		return nil, errors.New("database url must look like dialect[+driver]://user:password@host:port/database, e.g. postgresql://app@localhost/app or sqlite:///app.db")
	}
	engine, ok := dialect.ForScheme(scheme)
	if !ok {
		return nil, fmt.Errorf("database url: unsupported scheme %q; supported: %s", scheme, strings.Join(SupportedSchemes(), ", "))
	}
	build := dsnBuilders[engine.Driver]
	if build == nil {
		return nil, fmt.Errorf("database url: retort cannot write a DSN for the %q driver of %s", engine.Driver, engine.Product)
	}
	u := &URL{Scheme: scheme, Dialect: engine.Name, Driver: engine.Driver}
	if err := u.split(rest); err != nil {
		return nil, fmt.Errorf("database url %s: %w", u.Redacted(), err)
	}
	if err := build(u); err != nil {
		return nil, fmt.Errorf("database url %s: %w", u.Redacted(), err)
	}
	return u, nil
}

// split fills the user, password, host, port, database and query from what
// follows "://", in the way SQLAlchemy's URL pattern reads it: the password
// runs to the first "@" and may hold ":", "/", "?" and "#" unescaped.
func (u *URL) split(rest string) error {
	if at := strings.IndexByte(rest, '@'); at >= 0 {
		userinfo := rest[:at]
		name, pass, hasPass := strings.Cut(userinfo, ":")
		if !strings.ContainsAny(name, "/?") {
			var err error
			if u.User, err = url.PathUnescape(name); err != nil {
				return errors.New("user name: bad %-escape")
			}
			if hasPass {
				u.hasPassword = true
				if u.password, err = url.PathUnescape(pass); err != nil {
					u.password = pass
					return errors.New("password: bad %-escape")
				}
			}
			rest = rest[at+1:]
		}
	}
	rest, query, hasQuery := strings.Cut(rest, "?")
	hostport, db, _ := strings.Cut(rest, "/")
	if hasQuery {
		q, err := url.ParseQuery(query)
		if err != nil {
			return errors.New("query: malformed parameters")
		}
		u.Query = q
	}
	var err error
	if u.Database, err = url.PathUnescape(db); err != nil {
		return errors.New("database name: bad %-escape")
	}
	switch {
	case strings.HasPrefix(hostport, "["):
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return errors.New("host: missing ] after IPv6 address")
		}
		u.Host = hostport[1:end]
		after := hostport[end+1:]
		if after != "" {
			if after[0] != ':' {
				return errors.New("host: unexpected text after IPv6 address")
			}
			u.Port = after[1:]
		}
	case strings.Count(hostport, ":") == 1:
		u.Host, u.Port, _ = strings.Cut(hostport, ":")
	default:
		// "" or a host list such as h1:5432,h2:5432 (PostgreSQL), kept whole.
		u.Host = hostport
	}
	if u.Port != "" && !strings.Contains(u.Host, ",") {
		if n, err := strconv.Atoi(u.Port); err != nil || n < 0 || n > 65535 {
			return fmt.Errorf("port %q is not a number from 0 to 65535", u.Port)
		}
	}
	return nil
}

// Password returns the password and whether the URL has one.
func (u *URL) Password() (string, bool) { return u.password, u.hasPassword }

// hostPort joins Host and Port back, bracketing IPv6 addresses.
func (u *URL) hostPort() string {
	h := u.Host
	if strings.Contains(h, ":") && !strings.Contains(h, ",") {
		h = "[" + h + "]"
	}
	if u.Port != "" {
		h += ":" + u.Port
	}
	return h
}

// Redacted returns the URL with the password, and any password query
// parameter, replaced by "***".
func (u *URL) Redacted() string {
	var b strings.Builder
	b.WriteString(u.Scheme)
	b.WriteString("://")
	if u.User != "" || u.hasPassword {
		b.WriteString(url.PathEscape(u.User))
		if u.hasPassword {
			b.WriteString(":***")
		}
		b.WriteByte('@')
	}
	b.WriteString(u.hostPort())
	if u.Dialect == SQLite && u.Path != "" {
		b.WriteString("/" + u.Path)
	} else if u.Database != "" {
		b.WriteString("/" + escapeDB(u.Database))
	}
	if len(u.Query) > 0 {
		b.WriteByte('?')
		b.WriteString(redactQuery(u.Query).Encode())
	}
	return b.String()
}

// String returns [URL.Redacted].
func (u *URL) String() string { return u.Redacted() }

// escapeDB escapes a database name for a URL path but keeps "/" readable.
func escapeDB(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "%2F", "/")
}

func redactQuery(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		if isSecretParam(k) {
			v = slices.Repeat([]string{"***"}, len(v))
		}
		out[k] = v
	}
	return out
}

func isSecretParam(k string) bool {
	k = strings.ToLower(k)
	return strings.Contains(k, "password") || k == "passwd"
}

func (u *URL) postgres() error {
	var b strings.Builder
	b.WriteString("postgres://")
	if u.hasPassword {
		b.WriteString(url.UserPassword(u.User, u.password).String() + "@")
	} else if u.User != "" {
		b.WriteString(url.User(u.User).String() + "@")
	}
	b.WriteString(u.hostPort())
	b.WriteString("/" + url.PathEscape(u.Database))
	if len(u.Query) > 0 {
		b.WriteString("?" + u.Query.Encode())
	}
	u.DSN = b.String()
	return nil
}

// mysqlIgnored are PyMySQL and mysqlclient connect arguments that mean
// nothing to go-sql-driver/mysql (strings are always Unicode there).
var mysqlIgnored = []string{"use_unicode", "binary_prefix", "program_name"}

// mysqlPythonOnly are PyMySQL and mysqlclient connect arguments with no
// go-sql-driver/mysql parameter of the same meaning, and what to write
// instead.
var mysqlPythonOnly = map[string]string{
	"ssl": "tls=true", "ssl_ca": "tls=true", "ssl_capath": "tls=true", "ssl_cert": "tls=true", "ssl_key": "tls=true",
	"ssl_cipher": "tls=true", "ssl_verify_cert": "tls=true or tls=skip-verify", "ssl_verify_identity": "tls=true",
	"ssl_check_hostname": "tls=true or tls=skip-verify", "ssl_disabled": "tls=false",
	"init_command": "a system variable as a parameter, e.g. sql_mode=ANSI_QUOTES", "autocommit": "nothing (retort manages transactions)",
	"client_flag": "the go-sql-driver/mysql parameter for the flag", "defer_connect": "nothing", "auth_plugin_map": "allowNativePasswords or allowCleartextPasswords",
	"server_public_key": "serverPubKey", "local_infile": "nothing: retort refuses to let the server read local files",
}

// mysqlCheck refuses the parameters that would let the server read the
// client's files or send the password in clear over an unencrypted
// connection, and multiStatements (retort sends one statement per Exec so
// that an error names its statement).
func mysqlCheck(params url.Values) error {
	on := func(k string) bool {
		switch strings.ToLower(params.Get(k)) {
		case "1", "true":
			return true
		}
		return false
	}
	if on("allowAllFiles") {
		return errors.New("query parameter allowAllFiles=true is refused: it lets the server read any file of this machine (LOAD DATA LOCAL INFILE); remove it")
	}
	if on("allowCleartextPasswords") {
		switch strings.ToLower(params.Get("tls")) {
		case "", "false", "0", "preferred":
			return errors.New("query parameter allowCleartextPasswords=true is refused without TLS: the password would cross the network in clear; add tls=true (or tls=skip-verify), or remove it")
		}
	}
	if on("multiStatements") {
		return errors.New("query parameter multiStatements=true is refused: retort sends one statement at a time so that an error names its statement; remove it")
	}
	return nil
}

// hasAny reports whether the URL has one of the query parameters keys.
func (u *URL) hasAny(keys ...string) bool {
	for _, k := range keys {
		if _, ok := u.Query[k]; ok {
			return true
		}
	}
	return false
}

// mysqlAliases maps SQLAlchemy (PyMySQL, mysqlclient) connect arguments to
// go-sql-driver parameters; the values in seconds become durations.
var mysqlAliases = map[string]string{
	"connect_timeout": "timeout",
	"read_timeout":    "readTimeout",
	"write_timeout":   "writeTimeout",
}

func (u *URL) mysql() error {
	cfg := mysql.NewConfig()
	cfg.User = u.User
	cfg.Passwd = u.password
	cfg.DBName = u.Database
	cfg.ParseTime = true
	// Placeholders are filled in by the driver (escaped for the
	// connection's character set and sql_mode), not by a server-side
	// prepared statement: one round trip a query instead of three. A URL
	// that names its own charset or collation (the driver refuses to
	// interpolate under some multibyte ones) or interpolateParams keeps
	// the driver's default.
	cfg.InterpolateParams = !u.hasAny("charset", "collation", "interpolateParams")
	cfg.Net = "tcp"
	host, port := u.Host, u.Port
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "3306"
	}
	cfg.Addr = net.JoinHostPort(host, port)
	params := url.Values{}
	for k, vs := range u.Query {
		v := vs[len(vs)-1]
		switch {
		case k == "unix_socket":
			cfg.Net, cfg.Addr = "unix", v
		case mysqlAliases[k] != "":
			secs, err := strconv.ParseFloat(v, 64)
			if err != nil || secs < 0 {
				return fmt.Errorf("query parameter %s=%q: want a number of seconds", k, v)
			}
			params.Set(mysqlAliases[k], time.Duration(secs*float64(time.Second)).String())
		case slices.Contains(mysqlIgnored, k):
		case mysqlPythonOnly[k] != "":
			return fmt.Errorf("query parameter %q is a Python driver's; go-sql-driver/mysql has no such parameter: use %s", k, mysqlPythonOnly[k])
		default:
			// go-sql-driver/mysql's own parameters, and system
			// variables (sql_mode, time_zone, ...), which it sets on
			// each new connection.
			params.Set(k, v)
		}
	}
	if err := mysqlCheck(params); err != nil {
		return err
	}
	dsn := cfg.FormatDSN()
	if len(params) > 0 {
		sep := "?"
		if strings.Contains(dsn[strings.LastIndexByte(dsn, '/'):], "?") {
			sep = "&"
		}
		dsn += sep + params.Encode()
	}
	parsed, err := mysql.ParseDSN(dsn)
	if err != nil {
		if u.password != "" && strings.Contains(err.Error(), u.password) {
			return errors.New("query parameters: invalid value")
		}
		return fmt.Errorf("query parameters: %w", err)
	}
	u.DSN = parsed.FormatDSN()
	return nil
}

// sqliteParams are modernc.org/sqlite and SQLite URI parameters that pass
// through to the DSN.
var sqliteParams = []string{
	"_pragma", "_txlock", "_time_format", "_time_integer_format", "_timezone",
	"_busy_timeout", "_timeout", "_foreign_keys", "_fk", "_journal_mode",
	"_journal", "_synchronous", "_sync", "_auto_vacuum", "_vacuum",
	"_query_only", "_dqs", "_inttotime", "_texttotime",
	"vfs", "mode", "cache", "immutable", "nolock", "psow",
}

// sqliteIgnored are pysqlite connect arguments that mean nothing in Go.
var sqliteIgnored = []string{"check_same_thread", "uri", "cached_statements", "detect_types", "isolation_level", "factory"}

var memoryDBs atomic.Uint64

func (u *URL) sqlite() error {
	if u.User != "" || u.hasPassword || u.Host != "" || u.Port != "" {
		return errors.New("a SQLite url has no user, password or host: write sqlite:///relative/path.db or sqlite:////absolute/path.db")
	}
	u.Path = strings.TrimPrefix(u.Database, "file:")
	u.Database = ""
	if u.Path == "" || u.Path == ":memory:" {
		u.Path, u.Memory = "", true
	}
	if strings.ContainsAny(u.Path, "?#") {
		return errors.New("a SQLite file path cannot contain ? or #")
	}
	q := url.Values{}
	for k, vs := range u.Query {
		switch {
		case k == "timeout":
			secs, err := strconv.ParseFloat(vs[len(vs)-1], 64)
			if err != nil || secs < 0 || secs > 1e6 {
				return fmt.Errorf("query parameter timeout=%q: want a number of seconds", vs[len(vs)-1])
			}
			u.busyTimeout = time.Duration(secs * float64(time.Second))
		case slices.Contains(sqliteIgnored, k):
		case slices.Contains(sqliteParams, k):
			q[k] = vs
		default:
			return fmt.Errorf("query parameter %q is not supported for SQLite; supported: timeout, %s", k, strings.Join(sqliteParams, ", "))
		}
	}
	u.sqliteQuery = q
	u.DSN = u.sqliteBase(q)
	return nil
}

// sqliteBase returns the DSN for modernc.org/sqlite with the given parameters.
func (u *URL) sqliteBase(q url.Values) string {
	if u.Memory {
		// memdb VFS: one database per name, shared by every connection of
		// the process that names it, with ordinary locking (unlike
		// cache=shared). A fresh name per URL keeps tests apart.
		m := url.Values{"vfs": {"memdb"}}
		for k, v := range q {
			if k != "vfs" {
				m[k] = v
			}
		}
		if u.memName == "" {
			u.memName = fmt.Sprintf("/retort-memory-%d-%d", os.Getpid(), memoryDBs.Add(1))
		}
		return "file:" + u.memName + "?" + m.Encode()
	}
	if len(q) == 0 {
		return u.Path
	}
	return u.Path + "?" + q.Encode()
}

// Local reports a database reached without a server: in a file (Path)
// or in memory.
func (u *URL) Local() bool { return u.Path != "" || u.Memory }

// WithDatabase returns a copy of a server URL naming the database name
// of the same server instead, with its DSN to match.
func (u *URL) WithDatabase(name string) (*URL, error) {
	if u.Path != "" || u.Memory {
		return nil, fmt.Errorf("database url %s: a file or in-memory database has no other databases", u.Redacted())
	}
	c := *u
	c.Database = name
	if err := dsnBuilders[c.Driver](&c); err != nil {
		return nil, fmt.Errorf("database url %s: %w", c.Redacted(), err)
	}
	return &c, nil
}

// OpenDSN returns the DSN retort opens the URL with: [URL.SQLiteDSN]
// with busyTimeout for an SQLite URL, else DSN. A database held in a
// file has Path set; one in memory has Memory set (open it with one
// connection).
func (u *URL) OpenDSN(busyTimeout time.Duration) string {
	if s := u.SQLiteDSN(busyTimeout); s != "" {
		return s
	}
	return u.DSN
}

// SQLiteDSN returns the DSN for modernc.org/sqlite as retort opens it: the
// URL's DSN plus busy_timeout (the URL's ?timeout= if given, else
// busyTimeout), foreign_keys on and BEGIN IMMEDIATE transactions, unless
// the URL sets them itself. It returns "" for a URL of another dialect.
func (u *URL) SQLiteDSN(busyTimeout time.Duration) string {
	if u.Dialect != SQLite {
		return ""
	}
	if u.busyTimeout > 0 {
		busyTimeout = u.busyTimeout
	}
	q := url.Values{}
	for k, v := range u.sqliteQuery {
		q[k] = slices.Clone(v)
	}
	pragmas := strings.ToLower(strings.Join(q["_pragma"], ","))
	if !strings.Contains(pragmas, "busy_timeout") && q.Get("_busy_timeout") == "" && q.Get("_timeout") == "" {
		q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	}
	if !strings.Contains(pragmas, "foreign_keys") && q.Get("_foreign_keys") == "" && q.Get("_fk") == "" {
		q.Add("_pragma", "foreign_keys(1)")
	}
	if q.Get("_txlock") == "" {
		q.Set("_txlock", "immediate")
	}
	return u.sqliteBase(q)
}
