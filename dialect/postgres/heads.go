package postgres

import (
	"context"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/internal/sqlgen"
)

var _ dialect.ExistingHeads = versionStore{}

// ExistingHeads reads the rows of a version table known to exist.
func (v versionStore) ExistingHeads(ctx context.Context, q dialect.Querier) ([]string, error) {
	return sqlgen.ExistingHeads(ctx, q, v.t, v.d.qualified(v.t))
}
