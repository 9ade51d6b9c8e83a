package appdb_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/retortdb/retort/appdb"
	"github.com/retortdb/retort/internal/dbtest"
)

func count(t testing.TB, m *appdb.Manager, email string) int {
	t.Helper()
	var n int
	if err := m.DB().QueryRow("SELECT count(*) FROM customer WHERE email = $1", email).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	m := open(t, appdb.Config{URL: dbtest.SQLiteFile(t), Migrations: migrations(2), Models: []any{Customer{}}})
	wantSync(t, m, appdb.Created)
	insert := func(status int, panicking bool) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := Customer{Email: r.URL.Query().Get("email"), Name: "x"}
			if err := appdb.Insert(r.Context(), appdb.Tx(r.Context()), &c); err != nil {
				t.Error(err)
			}
			if panicking {
				panic("handler bug")
			}
			if status != 0 {
				w.WriteHeader(status)
			}
			_, _ = w.Write([]byte("done"))
		})
	}
	for _, tc := range []struct {
		name     string
		status   int
		panics   bool
		wantRows int
	}{
		{"implicit 200 commits", 0, false, 1},
		{"201 commits", http.StatusCreated, false, 1},
		{"302 commits", http.StatusFound, false, 1},
		{"400 rolls back", http.StatusBadRequest, false, 0},
		{"500 rolls back", http.StatusInternalServerError, false, 0},
		{"panic rolls back", 0, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			email := strings.ReplaceAll(tc.name, " ", "_") + "@example.com"
			h := m.Middleware(insert(tc.status, tc.panics))
			rec := httptest.NewRecorder()
			func() {
				defer func() {
					if p := recover(); (p != nil) != tc.panics {
						t.Errorf("panic = %v, want panic %v", p, tc.panics)
					}
				}()
				h.ServeHTTP(rec, httptest.NewRequest("POST", "/?email="+email, nil))
			}()
			if got := count(t, m, email); got != tc.wantRows {
				t.Errorf("rows = %d, want %d", got, tc.wantRows)
			}
		})
	}
	if tx := appdb.Tx(t.Context()); tx != nil {
		t.Error("Tx outside the middleware is not nil")
	}
}

func TestHealthHandler(t *testing.T) {
	t.Parallel()
	m := open(t, appdb.Config{URL: dbtest.SQLiteFile(t), Migrations: migrations(2), Models: []any{Customer{}}})
	get := func() (int, appdb.Health) {
		rec := httptest.NewRecorder()
		appdb.HealthHandler(m).ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		var h appdb.Health
		if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil {
			t.Fatalf("%v: %s", err, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		return rec.Code, h
	}
	code, h := get()
	if code != 503 || h.Status != "no_version_table" || len(h.Current) != 0 || strings.Join(h.Latest, ",") != "bbbb2222" {
		t.Fatalf("before Sync: %d %+v", code, h)
	}
	wantSync(t, m, appdb.Created)
	code, h = get()
	if code != 200 || h.Status != "up_to_date" || strings.Join(h.Current, ",") != "bbbb2222" {
		t.Fatalf("after Sync: %d %+v", code, h)
	}
	if _, err := m.DB().Exec("UPDATE alembic_version SET version_num = 'ffff9999'"); err != nil {
		t.Fatal(err)
	}
	code, h = get()
	if code != 503 || h.Status != "database_ahead" {
		t.Fatalf("ahead: %d %+v", code, h)
	}
	m.DB().Close()
	code, h = get()
	if code != 503 || h.Status != "error" || h.Error == "" {
		t.Fatalf("closed database: %d %+v", code, h)
	}
}

func TestSyncCommand(t *testing.T) {
	t.Parallel()
	m := open(t, appdb.Config{URL: dbtest.SQLiteFile(t), Migrations: migrations(2), Models: []any{Customer{}}})
	for _, want := range []string{"Database created.\n", "Database already up-to-date.\n"} {
		cmd := appdb.SyncCommand(m)
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetArgs(nil)
		if err := cmd.ExecuteContext(t.Context()); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Errorf("output %q, want %q", out.String(), want)
		}
	}
}

// TestMiddlewareCommitFails: when the commit fails (a deferred foreign
// key), the client gets 500, not the handler's 200.
func TestMiddlewareCommitFails(t *testing.T) {
	t.Parallel()
	m := open(t, appdb.Config{URL: dbtest.SQLiteFile(t), Migrations: migrations(2), Models: []any{Customer{}}})
	wantSync(t, m, appdb.Created)
	if _, err := m.DB().Exec("CREATE TABLE child (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer (id))"); err != nil {
		t.Fatal(err)
	}
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tx := appdb.Tx(r.Context())
		for _, q := range []string{"PRAGMA defer_foreign_keys = ON", "INSERT INTO child (customer_id) VALUES (12345)"} {
			if _, err := tx.ExecContext(r.Context(), q); err != nil {
				t.Error(err)
			}
		}
		_, err := w.Write([]byte("ok"))
		if err == nil {
			t.Error("Write after a failed commit: no error")
		}
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/", nil))
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "ok") {
		t.Fatalf("response %d %q, want 500 without the handler's body", rec.Code, rec.Body)
	}
	var n int
	if err := m.DB().QueryRow("SELECT count(*) FROM child").Scan(&n); err != nil || n != 0 {
		t.Fatalf("child rows %d, %v", n, err)
	}
}
