package retort

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/runner"
)

// Migration is a revision written in Go. It joins the same graph as SQL
// revision files.
type Migration struct {
	// Revision is the id, [A-Za-z0-9_]+.
	Revision string
	// Revises lists the parent ids: none for a base, several for a merge.
	Revises []string
	// BranchLabels and DependsOn have Alembic's meaning.
	BranchLabels []string
	DependsOn    []string
	// Message describes the revision.
	Message string
	// NoTransaction runs the revision outside a transaction.
	NoTransaction bool
	// CommitBefore ends the run's transaction before this revision (the
	// SQL marker "-- +retort commit-before").
	CommitBefore bool
	// Upgrade applies the change; it is required.
	Upgrade func(ctx context.Context, op *Op) error
	// Downgrade reverts it; nil means the revision cannot be downgraded.
	Downgrade func(ctx context.Context, op *Op) error
	// Objects declares the replaceable objects (views, functions,
	// triggers) this revision defines, by the name that later
	// revisions use to refer to them as "REV.name"; see
	// [ops.ReplaceObject] and [Registry.Object].
	Objects map[string]ops.ReplaceableObject
	// LintIgnore silences lint rules for every statement the Upgrade
	// renders, by rule id, with the reason shown by retort lint
	// --verbose: the Go counterpart of a '-- retort:lint-ignore RULE
	// reason' comment (see [Env.Lint]).
	LintIgnore map[string]string
}

// Registry collects Go migrations. The application owns it (retort keeps
// no global registry) and passes it to [Open] with [WithRegistry].
type Registry struct {
	migs []registered
}

type registered struct {
	m    Migration
	file string
	line int
}

// Add registers m, remembering the caller's file and line for messages.
// Problems (a missing Upgrade, a bad id) are reported by Open.
func (r *Registry) Add(m Migration) {
	_, file, line, _ := runtime.Caller(1)
	r.migs = append(r.migs, registered{m: m, file: file, line: line})
}

// Len returns the number of registered migrations.
func (r *Registry) Len() int { return len(r.migs) }

func (r *Registry) revisions() ([]*revision.Revision, map[string]*Migration, error) {
	out := make([]*revision.Revision, 0, len(r.migs))
	byID := make(map[string]*Migration, len(r.migs))
	for i := range r.migs {
		reg := &r.migs[i]
		src := revision.Source{File: reg.file, Line: reg.line, Go: true}
		if reg.m.Upgrade == nil {
			return nil, nil, &revision.GraphError{Revision: reg.m.Revision, Source: src, Msg: "Go migration has no Upgrade function; set Migration.Upgrade"}
		}
		if err := checkObjects(&reg.m, src); err != nil {
			return nil, nil, err
		}
		out = append(out, &revision.Revision{
			ID: reg.m.Revision, Revises: reg.m.Revises, BranchLabels: reg.m.BranchLabels,
			DependsOn: reg.m.DependsOn, Message: reg.m.Message, Doc: reg.m.Message,
			NoTransaction: reg.m.NoTransaction, CommitBefore: reg.m.CommitBefore, Source: src,
		})
		byID[reg.m.Revision] = &reg.m
	}
	return out, byID, nil
}

// Op is what a Go migration uses to change the database: dialect-neutral
// operations (CreateTable, AddColumn, ..., Run for any ops.Operation,
// including custom ones) and raw SQL (Exec). Statements go to the live
// transaction, or into the script with --sql.
type Op struct {
	ctx     context.Context // the run's context, for this call only
	x       runner.Executor
	dialect dialect.Dialect
	xargs   map[string]string
	rev     string
	objects ops.ObjectLookup // follows "REV.name" references
}

// Exec runs one SQL statement (Alembic's op.execute).
func (o *Op) Exec(sql string) error {
	if err := o.x.Exec(o.ctx, sql); err != nil {
		return fmt.Errorf("revision %s: %w", o.rev, err)
	}
	return nil
}

// Querier returns the live transaction (or connection, for a
// no-transaction revision) to query data with, or an error when
// rendering offline SQL, where there is no database.
func (o *Op) Querier() (dialect.Querier, error) {
	q := o.x.Querier()
	if q == nil {
		return nil, &runner.OfflineError{Revision: o.rev, Msg: "it queries the database (op.Querier), which --sql mode has not got; run it online"}
	}
	return q, nil
}

// Offline reports whether the migration is being rendered as SQL.
func (o *Op) Offline() bool { return o.x.Querier() == nil }

// Dialect returns the dialect's name: "postgres", "sqlite" or "mysql".
func (o *Op) Dialect() string { return o.dialect.Name() }

// XArg returns the -x KEY=VALUE argument named key.
func (o *Op) XArg(key string) (string, bool) {
	v, ok := o.xargs[key]
	return v, ok
}

// QuoteIdent quotes a name for the dialect.
func (o *Op) QuoteIdent(name string) string { return o.dialect.QuoteIdent(name) }

type goBody struct {
	fn      func(context.Context, *Op) error
	dialect dialect.Dialect
	xargs   map[string]string
	rev     string
	reg     *Registry // looks up "REV.name" references
}

func (b *goBody) Run(ctx context.Context, x runner.Executor) error {
	op := &Op{ctx: ctx, x: x, dialect: b.dialect, xargs: b.xargs, rev: b.rev}
	if b.reg != nil {
		op.objects = b.reg.lookup
	}
	if err := b.fn(ctx, op); err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return err
		}
		return &GoMigrationError{Revision: b.rev, Err: err}
	}
	return nil
}

// GoMigrationError reports a Go migration that returned an error; its
// transaction was rolled back.
type GoMigrationError struct {
	Revision string
	Err      error
}

func (e *GoMigrationError) Error() string {
	return fmt.Sprintf("Go migration %s failed: %v", e.Revision, e.Err)
}

func (e *GoMigrationError) Unwrap() error { return e.Err }
