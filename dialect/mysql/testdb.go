package mysql

import (
	"context"
	"fmt"
	"time"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.TestServer = Dialect{}

// CreateTestDatabase creates the database name on the server and runs
// the setup statements in it; drop drops it. MySQL has no template
// databases, so setup runs for each test database.
func (d Dialect) CreateTestDatabase(ctx context.Context, srv dialect.Server, name string, setup []string) (func(context.Context) error, error) {
	if _, err := srv.Admin.ExecContext(ctx, "CREATE DATABASE "+d.QuoteIdent(name)); err != nil {
		return nil, fmt.Errorf("create test database %s: %w", name, err)
	}
	drop := func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if _, err := srv.Admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+d.QuoteIdent(name)); err != nil {
			return fmt.Errorf("drop test database %s: %w", name, err)
		}
		return nil
	}
	if len(setup) == 0 {
		return drop, nil
	}
	db, err := srv.Open(name)
	if err != nil {
		_ = drop(ctx)
		return nil, fmt.Errorf("test database %s: %w", name, err)
	}
	defer db.Close()
	for _, s := range setup {
		if _, err := db.ExecContext(ctx, s); err != nil {
			_ = drop(ctx)
			return nil, fmt.Errorf("test database %s: setup: %w", name, err)
		}
	}
	return drop, nil
}
