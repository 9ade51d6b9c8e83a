package postgres

import (
	"github.com/retortdb/retort/dialect/internal/sqlgen"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/sqlsplit"
)

// Dialect is PostgreSQL as retort sees it. Its zero value is ready to
// use; [New] returns one as a [dialect.Dialect].
type Dialect struct{}

var _ dialect.Dialect = Dialect{}

// New returns the PostgreSQL dialect.
func New() dialect.Dialect { return Dialect{} }

// Engine is PostgreSQL's entry in the engine registry, registered when
// the package is imported.
var Engine = dialect.Engine{
	Name:    "postgres",
	Product: "PostgreSQL",
	Schemes: []string{
		"postgres", "postgresql", "postgresql+asyncpg", "postgresql+psycopg2",
		"postgresql+psycopg", "postgresql+pg8000", "postgres+pgx", "postgresql+pgx",
	},
	Driver:         "pgx",
	DriverPackages: []string{"github.com/jackc/pgx/v5/stdlib"},
	New:            New,
}

func init() { dialect.Register(Engine) }

// Name returns "postgres".
func (Dialect) Name() string { return "postgres" }

// Caps reports transactional DDL, named schemas (default "public"),
// comments, enum types, several statements per Exec and $n
// placeholders.
func (Dialect) Caps() dialect.Caps {
	return dialect.Caps{
		TransactionalDDL: true, Schemas: true, Leases: true,
		Comments: true, Enums: true, MultiStatements: true,
		DefaultSchema: "public", Placeholders: dialect.DollarNumbers,
	}
}

// QuoteIdent always quotes name with double quotes, doubling any double
// quote inside it, so the name keeps its exact case and may be a
// reserved word.
func (Dialect) QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteLiteral renders s as a standard string literal, doubling single
// quotes; backslashes stay literal (standard_conforming_strings on).
func (Dialect) QuoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// SplitOptions enables dollar quoting, E” strings and nested block
// comments.
func (Dialect) SplitOptions() sqlsplit.Options {
	return sqlsplit.Options{DollarQuotes: true, EscapeStrings: true, NestedComments: true}
}

// Begin returns "BEGIN".
func (Dialect) Begin() string { return "BEGIN" }

// Commit returns "COMMIT".
func (Dialect) Commit() string { return "COMMIT" }

// VersionStore returns the SQL for the version table t; t.Schema may be
// empty, meaning the first schema on search_path.
func (d Dialect) VersionStore(t dialect.Ident) dialect.VersionStore {
	return versionStore{VersionSQL: sqlgen.VersionSQL{Q: d, Table: d.qualified(t), Name: t.Name}, d: d, t: t}
}

// Locker returns the advisory lock that serialises runs on the version
// table t. A positive timeout bounds the wait (lock_timeout); zero waits
// as long as the server's own lock_timeout and the context allow.
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
