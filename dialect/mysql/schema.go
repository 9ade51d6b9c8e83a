package mysql

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/retortdb/retort/dialect"
)

var (
	_ dialect.CurrentSchemaReader = Dialect{}
	_ dialect.ServerIdentifier    = Dialect{}
)

// CurrentSchema returns the connection's current database (DATABASE()),
// where unqualified names resolve; an error when none is selected.
func (Dialect) CurrentSchema(ctx context.Context, q dialect.Querier) (string, error) {
	var s sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&s); err != nil {
		return "", err
	}
	if !s.Valid {
		return "", fmt.Errorf("mysql: the connection has no current database: name one in the URL (mysql://user@host/DATABASE)")
	}
	return s.String, nil
}

// ServerIdentity names the server (host name and port), the current
// database and the server's version, for caches of results computed on
// the server.
func (Dialect) ServerIdentity(ctx context.Context, q dialect.Querier) (string, error) {
	var s string
	err := q.QueryRowContext(ctx, "SELECT CONCAT(@@hostname, ':', @@port, '/', COALESCE(DATABASE(), ''), ' ', VERSION())").Scan(&s)
	return s, err
}

// SetSchemaLocal returns USE `schema`, as [Dialect.SetSchema] does:
// MySQL has no setting that lasts only for a transaction, so the
// connection keeps the database selected after the transaction ends.
func (d Dialect) SetSchemaLocal(schema string) ([]string, error) {
	return d.SetSchema(schema)
}
