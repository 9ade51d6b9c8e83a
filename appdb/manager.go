package appdb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

// Manager manages one application database: its status against the
// code's migrations, creating it fresh, upgrading it, and Sync, which
// does whichever is due. It is safe for concurrent use.
type Manager struct {
	env     *retort.Env
	db      *sql.DB
	ownDB   bool
	dialect dialect.Dialect
	table   dialect.Ident
	target  *schema.Database
	sql     string
}

// Open checks cfg, connects to the database and loads the migrations.
// A bad URL, a struct without a primary key, a malformed revision and an
// unreachable database all fail here, at start-up, with what is wrong.
func Open(ctx context.Context, cfg Config) (*Manager, error) {
	target, err := buildTarget(cfg)
	if err != nil {
		return nil, err
	}
	rcfg, err := config.Parse([]byte("[retort]\nurl = \"\"\n"), "")
	if err != nil {
		return nil, err
	}
	if cfg.VersionTable != "" {
		rcfg.VersionTable = cfg.VersionTable
	}
	rcfg.VersionTableSchema = cfg.VersionTableSchema
	switch {
	case cfg.LockTimeout > 0:
		rcfg.LockTimeout = cfg.LockTimeout
	case cfg.LockTimeout < 0:
		rcfg.LockTimeout = 0
	default:
		rcfg.LockTimeout = DefaultLockTimeout
	}

	opts := []retort.Option{}
	if cfg.Logger != nil {
		opts = append(opts, retort.WithLogger(cfg.Logger))
	}
	if cfg.Registry != nil {
		opts = append(opts, retort.WithRegistry(cfg.Registry))
	}
	switch {
	case cfg.Migrations != nil:
		dir := cfg.MigrationsDir
		if dir == "" {
			dir = "."
		}
		opts = append(opts, retort.WithFS(cfg.Migrations, dir))
	default:
		dir := cfg.MigrationsDir
		named := dir != ""
		if !named {
			dir = DefaultMigrationsDir
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(abs); errors.Is(err, fs.ErrNotExist) {
			if named {
				return nil, badInput(fmt.Errorf("migrations folder %s does not exist; create it (retort init) or fix MigrationsDir / %s", dir, EnvMigrations))
			}
			// No revisions yet: an empty embed.FS is an empty folder.
			opts = append(opts, retort.WithFS(embed.FS{}, "."))
			break
		}
		rcfg.VersionLocations = []string{abs}
	}

	db, own, name, err := connect(ctx, cfg, rcfg.LockTimeout)
	if err != nil {
		return nil, err
	}
	opts = append(opts, retort.WithConn(db), retort.WithDialect(name))
	env, err := retort.Open(ctx, rcfg, opts...)
	if err != nil {
		if own {
			db.Close()
		}
		return nil, err
	}
	m := newManager(env, db, target, cfg.SchemaSQL)
	m.ownDB = own
	return m, nil
}

// OpenEnv builds a Manager on an environment the caller opened (from a
// retort.toml, say) with retort.WithConn(db). cfg supplies only what a
// fresh database is created from (Target, Models, SchemaSQL); its
// connection and migration fields must be empty. The Manager does not
// close db.
func OpenEnv(env *retort.Env, db *sql.DB, cfg Config) (*Manager, error) {
	if cfg.URL != "" || cfg.DB != nil || cfg.Migrations != nil || cfg.MigrationsDir != "" || cfg.Registry != nil ||
		cfg.VersionTable != "" || cfg.VersionTableSchema != "" || cfg.LockTimeout != 0 {
		return nil, badInput(errors.New("OpenEnv: the environment decides the connection, migrations and version table; set only Target, Models and SchemaSQL"))
	}
	target, err := buildTarget(cfg)
	if err != nil {
		return nil, err
	}
	return newManager(env, db, target, cfg.SchemaSQL), nil
}

func newManager(env *retort.Env, db *sql.DB, target *schema.Database, sqlText string) *Manager {
	return &Manager{
		env:     env,
		db:      db,
		dialect: env.Dialect(),
		table:   env.VersionTable(),
		target:  target,
		sql:     sqlText,
	}
}

// buildTarget joins cfg.Target and the tables of cfg.Models.
func buildTarget(cfg Config) (*schema.Database, error) {
	if cfg.Target != nil && cfg.SchemaSQL != "" || len(cfg.Models) > 0 && cfg.SchemaSQL != "" {
		return nil, badInput(errors.New("set either SchemaSQL or Target/Models, not both"))
	}
	if len(cfg.Models) == 0 {
		return cfg.Target, nil
	}
	db := &schema.Database{}
	if cfg.Target != nil {
		c := *cfg.Target
		c.Tables = slices.Clone(c.Tables)
		db = &c
	}
	tables, err := schema.Tables(cfg.Models...)
	if err != nil {
		return nil, badInput(err)
	}
	for _, t := range tables {
		if db.Table(t.Schema, t.Name) != nil {
			return nil, badInput(fmt.Errorf("table %s is described twice (Target and Models)", t.Name))
		}
		db.Tables = append(db.Tables, t)
	}
	return db, nil
}

// connect opens cfg.URL (or takes cfg.DB) and pings it.
func connect(ctx context.Context, cfg Config, busy time.Duration) (*sql.DB, bool, string, error) {
	if cfg.DB != nil {
		name := cfg.Dialect
		if name == "" {
			if e, ok := dialect.Detect(cfg.DB); ok {
				name = e.Name
			}
		}
		if name == "" {
			return nil, false, "", badInput(errors.New("cannot tell the database engine of Config.DB; set Config.Dialect (postgres or sqlite)"))
		}
		if err := cfg.DB.PingContext(ctx); err != nil {
			return nil, false, "", fmt.Errorf("database unreachable: %w", err)
		}
		return cfg.DB, false, name, nil
	}
	raw := cfg.URL
	if raw == "" {
		raw = DefaultURL
	}
	u, err := config.ParseURL(raw)
	if err != nil {
		return nil, false, "", fmt.Errorf("database URL: %w", err)
	}
	if busy == 0 {
		busy = 24 * time.Hour
	}
	dsn := u.OpenDSN(busy)
	db, err := sql.Open(u.Driver, dsn)
	if err != nil {
		return nil, false, "", fmt.Errorf("open %s: %w", u.Redacted(), err)
	}
	if u.Memory {
		db.SetMaxOpenConns(1)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, false, "", fmt.Errorf("database %s is unreachable: %w", u.Redacted(), err)
	}
	return db, true, u.Dialect, nil
}

// Close closes the connection pool the Manager opened; a caller's DB is
// left open.
func (m *Manager) Close() error {
	if m.ownDB {
		return m.db.Close()
	}
	return nil
}

// DB returns the connection pool, for the application's own queries.
func (m *Manager) DB() *sql.DB { return m.db }

// Env returns the migration environment (graph, dialect, verbs).
func (m *Manager) Env() *retort.Env { return m.env }

// Dialect returns the database engine's dialect.
func (m *Manager) Dialect() dialect.Dialect { return m.dialect }

// Latest returns the scripts' heads: the revisions an up-to-date
// database is at. It never fails, whatever the number of heads.
func (m *Manager) Latest() []string {
	var out []string
	for _, r := range m.env.Graph().RealHeads() {
		out = append(out, r.ID)
	}
	slices.Sort(out)
	return out
}

// Current returns the version table's rows (none when the table does
// not exist), including revisions the code does not have.
func (m *Manager) Current(ctx context.Context) ([]string, error) {
	return m.dialect.VersionStore(m.table).Heads(ctx, m.db)
}

// Status reports where the database stands. A database that cannot be
// reached is an error, not a state.
func (m *Manager) Status(ctx context.Context) (Status, error) {
	return m.status(ctx, m.db)
}

func (m *Manager) status(ctx context.Context, q dialect.Querier) (Status, error) {
	st := Status{Latest: m.Latest()}
	store := m.dialect.VersionStore(m.table)
	ok, err := store.Exists(ctx, q)
	if err != nil {
		return st, err
	}
	if !ok {
		st.State = NoVersionTable
		return st, nil
	}
	if st.Current, err = store.Heads(ctx, q); err != nil {
		return st, err
	}
	slices.Sort(st.Current)
	for _, r := range st.Current {
		if m.env.Graph().Get(r) == nil {
			st.Unknown = append(st.Unknown, r)
		}
	}
	switch {
	case len(st.Unknown) > 0:
		st.State = DatabaseAhead
	case slices.Equal(st.Current, st.Latest):
		st.State = UpToDate
	default:
		st.State = UpgradeAvailable
	}
	return st, nil
}

func (m *Manager) aheadError(st Status) error {
	return &retort.DatabaseAheadError{Table: m.table.String(), Unknown: st.Unknown, Heads: st.Latest}
}

// Upgrade runs the migrations up to target ("heads" when empty), under
// the runner's lock. A database ahead of the code is a
// *retort.DatabaseAheadError (errors.Is [ErrDatabaseAhead]).
func (m *Manager) Upgrade(ctx context.Context, target string) error {
	_, err := m.upgrade(ctx, target)
	return err
}

func (m *Manager) upgrade(ctx context.Context, target string) (*retort.Result, error) {
	if target == "" {
		target = "heads"
	}
	res, err := m.env.Run(ctx, retort.Request{Kind: retort.Upgrade, Target: target})
	if errors.Is(err, retort.ErrDatabaseAhead) {
		return nil, fmt.Errorf("upgrade: %w", err)
	}
	return res, err
}

// Create builds a fresh database from the target schema and stamps it at
// the scripts' heads, in one transaction under the version table's lock
// (without a target, it runs the migrations from base). The database
// must have no version table and none of the target's tables.
func (m *Manager) Create(ctx context.Context) error {
	res, err := m.sync(ctx, true)
	if err == nil && res != Created {
		return badInput(fmt.Errorf("database already has version table %s; use Upgrade or Sync", m.table))
	}
	return err
}

// Sync brings the database to the scripts' heads, whatever it starts
// from: an empty database (no version table) is created from the target
// and stamped, in one transaction; one behind is upgraded; one up to
// date is left alone; one ahead of the code is a
// *retort.DatabaseAheadError and is
// left alone. The decision is taken under the version table's lock
// (the one the migration runner takes), re-reading the table, so that
// when many replicas call Sync at once one does the work and the others
// wait for it and find it done.
func (m *Manager) Sync(ctx context.Context) (SyncResult, error) {
	return m.sync(ctx, false)
}

func (m *Manager) sync(ctx context.Context, createOnly bool) (SyncResult, error) {
	// The decision is taken in a transaction prepared as the runner's
	// are (search_path, on-connect function, the version table's lock).
	var st Status
	created := false
	err := m.env.InTx(ctx, retort.TxOptions{Write: true, Lock: true}, func(tx *sql.Tx) error {
		var err error
		if st, err = m.status(ctx, tx); err != nil {
			return err
		}
		if st.State == NoVersionTable && (m.target != nil || m.sql != "") {
			created = true
			return m.create(ctx, tx)
		}
		return nil
	})
	switch {
	case err != nil:
		return 0, err
	case created:
		return Created, nil
	}
	switch st.State {
	case DatabaseAhead:
		return 0, m.aheadError(st)
	case UpToDate:
		return AlreadyUpToDate, nil
	case UpgradeAvailable:
		if createOnly {
			return AlreadyUpToDate, nil
		}
	}
	// Upgrade (or create from the migrations) with the runner, which
	// takes the same lock and re-plans under it; ours is released.
	res, err := m.upgrade(ctx, "heads")
	if err != nil {
		return 0, err
	}
	switch {
	case len(res.Steps) == 0:
		return AlreadyUpToDate, nil
	case st.State == NoVersionTable:
		return Created, nil
	}
	return Upgraded, nil
}
