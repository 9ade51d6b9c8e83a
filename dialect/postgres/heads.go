package postgres

import (
	"context"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.ExistingHeads = versionStore{}

// ExistingHeads reads the rows of a version table known to exist.
func (v versionStore) ExistingHeads(ctx context.Context, q dialect.Querier) ([]string, error) {
	return readHeads(ctx, q, v.t, "SELECT version_num FROM "+v.d.qualified(v.t))
}
