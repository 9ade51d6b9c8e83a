package retorttest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/retortdb/retort/config"
)

// database is one test's database: an open pool and how to drop it.
type database struct {
	db      *sql.DB
	dialect string
	// url is the database's URL, for messages (redacted).
	url  string
	drop func(ctx context.Context) error
}

// chooseEngine decides where tests run: the engine name and, for
// PostgreSQL, the server URL. skip is set when the project needs a
// server that is not configured.
func (c *Config) chooseEngine(settings *config.Config) (engine string, server *config.URL, skip string, err error) {
	raw := c.URL
	if raw == "" {
		raw = os.Getenv(PostgresEnv)
	}
	var u *config.URL
	if raw != "" {
		if u, err = config.ParseURL(raw); err != nil {
			return "", nil, "", fmt.Errorf("test database URL: %w", err)
		}
	}
	engine = c.Dialect
	switch {
	case engine != "":
	case c.URL != "" && u != nil:
		engine = u.Dialect
	case settings != nil && settings.URL != nil:
		engine = settings.URL.Dialect
	case u != nil:
		engine = u.Dialect
	default:
		engine = config.SQLite
	}
	switch engine {
	case config.SQLite:
		return engine, nil, "", nil
	case config.Postgres:
		if u == nil || u.Dialect != config.Postgres {
			return engine, nil, fmt.Sprintf("the migrations are for PostgreSQL: set %s (or Config.URL) to a PostgreSQL server URL to test them", PostgresEnv), nil
		}
		return engine, u, "", nil
	}
	return "", nil, "", fmt.Errorf("retorttest: dialect %q is not supported; use sqlite or postgres", engine)
}

// openSQLite opens a private SQLite database in memory.
func openSQLite() (*database, error) {
	u, err := config.ParseURL("sqlite://")
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(u.Driver, u.SQLiteDSN(5*time.Second))
	if err != nil {
		return nil, err
	}
	// One connection: the in-memory database lives as long as it does,
	// and SQLite writes one at a time anyway.
	db.SetMaxOpenConns(1)
	return &database{db: db, dialect: config.SQLite, url: "sqlite:// (memory)", drop: func(context.Context) error { return db.Close() }}, nil
}

// server is a PostgreSQL server that test databases are made on: an
// administrative pool, shared by every test of the process.
type server struct {
	admin *sql.DB
	dsn   *url.URL
	// templates maps a template name to its creation, done once.
	mu        sync.Mutex
	templates map[string]*templateOnce
}

type templateOnce struct {
	once sync.Once
	err  error
}

var (
	serversMu sync.Mutex
	servers   = map[string]*server{}
)

// serverFor returns the shared server for u.
func serverFor(u *config.URL) (*server, error) {
	serversMu.Lock()
	defer serversMu.Unlock()
	if s := servers[u.DSN]; s != nil {
		return s, nil
	}
	dsn, err := url.Parse(u.DSN)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL URL %s does not parse", u.Redacted())
	}
	admin, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", u.Redacted(), err)
	}
	admin.SetMaxIdleConns(2)
	admin.SetConnMaxIdleTime(30 * time.Second)
	s := &server{admin: admin, dsn: dsn, templates: map[string]*templateOnce{}}
	servers[u.DSN] = s
	return s, nil
}

// templateLockKey is the advisory lock that serialises template creation
// across processes ("retortts" in ASCII).
const templateLockKey = 0x7265746f72747473

// templateName names the template for a set of setup statements, so
// projects with different setups never share one.
func templateName(setup []string) string {
	h := sha256.Sum256([]byte("retorttest/v1\x00" + strings.Join(setup, "\x00")))
	return "retorttest_tpl_" + hex.EncodeToString(h[:6])
}

// template makes sure the template database exists, once per process.
func (s *server) template(ctx context.Context, setup []string) (string, error) {
	name := templateName(setup)
	s.mu.Lock()
	t := s.templates[name]
	if t == nil {
		t = &templateOnce{}
		s.templates[name] = t
	}
	s.mu.Unlock()
	t.once.Do(func() { t.err = s.makeTemplate(ctx, name, setup) })
	return name, t.err
}

// makeTemplate creates the template under an advisory lock unless
// another process already has. It is built under a temporary name and
// renamed when complete, so a half-made template is never cloned.
func (s *server) makeTemplate(ctx context.Context, name string, setup []string) error {
	conn, err := s.admin.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to make template %s: %w", name, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(templateLockKey)); err != nil {
		return fmt.Errorf("lock to make template %s: %w", name, err)
	}
	defer func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(templateLockKey))
	}()
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("look for template %s: %w", name, err)
	}
	if exists {
		return nil
	}
	building := name + "_building"
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(building)+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("make template %s: %w", name, err)
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(building)+" TEMPLATE template0"); err != nil {
		return fmt.Errorf("make template %s: %w", name, err)
	}
	if len(setup) > 0 {
		if err := s.runSetup(ctx, building, setup); err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+quoteIdent(building)+" WITH (FORCE)")
			return fmt.Errorf("set up template %s: %w", name, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+quoteIdent(building)+" RENAME TO "+quoteIdent(name)); err != nil {
		return fmt.Errorf("make template %s: %w", name, err)
	}
	// Nobody connects to the template, so cloning it never finds it
	// busy; best effort, as it needs the owner's rights.
	_, _ = conn.ExecContext(ctx, "ALTER DATABASE "+quoteIdent(name)+" WITH ALLOW_CONNECTIONS false")
	return nil
}

// runSetup runs the setup statements in database name.
func (s *server) runSetup(ctx context.Context, name string, setup []string) error {
	db, err := sql.Open("pgx", s.dsnFor(name))
	if err != nil {
		return err
	}
	defer db.Close()
	for _, stmt := range setup {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// dsnFor returns the server's DSN with the database replaced by name.
func (s *server) dsnFor(name string) string {
	u := *s.dsn
	u.Path, u.RawPath = "/"+name, ""
	return u.String()
}

// SQLSTATEs the clone handles.
const (
	objectInUse        = "55006" // source database is being accessed by other users
	invalidCatalogName = "3D000" // the template does not exist (dropped by someone)
)

// openPostgres clones a fresh database for the test called label from
// the template and opens it.
func openPostgres(ctx context.Context, u *config.URL, setup []string, label string) (*database, error) {
	s, err := serverFor(u)
	if err != nil {
		return nil, err
	}
	tpl, err := s.template(ctx, setup)
	if err != nil {
		return nil, err
	}
	name := dbName(label)
	if err := s.clone(ctx, name, tpl, setup); err != nil {
		return nil, fmt.Errorf("create test database %s on %s: %w", name, u.Redacted(), err)
	}
	drop := func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		_, err := s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(name)+" WITH (FORCE)")
		if err != nil {
			return fmt.Errorf("drop test database %s: %w", name, err)
		}
		return nil
	}
	db, err := sql.Open("pgx", s.dsnFor(name))
	if err != nil {
		_ = drop(ctx)
		return nil, err
	}
	db.SetMaxOpenConns(4)
	return &database{db: db, dialect: config.Postgres, url: name, drop: func(ctx context.Context) error {
		_ = db.Close()
		return drop(ctx)
	}}, nil
}

// clone runs CREATE DATABASE name TEMPLATE tpl, retrying while the
// template is busy and remaking it if another process dropped it.
func (s *server) clone(ctx context.Context, name, tpl string, setup []string) error {
	stmt := "CREATE DATABASE " + quoteIdent(name) + " TEMPLATE " + quoteIdent(tpl)
	remade := false
	for attempt := 1; ; attempt++ {
		_, err := s.admin.ExecContext(ctx, stmt)
		if err == nil {
			return nil
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			return err
		}
		switch {
		case pe.Code == objectInUse && attempt < 100:
			wait := time.Duration(attempt) * 10 * time.Millisecond
			select {
			case <-ctx.Done():
				return errors.Join(err, ctx.Err())
			case <-time.After(min(wait, 250*time.Millisecond)):
			}
		case pe.Code == invalidCatalogName && !remade:
			remade = true
			if err := s.makeTemplate(ctx, tpl, setup); err != nil {
				return err
			}
		default:
			return err
		}
	}
}

// dbName returns a fresh database name that shows the test it is for.
func dbName(label string) string {
	var b strings.Builder
	b.WriteString("retorttest_")
	for _, r := range strings.ToLower(label) {
		if b.Len() >= 40 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	var buf [6]byte
	_, _ = rand.Read(buf[:])
	b.WriteString("_" + hex.EncodeToString(buf[:]))
	return b.String()
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
