package config_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/lint"
)

func lookup(vars map[string]string) config.LookupFunc {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

const fullFile = `
[retort]
script_location = "migrations"
url = "${DATABASE_URL:-sqlite:///app.db}"
version_table = "alembic_version"
search_path = "{x.tenant}"
lock_timeout = "90s"
timezone = "Europe/Paris"
format = "go"
program = "./cmd/migrate"

[env.reporting]
script_location = "migrations/reporting"
url = "${REPORTING_URL}"
version_locations = ["a", "/abs/b"]
search_path = ""
transaction_per_migration = true

[env.audit]
url = "postgresql://audit:pw@h/audit"
`

func TestParse(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "retort.toml")
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	tests := []struct {
		name string
		data string
		opts []config.Option
		want config.Config
	}{
		{
			name: "defaults",
			data: "",
			want: config.Config{
				ScriptLocation: filepath.Join(dir, "migrations"), VersionTable: "alembic_version",
				FileTemplate: "{rev}_{slug}", TruncateSlugLength: 40, Location: time.UTC,
				Format: config.FormatSQL, TargetSchema: filepath.Join(dir, "schema.sql"),
				LockTimeout: time.Minute, LeaseExpiry: 30 * time.Second, LintLargeTableRows: lint.DefaultLargeRows,
			},
		},
		{
			name: "retort table",
			data: fullFile,
			opts: []config.Option{config.WithXArgs(map[string]string{"tenant": "acme"})},
			want: config.Config{
				Environments:   []string{"audit", "reporting"},
				ScriptLocation: filepath.Join(dir, "migrations"), VersionTable: "alembic_version",
				SearchPath: "acme", FileTemplate: "{rev}_{slug}", TruncateSlugLength: 40,
				Timezone: "Europe/Paris", Location: paris, Format: config.FormatGo,
				TargetSchema: filepath.Join(dir, "schema.sql"), Program: filepath.Join(dir, "cmd/migrate"),
				LockTimeout: 90 * time.Second, LeaseExpiry: 30 * time.Second, LintLargeTableRows: lint.DefaultLargeRows, XArgs: map[string]string{"tenant": "acme"},
			},
		},
		{
			name: "env inherits",
			data: fullFile,
			opts: []config.Option{config.WithName("reporting"), config.WithLookup(lookup(map[string]string{"REPORTING_URL": "mysql://r@h/rep"}))},
			want: config.Config{
				Name: "reporting", Environments: []string{"audit", "reporting"},
				ScriptLocation:   filepath.Join(dir, "migrations/reporting"),
				VersionLocations: []string{filepath.Join(dir, "a"), "/abs/b"},
				VersionTable:     "alembic_version", FileTemplate: "{rev}_{slug}", TruncateSlugLength: 40,
				Timezone: "Europe/Paris", Location: paris, Format: config.FormatGo,
				TargetSchema: filepath.Join(dir, "schema.sql"), Program: filepath.Join(dir, "cmd/migrate"),
				TransactionPerMigration: true, LockTimeout: 90 * time.Second, LeaseExpiry: 30 * time.Second, LintLargeTableRows: lint.DefaultLargeRows,
			},
		},
		{
			name: "name retort is the retort table",
			data: "[retort]\nversion_table = \"v\"\n",
			opts: []config.Option{config.WithName("retort")},
			want: config.Config{
				ScriptLocation: filepath.Join(dir, "migrations"), VersionTable: "v",
				FileTemplate: "{rev}_{slug}", TruncateSlugLength: 40, Location: time.UTC,
				TargetSchema: filepath.Join(dir, "schema.sql"), LockTimeout: time.Minute, LeaseExpiry: 30 * time.Second, LintLargeTableRows: lint.DefaultLargeRows,
			},
		},
		{
			name: "expansion and escapes",
			data: `[retort]
script_location = "${ROOT}/mig"
version_table = "v$$1_${SUFFIX:-x}"
version_table_schema = "${SCHEMA:-${FALLBACK:-public}}"
file_template = "$rev_{slug}"
target_schema = "/abs/schema.sql"
`,
			opts: []config.Option{config.WithLookup(lookup(map[string]string{"ROOT": "/srv", "SUFFIX": ""}))},
			want: config.Config{
				ScriptLocation: "/srv/mig", VersionTable: "v$1_x", VersionTableSchema: "public",
				FileTemplate: "$rev_{slug}", TruncateSlugLength: 40, Location: time.UTC,
				TargetSchema: "/abs/schema.sql", LockTimeout: time.Minute, LeaseExpiry: 30 * time.Second, LintLargeTableRows: lint.DefaultLargeRows,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := append([]config.Option{config.WithLookup(lookup(nil))}, tt.opts...)
			c, err := config.Parse([]byte(tt.data), file, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if c.File != file || c.Dir != dir {
				t.Errorf("File, Dir = %q, %q; want %q, %q", c.File, c.Dir, file, dir)
			}
			got := *c
			got.File, got.Dir, got.URL = "", "", nil
			if len(got.XArgs) == 0 {
				got.XArgs = nil
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseURLField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		opts []config.Option
		want string // Redacted, "" for no URL
	}{
		{"default", "", nil, "sqlite:///app.db"},
		{"default from env", "", []config.Option{config.WithLookup(lookup(map[string]string{"DATABASE_URL": "postgresql://u:pw@h/d"}))}, "postgresql://u:***@h/d"},
		{"empty", "[retort]\nurl = \"\"\n", nil, ""},
		{"env table", fullFile, []config.Option{config.WithName("audit"), config.WithXArgs(map[string]string{"tenant": "t"})}, "postgresql://audit:***@h/audit"},
		{"x placeholder", "[retort]\nurl = \"postgresql://h/{x.db}\"\n", []config.Option{config.WithXArgs(map[string]string{"db": "t1"})}, "postgresql://h/t1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := append([]config.Option{config.WithLookup(lookup(nil))}, tt.opts...)
			c, err := config.Parse([]byte(tt.data), "", opts...)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if c.URL != nil {
				got = c.URL.Redacted()
			}
			if got != tt.want {
				t.Errorf("URL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		opts []config.Option
		want []string // substrings of the error
	}{
		{"unknown env", fullFile, []config.Option{config.WithName("reportin")},
			[]string{`retort.toml: no environment "reportin"; available: audit, reporting (did you mean "reporting"?)`}},
		{"unknown env no envs", "", []config.Option{config.WithName("x")}, []string{`no environment "x": the file has no [env.NAME] tables`}},
		{"unknown key", "[retort]\n\nscrpt_location = \"m\"\n", nil,
			[]string{`retort.toml:3: unknown key "scrpt_location" in [retort]; did you mean "script_location"?`}},
		{"unknown key in env", "[retort]\n[env.a]\nurl = \"sqlite://\"\nversion_tabel = \"v\"\n", nil,
			[]string{`retort.toml:4: unknown key "version_tabel" in [env.a]; did you mean "version_table"?`}},
		{"unknown key no suggestion", "[retort]\nzzzzzzzz = 1\n", nil, []string{`unknown key "zzzzzzzz" in [retort]; known keys: script_location, `}},
		{"unknown table", "[alembic]\nx = 1\n", nil, []string{`retort.toml:1: unknown table [alembic]`}},
		{"two unknown keys", "[retort]\nfoo = 1\nbar = 2\n", nil, []string{`retort.toml:2: unknown key "foo"`, `retort.toml:3: unknown key "bar"`}},
		{"toml syntax", "[retort\n", nil, []string{"retort.toml: toml:"}},
		{"wrong type", "[retort]\ntruncate_slug_length = \"x\"\n", nil, []string{"retort.toml: toml: line 2", "truncate_slug_length"}},
		{"unset variable", fullFile, []config.Option{config.WithName("reporting")},
			[]string{`retort.toml:14: [env.reporting] url: environment variable REPORTING_URL is not set; export it or write ${REPORTING_URL:-default}`}},
		{"unterminated", "[retort]\nversion_table = \"a${B\"\n", nil, []string{`retort.toml:2: [retort] version_table: unterminated ${`}},
		{"bad variable name", "[retort]\nversion_table = \"${1A}\"\n", nil, []string{`${1A}: not a variable name`}},
		{"missing x-arg", "[retort]\nsearch_path = \"{x.tenant}\"\n", nil,
			[]string{`retort.toml:2: [retort] search_path: search_path uses {x.tenant}; pass -x tenant=NAME`}},
		{"missing x-arg schema", "[retort]\nversion_table_schema = \"s_{x.t}\"\n", nil, []string{`version_table_schema uses {x.t}; pass -x t=NAME`}},
		{"bad url", "[retort]\nurl = \"oracle://u:topsecret@h/d\"\n", nil, []string{`retort.toml:2: [retort] url: database url: unsupported scheme "oracle"`}},
		{"bad url port", "[retort]\nurl = \"postgresql://u:topsecret@h:x/d\"\n", nil, []string{`[retort] url: database url postgresql://u:***@h:x/d: port`}},
		{"bad format", "[retort]\nformat = \"yaml\"\n", nil, []string{`[retort] format: "yaml" is not sql or go`}},
		{"bad lock timeout", "[retort]\nlock_timeout = \"60\"\n", nil, []string{`[retort] lock_timeout: "60" is not a duration`}},
		{"negative lock timeout", "[retort]\nlock_timeout = \"-1s\"\n", nil, []string{`"-1s" is negative`}},
		{"bad lease expiry", "[retort]\nlease_expiry = \"soon\"\n", nil, []string{`[retort] lease_expiry: "soon" is not a duration`}},
		{"short lease expiry", "[retort]\nlease_expiry = \"10ms\"\n", nil, []string{`lease_expiry: "10ms" is shorter than 1s`}},
		{"bad timezone", "[retort]\ntimezone = \"Mars/Olympus\"\n", nil, []string{`unknown time zone "Mars/Olympus"`}},
		{"negative slug", "[retort]\ntruncate_slug_length = -1\n", nil, []string{`truncate_slug_length: -1 is negative`}},
		{"empty version table", "[retort]\nversion_table = \"\"\n", nil, []string{`version_table: is empty`}},
		{"inherited error names retort", "[retort]\nformat = \"x\"\n[env.a]\n", []config.Option{config.WithName("a")}, []string{`retort.toml:2: [retort] format`}},
		{"several errors", "[retort]\nformat = \"x\"\nlock_timeout = \"y\"\n", nil, []string{"format", "lock_timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := append([]config.Option{config.WithLookup(lookup(nil))}, tt.opts...)
			_, err := config.Parse([]byte(tt.data), "", opts...)
			if err == nil {
				t.Fatalf("Parse = nil error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%s\nwant it to contain\n%s", err, w)
				}
			}
			if strings.Contains(err.Error(), "topsecret") {
				t.Errorf("error shows the password: %v", err)
			}
			if !errors.Is(err, fault.ErrBadInput) {
				t.Errorf("error is not bad input: %v", err)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "retort.toml")
	if err := os.WriteFile(file, []byte("[retort]\nscript_location = \"db\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(file, config.WithLookup(lookup(nil)))
	if err != nil {
		t.Fatal(err)
	}
	if c.ScriptLocation != filepath.Join(dir, "db") {
		t.Errorf("ScriptLocation = %q", c.ScriptLocation)
	}
	if got, want := c.VersionDirs(), []string{filepath.Join(dir, "db", "versions")}; !reflect.DeepEqual(got, want) {
		t.Errorf("VersionDirs = %q, want %q", got, want)
	}

	_, err = config.Load(filepath.Join(dir, "missing.toml"))
	if err == nil || !strings.Contains(err.Error(), "run `retort init") || !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, fault.ErrBadInput) {
		t.Errorf("Load(missing) = %v, want a bad-input not-exist error saying to run retort init", err)
	}
}

func TestParseXArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    map[string]string
		wantErr string
	}{
		{"none", nil, map[string]string{}, ""},
		{"pairs", []string{"tenant=acme", "dry=1"}, map[string]string{"tenant": "acme", "dry": "1"}, ""},
		{"first equals splits", []string{"url=a=b"}, map[string]string{"url": "a=b"}, ""},
		{"empty value", []string{"k="}, map[string]string{"k": ""}, ""},
		{"later wins", []string{"k=1", "k=2"}, map[string]string{"k": "2"}, ""},
		{"bare key", []string{"ok=1", "tenant"}, nil, "-x tenant: want KEY=VALUE"},
		{"empty key", []string{"=v"}, nil, "-x =v: empty KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := config.ParseXArgs(tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, fault.ErrBadInput) {
					t.Fatalf("ParseXArgs = %v, want bad-input error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseXArgs = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestFormatString(t *testing.T) {
	t.Parallel()
	if config.FormatSQL.String() != "sql" || config.FormatGo.String() != "go" || config.Format(9).String() != "Format(9)" {
		t.Error("Format.String")
	}
}

func TestEnvNames(t *testing.T) {
	file := filepath.Join(t.TempDir(), "retort.toml")
	if err := os.WriteFile(file, []byte("[retort]\nurl = \"${NOT_SET_ANYWHERE}\"\n[env.reporting]\nurl = \"${ALSO_NOT_SET}\"\n[env.billing]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	names, err := config.EnvNames(file)
	if err != nil || !slices.Equal(names, []string{"billing", "reporting"}) {
		t.Errorf("EnvNames = %v, %v; want [billing reporting]", names, err)
	}
}
