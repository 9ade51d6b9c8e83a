// Package mysql owns MySQL's and MariaDB's SQL for retort: quoting, the
// rendering of operations, the version table, the GET_LOCK run lock and
// the information_schema inspector. It does not run migrations; the
// runner does, through the [dialect.Dialect] that [New] returns.
//
// # Driver
//
// The package imports github.com/go-sql-driver/mysql, so the "mysql"
// database/sql driver is registered by importing it. retort opens it
// with parseTime=true and multiStatements off: statements are split by
// retort and sent one at a time, so an error names the statement.
//
// # Servers and syntax
//
// One dialect serves MySQL and MariaDB. The zero [Dialect] (from [New])
// writes the syntax that both MariaDB 10.5 and later and MySQL 8.0 and
// later accept; offline scripts use it unless retort.toml's
// server_version names a server (for example "mysql-8.0.36" or
// "mariadb-10.11"), and online runs ask the server ([Dialect.ForServer])
// so the server's version decides. What changes with the server:
//
//   - IF [NOT] EXISTS on columns and indexes: MariaDB only.
//   - CHECK constraints: MariaDB 10.2 and MySQL 8.0.16 enforce them;
//     older servers parse and ignore them, so retort refuses them there.
//     They are dropped with DROP CONSTRAINT (DROP CHECK before MySQL 8.0.19).
//   - RENAME COLUMN: MySQL 8.0, MariaDB 10.5.2; before that a rename
//     restates the column with CHANGE COLUMN.
//   - Index parts that are expressions: MySQL 8.0.13 only.
//   - Sequences: MariaDB 10.3 only; UUID columns: MariaDB 10.7 has a
//     UUID type, elsewhere they are CHAR(36).
//   - CREATE OR REPLACE FUNCTION: MariaDB; elsewhere DROP then CREATE.
//
// # Types
//
// smallint, integer and bigint are SMALLINT, INT and BIGINT; boolean is
// BOOL (TINYINT(1)); text and bytes are LONGTEXT and LONGBLOB; varchar
// needs a length; real and double are FLOAT and DOUBLE; time and
// timestamp are TIME(6) and DATETIME(6), timestamptz is TIMESTAMP(6)
// (stored as UTC); json and jsonb are JSON (LONGTEXT with a json_valid
// check on MariaDB). There is no interval type, and no named enum type:
// an enum is a column type, schema.EnumOf("a", "b"), written ENUM('a',
// 'b') ([dialect.Caps].InlineEnums), whose values change by MODIFY
// COLUMN; a value ending in a space is refused (MySQL would strip it).
// A column's OnUpdate is its ON UPDATE clause.
// A literal default on a TEXT, BLOB or JSON column is written ('x'), as
// MySQL 8 requires; other expression defaults are parenthesised unless
// they are a current-time function, a number or NULL.
//
// # Table options
//
// ops.CreateTable's Options["mysql"] is written after the column list as
// it is: "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
// (Alembic's mysql_engine, mysql_charset). Without it the server's
// defaults apply; the inspector does not report engine or charset.
//
// # What MySQL cannot do
//
// DDL commits implicitly: a failed revision leaves the statements before
// the failing one applied, and the runner reports which ones. An
// AlterColumn that changes type, nullability or comment restates the
// whole column and so needs Existing. Partial indexes, USING, DROP TABLE
// ... CASCADE, GENERATED ALWAYS identities and per-column increments
// fail with a [dialect.UnsupportedError]; keys on whole TEXT or BLOB
// columns need a prefix length (schema.IndexPart Length). PostgreSQL's
// Concurrently is ignored: InnoDB builds indexes online.
//
// # Literals
//
// [Dialect.QuoteLiteral] doubles single quotes and escapes backslashes,
// assuming the default sql_mode (without NO_BACKSLASH_ESCAPES).
//
// # Locks
//
// Runs on one version table are serialised with GET_LOCK on a session of
// their own, held for the whole run and released on every exit path (and
// by the server when the session ends). Its name is "retort:" followed
// by the first 56 hex digits of SHA2(database + "." + table, 256), the
// database being DATABASE() when the version table is unqualified, so an
// operator can find the holder by hand:
//
//	SELECT IS_USED_LOCK(CONCAT('retort:', LEFT(SHA2('app.alembic_version', 256), 56)));
//
// MySQL has no lock that ends with a transaction, so LockTx fails with
// [ErrNoTxLock].
//
// # Schemas
//
// A schema is a database: search_path selects the database (USE) and
// version_table_schema names the database that holds the version table.
package mysql
