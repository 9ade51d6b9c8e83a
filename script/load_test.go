package script

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort/internal/fault"
)

// rev renders a minimal revision file.
func rev(id, revises string) *fstest.MapFile {
	return &fstest.MapFile{Data: fmt.Appendf(nil, "-- Revision ID: %s\n-- Revises: %s\n\n-- +retort upgrade\nSELECT 1;\n", id, revises)}
}

func paths(scripts []*Script) []string {
	var out []string
	for _, s := range scripts {
		out = append(out, s.Path)
	}
	return out
}

func TestLoad(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"m/versions/b_two.sql":         rev("b", "a"),
		"m/versions/a_one.sql":         rev("a", ""),
		"m/versions/.hidden.sql":       {Data: []byte("junk")},
		"m/versions/_draft.sql":        {Data: []byte("junk")},
		"m/versions/README.md":         {Data: []byte("junk")},
		"m/versions/notes.sql.txt":     {Data: []byte("junk")},
		"m/versions/sub/c_three.sql":   rev("c", "b"),
		"m/versions/sub.sql":           rev("s", "b"),
		"m/versions/_old/x.sql":        {Data: []byte("junk")},
		"m/versions/.git/y.sql":        {Data: []byte("junk")},
		"m/versions/dir.sql/z_z.sql":   rev("z", "b"),
		"m/reporting/d_four.sql":       rev("d", ""),
		"m/reporting/deep/e_five.sql":  rev("e", "d"),
		"m/reporting/deep/.f_six.sql":  {Data: []byte("junk")},
		"m/reporting/deep/_g_seven.sq": {Data: []byte("junk")},
	}
	tests := []struct {
		name string
		dirs []string
		opts LoadOptions
		want []string
	}{
		{"flat", []string{"m/versions"}, LoadOptions{}, []string{"m/versions/a_one.sql", "m/versions/b_two.sql", "m/versions/sub.sql"}},
		{"recursive sorted by path", []string{"m/versions"}, LoadOptions{Recursive: true},
			[]string{"m/versions/a_one.sql", "m/versions/b_two.sql", "m/versions/dir.sql/z_z.sql", "m/versions/sub.sql", "m/versions/sub/c_three.sql"}},
		{"dir order first", []string{"m/reporting", "m/versions"}, LoadOptions{},
			[]string{"m/reporting/d_four.sql", "m/versions/a_one.sql", "m/versions/b_two.sql", "m/versions/sub.sql"}},
		{"overlapping dirs read once", []string{"m/versions/sub", "./m/versions/", "m/versions/sub"}, LoadOptions{Recursive: true},
			[]string{"m/versions/sub/c_three.sql", "m/versions/a_one.sql", "m/versions/b_two.sql", "m/versions/dir.sql/z_z.sql", "m/versions/sub.sql"}},
		{"no dirs", nil, LoadOptions{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Load(fsys, tt.dirs, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if p := paths(got); !reflect.DeepEqual(p, tt.want) {
				t.Errorf("Load = %q, want %q", p, tt.want)
			}
		})
	}
}

func TestLoadDirFS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "versions"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "versions", "a_x.sql"), rev("a", "").Data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Load(os.DirFS(dir), []string{"versions"}, LoadOptions{})
	if err != nil || len(got) != 1 || got[0].Rev.ID != "a" || got[0].Rev.Source.String() != "versions/a_x.sql:1" {
		t.Fatalf("Load = %v, %v", got, err)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"ok/a.sql":       rev("a", ""),
		"bad/1.sql":      {Data: []byte("SELECT 1;\n")},
		"bad/2.sql":      rev("b", "a"),
		"bad/3.sql":      {Data: []byte("-- Revision ID: c\n-- Revises:\n")},
		"dup/x_a.sql":    rev("a", ""),
		"dup/y_a.sql":    rev("a", ""),
		"file.sql":       rev("f", ""),
		"versions/a.sql": rev("a", ""),
	}
	tests := []struct {
		name string
		dirs []string
		want []string // each must appear in the error
	}{
		{"missing dir", []string{"migrations/versions"}, []string{"versions directory migrations/versions does not exist; run 'retort init' or fix script_location"}},
		{"not a dir", []string{"file.sql"}, []string{"versions directory file.sql is not a directory"}},
		{"outside", []string{"../x"}, []string{`versions directory "../x" is not a valid path`}},
		{"every bad file", []string{"bad"}, []string{"bad/1.sql:1: SQL before the header", "bad/3.sql: no '-- +retort upgrade' section"}},
		{"duplicate ids", []string{"dup"}, []string{"dup/y_a.sql:1: revision id a is also declared in dup/x_a.sql:1; give one of them a new id"}},
		{"duplicate ids across dirs", []string{"ok", "versions"}, []string{"versions/a.sql:1: revision id a is also declared in ok/a.sql:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Load(fsys, tt.dirs, LoadOptions{})
			if err == nil || got != nil {
				t.Fatalf("Load = %v, %v; want only an error", paths(got), err)
			}
			if !errors.Is(err, fault.ErrBadInput) {
				t.Errorf("error %v is not bad input", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
		})
	}
}

// chain builds n revision files forming a linear chain.
func chain(n int) fstest.MapFS {
	fsys := make(fstest.MapFS, n)
	prev := ""
	for i := range n {
		id := fmt.Sprintf("%012x", i+1)
		f := NewFile{ID: id, Message: fmt.Sprintf("step %d", i), Upgrade: fmt.Sprintf("CREATE TABLE t%d (id INT);", i),
			Downgrade: fmt.Sprintf("DROP TABLE t%d;", i)}
		if prev != "" {
			f.Revises = []string{prev}
		}
		name, _ := FileName("{rev}_{slug}", f, 0)
		fsys["migrations/versions/"+name] = &fstest.MapFile{Data: RenderSQL(f)}
		prev = id
	}
	return fsys
}

func BenchmarkLoad5000(b *testing.B) {
	fsys := chain(5000)
	b.ReportAllocs()
	for b.Loop() {
		scripts, err := Load(fsys, []string{"migrations/versions"}, LoadOptions{})
		if err != nil || len(scripts) != 5000 {
			b.Fatal(len(scripts), err)
		}
	}
}
