package postgres

import (
	"context"
	"fmt"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/internal/sqlgen"
)

// versionStore renders Alembic's version table for PostgreSQL.
type versionStore struct {
	sqlgen.VersionSQL // the statements, as Alembic writes them
	d                 Dialect
	t                 dialect.Ident
}

// Exists reports whether the table exists, looking it up on search_path
// when t has no schema. A schema that is set but missing is an error:
// retort, like Alembic, does not create schemas.
func (v versionStore) Exists(ctx context.Context, q dialect.Querier) (bool, error) {
	var schemaOK, tableOK bool
	err := q.QueryRowContext(ctx,
		`SELECT $1 = '' OR EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1),
		        to_regclass($2) IS NOT NULL`,
		v.t.Schema, v.d.qualified(v.t)).Scan(&schemaOK, &tableOK)
	if err != nil {
		return false, fmt.Errorf("version table %s: %w", v.t, err)
	}
	if !schemaOK {
		return false, fmt.Errorf("version table %s: schema %s does not exist: create it (CREATE SCHEMA %s) or change version_table_schema",
			v.t, v.d.QuoteIdent(v.t.Schema), v.d.QuoteIdent(v.t.Schema))
	}
	return tableOK, nil
}

// Heads reads the rows in the order the database returns them, as
// Alembic does; none when the table is missing.
func (v versionStore) Heads(ctx context.Context, q dialect.Querier) ([]string, error) {
	return sqlgen.Heads(ctx, q, v.t, v.d.qualified(v.t), v.Exists)
}
