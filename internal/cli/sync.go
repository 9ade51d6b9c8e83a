package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/appdb"
	"github.com/retortdb/retort/config"
)

func (a *app) syncCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "sync",
		Short: "Create an empty database from target_schema and stamp the heads, or upgrade it",
		Long: `sync brings the database to the scripts' heads whatever it starts from.

An empty database (no version table) is built by running target_schema
(schema.sql) and stamped at the heads, in one transaction; without that
file it is built by running every migration. A database with a version
table is upgraded to heads, or left alone when it is there already. A
database holding a revision the scripts do not have is an error. The
work happens under the version table's lock, so concurrent runs wait for
each other and do it once.`,
		Args: args(0, 0),
		RunE: run(func(ctx context.Context, _ []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			if cfg.URL == nil {
				return badInput("no database URL: set url in %s (or DATABASE_URL)", cfg.File)
			}
			db, err := openDB(ctx, cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			opts := []retort.Option{retort.WithLogger(a.logger()), retort.WithConn(db), retort.WithDialect(cfg.URL.Dialect)}
			env, err := retort.Open(ctx, cfg, append(opts, a.extra...)...)
			if err != nil {
				return err
			}
			schemaSQL, err := os.ReadFile(cfg.TargetSchema)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("target_schema: %w", err)
			}
			m, err := appdb.OpenEnv(env, db, appdb.Config{SchemaSQL: string(schemaSQL)})
			if err != nil {
				return err
			}
			res, err := m.Sync(ctx)
			if err != nil {
				return err
			}
			a.result(syncJSON{Result: res.String(), Message: res.Message()}, func(io.Writer) { a.msg("%s", res.Message()) })
			return nil
		}),
	}
}

// syncJSON is sync's data: what it did, and Alembic-helpers' words for it.
type syncJSON struct {
	Result  string `json:"result"`
	Message string `json:"message"`
}

// openDB opens and pings the config's database as retort does.
func openDB(ctx context.Context, cfg *config.Config) (*sql.DB, error) {
	u := cfg.URL
	dsn := u.OpenDSN(cfg.LockTimeout)
	db, err := sql.Open(u.Driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", u.Redacted(), err)
	}
	if u.Memory {
		db.SetMaxOpenConns(1)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s is unreachable: %w", u.Redacted(), err)
	}
	return db, nil
}
