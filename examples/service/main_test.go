package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/retortdb/retort/appdb"
	"github.com/retortdb/retort/internal/dbtest"
)

// call sends a request to the service and decodes its JSON answer.
func call(t testing.TB, method, url, body string, out any) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, data)
		}
	}
	return resp.StatusCode
}

// TestService calls the service over HTTP on SQLite and PostgreSQL:
// health before Sync (503) and after (200), then the customer API.
func TestService(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(testing.TB) string
	}{
		{"sqlite", dbtest.SQLiteFile},
		{"postgres", dbtest.Postgres},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(appdb.EnvURL, tc.url(t))
			cfg, err := config()
			if err != nil {
				t.Fatal(err)
			}
			m, err := appdb.Open(t.Context(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			srv := httptest.NewServer(newHandler(m))
			defer srv.Close()

			var h appdb.Health
			if code := call(t, "GET", srv.URL+"/healthz", "", &h); code != 503 || h.Status != "no_version_table" {
				t.Fatalf("health before Sync: %d %+v", code, h)
			}
			if res, err := m.Sync(t.Context()); err != nil || res != appdb.Created {
				t.Fatalf("Sync: %v %v", res, err)
			}
			if code := call(t, "GET", srv.URL+"/healthz", "", &h); code != 200 || h.Status != "up_to_date" || strings.Join(h.Current, ",") != "2b7d4e1c8a20" {
				t.Fatalf("health after Sync: %d %+v", code, h)
			}

			var c, c2 Customer
			if code := call(t, "POST", srv.URL+"/customers", `{"email":"ann@example.com","name":"Ann"}`, &c); code != 201 || c.ID == 0 || c.Created.IsZero() {
				t.Fatalf("create: %d %+v", code, c)
			}
			if code := call(t, "POST", srv.URL+"/customers", `{"email":"ann@example.com","name":"Other"}`, &c2); code != 200 || c2.ID != c.ID || c2.Name != "Ann" {
				t.Fatalf("create again: %d %+v", code, c2)
			}
			if code := call(t, "PUT", srv.URL+"/customers/ann@example.com", `{"email":"x","name":"Anne","city":"Oslo"}`, &c2); code != 200 || c2.ID != c.ID || c2.Name != "Anne" || c2.City == nil || *c2.City != "Oslo" {
				t.Fatalf("update: %d %+v", code, c2)
			}
			if code := call(t, "GET", srv.URL+"/customers/"+itoa(c.ID), "", &c2); code != 200 || c2.Name != "Anne" {
				t.Fatalf("get: %d %+v", code, c2)
			}
			if code := call(t, "GET", srv.URL+"/customers?email=ann@example.com", "", &c2); code != 200 || c2.ID != c.ID {
				t.Fatalf("find: %d %+v", code, c2)
			}
			var e map[string]string
			if code := call(t, "GET", srv.URL+"/customers/999", "", &e); code != 404 || e["error"] != "no customer row where id = 999" {
				t.Fatalf("missing: %d %v", code, e)
			}
			if code := call(t, "POST", srv.URL+"/customers", `{"email":"bob@example.com"}`, &e); code != 400 {
				t.Fatalf("bad request: %d %v", code, e)
			}
		})
	}
}

func itoa(i int64) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// TestRun starts the service as main does, on a real listener, and
// stops it.
func TestRun(t *testing.T) {
	t.Setenv(appdb.EnvURL, dbtest.SQLiteFile(t))
	ctx, cancel := context.WithCancel(t.Context())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a }) }()
	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	var h appdb.Health
	if code := call(t, "GET", "http://"+addr.String()+"/healthz", "", &h); code != 200 || h.Status != "up_to_date" {
		t.Fatalf("health: %d %+v", code, h)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run after cancel: %v", err)
	}
}
