package lint

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// realworld reads the upgrade sections of a real-world fixture's
// revisions (testdata/realworld/NAME/versions, in file-name order).
func realworld(t *testing.T, name string) []Script {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "realworld", name, "versions", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("fixture %s: %v (%d files)", name, err, len(files))
	}
	sort.Strings(files)
	var out []Script
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		sc := Script{File: filepath.Base(f)}
		start, end := -1, len(lines)
		for i, l := range lines {
			switch strings.TrimSpace(l) {
			case "-- +retort upgrade":
				start = i + 1
			case "-- +retort downgrade":
				end = i
			case "-- +retort no-transaction":
				sc.NoTransaction = true
			case "-- +retort commit-before":
				sc.CommitBefore = true
			}
			if id, ok := strings.CutPrefix(l, "-- Revision ID: "); ok {
				sc.Revision = strings.TrimSpace(id)
			}
		}
		if start < 0 {
			t.Fatalf("%s: no upgrade section", f)
		}
		sc.SQL = strings.Join(lines[start:end], "\n")
		sc.Line = start + 1
		out = append(out, sc)
	}
	return out
}

// TestRealWorld lints the migration sets of the real-world fixtures,
// twice: the whole set as one run on an empty database (every table is
// created in the run, so the size-aware rules stay quiet: nothing to
// report), and the revisions after the first as if the first were
// applied (the default of retort lint against a database at the first
// revision). Every finding is listed with why it is expected.
func TestRealWorld(t *testing.T) {
	for _, c := range []struct {
		name  string
		eng   Engine
		later bool     // lint only the revisions after the first
		want  []string // file:line rule
	}{
		{"auth", Postgres, false, nil},
		{"catalog", Postgres, false, nil},
		{"jobqueue", Postgres, false, nil},
		{"notes", SQLite, false, nil},
		{"registry", Postgres, false, nil},
		{"shop", MySQL, false, nil},
		// profiles is created in 002 itself; nothing risky on auth's tables.
		{"auth", Postgres, true, nil},
		// 002 adds a NOT NULL column WITH a default (fine) and a generated
		// column, and indexes the table it creates: nothing.
		{"catalog", Postgres, true, nil},
		// 003 indexes jobs, created by 001 and so possibly large, without
		// CONCURRENTLY (size unknown offline: "check the table size"); 004
		// runs its CONCURRENTLY index in a no-transaction revision (fine).
		{"jobqueue", Postgres, true, []string{"003_runs.sql:12 index-not-concurrent"}},
		{"notes", SQLite, true, nil},
		{"registry", Postgres, true, nil},
		// 002 grows orders.status's ENUM with MODIFY, which the classifier
		// cannot tell from a type change that copies the table (appending
		// enum values at the end is instant on MariaDB; reordering copies).
		{"shop", MySQL, true, []string{"002_lines.sql:10 table-copy"}},
	} {
		scripts := realworld(t, c.name)
		if c.later {
			scripts = scripts[1:]
		}
		fs, err := Check(c.eng, scripts)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got []string
		for _, f := range fs {
			got = append(got, f.File+":"+itoa(f.Line)+" "+f.Rule)
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s (%s): findings\n%s\nwant\n%s", c.name, c.eng, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}

func itoa(n int) string {
	return strconv.Itoa(n)
}
