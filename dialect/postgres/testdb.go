package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/retortdb/retort/dialect"
)

// CreateTestDatabase clones a fresh database name from a template made
// once per server and setup (CREATE DATABASE ... TEMPLATE), which is
// much faster than creating an empty database and running setup in it
// for every test. The template is built under a temporary name, with
// setup run in it, and renamed when complete, under an advisory lock,
// so concurrent test processes make it once and never clone a half-made
// one. drop removes the database WITH (FORCE).
func (d Dialect) CreateTestDatabase(ctx context.Context, srv dialect.Server, name string, setup []string) (func(context.Context) error, error) {
	s := testServerFor(srv)
	tpl, err := s.template(ctx, setup)
	if err != nil {
		return nil, err
	}
	if err := s.clone(ctx, name, tpl, setup); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if _, err := srv.Admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+d.QuoteIdent(name)+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop test database %s: %w", name, err)
		}
		return nil
	}, nil
}

// testServer keeps the templates made on one server.
type testServer struct {
	srv dialect.Server
	// templates maps a template name to its creation, done once.
	mu        sync.Mutex
	templates map[string]*templateOnce
}

type templateOnce struct {
	once sync.Once
	err  error
}

var (
	testServersMu sync.Mutex
	testServers   = map[*sql.DB]*testServer{}
)

func testServerFor(srv dialect.Server) *testServer {
	testServersMu.Lock()
	defer testServersMu.Unlock()
	s := testServers[srv.Admin]
	if s == nil {
		s = &testServer{srv: srv, templates: map[string]*templateOnce{}}
		testServers[srv.Admin] = s
	}
	return s
}

// templateLockKey is the advisory lock that serialises template creation
// across processes ("retortts" in ASCII).
const templateLockKey = 0x7265746f72747473

// TemplateName names the template database that CreateTestDatabase
// clones for a set of setup statements (retorttest_tpl_<hash>), so that
// projects with different setups never share one, and a test can drop
// it.
func TemplateName(setup []string) string {
	h := sha256.Sum256([]byte("retorttest/v1\x00" + strings.Join(setup, "\x00")))
	return "retorttest_tpl_" + hex.EncodeToString(h[:6])
}

// template makes sure the template database exists, once per process.
func (s *testServer) template(ctx context.Context, setup []string) (string, error) {
	name := TemplateName(setup)
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
func (s *testServer) makeTemplate(ctx context.Context, name string, setup []string) error {
	conn, err := s.srv.Admin.Conn(ctx)
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
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+Dialect{}.QuoteIdent(building)+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("make template %s: %w", name, err)
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+Dialect{}.QuoteIdent(building)+" TEMPLATE template0"); err != nil {
		return fmt.Errorf("make template %s: %w", name, err)
	}
	if len(setup) > 0 {
		if err := s.runSetup(ctx, building, setup); err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+Dialect{}.QuoteIdent(building)+" WITH (FORCE)")
			return fmt.Errorf("set up template %s: %w", name, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+Dialect{}.QuoteIdent(building)+" RENAME TO "+Dialect{}.QuoteIdent(name)); err != nil {
		return fmt.Errorf("make template %s: %w", name, err)
	}
	// Nobody connects to the template, so cloning it never finds it
	// busy; best effort, as it needs the owner's rights.
	_, _ = conn.ExecContext(ctx, "ALTER DATABASE "+Dialect{}.QuoteIdent(name)+" WITH ALLOW_CONNECTIONS false")
	return nil
}

// runSetup runs the setup statements in database name.
func (s *testServer) runSetup(ctx context.Context, name string, setup []string) error {
	db, err := s.srv.Open(name)
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

// SQLSTATEs the clone handles.
const (
	objectInUse        = "55006" // source database is being accessed by other users
	invalidCatalogName = "3D000" // the template does not exist (dropped by someone)
)

// clone runs CREATE DATABASE name TEMPLATE tpl, retrying while the
// template is busy and remaking it if another process dropped it.
func (s *testServer) clone(ctx context.Context, name, tpl string, setup []string) error {
	stmt := "CREATE DATABASE " + Dialect{}.QuoteIdent(name) + " TEMPLATE " + Dialect{}.QuoteIdent(tpl)
	remade := false
	for attempt := 1; ; attempt++ {
		_, err := s.srv.Admin.ExecContext(ctx, stmt)
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
