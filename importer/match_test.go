package importer

import (
	"errors"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
)

// TestMatch pins which imported revision a version table maps to.
func TestMatch(t *testing.T) {
	t.Parallel()
	revs := func(f Format, files ...string) []Imported {
		var out []Imported
		for _, file := range files {
			v, ok := versionOfFile(f, file)
			if !ok {
				t.Fatalf("%s is not a %s file", file, f)
			}
			out = append(out, Imported{ID: ID(v), Version: v, Source: file})
		}
		return out
	}
	ver := func(f Format, s string) Version { return ParseVersion(f, s) }
	through := func(v Version) *Version { return &v }
	goose := revs(Goose, "00001_a.sql", "00002_b.sql", "00010_c.sql")
	tests := []struct {
		name    string
		revs    []Imported
		applied Applied
		want    string
		err     string
	}{
		{"nothing applied", goose, Applied{Format: Goose}, "", ""},
		{"goose numbers", goose, Applied{Format: Goose, Versions: []Version{ver(Goose, "1"), ver(Goose, "2")}}, "00002", ""},
		{"goose all", goose, Applied{Format: Goose, Versions: []Version{ver(Goose, "1"), ver(Goose, "2"), ver(Goose, "10")}}, "00010", ""},
		{"goose hole", goose, Applied{Format: Goose, Versions: []Version{ver(Goose, "1"), ver(Goose, "10")}}, "", "records version 00010 as applied but not version 00002 (00002_b.sql)"},
		{"goose unknown", goose, Applied{Format: Goose, Versions: []Version{ver(Goose, "3")}}, "", "records version(s) 3, which the imported revisions do not have"},
		{"golang-migrate through", revs(GolangMigrate, "1_a.up.sql", "2_b.up.sql", "3_c.up.sql"),
			Applied{Format: GolangMigrate, Through: through(ver(GolangMigrate, "2"))}, "v0002", ""},
		{"golang-migrate unknown", revs(GolangMigrate, "1_a.up.sql"),
			Applied{Format: GolangMigrate, Through: through(ver(GolangMigrate, "7"))}, "", "records version(s) 7"},
		{"flyway baseline and more", revs(Flyway, "V1__a.sql", "V1.1__b.sql", "V2__c.sql", "V3__d.sql"),
			Applied{Format: Flyway, Through: through(ver(Flyway, "1.1")), Versions: []Version{ver(Flyway, "2")}}, "v0002", ""},
		{"sql-migrate by file name", revs(SQLMigrate, "1_a.sql", "2_b.sql"),
			Applied{Format: SQLMigrate, Versions: []Version{ver(SQLMigrate, "1_a.sql")}}, "v0001", ""},
		{"sql-migrate renamed file", revs(SQLMigrate, "1_a.sql", "2_b.sql"),
			Applied{Format: SQLMigrate, Versions: []Version{ver(SQLMigrate, "1_old_name.sql")}}, "", "records version(s) 1_old_name.sql"},
		{"ported goose Go migration by id", append(revs(Goose, "00001_a.sql"), Imported{ID: "00002", Version: must(VersionOfID(Goose, "00002"))}),
			Applied{Format: Goose, Versions: []Version{ver(Goose, "1"), ver(Goose, "2")}}, "00002", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.applied.Table = dialect.Ident{Name: "tbl"}
			got, err := Match(tt.revs, &tt.applied)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, fault.ErrBadInput) {
					t.Fatalf("Match = %q, %v; want bad input containing %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Match = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func must(v Version, ok bool) Version {
	if !ok {
		panic("not a version")
	}
	return v
}

func TestImportedFromHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value  string
		format Format
		file   string
		ver    string
		ok     bool
	}{
		{"goose 00001_a.sql", Goose, "00001_a.sql", "00001", true},
		{"flyway sub/V1_2__a b.sql", Flyway, "sub/V1_2__a b.sql", "1.2", true},
		{"golang-migrate 3_x.up.sql", GolangMigrate, "3_x.up.sql", "3", true},
		{"liquibase x.xml", "", "", "", false},
		{"goose", "", "", "", false},
		{"goose notes.txt", Goose, "notes.txt", "", false},
	}
	for _, tt := range tests {
		f, file, v, ok := ImportedFromHeader(tt.value)
		if ok != tt.ok || ok && (f != tt.format || file != tt.file || v.Text != tt.ver) {
			t.Errorf("ImportedFromHeader(%q) = %v %q %q %v", tt.value, f, file, v.Text, ok)
		}
	}
}
