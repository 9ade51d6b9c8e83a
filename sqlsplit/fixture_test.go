package sqlsplit

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// fixtureOpts names the option set each folder of testdata is split with.
var fixtureOpts = map[string]Options{"mysql": MySQL}

// renderStatements prints statements for a golden file: a header line
// with the statement's number and line, its text, and a blank line.
func renderStatements(stmts []Statement) string {
	var b strings.Builder
	for i, s := range stmts {
		fmt.Fprintf(&b, "-- statement %d, line %d\n%s\n\n", i+1, s.Line, s.SQL)
	}
	return b.String()
}

// TestFixtures splits every testdata/<dialect>/*.sql file and compares the
// statements with the .golden file next to it (go test -update rewrites
// them). The same files run on a real server in TestMySQLServerAccepts.
func TestFixtures(t *testing.T) {
	t.Parallel()
	for dir, opts := range fixtureOpts {
		files, err := filepath.Glob(filepath.Join("testdata", dir, "*.sql"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no fixtures in testdata/%s: %v", dir, err)
		}
		for _, file := range files {
			t.Run(dir+"/"+filepath.Base(file), func(t *testing.T) {
				t.Parallel()
				src, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				stmts, err := Split(string(src), opts)
				if err != nil {
					t.Fatalf("Split: %v", err)
				}
				got := renderStatements(stmts)
				golden := strings.TrimSuffix(file, ".sql") + ".golden"
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if got != string(want) {
					t.Errorf("%s: statements differ from %s (go test -update rewrites it):\n%s", file, golden, got)
				}
			})
		}
	}
}
