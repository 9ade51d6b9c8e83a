package dialect

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/retortdb/retort/schema"
)

// The interfaces of this file are optional abilities of a [Dialect]:
// code that needs one type-asserts the dialect and, where the ability
// is missing, does without it or fails saying which engine lacks what.
// None of them is ever chosen by the dialect's name.

// ScratchFunc builds something in a scratch database through q and
// reads it back: schema names the scratch schema when the engine makes
// one (empty when the scratch is a database of its own, whose objects
// are unqualified), for [InspectOpts.Schemas].
type ScratchFunc func(ctx context.Context, q Querier, schema string) error

// LocalScratcher is the scratch (dev) database ability of an engine
// that can make a private database of its own, without a server: SQLite
// in memory. Autogenerate applies the target schema there and inspects
// it.
type LocalScratcher interface {
	// Scratch calls fn on a new, empty database that is gone when
	// Scratch returns, whatever fn did.
	Scratch(ctx context.Context, fn ScratchFunc) error
}

// ServerScratcher is the scratch (dev) database ability of a server
// engine: a scratch schema or database made through the live database's
// transaction and always dropped, even when fn fails. PostgreSQL makes a
// schema inside a savepoint that is rolled back.
type ServerScratcher interface {
	// ScratchOn calls fn on a new, empty scratch schema or database made
	// through tx, a transaction on the live database that the caller
	// rolls back afterwards.
	ScratchOn(ctx context.Context, tx Querier, fn ScratchFunc) error
}

// ViewNormalizer is the ability to print a view definition back the way
// the server stores it (PostgreSQL's pg_get_viewdef), so that a view
// declared in Go compares equal to the same view read from the database.
type ViewNormalizer interface {
	// CanonicalView creates the view definition as a temporary view in
	// tx, reads it back and undoes the creation. ok is false when the
	// view cannot be created (its tables do not exist yet); err reports
	// a failure that leaves tx unusable.
	CanonicalView(ctx context.Context, tx Querier, definition string) (canonical string, ok bool, err error)
}

// CurrentSchemaReader reads the schema unqualified names resolve to in
// this session (current_schema()). Every dialect with [Caps.Schemas]
// has it.
type CurrentSchemaReader interface {
	CurrentSchema(ctx context.Context, q Querier) (string, error)
}

// SchemaFinder reports which named schemas exist. Autogenerate asks it
// about include_schemas, so that a schema the target needs and the
// database lacks is created (ops.CreateSchema) rather than failing the
// inspection. Every dialect with [Caps.Schemas] should have it.
type SchemaFinder interface {
	// ExistingSchemas returns those of names that exist in the database
	// q is on (on MySQL, the databases of its server), in the order of
	// names.
	ExistingSchemas(ctx context.Context, q Querier, names []string) ([]string, error)
}

// ServerIdentifier names the server and database q is connected to, and
// the server's version, in one string: what a cache of results computed
// on the server (the autogenerate target cache) is keyed on. A dialect
// without it gets no such cache.
type ServerIdentifier interface {
	ServerIdentity(ctx context.Context, q Querier) (string, error)
}

// SchemaResetter returns the statements that undo [Dialect.SetSchema]
// on a connection, before it goes back to a pool (RESET search_path).
type SchemaResetter interface {
	ResetSchema() []string
}

// Reference is a foreign key of another table pointing at a table.
type Reference struct {
	// Table holds the foreign key; Columns are its columns there.
	Table   string
	Columns []string
	// OnDelete is the ON DELETE action in upper case ("CASCADE"), or
	// "NO ACTION".
	OnDelete string
}

// RebuildCatalog is what rebuilding a table in a live database
// ([Caps.RebuildsTables]) reads from the catalog. t.Schema is an
// attached database's name, or empty.
type RebuildCatalog interface {
	// InspectTable reflects one table.
	InspectTable(ctx context.Context, q Querier, t Ident) (*schema.Table, error)
	// ReferencesTo lists the foreign keys of other tables that point at
	// t.
	ReferencesTo(ctx context.Context, q Querier, t Ident) ([]Reference, error)
	// Triggers returns the CREATE TRIGGER statements of t's triggers.
	Triggers(ctx context.Context, q Querier, t Ident) ([]string, error)
	// CheckForeignKeys returns a *[ForeignKeyError] for the first row of
	// tables (in schema) whose foreign key points at a missing row.
	CheckForeignKeys(ctx context.Context, q Querier, schema string, tables []string) error
}

// ForeignKeyError reports a row that breaks a foreign key after a
// table rebuild.
type ForeignKeyError struct {
	// Table holds the row; RowID is its rowid; Parent is the table it
	// should reference.
	Table  string
	RowID  int64
	Parent string
}

func (e *ForeignKeyError) Error() string {
	return fmt.Sprintf("foreign key check failed: row %d of %s references a missing row of %s", e.RowID, e.Table, e.Parent)
}

// MemoryOpener is the ability to open a private, empty database in
// memory without a server (SQLite). The test kit (retorttest,
// `retort test`) runs each test on one when the engine has it.
type MemoryOpener interface {
	// OpenMemory opens a new database that lives until the returned
	// pool is closed; it has one connection.
	OpenMemory() (*sql.DB, error)
}

// TestServer is the ability to make fresh databases on a server for
// tests (retorttest, `retort test`): each test gets an empty database
// of its own, dropped when it ends.
type TestServer interface {
	// CreateTestDatabase creates the database name (lower-case letters,
	// digits and _) on server, with the setup statements run in it
	// first (an engine may build a template once per setup and clone
	// it), and returns the function that drops it.
	CreateTestDatabase(ctx context.Context, server Server, name string, setup []string) (drop func(context.Context) error, err error)
}

// Server is a database server that a [TestServer] makes databases on.
type Server struct {
	// Admin is a pool connected to the server, kept for the whole
	// process; the same pointer means the same server.
	Admin *sql.DB
	// Open opens another database of the same server, by name.
	Open func(database string) (*sql.DB, error)
}

// TargetStatement is one statement of a target schema file as an
// engine reads it: what to run on the scratch database, and what it
// tells about the target.
type TargetStatement struct {
	// SQL is the statement to run, rewritten where needed (PostgreSQL's
	// CREATE EXTENSION and CREATE SCHEMA get IF NOT EXISTS).
	SQL string
	// Skip reports a statement that sets what is not compared and may
	// not apply on a scratch database: ownership (ALTER ... OWNER TO),
	// privileges (GRANT, REVOKE, ALTER DEFAULT PRIVILEGES), comments on
	// extensions.
	Skip bool
	// Extension names the extension a CREATE EXTENSION statement needs.
	Extension string
	// Schemas are the schemas it names: created (CREATE SCHEMA),
	// qualified object names, search_path settings.
	Schemas []string
	// SetsPath reports a statement that changes the session's
	// search_path (pg_dump's set_config('search_path', '', false)).
	SetsPath bool
}

// TargetReader is the ability to read the statements of a target schema
// file written by the engine's dump tool (pg_dump -s) or by hand.
type TargetReader interface {
	// CleanTarget removes from a file what is not SQL for the server,
	// such as psql's meta-commands (pg_dump's \restrict lines).
	CleanTarget(src string) string
	// ReadTargetStatement reads one statement.
	ReadTargetStatement(sql string) TargetStatement
}

// DatabaseScratcher is the ability to make a scratch database on the
// server, for a target that spans several schemas: the caller connects
// to it by name, and drops it whatever happened.
type DatabaseScratcher interface {
	// CreateScratchDatabase creates an empty database through q (not in
	// a transaction) and returns its name.
	CreateScratchDatabase(ctx context.Context, q Querier) (string, error)
	// DropScratchDatabase drops it, closing what is still connected.
	DropScratchDatabase(ctx context.Context, q Querier, name string) error
	// SchemaNames lists the schemas of the database q is on, but the
	// system's.
	SchemaNames(ctx context.Context, q Querier) ([]string, error)
	// MissingExtensions returns those of names the server cannot create
	// (not installed on it).
	MissingExtensions(ctx context.Context, q Querier, names []string) ([]string, error)
}

// BusyReporter is the ability to tell that an error means another
// session is using the database (SQLite's SQLITE_BUSY, met on opening or
// reading a file another process writes), beside the
// [LockTimeoutError] every dialect's Locker returns.
type BusyReporter interface {
	// Busy reports whether err says another session holds the database.
	Busy(err error) bool
}
