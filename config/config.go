package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/lint"
)

// DefaultFile is the config file name retort looks for.
const DefaultFile = "retort.toml"

// Defaults, as used when neither [retort] nor the environment sets a key.
const (
	DefaultScriptLocation     = "migrations"
	DefaultURL                = "${DATABASE_URL:-sqlite:///app.db}"
	DefaultVersionTable       = "alembic_version"
	DefaultFileTemplate       = "{rev}_{slug}"
	DefaultTruncateSlugLength = 40
	DefaultTargetSchema       = "schema.sql"
	DefaultLockTimeout        = 60 * time.Second
	DefaultLeaseExpiry        = 30 * time.Second
)

// Format is what `retort revision` writes.
type Format int

// Formats.
const (
	FormatSQL Format = iota // an SQL revision file
	FormatGo                // a Go revision file
)

// String returns "sql" or "go".
func (f Format) String() string {
	switch f {
	case FormatSQL:
		return "sql"
	case FormatGo:
		return "go"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Config is one environment of a retort.toml, with defaults filled in,
// variables expanded and paths made absolute.
type Config struct {
	// File is the config file's absolute path; Dir is its folder, against
	// which relative paths resolve.
	File string
	Dir  string
	// Name is the environment: "" for [retort], else the NAME of [env.NAME].
	Name string
	// Environments lists the NAMEs of every [env.NAME] in the file, sorted.
	Environments []string

	// ScriptLocation is the absolute path of the script directory.
	ScriptLocation string
	// VersionLocations are absolute folders of revision files; empty means
	// <ScriptLocation>/versions (see [Config.VersionDirs]).
	VersionLocations          []string
	RecursiveVersionLocations bool
	// URL is the database URL; nil when url = "" (the caller must then
	// pass a connection). Print it: it shows no password.
	URL *URL
	// VersionTable and VersionTableSchema name the version table; an
	// empty schema means the connection's default.
	VersionTable       string
	VersionTableSchema string
	// SearchPath is the schema to run in ("" = the connection's default).
	SearchPath string
	// ServerVersion names the server offline SQL is written for, on
	// engines whose syntax depends on it ("mysql-8.0.36",
	// "mariadb-10.11"); "" is the syntax every supported version accepts.
	// Online, the server's own version decides.
	ServerVersion      string
	FileTemplate       string
	TruncateSlugLength int
	// Timezone is the IANA name for Create Date ("" = UTC); Location is
	// the loaded zone.
	Timezone string
	Location *time.Location
	Format   Format
	// TargetSchema is the absolute path of the autogenerate target: a
	// file, a folder (its *.sql files in name order) or a glob pattern.
	TargetSchema string
	// IncludeSchemas are the schemas autogenerate compares (Alembic's
	// include_schemas); empty means the current one (search_path, else
	// the connection's default), ["*"] every schema but the system's.
	IncludeSchemas []string
	// ExcludeTables and ExcludeSchemas are glob patterns (path.Match) of
	// the tables ("name" or "schema.name") and schemas autogenerate leaves
	// out, on both sides; ExcludeKinds the kinds of object it leaves out
	// (see [Kinds]).
	ExcludeTables  []string
	ExcludeSchemas []string
	ExcludeKinds   []string
	// DevURL, when set, is the server database where autogenerate builds
	// a target that spans several schemas: it creates a scratch database
	// there (and drops it) instead of on the database of URL.
	DevURL *URL
	// TestSetup is the absolute path of an SQL file retort test runs on
	// each scratch database before the first migration, or "".
	TestSetup string
	// CreateSchema creates the search_path schema when it is missing.
	CreateSchema bool
	// Program is the absolute path of the Go environment program, or "".
	Program                 string
	TransactionPerMigration bool
	LockTimeout             time.Duration
	// LeaseExpiry is how long the lease of a no-transaction revision
	// lasts without a renewal before another run takes it over
	// (lease_expiry; the holder renews every 5 s).
	LeaseExpiry         time.Duration
	RevisionEnvironment bool
	// CheckLint makes `retort check` lint every revision too
	// (check_lint).
	CheckLint bool
	// LintLargeTableRows is the row count from which lint's size-aware
	// rules call a table large (lint_large_table_rows; default
	// lint.DefaultLargeRows).
	LintLargeTableRows int64
	// LintLevels sets lint rules' levels by rule id (the lint table:
	// [retort.lint] or lint = {...}); a rule not named is at lint.Error.
	// An [env.NAME]'s lint table sets rules over [retort]'s.
	LintLevels map[string]lint.Level
	// XArgs are the -x KEY=VALUE arguments, for migrations to read.
	XArgs map[string]string
}

// Kinds are the words exclude_kinds accepts.
var Kinds = []string{"table", "view", "enum", "sequence", "function", "trigger", "index", "foreign_key", "check", "unique", "comment"}

// VersionDirs returns VersionLocations, or <ScriptLocation>/versions when
// none is set.
func (c *Config) VersionDirs() []string {
	if len(c.VersionLocations) > 0 {
		return c.VersionLocations
	}
	return []string{filepath.Join(c.ScriptLocation, "versions")}
}

// Option configures [Load] and [Parse].
type Option interface{ apply(*options) error }

type options struct {
	name   string
	lookup LookupFunc
	xargs  map[string]string
}

type optionFunc func(*options) error

func (f optionFunc) apply(o *options) error { return f(o) }

// WithName selects the environment [env.NAME]; "" (the default) or
// "retort" selects [retort].
func WithName(name string) Option {
	return optionFunc(func(o *options) error { o.name = name; return nil })
}

// WithLookup sets how ${VAR} is looked up; the default is os.LookupEnv.
func WithLookup(f LookupFunc) Option {
	return optionFunc(func(o *options) error {
		if f == nil {
			return errors.New("config.WithLookup: nil func")
		}
		o.lookup = f
		return nil
	})
}

// WithXArgs sets the -x arguments (see [ParseXArgs]) that fill {x.NAME}
// placeholders and are kept in [Config.XArgs].
func WithXArgs(x map[string]string) Option {
	return optionFunc(func(o *options) error {
		o.xargs = make(map[string]string, len(x))
		for k, v := range x {
			o.xargs[k] = v
		}
		return nil
	})
}

// Load reads and parses the config file at path (see [Parse]). A missing
// file is a bad-input error that says to run `retort init`; it also
// matches fs.ErrNotExist.
func Load(path string, opts ...Option) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fault.BadInput(fmt.Errorf("%s: config file not found; run `retort init migrations` to create one, or pass -c FILE: %w", path, fs.ErrNotExist))
	}
	if err != nil {
		return nil, fault.BadInput(fmt.Errorf("%s: the config file cannot be read (%w); check the path given with -c or RETORT_CONFIG, and that it is a readable file", path, err))
	}
	return Parse(data, path, opts...)
}

// section is one TOML table: [retort] or [env.NAME]. A nil field is unset.
type section struct {
	ScriptLocation            *string   `toml:"script_location"`
	VersionLocations          *[]string `toml:"version_locations"`
	RecursiveVersionLocations *bool     `toml:"recursive_version_locations"`
	URL                       *string   `toml:"url"`
	VersionTable              *string   `toml:"version_table"`
	VersionTableSchema        *string   `toml:"version_table_schema"`
	SearchPath                *string   `toml:"search_path"`
	ServerVersion             *string   `toml:"server_version"`
	FileTemplate              *string   `toml:"file_template"`
	TruncateSlugLength        *int      `toml:"truncate_slug_length"`
	Timezone                  *string   `toml:"timezone"`
	Format                    *string   `toml:"format"`
	TargetSchema              *string   `toml:"target_schema"`
	Program                   *string   `toml:"program"`
	TransactionPerMigration   *bool     `toml:"transaction_per_migration"`
	IncludeSchemas            *[]string `toml:"include_schemas"`
	ExcludeTables             *[]string `toml:"exclude_tables"`
	ExcludeSchemas            *[]string `toml:"exclude_schemas"`
	ExcludeKinds              *[]string `toml:"exclude_kinds"`
	DevURL                    *string   `toml:"dev_url"`
	TestSetup                 *string   `toml:"test_setup"`
	CreateSchema              *bool     `toml:"create_schema"`
	LockTimeout               *string   `toml:"lock_timeout"`
	LeaseExpiry               *string   `toml:"lease_expiry"`
	RevisionEnvironment       *bool     `toml:"revision_environment"`
	CheckLint                 *bool     `toml:"check_lint"`
	LintLargeTableRows        *int64    `toml:"lint_large_table_rows"`
	// Lint is the lint table: rule id -> "off", "warning" or "error".
	Lint *map[string]string `toml:"lint"`
}

type document struct {
	Retort section                 `toml:"retort"`
	Env    map[string]section      `toml:"env"`
	Fleet  map[string]fleetSection `toml:"fleet"`
}

// Keys returns every key a [retort] or [env.NAME] table may set.
func Keys() []string {
	t := reflect.TypeFor[section]()
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = t.Field(i).Tag.Get("toml")
	}
	return keys
}

// Parse parses a retort.toml held in data; file names it in errors and
// anchors relative paths (its folder, or the working directory when file
// is ""). Errors caused by the file's content are bad-input errors that
// name the file, line and key.
func Parse(data []byte, file string, opts ...Option) (*Config, error) {
	o := options{lookup: os.LookupEnv}
	for _, opt := range opts {
		if err := opt.apply(&o); err != nil {
			return nil, fault.BadInput(err)
		}
	}
	var c Config
	if err := c.setFile(file); err != nil {
		return nil, err
	}
	var doc document
	md, err := toml.Decode(string(data), &doc)
	if err != nil {
		return nil, fault.BadInput(fmt.Errorf("%s: %w", c.displayName(), err))
	}
	p := &parser{file: c.displayName(), data: data}
	if err := p.undecoded(md.Undecoded()); err != nil {
		return nil, fault.BadInput(err)
	}
	for name := range doc.Env {
		c.Environments = append(c.Environments, name)
	}
	slices.Sort(c.Environments)
	merged := doc.Retort
	p.env = ""
	if o.name != "" && o.name != "retort" {
		env, ok := doc.Env[o.name]
		if !ok {
			return nil, fault.BadInput(unknownEnv(c.displayName(), o.name, c.Environments))
		}
		c.Name, p.env, p.envSec = o.name, o.name, env
		merged = overlay(doc.Retort, env)
		merged.Lint = mergeLint(doc.Retort.Lint, env.Lint)
	}
	c.XArgs = o.xargs
	if c.XArgs == nil {
		c.XArgs = map[string]string{}
	}
	p.lookup, p.xargs = o.lookup, c.XArgs
	p.fill(&c, merged)
	if err := errors.Join(p.errs...); err != nil {
		return nil, fault.BadInput(err)
	}
	return &c, nil
}

func (c *Config) setFile(file string) error {
	if file == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		c.Dir = wd
		return nil
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	c.File, c.Dir = abs, filepath.Dir(abs)
	return nil
}

func (c *Config) displayName() string {
	if c.File == "" {
		return DefaultFile
	}
	if rel, err := filepath.Rel(mustWd(), c.File); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return c.File
}

func mustWd() string {
	wd, _ := os.Getwd()
	return wd
}

func unknownEnv(file, name string, names []string) error {
	if len(names) == 0 {
		return fmt.Errorf("%s: no environment %q: the file has no [env.NAME] tables; drop --name to use [retort]", file, name)
	}
	msg := fmt.Sprintf("%s: no environment %q; available: %s", file, name, strings.Join(names, ", "))
	if s := suggest(name, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return errors.New(msg)
}

// overlay returns base with every key that env sets replaced.
func overlay(base, env section) section {
	out := base
	bv, ev := reflect.ValueOf(&out).Elem(), reflect.ValueOf(env)
	for i := range bv.NumField() {
		if f := ev.Field(i); !f.IsNil() {
			bv.Field(i).Set(f)
		}
	}
	return out
}

// mergeLint is the lint table of an environment: [retort]'s rules with
// the environment's set over them.
func mergeLint(base, env *map[string]string) *map[string]string {
	if base == nil || env == nil {
		if env != nil {
			return env
		}
		return base
	}
	out := map[string]string{}
	for k, v := range *base {
		out[k] = v
	}
	for k, v := range *env {
		out[k] = v
	}
	return &out
}
