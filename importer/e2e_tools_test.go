package importer_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/importer"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/sqlsplit"
)

// The real tools (goose, golang-migrate, sql-migrate, tern) are built
// from the module in ../tools, which has its own go.mod so that their
// dependencies stay out of retort's.
var (
	toolOnce sync.Once
	toolBin  string
	toolSkip string
	toolErr  error
	toolDir  string
)

// TestMain removes the tool binary built for the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if toolDir != "" {
		os.RemoveAll(toolDir)
	}
	os.Exit(code)
}

// offlineHints are what 'go build' prints when a module it needs is not
// in the module cache and the module proxy cannot be reached.
var offlineHints = []string{"dial tcp", "lookup ", "proxy.golang.org", "GOPROXY", "GOFLAGS=-mod=mod", "no such host", "connection refused", "i/o timeout", "module lookup disabled", "missing go.sum entry"}

// oldTool builds tools/oldtool once into a temporary folder. It skips
// the test, naming what to do, only when the build cannot fetch the
// tools' modules (offline); any other build failure fails the test.
func oldTool(t *testing.T) string {
	t.Helper()
	toolOnce.Do(func() {
		dir, err := os.MkdirTemp("", "retort-oldtool-")
		if err != nil {
			toolErr = err
			return
		}
		toolDir = dir
		bin := filepath.Join(dir, "oldtool")
		cmd := exec.Command("go", "build", "-o", bin, "./oldtool")
		cmd.Dir = filepath.Join("..", "tools")
		out, err := cmd.CombinedOutput()
		if err != nil {
			for _, h := range offlineHints {
				if strings.Contains(string(out), h) {
					toolSkip = fmt.Sprintf("cannot build the peer tools offline; run 'cd tools && go mod download' with the Go module proxy reachable (go build said: %s)", strings.TrimSpace(string(out)))
					return
				}
			}
			toolErr = fmt.Errorf("go build ./oldtool in tools/: %v\n%s", err, out)
			return
		}
		toolBin = bin
	})
	if toolErr != nil {
		t.Fatal(toolErr)
	}
	if toolSkip != "" {
		t.Skip(toolSkip)
	}
	return toolBin
}

// engine is one database engine of the end-to-end tests.
type engine struct {
	name   string
	driver string // database/sql driver of the old tools
	url    func(testing.TB) string
}

var engines = []engine{
	{"postgres", "pgx", dbtest.Postgres},
	{"sqlite", "sqlite", dbtest.SQLiteFile},
	{"mysql", "mysql", dbtest.MySQL},
}

// dsn is the driver's data source name for a retort URL.
func dsn(t *testing.T, u string) string {
	t.Helper()
	pu, err := config.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	return pu.OpenDSN(10 * time.Second)
}

// realApply runs the real tool on the first n migrations of dir (all
// when n is 0).
func realApply(t *testing.T, f importer.Format, e engine, u, dir string, n int) {
	t.Helper()
	bin := oldTool(t)
	source := dsn(t, u)
	if f == importer.GolangMigrate && e.name == "mysql" {
		// golang-migrate sends a file in one Exec: its users turn this on.
		sep := "?"
		if strings.Contains(source, "?") {
			sep = "&"
		}
		source += sep + "multiStatements=true"
	}
	cmd := exec.CommandContext(t.Context(), bin, "-tool", string(f), "-driver", e.driver, "-dsn", source, "-dir", dir, "-n", fmt.Sprint(n))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s on %s: %v\n%s", f, e.name, err, out.String())
	}
}

// simulatedApply does what dbmate, Flyway and Atlas do, which cannot be
// built here (dbmate is not served by the module proxy, Flyway is Java,
// Atlas's command needs a newer Go): it creates their version table with
// the SQL those tools use, runs each migration's statements and records
// it as they record it.
func simulatedApply(t *testing.T, f importer.Format, e engine, u string, all []step, n int) {
	t.Helper()
	ctx := t.Context()
	db := dbtest.Open(t, u)
	for _, stmt := range versionTableSQL(f, e.name) {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	d, err := dialect.New(e.name)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		n = len(all)
	}
	for i, s := range all[:n] {
		stmts, err := sqlsplit.Split(s.up, d.SplitOptions())
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range stmts {
			if _, err := db.ExecContext(ctx, st.SQL); err != nil {
				t.Fatalf("%s: %v", st.SQL, err)
			}
		}
		record(t, db, f, e.name, i+1, s, len(stmts))
	}
}

// versionTableSQL is the DDL of each simulated tool's version table.
func versionTableSQL(f importer.Format, engine string) []string {
	now := map[string]string{"postgres": "now()", "sqlite": "CURRENT_TIMESTAMP", "mysql": "CURRENT_TIMESTAMP"}[engine]
	switch f {
	case importer.Dbmate:
		return []string{"create table if not exists schema_migrations (version varchar(128) primary key)"}
	case importer.Flyway:
		return []string{
			`CREATE TABLE flyway_schema_history (
    installed_rank INT NOT NULL,
    version VARCHAR(50),
    description VARCHAR(200) NOT NULL,
    type VARCHAR(20) NOT NULL,
    script VARCHAR(1000) NOT NULL,
    checksum INT,
    installed_by VARCHAR(100) NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT ` + now + `,
    execution_time INT NOT NULL,
    success BOOLEAN NOT NULL,
    CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank)
)`,
			"CREATE INDEX flyway_schema_history_s_idx ON flyway_schema_history (success)",
		}
	case importer.Atlas:
		table := "atlas_schema_revisions"
		var pre []string
		if engine == "postgres" {
			pre = []string{"CREATE SCHEMA IF NOT EXISTS atlas_schema_revisions"}
			table = "atlas_schema_revisions.atlas_schema_revisions"
		}
		return append(pre, `CREATE TABLE `+table+` (
    version VARCHAR(255) NOT NULL,
    description VARCHAR(255) NOT NULL,
    type BIGINT NOT NULL DEFAULT 2,
    applied BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    executed_at TIMESTAMP NOT NULL,
    execution_time BIGINT NOT NULL,
    error TEXT NULL,
    error_stmt TEXT NULL,
    hash VARCHAR(255) NOT NULL,
    partial_hashes TEXT NULL,
    operator_version VARCHAR(255) NOT NULL,
    PRIMARY KEY (version)
)`)
	}
	return nil
}

// record inserts the row the simulated tool writes for migration n.
func record(t *testing.T, db *sql.DB, f importer.Format, engine string, n int, s step, stmts int) {
	t.Helper()
	v := versionOf(f, n, s)
	var stmt string
	switch f {
	case importer.Dbmate:
		stmt = fmt.Sprintf("insert into schema_migrations (version) values ('%s')", v)
	case importer.Flyway:
		stmt = fmt.Sprintf("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (%d, '%s', '%s', 'SQL', 'V%d__%s.sql', 0, 'test', 1, %s)",
			n, v, strings.ReplaceAll(s.name, "_", " "), n, s.name, map[bool]string{true: "1", false: "true"}[engine == "sqlite" || engine == "mysql"])
	case importer.Atlas:
		table := "atlas_schema_revisions"
		if engine == "postgres" {
			table = "atlas_schema_revisions.atlas_schema_revisions"
		}
		stmt = fmt.Sprintf("INSERT INTO %s (version, description, type, applied, total, executed_at, execution_time, hash, operator_version) VALUES ('%s', '%s', 2, %d, %d, CURRENT_TIMESTAMP, 1, 'h', 'Atlas CLI')",
			table, v, s.name, stmts, stmts)
	}
	if _, err := db.ExecContext(context.WithoutCancel(t.Context()), stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// TestAtlasSumMatchesAtlas checks [importer.AtlasSum] against Atlas's own
// library (built in tools/) on the fixture folder and on the folders the
// end-to-end tests write.
func TestAtlasSumMatchesAtlas(t *testing.T) {
	bin := oldTool(t)
	dirs := []string{filepath.Join("testdata", "fixtures", "atlas")}
	for _, e := range engines {
		d := t.TempDir()
		writeFolder(t, d, importer.Atlas, steps(e.name, importer.Atlas))
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		out, err := exec.CommandContext(t.Context(), bin, "-tool", "atlas-sum", "-dir", d).CombinedOutput()
		if err != nil {
			t.Fatalf("atlas-sum %s: %v\n%s", d, err, out)
		}
		ours, err := os.ReadFile(filepath.Join(d, "atlas.sum"))
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(ours) {
			t.Errorf("%s: Atlas computes\n%s\nimporter.AtlasSum wrote\n%s", d, out, ours)
		}
	}
}
