package retort_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/runner"
)

// revFile returns the path of revision i's file in a writeProject
// project at dir.
func revFile(t testing.TB, dir string, i int, id string) string {
	t.Helper()
	return filepath.Join(dir, "migrations", "versions", strings.Join([]string{pad(i), id}, "_")+".sql")
}

func pad(i int) string {
	return string([]byte{'0' + byte(i/100), '0' + byte(i/10%10), '0' + byte(i%10)})
}

// rewrite replaces old with new in file.
func rewrite(t testing.TB, file, old, new string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s has no %q", file, old)
	}
	if err := os.WriteFile(file, bytes.ReplaceAll(b, []byte(old), []byte(new)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func directions(rows []retort.HistoryRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Revision+" "+r.Direction+" "+r.State)
	}
	return out
}

// syncBuffer is a log sink safe for the lease renewer's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestHistoryTable(t *testing.T) {
	for _, b := range allBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			revs := chain(3)
			revs[1].noTx = true // recorded the same way
			cfg := writeProject(t, t.TempDir(), b.url(t), revs, "")
			env := open(t, cfg)
			ctx := t.Context()
			for _, step := range []func() error{
				func() error { return env.Upgrade(ctx, "head") },
				func() error { return env.Downgrade(ctx, "-1") },
				func() error { return env.Stamp(ctx, "r03") },
			} {
				if err := step(); err != nil {
					t.Fatal(err)
				}
			}
			rows, err := env.History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"r01 upgrade done", "r02 upgrade done", "r03 upgrade done", "r03 downgrade done", "r03 stamp done"}
			if got := directions(rows); !slices.Equal(got, want) {
				t.Fatalf("history = %q, want %q", got, want)
			}
			sum, err := env.Checksum("r03")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.Checksum == "" || r.Host == "" || r.User == "" || r.Version == "" || r.Applied.IsZero() {
					t.Errorf("row %+v: want checksum, host, user, version and time", r)
				}
				if r.Revision == "r03" && r.Checksum != sum {
					t.Errorf("r03 row checksum %s, want %s", r.Checksum, sum)
				}
			}
		})
	}
}

func TestEditedRevision(t *testing.T) {
	for _, b := range allBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg := writeProject(t, dir, b.url(t), chain(2), "")
			ctx := t.Context()
			if err := open(t, cfg).Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			file := revFile(t, dir, 0, "r01")
			// White space and comments do not count.
			rewrite(t, file, "CREATE TABLE t01 (id INTEGER PRIMARY KEY,", "-- a comment\nCREATE   TABLE t01 (\n  id INTEGER PRIMARY KEY, /* why */")
			env := open(t, cfg)
			if err := env.Check(ctx); err != nil {
				t.Fatalf("check after a white-space edit: %v", err)
			}
			// A real edit does.
			rewrite(t, file, "DEFAULT 'a;b'", "DEFAULT 'c'")
			env = open(t, cfg)
			err := env.Check(ctx)
			if !errors.Is(err, retort.ErrEdited) || !strings.Contains(err.Error(), "r01") || !strings.Contains(err.Error(), "000_r01.sql") {
				t.Fatalf("check after an edit: %v; want ErrEdited naming r01 and its file", err)
			}
			writeProject(t, dir, b.url(t), append(chain(2), rev{id: "r03", revises: "r02", up: "CREATE TABLE t03 (id INTEGER);", down: "DROP TABLE t03;"})[2:], "")
			env = open(t, cfg)
			if err := env.Upgrade(ctx, "head"); !errors.Is(err, retort.ErrEdited) || !strings.Contains(err.Error(), "checksum --accept r01") {
				t.Fatalf("upgrade after an edit: %v; want ErrEdited saying what to run", err)
			}
			if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
				t.Fatalf("heads = %v after a refused upgrade", got)
			}
			if _, err := env.Run(ctx, retort.Request{Kind: retort.Upgrade, Target: "head", AllowEdited: true}); err != nil {
				t.Fatalf("upgrade --allow-edited: %v", err)
			}
			if err := env.Check(ctx); !errors.Is(err, retort.ErrEdited) {
				t.Fatalf("--allow-edited recorded the edit: check = %v", err)
			}
			if err := env.AcceptChecksums(ctx, "r01"); err != nil {
				t.Fatal(err)
			}
			if err := env.Check(ctx); err != nil {
				t.Fatalf("check after checksum --accept: %v", err)
			}
			if err := env.AcceptChecksums(ctx, "base"); err == nil {
				t.Error("accepting base: no error")
			}
		})
	}
}

// TestEditedRevisionLongHistory: on a history long enough that the
// applied revisions' checksums are computed on every core, the edited
// revisions are still each found, named once and in history order, and
// an unedited history passes.
func TestEditedRevisionLongHistory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := writeProject(t, dir, dbtest.SQLiteFile(t), chain(120), "")
	ctx := t.Context()
	if err := open(t, cfg).Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if err := open(t, cfg).Check(ctx); err != nil {
		t.Fatalf("check of an unedited history: %v", err)
	}
	for _, i := range []int{7, 77, 118} {
		id := fmt.Sprintf("r%02d", i+1)
		rewrite(t, revFile(t, dir, i, id), "DEFAULT 'a;b'", "DEFAULT 'edited'")
	}
	err := open(t, cfg).Check(ctx)
	ee, ok := errors.AsType[*retort.EditedError](err)
	if !ok {
		t.Fatalf("check after three edits: %v; want an EditedError", err)
	}
	var got []string
	for _, r := range ee.Revisions {
		got = append(got, r.Revision)
	}
	if want := []string{"r08", "r119", "r78"}; !slices.Equal(slices.Sorted(slices.Values(got)), want) {
		t.Errorf("edited revisions %v, want %v", got, want)
	}
}

// A database applied before retort kept history gets its checksums
// recorded on the next run, not an error.
func TestAdoptChecksums(t *testing.T) {
	for _, b := range allBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			url := b.url(t)
			cfg := writeProject(t, dir, url, chain(2), "")
			ctx := t.Context()
			env := open(t, cfg)
			if err := env.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			db := dbtest.Open(t, url)
			if _, err := db.ExecContext(ctx, "DROP TABLE alembic_version_history"); err != nil {
				t.Fatal(err)
			}
			rewrite(t, revFile(t, dir, 0, "r01"), "DEFAULT 'a;b'", "DEFAULT 'c'")
			env = open(t, cfg)
			if err := env.Check(ctx); err != nil {
				t.Fatalf("check without history: %v", err)
			}
			if err := env.Upgrade(ctx, "head"); err != nil {
				t.Fatalf("upgrade without history: %v", err)
			}
			rows, err := env.History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := directions(rows), []string{"r01 adopt done", "r02 adopt done"}; !slices.Equal(got, want) {
				t.Fatalf("history = %q, want %q", got, want)
			}
		})
	}
}

// A migration that writes into the version table is caught before
// commit.
func TestVersionTableWrite(t *testing.T) {
	for _, b := range backends() { // MySQL: the run's own CREATE TABLE IF NOT EXISTS ends its transaction
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			revs := chain(2)
			revs[1].up = "CREATE TABLE t02 (id INTEGER);\nINSERT INTO alembic_version (version_num) VALUES ('zzz');"

			cfg := writeProject(t, t.TempDir(), b.url(t), revs, "")
			env := open(t, cfg)
			if err := env.Upgrade(t.Context(), "r01"); err != nil {
				t.Fatal(err)
			}
			err := env.Upgrade(t.Context(), "head")
			var vw *runner.VersionTableWriteError
			if !errors.As(err, &vw) || vw.Revision != "r02" || !strings.Contains(err.Error(), "zzz") {
				t.Fatalf("got %v; want a VersionTableWriteError for r02 naming the row", err)
			}
			if got := heads(t, env); !slices.Equal(got, []string{"r01"}) {
				t.Errorf("heads = %v; want [r01]", got)
			}
		})
	}
}

// noTxRevs is a chain whose second revision runs outside a transaction
// with three statements.
func noTxRevs(ifNotExists bool, third string) []rev {
	revs := chain(2)
	revs[1].noTx = true
	c := "CREATE TABLE "
	if ifNotExists {
		c += "IF NOT EXISTS "
	}
	revs[1].up = c + "n1 (id INTEGER);\n" + c + "n2 (id INTEGER);\n" + third
	revs[1].down = "DROP TABLE n3;\nDROP TABLE n2;\nDROP TABLE n1;"
	return revs
}

func TestNoTransactionResume(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			url := b.url(t)
			cfg := writeProject(t, dir, url, noTxRevs(false, "INSERT INTO missing (id) VALUES (1);"), "")
			ctx := t.Context()
			env := open(t, cfg)
			err := env.Upgrade(ctx, "head")
			var nt *runner.NoTransactionError
			if !errors.As(err, &nt) || nt.Committed.Statements != 2 || strings.Contains(err.Error(), "r02 was rolled back") ||
				!strings.Contains(err.Error(), "first 2 statements committed") {
				t.Fatalf("got %v; want a NoTransactionError saying 2 statements committed", err)
			}
			rows, err := env.History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			last := rows[len(rows)-1]
			if last.Revision != "r02" || last.State != dialect.StatePartial || last.Statements != 2 || len(last.StatementChecksums) != 2 {
				t.Fatalf("last history row %+v; want r02 partial with 2 statements", last)
			}
			file := revFile(t, dir, 1, "r02")
			// Fix the failing statement: the rerun resumes after the
			// two that committed (which, without IF NOT EXISTS, would
			// fail if run again).
			rewrite(t, file, "INSERT INTO missing (id) VALUES (1)", "CREATE TABLE n3 (id INTEGER)")
			logs := &syncBuffer{}
			env = open(t, cfg, retort.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
			if err := env.Upgrade(ctx, "head"); err != nil {
				t.Fatalf("resume: %v", err)
			}
			if !strings.Contains(logs.String(), "skipping statement 2 of revision r02") {
				t.Errorf("logs do not mention the skipped statements:\n%s", logs)
			}
			if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
				t.Fatalf("heads = %v", got)
			}
		})
	}
}

func TestNoTransactionRefuseAndRestart(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg := writeProject(t, dir, b.url(t), noTxRevs(true, "INSERT INTO missing (id) VALUES (1);"), "")
			ctx := t.Context()
			if err := open(t, cfg).Upgrade(ctx, "head"); err == nil {
				t.Fatal("first upgrade: no error")
			}
			file := revFile(t, dir, 1, "r02")
			rewrite(t, file, "n2 (id INTEGER)", "n2 (id INTEGER, name TEXT)")
			rewrite(t, file, "INSERT INTO missing (id) VALUES (1)", "CREATE TABLE n3 (id INTEGER)")
			env := open(t, cfg)
			err := env.Upgrade(ctx, "head")
			var re *runner.ResumeError
			if !errors.As(err, &re) || re.Differs != 2 || !strings.Contains(err.Error(), "retort stamp r02") || !strings.Contains(err.Error(), "--restart-revision r02") {
				t.Fatalf("got %v; want a ResumeError at statement 2 naming both ways on", err)
			}
			if _, err := env.Run(ctx, retort.Request{Kind: retort.Upgrade, Target: "head", RestartRevision: "r02"}); err != nil {
				t.Fatalf("--restart-revision: %v", err)
			}
			if got := heads(t, env); !slices.Equal(got, []string{"r02"}) {
				t.Fatalf("heads = %v", got)
			}
			if _, err := env.Run(ctx, retort.Request{Kind: retort.Upgrade, Target: "head", RestartRevision: "r01"}); err == nil {
				t.Error("--restart-revision of a transactional revision: no error")
			}
		})
	}
}

// insertLease leaves a lease as a run that died would.
func insertLease(t testing.TB, url, expiryMS, session string) {
	t.Helper()
	db := dbtest.Open(t, url)
	for _, q := range []string{
		"CREATE TABLE alembic_version_lease (owner VARCHAR(64) NOT NULL PRIMARY KEY, revision VARCHAR(32) NOT NULL, holder VARCHAR(255) NOT NULL, taken VARCHAR(40) NOT NULL, renewals BIGINT NOT NULL DEFAULT 0, expiry_ms BIGINT NOT NULL DEFAULT 0, holder_session VARCHAR(255) NOT NULL DEFAULT '')",
		"INSERT INTO alembic_version_lease VALUES ('dead', 'r02', 'host gone, pid 1, retort', '2026-11-21T00:00:00.000000Z', 7, " + expiryMS + ", '" + session + "')",
	} {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
}

// A lease not renewed for its expiry is taken over, with a log line
// naming the old holder.
func TestLeaseExpiry(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			url := b.url(t)
			cfg := writeProject(t, t.TempDir(), url, noTxRevs(false, "CREATE TABLE n3 (id INTEGER);"), "lease_expiry = \"1s\"\n")
			insertLease(t, url, "1000", "")
			logs := &syncBuffer{}
			env := open(t, cfg, retort.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
			if err := env.Upgrade(t.Context(), "head"); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(logs.String(), "taking over the lease of revision r02 from host gone, pid 1, retort (taken 2026-11-21T00:00:00Z): not renewed for") {
				t.Errorf("no takeover line naming the holder in:\n%s", logs)
			}
		})
	}
}

// On PostgreSQL without a pooler, a lease whose holder's session is gone
// is taken over at once, however long its expiry.
func TestLeaseSessionGone(t *testing.T) {
	url := dbtest.Postgres(t)
	cfg := writeProject(t, t.TempDir(), url, noTxRevs(false, "CREATE TABLE n3 (id INTEGER);"), "lock_timeout = \"30s\"\n")
	insertLease(t, url, "3600000", "2147483000@2020-01-01 00:00:00+00")
	logs := &syncBuffer{}
	env := open(t, cfg, retort.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "database session (2147483000@2020-01-01 00:00:00+00) is gone") {
		t.Errorf("no takeover line for the gone session in:\n%s", logs)
	}
}

// The PostgreSQL session of a lease holder is recorded only on a direct
// connection: through PgBouncer the server sees the pooler's socket, and
// a session id there could outlive (or die before) the holder.
func TestLeaseSessionDirectOnly(t *testing.T) {
	p := postgres.New().(dialect.SessionProber)
	for _, tt := range []struct {
		name   string
		url    func(testing.TB) string
		direct bool
	}{
		{"direct", dbtest.Postgres, true},
		{"pgbouncer", dbtest.PgBouncer, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := dbtest.Open(t, tt.url(t))
			conn, err := db.Conn(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			s, err := p.Session(t.Context(), conn)
			if err != nil {
				t.Fatal(err)
			}
			if (s != "") != tt.direct {
				t.Fatalf("Session = %q; want one only on a direct connection", s)
			}
			if !tt.direct {
				return
			}
			exists, active, err := p.SessionState(t.Context(), db, s)
			if err != nil || !exists || active {
				t.Fatalf("SessionState(%s) of an idle live session = %v, %v, %v", s, exists, active, err)
			}
		})
	}
}

// A no-transaction revision that runs longer than lease_expiry keeps its
// lease by renewing it: a second run waits instead of taking over, and
// the revision runs once, directly and through PgBouncer.
func TestLeaseRenewal(t *testing.T) {
	for _, tt := range []struct {
		name string
		url  func(testing.TB) string
	}{
		{"direct", dbtest.Postgres},
		{"pgbouncer", dbtest.PgBouncer},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url := tt.url(t)
			revs := chain(2)
			revs[1].noTx = true
			revs[1].up = "INSERT INTO t01 (id) VALUES (1);\nSELECT pg_sleep(3.5);\nCREATE TABLE n1 (id INTEGER);"
			revs[1].down = "DROP TABLE n1;"
			cfg := writeProject(t, t.TempDir(), url, revs, "lease_expiry = \"1s\"\n")
			if err := open(t, cfg).Upgrade(t.Context(), "r01"); err != nil {
				t.Fatal(err)
			}
			errs := make(chan error, 2)
			for range 2 {
				go func() { errs <- open(t, cfg).Upgrade(t.Context(), "head") }()
			}
			for range 2 {
				if err := <-errs; err != nil {
					t.Error(err)
				}
			}
			db := dbtest.Open(t, url)
			if n := count(t, db, "t01"); n != 1 {
				t.Fatalf("the revision's first statement ran %d times; want once", n)
			}
		})
	}
}
