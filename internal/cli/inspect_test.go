package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
)

// TestInspectSchemas: retort inspect with include_schemas prints the
// schemas' tables, each schema created before its first table (before,
// it failed as if the tables were outside include_schemas).
func TestInspectSchemas(t *testing.T) {
	url := dbtest.Postgres(t)
	db := dbtest.Open(t, url)
	for _, s := range []string{"CREATE SCHEMA audit", "CREATE TABLE audit.log (id bigint PRIMARY KEY)", "CREATE TABLE customer (id bigint PRIMARY KEY)"} {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "retort.toml")
	if err := os.MkdirAll(filepath.Join(dir, "migrations", "versions"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("[retort]\nscript_location = \"migrations\"\nurl = \""+url+"\"\ninclude_schemas = [\"audit\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Main(t.Context(), []string{"-c", cfg, "inspect"}, nil, &out, &errb); code != 0 {
		t.Fatalf("retort inspect: exit %d: %s", code, errb.String())
	}
	got := out.String()
	s, l, c := strings.Index(got, `CREATE SCHEMA "audit"`), strings.Index(got, `CREATE TABLE "audit"."log"`), strings.Index(got, `CREATE TABLE "customer"`)
	if s < 0 || l < s || c < 0 {
		t.Errorf("retort inspect:\n%s", got)
	}
}
