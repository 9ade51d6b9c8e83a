package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/retortdb/retort/internal/fault"
)

// DefaultPlaceholder is the placeholder a fleet's members fill when its
// table sets none: {x.member}.
const DefaultPlaceholder = "member"

// fleetSection is one [fleet.NAME] table. A nil field is unset.
type fleetSection struct {
	Env          *string   `toml:"env"`
	Placeholder  *string   `toml:"placeholder"`
	Members      *[]string `toml:"members"`
	MembersFile  *string   `toml:"members_file"`
	MembersQuery *string   `toml:"members_query"`
	MembersURL   *string   `toml:"members_url"`
	SQLiteGlob   *string   `toml:"sqlite_glob"`
	CreateSchema *bool     `toml:"create_schema"`
}

// Source says where a fleet's members come from.
type Source int

// Sources of fleet members.
const (
	// FromList is members = [...] in the fleet's table.
	FromList Source = iota + 1
	// FromFile is members_file: one member a line.
	FromFile
	// FromQuery is members_query, run on members_url.
	FromQuery
	// FromGlob is sqlite_glob: one SQLite file a member.
	FromGlob
)

// String returns the config key the source comes from.
func (s Source) String() string {
	switch s {
	case FromList:
		return "members"
	case FromFile:
		return "members_file"
	case FromQuery:
		return "members_query"
	case FromGlob:
		return "sqlite_glob"
	}
	return fmt.Sprintf("Source(%d)", int(s))
}

// Fleet is a [fleet.NAME] table of a retort.toml: many databases or
// schemas (its members) that run the same revisions in one environment,
// each member filling one placeholder of the environment's url and
// search_path.
type Fleet struct {
	// Name is the NAME of [fleet.NAME]; File the config file's path.
	Name string
	File string
	// Env is the environment the members run in ("" = [retort]).
	Env string
	// Placeholder is the NAME of {x.NAME} a member fills.
	Placeholder string
	// Source says which key lists the members.
	Source Source
	// Members are the members of members = [...].
	Members []string
	// MembersFile is the absolute path of members_file.
	MembersFile string
	// MembersQuery is an SQL query returning one member a row, run on
	// MembersURL.
	MembersQuery string
	MembersURL   *URL
	// SQLiteGlob is the absolute glob pattern of sqlite_glob.
	SQLiteGlob string
	// CreateSchema says to create a member's schema (search_path) before
	// an upgrade, when it does not exist (PostgreSQL).
	CreateSchema bool

	data   []byte
	opts   []Option
	inPath bool // the placeholder stands in an SQLite file path
}

// LoadFleet reads the config file at path and returns its fleet name.
func LoadFleet(path, name string, opts ...Option) (*Fleet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if _, lerr := Load(path, opts...); lerr != nil {
			return nil, lerr
		}
		return nil, fault.BadInput(fmt.Errorf("%s: %w", path, err))
	}
	return ParseFleet(data, path, name, opts...)
}

// ParseFleet parses the retort.toml held in data (see [Parse]) and
// returns its fleet name. The options are those of [Parse]; WithName is
// ignored (the fleet's env key decides). An unknown fleet, or a table
// without exactly one source of members, is a bad-input error.
func ParseFleet(data []byte, file, name string, opts ...Option) (*Fleet, error) {
	var doc document
	if _, err := toml.Decode(string(data), &doc); err != nil {
		_, perr := Parse(data, file, opts...)
		if perr == nil {
			perr = fault.BadInput(err)
		}
		return nil, perr
	}
	display := DefaultFile
	if file != "" {
		display = file
	}
	sec, ok := doc.Fleet[name]
	if !ok {
		names := sortedKeys(doc.Fleet)
		if len(names) == 0 {
			return nil, fault.BadInput(fmt.Errorf("%s: no fleet %q: the file has no [fleet.NAME] tables; add one (see README, Fleets)", display, name))
		}
		msg := fmt.Sprintf("%s: no fleet %q; available: %s", display, name, strings.Join(names, ", "))
		if s := suggest(name, names); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return nil, fault.BadInput(errors.New(msg))
	}
	f := &Fleet{Name: name, File: file, Placeholder: DefaultPlaceholder, data: data, opts: opts}
	bad := func(format string, args ...any) error {
		return fault.BadInput(fmt.Errorf("%s: [fleet.%s]: %s", display, name, fmt.Sprintf(format, args...)))
	}
	if sec.Env != nil {
		f.Env = *sec.Env
		if f.Env == "retort" {
			f.Env = ""
		}
		if f.Env != "" {
			if _, ok := doc.Env[f.Env]; !ok {
				return nil, fault.BadInput(fmt.Errorf("[fleet.%s] env: %w", name, unknownEnv(display, f.Env, sortedKeys(doc.Env))))
			}
		}
	}
	if sec.Placeholder != nil {
		f.Placeholder = *sec.Placeholder
		if !varNameRE().MatchString(f.Placeholder) {
			return nil, bad("placeholder = %q: want a name of letters, digits and _ (it is NAME in {x.NAME})", f.Placeholder)
		}
	}
	tmpl := doc.Retort.URL
	if e, ok := doc.Env[f.Env]; ok && e.URL != nil {
		tmpl = e.URL
	}
	if tmpl != nil && isSQLiteURL(*tmpl) {
		q, _, _ := strings.Cut(*tmpl, "?")
		f.inPath = strings.Contains(q, "{x."+f.Placeholder+"}")
	}
	// Check the whole file and the environment, with a probe member.
	base, err := Parse(data, file, append(slices.Clone(opts), WithName(f.Env), WithXArgs(f.xargs("probe")))...)
	if err != nil {
		return nil, err
	}
	dir := base.Dir
	if sec.CreateSchema != nil {
		f.CreateSchema = *sec.CreateSchema
	}
	var sources []string
	if sec.Members != nil {
		sources = append(sources, "members")
		f.Source, f.Members = FromList, slices.Clone(*sec.Members)
	}
	if sec.MembersFile != nil {
		sources = append(sources, "members_file")
		p, err := expand(*sec.MembersFile, lookupOf(opts))
		if err != nil {
			return nil, bad("members_file: %v", err)
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		f.Source, f.MembersFile = FromFile, p
	}
	if sec.MembersQuery != nil {
		sources = append(sources, "members_query")
		f.Source, f.MembersQuery = FromQuery, *sec.MembersQuery
		if sec.MembersURL == nil {
			return nil, bad("members_query needs members_url, the database it runs on")
		}
		s, err := expand(*sec.MembersURL, lookupOf(opts))
		if err != nil {
			return nil, bad("members_url: %v", err)
		}
		u, err := ParseURL(s)
		if err != nil {
			return nil, bad("members_url: %v", err)
		}
		f.MembersURL = u
	} else if sec.MembersURL != nil {
		return nil, bad("members_url is set without members_query; add the query that lists the members")
	}
	if sec.SQLiteGlob != nil {
		sources = append(sources, "sqlite_glob")
		p, err := expand(*sec.SQLiteGlob, lookupOf(opts))
		if err != nil {
			return nil, bad("sqlite_glob: %v", err)
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		if _, err := filepath.Match(p, ""); err != nil {
			return nil, bad("sqlite_glob = %q: %v", *sec.SQLiteGlob, err)
		}
		f.Source, f.SQLiteGlob = FromGlob, p
	}
	switch len(sources) {
	case 0:
		return nil, bad("no members: set one of members, members_file, members_query (with members_url) or sqlite_glob")
	case 1:
	default:
		return nil, bad("set only one source of members; it has %s", strings.Join(sources, " and "))
	}
	return f, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func lookupOf(opts []Option) LookupFunc {
	o := options{lookup: os.LookupEnv}
	for _, opt := range opts {
		_ = opt.apply(&o)
	}
	return o.lookup
}

// FileMembers returns the members of a members_file or sqlite_glob
// fleet, or of its members list: blank lines and lines starting with #
// are skipped in a file. A members_query fleet has none here (the
// caller runs the query; see package fleet).
func (f *Fleet) FileMembers() ([]string, error) {
	switch f.Source {
	case FromList:
		return slices.Clone(f.Members), nil
	case FromFile:
		data, err := os.ReadFile(f.MembersFile)
		if err != nil {
			return nil, fault.BadInput(fmt.Errorf("[fleet.%s] members_file: %w; check the path", f.Name, err))
		}
		var out []string
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			out = append(out, line)
		}
		return out, nil
	case FromGlob:
		out, err := filepath.Glob(f.SQLiteGlob)
		if err != nil {
			return nil, fault.BadInput(fmt.Errorf("[fleet.%s] sqlite_glob: %w", f.Name, err))
		}
		slices.Sort(out)
		return out, nil
	}
	return nil, nil
}

// MemberError reports a member that cannot fill the fleet's
// placeholder; it names the fleet, the source and the member.
type MemberError struct {
	Fleet  string
	Source Source
	Member string
	Err    error
}

func (e *MemberError) Error() string {
	return fmt.Sprintf("fleet %s: member %q from %s: %v", e.Fleet, e.Member, e.Source, e.Err)
}

func (e *MemberError) Unwrap() error { return e.Err }

// Check reports whether member may fill the fleet's placeholder, by
// the rule of -x values ([CheckURLValue]); the error is a bad-input
// *[MemberError].
func (f *Fleet) Check(member string) error {
	if err := CheckURLValue("url", f.Placeholder, member, f.inPath); err != nil {
		return fault.BadInput(&MemberError{Fleet: f.Name, Source: f.Source, Member: member, Err: err})
	}
	return nil
}

// Config returns the environment's config for one member: its url and
// search_path with the placeholder filled by member, checked first with
// [Fleet.Check].
func (f *Fleet) Config(member string) (*Config, error) {
	if err := f.Check(member); err != nil {
		return nil, err
	}
	opts := append(slices.Clone(f.opts), WithName(f.Env), WithXArgs(f.xargs(member)))
	c, err := Parse(f.data, f.File, opts...)
	if err != nil {
		return nil, fault.BadInput(&MemberError{Fleet: f.Name, Source: f.Source, Member: member, Err: err})
	}
	return c, nil
}

// xargs returns the -x arguments of the fleet's options plus its
// placeholder filled by member.
func (f *Fleet) xargs(member string) map[string]string {
	o := options{}
	for _, opt := range f.opts {
		_ = opt.apply(&o)
	}
	x := make(map[string]string, len(o.xargs)+1)
	for k, v := range o.xargs {
		x[k] = v
	}
	x[f.Placeholder] = member
	return x
}
