package appdb_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/appdb"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/schema"
)

// Customer is the model the tests' migrations build.
type Customer struct {
	ID    int64   `db:"id,pk"`
	Email string  `db:"email,unique" retort:"type=varchar(255)"`
	Name  string  `db:"name"`
	Note  *string `db:"note"`
}

// revisionFile returns an SQL revision file.
func revisionFile(id, revises, msg, up, down string) *fstest.MapFile {
	return &fstest.MapFile{Data: fmt.Appendf(nil, `-- %s
--
-- Revision ID: %s
-- Revises: %s
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-11-21 10:00:00.000000+00:00

-- +retort upgrade
%s

-- +retort downgrade
%s
`, msg, id, revises, up, down)}
}

// migrations are the history of Customer: the table, then its note.
func migrations(upTo int) fstest.MapFS {
	all := []struct{ name, id, revises, up, down string }{
		{"aaaa1111_create.sql", "aaaa1111", "", "CREATE TABLE customer (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE, name TEXT NOT NULL);", "DROP TABLE customer;"},
		{"bbbb2222_note.sql", "bbbb2222", "aaaa1111", "ALTER TABLE customer ADD COLUMN note TEXT;", "ALTER TABLE customer DROP COLUMN note;"},
		{"cccc3333_seed.sql", "cccc3333", "bbbb2222", "INSERT INTO customer (email, name) VALUES ('seed@example.com', 'Seed');", "DELETE FROM customer;"},
	}
	fsys := fstest.MapFS{}
	for _, r := range all[:upTo] {
		fsys[r.name] = revisionFile(r.id, r.revises, r.id, r.up, r.down)
	}
	return fsys
}

func open(t testing.TB, cfg appdb.Config) *appdb.Manager {
	t.Helper()
	m, err := appdb.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func wantStatus(t testing.TB, m *appdb.Manager, state appdb.State, current ...string) {
	t.Helper()
	st, err := m.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.State != state || strings.Join(st.Current, ",") != strings.Join(current, ",") {
		t.Fatalf("status = %v %v, want %v %v", st.State, st.Current, state, current)
	}
}

func wantSync(t testing.TB, m *appdb.Manager, want appdb.SyncResult) {
	t.Helper()
	got, err := m.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("Sync = %v, want %v", got, want)
	}
}

// TestLifecycle follows sqlalchemy-helpers' test: status and sync from
// an empty database through a new revision, on SQLite and PostgreSQL.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		url  func(testing.TB) string
	}{
		{"sqlite", dbtest.SQLiteFile},
		{"postgres", dbtest.Postgres},
		{"mysql", dbtest.MySQL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := tc.url(t)
			m := open(t, appdb.Config{URL: url, Migrations: migrations(2), Models: []any{Customer{}}})
			if got := m.Latest(); strings.Join(got, ",") != "bbbb2222" {
				t.Fatalf("Latest = %v", got)
			}
			wantStatus(t, m, appdb.NoVersionTable)
			wantSync(t, m, appdb.Created)
			wantStatus(t, m, appdb.UpToDate, "bbbb2222")
			wantSync(t, m, appdb.AlreadyUpToDate)

			// Created from the models, not by the migrations: the
			// seeding revision is not there, the note column is.
			note := "vip"
			c := Customer{Email: "a@example.com", Name: "A", Note: &note}
			if err := appdb.Insert(t.Context(), m.DB(), &c); err != nil {
				t.Fatal(err)
			}
			if c.ID == 0 {
				t.Error("Insert did not read the generated id back")
			}

			// The code gains a revision: upgrade available, then upgraded.
			m2 := open(t, appdb.Config{URL: url, Migrations: migrations(3), Models: []any{Customer{}}})
			wantStatus(t, m2, appdb.UpgradeAvailable, "bbbb2222")
			wantSync(t, m2, appdb.Upgraded)
			wantStatus(t, m2, appdb.UpToDate, "cccc3333")
			if _, err := appdb.Get[Customer](t.Context(), m2.DB(), appdb.Eq("email", "seed@example.com")); err != nil {
				t.Errorf("the upgrade's data is missing: %v", err)
			}

			// The old code now sees a database ahead of it.
			st, err := m.Status(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if st.State != appdb.DatabaseAhead || strings.Join(st.Unknown, ",") != "cccc3333" {
				t.Fatalf("old code's status = %+v, want database_ahead with cccc3333 unknown", st)
			}
			_, err = m.Sync(t.Context())
			if !errors.Is(err, appdb.ErrDatabaseAhead) || !strings.Contains(err.Error(), "holds revision cccc3333, which the scripts do not have") {
				t.Fatalf("Sync on a database ahead: %v", err)
			}
			if err := m.Upgrade(t.Context(), ""); !errors.Is(err, appdb.ErrDatabaseAhead) {
				t.Fatalf("Upgrade on a database ahead: %v", err)
			} else if ahead, ok := errors.AsType[*retort.DatabaseAheadError](err); !ok || strings.Join(ahead.Unknown, ",") != "cccc3333" {
				t.Fatalf("Upgrade on a database ahead: %v is not a *retort.DatabaseAheadError naming cccc3333", err)
			}
			if cur, err := m.Current(t.Context()); err != nil || strings.Join(cur, ",") != "cccc3333" {
				t.Fatalf("Current = %v, %v", cur, err)
			}
		})
	}
}

// TestSyncWithoutTarget creates a fresh database by running every
// migration, data migrations included (sqlalchemy-helpers skips them).
func TestSyncWithoutTarget(t *testing.T) {
	t.Parallel()
	m := open(t, appdb.Config{URL: dbtest.SQLiteFile(t), Migrations: migrations(3)})
	wantSync(t, m, appdb.Created)
	wantStatus(t, m, appdb.UpToDate, "cccc3333")
	if _, err := appdb.Get[Customer](t.Context(), m.DB(), appdb.Eq("email", "seed@example.com")); err != nil {
		t.Errorf("seed row missing: %v", err)
	}
}

func TestCreateRefusesNonEmpty(t *testing.T) {
	t.Parallel()
	url := dbtest.SQLiteFile(t)
	m := open(t, appdb.Config{URL: url, Migrations: migrations(2), Models: []any{Customer{}}})
	if _, err := m.DB().Exec("CREATE TABLE customer (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	_, err := m.Sync(t.Context())
	var ne *appdb.NotEmptyError
	if !errors.As(err, &ne) || !errors.Is(err, retort.ErrBadInput) || !strings.Contains(err.Error(), "no version table alembic_version but already has table customer") {
		t.Fatalf("Sync on a database with tables: %v", err)
	}
	wantStatus(t, m, appdb.NoVersionTable)
}

// TestCreateIsAtomic: a target whose second table fails leaves nothing
// behind, not even the first table or the version table.
func TestCreateIsAtomic(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		url  func(testing.TB) string
	}{
		{"sqlite", dbtest.SQLiteFile},
		{"postgres", dbtest.Postgres},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			target := &schema.Database{Tables: []schema.Table{
				schema.NewTable("good", schema.Column("id", schema.BigInt, schema.PrimaryKey())),
				schema.NewTable("bad", schema.Column("id", schema.BigInt, schema.PrimaryKey(), schema.DefaultExpr("no_such_function()")),
					schema.Check("ck", "no_such_column > 0")),
			}}
			m := open(t, appdb.Config{URL: tc.url(t), Migrations: migrations(1), Target: target})
			if _, err := m.Sync(t.Context()); err == nil {
				t.Fatal("Sync of a bad target: no error")
			}
			wantStatus(t, m, appdb.NoVersionTable)
			var n int
			q := "SELECT count(*) FROM sqlite_master WHERE name = 'good'"
			if tc.name == "postgres" {
				q = "SELECT count(*) FROM pg_tables WHERE tablename = 'good'"
			}
			if err := m.DB().QueryRow(q).Scan(&n); err != nil || n != 0 {
				t.Fatalf("table good: count %d, %v; want it rolled back", n, err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	type NoKey struct {
		Name string `db:"name"`
	}
	for _, tc := range []struct {
		name string
		cfg  appdb.Config
		want string
	}{
		{"bad url", appdb.Config{URL: "oracle://scott:tiger@db/x"}, "database URL"},
		{"password hidden", appdb.Config{URL: "postgres://u:s3cret@127.0.0.1:1/db?connect_timeout=2"}, "database postgres://u:***@127.0.0.1:1/db"},
		{"no primary key", appdb.Config{URL: "sqlite://", Models: []any{NoKey{}}}, "struct appdb_test.NoKey: no primary key"},
		{"missing migrations", appdb.Config{URL: "sqlite://", MigrationsDir: "no/such/dir"}, "migrations folder no/such/dir does not exist"},
		{"both targets", appdb.Config{URL: "sqlite://", Models: []any{Customer{}}, SchemaSQL: "CREATE TABLE x (id int)"}, "either SchemaSQL or Target/Models"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := appdb.Open(t.Context(), tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

// TestZeroConfig: the zero Config works in an empty folder: app.db, no
// migrations folder, tables from the models.
func TestZeroConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	m, err := appdb.Open(t.Context(), appdb.Config{Models: []any{Customer{}}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	wantSync(t, m, appdb.Created)
	wantStatus(t, m, appdb.UpToDate)
	if err := m.Create(t.Context()); err == nil {
		t.Error("Create on a created database: no error")
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv(appdb.EnvURL, "sqlite:///x.db")
	t.Setenv(appdb.EnvMigrations, "db/versions")
	t.Setenv(appdb.EnvVersionTable, "my_version")
	t.Setenv(appdb.EnvLockTimeout, "5s")
	c, err := appdb.ConfigFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.URL != "sqlite:///x.db" || c.MigrationsDir != "db/versions" || c.VersionTable != "my_version" || c.LockTimeout != 5*time.Second {
		t.Errorf("config = %+v", c)
	}
	t.Setenv(appdb.EnvLockTimeout, "soon")
	if _, err := appdb.ConfigFromEnv(); err == nil || !strings.Contains(err.Error(), "RETORT_LOCK_TIMEOUT") {
		t.Errorf("bad duration: %v", err)
	}
}

// TestConcurrentSync: eight replicas, each with its own pool, Sync one
// empty database at once: one creates it, the others wait for the lock
// and find it done; then eight upgrade it at once. On PostgreSQL and on
// MariaDB (whose lock is GET_LOCK held on a connection of its own).
func TestConcurrentSync(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		url  func(testing.TB) string
	}{
		{"postgres", dbtest.Postgres},
		{"mysql", dbtest.MySQL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			concurrentSync(t, tc.url(t))
		})
	}
}

func concurrentSync(t *testing.T, url string) {
	run := func(fsys fstest.MapFS) map[appdb.SyncResult]int {
		const replicas = 8
		ms := make([]*appdb.Manager, replicas)
		for i := range ms {
			ms[i] = open(t, appdb.Config{URL: url, Migrations: fsys, Models: []any{Customer{}}})
		}
		var mu sync.Mutex
		got := map[appdb.SyncResult]int{}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, m := range ms {
			wg.Go(func() {
				<-start
				res, err := m.Sync(context.WithoutCancel(t.Context()))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				got[res]++
				mu.Unlock()
			})
		}
		close(start)
		wg.Wait()
		return got
	}
	if got := run(migrations(2)); got[appdb.Created] != 1 || got[appdb.AlreadyUpToDate] != 7 {
		t.Fatalf("create: results %v, want 1 created and 7 already up to date", got)
	}
	if got := run(migrations(3)); got[appdb.Upgraded] != 1 || got[appdb.AlreadyUpToDate] != 7 {
		t.Fatalf("upgrade: results %v, want 1 upgraded and 7 already up to date", got)
	}
	db := dbtest.Open(t, url)
	var n int
	if err := db.QueryRow("SELECT count(*) FROM customer WHERE email = 'seed@example.com'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("seed rows: %d, %v; the upgrade must run once", n, err)
	}
	var rows []string
	r, err := db.Query("SELECT version_num FROM alembic_version")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		var s string
		_ = r.Scan(&s)
		rows = append(rows, s)
	}
	if strings.Join(rows, ",") != "cccc3333" {
		t.Fatalf("version rows %v", rows)
	}
}

// TestUnreachable: a database that does not answer fails Open.
func TestUnreachable(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := appdb.Open(ctx, appdb.Config{URL: "postgres://nobody@127.0.0.1:1/db?sslmode=disable"})
	if err == nil || !strings.Contains(err.Error(), "database postgres://nobody@127.0.0.1:1/db?sslmode=disable is unreachable") {
		t.Fatalf("err = %v", err)
	}
	var _ *sql.DB
}

// TestSyncPreparesLikeTheRunner checks that Sync's own transaction (the
// one that creates a fresh database from the target) is prepared as the
// runner's are: the environment's on-connect function runs in it before
// anything is created, not only in the stamp that follows.
func TestSyncPreparesLikeTheRunner(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, dbtest.SQLiteFile(t))
	var tablesSeen []int
	env, err := retort.Open(t.Context(), nil, retort.WithConn(db), retort.WithFS(migrations(1), "."),
		retort.WithOnConnect(func(ctx context.Context, c retort.ConnectInfo) error {
			var n int
			if err := c.Querier.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'customer'").Scan(&n); err != nil {
				return err
			}
			tablesSeen = append(tablesSeen, n)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	m, err := appdb.OpenEnv(env, db, appdb.Config{Models: []any{Customer{}}})
	if err != nil {
		t.Fatal(err)
	}
	wantSync(t, m, appdb.Created)
	if len(tablesSeen) == 0 || tablesSeen[0] != 0 {
		t.Fatalf("customer tables seen by each on-connect call = %v; want the first call before the table is created", tablesSeen)
	}
	wantStatus(t, m, appdb.UpToDate, "aaaa1111")
}
