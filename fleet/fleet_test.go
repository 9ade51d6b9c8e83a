package fleet_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/fleet"
	"github.com/retortdb/retort/internal/dbtest"
)

// project writes a retort project of n tiny revisions: the first creates
// a log table, each inserts its number into it, so the log shows how
// many times each revision ran. Revision 2 creates table t2, which a
// member made to fail has already.
func project(t *testing.T, toml string, n int) string {
	t.Helper()
	dir := t.TempDir()
	vdir := filepath.Join(dir, "migrations", "versions")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		t.Fatal(err)
	}
	prev := ""
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("r%03d", i)
		up := fmt.Sprintf("INSERT INTO fleet_log (rev) VALUES (%d);", i)
		down := fmt.Sprintf("DELETE FROM fleet_log WHERE rev = %d;", i)
		switch i {
		case 1:
			up = "CREATE TABLE fleet_log (rev INTEGER NOT NULL);\n" + up
			down = "DROP TABLE fleet_log;"
		case 2:
			up = "CREATE TABLE t2 (id INTEGER);\n" + up
			down = "DROP TABLE t2;\n" + down
		}
		body := fmt.Sprintf("-- rev %d\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Create Date: 2026-12-03 10:00:00.000000+00:00\n\n-- +retort upgrade\n%s\n\n-- +retort downgrade\n%s\n", i, id, prev, up, down)
		if err := os.WriteFile(filepath.Join(vdir, id+"_rev.sql"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		prev = id
	}
	file := filepath.Join(dir, "retort.toml")
	if err := os.WriteFile(file, []byte("[retort]\nscript_location = \"migrations\"\n"+toml), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("m%03d", i)
	}
	return out
}

func quoted(ms []string) string {
	q := make([]string, len(ms))
	for i, m := range ms {
		q[i] = fmt.Sprintf("%q", m)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// pgFleet returns a fleet of n schemas on a fresh PostgreSQL database,
// and the database.
func pgFleet(t *testing.T, n, revs int, extra string) (*config.Fleet, *sql.DB) {
	t.Helper()
	u := dbtest.Postgres(t)
	file := project(t, fmt.Sprintf("url = %q\nsearch_path = \"t_{x.tenant}\"\ncreate_schema = true\n%s\n[fleet.tenants]\nplaceholder = \"tenant\"\nmembers = %s\n", u, extra, quoted(names(n))), revs)
	f, err := config.LoadFleet(file, "tenants")
	if err != nil {
		t.Fatal(err)
	}
	return f, dbtest.Open(t, u)
}

func logCounts(t *testing.T, db *sql.DB, schema string) (rows, distinct int) {
	t.Helper()
	err := db.QueryRow(fmt.Sprintf("SELECT count(*), count(DISTINCT rev) FROM %q.fleet_log", schema)).Scan(&rows, &distinct)
	if err != nil {
		t.Fatalf("%s: %v", schema, err)
	}
	return rows, distinct
}

func states(rep *fleet.Report) map[fleet.State]int {
	out := map[fleet.State]int{}
	for _, m := range rep.Members {
		out[m.State]++
	}
	return out
}

func TestPostgresSchemas200(t *testing.T) {
	f, db := pgFleet(t, 200, 3, "")
	ctx := context.Background()
	var events int
	rep, err := fleet.Run(ctx, f, fleet.Options{Command: fleet.Upgrade, Request: up(), Jobs: 4,
		Progress: func(fleet.Event) { events++ }})
	if err != nil {
		t.Fatal(err)
	}
	if s := states(rep); s[fleet.Done] != 200 {
		t.Fatalf("states %v", s)
	}
	if events != 400 {
		t.Fatalf("%d progress events, want 400", events)
	}
	for _, m := range names(200) {
		if r, d := logCounts(t, db, "t_"+m); r != 3 || d != 3 {
			t.Fatalf("%s: %d log rows (%d distinct), want 3", m, r, d)
		}
	}
	// A rerun touches nothing.
	rep, err = fleet.Run(ctx, f, fleet.Options{Command: fleet.Upgrade, Request: up(), Jobs: 4})
	if err != nil {
		t.Fatal(err)
	}
	if s := states(rep); s[fleet.Unchanged] != 200 {
		t.Fatalf("rerun states %v", s)
	}
	rep, err = fleet.Run(ctx, f, fleet.Options{Command: fleet.Current, Jobs: 4})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range rep.Members {
		if strings.Join(m.After, ",") != "r003" {
			t.Fatalf("%s at %v", m.Name, m.After)
		}
	}
}

func TestPostgresFailingMember(t *testing.T) {
	for _, perMigration := range []bool{false, true} {
		for _, keepGoing := range []bool{false, true} {
			t.Run(fmt.Sprintf("per_migration=%v/keep_going=%v", perMigration, keepGoing), func(t *testing.T) {
				f, db := pgFleet(t, 10, 3, fmt.Sprintf("transaction_per_migration = %v", perMigration))
				// Member m004 already has t2: its revision 2 fails.
				if _, err := db.Exec(`CREATE SCHEMA t_m004; CREATE TABLE t_m004.t2 (id INTEGER)`); err != nil {
					t.Fatal(err)
				}
				rep, err := fleet.Run(context.Background(), f, fleet.Options{Command: fleet.Upgrade, Request: up(), Jobs: 1, KeepGoing: keepGoing})
				var inc *fleet.IncompleteError
				if !errors.As(err, &inc) || !errors.Is(err, fleet.ErrIncomplete) || inc.FirstMember != "m004" {
					t.Fatalf("err = %v, want incomplete at m004", err)
				}
				bad := rep.Members[4]
				if bad.State != fleet.Failed {
					t.Fatalf("m004 %v", bad.State)
				}
				// The member is never half-migrated by the fleet: its
				// own policy decides what stays.
				var n int
				err = db.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 't_m004' AND table_name = 'fleet_log'`).Scan(&n)
				if err != nil {
					t.Fatal(err)
				}
				if want := map[bool]int{false: 0, true: 1}[perMigration]; n != want {
					t.Fatalf("m004 has %d log tables, want %d", n, want)
				}
				s := states(rep)
				wantDone, wantPending := 9, 0
				if !keepGoing {
					wantDone, wantPending = 4, 5
				}
				if s[fleet.Done] != wantDone || s[fleet.Pending] != wantPending || s[fleet.Failed] != 1 {
					t.Fatalf("states %v, want %d done %d pending", s, wantDone, wantPending)
				}
			})
		}
	}
}

func TestPostgresCanaryFails(t *testing.T) {
	f, db := pgFleet(t, 10, 3, "")
	if _, err := db.Exec(`CREATE SCHEMA t_m001; CREATE TABLE t_m001.t2 (id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	rep, err := fleet.Run(context.Background(), f, fleet.Options{Command: fleet.Upgrade, Request: up(), Jobs: 4, Canary: 3, KeepGoing: true})
	if !errors.Is(err, fleet.ErrIncomplete) {
		t.Fatalf("err = %v", err)
	}
	s := states(rep)
	if s[fleet.Done] != 2 || s[fleet.Failed] != 1 || s[fleet.Pending] != 7 {
		t.Fatalf("states %v, want the 2 other canaries done and 7 not started", s)
	}
}

// TestPostgresConcurrentRunners runs 4 fleet runs at once on one fleet:
// each member is migrated exactly once and every run ends with the
// whole fleet at the target.
func TestPostgresConcurrentRunners(t *testing.T) {
	f, db := pgFleet(t, 60, 3, "")
	upgradeAtOnce(t, f, 4, 2, 60)
	for _, m := range names(60) {
		if r, d := logCounts(t, db, "t_"+m); r != 3 || d != 3 {
			t.Fatalf("%s: %d log rows (%d distinct), want 3", m, r, d)
		}
	}
}

func TestSQLiteFiles(t *testing.T) {
	file := project(t, "url = \"sqlite:///{x.member}\"\n[fleet.files]\nmembers_file = \"tenants.txt\"\n", 3)
	dir := filepath.Dir(file)
	var lines []string
	for _, m := range names(200) {
		lines = append(lines, filepath.Join(dir, "data", m+".db"))
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tenants.txt"), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	// sqlite_glob finds the same files once they exist.
	if err := os.WriteFile(file, []byte(strings.Replace(mustRead(t, file), "members_file = \"tenants.txt\"", "members_file = \"tenants.txt\"\n[fleet.glob]\nsqlite_glob = \"data/*.db\"", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := config.LoadFleet(file, "files")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := fleet.Run(context.Background(), f, fleet.Options{Command: fleet.Upgrade, Request: up(), Jobs: 4})
	if err != nil {
		t.Fatal(err)
	}
	if s := states(rep); s[fleet.Done] != 200 {
		t.Fatalf("states %v", s)
	}
	g, err := config.LoadFleet(file, "glob")
	if err != nil {
		t.Fatal(err)
	}
	rep, err = fleet.Run(context.Background(), g, fleet.Options{Command: fleet.Check, Jobs: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Members) != 200 {
		t.Fatalf("glob found %d members", len(rep.Members))
	}
	for _, l := range lines {
		db := dbtest.Open(t, "sqlite:///"+l)
		var n int
		if err := db.QueryRow("SELECT count(*) FROM fleet_log").Scan(&n); err != nil || n != 3 {
			t.Fatalf("%s: %d rows, %v", l, n, err)
		}
	}
}

func mustRead(t *testing.T, f string) string {
	t.Helper()
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func up() retort.Request { return retort.Request{Target: "head"} }

// TestSQLiteConcurrentRunners runs 4 fleet runs at once on one fleet of
// SQLite files that do not exist yet: each runner may be the one to
// create a file, each member is migrated exactly once, and every run
// ends with the whole fleet at the target.
func TestSQLiteConcurrentRunners(t *testing.T) {
	const n, runners = 100, 4
	file := project(t, "url = \"sqlite:///{x.member}\"\n[fleet.files]\nmembers_file = \"tenants.txt\"\n", 3)
	dir := filepath.Dir(file)
	var lines []string
	for _, m := range names(n) {
		lines = append(lines, filepath.Join(dir, "data", m+".db"))
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tenants.txt"), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := config.LoadFleet(file, "files")
	if err != nil {
		t.Fatal(err)
	}
	upgradeAtOnce(t, f, runners, 2, n)
	for _, l := range lines {
		db := dbtest.Open(t, "sqlite:///"+l)
		var rows, distinct int
		if err := db.QueryRow("SELECT count(*), count(DISTINCT rev) FROM fleet_log").Scan(&rows, &distinct); err != nil || rows != 3 || distinct != 3 {
			t.Fatalf("%s: %d log rows (%d distinct), %v; want 3", l, rows, distinct, err)
		}
		_ = db.Close()
	}
}

// upgradeAtOnce runs `upgrade` on f from several fleet runs at once,
// each with jobs members at a time, and fails t unless every run
// succeeds and the n members were migrated once across them.
func upgradeAtOnce(t *testing.T, f *config.Fleet, runners, jobs, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, runners)
	reps := make([]*fleet.Report, runners)
	for i := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = fleet.Run(context.Background(), f, fleet.Options{Command: fleet.Upgrade, Request: up(), Jobs: jobs})
		}()
	}
	wg.Wait()
	done := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("runner %d: %v", i, err)
		}
		done += states(reps[i])[fleet.Done]
	}
	if done != n {
		t.Fatalf("%d members done across the runners, want %d (each once)", done, n)
	}
}
