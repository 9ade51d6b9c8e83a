package script

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/internal/fault"
)

var update = flag.Bool("update", false, "rewrite golden files")

var created = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

var newFiles = []struct {
	name string
	f    NewFile
}{
	{"customer", NewFile{ID: "1a2b3c4d5e6f", Revises: []string{"0f9e8d7c6b5a"}, Message: "create customer table", CreateDate: created,
		Upgrade:   "CREATE TABLE customer (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);",
		Downgrade: "DROP TABLE customer;"}},
	{"base_empty", NewFile{ID: "0f9e8d7c6b5a", CreateDate: created}},
	{"merge", NewFile{ID: "aaaa11112222", Revises: []string{"bbbb", "cccc"}, BranchLabels: []string{"billing"}, DependsOn: []string{"dddd", "auth"},
		Message: "merge billing and main\n\nTwo heads appeared when billing\nbranched off.", CreateDate: time.Date(2026, 1, 2, 3, 4, 5, 600000000, time.FixedZone("", -5*3600))}},
	{"imported", NewFile{ID: "v0002", Revises: []string{"v0001"}, Message: "add email index", NoTransaction: true,
		ImportedFrom: "goose 00002_add_email_index.sql", Upgrade: "CREATE INDEX CONCURRENTLY i ON t (a);", Downgrade: "DROP INDEX i;"}},
	{"no_date", NewFile{ID: "abc", Revises: []string{"def"}, Message: "  add index  ", Upgrade: "\nCREATE INDEX i ON t (a);\n\n"}},
}

func TestRenderSQL(t *testing.T) {
	t.Parallel()
	for _, tt := range newFiles {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := RenderSQL(tt.f)
			golden := filepath.Join("testdata", "render", tt.name+".sql")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("RenderSQL differs from %s (go test -update rewrites it):\n%s", golden, got)
			}
		})
	}
}

// TestRenderParse checks that Parse reads back what RenderSQL writes.
func TestRenderParse(t *testing.T) {
	t.Parallel()
	for _, tt := range newFiles {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Parse("x.sql", RenderSQL(tt.f))
			if err != nil {
				t.Fatal(err)
			}
			r := s.Rev
			msg := strings.TrimSpace(tt.f.Message)
			if msg == "" {
				msg = "empty message"
			}
			if r.ID != tt.f.ID || !reflect.DeepEqual(r.Revises, tt.f.Revises) ||
				!reflect.DeepEqual(r.BranchLabels, tt.f.BranchLabels) || !reflect.DeepEqual(r.DependsOn, tt.f.DependsOn) ||
				!r.CreateDate.Equal(tt.f.CreateDate) || r.Doc != msg {
				t.Errorf("Parse(RenderSQL(f)) = %+v, want the fields of %+v", r, tt.f)
			}
			if s.ImportedFrom != tt.f.ImportedFrom || r.NoTransaction != tt.f.NoTransaction {
				t.Errorf("Imported From %q, no-transaction %v; want %q, %v", s.ImportedFrom, r.NoTransaction, tt.f.ImportedFrom, tt.f.NoTransaction)
			}
			if s.Upgrade.SQL != strings.TrimSpace(tt.f.Upgrade) || s.Downgrade.SQL != strings.TrimSpace(tt.f.Downgrade) || !s.HasDowngrade {
				t.Errorf("sections = %+v %+v", s.Upgrade, s.Downgrade)
			}
		})
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	f := NewFile{ID: "1a2b3c4d5e6f", Message: "Create customer table!", CreateDate: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
	tests := []struct {
		name, template, want string
	}{
		{"default", "{rev}_{slug}", "1a2b3c4d5e6f_create_customer_table.sql"},
		{"date", "{year}_{month}_{day}_{hour}{minute}{second}-{rev}", "2026_03_04_050607-1a2b3c4d5e6f.sql"},
		{"epoch", "{epoch}_{slug}", "1772600767_create_customer_table.sql"},
		{"plain", "fixed", "fixed.sql"},
		{"braces close only", "a}b", "a}b.sql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := FileName(tt.template, f, 0)
			if err != nil || got != tt.want {
				t.Errorf("FileName(%q) = %q, %v; want %q", tt.template, got, err, tt.want)
			}
		})
	}
	for _, bad := range []struct{ template, want string }{
		{"{rev}_{slugg}", "unknown token {slugg}"},
		{"{rev", `"{rev" is not closed`},
	} {
		_, err := FileName(bad.template, f, 0)
		if err == nil || !strings.Contains(err.Error(), bad.want) || !errors.Is(err, fault.ErrBadInput) {
			t.Errorf("FileName(%q) error = %v, want bad input containing %q", bad.template, err, bad.want)
		}
	}
	if got, _ := FileName("{slug}", NewFile{Message: "abcdef ghijkl"}, 8); got != "abcdef_.sql" {
		t.Errorf("FileName with truncate 8 = %q", got)
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	tests := []struct {
		message  string
		truncate int
		want     string
	}{
		{"Add user.email column & index (v2) -- part of the new onboarding flow", 0, "add_user_email_column_index_v2_part_of_"},
		{"Ünïcödé naïve café", 0, "ünïcödé_naïve_café"},
		{"", 0, ""},
		{"!!!", 0, ""},
		{"snake_case stays_snake", 0, "snake_case_stays_snake"},
		{"_leading and trailing_", 0, "_leading_and_trailing_"},
		{"exactly forty characters long message ab", 0, "exactly_forty_characters_long_message_ab"},
		{"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", 0, "abcdefghijklmnopqrstuvwxyzabcdefghijklmn_"},
		{"héllo wörld", 8, "héllo_"},
		{"ééééé ééééé", 7, "ééééé_"},
		{"日本語のテキスト 二", 5, "日本語のテ_"},
		{"one two three", -1, "one_two_three"},
	}
	for _, tt := range tests {
		if got := Slug(tt.message, tt.truncate); got != tt.want {
			t.Errorf("Slug(%q, %d) = %q, want %q", tt.message, tt.truncate, got, tt.want)
		}
	}
}

func TestNewID(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^[0-9a-f]{12}$`)
	a, b := NewID(), NewID()
	if !re.MatchString(a) || !re.MatchString(b) || a == b {
		t.Errorf("NewID = %q, %q", a, b)
	}
}
