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
			schema, name := mysqlName(table)
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

// ColumnTypes returns an [Options.Columns] that reads a column's
// current type: format_type from pg_attribute on PostgreSQL (the table
// resolved by the search_path), information_schema.columns on
// MySQL/MariaDB (the table's schema, or the current database); nil on
// SQLite, whose rules do not ask. A failed read is an unknown column.
func ColumnTypes(ctx context.Context, q Querier, eng Engine) func(table, column string) (Column, bool) {
	switch eng {
	case Postgres:
		return func(table, column string) (Column, bool) {
			var c Column
			err := q.QueryRowContext(ctx, `SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped`, table, column).Scan(&c.Type)
			return c, err == nil
		}
	case MySQL:
		return mysqlColumns(ctx, q)
	}
	return nil
}

// mysqlColumns is [ColumnTypes] on MySQL/MariaDB.
func mysqlColumns(ctx context.Context, q Querier) func(table, column string) (Column, bool) {
	mariadb := -1 // unknown until the first column is read
	return func(table, column string) (Column, bool) {
		if mariadb < 0 {
			var v string
			if err := q.QueryRowContext(ctx, `SELECT VERSION()`).Scan(&v); err != nil {
				return Column{}, false
			}
			mariadb = 0
			if strings.Contains(strings.ToLower(v), "mariadb") {
				mariadb = 1
			}
		}
		schema, name := mysqlName(table)
		c := Column{MariaDB: mariadb == 1}
		var chars, octets sql.NullInt64
		err := q.QueryRowContext(ctx, `SELECT column_type, character_maximum_length, character_octet_length FROM information_schema.columns
WHERE table_schema = COALESCE(NULLIF(?, ''), DATABASE()) AND table_name = ? AND column_name = ?`, schema, name, column).Scan(&c.Type, &chars, &octets)
		if err != nil {
			return Column{}, false
		}
		if chars.Valid && octets.Valid && chars.Int64 > 0 {
			c.BytesPerChar = int(octets.Int64 / chars.Int64)
		}
		return c, true
	}
}

// mysqlName splits a possibly qualified MySQL table name into its
// schema ("" when not named) and name, without backticks.
func mysqlName(table string) (schema, name string) {
	name = table
	if i := strings.LastIndexByte(table, '.'); i >= 0 {
		schema, name = strings.Trim(table[:i], "`"), table[i+1:]
	}
	return schema, strings.Trim(name, "`")
}
