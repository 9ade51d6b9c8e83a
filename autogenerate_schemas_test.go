package retort_test

import (
	"context"
	"database/sql"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/schema"
)

// multiSchemaTarget puts a table in each of two schemas the database
// lacks (with a foreign key from one to the other and an enum type in
// the first), keeps public.customer and leaves out legacy.old.
const multiSchemaTarget = `CREATE SCHEMA audit;
CREATE SCHEMA billing;
CREATE TYPE audit.level AS ENUM ('info', 'warn');
CREATE TABLE public.customer (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE audit.log (id bigint PRIMARY KEY, level audit.level NOT NULL, customer_id bigint REFERENCES public.customer (id));
CREATE TABLE billing.invoice (id bigint PRIMARY KEY, log_id bigint CONSTRAINT invoice_log_fk REFERENCES audit.log (id), total numeric(10, 2));
CREATE INDEX invoice_log_idx ON billing.invoice (log_id);
`

// TestAutogenerateNewSchemas: a target with tables in two schemas the
// database lacks autogenerates CREATE SCHEMA before their first object
// and, in the downgrade, DROP SCHEMA after their objects are dropped;
// a schema the database has and the target lacks keeps existing (only
// its table is dropped), as with Alembic. Upgrade, compare again
// (nothing), downgrade (back to the start).
func TestAutogenerateNewSchemas(t *testing.T) {
	url := dbtest.Postgres(t)
	dir := t.TempDir()
	cfg := writeProject(t, dir, url, []rev{{id: "a1", up: "CREATE SCHEMA legacy;\nCREATE TABLE legacy.old (id int);\nCREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL);",
		down: "DROP TABLE customer;\nDROP TABLE legacy.old;\nDROP SCHEMA legacy;"}},
		"target_schema = \"schema.sql\"\ninclude_schemas = [\"audit\", \"billing\", \"legacy\"]\n")
	writeFile(t, filepath.Join(dir, "schema.sql"), multiSchemaTarget)
	ctx := t.Context()
	env := open(t, cfg)
	if err := env.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	start, err := env.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, err := env.Autogenerate(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"create schema audit", "create schema billing", "create enum audit.level", "create table audit.log",
		"create table billing.invoice", "drop table legacy.old"}
	if got := describeOps(d.Upgrade); !slices.Equal(got, want) {
		t.Fatalf("upgrade %q, want %q", got, want)
	}
	if got := describeOps(d.Downgrade); got[len(got)-2] != "drop schema billing" || got[len(got)-1] != "drop schema audit" {
		t.Errorf("downgrade %q: the schemas last", got)
	}
	if _, err := env.WriteRevision(ctx, retort.NewRevision{Message: "two schemas", Autogenerate: true}); err != nil {
		t.Fatal(err)
	}
	env = open(t, cfg)
	if err := env.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("upgrade to the generated revision: %v", err)
	}
	if left := autogenerate(t, env); len(left) > 0 {
		t.Errorf("after the generated revision: %q", describeOps(left))
	}
	db := dbtest.Open(t, url)
	if got := namespaces(t, db); !slices.Equal(got, []string{"audit", "billing", "legacy"}) {
		t.Errorf("after upgrade, schemas %q (legacy kept, empty)", got)
	}
	if err := env.Downgrade(ctx, "-1"); err != nil {
		t.Fatalf("downgrade of the generated revision: %v", err)
	}
	if got := namespaces(t, db); !slices.Equal(got, []string{"legacy"}) {
		t.Errorf("after downgrade, schemas %q", got)
	}
	back, err := env.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !sameDatabase(start, back) {
		t.Errorf("after downgrade:\n got  %+v\n want %+v", back, start)
	}
}

// namespaces lists the schemas of db but public and the system's.
func namespaces(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\_%'
		AND nspname NOT IN ('information_schema', 'public') ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// sameDatabase compares the tables and enum types of two inspections.
func sameDatabase(a, b *schema.Database) bool {
	if len(a.Tables) != len(b.Tables) || len(a.Enums) != len(b.Enums) {
		return false
	}
	for _, t := range a.Tables {
		if !b.Table(t.Schema, t.Name).Equal(&t) {
			return false
		}
	}
	for i := range a.Enums {
		if !a.Enums[i].Equal(b.Enums[i]) {
			return false
		}
	}
	return true
}

// alembicSchemasPy runs Alembic's compare_metadata with include_schemas
// on a database that has schema legacy (table old) and a metadata with
// a table in schema audit, which the database lacks, and prints the
// diffs' kinds.
const alembicSchemasPy = `import sys
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.autogenerate import compare_metadata

engine = sa.create_engine(sys.argv[1])
md = sa.MetaData()
sa.Table("customer", md, sa.Column("id", sa.BigInteger, primary_key=True), sa.Column("name", sa.Text, nullable=False))
sa.Table("log", md, sa.Column("id", sa.BigInteger, primary_key=True), schema="audit")
with engine.connect() as conn:
    mc = MigrationContext.configure(conn, opts={"include_schemas": True})
    for d in compare_metadata(mc, md):
        if d[0] in ("add_table", "remove_table"):
            print(d[0], "%s.%s" % (d[1].schema, d[1].name))
        else:
            print(d[0])
`

// TestAlembicSchemas pins what Alembic 1.8 does with schemas under
// include_schemas: a table in a schema the database lacks is an
// add_table and nothing creates the schema (retort adds CreateSchema,
// without which the revision fails); a schema the metadata lacks has
// its tables removed and is itself kept (retort keeps it too).
func TestAlembicSchemas(t *testing.T) {
	py := dbtest.Alembic(t)
	url := dbtest.Postgres(t)
	db := dbtest.Open(t, url)
	for _, s := range []string{"CREATE SCHEMA legacy", "CREATE TABLE legacy.old (id int)", "CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL)"} {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(t.TempDir(), "schemas.py")
	writeFile(t, script, alembicSchemasPy)
	out, err := exec.CommandContext(t.Context(), py, script, sqlalchemyURL(url)).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := strings.Fields(strings.ReplaceAll(strings.TrimSpace(string(out)), "\n", " | "))
	want := strings.Fields("add_table audit.log | remove_table legacy.old")
	if !slices.Equal(got, want) {
		t.Errorf("Alembic's diffs: %q, want %q", got, want)
	}
}

// TestAutogenerateNewSchemasMySQL: on MySQL/MariaDB a schema is a
// database: a target table in an included database that does not exist
// yet gets CREATE SCHEMA first, and the downgrade drops it after the
// table.
func TestAutogenerateNewSchemasMySQL(t *testing.T) {
	url := dbtest.MySQL(t)
	dir := t.TempDir()
	cfg := writeProject(t, dir, url, nil, "")
	other := cfg.URL.Database + "_audit"
	cfg.IncludeSchemas = []string{other}
	db := dbtest.Open(t, url)
	t.Cleanup(func() {
		_, _ = db.ExecContext(context.WithoutCancel(t.Context()), "DROP DATABASE IF EXISTS `"+other+"`")
	})
	target := &schema.Database{Tables: []schema.Table{
		// A foreign key into the other database (the other way, an
		// unqualified reference would resolve in the child's database).
		schema.NewTable("customer", schema.Column("id", schema.BigInt, schema.PrimaryKey()), schema.Column("log_id", schema.BigInt),
			schema.ForeignKey("fk_customer_log", []string{"log_id"}, "log", []string{"id"}, schema.RefSchema(other))),
		schema.NewTable("log", schema.Column("id", schema.BigInt, schema.PrimaryKey()), schema.InSchema(other)),
	}}
	ctx := t.Context()
	env := open(t, cfg, retort.WithTarget(target))
	d, err := env.Autogenerate(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"create schema " + other, "create table " + other + ".log", "create table customer"}
	if got := describeOps(d.Upgrade); !slices.Equal(got, want) {
		t.Fatalf("upgrade %q, want %q", got, want)
	}
	if err := env.RunOperations(ctx, d.Upgrade...); err != nil {
		t.Fatal(err)
	}
	if left := autogenerate(t, env); len(left) > 0 {
		t.Errorf("after upgrade: %q", describeOps(left))
	}
	if err := env.RunOperations(ctx, d.Downgrade...); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", other).Scan(&n); err != nil || n != 0 {
		t.Errorf("after downgrade, database %s: %d, %v", other, n, err)
	}
}
