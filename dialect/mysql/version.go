package mysql

import (
	"context"
	"fmt"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/internal/sqlgen"
)

// versionStore renders Alembic's version table for MySQL: the same
// statements Alembic issues there (version_num VARCHAR(32), primary key
// <table>_pkc), with backticks.
type versionStore struct {
	sqlgen.VersionSQL // the statements, as Alembic writes them
	d                 Dialect
	t                 dialect.Ident
}

var _ dialect.ExistingHeads = versionStore{}

// Exists reports whether the table exists in the database t.Schema, or
// in the connection's current database when t has none. A database that
// is named but missing is an error: retort, like Alembic, does not
// create it.
func (v versionStore) Exists(ctx context.Context, q dialect.Querier) (bool, error) {
	var schemaOK, tableOK bool
	err := q.QueryRowContext(ctx, `SELECT
  ? = '' OR EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = ?),
  EXISTS (SELECT 1 FROM information_schema.tables
          WHERE table_schema = IF(? = '', DATABASE(), ?) AND table_name = ? AND table_type = 'BASE TABLE')`,
		v.t.Schema, v.t.Schema, v.t.Schema, v.t.Schema, v.t.Name).Scan(&schemaOK, &tableOK)
	if err != nil {
		return false, fmt.Errorf("version table %s: %w", v.t, err)
	}
	if !schemaOK {
		return false, fmt.Errorf("version table %s: database %s does not exist: create it (CREATE DATABASE %s) or change version_table_schema",
			v.t, v.d.QuoteIdent(v.t.Schema), v.d.QuoteIdent(v.t.Schema))
	}
	return tableOK, nil
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
