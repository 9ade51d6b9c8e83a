package retorttest

import (
	"os"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/schema"
)

// goodMySQL is good written for MySQL: a bounded name (MySQL indexes a
// TEXT column only by a prefix) and DROP INDEX ... ON.
var goodMySQL = []mig{
	{id: "a1", up: []string{"CREATE TABLE customer (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL)"}, down: []string{"DROP TABLE customer"}},
	{id: "b2", revises: "a1", up: []string{"ALTER TABLE customer ADD COLUMN email TEXT"}, down: []string{"ALTER TABLE customer DROP COLUMN email"}},
	{id: "c3", revises: "b2", up: []string{"CREATE INDEX ix_customer_name ON customer (name)"}, down: []string{"DROP INDEX ix_customer_name ON customer"}},
}

// mysqlConfig is a Config for migs on the MariaDB test server, skipping
// t without one.
func mysqlConfig(t *testing.T, migs ...mig) Config {
	t.Helper()
	if os.Getenv(dbtest.MySQLEnv) == "" {
		t.Skipf("set %s (or run ./scripts/test.sh) to run MySQL tests", dbtest.MySQLEnv)
	}
	return Config{Dialect: "mysql", Options: goOptions(migs...)}
}

func TestRunPassesMySQL(t *testing.T) {
	cfg := mysqlConfig(t, goodMySQL...)
	cfg.Target = &schema.Database{Tables: []schema.Table{schema.NewTable("customer",
		schema.Column("id", schema.Integer, schema.PrimaryKey()),
		schema.Column("name", schema.Varchar(100), schema.NotNull()),
		schema.Column("email", schema.Text),
		schema.Index("ix_customer_name", "name"))}}
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

func TestFailuresMySQL(t *testing.T) {
	leaky := with(goodMySQL, mig{id: "b2", revises: "a1", up: []string{"ALTER TABLE customer ADD COLUMN email TEXT"}, down: []string{"SELECT 1"}})
	msg := runOne(t, mysqlConfig(t, leaky...), DowngradeLeavesNoTrace).failure(t)
	contains(t, msg, "pre-'b2'-upgrade schema", "table customer:\n      + column email text")

	bad := with(goodMySQL, mig{id: "c3", revises: "b2", up: []string{"SELECT 1"}, down: []string{"DROP INDEX nosuch ON customer"}})
	msg = runOne(t, mysqlConfig(t, bad...), UpDownConsistency).failure(t)
	contains(t, msg, "Failed to downgrade through each revision individually.", "Failing Revision:\n    c3", "nosuch")
}
