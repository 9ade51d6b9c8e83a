package postgres

import "errors"

// SetSchemaLocal returns SET LOCAL search_path TO "schema": schema is the
// only schema searched until the transaction ends.
func (d Dialect) SetSchemaLocal(schema string) ([]string, error) {
	if schema == "" {
		return nil, errors.New("postgres: empty schema name for search_path")
	}
	return []string{"SET LOCAL search_path TO " + d.QuoteIdent(schema)}, nil
}
