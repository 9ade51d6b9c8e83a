package fleet_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildRetort builds cmd/retort into the test's temporary folder.
func buildRetort(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "retort")
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to build cmd/retort with")
	}
	out, err := exec.CommandContext(t.Context(), goCmd, "build", "-o", bin, "github.com/retortdb/retort/cmd/retort").CombinedOutput()
	if err != nil {
		t.Fatalf("go build cmd/retort: %v\n%s", err, out)
	}
	return bin
}

// TestKilledRunner kills (SIGKILL) a `retort --fleet` process in the
// middle of a run on a fleet of PostgreSQL schemas and runs it again:
// after the kill every member is at a revision its log table agrees
// with (none half-migrated), and after the rerun every member is at the
// head with each revision applied exactly once.
//
// The run is stopped at a known point without timing: revision 2 of
// each member reads its own row of public.gate FOR UPDATE, and the test
// holds the rows of members m004 and later. With --jobs 2, members
// m000-m003 finish, m004 and m005 wait inside revision 2 (holding their
// locks), and the rest have not started when the process is killed.
func TestKilledRunner(t *testing.T) {
	bin := buildRetort(t)
	for _, perMigration := range []bool{false, true} {
		t.Run(fmt.Sprintf("transaction_per_migration=%v", perMigration), func(t *testing.T) {
			killedRunner(t, bin, perMigration)
		})
	}
}

func killedRunner(t *testing.T, bin string, perMigration bool) {
	const n = 12
	f, db := pgFleet(t, n, 3, fmt.Sprintf("transaction_per_migration = %v\nlock_timeout = \"5m\"", perMigration))
	rev2 := filepath.Join(filepath.Dir(f.File), "migrations", "versions", "r002_rev.sql")
	body := strings.Replace(mustRead(t, rev2), "CREATE TABLE t2 (id INTEGER);",
		"CREATE TABLE t2 (id INTEGER);\nSELECT 1 FROM public.gate WHERE member = current_schema() FOR UPDATE;", 1)
	if err := os.WriteFile(rev2, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE public.gate (member TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range names(n) {
		if _, err := db.Exec(`INSERT INTO public.gate VALUES ($1)`, "t_"+m); err != nil {
			t.Fatal(err)
		}
	}
	gate, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = gate.Rollback() }() // released below; this is for an early failure
	if _, err := gate.Exec(`SELECT 1 FROM public.gate WHERE member >= 't_m004' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(bin, "-c", f.File, "--fleet", "tenants", "--jobs", "2", "upgrade", "head")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// Wait until two members wait on the gate; then m000-m003 are done.
	for waiting := 0; waiting < 2; {
		select {
		case err := <-exited:
			t.Fatalf("retort exited before the kill: %v\n%s", err, &out)
		case <-time.After(20 * time.Millisecond):
		}
		err := db.QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%public.gate%'`).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited
	// The killed process's sessions end once their statement does.
	if err := gate.Rollback(); err != nil {
		t.Fatal(err)
	}

	at := map[string]int{}
	for _, m := range names(n) {
		rev := memberState(t, db, "t_"+m)
		at[m] = rev
		switch {
		case m < "m004" && rev != 3:
			t.Errorf("%s finished before the kill but is at revision %d", m, rev)
		case m >= "m004" && rev == 3:
			t.Errorf("%s waited at the gate but is at revision %d", m, rev)
		}
	}
	if perMigration && (at["m004"] != 1 || at["m005"] != 1) {
		t.Errorf("with a transaction per migration, m004 and m005 keep revision 1: %v", at)
	}

	// The rerun waits for the killed sessions' locks and finishes the
	// fleet; each revision ran once on each member.
	rerun := exec.CommandContext(t.Context(), bin, "-c", f.File, "--fleet", "tenants", "--jobs", "2", "upgrade", "head")
	if b, err := rerun.CombinedOutput(); err != nil {
		t.Fatalf("rerun: %v\n%s", err, b)
	}
	for _, m := range names(n) {
		if rev := memberState(t, db, "t_"+m); rev != 3 {
			t.Errorf("%s at revision %d after the rerun", m, rev)
		}
		if r, d := logCounts(t, db, "t_"+m); r != 3 || d != 3 {
			t.Errorf("%s: %d log rows (%d distinct) after the rerun, want 3", m, r, d)
		}
	}
}

// memberState returns the revision number a member's version table
// names (0: none), after checking that its log table agrees: one row
// for each revision up to it, none after.
func memberState(t *testing.T, db *sql.DB, schema string) int {
	t.Helper()
	ctx := context.Background()
	exists := func(table string) bool {
		var ok bool
		if err := db.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, schema+"."+table).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	rev := 0
	if exists("alembic_version") {
		var version string
		err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT version_num FROM %q.alembic_version`, schema)).Scan(&version)
		switch {
		case err == sql.ErrNoRows:
		case err != nil:
			t.Fatalf("%s: %v", schema, err)
		default:
			if _, err := fmt.Sscanf(version, "r%03d", &rev); err != nil {
				t.Fatalf("%s: version %q", schema, version)
			}
		}
	}
	rows, distinct := 0, 0
	if exists("fleet_log") {
		rows, distinct = logCounts(t, db, schema)
	}
	if rows != rev || distinct != rev {
		t.Fatalf("%s is half-migrated: version table at revision %d, log has %d rows (%d distinct)", schema, rev, rows, distinct)
	}
	return rev
}
