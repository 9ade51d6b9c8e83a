package dialecttest

import (
	"database/sql"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
)

// recorder returns d's [dialect.Recorder], failing the test when d has
// none: every dialect must keep the record of what ran.
func recorder(t testing.TB, d dialect.Dialect) dialect.Recorder {
	t.Helper()
	r, ok := d.(dialect.Recorder)
	if !ok {
		t.Fatalf("dialect %s does not implement dialect.Recorder (History, Lease)", d.Name())
	}
	return r
}

// testHistory writes, updates and reads back history rows, including
// odd text, and checks ids increase and times survive.
func testHistory(t *testing.T, d dialect.Dialect, db *sql.DB) {
	ctx := t.Context()
	h := recorder(t, d).History(dialect.Ident{Name: "alembic_version"})
	if got := h.Table(); got.Name != "alembic_version_history" {
		t.Fatalf("History table = %v, want alembic_version_history", got)
	}
	if ok, err := h.Exists(ctx, db); err != nil || ok {
		t.Fatalf("Exists before create = %v, %v; want false", ok, err)
	}
	if rows, err := h.Rows(ctx, db); err != nil || len(rows) != 0 {
		t.Fatalf("Rows before create = %v, %v; want none", rows, err)
	}
	exec(t, db, h.CreateTable())
	exec(t, db, h.CreateTable()) // idempotent
	at := time.Date(2026, 12, 3, 10, 0, 0, 123456000, time.UTC)
	first := dialect.HistoryRow{Run: "r1", Revision: "aaa", Direction: dialect.HistoryUpgrade, State: dialect.StatePartial,
		Checksum: "sum-1", Applied: at, Host: "h'ost", User: `u"ser`, Version: "v1 ✓"}
	second := dialect.HistoryRow{Run: "r1", Revision: "bbb", Direction: dialect.HistoryStamp, State: dialect.StateDone,
		Applied: at.Add(time.Second), Duration: 1500 * time.Millisecond}
	exec(t, db, h.Insert(first))
	exec(t, db, h.Insert(second))
	first.State, first.Statements, first.StatementChecksums, first.Duration = dialect.StateDone, 2, []string{"s1", "s2"}, 42*time.Millisecond
	exec(t, db, h.Update(first))
	rows, err := h.Rows(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].ID >= rows[1].ID {
		t.Fatalf("Rows = %+v; want 2 in increasing id order", rows)
	}
	first.ID, second.ID = rows[0].ID, rows[1].ID
	for i, want := range []dialect.HistoryRow{first, second} {
		got := rows[i]
		if !got.Applied.Equal(want.Applied) || !slices.Equal(got.StatementChecksums, want.StatementChecksums) {
			t.Errorf("row %d = %+v, want %+v", i, got, want)
		}
		got.Applied, want.Applied = time.Time{}, time.Time{}
		got.StatementChecksums, want.StatementChecksums = nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("row %d = %+v, want %+v", i, got, want)
		}
	}
}

// testLease takes, renews, reads and releases a lease, and upgrades a
// lease table of the first layout (four columns).
func testLease(t *testing.T, d dialect.Dialect, db *sql.DB) {
	ctx := t.Context()
	ls := recorder(t, d).Lease(dialect.Ident{Name: "alembic_version"})
	if got := ls.Table(); got.Name != "alembic_version_lease" {
		t.Fatalf("Lease table = %v, want alembic_version_lease", got)
	}
	exec(t, db, "CREATE TABLE "+d.QuoteIdent("alembic_version_lease")+
		" (owner VARCHAR(64) NOT NULL PRIMARY KEY, revision VARCHAR(32) NOT NULL, holder VARCHAR(255) NOT NULL, taken VARCHAR(40) NOT NULL)")
	for range 2 {
		if err := ls.Ensure(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	if l, err := ls.Read(ctx, db); err != nil || l != nil {
		t.Fatalf("Read of no lease = %+v, %v; want nil", l, err)
	}
	want := dialect.Lease{Owner: "o1", Revision: "aaa", Holder: "host x pid 1", Taken: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC),
		Expiry: 30 * time.Second, Session: "12@x"}
	if err := ls.Take(ctx, db, want); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if ok, err := ls.Renew(ctx, db, "o1"); err != nil || !ok {
			t.Fatalf("Renew = %v, %v; want true", ok, err)
		}
	}
	if ok, err := ls.Renew(ctx, db, "other"); err != nil || ok {
		t.Fatalf("Renew by another owner = %v, %v; want false", ok, err)
	}
	got, err := ls.Read(ctx, db)
	if err != nil || got == nil {
		t.Fatalf("Read = %v, %v", got, err)
	}
	want.Renewals = 3
	if !got.Taken.Equal(want.Taken) {
		t.Errorf("Taken = %v, want %v", got.Taken, want.Taken)
	}
	got.Taken = want.Taken
	if *got != want {
		t.Errorf("Read = %+v, want %+v", *got, want)
	}
	if err := ls.Release(ctx, db, "o1"); err != nil {
		t.Fatal(err)
	}
	if l, err := ls.Read(ctx, db); err != nil || l != nil {
		t.Fatalf("Read after Release = %+v, %v; want nil", l, err)
	}
}
