package sqlgen

import (
	"context"
	"fmt"

	"github.com/retortdb/retort/dialect"
)

// Heads reads the version table t, whose qualified, quoted name is
// table, when exists reports it there; none when it is missing. It is
// every dialect's [dialect.VersionStore] Heads.
func Heads(ctx context.Context, q dialect.Querier, t dialect.Ident, table string,
	exists func(context.Context, dialect.Querier) (bool, error)) ([]string, error) {
	ok, err := exists(ctx, q)
	if err != nil || !ok {
		return nil, err
	}
	return ExistingHeads(ctx, q, t, table)
}

// ExistingHeads reads the rows of the version table t (table: its
// qualified, quoted name), known to exist, in the order the database
// returns them, as Alembic does. Errors name t.
func ExistingHeads(ctx context.Context, q dialect.Querier, t dialect.Ident, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT version_num FROM "+table)
	if err != nil {
		return nil, fmt.Errorf("version table %s: %w", t, err)
	}
	defer rows.Close()
	var heads []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("version table %s: %w", t, err)
		}
		heads = append(heads, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("version table %s: %w", t, err)
	}
	return heads, nil
}
