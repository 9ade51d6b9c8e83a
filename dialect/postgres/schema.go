package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/retortdb/retort/dialect"
)

// SetSchema returns SET search_path TO "schema", making schema the only
// schema searched for unqualified names for the rest of the session.
func (d Dialect) SetSchema(schema string) ([]string, error) {
	if schema == "" {
		return nil, errors.New("postgres: empty schema name for search_path")
	}
	return []string{"SET search_path TO " + d.QuoteIdent(schema)}, nil
}

// SetSchemaLocal returns SET LOCAL search_path TO "schema": schema is the
// only schema searched until the transaction ends.
func (d Dialect) SetSchemaLocal(schema string) ([]string, error) {
	if schema == "" {
		return nil, errors.New("postgres: empty schema name for search_path")
	}
	return []string{"SET LOCAL search_path TO " + d.QuoteIdent(schema)}, nil
}

// ResetSchema returns RESET search_path, which undoes SetSchema.
func (Dialect) ResetSchema() []string { return []string{"RESET search_path"} }

// CurrentSchema returns current_schema(): the first schema of
// search_path that exists.
func (Dialect) CurrentSchema(ctx context.Context, q dialect.Querier) (string, error) {
	// NULL (no schema of search_path exists) is "".
	var s string
	err := q.QueryRowContext(ctx, "SELECT coalesce(current_schema(), '')").Scan(&s)
	return s, err
}

var _ dialect.SchemaFinder = Dialect{}

// ExistingSchemas returns those of names that pg_namespace lists.
func (Dialect) ExistingSchemas(ctx context.Context, q dialect.Querier, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	var found []byte
	err := q.QueryRowContext(ctx, `SELECT coalesce(json_agg(nspname), '[]') FROM pg_catalog.pg_namespace
		WHERE nspname = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))`, jsonArray(names)).Scan(&found)
	if err != nil {
		return nil, err
	}
	var exist []string
	if err := json.Unmarshal(found, &exist); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(slices.Clone(names), func(n string) bool { return !slices.Contains(exist, n) }), nil
}
