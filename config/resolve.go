package config

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/retortdb/retort/lint"
)

// parser turns the decoded tables into a Config, collecting one error per
// key at fault.
type parser struct {
	file   string
	data   []byte
	env    string  // selected [env.NAME], "" for [retort]
	envSec section // its table
	lookup LookupFunc
	xargs  map[string]string
	errs   []error
}

// table returns the table that set key: "env.NAME", "retort" or "" (default).
func (p *parser) table(key string) string {
	if p.env != "" && isSet(p.envSec, key) {
		return "env." + p.env
	}
	return "retort"
}

func isSet(s section, key string) bool {
	t := reflect.TypeFor[section]()
	for i := range t.NumField() {
		if t.Field(i).Tag.Get("toml") == key {
			return !reflect.ValueOf(s).Field(i).IsNil()
		}
	}
	return false
}

// errorf records an error about key, with the file and line that set it.
func (p *parser) errorf(key, format string, args ...any) {
	table := p.table(key)
	where := p.file
	if line := keyLine(p.data, table, key); line > 0 {
		where = fmt.Sprintf("%s:%d", p.file, line)
	}
	p.errs = append(p.errs, fmt.Errorf("%s: [%s] %s: %s", where, table, key, fmt.Sprintf(format, args...)))
}

// str returns the expanded value of a string key, or def expanded.
func (p *parser) str(key string, v *string, def string) string {
	s := def
	if v != nil {
		s = *v
	}
	out, err := expand(s, p.lookup)
	if err != nil {
		p.errorf(key, "%v", err)
		return ""
	}
	return out
}

// xstr is str followed by {x.NAME} placeholders.
func (p *parser) xstr(key string, v *string, def string) string {
	s := p.str(key, v, def)
	out, err := fillX(key, s, p.xargs)
	if err != nil {
		p.errorf(key, "%v", err)
	}
	return out
}

// urlstr is str followed by {x.NAME} placeholders whose values may
// not change the URL's structure (see [CheckURLValue]).
func (p *parser) urlstr(key string, v *string, def string) string {
	s := p.str(key, v, def)
	out, err := fillURLX(key, s, p.xargs)
	if err != nil {
		p.errorf(key, "%v", err)
		return ""
	}
	return out
}

// path is str made absolute against dir; "" stays "".
func (p *parser) path(key string, v *string, def, dir string) string {
	s := p.str(key, v, def)
	if s == "" || filepath.IsAbs(s) {
		return s
	}
	return filepath.Join(dir, s)
}

func orDefault[T any](v *T, def T) T {
	if v == nil {
		return def
	}
	return *v
}

func (p *parser) fill(c *Config, s section) {
	c.ScriptLocation = p.path("script_location", s.ScriptLocation, DefaultScriptLocation, c.Dir)
	if c.ScriptLocation == "" && len(p.errs) == 0 {
		p.errorf("script_location", "is empty; set it to the migrations folder, e.g. %q", DefaultScriptLocation)
	}
	if s.VersionLocations != nil {
		for _, loc := range *s.VersionLocations {
			if d := p.path("version_locations", &loc, "", c.Dir); d != "" {
				c.VersionLocations = append(c.VersionLocations, d)
			}
		}
	}
	c.RecursiveVersionLocations = orDefault(s.RecursiveVersionLocations, false)
	if raw := p.urlstr("url", s.URL, DefaultURL); raw != "" {
		u, err := ParseURL(raw)
		if err != nil {
			p.errorf("url", "%v", err)
		}
		c.URL = u
	}
	c.VersionTable = p.str("version_table", s.VersionTable, DefaultVersionTable)
	if c.VersionTable == "" {
		p.errorf("version_table", "is empty; remove it to use %q", DefaultVersionTable)
	}
	c.VersionTableSchema = p.xstr("version_table_schema", s.VersionTableSchema, "")
	c.SearchPath = p.xstr("search_path", s.SearchPath, "")
	c.ServerVersion = p.str("server_version", s.ServerVersion, "")
	c.FileTemplate = p.str("file_template", s.FileTemplate, DefaultFileTemplate)
	if c.FileTemplate == "" {
		p.errorf("file_template", "is empty; remove it to use %q", DefaultFileTemplate)
	}
	c.TruncateSlugLength = orDefault(s.TruncateSlugLength, DefaultTruncateSlugLength)
	if c.TruncateSlugLength < 0 {
		p.errorf("truncate_slug_length", "%d is negative", c.TruncateSlugLength)
	}
	c.Timezone = p.str("timezone", s.Timezone, "")
	c.Location = time.UTC
	if c.Timezone != "" {
		loc, err := time.LoadLocation(c.Timezone)
		if err != nil {
			p.errorf("timezone", "unknown time zone %q; use an IANA name such as \"Europe/Paris\", or \"\" for UTC", c.Timezone)
		} else {
			c.Location = loc
		}
	}
	switch f := p.str("format", s.Format, "sql"); f {
	case "sql":
		c.Format = FormatSQL
	case "go":
		c.Format = FormatGo
	default:
		p.errorf("format", "%q is not sql or go", f)
	}
	c.TargetSchema = p.path("target_schema", s.TargetSchema, DefaultTargetSchema, c.Dir)
	c.Program = p.path("program", s.Program, "", c.Dir)
	c.TransactionPerMigration = orDefault(s.TransactionPerMigration, false)
	c.LockTimeout = p.duration("lock_timeout", s.LockTimeout, DefaultLockTimeout, 0)
	c.LeaseExpiry = p.duration("lease_expiry", s.LeaseExpiry, DefaultLeaseExpiry, time.Second)
	c.RevisionEnvironment = orDefault(s.RevisionEnvironment, false)
	c.IncludeSchemas = p.list("include_schemas", s.IncludeSchemas)
	c.ExcludeTables = p.globs("exclude_tables", s.ExcludeTables)
	c.ExcludeSchemas = p.globs("exclude_schemas", s.ExcludeSchemas)
	c.ExcludeKinds = p.list("exclude_kinds", s.ExcludeKinds)
	for _, k := range c.ExcludeKinds {
		if !slices.Contains(Kinds, k) {
			p.errorf("exclude_kinds", "unknown kind %q; use %s", k, strings.Join(Kinds, ", "))
		}
	}
	if raw := p.urlstr("dev_url", s.DevURL, ""); raw != "" {
		u, err := ParseURL(raw)
		if err != nil {
			p.errorf("dev_url", "%v", err)
		}
		c.DevURL = u
	}
	c.TestSetup = p.path("test_setup", s.TestSetup, "", c.Dir)
	c.CreateSchema = orDefault(s.CreateSchema, false)
	c.CheckLint = orDefault(s.CheckLint, false)
	c.LintLargeTableRows = orDefault(s.LintLargeTableRows, lint.DefaultLargeRows)
	if c.LintLargeTableRows <= 0 {
		p.errorf("lint_large_table_rows", "%d is not a row count above 0; remove it to use %d", c.LintLargeTableRows, lint.DefaultLargeRows)
	}
	c.LintLevels = p.lintLevels(s.Lint)
}

// lintLevels reads the lint table: each key a rule id, each value a
// level.
func (p *parser) lintLevels(m *map[string]string) map[string]lint.Level {
	if m == nil {
		return nil
	}
	out := map[string]lint.Level{}
	for _, id := range slices.Sorted(maps.Keys(*m)) {
		where := p.lintKey(id)
		if _, ok := lint.RuleByID(id); !ok {
			msg := fmt.Sprintf("%s: unknown lint rule %q", where, id)
			if s := suggest(id, lint.RuleIDs()); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += "; rules: " + strings.Join(lint.RuleIDs(), ", ")
			}
			p.errs = append(p.errs, errors.New(msg))
			continue
		}
		l, err := lint.ParseLevel((*m)[id])
		if err != nil {
			p.errs = append(p.errs, fmt.Errorf("%s: %s: %w", where, id, err))
			continue
		}
		out[id] = l
	}
	return out
}

// lintKey places rule id of the lint table: file:line and the table,
// as [lint] under [retort] or [env.NAME].
func (p *parser) lintKey(id string) string {
	table := "retort"
	if p.env != "" && p.envSec.Lint != nil {
		if _, ok := (*p.envSec.Lint)[id]; ok {
			table = "env." + p.env
		}
	}
	line := keyLine(p.data, table+".lint", id)
	if line == 0 {
		line = keyLine(p.data, table, "lint")
	}
	return fmt.Sprintf("%s: [%s.lint]", p.at(line), table)
}

// list returns the expanded values of a list key.
func (p *parser) list(key string, v *[]string) []string {
	if v == nil {
		return nil
	}
	var out []string
	for _, item := range *v {
		if s := p.xstr(key, &item, ""); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// globs is list with each value checked as a path.Match pattern.
func (p *parser) globs(key string, v *[]string) []string {
	out := p.list(key, v)
	for _, g := range out {
		if _, err := path.Match(g, ""); err != nil {
			p.errorf(key, "bad pattern %q: %v", g, err)
		}
	}
	return out
}

// undecoded reports keys and tables the file has but retort does not know.
func (p *parser) undecoded(keys []toml.Key) error {
	var errs []error
	var reported []toml.Key
	for _, k := range keys {
		if hasPrefix(k, reported) {
			continue
		}
		reported = append(reported, k)
		errs = append(errs, p.unknown(k))
	}
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}

func hasPrefix(k toml.Key, prefixes []toml.Key) bool {
	for _, pre := range prefixes {
		if len(pre) <= len(k) && slices.Equal(pre, k[:len(pre)]) {
			return true
		}
	}
	return false
}

func (p *parser) unknown(k toml.Key) error {
	var table, key string
	var candidates []string
	switch {
	case len(k) == 1:
		line := keyLine(p.data, k[0], "")
		msg := fmt.Sprintf("%s: unknown table [%s]; retort.toml has [retort] and [env.NAME]", p.at(line), k[0])
		if s := suggest(k[0], []string{"retort", "env"}); s != "" {
			msg += fmt.Sprintf(" (did you mean [%s]?)", s)
		}
		return fmt.Errorf("%s", msg)
	case k[0] == "retort":
		table, key = "retort", k[1]
		candidates = Keys()
	case k[0] == "env" && len(k) >= 3:
		table, key = "env."+k[1], k[2]
		candidates = Keys()
	default:
		table, key = strings.Join(k[:len(k)-1], "."), k[len(k)-1]
	}
	line := keyLine(p.data, table, key)
	msg := fmt.Sprintf("%s: unknown key %q in [%s]", p.at(line), key, table)
	if s := suggest(key, candidates); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else if len(candidates) > 0 {
		msg += "; known keys: " + strings.Join(candidates, ", ")
	}
	return fmt.Errorf("%s", msg)
}

func (p *parser) at(line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", p.file, line)
	}
	return p.file
}

// keyLine finds the 1-based line that sets key in [table], or the line of
// the [table] header when key is "". It returns 0 when it cannot tell.
func keyLine(data []byte, table, key string) int {
	cur := ""
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			end := strings.IndexByte(t, ']')
			if end < 0 {
				continue
			}
			cur = normalizeKey(strings.Trim(t[:end], "[]"))
			if key == "" && cur == table {
				return i + 1
			}
			continue
		}
		if key == "" || cur != table {
			continue
		}
		name, _, ok := strings.Cut(t, "=")
		if ok && normalizeKey(name) == key {
			return i + 1
		}
	}
	return 0
}

// normalizeKey drops spaces and quotes from a dotted TOML key.
func normalizeKey(s string) string {
	parts := strings.Split(s, ".")
	for i, part := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(part), `"'`)
	}
	return strings.Join(parts, ".")
}

// suggest returns the candidate closest to s, if close enough to be a typo.
func suggest(s string, candidates []string) string {
	best, bestD := "", len(s)/2+2
	for _, c := range candidates {
		if d := levenshtein(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// duration reads the duration key, def when unset; values below least
// are errors.
func (p *parser) duration(key string, v *string, def, least time.Duration) time.Duration {
	text := p.str(key, v, "")
	if text == "" {
		return def
	}
	d, err := time.ParseDuration(text)
	switch {
	case err != nil:
		p.errorf(key, "%q is not a duration such as \"60s\" or \"2m\"", text)
	case d < 0:
		p.errorf(key, "%q is negative", text)
	case d < least:
		p.errorf(key, "%q is shorter than %s", text, least)
	default:
		return d
	}
	return def
}
