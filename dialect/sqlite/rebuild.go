package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.RebuildCatalog = Dialect{}

// ReferencesTo lists the foreign keys of other tables that point at t,
// from pragma_foreign_key_list.
func (d Dialect) ReferencesTo(ctx context.Context, q dialect.Querier, t dialect.Ident) ([]dialect.Reference, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.name, f.id, f."from", f.on_delete FROM `+d.master(t.Schema)+` m
		JOIN pragma_foreign_key_list(m.name, ?) f
		WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE AND m.name <> ? COLLATE NOCASE
		ORDER BY m.name, f.id, f.seq`, schemaArg(t.Schema), t.Name, t.Name)
	if err != nil {
		return nil, fmt.Errorf("foreign keys referencing %s: %w", t.Name, err)
	}
	defer rows.Close()
	var out []dialect.Reference
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
			out = append(out, dialect.Reference{Table: table, OnDelete: strings.ToUpper(onDelete)})
			lastTable, lastID = table, id
		}
		out[len(out)-1].Columns = append(out[len(out)-1].Columns, from)
	}
	return out, rows.Err()
}

// Triggers returns the CREATE TRIGGER statements of t's triggers, which
// DROP TABLE removes, sorted by name.
func (d Dialect) Triggers(ctx context.Context, q dialect.Querier, t dialect.Ident) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT sql FROM `+d.master(t.Schema)+` WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL ORDER BY name`, t.Name)
	if err != nil {
		return nil, fmt.Errorf("triggers on %s: %w", t.Name, err)
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

// CheckForeignKeys runs pragma_foreign_key_check on each table and
// reports the first row it finds.
func (Dialect) CheckForeignKeys(ctx context.Context, q dialect.Querier, schema string, tables []string) error {
	for _, t := range tables {
		var (
			table, parent string
			rowid         sql.NullInt64
		)
		err := q.QueryRowContext(ctx, `SELECT "table", rowid, parent FROM pragma_foreign_key_check(?, ?)`, t, schemaArg(schema)).Scan(&table, &rowid, &parent)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return fmt.Errorf("PRAGMA foreign_key_check(%s): %w", t, err)
		}
		return &dialect.ForeignKeyError{Table: table, RowID: rowid.Int64, Parent: parent}
	}
	return nil
}
