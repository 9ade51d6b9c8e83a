package benchfmt

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		s, fine float64
		want    string
	}{
		{"tens of seconds", 12.345, 0.01, "12.3 s"},
		{"ten seconds exactly", 10, 0.01, "10.0 s"},
		{"seconds", 1.2345, 0.01, "1.23 s"},
		{"one second exactly", 1, 0.01, "1.00 s"},
		{"milliseconds", 0.4564, 0.01, "456 ms"},
		{"at the fine mark", 0.01, 0.01, "10 ms"},
		{"below the fine mark", 0.00456, 0.01, "4.6 ms"},
		{"between marks, fine 0.1", 0.045, 0.1, "45.0 ms"},
		{"above the mark, fine 0.1", 0.45, 0.1, "450 ms"},
		{"fine 0: whole milliseconds", 0.00456, 0, "5 ms"},
		{"fine 0: zero", 0, 0, "0 ms"},
		{"zero", 0, 0.01, "0.0 ms"},
		{"negative seconds", -1.2345, 0.1, "-1.23 s"},
		{"negative milliseconds", -0.00034, 0.1, "-0.3 ms"},
		{"negative tens of seconds", -12.345, 0.01, "-12.3 s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Duration(tt.s, tt.fine); got != tt.want {
				t.Errorf("Duration(%v, %v) = %q, want %q", tt.s, tt.fine, got, tt.want)
			}
		})
	}
}

func TestRatio(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b *Result
		want string
	}{
		{"faster", &Result{Median: 2.5}, &Result{Median: 1}, "2.50×"},
		{"slower", &Result{Median: 1}, &Result{Median: 3}, "0.33×"},
		{"no a", nil, &Result{Median: 1}, ""},
		{"no b", &Result{Median: 1}, nil, ""},
		{"b zero", &Result{Median: 1}, &Result{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Ratio(tt.a, tt.b); got != tt.want {
				t.Errorf("Ratio = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVerdict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ok   bool
		want string
	}{
		{"met", true, "met"},
		{"not met", false, "**not met**"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Verdict(tt.ok); got != tt.want {
				t.Errorf("Verdict(%v) = %q, want %q", tt.ok, got, tt.want)
			}
		})
	}
}

func TestLoadMemory(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "memory.tsv")
	data := "retort heads 5000\t30000\nretort heads 5000\t31000\nno tab here\nalembic heads 5000\t90000\n" +
		"retort heads 5000\t 29000 \nalembic heads 5000\tnot a number\nretort heads 5000\t32000\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	got := LoadMemory(path)
	want := []Memory{
		{Command: "retort heads 5000", KB: []int{30000, 31000, 29000, 32000}},
		{Command: "alembic heads 5000", KB: []int{90000}},
	}
	if !slices.EqualFunc(got, want, func(a, b Memory) bool { return a.Command == b.Command && slices.Equal(a.KB, b.KB) }) {
		t.Fatalf("LoadMemory = %v, want %v", got, want)
	}
	if m, p := got[0].Median(), got[0].Peak(); m != 31000 || p != 32000 {
		t.Errorf("median, peak = %d, %d, want 31000, 32000 (the larger middle run)", m, p)
	}
	if m := got[1].Median(); m != 90000 {
		t.Errorf("median of one run = %d, want 90000", m)
	}
	if got := LoadMemory(""); got != nil {
		t.Errorf("LoadMemory(\"\") = %v, want nil", got)
	}
}

func TestReadDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"a.json":      `{"results": [{"command": "retort", "median": 0.5, "times": [0.4, 0.5, 0.6]}]}`,
		"b.json":      `{"results": [{"command": "alembic", "median": 2}, {"command": "floor: psql", "median": 0.25}]}`,
		"broken.json": `{"results": [`,
		"notes.txt":   `not read`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	for _, r := range rows {
		cmds = append(cmds, r.Command)
	}
	if want := []string{"retort", "alembic", "floor: psql"}; !slices.Equal(cmds, want) {
		t.Fatalf("commands = %q, want %q", cmds, want)
	}
	if f := Find(rows, "floor"); f == nil || f.Median != 0.25 {
		t.Errorf("Find(floor) = %v, want the floor row", f)
	}
	if f := Find(rows, "goose"); f != nil {
		t.Errorf("Find(goose) = %v, want nil", f)
	}
	if _, err := ReadFile(filepath.Join(dir, "broken.json")); err == nil {
		t.Error("ReadFile(broken.json): no error")
	}
}
