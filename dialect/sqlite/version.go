package sqlite

import (
	"context"
	"fmt"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/internal/sqlgen"
)

// versionStore renders Alembic's version table for SQLite.
type versionStore struct {
	sqlgen.VersionSQL // the statements, as Alembic writes them
	d                 Dialect
	t                 dialect.Ident
}

// Exists reports whether the table exists: in the attached database
// t.Schema, or, when t has none, in any database where an unqualified
// name would find it (temp, main, then attached ones).
func (v versionStore) Exists(ctx context.Context, q dialect.Querier) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx,
		`SELECT count(*) FROM pragma_table_list(?) WHERE type = 'table' AND (? = '' OR schema = ?)`,
		v.t.Name, v.t.Schema, v.t.Schema).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("version table %s: %w", v.t, err)
	}
	return n > 0, nil
}

// Heads reads the rows in the order the database returns them, as
// Alembic does; none when the table is missing.
func (v versionStore) Heads(ctx context.Context, q dialect.Querier) ([]string, error) {
	return sqlgen.Heads(ctx, q, v.t, v.d.qualified(v.t), v.Exists)
}

// ExistingHeads reads the rows of a version table known to exist.
func (v versionStore) ExistingHeads(ctx context.Context, q dialect.Querier) ([]string, error) {
	return sqlgen.ExistingHeads(ctx, q, v.t, v.d.qualified(v.t))
}
