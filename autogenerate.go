package retort

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/retortdb/retort/batch"
	"github.com/retortdb/retort/compare"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/runner"
	"github.com/retortdb/retort/schema"
)

// ErrNoTarget is matched by the error of autogenerate without a target
// schema: neither [WithTarget] nor an existing target_schema file.
var ErrNoTarget = errors.New("no target schema")

// WithTarget sets the schema autogenerate compares the database with
// (Alembic's target_metadata), for Go environments. Without it,
// autogenerate reads the config's target_schema file.
func WithTarget(db *schema.Database) Option {
	return optionFunc(func(o *options) error { o.target = db; return nil })
}

// WithAutogenerate sets autogenerate's options: the include_object and
// include_name filters, include_schemas, type and server default
// comparison, and the process_revision_directives hook (see package
// compare for ready-made recipes). Its Dialect and VersionTable are
// filled from the environment.
func WithAutogenerate(o compare.Options) Option {
	return optionFunc(func(opts *options) error { opts.autogen = o; return nil })
}

// HasTarget reports whether autogenerate has a target schema: one set
// with [WithTarget], or an existing target_schema file.
func (e *Env) HasTarget() bool {
	if e.opts.target != nil {
		return true
	}
	if e.cfg.TargetSchema == "" {
		return false
	}
	_, err := os.Stat(e.cfg.TargetSchema)
	return err == nil
}

func (e *Env) inspector() dialect.Inspector {
	if i, ok := e.dialect.(dialect.Inspectable); ok {
		return i.Inspector()
	}
	return nil
}

// compareOptions are the WithAutogenerate options with the
// environment's dialect and version table.
func (e *Env) compareOptions() compare.Options {
	o := e.opts.autogen
	o.IncludeSchemas = slices.DeleteFunc(slices.Clone(e.includeList()), func(s string) bool { return s == "*" })
	o.Dialect = e.dialect
	o.VersionTable = e.VersionTable()
	return o
}

// Inspect reflects the database the environment runs on (its
// search_path and on-connect function applied), leaving out the version
// table. tables, when given, limits it to those tables.
func (e *Env) Inspect(ctx context.Context, tables ...string) (*schema.Database, error) {
	if err := e.needEngine(); err != nil {
		return nil, err
	}
	in := e.inspector()
	if in == nil {
		return nil, fmt.Errorf("the %s dialect cannot inspect a database", e.dialect.Name())
	}
	var out *schema.Database
	err := e.inTx(ctx, false, func(q dialect.Querier) error {
		opts := dialect.InspectOpts{Tables: tables, Exclude: dialect.RecordTables(e.cfg.VersionTable)}
		if len(e.includeList()) > 0 && e.dialect.Caps().Schemas {
			r, ok := e.dialect.(dialect.CurrentSchemaReader)
			if !ok {
				return fmt.Errorf("include_schemas: the %s dialect cannot read the current schema (dialect.CurrentSchemaReader)", e.dialect.Name())
			}
			cur, err := r.CurrentSchema(ctx, q)
			if err != nil {
				return err
			}
			named, err := e.includedSchemas(ctx, q, cur)
			if err != nil {
				return err
			}
			opts.Schemas = append([]string{cur}, named...)
		}
		var err error
		out, err = in.Inspect(ctx, q, opts)
		return err
	})
	return e.excluded(out), err
}

// Autogenerate compares the database with the target schema and returns
// the revision it calls for (Alembic's revision --autogenerate without
// the file): the upgrade operations, the downgrade (their reverses), and
// message, after the WithAutogenerate hook has processed them. The
// database must be at the scripts' heads, else it fails with a
// *[NotAtHeadsError] ("target database is not up to date").
func (e *Env) Autogenerate(ctx context.Context, message string) (*compare.Directives, error) {
	if err := e.needEngine(); err != nil {
		return nil, err
	}
	// An SQLite file that does not exist yet is an empty database, as
	// when Alembic connects to it.
	if _, err := e.handle(ctx, true); err != nil {
		return nil, err
	}
	if err := e.Check(ctx); err != nil {
		return nil, err
	}
	target, err := e.Target(ctx)
	if err != nil {
		return nil, err
	}
	return e.produce(ctx, target, e.opts.target != nil, message)
}

// CompareWith compares the database as it is now with target, under the
// environment's autogenerate settings (include_schemas, exclusions, the
// WithAutogenerate options and hook), and returns what autogenerate
// would write to bring the database there. Unlike [Env.Autogenerate] it
// neither reads the target_schema file nor requires the database to be
// at the heads: the test kit uses it to compare a migrated database with
// the application's models.
func (e *Env) CompareWith(ctx context.Context, target *schema.Database, message string) (*compare.Directives, error) {
	if err := e.needEngine(); err != nil {
		return nil, err
	}
	if target == nil {
		return nil, errors.New("compare: no target schema")
	}
	return e.produce(ctx, target, true, message)
}

// produce inspects the database and compares it with target; a target
// built in Go (not applied to a scratch database) has its views read
// back as the server prints them first.
func (e *Env) produce(ctx context.Context, target *schema.Database, fromGo bool, message string) (*compare.Directives, error) {
	inspected, err := e.Inspect(ctx)
	if err != nil {
		return nil, fmt.Errorf("inspect the database: %w", err)
	}
	if fromGo {
		if target, err = e.canonicalViews(ctx, target); err != nil {
			return nil, err
		}
	}
	target = e.excluded(target)
	opts := e.compareOptions()
	if e.allSchemas() {
		// include_schemas = ["*"]: every schema either side has.
		opts.IncludeSchemas = schemasOf(inspected, target)
	}
	return compare.Produce(inspected, target, message, opts)
}

// canonicalViews returns target with the definitions of its views as
// the server prints them back (dialect.ViewNormalizer; PostgreSQL's
// pg_get_viewdef), so that a view declared in Go compares equal to the
// same view in the database: each is created as a temporary view, read
// back and rolled back. A view that cannot be created yet (its tables
// do not exist) keeps its text.
func (e *Env) canonicalViews(ctx context.Context, target *schema.Database) (*schema.Database, error) {
	vn, ok := e.dialect.(dialect.ViewNormalizer)
	if !ok || len(target.Views) == 0 {
		return target, nil
	}
	out := *target
	out.Views = slices.Clone(target.Views)
	err := e.inTx(ctx, false, func(q dialect.Querier) error {
		for i, v := range out.Views {
			def, ok, err := vn.CanonicalView(ctx, q, v.Definition)
			if err != nil {
				return err
			}
			if ok {
				out.Views[i].Definition = def
			}
		}
		return nil
	})
	return &out, err
}

// RunOperations runs operations directly on the database, in one
// transaction (the cookbook's "run operation objects directly"), such
// as those [Env.Autogenerate] returns. On SQLite, a change its ALTER
// TABLE cannot make runs in batch mode (see package batch); a
// batch.Alter runs as Op.RunBatch does.
func (e *Env) RunOperations(ctx context.Context, list ...ops.Operation) error {
	if err := e.needEngine(); err != nil {
		return err
	}
	return e.inTx(ctx, true, func(q dialect.Querier) error {
		exec := func(ctx context.Context, s string) error {
			_, err := q.ExecContext(ctx, s)
			return err
		}
		for _, o := range list {
			if err := e.runOperation(ctx, q, exec, o); err != nil {
				return fmt.Errorf("%s: %w", o.Describe(), err)
			}
		}
		return nil
	})
}

func (e *Env) runOperation(ctx context.Context, q dialect.Querier, exec func(context.Context, string) error, o ops.Operation) error {
	if a, ok := o.(batch.Alter); ok {
		return a.Run(ctx, e.dialect, q, exec)
	}
	stmts, err := e.dialect.Render(o)
	if errors.Is(err, dialect.ErrUnsupported) && e.dialect.Caps().RebuildsTables {
		if a, ok := batchOf(o); ok {
			return a.Run(ctx, e.dialect, q, exec)
		}
	}
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if err := exec(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// batchOf puts a change to one table into a batch of its own.
func batchOf(o ops.Operation) (batch.Alter, bool) {
	var s, t string
	switch c := o.(type) {
	case ops.AddColumn:
		s, t = c.Schema, c.Table
	case ops.DropColumn:
		s, t = c.Schema, c.Table
	case ops.AlterColumn:
		s, t = c.Schema, c.Table
	case ops.CreatePrimaryKey:
		s, t = c.Schema, c.Table
	case ops.CreateUniqueConstraint:
		s, t = c.Schema, c.Table
	case ops.CreateForeignKey:
		s, t = c.Schema, c.Table
	case ops.CreateCheckConstraint:
		s, t = c.Schema, c.Table
	case ops.DropConstraint:
		s, t = c.Schema, c.Table
	default:
		return batch.Alter{}, false
	}
	return batch.Alter{Schema: s, Table: t, Changes: []ops.Operation{o}}, true
}

// inTx runs fn in a transaction on the environment's connection,
// prepared as migrations' are (runner.Prepare: search_path, then the
// on-connect function): a new transaction committed when write is set
// and fn succeeds (rolled back otherwise), or the caller's own *sql.Tx,
// which is never committed or rolled back.
func (e *Env) inTx(ctx context.Context, write bool, fn func(dialect.Querier) error) error {
	return e.InTx(ctx, TxOptions{Write: write}, func(tx *sql.Tx) error { return fn(tx) })
}

// TxOptions says how [Env.InTx] opens its transaction.
type TxOptions struct {
	// Write commits the transaction when the function succeeds; without
	// it the transaction is always rolled back.
	Write bool
	// Lock takes the version table's lock first, the one migration runs
	// take, so that the function's reads and writes are serialised with
	// them (appdb's Sync decides whether to create or upgrade under
	// it). Where the engine's lock is a session lock (MySQL), it is held
	// on a connection of its own until InTx returns.
	Lock bool
}

// InTx runs fn in a transaction set up as migrations' transactions are:
// the environment's search_path for the transaction, its on-connect
// function and, with o.Lock, the version table's lock. The transaction
// is new (committed when o.Write is set and fn succeeds, else rolled
// back), or the caller's *sql.Tx given with WithConn, which is never
// committed or rolled back. A SQLite file that does not exist yet is
// created only when o.Write is set.
func (e *Env) InTx(ctx context.Context, o TxOptions, fn func(tx *sql.Tx) error) error {
	if err := e.needEngine(); err != nil {
		return err
	}
	h, err := e.handle(ctx, o.Write)
	if err != nil {
		return err
	}
	return e.runner().InTx(ctx, h, runner.TxOptions{Write: o.Write, Lock: o.Lock}, fn)
}
