package fleet_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/fleet"
	"github.com/retortdb/retort/internal/dbtest"
)

// withDatabase returns the URL u with its database name replaced by db
// (which may be a {x.NAME} placeholder), its query kept.
func withDatabase(t *testing.T, u, db string) string {
	t.Helper()
	base, query, _ := strings.Cut(u, "?")
	i := strings.LastIndex(base, "/")
	if i < len("postgres://") {
		t.Fatal("test server URL has no database part")
	}
	out := base[:i+1] + db
	if query != "" {
		out += "?" + query
	}
	return out
}

// TestDatabasePerTenant runs a fleet whose members are databases, one a
// tenant, on PostgreSQL and MariaDB: url = ".../{x.member}". Two runners
// start together on the fleet; every member is migrated once, a rerun
// changes nothing, and downgrade -1 and current run on every database.
func TestDatabasePerTenant(t *testing.T) {
	for _, tt := range []struct {
		name   string
		create func(testing.TB) string
	}{
		{"postgres", dbtest.Postgres},
		{"mariadb", dbtest.MySQL},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const n = 8
			var members, urls []string
			for range n {
				u := tt.create(t)
				urls = append(urls, u)
				base, _, _ := strings.Cut(u, "?")
				members = append(members, base[strings.LastIndex(base, "/")+1:])
			}
			tmpl := withDatabase(t, urls[0], "{x.member}")
			file := project(t, fmt.Sprintf("url = %q\n[fleet.shards]\nmembers = %s\n", tmpl, quoted(members)), 3)
			f, err := config.LoadFleet(file, "shards")
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			upgradeAtOnce(t, f, 2, 3, n)
			for i, u := range urls {
				db := dbtest.Open(t, u)
				var rows, distinct int
				if err := db.QueryRow("SELECT count(*), count(DISTINCT rev) FROM fleet_log").Scan(&rows, &distinct); err != nil || rows != 3 || distinct != 3 {
					t.Fatalf("member %s: %d log rows (%d distinct), %v; want 3", members[i], rows, distinct, err)
				}
			}
			rep, err := fleet.Run(ctx, f, fleet.Options{Command: fleet.Upgrade, Request: up(), Jobs: 3})
			if err != nil {
				t.Fatal(err)
			}
			if s := states(rep); s[fleet.Unchanged] != n {
				t.Fatalf("rerun states %v", s)
			}
			if _, err := fleet.Run(ctx, f, fleet.Options{Command: fleet.Downgrade, Request: downOne(), Jobs: 3}); err != nil {
				t.Fatal(err)
			}
			rep, err = fleet.Run(ctx, f, fleet.Options{Command: fleet.Current, Jobs: 3})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range rep.Members {
				if strings.Join(m.After, ",") != "r002" {
					t.Fatalf("%s at %v after downgrade -1, want r002", m.Name, m.After)
				}
			}
		})
	}
}

func downOne() retort.Request { return retort.Request{Target: "-1"} }
