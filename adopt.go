package retort

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/importer"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/runner"
)

// AdoptRequest says what [Env.Adopt] takes over.
type AdoptRequest struct {
	// Format is the old tool.
	Format importer.Format
	// Table is the old tool's version table; the zero value is the
	// tool's default (see [importer.DefaultTable]).
	Table dialect.Ident
	// DropOldTable drops the old tool's table in the transaction that
	// stamps. By default it stays, so the team can go back.
	DropOldTable bool
	// DryRun reads and matches, and changes nothing.
	DryRun bool
}

// AdoptResult is what [Env.Adopt] found and did.
type AdoptResult struct {
	// Table is the old tool's table read.
	Table dialect.Ident
	// Applied are the versions it records as applied, in its order;
	// Through, when not "", the version up to which every version is
	// applied (golang-migrate, tern, a baseline).
	Applied []string
	Through string
	// Revision is the imported revision the database is at ("" when
	// the old tool applied nothing).
	Revision string
	// Stamped reports that the version table was stamped (false in a
	// dry run, when nothing was applied, and when it already was).
	Stamped bool
	// Dropped reports that the old table was dropped.
	Dropped bool
	// Run is the stamp's run (nil when nothing was stamped).
	Run *Result
}

// Adopt takes over a database that req.Format's tool managed: it reads
// that tool's version table, finds the imported revision (see
// [Env.Import]) of its last applied version, and stamps the version
// table there, so that the next upgrade runs only what the old tool had
// not. The read is repeated inside the stamp's transaction, under the
// version table's lock, and the stamp goes through the normal stamp path
// (and so the run's record). req.DropOldTable drops the old table in the
// same transaction (on MySQL/MariaDB DROP TABLE commits by itself, so
// there it runs last, after the stamp). A database already stamped at
// that revision is left alone; one stamped elsewhere is refused. Errors
// for a state unsafe to adopt (dirty, failed, unknown or skipped
// versions) match [ErrBadInput] and say what to fix first.
func (e *Env) Adopt(ctx context.Context, req AdoptRequest) (*AdoptResult, error) {
	if err := e.needEngine(); err != nil {
		return nil, err
	}
	if _, err := importer.ParseFormat(string(req.Format)); err != nil {
		return nil, err
	}
	imported, err := e.imported(req.Format)
	if err != nil {
		return nil, err
	}
	h, err := e.handle(ctx, !req.DryRun)
	if err != nil {
		return nil, err
	}
	q := e.querier()
	out := &AdoptResult{}
	applied, err := importer.ReadApplied(ctx, q, e.dialect, req.Format, req.Table)
	if err != nil {
		return nil, err
	}
	fill(out, applied)
	if out.Revision, err = importer.Match(imported, applied); err != nil {
		return out, err
	}
	heads, err := e.CurrentHeads(ctx)
	if err != nil {
		return out, err
	}
	switch {
	case len(heads) > 0 && (len(heads) != 1 || heads[0] != out.Revision):
		return out, fault.BadInput(fmt.Errorf("version table %s already records %v, not %s, the revision %s's table names; adopt a database retort does not manage yet (or 'retort stamp --purge %s' if you are sure)",
			e.VersionTable(), heads, orBase(out.Revision), req.Format, orBase(out.Revision)))
	case req.DryRun || len(heads) > 0 && !req.DropOldTable:
		return out, nil
	case out.Revision == "" && !req.DropOldTable:
		return out, nil
	}
	if out.Revision == "" || len(heads) > 0 {
		// Nothing to stamp: only the old table to drop.
		return out, e.dropOld(ctx, applied.Table, out)
	}
	return out, e.stampAdopted(ctx, h, req, applied, out)
}

func orBase(id string) string {
	if id == "" {
		return "base"
	}
	return id
}

func fill(out *AdoptResult, a *importer.Applied) {
	out.Table = a.Table
	out.Applied = []string{}
	for _, v := range a.Versions {
		out.Applied = append(out.Applied, v.Text)
	}
	if a.Through != nil {
		out.Through = a.Through.Text
	}
}

// imported lists the environment's revisions imported from format f: SQL
// files by their "Imported From:" header, Go revisions (ported goose Go
// migrations) by their id.
func (e *Env) imported(f importer.Format) ([]importer.Imported, error) {
	var out []importer.Imported
	for _, r := range e.graph.Revisions() {
		if s := e.scriptOf(r.ID); s != nil {
			if s.ImportedFrom == "" {
				continue
			}
			sf, file, v, ok := importer.ImportedFromHeader(s.ImportedFrom)
			if !ok || sf != f {
				continue
			}
			out = append(out, importer.Imported{ID: r.ID, Version: v, Source: path.Base(file)})
			continue
		}
		if v, ok := importer.VersionOfID(f, r.ID); ok && r.Source.Go {
			out = append(out, importer.Imported{ID: r.ID, Version: v})
		}
	}
	if len(out) == 0 {
		return nil, fault.BadInput(fmt.Errorf("no revision imported from %s in %s: run 'retort import %s DIR' on the folder the database was migrated with first", f, e.cfgName(), f))
	}
	return out, nil
}

// errOldTableMoved stops a stamp whose second read of the old table
// differs from the first.
var errOldTableMoved = errors.New("the old tool's table changed while adopting")

// stampAdopted stamps out.Revision through the normal run, re-reading the
// old table in the stamp's transaction and dropping it there if asked.
func (e *Env) stampAdopted(ctx context.Context, h runner.Handle, req AdoptRequest, first *importer.Applied, out *AdoptResult) error {
	rn := e.runner()
	user := rn.Hooks
	rn.Hooks.BeforeStep = func(ctx context.Context, s runner.StepInfo) error {
		again, err := importer.ReadApplied(ctx, s.Querier, e.dialect, req.Format, first.Table)
		if err != nil {
			return err
		}
		if !sameApplied(first, again) {
			return fmt.Errorf("%w: %s's table %s moved while retort read it; stop %s and adopt again", errOldTableMoved, req.Format, first.Table, req.Format)
		}
		if user.BeforeStep != nil {
			return user.BeforeStep(ctx, s)
		}
		return nil
	}
	rn.Hooks.AfterStep = func(ctx context.Context, s runner.StepInfo) error {
		if user.AfterStep != nil {
			if err := user.AfterStep(ctx, s); err != nil {
				return err
			}
		}
		if !req.DropOldTable {
			return nil
		}
		if _, err := s.Querier.ExecContext(ctx, e.dialect.VersionStore(first.Table).DropTable()); err != nil {
			return fmt.Errorf("drop %s's table %s: %w", req.Format, first.Table, err)
		}
		out.Dropped = true
		return nil
	}
	res, err := rn.Run(ctx, h, runner.Request{Kind: runner.Stamp, Targets: []string{out.Revision}})
	out.Run = newResult(res)
	if err != nil {
		out.Dropped = false
		e.forgetCreated(out.Run, err)
		return err
	}
	e.created = ""
	out.Stamped = true
	return nil
}

// dropOld drops the old table alone (nothing to stamp).
func (e *Env) dropOld(ctx context.Context, t dialect.Ident, out *AdoptResult) error {
	if _, err := e.querier().ExecContext(ctx, e.dialect.VersionStore(t).DropTable()); err != nil {
		return fmt.Errorf("drop %s: %w", t, err)
	}
	out.Dropped = true
	return nil
}

// querier is the connection handle opened: the caller's, or the pool.
func (e *Env) querier() dialect.Querier {
	if e.opts.haveConn {
		if q, ok := e.opts.conn.(dialect.Querier); ok {
			return q
		}
	}
	return e.db
}

func sameApplied(a, b *importer.Applied) bool {
	eq := func(x, y importer.Version) bool { return x.Same(y) }
	if !slices.EqualFunc(a.Versions, b.Versions, eq) {
		return false
	}
	if a.Through == nil || b.Through == nil {
		return a.Through == nil && b.Through == nil
	}
	return a.Through.Same(*b.Through)
}
