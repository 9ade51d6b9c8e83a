package lint

import (
	"context"
	"database/sql"
	"strings"
)

// Querier is what [RowEstimates] reads statistics through: a *sql.DB,
// *sql.Conn or *sql.Tx.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// RowEstimates returns an [Options.Rows] that reads a table's estimated
// row count from the database's statistics: pg_class.reltuples on
// PostgreSQL (unknown until the table has been analyzed or vacuumed),
// information_schema.tables.table_rows on MySQL/MariaDB. SQLite keeps
// no such statistics: it returns nil, and size-aware findings say to
// check the table size. A failed read is an unknown size.
func RowEstimates(ctx context.Context, q Querier, eng Engine) func(table string) (int64, bool) {
	switch eng {
	case Postgres:
		return func(table string) (int64, bool) {
			var n sql.NullFloat64
			err := q.QueryRowContext(ctx, `SELECT c.reltuples::float8 FROM pg_class c WHERE c.oid = to_regclass($1)`, table).Scan(&n)
			if err != nil || !n.Valid || n.Float64 < 0 {
				return 0, false
			}
			return int64(n.Float64), true
		}
	case MySQL:
		return func(table string) (int64, bool) {
			schema, name := "", table
			if i := strings.LastIndexByte(table, '.'); i >= 0 {
				schema, name = strings.Trim(table[:i], "`"), table[i+1:]
			}
			name = strings.Trim(name, "`")
			var n sql.NullInt64
			err := q.QueryRowContext(ctx, `SELECT table_rows FROM information_schema.tables
WHERE table_schema = COALESCE(NULLIF(?, ''), DATABASE()) AND table_name = ?`, schema, name).Scan(&n)
			if err != nil || !n.Valid {
				return 0, false
			}
			return n.Int64, true
		}
	}
	return nil
}
