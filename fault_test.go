package retort_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/dbtest"
)

// faultEnv names the config file a child process of TestFaultKill
// upgrades; TestFaultChild does nothing without it.
const faultEnv = "RETORT_FAULT_CONFIG"

// TestFaultChild is the process TestFaultKill kills: it upgrades the
// project named by RETORT_FAULT_CONFIG to head.
func TestFaultChild(t *testing.T) {
	file := os.Getenv(faultEnv)
	if file == "" {
		t.Skip("run by TestFaultKill")
	}
	cfg, err := config.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	env, err := retort.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if err := env.Upgrade(context.Background(), "head"); err != nil {
		t.Fatal(err)
	}
}

// faultRevs is the history the fault test kills runs of: tables with
// rows, and two revisions that run outside a transaction with several
// statements (CREATE INDEX CONCURRENTLY on PostgreSQL). sleep, when set,
// renders a statement that takes a few milliseconds, so kills land
// inside statements too.
func faultRevs(name string) []rev {
	sleep := map[string]string{"postgres": "SELECT pg_sleep(0.01);", "mysql": "DO SLEEP(0.01);"}[name]
	index := "CREATE INDEX IF NOT EXISTS"
	if name == "postgres" {
		index = "CREATE INDEX CONCURRENTLY IF NOT EXISTS"
	}
	// MySQL commits DDL at once, so a kill between a revision's CREATE
	// and its version row leaves the INSERT to run again: there the
	// revisions are written to run again from where they stopped.
	insert := "INSERT INTO"
	if name == "mysql" {
		insert = "INSERT IGNORE INTO"
	}
	var revs []rev
	prev := ""
	for i := 1; i <= 8; i++ {
		id := fmt.Sprintf("f%02d", i)
		r := rev{id: id, revises: prev,
			up: fmt.Sprintf("CREATE TABLE IF NOT EXISTS t%02d (id INTEGER PRIMARY KEY, note VARCHAR(20));\n%s\n%s t%02d (id, note) VALUES (1, 'a'), (2, 'b'), (3, 'c');\n%s",
				i, sleep, insert, i, sleep),
			down: fmt.Sprintf("DROP TABLE t%02d;", i)}
		if i == 3 || i == 6 {
			r.noTx = true
			r.up = ""
			for k := 1; k <= 3; k++ {
				r.up += fmt.Sprintf("%s ix_t%02d_%d ON t%02d (note, id);\n%s\n", index, i-1, k, i-1, sleep)
			}
			r.up += fmt.Sprintf("CREATE TABLE IF NOT EXISTS t%02d (id INTEGER PRIMARY KEY);", i)
			r.down = fmt.Sprintf("DROP TABLE t%02d;", i)
		}
		revs = append(revs, r)
		prev = id
	}
	return revs
}

// faultOutcome is where a killed run left the database.
type faultOutcome struct {
	trials, before, between, insideNoTx, finished int
}

// TestFaultKill kills upgrades with SIGKILL at random points (inside
// revisions that run outside a transaction too) and checks after each
// that the database is at a consistent revision (every table of the
// revisions the version table counts as applied exists) and that a
// plain rerun finishes with no hand work, taking over the dead run's
// lease (lease_expiry 1s; at once on PostgreSQL, whose session of the
// dead run is gone).
func TestFaultKill(t *testing.T) {
	if os.Getenv(faultEnv) != "" {
		t.Skip("child")
	}
	trials := map[string]int{"sqlite": 20, "postgres": 20, "mysql": 8}
	for _, b := range allBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			revs := faultRevs(b.name)
			// One undisturbed run sets the range of kill times.
			full := timeChild(t, b, revs)
			var out faultOutcome
			rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 14))
			for range trials[b.name] {
				delay := time.Duration(rng.Int64N(int64(full + full/5)))
				faultTrial(t, b, revs, delay, &out)
			}
			t.Logf("%s: %d trials (kill after up to %s): %d killed before the first revision committed, %d between revisions, %d inside a no-transaction revision, %d finished before the kill; every rerun finished",
				b.name, out.trials, full+full/5, out.before, out.between, out.insideNoTx, out.finished)
		})
	}
}

// faultProject writes the project for one trial on a fresh database.
func faultProject(t *testing.T, b backend, revs []rev) (file, url string) {
	dir := t.TempDir()
	url = b.url(t)
	writeProject(t, dir, url, revs, "lease_expiry = \"1s\"\nlock_timeout = \"60s\"\n")
	return dir + "/retort.toml", url
}

func child(file string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run", "^TestFaultChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), faultEnv+"="+file)
	return cmd
}

// timeChild runs one child to the end and returns how long it took.
func timeChild(t *testing.T, b backend, revs []rev) time.Duration {
	file, _ := faultProject(t, b, revs)
	start := time.Now()
	if out, err := child(file).CombinedOutput(); err != nil {
		t.Fatalf("undisturbed run: %v\n%s", err, out)
	}
	return time.Since(start)
}

func faultTrial(t *testing.T, b backend, revs []rev, delay time.Duration, out *faultOutcome) {
	t.Helper()
	file, url := faultProject(t, b, revs)
	cmd := child(file)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	finished := false
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("child failed before the kill: %v", err)
		}
		finished = true
	case <-time.After(delay):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
	}
	out.trials++
	cfg, err := config.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	db := dbtest.Open(t, url)
	ctx := t.Context()
	// The database is at a consistent revision.
	env := open(t, cfg)
	var heads []string
	if b.name != "sqlite" || fileExists(cfg.URL.Path) {
		if heads, err = env.CurrentHeads(ctx); err != nil {
			t.Fatalf("after a kill at %s: %v", delay, err)
		}
	}
	if len(heads) > 1 {
		t.Fatalf("after a kill at %s: heads %v", delay, heads)
	}
	applied := 0
	if len(heads) == 1 {
		i := slices.IndexFunc(revs, func(r rev) bool { return r.id == heads[0] })
		if i < 0 {
			t.Fatalf("after a kill at %s: head %q unknown", delay, heads[0])
		}
		applied = i + 1
	}
	for i := 1; i <= applied; i++ {
		if !tableExists(t, db, b.name, fmt.Sprintf("t%02d", i)) {
			t.Fatalf("after a kill at %s: the version table says %s, but table t%02d is missing", delay, heads[0], i)
		}
	}
	leased := b.name != "mysql" && tableExists(t, db, b.name, "alembic_version_lease") && count(t, db, "alembic_version_lease") > 0
	switch {
	case finished || applied == len(revs):
		out.finished++
	case leased:
		out.insideNoTx++
	case applied == 0:
		out.before++
	default:
		out.between++
	}
	// A plain rerun finishes.
	if err := open(t, cfg).Upgrade(ctx, "head"); err != nil {
		t.Fatalf("rerun after a kill at %s (heads %v, lease %v): %v", delay, heads, leased, err)
	}
	if got := mustHeads(t, open(t, cfg)); !slices.Equal(got, []string{revs[len(revs)-1].id}) {
		t.Fatalf("after the rerun: heads %v", got)
	}
	for i := 1; i <= len(revs); i++ {
		if !tableExists(t, db, b.name, fmt.Sprintf("t%02d", i)) {
			t.Fatalf("after the rerun: table t%02d missing", i)
		}
	}
	if b.name != "mysql" && tableExists(t, db, b.name, "alembic_version_lease") && count(t, db, "alembic_version_lease") != 0 {
		t.Fatal("after the rerun: a lease is left")
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func count(t testing.TB, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustHeads(t testing.TB, env *retort.Env) []string {
	t.Helper()
	h, err := env.CurrentHeads(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return slices.Sorted(slices.Values(h))
}
