package importer

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"sync"

	"github.com/retortdb/retort/internal/fault"
)

// Format is a migration tool whose folders [Convert] reads and whose
// version tables [ReadApplied] reads.
type Format string

// The formats.
const (
	// Goose is pressly/goose: NNN_name.sql with "-- +goose Up/Down"
	// sections, and NNN_name.go Go migrations.
	Goose Format = "goose"
	// GolangMigrate is golang-migrate/migrate: N_title.up.sql and
	// N_title.down.sql.
	GolangMigrate Format = "golang-migrate"
	// Dbmate is amacneil/dbmate: N_name.sql with "-- migrate:up" and
	// "-- migrate:down" sections.
	Dbmate Format = "dbmate"
	// SQLMigrate is rubenv/sql-migrate: N_name.sql with "-- +migrate
	// Up/Down" sections.
	SQLMigrate Format = "sql-migrate"
	// Flyway is Flyway: V<version>__<description>.sql, U… undo files and
	// R__ repeatable files.
	Flyway Format = "flyway"
	// Atlas is Atlas's versioned folder: N_name.sql and atlas.sum.
	Atlas Format = "atlas"
	// Tern is jackc/tern: NNN_name.sql numbered from 1 without gaps, the
	// down part below "---- create above / drop below ----".
	Tern Format = "tern"
)

var formats = []Format{Goose, GolangMigrate, Dbmate, SQLMigrate, Flyway, Atlas, Tern}

// Formats lists the formats in the order the documentation gives them.
func Formats() []Format { return append([]Format(nil), formats...) }

// String returns the format's name, as the CLI takes it.
func (f Format) String() string { return string(f) }

// ParseFormat reads a format name, as the CLI takes it. Case does not
// matter; "migrate" is golang-migrate's command name and also accepted.
func ParseFormat(s string) (Format, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	if name == "migrate" || name == "golang_migrate" {
		name = string(GolangMigrate)
	}
	for _, f := range formats {
		if string(f) == name {
			return f, nil
		}
	}
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	return "", fault.BadInput(fmt.Errorf("unknown format %q; use one of %s", s, strings.Join(names, ", ")))
}

// Version is a migration's version as its tool names and orders it.
type Version struct {
	// Text is the version as written in the file name ("00001",
	// "20240102120000", "1.2.3").
	Text string
	// parts are the numeric parts compared in order (one, except for
	// Flyway's dotted versions); nil when the version is not numeric.
	parts []*big.Int
	// exact: the tool tells versions apart by their whole text
	// (sql-migrate's ids are file names), the number only orders them.
	exact bool
}

// Compare orders versions as their tool does: numerically, part by part
// (Flyway's 1.10 comes after 1.9), and by text when not numeric.
func (v Version) Compare(w Version) int {
	switch {
	case v.parts == nil && w.parts == nil:
		return strings.Compare(v.Text, w.Text)
	case w.parts == nil:
		return -1
	case v.parts == nil:
		return 1
	}
	for i := 0; i < len(v.parts) || i < len(w.parts); i++ {
		a, b := big.NewInt(0), big.NewInt(0)
		if i < len(v.parts) {
			a = v.parts[i]
		}
		if i < len(w.parts) {
			b = w.parts[i]
		}
		if c := a.Cmp(b); c != 0 {
			return c
		}
	}
	if v.exact || w.exact {
		return strings.Compare(v.Text, w.Text)
	}
	return 0
}

// Same reports whether v and w are one version for their tool (goose's
// 001 and 1 are).
func (v Version) Same(w Version) bool {
	if v.parts == nil || w.parts == nil || v.exact || w.exact {
		return v.Text == w.Text
	}
	return v.Compare(w) == 0
}

// numeric makes a version of digits (and, for Flyway, dots).
func numeric(text string) (Version, bool) {
	v := Version{Text: text}
	for p := range strings.SplitSeq(text, ".") {
		n, ok := new(big.Int).SetString(p, 10)
		if !ok || p == "" || p[0] == '+' || p[0] == '-' {
			return Version{}, false
		}
		v.parts = append(v.parts, n)
	}
	return v, true
}

// ParseVersion reads a version as format's version table stores it
// (goose's version_id, Flyway's version column, sql-migrate's file
// name, ...).
func ParseVersion(f Format, s string) Version {
	if f == SQLMigrate {
		if n, ok := name(f, s); ok {
			return n.version
		}
	}
	if v, ok := numeric(s); ok {
		return v
	}
	return Version{Text: s}
}

// ID returns the retort revision id for a version: the version itself
// when it is a valid id of at least 4 characters; otherwise a numeric
// version zero-padded to 4 digits after a "v" (1 -> v0001, 001 -> v0001),
// a dotted one with "_" for "." (1.2.3 -> v1_2_3), and anything else
// with "_" for each character an id cannot hold, after "v".
func ID(v Version) string {
	if v.exact {
		// sql-migrate: the version is a file name; its number, or its
		// stem, makes the id.
		n := leadingNumber().FindString(v.Text)
		if n == "" {
			return ID(Version{Text: strings.TrimSuffix(v.Text, ".sql")})
		}
		return ID(Version{Text: n, parts: v.parts})
	}
	t := v.Text
	if len(t) >= 4 && validID(t) {
		return t
	}
	if len(v.parts) == 1 {
		return fmt.Sprintf("v%04s", v.parts[0].String())
	}
	if len(v.parts) > 1 {
		ps := make([]string, len(v.parts))
		for i, p := range v.parts {
			ps[i] = p.String()
		}
		return "v" + strings.Join(ps, "_")
	}
	var b strings.Builder
	b.WriteByte('v')
	for _, c := range []byte(t) {
		if !validID(string(c)) {
			c = '_'
		}
		b.WriteByte(c)
	}
	return b.String()
}

func validID(s string) bool {
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return s != ""
}

// fileName is what a migration file's name says.
type fileName struct {
	version Version
	// desc is the description part, as written ("create_users").
	desc string
	// kind is "up", "down", "go", "undo" or "repeatable".
	kind string
}

var (
	// NNN_name.sql (goose, dbmate, sql-migrate, atlas, tern) and .go (goose).
	numberedName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([0-9]+)(?:_(.*))?\.(sql|go)$`) })
	// golang-migrate: N_title.up.sql / N_title.down.sql.
	migrateName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([0-9]+)(?:_(.*?))?\.(up|down)\.sql$`) })
	// Flyway: V1.2__desc.sql, V1_2__desc.sql, U1__desc.sql, R__desc.sql.
	flywayName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([VUR])([0-9][0-9._]*)?__(.*)\.sql$`) })
	// sql-migrate orders by a leading number when there is one.
	leadingNumber = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([0-9]+)`) })
)

// name reads a file name (the base name) as format f names migrations;
// ok is false for a file the tool does not read.
func name(f Format, base string) (fileName, bool) {
	switch f {
	case GolangMigrate:
		m := migrateName().FindStringSubmatch(base)
		if m == nil {
			return fileName{}, false
		}
		v, _ := numeric(m[1])
		return fileName{version: v, desc: m[2], kind: m[3]}, true
	case Flyway:
		m := flywayName().FindStringSubmatch(base)
		if m == nil {
			return fileName{}, false
		}
		kinds := map[string]string{"V": "up", "U": "undo", "R": "repeatable"}
		fn := fileName{desc: m[3], kind: kinds[m[1]]}
		if m[1] == "R" {
			return fn, m[2] == ""
		}
		text := strings.ReplaceAll(m[2], "_", ".")
		v, ok := numeric(text)
		if !ok {
			return fileName{}, false
		}
		fn.version = v
		return fn, true
	case SQLMigrate:
		if !strings.HasSuffix(base, ".sql") {
			return fileName{}, false
		}
		v := Version{Text: base, exact: true}
		desc := strings.TrimSuffix(base, ".sql")
		if m := leadingNumber().FindString(base); m != "" {
			n, _ := numeric(m)
			v.parts = n.parts
			desc = strings.TrimLeft(strings.TrimPrefix(desc, m), "_-")
		}
		return fileName{version: v, desc: desc, kind: "up"}, true
	}
	m := numberedName().FindStringSubmatch(base)
	if m == nil || m[3] == "go" && (f != Goose || strings.HasSuffix(base, "_test.go")) {
		return fileName{}, false
	}
	v, _ := numeric(m[1])
	kind := "up"
	if m[3] == "go" {
		kind = "go"
	}
	return fileName{version: v, desc: m[2], kind: kind}, true
}

// message makes a revision message from a file name's description.
func message(desc string) string {
	msg := strings.Join(strings.FieldsFunc(desc, func(r rune) bool { return r == '_' || r == '-' || r == ' ' }), " ")
	if msg == "" {
		return "imported migration"
	}
	return msg
}

// versionOfFile returns the version format f gives the file named base,
// as its version table records it.
func versionOfFile(f Format, base string) (Version, bool) {
	n, ok := name(f, base)
	return n.version, ok
}
