package retorttest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/schema"
)

// Runner drives one test's own database through the revision history,
// as pytest-alembic's runner (alembic_runner) does: UpgradeTo and
// DowngradeTo move one revision at a time along [History], inserting the
// configured data fixtures on the way, and the rest read the graph and the
// database.
type Runner struct {
	cfg      Config
	settings *config.Config
	env      *retort.Env
	db       *database
	history  History
}

// NewRunner opens a fresh database for t (see the package doc for which)
// and loads the migrations cfg describes. The database is dropped when t
// ends. It skips t when the migrations need a PostgreSQL server that is
// not configured, and fails it when the migrations do not load.
func NewRunner(t testing.TB, cfg Config) *Runner {
	t.Helper()
	r, skip, err := open(t.Context(), cfg, t.Name())
	if skip != "" {
		t.Skip(skip)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.close(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return r
}

// open makes the runner; skip says why the test cannot run here.
func open(ctx context.Context, cfg Config, label string) (r *Runner, skip string, err error) {
	settings, err := cfg.settings()
	if err != nil {
		return nil, "", err
	}
	d, server, skip, err := cfg.chooseEngine(settings)
	if skip != "" || err != nil {
		return nil, skip, err
	}
	db, err := openDatabase(ctx, d, server, cfg.PostgresSetup, label)
	if err != nil {
		return nil, "", err
	}
	if err := prepare(ctx, db, settings); err != nil {
		return nil, "", errors.Join(err, db.drop(ctx))
	}
	opts := append(slices.Clone(cfg.Options), retort.WithConn(db.db), retort.WithDialect(d.Name()))
	env, err := retort.Open(ctx, settings, opts...)
	if err == nil {
		var h History
		if h, err = newHistory(env.Graph()); err == nil {
			return &Runner{cfg: cfg, settings: env.Config(), env: env, db: db, history: h}, "", nil
		}
	}
	return nil, "", errors.Join(err, db.drop(ctx))
}

// close drops the database.
func (r *Runner) close(ctx context.Context) error {
	return errors.Join(r.env.Close(), r.db.drop(ctx))
}

// Env returns the environment, on the test's database.
func (r *Runner) Env() *retort.Env { return r.env }

// DB returns the test's database.
func (r *Runner) DB() *sql.DB { return r.db.db }

// History returns pytest-alembic's linearised history: "base", the
// revisions oldest first, "heads".
func (r *Runner) History() History { return slices.Clone(r.history) }

// Heads returns the real heads of the graph (what the "heads" target
// means), in load order.
func (r *Runner) Heads() []string {
	var out []string
	for _, h := range r.env.Graph().RealHeads() {
		out = append(out, h.ID)
	}
	return out
}

// Current returns the first row of the version table in the database's
// order (pytest-alembic's runner.current), or "base" when there is none.
func (r *Runner) Current(ctx context.Context) (string, error) {
	rows, err := r.env.CurrentHeads(ctx)
	if err != nil {
		return "", err
	}
	if len(rows) == 0 {
		return "base", nil
	}
	return rows[0], nil
}

// position returns the history index of the database's current revision.
func (r *Runner) position(ctx context.Context) (int, error) {
	cur, err := r.Current(ctx)
	if err != nil {
		return 0, err
	}
	return r.history.Index(cur)
}

// StepError reports a migration that failed while the runner moved the
// database, naming the revision moved to and from.
type StepError struct {
	// Direction is "upgrade", "downgrade" or "stamp".
	Direction string
	// From and To are the history entries the step moved between.
	From, To string
	Err      error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("%s %s -> %s: %v", e.Direction, e.From, e.To, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// UpgradeTo upgrades the database to rev ("heads", "head" or a full id)
// one revision of the history at a time. Before each step it inserts
// the step's BeforeRevisionData, after it the AtRevisionData; revisions
// in SkipRevisions are stamped. A rev at or below the current revision
// does nothing.
func (r *Runner) UpgradeTo(ctx context.Context, rev string) error {
	dest, err := r.history.Index(rev)
	if err != nil {
		return err
	}
	cur, err := r.position(ctx)
	if err != nil {
		return err
	}
	for _, pair := range r.history.window(cur, dest) {
		from, to := pair[0], pair[1]
		if err := r.insertData(ctx, r.cfg.BeforeRevisionData[to], "before_revision_data", to); err != nil {
			return err
		}
		dir := "upgrade"
		if slices.Contains(r.cfg.SkipRevisions, to) {
			dir, err = "stamp", r.env.Stamp(ctx, to)
		} else {
			err = r.env.Upgrade(ctx, to)
		}
		if err != nil {
			return &StepError{Direction: dir, From: from, To: to, Err: err}
		}
		if err := r.insertData(ctx, r.cfg.AtRevisionData[to], "at_revision_data", to); err != nil {
			return err
		}
	}
	return nil
}

// DowngradeTo downgrades the database to rev ("base" or a full id) one
// revision of the history at a time; revisions in SkipRevisions are
// stamped. As in pytest-alembic, a step whose target is not below the
// database's heads (another branch) is passed over.
func (r *Runner) DowngradeTo(ctx context.Context, rev string) error {
	dest, err := r.history.Index(rev)
	if err != nil {
		return err
	}
	cur, err := r.position(ctx)
	if err != nil {
		return err
	}
	for _, pair := range slices.Backward(r.history.window(dest, cur)) {
		to, from := pair[0], pair[1]
		dir := "downgrade"
		if slices.Contains(r.cfg.SkipRevisions, from) {
			dir, err = "stamp", r.env.Stamp(ctx, to)
		} else {
			err = r.env.Downgrade(ctx, to)
		}
		var re *revision.RangeError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			return &StepError{Direction: dir, From: from, To: to, Err: err}
		}
	}
	return nil
}

// UpgradeBefore upgrades to the revision before rev in the history.
func (r *Runner) UpgradeBefore(ctx context.Context, rev string) error {
	prev := r.history.Previous(rev)
	if prev == "" {
		if _, err := r.history.Index(rev); err != nil {
			return err
		}
		return fmt.Errorf("nothing comes before %s", rev)
	}
	return r.UpgradeTo(ctx, prev)
}

// DowngradeBefore downgrades to the revision after rev in the history,
// leaving rev applied.
func (r *Runner) DowngradeBefore(ctx context.Context, rev string) error {
	next := r.history.Next(rev)
	if next == "" {
		if _, err := r.history.Index(rev); err != nil {
			return err
		}
		return fmt.Errorf("nothing comes after %s", rev)
	}
	return r.DowngradeTo(ctx, next)
}

// MigrateUpOne upgrades by one revision of the history and returns the
// new current revision, or "" when nothing moved.
func (r *Runner) MigrateUpOne(ctx context.Context) (string, error) {
	cur, err := r.Current(ctx)
	if err != nil {
		return "", err
	}
	next := r.history.Next(cur)
	if next == "" {
		return "", nil
	}
	if err := r.UpgradeTo(ctx, next); err != nil {
		return "", err
	}
	now, err := r.Current(ctx)
	if err != nil || now == cur {
		return "", err
	}
	return now, nil
}

// MigrateDownOne downgrades by one revision of the history and returns
// the revision it moved to, or "" at base.
func (r *Runner) MigrateDownOne(ctx context.Context) (string, error) {
	cur, err := r.Current(ctx)
	if err != nil {
		return "", err
	}
	prev := r.history.Previous(cur)
	if prev == "" {
		return "", nil
	}
	return prev, r.DowngradeTo(ctx, prev)
}

// RoundTripNext upgrades one revision, downgrades it and upgrades it
// again, returning the revision or "" when there was none to run.
func (r *Runner) RoundTripNext(ctx context.Context) (string, error) {
	next, err := r.MigrateUpOne(ctx)
	if next == "" || err != nil {
		return "", err
	}
	if _, err := r.MigrateDownOne(ctx); err != nil {
		return "", err
	}
	return r.MigrateUpOne(ctx)
}

// InsertInto inserts rows into table ("name" or "schema.name") as the
// database is now, one INSERT per row naming the row's columns.
func (r *Runner) InsertInto(ctx context.Context, table string, rows ...Row) error {
	for _, row := range rows {
		if err := r.insertRow(ctx, table, row); err != nil {
			return err
		}
	}
	return nil
}

// InsertError reports a data fixture that could not be inserted.
type InsertError struct {
	// Fixture is "before_revision_data" or "at_revision_data"; Revision
	// the revision it is keyed by.
	Fixture, Revision string
	Table             string
	Err               error
}

func (e *InsertError) Error() string {
	return fmt.Sprintf("insert %s of %s into %s: %v", e.Fixture, e.Revision, e.Table, e.Err)
}

func (e *InsertError) Unwrap() error { return e.Err }

func (r *Runner) insertData(ctx context.Context, data []Data, fixture, rev string) error {
	for _, d := range data {
		if err := r.InsertInto(ctx, d.Table, d.Rows...); err != nil {
			return &InsertError{Fixture: fixture, Revision: rev, Table: d.Table, Err: err}
		}
	}
	return nil
}

func (r *Runner) insertRow(ctx context.Context, table string, row Row) error {
	cols := slices.Sorted(maps.Keys(row))
	if len(cols) == 0 {
		return fmt.Errorf("insert into %s: the row has no columns", table)
	}
	quoted := make([]string, len(cols))
	marks := make([]string, len(cols))
	args := make([]any, len(cols))
	for i, c := range cols {
		quoted[i] = r.quote(c)
		marks[i] = r.placeholder(i)
		args[i] = row[c]
	}
	stmt := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", r.quoteTable(table), strings.Join(quoted, ", "), strings.Join(marks, ", "))
	if _, err := r.db.db.ExecContext(ctx, stmt, args...); err != nil {
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	return nil
}

// countRows counts the rows of table matching every column of row.
func (r *Runner) countRows(ctx context.Context, table string, row Row) (int, error) {
	var where []string
	var args []any
	for _, c := range slices.Sorted(maps.Keys(row)) {
		if row[c] == nil {
			where = append(where, r.quote(c)+" IS NULL")
			continue
		}
		where = append(where, r.quote(c)+" = "+r.placeholder(len(args)))
		args = append(args, row[c])
	}
	stmt := "SELECT count(*) FROM " + r.quoteTable(table)
	if len(where) > 0 {
		stmt += " WHERE " + strings.Join(where, " AND ")
	}
	var n int
	err := r.db.db.QueryRowContext(ctx, stmt, args...).Scan(&n)
	return n, err
}

func (r *Runner) quote(name string) string { return r.env.Dialect().QuoteIdent(name) }

func (r *Runner) quoteTable(table string) string {
	if s, t, ok := strings.Cut(table, "."); ok {
		return r.quote(s) + "." + r.quote(t)
	}
	return r.quote(table)
}

func (r *Runner) placeholder(i int) string {
	return r.db.dialect.Caps().Placeholders.Arg(i + 1)
}

// TableAt moves the database to rev (up or down; "" leaves it where it
// is) and returns the shape of table ("name" or "schema.name") there, as
// the dialect's inspector reads it. The database stays at rev.
func (r *Runner) TableAt(ctx context.Context, rev, table string) (*schema.Table, error) {
	if rev != "" {
		if err := r.moveTo(ctx, rev); err != nil {
			return nil, err
		}
	}
	id := dialect.Ident{Name: table}
	if s, t, ok := strings.Cut(table, "."); ok {
		id = dialect.Ident{Schema: s, Name: t}
	}
	if ti, ok := r.env.Dialect().(tableInspector); ok {
		return ti.InspectTable(ctx, r.db.db, id)
	}
	db, err := r.Schema(ctx)
	if err != nil {
		return nil, err
	}
	if t := db.Table(id.Schema, id.Name); t != nil {
		return t, nil
	}
	return nil, fmt.Errorf("table %s does not exist at %s", table, rev)
}

// moveTo upgrades or downgrades to rev, whichever way it lies.
func (r *Runner) moveTo(ctx context.Context, rev string) error {
	dest, err := r.history.Index(rev)
	if err != nil {
		return err
	}
	cur, err := r.position(ctx)
	if err != nil {
		return err
	}
	if dest >= cur {
		return r.UpgradeTo(ctx, rev)
	}
	return r.DowngradeTo(ctx, rev)
}

// Schema inspects the database as it is now (its current schema),
// without the version table. It needs the dialect's inspector.
func (r *Runner) Schema(ctx context.Context) (*schema.Database, error) {
	var db *schema.Database
	var err error
	switch d := r.env.Dialect().(type) {
	case dialect.Inspectable:
		opts := dialect.InspectOpts{Exclude: dialect.RecordTables(r.settings.VersionTable)}
		db, err = d.Inspector().Inspect(ctx, r.db.db, opts)
	case plainInspector:
		db, err = d.Inspect(ctx, r.db.db)
	default:
		return nil, fmt.Errorf("the %s dialect has no schema inspector yet", r.env.Dialect().Name())
	}
	if err != nil {
		return nil, err
	}
	db.Tables = slices.DeleteFunc(db.Tables, func(t schema.Table) bool { return r.isVersionTable(t.Schema, t.Name) })
	return db, nil
}

// canInspect reports whether the dialect has an inspector.
func (r *Runner) canInspect() bool {
	switch r.env.Dialect().(type) {
	case dialect.Inspectable, plainInspector:
		return true
	}
	return false
}

// isVersionTable reports whether schema.name is the version table.
func (r *Runner) isVersionTable(s, name string) bool {
	vs := r.settings.VersionTableSchema
	return name == r.settings.VersionTable && (vs == "" || vs == s || s == "")
}

// plainInspector and tableInspector are inspection abilities the kit
// also uses when a dialect has them, type-asserted on the environment's
// dialect: SQLite's inspector had this shape before dialect.Inspectable.
type plainInspector interface {
	Inspect(ctx context.Context, q dialect.Querier) (*schema.Database, error)
}

type tableInspector interface {
	InspectTable(ctx context.Context, q dialect.Querier, t dialect.Ident) (*schema.Table, error)
}
