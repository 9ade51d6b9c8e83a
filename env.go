package retort

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/retortdb/retort/compare"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/dialect"
	_ "github.com/retortdb/retort/dialect/mysql"    // registers mysql:// URLs
	_ "github.com/retortdb/retort/dialect/postgres" // registers PostgreSQL and its "pgx" driver
	_ "github.com/retortdb/retort/dialect/sqlite"   // registers SQLite and its "sqlite" driver
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/runner"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/script"
)

// Hooks run inside each migration's transaction, before and after its
// body, with the step (revision and direction) and the transaction.
type Hooks = runner.Hooks

// StepInfo describes a step to [Hooks].
type StepInfo = runner.StepInfo

// Option configures [Open].
type Option interface{ apply(*options) error }

type optionFunc func(*options) error

func (f optionFunc) apply(o *options) error { return f(o) }

type options struct {
	handle   runner.Handle
	haveConn bool
	dialect  string
	fsys     fs.FS
	dirs     []string
	registry *Registry
	logger   *slog.Logger
	hooks    Hooks
	progress func(StepEvent)
	xargs    map[string]string
	connect  func(context.Context, ConnectInfo) error
	// conn is the caller's connection as given to WithConn; target and
	// autogen are autogenerate's (autogenerate.go).
	conn    any
	target  *schema.Database
	autogen compare.Options
}

// WithConn runs on the caller's connection: a *sql.DB, *sql.Conn or
// *sql.Tx (a pgx pool works through stdlib.OpenDBFromPool). retort never
// commits or closes what it did not open; in a *sql.Tx everything runs
// in that transaction and the caller commits or rolls back.
func WithConn(c any) Option {
	return optionFunc(func(o *options) error {
		switch c := c.(type) {
		case *sql.DB:
			o.handle = runner.DB(c)
		case *sql.Conn:
			o.handle = runner.Conn(c)
		case *sql.Tx:
			o.handle = runner.Tx(c)
		default:
			return fault.BadInput(fmt.Errorf("WithConn takes a *sql.DB, *sql.Conn or *sql.Tx, not %T", c))
		}
		o.haveConn, o.conn = true, c
		return nil
	})
}

// WithDialect names the database engine ("postgres", "sqlite"; see
// dialect.Names) when the config has no URL to tell it, for example with
// a WithConn connection whose driver retort does not recognise.
func WithDialect(name string) Option {
	return optionFunc(func(o *options) error { o.dialect = name; return nil })
}

// WithFS reads revision files from fsys (an embed.FS, say) in the given
// folders instead of the config's version locations.
func WithFS(fsys fs.FS, dirs ...string) Option {
	return optionFunc(func(o *options) error {
		if len(dirs) == 0 {
			dirs = []string{"."}
		}
		o.fsys, o.dirs = fsys, dirs
		return nil
	})
}

// WithRegistry adds the Go migrations of r to the graph.
func WithRegistry(r *Registry) Option {
	return optionFunc(func(o *options) error { o.registry = r; return nil })
}

// WithLogger sends progress ("Running upgrade A -> B, message") to l at
// Info and each statement at Debug. Without it, nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(o *options) error { o.logger = l; return nil })
}

// WithHooks sets functions run around each migration.
func WithHooks(h Hooks) Option {
	return optionFunc(func(o *options) error { o.hooks = h; return nil })
}

// WithXArgs sets the -x KEY=VALUE arguments migrations read; they
// override the config's.
func WithXArgs(x map[string]string) Option {
	return optionFunc(func(o *options) error { o.xargs = x; return nil })
}

// ConnectInfo is what an on-connect function (see [WithOnConnect]) gets.
type ConnectInfo struct {
	// Querier is the transaction, or the bare connection before a
	// no-transaction revision.
	Querier dialect.Querier
	// InTransaction is false on the bare connection of a no-transaction
	// revision, where SET LOCAL would not hold.
	InTransaction bool
	// Dialect is the database's dialect; quote names with its QuoteIdent.
	Dialect dialect.Dialect
	// XArgs are the -x KEY=VALUE arguments in force.
	XArgs map[string]string
}

// WithOnConnect sets a function run at the start of every transaction
// retort works in (reads such as CurrentHeads included, and a caller's
// *sql.Tx), before the version table is locked or read, and on the
// connection before each no-transaction revision: the place for
// per-transaction settings such as a tenant's search_path from
// -x tenant=NAME. It is not run for offline SQL. An error stops the run.
func WithOnConnect(fn func(ctx context.Context, c ConnectInfo) error) Option {
	return optionFunc(func(o *options) error { o.connect = fn; return nil })
}

// Env is one migration environment: a revision graph, a dialect and a
// database connection (opened on first use).
type Env struct {
	cfg   *config.Config
	opts  options
	graph *revision.Graph
	// scripts are the SQL revision files in load order; scriptOf finds
	// one by id through a map made on first use (a graph command on
	// thousands of revisions needs none).
	scripts     []*script.Script
	scriptsOnce sync.Once
	scriptsByID map[string]*script.Script
	gomigs      map[string]*Migration
	dialect     dialect.Dialect
	db          *sql.DB // opened by retort, closed by Close
	created     string  // the SQLite file opening db made, until a run commits
	osBase      string  // folder the scripts' paths are relative to, when read from disk
	// serverAsked records that a ServerAware dialect was replaced by
	// the one for the server connected to.
	serverAsked bool
	sums        map[string]string // checksums by revision, computed on first use
	sumsMu      sync.Mutex        // sums: the runner computes ahead on a goroutine
}

// Open loads the revisions and prepares the environment described by cfg
// (nil: defaults, with options saying where revisions and the database
// are). It reads every revision file and fails on any problem, so
// nothing runs against a half-loaded graph; it does not connect yet.
func Open(ctx context.Context, cfg *config.Config, opts ...Option) (*Env, error) {
	if cfg == nil {
		var err error
		if cfg, err = config.Parse([]byte("[retort]\nurl = \"\"\n"), ""); err != nil {
			return nil, err
		}
	}
	e := &Env{cfg: cfg}
	for _, o := range opts {
		if err := o.apply(&e.opts); err != nil {
			return nil, err
		}
	}
	if e.opts.xargs == nil {
		e.opts.xargs = cfg.XArgs
	}
	d, err := e.pickDialect()
	if err != nil {
		return nil, err
	}
	e.dialect = d
	if err := e.load(); err != nil {
		return nil, err
	}
	return e, ctx.Err()
}

// errNoEngine is the error of what needs a database engine in an
// environment opened without one (no url, connection or WithDialect):
// nothing falls back to an engine the user did not name.
var errNoEngine = fault.BadInput(errors.New("no database: set url in retort.toml (or DATABASE_URL), or pass a connection with WithConn and its engine with WithDialect; offline --sql needs the url too, for the engine's syntax"))

// needEngine returns errNoEngine when the environment has no engine.
func (e *Env) needEngine() error {
	if e.dialect == nil {
		return errNoEngine
	}
	return nil
}

func (e *Env) pickDialect() (dialect.Dialect, error) {
	name := e.opts.dialect
	if name == "" && e.cfg.URL != nil {
		name = e.cfg.URL.Dialect
	}
	if name == "" && e.opts.haveConn {
		if en, ok := dialect.Detect(e.opts.conn); ok {
			name = en.Name
		} else {
			return nil, fault.BadInput(fmt.Errorf("cannot tell the database engine of the %T given to WithConn; name it with WithDialect (%s)", e.opts.conn, strings.Join(dialect.Names(), ", ")))
		}
	}
	if name == "" {
		// No engine: the environment serves graph commands only, and
		// everything that needs the engine fails with errNoEngine.
		return nil, nil
	}
	d, err := dialect.New(name)
	if err != nil {
		return nil, fault.BadInput(err)
	}
	if v := e.cfg.ServerVersion; v != "" {
		sa, ok := d.(dialect.ServerAware)
		if !ok {
			return nil, fault.BadInput(fmt.Errorf("server_version = %q: %s writes the same SQL for every server version; remove server_version from %s", v, name, e.cfgName()))
		}
		if d, err = sa.ForVersion(v); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// forServer asks the server behind q which dialect to write for, once,
// where the engine's syntax depends on the server (online, the server
// decides; server_version only serves offline scripts).
func (e *Env) forServer(ctx context.Context, q dialect.Querier) error {
	if e.serverAsked {
		return nil
	}
	sa, ok := e.dialect.(dialect.ServerAware)
	if !ok {
		e.serverAsked = true
		return nil
	}
	d, err := sa.ForServer(ctx, q)
	if err != nil {
		return err
	}
	e.dialect, e.serverAsked = d, true
	return nil
}

// load reads SQL revisions and Go registrations into one graph.
func (e *Env) load() error {
	fsys, dirs := e.opts.fsys, e.opts.dirs
	if fsys == nil {
		fsys, dirs, e.osBase = osDirs(e.cfg.Dir, e.cfg.VersionDirs())
	}
	var revs []*revision.Revision
	if len(dirs) > 0 {
		scripts, err := script.Load(fsys, dirs, script.LoadOptions{Recursive: e.cfg.RecursiveVersionLocations, Lazy: true})
		if err != nil {
			if e.opts.registry == nil || !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		revs = make([]*revision.Revision, 0, len(scripts))
		for _, s := range scripts {
			revs = append(revs, s.Rev)
		}
		e.scripts = scripts
	}
	if e.opts.registry != nil {
		goRevs, byID, err := e.opts.registry.revisions()
		if err != nil {
			return err
		}
		revs = append(revs, goRevs...)
		e.gomigs = byID
	}
	g, err := revision.New(revs)
	if err != nil {
		return err
	}
	e.graph = g
	return nil
}

// osDirs maps absolute folders onto an os.DirFS rooted at base when they
// are all inside it (so messages show short paths), else at "/".
func osDirs(base string, abs []string) (fs.FS, []string, string) {
	rel := make([]string, 0, len(abs))
	for _, a := range abs {
		r, err := filepath.Rel(base, a)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return osRoot(abs)
		}
		rel = append(rel, filepath.ToSlash(r))
	}
	return script.DirFS(base), rel, base
}

func osRoot(abs []string) (fs.FS, []string, string) {
	out := make([]string, len(abs))
	for i, a := range abs {
		out[i] = strings.TrimPrefix(filepath.ToSlash(a), "/")
	}
	return script.DirFS("/"), out, "/"
}

// Path returns the absolute path of revision id's file on disk, or ""
// for a Go revision or revisions read from an fs.FS given with WithFS.
func (e *Env) Path(id string) string {
	s := e.scriptOf(id)
	if s == nil || e.osBase == "" {
		return ""
	}
	return filepath.Join(e.osBase, filepath.FromSlash(s.Path))
}

// Graph returns the revision graph.
func (e *Env) Graph() *revision.Graph { return e.graph }

// Config returns the environment's configuration.
func (e *Env) Config() *config.Config { return e.cfg }

// Dialect returns the database engine's dialect, or nil when the
// environment was opened without a url, connection or WithDialect (it
// then serves graph commands only).
func (e *Env) Dialect() dialect.Dialect { return e.dialect }

// scriptOf returns the SQL file of revision id, or nil.
func (e *Env) scriptOf(id string) *script.Script {
	e.scriptsOnce.Do(func() {
		e.scriptsByID = make(map[string]*script.Script, len(e.scripts))
		for _, s := range e.scripts {
			e.scriptsByID[s.Rev.ID] = s
		}
	})
	return e.scriptsByID[id]
}

// Script returns the SQL file of revision id, or nil for a Go revision.
func (e *Env) Script(id string) *script.Script { return e.scriptOf(id) }

// Close closes the database retort opened (a caller's connection is left
// alone) and keeps the checksums of revision files computed through e in
// the graph index, for the next runs.
func (e *Env) Close() error {
	// Checksums computed in this run are kept in the graph index.
	script.SaveChecksums(e.scripts)
	if e.db != nil {
		err := e.db.Close()
		e.db = nil
		return err
	}
	return nil
}

// handle returns the connection to run on, opening the config's URL on
// first use. For read-only use of an SQLite file, a missing file is an
// error rather than a new empty database.
func (e *Env) handle(ctx context.Context, write bool) (runner.Handle, error) {
	if e.opts.haveConn {
		if q, ok := e.opts.conn.(dialect.Querier); ok {
			if err := e.forServer(ctx, q); err != nil {
				return runner.Handle{}, err
			}
		}
		return e.opts.handle, nil
	}
	if e.db != nil {
		return runner.DB(e.db), nil
	}
	u := e.cfg.URL
	if u == nil {
		return runner.Handle{}, fault.BadInput(errors.New("no database URL: set url in retort.toml or DATABASE_URL"))
	}
	dsn := u.OpenDSN(e.cfg.LockTimeout)
	if u.Path != "" {
		// A database in a file: reading must not create it.
		if _, err := os.Stat(u.Path); errors.Is(err, fs.ErrNotExist) {
			if !write {
				return runner.Handle{}, fault.BadInput(fmt.Errorf("SQLite database %s does not exist; run 'retort upgrade head' to create it, or check url in %s", u.Path, e.cfgName()))
			}
			if err := sqliteFolder(u.Path, e.cfgName()); err != nil {
				return runner.Handle{}, err
			}
			made, err := createSQLiteFile(u.Path)
			if err != nil {
				return runner.Handle{}, fmt.Errorf("create SQLite database %s: %w; check the folder's permissions, or url in %s", u.Path, err, e.cfgName())
			}
			if made {
				e.created = u.Path
			}
		}
	}
	db, err := sql.Open(u.Driver, dsn)
	if err != nil {
		return runner.Handle{}, fmt.Errorf("open %s: %w", u.Redacted(), err)
	}
	if u.Memory {
		db.SetMaxOpenConns(1)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return runner.Handle{}, e.connectError(u, err)
	}
	e.db = db
	if err := e.forServer(ctx, db); err != nil {
		return runner.Handle{}, err
	}
	return runner.DB(db), nil
}

func (e *Env) cfgName() string {
	if e.cfg.File != "" {
		return e.cfg.File
	}
	return "the config"
}

func (e *Env) runner() *runner.Runner {
	return &runner.Runner{
		Graph:        e.graph,
		Dialect:      e.dialect,
		Table:        dialect.Ident{Schema: e.cfg.VersionTableSchema, Name: e.cfg.VersionTable},
		Schema:       e.cfg.SearchPath,
		PerMigration: e.cfg.TransactionPerMigration,
		LockTimeout:  e.cfg.LockTimeout,
		Bodies:       e.body,
		Hooks:        e.opts.hooks,
		Logger:       e.opts.logger,
		OnConnect:    e.onConnect(),
		Progress:     e.progress(),
		Record: runner.Record{
			Checksum:    func(r *revision.Revision) (string, error) { return e.Checksum(r.ID) },
			Prefetch:    e.prefetchChecksums,
			LeaseExpiry: e.cfg.LeaseExpiry,
			Version:     Version(),
		},
	}
}

func (e *Env) onConnect() func(context.Context, runner.ConnectInfo) error {
	fn := e.opts.connect
	if fn == nil {
		return nil
	}
	return func(ctx context.Context, c runner.ConnectInfo) error {
		return fn(ctx, ConnectInfo{Querier: c.Querier, InTransaction: c.InTransaction, Dialect: e.dialect, XArgs: e.opts.xargs})
	}
}

// body returns what a step runs: the SQL file's statements, split for
// the dialect, or the Go migration's function.
func (e *Env) body(s revision.Step) (runner.Body, error) {
	id := s.Revision.ID
	if sc := e.scriptOf(id); sc != nil {
		var err error
		b := &runner.SQLBody{Revision: id, Direction: s.Direction.String(), File: sc.Path}
		if s.Direction == revision.Up {
			b.Statements, err = sc.UpgradeStatements(e.dialect.SplitOptions())
		} else {
			if !sc.HasDowngrade {
				return nil, fault.BadInput(fmt.Errorf("revision %s (%s) has no downgrade section; add '-- +retort downgrade', or use 'retort stamp' to record the move without running it", id, sc.Path))
			}
			b.Statements, err = sc.DowngradeStatements(e.dialect.SplitOptions())
		}
		return b, err
	}
	m := e.gomigs[id]
	if m == nil {
		return nil, fmt.Errorf("revision %s has no migration code", id)
	}
	fn := m.Upgrade
	if s.Direction == revision.Down {
		if fn = m.Downgrade; fn == nil {
			return nil, fault.BadInput(fmt.Errorf("revision %s (Go, %s) has no Downgrade function; set Migration.Downgrade, or use 'retort stamp'", id, s.Revision.Source))
		}
	}
	return &goBody{fn: fn, dialect: e.dialect, xargs: e.opts.xargs, rev: id, reg: e.opts.registry}, nil
}

// CurrentHeads returns the version table's rows, in the database's
// order; none when the table does not exist. It creates nothing.
func (e *Env) CurrentHeads(ctx context.Context) ([]string, error) {
	if err := e.needEngine(); err != nil {
		return nil, err
	}
	h, err := e.handle(ctx, false)
	if err != nil {
		return nil, err
	}
	return e.runner().Heads(ctx, h)
}

// Current returns the revisions the database is at, as Alembic's
// current command lists them.
func (e *Env) Current(ctx context.Context) ([]*revision.Revision, error) {
	rows, err := e.CurrentHeads(ctx)
	if err != nil {
		return nil, err
	}
	return e.graph.Current(rows)
}

// Check returns an *[EditedError] when applied revisions were edited
// since they ran (see [Env.Edited]), and a *NotAtHeadsError unless the
// database is at the scripts' heads.
func (e *Env) Check(ctx context.Context) error {
	h, err := e.handle(ctx, false)
	if err != nil {
		return err
	}
	r := e.runner()
	rows, hist, err := r.ReadRecord(ctx, h)
	if err != nil {
		return err
	}
	edited, _, err := r.Verify(rows, hist)
	if err != nil {
		return err
	}
	if len(edited) > 0 {
		return &EditedError{Revisions: edited}
	}
	var heads []string
	for _, r := range e.graph.RealHeads() {
		heads = append(heads, r.ID)
	}
	a, b := slices.Sorted(slices.Values(rows)), slices.Sorted(slices.Values(heads))
	if !slices.Equal(a, b) {
		return &NotAtHeadsError{Current: rows, Heads: heads}
	}
	return nil
}

// XArgs returns the -x arguments in force.
func (e *Env) XArgs() map[string]string { return e.opts.xargs }

// sqliteFolder checks that the folder of a new SQLite database file
// exists, so that a typo in url is reported as such, naming the path,
// rather than as SQLite's "unable to open database file".
func sqliteFolder(file, cfgName string) error {
	dir := filepath.Dir(file)
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	switch st, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
		return fault.BadInput(fmt.Errorf("SQLite database %s: its folder %s does not exist; create it (mkdir -p %s) or fix url in %s", file, abs, abs, cfgName))
	case err != nil:
		return fault.BadInput(fmt.Errorf("SQLite database %s: its folder %s cannot be read (%w); fix url in %s", file, abs, err, cfgName))
	case !st.IsDir():
		return fault.BadInput(fmt.Errorf("SQLite database %s: %s is not a folder; fix url in %s", file, abs, cfgName))
	}
	return nil
}

// Warnings lists problems found while loading the revision files that
// do not stop them from running (bytes that are not UTF-8), each naming
// the file and line, sorted.
func (e *Env) Warnings() []string {
	var out []string
	for _, s := range e.scripts {
		out = append(out, s.Warnings...)
	}
	slices.Sort(out)
	return out
}
