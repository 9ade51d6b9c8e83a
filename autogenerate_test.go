package retort_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/compare"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

const schemaSQL = `CREATE TABLE customer (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    email VARCHAR(200) CONSTRAINT uq_customer_email UNIQUE
);
CREATE INDEX ix_customer_name ON customer (name);
CREATE VIEW customer_names AS SELECT name FROM customer;
`

// TestAutogenerateTargetSchema: target_schema is applied to a scratch
// database and inspected; on PostgreSQL the temporary schema is gone
// afterwards, even when the file fails.
func TestAutogenerateTargetSchema(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			dir, url := t.TempDir(), b.url(t)
			cfg := writeProject(t, dir, url, nil, "")
			env := open(t, cfg)
			if env.HasTarget() {
				t.Fatal("HasTarget without schema.sql")
			}
			if _, err := env.Autogenerate(t.Context(), ""); !errors.Is(err, retort.ErrNoTarget) || !errors.Is(err, retort.ErrBadInput) {
				t.Fatalf("no schema.sql: %v", err)
			}
			if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(schemaSQL), 0o644); err != nil {
				t.Fatal(err)
			}
			d, err := env.Autogenerate(t.Context(), "first")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := describeOps(d.Upgrade), []string{"create table customer", "create view customer_names"}; !slices.Equal(got, want) {
				t.Errorf("upgrade %q, want %q", got, want)
			}
			if err := env.RunOperations(t.Context(), d.Upgrade...); err != nil {
				t.Fatal(err)
			}
			if left := autogenerate(t, env); len(left) > 0 {
				t.Errorf("left: %q", describeOps(left))
			}

			if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE x (id INTEGER);\nCREATE TABLE x (id INTEGER);\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := env.Autogenerate(t.Context(), ""); !errors.Is(err, retort.ErrBadInput) {
				t.Errorf("broken schema.sql: %v", err)
			}
			if b.name == "postgres" {
				db := dbtest.Open(t, url)
				var n int
				if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'retort_scratch_%'").Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != 0 {
					t.Errorf("%d scratch schemas left", n)
				}
			}
		})
	}
}

// TestAutogenerateNotAtHeads: as Alembic, autogenerate needs the
// database at the heads.
func TestAutogenerateNotAtHeads(t *testing.T) {
	cfg := writeProject(t, t.TempDir(), dbtest.SQLiteFile(t), chain(1), "")
	env := open(t, cfg, retort.WithTarget(&schema.Database{}))
	var nh *retort.NotAtHeadsError
	if _, err := env.Autogenerate(t.Context(), ""); !errors.As(err, &nh) {
		t.Fatalf("got %v, want *NotAtHeadsError", err)
	}
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	d, err := env.Autogenerate(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	// The migrations made t01; the empty target drops it, never the
	// version table.
	if got := describeOps(d.Upgrade); !slices.Equal(got, []string{"drop table t01"}) {
		t.Errorf("upgrade %q", got)
	}
}

// TestAutogenerateHooks: WithAutogenerate's options reach the comparison.
func TestAutogenerateHooks(t *testing.T) {
	cfg := writeProject(t, t.TempDir(), dbtest.SQLiteFile(t), nil, "")
	target := &schema.Database{Tables: []schema.Table{customer()}}
	env := open(t, cfg, retort.WithTarget(target), retort.WithAutogenerate(compare.Options{
		ProcessRevisionDirectives: compare.Chain(compare.NeverDropTables, compare.SkipEmpty),
	}))
	d, err := env.Autogenerate(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.RunOperations(t.Context(), d.Upgrade...); err != nil {
		t.Fatal(err)
	}
	if err := env.RunOperations(t.Context(), ops.Execute{SQL: "CREATE TABLE legacy (id INTEGER)"}); err != nil {
		t.Fatal(err)
	}
	if d, err = env.Autogenerate(t.Context(), ""); err != nil || !d.Drop {
		t.Errorf("legacy table: Drop = %v, %v; want a dropped revision", d != nil && d.Drop, err)
	}
}

func customer(extra ...schema.TableElement) schema.Table {
	return schema.NewTable("customer", append([]schema.TableElement{
		schema.Column("id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("name", schema.Text, schema.NotNull()),
	}, extra...)...)
}

// TestRunOperations: operations run directly, SQLite's batch mode
// taking what its ALTER TABLE cannot do; a failure rolls everything
// back.
func TestRunOperations(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			cfg := writeProject(t, t.TempDir(), b.url(t), nil, "")
			env := open(t, cfg)
			ctx := t.Context()
			notNull := false
			email := schema.Column("email", schema.Varchar(200))
			err := env.RunOperations(ctx,
				ops.CreateTable{Table: customer(email)},
				ops.AlterColumn{Table: "customer", Column: "email", Nullable: &notNull, Existing: &email},
				ops.CreateUniqueConstraint{Table: "customer", Unique: schema.Unique("uq_customer_email", "email")},
			)
			if err != nil {
				t.Fatal(err)
			}
			db, err := env.Inspect(ctx, "customer")
			if err != nil {
				t.Fatal(err)
			}
			got := db.Table("", "customer")
			if c, _ := got.Column("email"); c.Nullable || len(got.Uniques) != 1 {
				t.Errorf("customer %+v", got)
			}
			err = env.RunOperations(ctx, ops.DropTable{Table: "customer"}, ops.Execute{SQL: "SELECT * FROM nosuch"})
			if err == nil {
				t.Fatal("no error")
			}
			if db, _ := env.Inspect(ctx); db.Table("", "customer") == nil {
				t.Error("the failed run was not rolled back")
			}
		})
	}
}
