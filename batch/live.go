package batch

import (
	"context"
	"fmt"
	"strings"

	"github.com/retortdb/retort/dialect"
)

// savepoint wraps a rebuild, so that it applies whole or not at all
// both inside the migration's transaction and outside one.
const savepoint = "_retort_batch"

// run carries out the rebuild (SQLite's procedure, the one engine with
// Caps.RebuildsTables), reading the catalog through cat; see Alter.Run.
func (r *rebuild) run(ctx context.Context, d dialect.Dialect, cat dialect.RebuildCatalog, q dialect.Querier, exec func(context.Context, string) error) error {
	s, name := r.new.Schema, r.new.Name
	id := dialect.Ident{Schema: s, Name: name}
	fkOn, err := pragma(ctx, q, "foreign_keys")
	if err != nil {
		return err
	}
	if fkOn {
		// A no-op inside a transaction; outside one it works, and the
		// rebuild then runs as SQLite's documented procedure.
		if _, err := q.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		if still, err := pragma(ctx, q, "foreign_keys"); err != nil {
			return err
		} else if !still {
			fkOn = false
			defer func() { _, _ = q.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON") }()
		}
	}
	deferOn, err := pragma(ctx, q, "defer_foreign_keys")
	if err != nil {
		return err
	}
	legacy, err := pragma(ctx, q, "legacy_alter_table")
	if err != nil {
		return err
	}
	refs, err := cat.ReferencesTo(ctx, q, id)
	if err != nil {
		return err
	}
	p := path{deferFKs: fkOn && !deferOn, legacyAlter: legacy}
	if fkOn && len(refs) > 0 {
		p.twoCopy = true
		if err := actionsSafe(ctx, d, q, s, name, refs); err != nil {
			return err
		}
	}
	if r.triggers, err = cat.Triggers(ctx, q, id); err != nil {
		return err
	}
	stmts, err := r.statements(d, p)
	if err != nil {
		return err
	}
	if err := exec(ctx, "SAVEPOINT "+savepoint); err != nil {
		return err
	}
	rollback := func(err error) error {
		bg := context.WithoutCancel(ctx)
		_, _ = q.ExecContext(bg, "ROLLBACK TO "+savepoint)
		_, _ = q.ExecContext(bg, "RELEASE "+savepoint)
		return err
	}
	for _, st := range stmts {
		if err := exec(ctx, st); err != nil {
			return rollback(err)
		}
	}
	if p.deferFKs {
		if err := exec(ctx, "PRAGMA defer_foreign_keys = OFF"); err != nil {
			return rollback(err)
		}
	}
	tables := []string{name}
	for _, ref := range refs {
		tables = append(tables, ref.Table)
	}
	if err := cat.CheckForeignKeys(ctx, q, s, tables); err != nil {
		return rollback(err)
	}
	return exec(ctx, "RELEASE "+savepoint)
}

func pragma(ctx context.Context, q dialect.Querier, name string) (bool, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
		return false, fmt.Errorf("PRAGMA %s: %w", name, err)
	}
	return v != 0, nil
}

// actionsSafe fails when dropping the old table would run an ON DELETE
// action on rows of another table: with foreign keys enforced inside a
// transaction, SQLite's DROP TABLE deletes every row first, and the
// action cascades, sets NULL or refuses.
func actionsSafe(ctx context.Context, d dialect.Dialect, q dialect.Querier, s, name string, refs []dialect.Reference) error {
	for _, ref := range refs {
		if ref.OnDelete == "NO ACTION" || ref.OnDelete == "" {
			continue
		}
		conds := make([]string, len(ref.Columns))
		for i, c := range ref.Columns {
			conds[i] = d.QuoteIdent(c) + " IS NOT NULL"
		}
		var found bool
		err := q.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+qname(d, s, ref.Table)+" WHERE "+strings.Join(conds, " AND ")+")").Scan(&found)
		if err != nil {
			return err
		}
		if found {
			return fmt.Errorf("table %s references it with ON DELETE %s (%s) and has rows that would be affected: "+
				"inside a transaction SQLite cannot turn foreign keys off, and rebuilding %s would run that action; "+
				"run this revision outside the transaction (Migration.NoTransaction: retort then turns foreign keys off around the rebuild)",
				ref.Table, ref.OnDelete, strings.Join(ref.Columns, ", "), name)
		}
	}
	return nil
}

// ForeignKeyError reports rows that break a foreign key after a
// rebuild.
type ForeignKeyError = dialect.ForeignKeyError
