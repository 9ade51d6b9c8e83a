package retorttest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/retortdb/retort/config"
)

// TestSetupAndCreateSchema: test_setup runs before the first migration,
// create_schema makes the search_path schema, and without it a missing
// schema is an error naming it and the -x argument it came from.
func TestSetupAndCreateSchema(t *testing.T) {
	migs := []mig{{id: "a1", up: []string{"CREATE TABLE member (id int PRIMARY KEY, email public.citext NOT NULL)"}, down: []string{"DROP TABLE member"}}}
	dir := t.TempDir()
	setup := filepath.Join(dir, "setup.sql")
	if err := os.WriteFile(setup, []byte("CREATE EXTENSION IF NOT EXISTS citext;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	settings := func(extra string) *config.Config {
		toml := "[retort]\nurl = \"\"\nsearch_path = \"{x.tenant}\"\ntest_setup = \"setup.sql\"\n" + extra
		c, err := config.Parse([]byte(toml), filepath.Join(dir, "retort.toml"), config.WithXArgs(map[string]string{"tenant": "acme"}))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cfg := postgresConfig(t, migs...)
	cfg.Settings = settings("")
	msg := runOne(t, cfg, Upgrade).failure(t)
	contains(t, msg, `search_path schema "acme" does not exist`, "-x tenant=acme", "create_schema = true")

	cfg = postgresConfig(t, migs...)
	cfg.Settings = settings("create_schema = true\n")
	runOne(t, cfg, Upgrade).passed(t)
}
