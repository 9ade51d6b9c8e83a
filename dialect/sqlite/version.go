package sqlite

import (
	"context"
	"fmt"

	"github.com/retortdb/retort/dialect"
)

// versionStore renders Alembic's version table for SQLite.
type versionStore struct {
	d Dialect
	t dialect.Ident
}

// Exists reports whether the table exists: in the attached database
// t.Schema, or, when t has none, in any database where an unqualified
// name would find it (temp, main, then attached ones).
func (v versionStore) Exists(ctx context.Context, q dialect.Querier) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx,
		`SELECT count(*) FROM pragma_table_list WHERE type = 'table' AND name = ? AND (? = '' OR schema = ?)`,
		v.t.Name, v.t.Schema, v.t.Schema).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("version table %s: %w", v.t, err)
	}
	return n > 0, nil
}

// Heads reads the rows in the order the database returns them, as
// Alembic does; none when the table is missing.
func (v versionStore) Heads(ctx context.Context, q dialect.Querier) ([]string, error) {
	ok, err := v.Exists(ctx, q)
	if err != nil || !ok {
		return nil, err
	}
	return v.ExistingHeads(ctx, q)
}

// ExistingHeads reads the rows of a version table known to exist.
func (v versionStore) ExistingHeads(ctx context.Context, q dialect.Querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT version_num FROM "+v.d.qualified(v.t))
	if err != nil {
		return nil, fmt.Errorf("version table %s: %w", v.t, err)
	}
	defer rows.Close()
	var heads []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("version table %s: %w", v.t, err)
		}
		heads = append(heads, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("version table %s: %w", v.t, err)
	}
	return heads, nil
}

// CreateTable is Alembic's DDL, with IF NOT EXISTS.
func (v versionStore) CreateTable() string {
	return "CREATE TABLE IF NOT EXISTS " + v.d.qualified(v.t) +
		" (version_num VARCHAR(32) NOT NULL, CONSTRAINT " + v.d.QuoteIdent(v.t.Name+"_pkc") +
		" PRIMARY KEY (version_num))"
}

// DropTable drops the table.
func (v versionStore) DropTable() string { return "DROP TABLE " + v.d.qualified(v.t) }

// Insert adds one row.
func (v versionStore) Insert(id string) string {
	return "INSERT INTO " + v.d.qualified(v.t) + " (version_num) VALUES (" + v.d.QuoteLiteral(id) + ")"
}

// Update renames one row, in Alembic's form.
func (v versionStore) Update(from, to string) string {
	q := v.d.qualified(v.t)
	return "UPDATE " + q + " SET version_num=" + v.d.QuoteLiteral(to) +
		" WHERE " + q + ".version_num = " + v.d.QuoteLiteral(from)
}

// Delete removes one row, in Alembic's form.
func (v versionStore) Delete(id string) string {
	q := v.d.qualified(v.t)
	return "DELETE FROM " + q + " WHERE " + q + ".version_num = " + v.d.QuoteLiteral(id)
}

// DeleteAll removes every row.
func (v versionStore) DeleteAll() string { return "DELETE FROM " + v.d.qualified(v.t) }
