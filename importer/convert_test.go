package importer

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
	"github.com/retortdb/retort/sqlsplit"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestConvertFixtures converts the fixture folder of every format and
// compares the files written with the goldens under testdata/golden.
// The files must parse back as a linear chain keeping the origin and
// the no-transaction markers.
func TestConvertFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format    Format
		ids       []string
		noTx      []string
		warnings  int
		goScaffld string
	}{
		{Goose, []string{"00001", "00002", "00003", "00004", "20240105093000"}, []string{"00004"}, 1, "00003"},
		{GolangMigrate, []string{"v0001", "v0002", "v0010"}, nil, 0, ""},
		{Dbmate, []string{"20230101120000", "20230215083000", "20230301000000"}, []string{"20230215083000"}, 0, ""},
		{SQLMigrate, []string{"v0001", "v0002", "v0003"}, []string{"v0003"}, 0, ""},
		{Flyway, []string{"v0001", "v1_1", "v1_10", "v0002"}, []string{"v0002"}, 1, ""},
		{Atlas, []string{"20230101000000", "20230102000000"}, []string{"20230102000000"}, 0, ""},
		{Tern, []string{"v0001", "v0002", "v0003"}, []string{"v0003"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			t.Parallel()
			opts := sqlsplit.Postgres
			res, err := Convert(os.DirFS("testdata/fixtures"), string(tt.format), tt.format, Options{Split: &opts})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Warnings) != tt.warnings {
				t.Errorf("warnings %q, want %d", res.Warnings, tt.warnings)
			}
			var ids, noTx []string
			var revs []*revision.Revision
			for i, r := range res.Revisions {
				ids = append(ids, r.ID)
				golden(t, filepath.Join("testdata/golden", string(tt.format), r.File), r.Content)
				if r.Go {
					if r.ID != tt.goScaffld || !strings.HasSuffix(r.File, ".go") {
						t.Errorf("Go scaffold %s %s", r.ID, r.File)
					}
					continue
				}
				s, err := script.Parse(r.File, r.Content)
				if err != nil {
					t.Fatalf("%s does not parse: %v", r.File, err)
				}
				if s.ImportedFrom != string(tt.format)+" "+r.Source {
					t.Errorf("%s: Imported From %q", r.File, s.ImportedFrom)
				}
				if s.Rev.NoTransaction {
					noTx = append(noTx, s.Rev.ID)
				}
				want := []string(nil)
				if i > 0 {
					want = []string{res.Revisions[i-1].ID}
				}
				if !slices.Equal(s.Rev.Revises, want) {
					t.Errorf("%s revises %v, want %v", s.Rev.ID, s.Rev.Revises, want)
				}
				if _, err := s.UpgradeStatements(sqlsplit.Postgres); err != nil {
					t.Error(err)
				}
				revs = append(revs, s.Rev)
			}
			if !slices.Equal(ids, tt.ids) || !slices.Equal(noTx, tt.noTx) {
				t.Errorf("ids %v no-transaction %v, want %v %v", ids, noTx, tt.ids, tt.noTx)
			}
			if tt.goScaffld == "" {
				g, err := revision.New(revs)
				if err != nil {
					t.Fatal(err)
				}
				if heads := g.RealHeads(); len(heads) != 1 || heads[0].ID != tt.ids[len(tt.ids)-1] {
					t.Errorf("heads %v", heads)
				}
			}
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs (go test -update rewrites it):\n%s", path, got)
	}
}

// TestConvertProblems checks that each problem the issue names is
// reported by file and line, all of them at once, as bad input.
func TestConvertProblems(t *testing.T) {
	t.Parallel()
	sum := func(files map[string]string) string {
		var names []string
		for n := range files {
			names = append(names, n)
		}
		slices.Sort(names)
		var cs [][]byte
		for _, n := range names {
			cs = append(cs, []byte(files[n]))
		}
		return AtlasSum(names, cs)
	}
	atlasFiles := map[string]string{"1_a.sql": "CREATE TABLE a (x int);\n", "2_b.sql": "CREATE TABLE b (x int);\n"}
	goodSum := sum(atlasFiles)
	tests := []struct {
		name   string
		format Format
		files  map[string]string
		want   []string // each problem, "file:line: msg" prefixes
	}{
		{"goose duplicate version", Goose, map[string]string{
			"001_a.sql": "-- +goose Up\nSELECT 1;\n", "1_b.sql": "-- +goose Up\nSELECT 2;\n"},
			[]string{"1_b.sql: version 1 is present twice: also 001_a.sql"}},
		{"goose template and envsub", Goose, map[string]string{
			"001_a.sql": "-- +goose Up\n-- +goose ENVSUB ON\nCREATE ROLE ${APP_USER};\n-- +goose ENVSUB OFF\nSELECT '{{ .Name }}';\n"},
			[]string{"001_a.sql:2: goose ENVSUB region", "001_a.sql:5: template placeholder {{ .Name }}"}},
		{"goose no up", Goose, map[string]string{"001_a.sql": "SELECT 1;\n"},
			[]string{"001_a.sql:1: SQL before '-- +goose Up'", "001_a.sql: no '-- +goose Up' annotation"}},
		{"goose unclosed statement", Goose, map[string]string{"001_a.sql": "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n"},
			[]string{"001_a.sql:2: StatementBegin without StatementEnd"}},
		{"unsplittable", GolangMigrate, map[string]string{"1_a.up.sql": "SELECT 1;\nSELECT 'oops;\n"},
			[]string{"1_a.up.sql:2: the statements do not split cleanly"}},
		{"golang-migrate two ups", GolangMigrate, map[string]string{"1_a.up.sql": "SELECT 1;", "01_b.up.sql": "SELECT 1;"},
			[]string{"1_a.up.sql: version 1 is present twice: also 01_b.up.sql"}},
		{"golang-migrate down without up", GolangMigrate, map[string]string{"1_a.up.sql": "SELECT 1;", "2_b.down.sql": "SELECT 1;"},
			[]string{"2_b.down.sql: a down file without its up file"}},
		{"tern gap", Tern, map[string]string{"001_a.sql": "SELECT 1;", "003_c.sql": "SELECT 1;"},
			[]string{"003_c.sql: tern needs migration 2 here, found version 003"}},
		{"tern template", Tern, map[string]string{"001_a.sql": "SELECT 1;\n{{ template \"shared/x.sql\" . }}\n"},
			[]string{"001_a.sql:2: template placeholder {{ template \"shared/x.sql\" . }}"}},
		{"flyway duplicate", Flyway, map[string]string{"V1__a.sql": "SELECT 1;", "V1.0__b.sql": "SELECT 1;"},
			[]string{"V1__a.sql: version 1 is present twice: also V1.0__b.sql"}},
		{"flyway placeholder", Flyway, map[string]string{"V1__a.sql": "GRANT SELECT ON t TO ${reader};"},
			[]string{"V1__a.sql:1: Flyway placeholder ${reader}"}},
		{"atlas no sum", Atlas, atlasFiles, []string{"atlas.sum: no atlas.sum in the folder"}},
		{"atlas changed file", Atlas, map[string]string{"atlas.sum": goodSum, "1_a.sql": "CREATE TABLE a (x int);\n", "2_b.sql": "CREATE TABLE b (y int);\n"},
			[]string{"2_b.sql: does not match its hash in atlas.sum"}},
		{"atlas unlisted file", Atlas, map[string]string{"atlas.sum": goodSum, "1_a.sql": "CREATE TABLE a (x int);\n", "2_b.sql": "CREATE TABLE b (x int);\n", "3_c.sql": "SELECT 1;"},
			[]string{"3_c.sql: not listed in atlas.sum"}},
		{"atlas delimiter", Atlas, map[string]string{"atlas.sum": sum(map[string]string{"1_a.sql": "-- atlas:delimiter //\nSELECT 1//\n"}), "1_a.sql": "-- atlas:delimiter //\nSELECT 1//\n"},
			[]string{"1_a.sql:1: atlas:delimiter directive"}},
		{"dbmate no up", Dbmate, map[string]string{"20230101_a.sql": "-- migrate:down\nSELECT 1;\n"},
			[]string{"20230101_a.sql: no '-- migrate:up' line"}},
		{"sql-migrate unknown annotation", SQLMigrate, map[string]string{"1_a.sql": "-- +migrate Up\n-- +migrate Sideways\nSELECT 1;\n"},
			[]string{"1_a.sql:2: unknown annotation '-- +migrate Sideways'"}},
		{"empty folder", Goose, map[string]string{"README.md": "hello"},
			[]string{"m: no goose migration files"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{}
			for n, c := range tt.files {
				fsys["m/"+n] = &fstest.MapFile{Data: []byte(c)}
			}
			opts := sqlsplit.Postgres
			_, err := Convert(fsys, "m", tt.format, Options{Split: &opts})
			var ce *Error
			if !errors.As(err, &ce) || !errors.Is(err, fault.ErrBadInput) {
				t.Fatalf("error %v, want an *Error that is bad input", err)
			}
			if len(ce.Problems) != len(tt.want) {
				t.Fatalf("problems:\n%s\nwant %d", err, len(tt.want))
			}
			for i, w := range tt.want {
				if got := ce.Problems[i].String(); !strings.HasPrefix(got, w) {
					t.Errorf("problem %d:\n %s\nwant prefix\n %s", i, got, w)
				}
			}
		})
	}
}

// TestConcurrently: golang-migrate and Flyway ran CREATE INDEX
// CONCURRENTLY outside a transaction, so the revision is marked.
func TestConcurrently(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		format Format
		file   string
	}{{GolangMigrate, "1_ix.up.sql"}, {Flyway, "V1__ix.sql"}} {
		fsys := fstest.MapFS{"m/" + tt.file: &fstest.MapFile{Data: []byte("-- index\nCREATE INDEX CONCURRENTLY ix ON t (a);\n")}}
		res, err := Convert(fsys, "m", tt.format, Options{Split: &sqlsplit.Postgres})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Revisions[0].NoTransaction || len(res.Warnings) != 1 || res.Warnings[0].Line != 2 {
			t.Errorf("%s: no-transaction %v, warnings %v", tt.format, res.Revisions[0].NoTransaction, res.Warnings)
		}
	}
}

// TestID pins the id rules of the issue.
func TestID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format Format
		file   string
		want   string
	}{
		{Goose, "00001_a.sql", "00001"},
		{Goose, "1_a.sql", "v0001"},
		{Goose, "001_a.sql", "v0001"},
		{Goose, "20240105093000_a.sql", "20240105093000"},
		{GolangMigrate, "12_a.up.sql", "v0012"},
		{GolangMigrate, "12345_a.up.sql", "12345"},
		{Flyway, "V1.2.3__a.sql", "v1_2_3"},
		{Flyway, "V1_2__a.sql", "v1_2"},
		{Flyway, "V2024.01__a.sql", "v2024_1"},
		{Flyway, "V20240105__a.sql", "20240105"},
		{SQLMigrate, "7_a.sql", "v0007"},
		{SQLMigrate, "20240105_a.sql", "20240105"},
		{SQLMigrate, "init-db.sql", "vinit_db"},
		{Tern, "002_a.sql", "v0002"},
	}
	for _, tt := range tests {
		v, ok := versionOfFile(tt.format, tt.file)
		if !ok {
			t.Errorf("%s %s is not a migration name", tt.format, tt.file)
			continue
		}
		if got := ID(v); got != tt.want {
			t.Errorf("ID(%s %s) = %s, want %s", tt.format, tt.file, got, tt.want)
		}
	}
}

// TestOrder pins each tool's version order.
func TestOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format Format
		files  []string // in the tool's order
	}{
		{Flyway, []string{"V1__a.sql", "V1.2__a.sql", "V1.10__a.sql", "V2__a.sql", "V10__a.sql"}},
		{Goose, []string{"1_a.sql", "2_a.sql", "10_a.sql", "20240101000000_a.sql"}},
		{SQLMigrate, []string{"1_a.sql", "2_a.sql", "10_a.sql", "a.sql", "b.sql"}},
	}
	for _, tt := range tests {
		var vs []Version
		for _, f := range slices.Backward(tt.files) {
			v, _ := versionOfFile(tt.format, f)
			vs = append(vs, v)
		}
		slices.SortFunc(vs, Version.Compare)
		for i, v := range vs {
			want, _ := versionOfFile(tt.format, tt.files[i])
			if !v.Same(want) {
				t.Errorf("%s: position %d is %s, want %s", tt.format, i, v.Text, tt.files[i])
			}
		}
	}
}

func TestParseFormat(t *testing.T) {
	t.Parallel()
	for _, f := range Formats() {
		if got, err := ParseFormat(strings.ToUpper(string(f))); err != nil || got != f {
			t.Errorf("ParseFormat(%s) = %v, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("liquibase"); !errors.Is(err, fault.ErrBadInput) || !strings.Contains(err.Error(), "goose, golang-migrate, dbmate, sql-migrate, flyway, atlas, tern") {
		t.Errorf("ParseFormat(liquibase) = %v", err)
	}
}
