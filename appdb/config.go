package appdb

import (
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/schema"
)

// Defaults used where a Config leaves a field empty.
const (
	DefaultURL           = "sqlite:///app.db"
	DefaultMigrationsDir = "migrations/versions"
	DefaultVersionTable  = "alembic_version"
	DefaultLockTimeout   = 60 * time.Second
)

// Config says where the database and the migrations are and what a
// fresh database looks like. The zero Config works: an SQLite file
// app.db in the working directory and revision files in
// migrations/versions (none is fine).
type Config struct {
	// URL is the database URL (postgres://..., sqlite:///app.db, and
	// SQLAlchemy's forms); empty means DefaultURL. Ignored when DB is set.
	URL string
	// DB is the caller's connection pool, used instead of opening URL;
	// the Manager never closes it. Dialect must then name the engine,
	// unless the driver tells it.
	DB      *sql.DB
	Dialect string

	// Migrations holds the revision files (an embed.FS, say), in the
	// folder MigrationsDir ("." when empty). Without it MigrationsDir is
	// a folder on disk, DefaultMigrationsDir when empty; a missing
	// default folder means no revisions, a missing folder that was
	// named is an error.
	Migrations    fs.FS
	MigrationsDir string
	// Registry holds Go migrations, joined to the same graph.
	Registry *retort.Registry

	// Target, Models and SchemaSQL describe a fresh database, which
	// Create and Sync build in one go and stamp at the heads instead of
	// running every migration (Alembic's cookbook, "building an up to
	// date database from scratch"). Target is a schema value; Models are
	// structs with db/retort tags (see schema.FromStruct), added to
	// Target's tables; SchemaSQL is a declarative script (schema.sql).
	// With none of them, a fresh database is made by running the
	// migrations from base, so data migrations run too.
	Target    *schema.Database
	Models    []any
	SchemaSQL string

	// VersionTable and VersionTableSchema name the version table
	// (DefaultVersionTable; the connection's default schema).
	VersionTable       string
	VersionTableSchema string
	// LockTimeout bounds the wait for another replica's Sync or
	// migration (DefaultLockTimeout when zero; negative waits forever).
	LockTimeout time.Duration
	// Logger receives the migrations' progress; nil logs nothing.
	Logger *slog.Logger
}

// Environment variables read by ConfigFromEnv.
const (
	EnvURL                = "DATABASE_URL"
	EnvMigrations         = "RETORT_MIGRATIONS"
	EnvVersionTable       = "RETORT_VERSION_TABLE"
	EnvVersionTableSchema = "RETORT_VERSION_TABLE_SCHEMA"
	EnvLockTimeout        = "RETORT_LOCK_TIMEOUT"
)

// ConfigFromEnv returns a Config filled from the environment, the way
// Pydantic settings feed sqlalchemy-helpers: DATABASE_URL,
// RETORT_MIGRATIONS (the migrations folder), RETORT_VERSION_TABLE,
// RETORT_VERSION_TABLE_SCHEMA and RETORT_LOCK_TIMEOUT (a Go duration,
// "30s"). Unset variables leave the defaults; a malformed value is an
// error naming the variable. Set Migrations, Models and the like on the
// result in code.
func ConfigFromEnv() (Config, error) {
	return configFrom(os.LookupEnv)
}

func configFrom(lookup func(string) (string, bool)) (Config, error) {
	var c Config
	get := func(k string) string {
		v, _ := lookup(k)
		return strings.TrimSpace(v)
	}
	c.URL = get(EnvURL)
	c.MigrationsDir = get(EnvMigrations)
	c.VersionTable = get(EnvVersionTable)
	c.VersionTableSchema = get(EnvVersionTableSchema)
	if s := get(EnvLockTimeout); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			return c, badInput(fmt.Errorf("%s=%q: not a duration such as 30s or 2m", EnvLockTimeout, s))
		}
		c.LockTimeout = d
	}
	return c, nil
}
