package retort_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
)

// A run whose search_path names a schema that does not exist fails
// naming the schema and create_schema, not with PostgreSQL's bare "no
// schema has been selected to create in"; once the schema exists the
// same run succeeds, and a failure for another reason is left as it is.
func TestMissingSearchPathSchema(t *testing.T) {
	url := dbtest.Postgres(t)
	dir := t.TempDir()
	cfg := writeProject(t, dir, url, chain(2), "search_path = \"tenant_acme\"\n")
	env := open(t, cfg)
	_, err := env.Run(t.Context(), retort.Request{Kind: retort.Upgrade, Target: "heads"})
	var ms *retort.MissingSchemaError
	if !errors.As(err, &ms) || ms.Schema != "tenant_acme" || !strings.Contains(err.Error(), "create_schema = true") || !strings.Contains(err.Error(), "retort.toml") {
		t.Fatalf("err = %v", err)
	}
	db := dbtest.Open(t, url)
	if _, err := db.Exec("CREATE SCHEMA tenant_acme"); err != nil {
		t.Fatal(err)
	}
	if _, err := open(t, cfg).Run(t.Context(), retort.Request{Kind: retort.Upgrade, Target: "heads"}); err != nil {
		t.Fatalf("with the schema: %v", err)
	}
	// Another failure in an existing schema is not blamed on it.
	bad := writeProject(t, t.TempDir(), url, []rev{{id: "x1", up: "CREATE TABLE t01 (id INTEGER);", down: "SELECT 1;"}}, "search_path = \"tenant_acme\"\nversion_table = \"other_version\"\n")
	_, err = open(t, bad).Run(t.Context(), retort.Request{Kind: retort.Upgrade, Target: "heads"})
	if err == nil || errors.As(err, &ms) {
		t.Fatalf("a table that exists: err = %v", err)
	}
}
