package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
)

// testRegistry holds the Go revisions of the retort-go test command:
// g1base creates a table and, with -x data=true, fills it (the
// cookbook's conditional migration elements); g2count reads the table
// (so it cannot run offline); g3notx runs outside a transaction.
var testRegistry retort.Registry

func init() {
	testRegistry.Add(retort.Migration{
		Revision: "g1base",
		Message:  "create item",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			if err := op.Exec("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"); err != nil {
				return err
			}
			if data, _ := op.XArg("data"); data == "true" {
				return op.Exec("INSERT INTO item (name) VALUES ('apple'), ('pear')")
			}
			return nil
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error {
			return op.Exec("DROP TABLE item")
		},
	})
	testRegistry.Add(retort.Migration{
		Revision: "g2count",
		Revises:  []string{"g1base"},
		Message:  "count items",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			q, err := op.Querier()
			if err != nil {
				return err
			}
			var n int
			if err := q.QueryRowContext(ctx, "SELECT count(*) FROM item").Scan(&n); err != nil {
				return err
			}
			return op.Exec(fmt.Sprintf("CREATE TABLE item_count AS SELECT %d AS n", n))
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error {
			return op.Exec("DROP TABLE item_count")
		},
	})
	testRegistry.Add(retort.Migration{
		Revision:      "g3notx",
		Revises:       []string{"g2count"},
		Message:       "outside a transaction",
		NoTransaction: true,
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			return op.Exec("CREATE TABLE notx (id INTEGER)")
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error {
			return op.Exec("DROP TABLE notx")
		},
	})
}

// testGoOptions are the options of the retort-go command: testRegistry,
// and an on-connect function that, with -x connect=log, says where it
// runs.
func testGoOptions() []retort.Option {
	return []retort.Option{
		retort.WithRegistry(&testRegistry),
		retort.WithOnConnect(func(ctx context.Context, c retort.ConnectInfo) error {
			if c.XArgs["connect"] != "log" {
				return nil
			}
			var n int
			if err := c.Querier.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "on-connect %s in-transaction=%v\n", c.Dialect.Name(), c.InTransaction)
			return nil
		}),
	}
}

// sqlQuery is the sqlquery test command: sqlquery FILE QUERY.
func sqlQuery() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: sqlquery FILE QUERY")
		os.Exit(2)
	}
	db, err := sql.Open("sqlite", os.Args[1])
	if err == nil {
		err = printRows(db, os.Args[2])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func printRows(db *sql.DB, query string) error {
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = fmt.Sprint(v)
		}
		fmt.Println(strings.Join(out, "|"))
	}
	return rows.Err()
}

// TestProgramErrors checks that a program that cannot run is reported
// with its path and the config file that names it.
func TestProgramErrors(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "cmd", "migrate")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(plain, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, "retort.toml")
	a := &app{stderr: new(strings.Builder)}
	for _, c := range []struct{ name, program, want string }{
		{"missing", filepath.Join(dir, "nosuch"), "does not exist"},
		{"not runnable", plain, "neither a Go package directory"},
		{"no go command", pkg, "the go command is not on PATH"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("PATH", t.TempDir())
			_, err := a.programBinary(t.Context(), &config.Config{File: cfgFile, Program: c.program})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range []string{c.want, "program " + c.program, "(program in " + cfgFile + ")"} {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			if report(new(strings.Builder), &runError{err}) != exitUsage {
				t.Errorf("exit status is not %d", exitUsage)
			}
		})
	}
}

// TestGoProject builds a project from `init -t go` in a module that
// replaces retort with this repository, and runs it with `go run` and
// through the stock command, which hands each command to the program.
func TestGoProject(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: skipping the generated-project build")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeTestModule(t, repo, dir)
	// Build from the module cache (the module proxy fills in what a
	// fresh machine lacks, such as cobra's Windows-only dependency), and
	// keep the delegated builds out of the user's cache folder.
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "XDG_CACHE_HOME="+filepath.Join(dir, ".cache"), inProgramEnv+"=")
	if cache, err := os.UserCacheDir(); err == nil && os.Getenv("GOCACHE") == "" {
		env = append(env, "GOCACHE="+filepath.Join(cache, "go-build")) // keep the shared build cache
	}
	bin := filepath.Join(dir, ".bin", "retort")
	run := func(want int, name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), name, args...)
		cmd.Dir, cmd.Env = dir, env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		got := 0
		if ee, ok := err.(*exec.ExitError); ok {
			got = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
		}
		if got != want {
			t.Fatalf("%s %s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), got, want, &stdout, &stderr)
		}
		return stdout.String() + stderr.String()
	}
	build := exec.CommandContext(t.Context(), goCmd, "build", "-o", bin, "./cmd/retort")
	build.Dir = repo
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/retort: %v\n%s", err, out)
	}

	run(0, bin, "init", "-t", "go", "migrations")
	for _, f := range []string{"retort.toml", "cmd/migrate/main.go", "migrations/versions/versions.go"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	// go run, as a user would, writes a Go revision on an empty graph.
	run(0, goCmd, "run", "./cmd/migrate", "revision", "-m", "create item", "--rev-id", "aaaa")
	src, err := os.ReadFile(filepath.Join(dir, "migrations", "versions", "aaaa_create_item.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "package versions") || !strings.Contains(string(src), `Revision: "aaaa",`) {
		t.Fatalf("new revision:\n%s", src)
	}
	// The stock command hands revision to the program, which knows aaaa.
	out := run(0, bin, "revision", "-m", "fill item", "--rev-id", "bbbb")
	if !strings.Contains(out, "bbbb_fill_item.go") {
		t.Fatalf("revision: %s", out)
	}
	src, err = os.ReadFile(filepath.Join(dir, "migrations", "versions", "bbbb_fill_item.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), `Revises:  []string{"aaaa"},`) {
		t.Fatalf("bbbb does not revise aaaa:\n%s", src)
	}
	// Conditional migration elements: bbbb's data runs with -x data=true.
	writeConditional(t, filepath.Join(dir, "migrations", "versions", "bbbb_fill_item.go"))

	run(0, bin, "upgrade", "head")
	if out := run(0, bin, "current"); !strings.Contains(out, "bbbb (head)") {
		t.Fatalf("current: %q", out)
	}
	if n := countItems(t, filepath.Join(dir, "app.db")); n != 0 {
		t.Errorf("without -x data=true: %d rows, want 0", n)
	}
	run(0, bin, "downgrade", "aaaa")
	run(0, bin, "-x", "data=true", "upgrade", "head")
	if n := countItems(t, filepath.Join(dir, "app.db")); n != 2 {
		t.Errorf("with -x data=true: %d rows, want 2", n)
	}
	// The program's exit status comes back: 2 for an unknown revision.
	if out := run(2, bin, "upgrade", "nosuch"); !strings.Contains(out, "FAILED: can't locate revision identified by 'nosuch'") {
		t.Errorf("upgrade nosuch: %q", out)
	}
	// Offline, through the program: op.Exec statements are written.
	if out := run(0, bin, "-x", "data=true", "upgrade", "aaaa:bbbb", "--sql"); !strings.Contains(out, "INSERT INTO item (name) VALUES ('apple'), ('pear');") {
		t.Errorf("upgrade --sql: %s", out)
	}
}

// writeTestModule writes go.mod (requiring retort as this repository,
// with the repository's own requirements so nothing is fetched) and
// go.sum into dir.
func writeTestModule(t *testing.T, repo, dir string) {
	t.Helper()
	gomod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "module example.com/app\n\ngo 1.26\n\nrequire github.com/retortdb/retort v0.0.0\n\nreplace github.com/retortdb/retort => %s\n\n", repo)
	in := false
	for line := range strings.Lines(string(gomod)) {
		switch {
		case strings.HasPrefix(line, "require ("):
			in = true
		case in && strings.HasPrefix(line, ")"):
			in = false
			b.WriteString(")\n")
			continue
		}
		if in {
			b.WriteString(line)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeConditional replaces the upgrade and downgrade of a generated Go
// revision with the cookbook's conditional data migration.
func writeConditional(t *testing.T, file string) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	up := `Upgrade: func(ctx context.Context, op *retort.Op) error {
			if err := op.Exec("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"); err != nil {
				return err
			}
			if data, _ := op.XArg("data"); data == "true" {
				return op.Exec("INSERT INTO item (name) VALUES ('apple'), ('pear')")
			}
			return nil
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error {
			return op.Exec("DROP TABLE item")
		},
	})`
	s := string(src)
	i := strings.Index(s, "Upgrade: func")
	j := strings.LastIndex(s, "})")
	if i < 0 || j < i {
		t.Fatalf("unexpected revision file:\n%s", s)
	}
	if err := os.WriteFile(file, []byte(s[:i]+up+s[j+2:]), 0o644); err != nil {
		t.Fatal(err)
	}
}

func countItems(t *testing.T, file string) int {
	t.Helper()
	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM item").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
