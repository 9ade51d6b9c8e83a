package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/fault"
)

func TestFleet(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tenants.txt"), []byte("acme\n# comment\n\nglobex\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const head = "[retort]\nurl = \"postgres://u:secret@h/app\"\nsearch_path = \"t_{x.tenant}\"\n[env.lite]\nurl = \"sqlite:///{x.member}\"\nsearch_path = \"\"\n"
	tests := []struct {
		name, fleet, toml string
		members, want     []string // want: search_path per member, or URL path
		err               string
	}{
		{name: "list", fleet: "t", toml: "[fleet.t]\nplaceholder = \"tenant\"\nmembers = [\"acme\", \"globex\"]\n",
			want: []string{"t_acme", "t_globex"}},
		{name: "file", fleet: "t", toml: "[fleet.t]\nplaceholder = \"tenant\"\nmembers_file = \"tenants.txt\"\n",
			want: []string{"t_acme", "t_globex"}},
		{name: "bad member", fleet: "t", toml: "[fleet.t]\nplaceholder = \"tenant\"\nmembers = [\"acme\", \"x@evil:1/db\"]\n",
			err: `fleet t: member "x@evil:1/db" from members:`},
		{name: "bad member in file", fleet: "t", toml: "[fleet.t]\nplaceholder = \"tenant\"\nmembers = [\"a b\"]\n",
			err: `from members: -x tenant`},
		{name: "unknown", fleet: "u", toml: "[fleet.t]\nmembers = [\"a\"]\n", err: `no fleet "u"; available: t`},
		{name: "no source", fleet: "t", toml: "[fleet.t]\nplaceholder = \"tenant\"\n", err: "no members: set one of"},
		{name: "two sources", fleet: "t", toml: "[fleet.t]\nplaceholder = \"tenant\"\nmembers = [\"a\"]\nmembers_file = \"x\"\n", err: "set only one source"},
		{name: "query without url", fleet: "t", toml: "[fleet.t]\nplaceholder = \"tenant\"\nmembers_query = \"SELECT 1\"\n", err: "needs members_url"},
		{name: "unknown env", fleet: "t", toml: "[fleet.t]\nenv = \"nope\"\nmembers = [\"a\"]\n", err: `no environment "nope"`},
		{name: "unknown key", fleet: "t", toml: "[fleet.t]\nmembrs = [\"a\"]\n", err: `unknown key "membrs" in [fleet.t]`},
		{name: "glob", fleet: "g", toml: "[fleet.g]\nenv = \"lite\"\nsqlite_glob = \"data/*.db\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := config.ParseFleet([]byte(head+tt.toml), filepath.Join(dir, "retort.toml"), tt.fleet)
			var members []string
			if err == nil {
				members, err = f.FileMembers()
			}
			var got []string
			for _, m := range members {
				c, cerr := f.Config(m)
				if cerr != nil {
					err = cerr
					break
				}
				got = append(got, c.SearchPath)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, fault.ErrBadInput) {
					t.Fatalf("err = %v, want bad input with %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Fatalf("error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("search paths %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFleetGlob(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"b.db", "a.db"} {
		if err := os.WriteFile(filepath.Join(dir, "data", n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := config.ParseFleet([]byte("[retort]\nurl = \"sqlite:///{x.member}\"\n[fleet.g]\nsqlite_glob = \"data/*.db\"\n"), filepath.Join(dir, "retort.toml"), "g")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := f.FileMembers()
	if err != nil || len(ms) != 2 || filepath.Base(ms[0]) != "a.db" {
		t.Fatalf("members %v, %v", ms, err)
	}
	c, err := f.Config(ms[0])
	if err != nil {
		t.Fatal(err)
	}
	if c.URL.Path != ms[0] {
		t.Fatalf("path %q, want %q", c.URL.Path, ms[0])
	}
}
