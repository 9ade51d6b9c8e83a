package batch

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/retortdb/retort/dialect"
)

// savepoint wraps a rebuild, so that it applies whole or not at all
// both inside the migration's transaction and outside one.
const savepoint = "_retort_batch"

// reference is a foreign key of another table pointing at the rebuilt
// one.
type reference struct {
	table    string
	columns  []string
	onDelete string
}

// run carries out the rebuild on SQLite; see Alter.Run.
func (r *rebuild) run(ctx context.Context, d dialect.Dialect, q dialect.Querier, exec func(context.Context, string) error) error {
	s, name := r.new.Schema, r.new.Name
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
	refs, err := references(ctx, d, q, s, name)
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
	if r.triggers, err = triggers(ctx, d, q, s, name); err != nil {
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
		tables = append(tables, ref.table)
	}
	if err := foreignKeyCheck(ctx, d, q, s, tables); err != nil {
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

func master(d dialect.Dialect, s string) string {
	if s == "" {
		return "sqlite_master"
	}
	return d.QuoteIdent(s) + ".sqlite_master"
}

func schemaArg(s string) string {
	if s == "" {
		return "main"
	}
	return s
}

// references lists the foreign keys of other tables that point at the
// table name.
func references(ctx context.Context, d dialect.Dialect, q dialect.Querier, s, name string) ([]reference, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.name, f.id, f."from", f.on_delete FROM `+master(d, s)+` m
		JOIN pragma_foreign_key_list(m.name, ?) f
		WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE AND m.name <> ? COLLATE NOCASE
		ORDER BY m.name, f.id, f.seq`, schemaArg(s), name, name)
	if err != nil {
		return nil, fmt.Errorf("foreign keys referencing %s: %w", name, err)
	}
	defer rows.Close()
	var out []reference
	lastTable, lastID := "", -1
	for rows.Next() {
		var (
			table, from, onDelete string
			id                    int
		)
		if err := rows.Scan(&table, &id, &from, &onDelete); err != nil {
			return nil, err
		}
		if table != lastTable || id != lastID {
			out = append(out, reference{table: table, onDelete: strings.ToUpper(onDelete)})
			lastTable, lastID = table, id
		}
		out[len(out)-1].columns = append(out[len(out)-1].columns, from)
	}
	return out, rows.Err()
}

// actionsSafe fails when dropping the old table would run an ON DELETE
// action on rows of another table: with foreign keys enforced inside a
// transaction, SQLite's DROP TABLE deletes every row first, and the
// action cascades, sets NULL or refuses.
func actionsSafe(ctx context.Context, d dialect.Dialect, q dialect.Querier, s, name string, refs []reference) error {
	for _, ref := range refs {
		if ref.onDelete == "NO ACTION" || ref.onDelete == "" {
			continue
		}
		conds := make([]string, len(ref.columns))
		for i, c := range ref.columns {
			conds[i] = d.QuoteIdent(c) + " IS NOT NULL"
		}
		var found bool
		err := q.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+qname(d, s, ref.table)+" WHERE "+strings.Join(conds, " AND ")+")").Scan(&found)
		if err != nil {
			return err
		}
		if found {
			return fmt.Errorf("table %s references it with ON DELETE %s (%s) and has rows that would be affected: "+
				"inside a transaction SQLite cannot turn foreign keys off, and rebuilding %s would run that action; "+
				"run this revision outside the transaction (Migration.NoTransaction: retort then turns foreign keys off around the rebuild)",
				ref.table, ref.onDelete, strings.Join(ref.columns, ", "), name)
		}
	}
	return nil
}

// triggers returns the CREATE TRIGGER statements of the table's
// triggers, which DROP TABLE removes.
func triggers(ctx context.Context, d dialect.Dialect, q dialect.Querier, s, name string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT sql FROM `+master(d, s)+` WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL ORDER BY name`, name)
	if err != nil {
		return nil, fmt.Errorf("triggers on %s: %w", name, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sqlText string
		if err := rows.Scan(&sqlText); err != nil {
			return nil, err
		}
		out = append(out, sqlText)
	}
	return out, rows.Err()
}

// ForeignKeyError reports rows that break a foreign key after a
// rebuild.
type ForeignKeyError struct {
	// Table holds the row; RowID is its rowid; Parent is the table it
	// should reference.
	Table  string
	RowID  int64
	Parent string
}

func (e *ForeignKeyError) Error() string {
	return fmt.Sprintf("foreign key check failed: row %d of %s references a missing row of %s", e.RowID, e.Table, e.Parent)
}

func foreignKeyCheck(ctx context.Context, d dialect.Dialect, q dialect.Querier, s string, tables []string) error {
	for _, t := range tables {
		var (
			table, parent string
			rowid         sql.NullInt64
		)
		err := q.QueryRowContext(ctx, `SELECT "table", rowid, parent FROM pragma_foreign_key_check(?, ?)`, t, schemaArg(s)).Scan(&table, &rowid, &parent)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return fmt.Errorf("PRAGMA foreign_key_check(%s): %w", t, err)
		}
		return &ForeignKeyError{Table: table, RowID: rowid.Int64, Parent: parent}
	}
	return nil
}
