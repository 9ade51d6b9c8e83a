package appdb_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/retortdb/retort/appdb"
	"github.com/retortdb/retort/internal/dbtest"
)

func eachDB(t *testing.T, fn func(t *testing.T, m *appdb.Manager)) {
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
			m := open(t, appdb.Config{URL: tc.url(t), Migrations: migrations(2), Models: []any{Customer{}}})
			wantSync(t, m, appdb.Created)
			fn(t, m)
		})
	}
}

func TestModelHelpers(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, m *appdb.Manager) {
		ctx := appdb.WithDialect(t.Context(), m.Dialect()) // a *sql.Tx cannot tell its engine
		tx, err := m.DB().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()

		a := Customer{Email: "a@example.com", Name: "Ann"}
		created, err := appdb.GetOrCreate(ctx, tx, &a, "email")
		if err != nil || !created || a.ID == 0 {
			t.Fatalf("GetOrCreate new: %v %v %+v", created, err, a)
		}
		again := Customer{Email: "a@example.com", Name: "ignored"}
		created, err = appdb.GetOrCreate(ctx, tx, &again, "email")
		if err != nil || created || again.ID != a.ID || again.Name != "Ann" {
			t.Fatalf("GetOrCreate existing: %v %v %+v", created, err, again)
		}

		note := "vip"
		up := Customer{Email: "a@example.com", Name: "Anne", Note: &note}
		created, err = appdb.UpdateOrCreate(ctx, tx, &up, "email")
		if err != nil || created || up.ID != a.ID || up.Name != "Anne" || up.Note == nil || *up.Note != "vip" {
			t.Fatalf("UpdateOrCreate existing: %v %v %+v", created, err, up)
		}
		b := Customer{Email: "b@example.com", Name: "Anne"}
		created, err = appdb.UpdateOrCreate(ctx, tx, &b, "email")
		if err != nil || !created || b.ID == a.ID {
			t.Fatalf("UpdateOrCreate new: %v %v %+v", created, err, b)
		}

		got, err := appdb.GetByPK[Customer](ctx, tx, a.ID)
		if err != nil || got.Name != "Anne" || *got.Note != "vip" {
			t.Fatalf("GetByPK: %+v %v", got, err)
		}
		got, err = appdb.Get[Customer](ctx, tx, appdb.Eq("email", "b@example.com"), appdb.Eq("note", nil))
		if err != nil || got.ID != b.ID {
			t.Fatalf("Get with IS NULL: %+v %v", got, err)
		}

		_, err = appdb.Get[Customer](ctx, tx, appdb.Eq("name", "Anne"))
		if !errors.Is(err, appdb.ErrMultiple) || err.Error() != `more than one customer row where name = "Anne"; filter on a unique key` {
			t.Errorf("Get of two rows: %v", err)
		}
		_, err = appdb.GetByPK[Customer](ctx, tx, int64(999))
		if !errors.Is(err, appdb.ErrNotFound) || err.Error() != "no customer row where id = 999" {
			t.Errorf("GetByPK of a missing row: %v", err)
		}
		_, err = appdb.Get[Customer](ctx, tx, appdb.Eq("nope", 1))
		if err == nil || !strings.Contains(err.Error(), `table customer (appdb_test.Customer) has no column "nope"`) {
			t.Errorf("unknown column: %v", err)
		}
		_, err = appdb.GetOrCreate(ctx, tx, &Customer{Name: "x"}, "name")
		if err == nil || !strings.Contains(err.Error(), "ON CONFLICT needs a primary key or unique constraint") &&
			!strings.Contains(err.Error(), "no primary key or unique constraint on exactly these columns") {
			t.Errorf("GetOrCreate on a non-unique key: %v", err)
		}
	})
}

// TestGetOrCreateRace: many requests, each in its own transaction on its
// own connection, get-or-create the same key at once: one row, one
// creator, everyone gets its id.
func TestGetOrCreateRace(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, m *appdb.Manager) {
		const n = 16
		ids := make([]int64, n)
		creators := 0
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				ctx := appdb.WithDialect(t.Context(), m.Dialect())
				tx, err := m.DB().BeginTx(ctx, nil)
				if err != nil {
					t.Error(err)
					return
				}
				c := Customer{Email: "race@example.com", Name: "Racer"}
				var created bool
				if i%2 == 0 {
					created, err = appdb.GetOrCreate(ctx, tx, &c, "email")
				} else {
					created, err = appdb.UpdateOrCreate(ctx, tx, &c, "email")
				}
				if err != nil {
					_ = tx.Rollback()
					t.Error(err)
					return
				}
				if err := tx.Commit(); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				ids[i] = c.ID
				if created {
					creators++
				}
			})
		}
		close(start)
		wg.Wait()
		if creators != 1 {
			t.Errorf("%d requests created the row, want 1", creators)
		}
		for i, id := range ids {
			if id != ids[0] || id == 0 {
				t.Fatalf("ids = %v (request %d differs)", ids, i)
			}
		}
		var rows int
		if err := m.DB().QueryRow("SELECT count(*) FROM customer WHERE email = 'race@example.com'").Scan(&rows); err != nil || rows != 1 {
			t.Fatalf("rows = %d, %v", rows, err)
		}
	})
}
