package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/retortdb/retort/config"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata (scripts and golden files)")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"retort": func() {
			os.Exit(Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
		// retort-go is a Go environment: the command with the Go
		// revisions of testRegistry (goenv_test.go).
		"retort-go": func() {
			os.Exit(MainWith(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, testGoOptions()))
		},
		// sqlquery prints the rows of a query on an SQLite file, one
		// line each, columns separated by '|'.
		"sqlquery": sqlQuery,
		// fake-editor stands in for $EDITOR: it prints its arguments and
		// appends a line to each file.
		"fake-editor": func() {
			fmt.Println("fake-editor", strings.Join(os.Args[1:], " "))
			for _, f := range os.Args[1:] {
				if strings.HasPrefix(f, "-") {
					continue
				}
				b, err := os.ReadFile(f)
				if err == nil {
					err = os.WriteFile(f, append(b, "-- edited\n"...), 0o644)
				}
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
			}
		},
	})
}

func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Cmds:          map[string]func(ts *testscript.TestScript, neg bool, args []string){"status": cmdStatus},
	})
}

// cmdStatus runs a command and checks its exit status:
//
//	status 2 retort heads --bogus
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// TestTemplatesDocumentEveryKey checks that the retort.toml of each
// template mentions every key the config package reads.
func TestTemplatesDocumentEveryKey(t *testing.T) {
	for _, tmpl := range templateNames {
		t.Run(tmpl, func(t *testing.T) {
			dir := t.TempDir()
			a := &app{stdout: new(strings.Builder), stderr: new(strings.Builder), configFile: dir + "/retort.toml", quiet: true}
			if err := os.WriteFile(dir+"/go.mod", []byte("module example.com/app\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := a.initDir(dir+"/migrations", tmpl, &initJSON{}); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(dir + "/retort.toml")
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range config.Keys() {
				if !strings.Contains(string(b), k+" =") {
					t.Errorf("retort.toml of template %s does not mention %s", tmpl, k)
				}
			}
			if _, err := config.Load(dir + "/retort.toml"); err != nil {
				t.Errorf("retort.toml of template %s does not load: %v", tmpl, err)
			}
		})
	}
}

func TestNegativeArgs(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"none", "upgrade head", "upgrade head"},
		{"alone", "downgrade -1", "downgrade -- -1"},
		{"before flag", "downgrade -1 --sql", "downgrade --sql -- -1"},
		{"message", "revision -m -1", "revision -m -1"},
		{"dashdash", "downgrade -1 -- x", "downgrade -- x -1"},
		{"flag", "-v downgrade -2", "-v downgrade -- -2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := strings.Join(negativeArgs(strings.Fields(c.in)), " "); got != c.want {
				t.Errorf("negativeArgs(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
