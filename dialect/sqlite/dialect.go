package sqlite

import (
	"github.com/retortdb/retort/dialect/internal/sqlgen"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/sqlsplit"
)

// Dialect is SQLite as retort sees it. Its zero value is ready to use;
// [New] returns one as a [dialect.Dialect].
type Dialect struct{}

var _ dialect.Dialect = Dialect{}

// New returns the SQLite dialect.
func New() dialect.Dialect { return Dialect{} }

// Engine is SQLite's entry in the engine registry, registered when the
// package is imported.
var Engine = dialect.Engine{
	Name:           "sqlite",
	Product:        "SQLite",
	Schemes:        []string{"sqlite", "sqlite+pysqlite", "sqlite+aiosqlite"},
	Driver:         "sqlite",
	DriverPackages: []string{"modernc.org/sqlite"},
	New:            New,
}

func init() { dialect.Register(Engine) }

// Name returns "sqlite".
func (Dialect) Name() string { return "sqlite" }

// Caps reports transactional DDL (see the package doc), no schemas,
// table rebuilds for what ALTER TABLE cannot do, and ? placeholders.
func (Dialect) Caps() dialect.Caps {
	return dialect.Caps{TransactionalDDL: true, Schemas: false, Leases: true, RebuildsTables: true, Placeholders: dialect.QuestionMarks}
}

// QuoteIdent always quotes name with double quotes, doubling any double
// quote inside it.
func (Dialect) QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteLiteral renders s as a string literal, doubling single quotes;
// SQLite has no backslash escapes.
func (Dialect) QuoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// SplitOptions enables `backtick` identifiers, which SQLite accepts for
// MySQL compatibility; nothing else differs from standard SQL.
func (Dialect) SplitOptions() sqlsplit.Options {
	return sqlsplit.Options{Backticks: true}
}

// Begin returns "BEGIN": offline SQLite scripts run in one transaction.
func (Dialect) Begin() string { return "BEGIN" }

// Commit returns "COMMIT".
func (Dialect) Commit() string { return "COMMIT" }

// VersionStore returns the SQL for the version table t; t.Schema, when
// set, names an attached database.
func (d Dialect) VersionStore(t dialect.Ident) dialect.VersionStore {
	return versionStore{VersionSQL: sqlgen.VersionSQL{Q: d, Table: d.qualified(t), Name: t.Name}, d: d, t: t}
}

// Locker returns the lock for runs on the version table t: SQLite's write
// lock on the database that holds t, waited for up to timeout (zero: no
// limit but the context's).
func (d Dialect) Locker(t dialect.Ident, timeout time.Duration) dialect.Locker {
	return locker{d: d, t: t, timeout: timeout}
}

// qualified renders t as "schema"."name" or "name".
func (d Dialect) qualified(t dialect.Ident) string {
	if t.Schema == "" {
		return d.QuoteIdent(t.Name)
	}
	return d.QuoteIdent(t.Schema) + "." + d.QuoteIdent(t.Name)
}
