package mysql

import (
	"errors"
	"strings"
	"time"

	_ "github.com/go-sql-driver/mysql" // registers the "mysql" driver

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/internal/sqlgen"
	"github.com/retortdb/retort/sqlsplit"
)

// Engine is MySQL's entry in the engine registry (MariaDB is MySQL),
// registered when the package is imported.
var Engine = dialect.Engine{
	Name:    "mysql",
	Product: "MySQL",
	Schemes: []string{
		"mysql", "mysql+pymysql", "mysql+mysqldb", "mysql+aiomysql", "mysql+asyncmy",
		"mysql+mysqlconnector", "mariadb", "mariadb+pymysql", "mariadb+mysqldb",
		"mariadb+mariadbconnector",
	},
	Driver:         "mysql",
	DriverPackages: []string{"github.com/go-sql-driver/mysql"},
	New:            New,
}

func init() { dialect.Register(Engine) }

// Dialect is MySQL and MariaDB as retort sees them. Its zero value
// writes the common syntax (MariaDB ≥ 10.5 and MySQL ≥ 8.0); [NewFor]
// writes for one server, and [Dialect.ForServer] asks a live one.
type Dialect struct {
	srv Server
}

var _ dialect.Dialect = Dialect{}

// New returns the MySQL dialect with the common syntax.
func New() dialect.Dialect { return Dialect{} }

// NewFor returns the MySQL dialect writing for the server s (see
// [ParseServer]).
func NewFor(s Server) dialect.Dialect { return Dialect{srv: s} }

// Server returns the server the dialect writes for.
func (d Dialect) Server() Server { return d.srv }

// Name returns "mysql", for MariaDB too.
func (Dialect) Name() string { return "mysql" }

// Caps reports what MySQL cannot do: DDL commits implicitly, so there is
// no transactional DDL and the run lock is a session lock (GET_LOCK)
// held for the whole run. A schema is a database, so there is no
// default schema name; tables and columns have comments; an enum is a
// column type, not a named type; statements go one per Exec
// (multiStatements off).
func (Dialect) Caps() dialect.Caps {
	return dialect.Caps{
		TransactionalDDL: false,
		Schemas:          true,
		SessionLock:      true,
		Comments:         true,
		InlineEnums:      true,
		Placeholders:     dialect.QuestionMarks,
		Upsert:           dialect.OnDuplicateKey,
	}
}

// QuoteIdent always quotes name with backticks, doubling any backtick
// inside it.
func (Dialect) QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// literalEscaper escapes what a MySQL string literal needs: the quote,
// the backslash (an escape character unless sql_mode has
// NO_BACKSLASH_ESCAPES) and the bytes the mysql client mangles.
var literalEscaper = strings.NewReplacer(`\`, `\\`, `'`, `''`, "\x00", `\0`, "\x1a", `\Z`)

// QuoteLiteral renders s as a string literal, doubling single quotes and
// escaping backslashes, NUL and Ctrl-Z with a backslash. Under
// sql_mode NO_BACKSLASH_ESCAPES a backslash in s would come out
// doubled; retort assumes the default sql_mode.
func (Dialect) QuoteLiteral(s string) string {
	return "'" + literalEscaper.Replace(s) + "'"
}

// SplitOptions is [sqlsplit.MySQL]: `identifiers`, backslash escapes,
// # comments, /*! */ comments, "-- " comments, the mysql client's
// DELIMITER command and BEGIN ... END bodies of routines and triggers.
func (Dialect) SplitOptions() sqlsplit.Options { return sqlsplit.MySQL }

// Begin returns "": DDL commits implicitly on MySQL, so an offline script
// has no transaction to open (Alembic writes none either).
func (Dialect) Begin() string { return "" }

// Commit returns "".
func (Dialect) Commit() string { return "" }

// SetSchema returns USE `schema`: on MySQL a schema is a database, and
// USE makes it the default for unqualified names for the rest of the
// session.
func (d Dialect) SetSchema(schema string) ([]string, error) {
	if schema == "" {
		return nil, errEmptySchema
	}
	return []string{"USE " + d.QuoteIdent(schema)}, nil
}

var errEmptySchema = errors.New("mysql: empty database name for search_path")

// VersionStore returns the SQL for the version table t; t.Schema names a
// database and may be empty, meaning the connection's current one.
func (d Dialect) VersionStore(t dialect.Ident) dialect.VersionStore {
	return versionStore{VersionSQL: sqlgen.VersionSQL{Q: d, Table: d.qualified(t), Name: t.Name}, d: d, t: t}
}

// Locker returns the GET_LOCK lock that serialises runs on the version
// table t; see the package doc. A positive timeout bounds the wait;
// zero waits as long as the context allows.
func (d Dialect) Locker(t dialect.Ident, timeout time.Duration) dialect.Locker {
	return locker{d: d, t: t, timeout: timeout}
}

// qualified renders t as `schema`.`name` or `name`.
func (d Dialect) qualified(t dialect.Ident) string {
	if t.Schema == "" {
		return d.QuoteIdent(t.Name)
	}
	return d.QuoteIdent(t.Schema) + "." + d.QuoteIdent(t.Name)
}
