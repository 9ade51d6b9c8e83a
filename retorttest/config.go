package retorttest

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/schema"
)

// PostgresEnv names the environment variable holding the URL of a
// PostgreSQL server to test on, when [Config.URL] is empty.
const PostgresEnv = "RETORT_TEST_POSTGRES_URL"

// DefaultEngine is the engine tests run on when nothing names one:
// SQLite, in memory.
const DefaultEngine = "sqlite"

// Config says where a project's migrations are and what the built-in
// tests check. The zero value reads ./retort.toml when it exists and tests
// on SQLite in memory.
type Config struct {
	// ConfigFile is the retort.toml to read. Empty means "retort.toml"
	// in the working directory (the test's package folder) when it
	// exists, else no file: then Options must say where revisions are
	// (retort.WithFS, retort.WithRegistry).
	ConfigFile string
	// Name selects an [env.NAME] environment of the file.
	Name string
	// Settings is an already loaded configuration, used instead of
	// ConfigFile. Its url is never used: tests run on databases of
	// their own.
	Settings *config.Config
	// Options are passed to retort.Open, before the kit's own
	// connection: WithRegistry, WithFS, WithHooks, WithXArgs,
	// WithOnConnect.
	Options []retort.Option

	// Dialect forces the engine, by its registered name ("sqlite",
	// "postgres", "mysql"; see dialect.Names). Empty means the engine of
	// URL (or Server), else the engine of the config's url when it
	// names one, else PostgreSQL when PostgresEnv is set, else
	// [DefaultEngine]. Tests run in memory on an engine that has
	// dialect.MemoryOpener and on a server for one with
	// dialect.TestServer; any other engine is an error.
	Dialect string
	// URL is a database server to test on; each test gets a fresh
	// database on it. Empty means Server, else the engine's
	// RETORT_TEST_<ENGINE>_URL ([PostgresEnv] for PostgreSQL). A sqlite
	// URL means SQLite in memory.
	URL string
	// Server is URL already parsed (`retort test` passes the config's
	// url); URL wins when both are set.
	Server *config.URL
	// PostgresSetup are statements run once in the PostgreSQL template
	// database (CREATE EXTENSION ...), so every test database has them.
	PostgresSetup []string

	// Heads is the number of heads single_head_revision expects; 0
	// means 1.
	Heads int
	// MinimumDowngradeRevision stops downgrades, as pytest-alembic's
	// minimum_downgrade_revision: up_down_consistency and
	// data_round_trip never downgrade to it (so with history
	// base,a,b,c,d and minimum c, no downgrade runs at all), while
	// downgrade_leaves_no_trace checks it and every later revision
	// (c's and d's downgrades run, b's does not).
	MinimumDowngradeRevision string
	// SkipRevisions are stamped instead of run, up and down.
	SkipRevisions []string

	// Terms are the words messages use for these settings; nil means
	// [GoTerms] (retort test sets [CLITerms]).
	Terms *Terms

	// Target is the schema the migrations must produce, for
	// model_definitions_match_ddl and all_models_register_on_metadata.
	Target *schema.Database
	// Models are the tables the application's structs map to, for
	// all_models_register_on_metadata.
	Models []*schema.Table

	// BeforeRevisionData maps a revision id to rows inserted just before
	// upgrading to it (pytest-alembic's before_revision_data);
	// AtRevisionData to rows inserted just after reaching it
	// (at_revision_data). Every Runner navigation inserts them; the
	// data_round_trip test also checks that they survive.
	BeforeRevisionData map[string][]Data
	AtRevisionData     map[string][]Data

	// Include lists the built-in tests to run (empty: all) and Exclude
	// those to leave out, even when included. Names are pytest-alembic's,
	// with or without the "test_" prefix; an unknown name fails the run.
	Include []string
	Exclude []string
}

// Row is one row to insert: column name to value (nil, bool, integers,
// floats, string, []byte, time.Time).
type Row map[string]any

// Data is rows for one table; Table may be "schema.table".
type Data struct {
	Table string
	Rows  []Row
}

// Test names, as Include and Exclude take them.
const (
	SingleHeadRevision          = "single_head_revision"
	Upgrade                     = "upgrade"
	ModelDefinitionsMatchDDL    = "model_definitions_match_ddl"
	UpDownConsistency           = "up_down_consistency"
	DowngradeLeavesNoTrace      = "downgrade_leaves_no_trace"
	AllModelsRegisterOnMetadata = "all_models_register_on_metadata"
	DataRoundTrip               = "data_round_trip"
)

// Tests returns the names of the built-in tests, in the order Run runs
// them.
func Tests() []string {
	names := make([]string, len(builtins))
	for i, b := range builtins {
		names[i] = b.name
	}
	return names
}

// selected returns the built-in tests to run, or an error naming the
// unknown ones in pytest-alembic's words.
func (c *Config) selected() ([]builtin, error) {
	known := Tests()
	var unknown []string
	clean := func(list []string) map[string]bool {
		set := map[string]bool{}
		for _, item := range list {
			for _, n := range strings.FieldsFunc(item, func(r rune) bool { return r == ',' || r == '\n' }) {
				n = strings.TrimPrefix(strings.TrimSpace(n), "test_")
				if n == "" {
					continue
				}
				if !slices.Contains(known, n) && !slices.Contains(unknown, n) {
					unknown = append(unknown, n)
				}
				set[n] = true
			}
		}
		return set
	}
	include, exclude := clean(c.Include), clean(c.Exclude)
	if len(unknown) > 0 {
		return nil, fmt.Errorf("the following tests were unrecognized: %s", strings.Join(unknown, ", "))
	}
	var out []builtin
	for _, b := range builtins {
		if (len(include) == 0 || include[b.name]) && !exclude[b.name] {
			out = append(out, b)
		}
	}
	return out, nil
}

// settings returns the loaded configuration, or nil for none.
func (c *Config) settings() (*config.Config, error) {
	if c.Settings != nil {
		return c.Settings, nil
	}
	file := c.ConfigFile
	if file == "" {
		if _, err := os.Stat(config.DefaultFile); errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		file = config.DefaultFile
	}
	return config.Load(file, config.WithName(c.Name))
}
