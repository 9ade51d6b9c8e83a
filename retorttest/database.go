package retorttest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/dialect"
)

// database is one test's database: an open pool and how to drop it.
type database struct {
	db      *sql.DB
	dialect dialect.Dialect
	// url is the database's URL, for messages (redacted).
	url  string
	drop func(ctx context.Context) error
}

// serverEnv names the environment variable holding the URL of a server
// of engine to test on: RETORT_TEST_<ENGINE>_URL ([PostgresEnv] for
// PostgreSQL).
func serverEnv(engine string) string {
	return "RETORT_TEST_" + strings.ToUpper(engine) + "_URL"
}

// chooseEngine decides where tests run: the engine and, for an engine
// that tests on a server (dialect.TestServer), the server's URL; skip is
// set when such a server is not configured. An engine retort does not
// know, or cannot test on, is an error: nothing falls back to another
// engine.
func (c *Config) chooseEngine(settings *config.Config) (d dialect.Dialect, server *config.URL, skip string, err error) {
	var u *config.URL
	if c.URL != "" {
		if u, err = config.ParseURL(c.URL); err != nil {
			return nil, nil, "", fmt.Errorf("test database URL: %w", err)
		}
	} else {
		u = c.Server
	}
	engine := c.Dialect
	switch {
	case engine != "":
	case u != nil:
		engine = u.Dialect
	case settings != nil && settings.URL != nil:
		engine = settings.URL.Dialect
	case os.Getenv(PostgresEnv) != "":
		engine = "postgres"
	default:
		engine = DefaultEngine
	}
	if d, err = dialect.New(engine); err != nil {
		return nil, nil, "", fmt.Errorf("retorttest: %w", err)
	}
	product := engine
	if e, err := dialect.Lookup(engine); err == nil {
		product = e.Product
	}
	switch d.(type) {
	case dialect.TestServer:
		if u == nil {
			if raw := os.Getenv(serverEnv(engine)); raw != "" {
				if u, err = config.ParseURL(raw); err != nil {
					return nil, nil, "", fmt.Errorf("%s: %w", serverEnv(engine), err)
				}
			}
		}
		if u == nil || u.Dialect != engine {
			return d, nil, fmt.Sprintf("the migrations are for %s: set %s (or %s) to a %s server URL to test them", product, serverEnv(engine), c.terms().URL, product), nil
		}
		return d, u, "", nil
	case dialect.MemoryOpener:
		return d, nil, "", nil
	}
	return nil, nil, "", fmt.Errorf("retorttest: the %s dialect cannot make test databases (dialect.TestServer or dialect.MemoryOpener)", product)
}

// openDatabase opens a fresh database for the test called label: on
// the server for an engine that tests on one, else in memory.
func openDatabase(ctx context.Context, d dialect.Dialect, u *config.URL, setup []string, label string) (*database, error) {
	switch d := d.(type) {
	case dialect.TestServer:
		return openOnServer(ctx, d, u, setup, label)
	case dialect.MemoryOpener:
		db, err := d.OpenMemory()
		if err != nil {
			return nil, err
		}
		return &database{db: db, dialect: d.(dialect.Dialect), url: "(memory)", drop: func(context.Context) error { return db.Close() }}, nil
	}
	return nil, fmt.Errorf("retorttest: the %s dialect cannot make test databases", d.Name())
}

var (
	serversMu sync.Mutex
	servers   = map[string]dialect.Server{}
)

// serverFor returns the administrative pool of u's server, shared by
// every test of the process.
func serverFor(u *config.URL) (dialect.Server, error) {
	serversMu.Lock()
	defer serversMu.Unlock()
	if s, ok := servers[u.DSN]; ok {
		return s, nil
	}
	admin, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		return dialect.Server{}, fmt.Errorf("open %s: %w", u.Redacted(), err)
	}
	admin.SetMaxIdleConns(2)
	admin.SetConnMaxIdleTime(30 * time.Second)
	s := dialect.Server{Admin: admin, Open: func(name string) (*sql.DB, error) {
		du, err := u.WithDatabase(name)
		if err != nil {
			return nil, err
		}
		return sql.Open(du.Driver, du.DSN)
	}}
	servers[u.DSN] = s
	return s, nil
}

// openOnServer creates a fresh database for the test called label on
// the server of u and opens it.
func openOnServer(ctx context.Context, d dialect.TestServer, u *config.URL, setup []string, label string) (*database, error) {
	s, err := serverFor(u)
	if err != nil {
		return nil, err
	}
	name := dbName(label)
	drop, err := d.CreateTestDatabase(ctx, s, name, setup)
	if err != nil {
		return nil, fmt.Errorf("create test database %s on %s: %w", name, u.Redacted(), err)
	}
	db, err := s.Open(name)
	if err != nil {
		_ = drop(ctx)
		return nil, err
	}
	db.SetMaxOpenConns(4)
	return &database{db: db, dialect: d.(dialect.Dialect), url: name, drop: func(ctx context.Context) error {
		_ = db.Close()
		return drop(ctx)
	}}, nil
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
