package sqlite_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/sqlite"
)

// helperEnv names the database a helper process locks; see
// TestCrossProcessLock.
const helperEnv = "RETORT_SQLITE_LOCK_HELPER"

// TestMain lets the test binary act as a second process holding the lock.
func TestMain(m *testing.M) {
	if path := os.Getenv(helperEnv); path != "" {
		lockHelper(path)
		return
	}
	os.Exit(m.Run())
}

// lockHelper takes the lock, writes a head, says "locked", and commits
// when its stdin closes.
func lockHelper(path string) {
	fail := func(err error) { os.Stderr.WriteString(err.Error() + "\n"); os.Exit(1) }
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		fail(err)
	}
	d := sqlite.New()
	tbl := dialect.Ident{Name: "alembic_version"}
	tx, err := db.Begin()
	if err != nil {
		fail(err)
	}
	if err := d.Locker(tbl, 0).LockTx(context.Background(), tx); err != nil {
		fail(err)
	}
	if _, err := tx.Exec(d.VersionStore(tbl).Insert("aaaa1111")); err != nil {
		fail(err)
	}
	os.Stdout.WriteString("locked\n")
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := tx.Commit(); err != nil {
		fail(err)
	}
}

// TestCrossProcessLock checks the lock between two processes: while the
// helper holds it, a short wait times out and an unbounded one waits
// until the helper commits, then reads the helper's row.
func TestCrossProcessLock(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "p.db")
	db := openDSN(t, "file:"+path+"?_pragma=busy_timeout(10000)")
	d := sqlite.New()
	tbl := dialect.Ident{Name: "alembic_version"}
	vs := d.VersionStore(tbl)
	if _, err := db.ExecContext(ctx, vs.CreateTable()); err != nil {
		t.Fatal(err)
	}

	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stdin.Close(); _ = cmd.Wait() })
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "locked\n" {
		t.Fatalf("helper said %q, %v", line, err)
	}

	tx1, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Locker(tbl, 20*time.Millisecond).LockTx(ctx, tx1)
	if _, ok := errors.AsType[*dialect.LockTimeoutError](err); !ok {
		t.Fatalf("LockTx while another process holds the lock = %v, want *dialect.LockTimeoutError", err)
	}
	_ = tx1.Rollback()

	tx2, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx2.Rollback()
	done := make(chan error, 1)
	go func() { done <- d.Locker(tbl, 0).LockTx(ctx, tx2) }()
	if err := stdin.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("LockTx after the other process commits: %v", err)
	}
	heads, err := vs.Heads(ctx, tx2)
	if err != nil || !slices.Equal(heads, []string{"aaaa1111"}) {
		t.Fatalf("Heads = %q, %v; want the other process's [aaaa1111]", heads, err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
}
