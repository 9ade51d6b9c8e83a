package retorttest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/compare"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/schema"
)

// postgresConfig is a Config for migs on the test server, skipping t
// without one.
func postgresConfig(t *testing.T, migs ...mig) Config {
	t.Helper()
	if os.Getenv(PostgresEnv) == "" {
		t.Skipf("set %s (or run ./scripts/test.sh) to run PostgreSQL tests", PostgresEnv)
	}
	return Config{Dialect: "postgres", Options: goOptions(migs...)}
}

func TestRunPassesPostgres(t *testing.T) {
	cfg := postgresConfig(t, good...)
	cfg.Target = &schema.Database{Tables: []schema.Table{schema.NewTable("customer",
		schema.Column("id", schema.Integer, schema.PrimaryKey()),
		schema.Column("name", schema.Text, schema.NotNull()),
		schema.Column("email", schema.Text),
		schema.PrimaryKey("id"),
		schema.Index("ix_customer_name", "name"))}}
	cfg.Target.Tables[0].PrimaryKey.Name = "customer_pkey"
	cfg.AtRevisionData = map[string][]Data{"a1": {{Table: "customer", Rows: []Row{{"id": 1, "name": "ada"}}}}}
	for _, name := range Tests() {
		t.Run(name, func(t *testing.T) {
			f := runOne(t, cfg, name)
			if name == AllModelsRegisterOnMetadata {
				contains(t, f.skipped, "no models")
				return
			}
			f.passed(t)
		})
	}
}

func TestFailuresPostgres(t *testing.T) {
	leaky := with(good, mig{id: "b2", revises: "a1", up: []string{"ALTER TABLE customer ADD COLUMN email TEXT"}, down: []string{"SELECT 1"}})
	msg := runOne(t, postgresConfig(t, leaky...), DowngradeLeavesNoTrace).failure(t)
	contains(t, msg, "pre-'b2'-upgrade schema", "table customer:\n      + column email text")

	bad := with(good, mig{id: "c3", revises: "b2", up: []string{"SELECT 1"}, down: []string{"DROP INDEX nosuch"}})
	msg = runOne(t, postgresConfig(t, bad...), UpDownConsistency).failure(t)
	contains(t, msg, "Failed to downgrade through each revision individually.", "Failing Revision:\n    c3", "nosuch")
}

// TestParallelPostgres runs many tests at once, each on a database cloned
// from a template that none of them has made yet (a fresh setup names a
// fresh template), so they race to make it and to clone it.
func TestParallelPostgres(t *testing.T) {
	base := postgresConfig(t, good...)
	marker := "marker_" + randomHex()
	base.PostgresSetup = []string{"CREATE SCHEMA " + marker}
	t.Cleanup(func() { dropTemplate(t, base.PostgresSetup) })
	var mu sync.Mutex
	names := map[string]bool{}
	t.Run("group", func(t *testing.T) {
		for i := range 8 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				r := NewRunner(t, base)
				ctx := t.Context()
				var name string
				var cloned bool
				if err := r.DB().QueryRowContext(ctx, "SELECT current_database(), EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", marker).Scan(&name, &cloned); err != nil {
					t.Fatal(err)
				}
				if !cloned {
					t.Errorf("database %s was not cloned from the template (no schema %s)", name, marker)
				}
				mu.Lock()
				names[name] = true
				mu.Unlock()
				if err := r.UpgradeTo(ctx, "heads"); err != nil {
					t.Fatal(err)
				}
				if err := r.InsertInto(ctx, "customer", Row{"id": 1, "name": "ada"}); err != nil {
					t.Fatal(err)
				}
				if err := r.DowngradeTo(ctx, "base"); err != nil {
					t.Fatal(err)
				}
				runOne(t, base, UpDownConsistency).passed(t)
			})
		}
	})
	if len(names) != 8 {
		t.Errorf("want 8 databases, got %d", len(names))
	}
	// Every test database is gone.
	admin := adminDB(t)
	for name := range names {
		var n int
		if err := admin.QueryRowContext(t.Context(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil || n != 0 {
			t.Errorf("database %s left behind (%d, %v)", name, n, err)
		}
	}
}

func adminDB(t *testing.T) *sql.DB {
	t.Helper()
	u, err := config.ParseURL(os.Getenv(PostgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	s, err := serverFor(u)
	if err != nil {
		t.Fatal(err)
	}
	return s.Admin
}

func dropTemplate(t *testing.T, setup []string) {
	if _, err := adminDB(t).ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+postgres.Dialect{}.QuoteIdent(postgres.TemplateName(setup))+" WITH (FORCE)"); err != nil {
		t.Errorf("drop template: %v", err)
	}
}

func randomHex() string { return dbName("")[len("retorttest__"):] }

// TestModelsAcrossSchemasPostgres: a target spread over several schemas
// is compared as autogenerate compares it (include_schemas), so the
// model check passes on a database the migrations built, and names a
// table of a named schema the migrations left out.
func TestModelsAcrossSchemasPostgres(t *testing.T) {
	migs := []mig{
		{id: "a1", up: []string{"CREATE TABLE customer (id INTEGER PRIMARY KEY)"}, down: []string{"DROP TABLE customer"}},
		{id: "b2", revises: "a1",
			up:   []string{"CREATE SCHEMA billing", "CREATE TABLE billing.invoice (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES public.customer (id))"},
			down: []string{"DROP SCHEMA billing CASCADE"}},
	}
	target := func(withLedger bool) *schema.Database {
		customer := schema.NewTable("customer", schema.Column("id", schema.Integer, schema.PrimaryKey()), schema.PrimaryKey("id"))
		customer.PrimaryKey.Name = "customer_pkey"
		invoice := schema.NewTable("invoice",
			schema.Column("id", schema.Integer, schema.PrimaryKey()),
			schema.Column("customer_id", schema.Integer, schema.NotNull()),
			schema.PrimaryKey("id"),
			schema.ForeignKey("invoice_customer_id_fkey", []string{"customer_id"}, "customer", []string{"id"}))
		invoice.Schema = "billing"
		invoice.PrimaryKey.Name = "invoice_pkey"
		db := &schema.Database{Tables: []schema.Table{customer, invoice}}
		if withLedger {
			ledger := schema.NewTable("ledger", schema.Column("id", schema.Integer, schema.PrimaryKey()), schema.PrimaryKey("id"))
			ledger.Schema = "billing"
			db.Tables = append(db.Tables, ledger)
		}
		return db
	}
	cfg := postgresConfig(t, migs...)
	cfg.Options = append(cfg.Options, retort.WithAutogenerate(compare.Options{IncludeSchemas: []string{"billing"}}))
	cfg.Target = target(false)
	runOne(t, cfg, ModelDefinitionsMatchDDL).passed(t)

	cfg.Target = target(true)
	msg := runOne(t, cfg, ModelDefinitionsMatchDDL).failure(t)
	contains(t, msg, "billing.ledger")
}
