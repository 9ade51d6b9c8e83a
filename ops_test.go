package retort_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// opsRegistry holds Go migrations written with operations: a table, a
// column, an index and rows, then one SQLite cannot do without batch
// mode when alter is set.
func opsRegistry(alter bool) *retort.Registry {
	reg := &retort.Registry{}
	reg.Add(retort.Migration{
		Revision: "a1", Message: "create customer",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			return op.CreateTable("customer",
				schema.Column("id", schema.BigInt, schema.PrimaryKey(), schema.GeneratedByDefault()),
				schema.Column("name", schema.Text, schema.NotNull()))
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error { return op.DropTable("customer") },
	})
	reg.Add(retort.Migration{
		Revision: "b2", Revises: []string{"a1"}, Message: "email",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			if err := op.AddColumn("customer", schema.Column("email", schema.Varchar(255))); err != nil {
				return err
			}
			if err := op.CreateIndex("customer", schema.UniqueIndex("uq_customer_email", "email")); err != nil {
				return err
			}
			return op.BulkInsert("customer", []string{"name", "email"}, []any{"Ann", "ann@example.com"}, []any{"O'Hara", nil})
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error {
			if err := op.DropIndex("customer", "uq_customer_email"); err != nil {
				return err
			}
			return op.DropColumn("customer", "email")
		},
	})
	if alter {
		reg.Add(retort.Migration{
			Revision: "c3", Revises: []string{"b2"}, Message: "email required",
			Upgrade: func(ctx context.Context, op *retort.Op) error {
				notNull := false
				return op.AlterColumn("customer", "email", ops.AlterColumn{Nullable: &notNull})
			},
		})
	}
	return reg
}

// A Go migration using operations runs through Open and Upgrade on each
// backend and downgrades back to nothing.
func TestGoMigrationOps(t *testing.T) {
	for _, b := range allBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			url := b.url(t)
			cfg := writeProject(t, t.TempDir(), url, nil, "")
			env := open(t, cfg, retort.WithRegistry(opsRegistry(false)))
			ctx := t.Context()
			if err := env.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			db := dbtest.Open(t, url)
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM customer WHERE email IS NULL AND name = 'O''Hara'`).Scan(&n); err != nil || n != 1 {
				t.Fatalf("rows = %d, %v", n, err)
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO customer (name, email) VALUES ('Dup', 'ann@example.com')`); err == nil {
				t.Fatal("unique index missing")
			}
			if err := env.Downgrade(ctx, "base"); err != nil {
				t.Fatal(err)
			}
			if tableExists(t, db, b.name, "customer") {
				t.Fatal("customer survived downgrade to base")
			}
		})
	}
}

// Operations render, so a Go migration that uses them works under --sql.
func TestGoMigrationOpsOffline(t *testing.T) {
	cfg := writeProject(t, t.TempDir(), "sqlite:///never.db", nil, "")
	env := open(t, cfg, retort.WithRegistry(opsRegistry(false)))
	var buf bytes.Buffer
	if _, err := env.SQL(t.Context(), &buf, retort.Request{Kind: retort.Upgrade, Target: "head"}, nil); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT`,
		`ALTER TABLE "customer" ADD COLUMN "email" VARCHAR(255);`,
		`CREATE UNIQUE INDEX "uq_customer_email" ON "customer" ("email");`,
		`('O''Hara', NULL)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("offline script lacks %q:\n%s", want, out)
		}
	}
}

// An operation SQLite cannot do fails naming the revision, the
// operation, the table and batch mode.
func TestGoMigrationOpsUnsupported(t *testing.T) {
	cfg := writeProject(t, t.TempDir(), "sqlite:///never.db", nil, "")
	env := open(t, cfg, retort.WithRegistry(opsRegistry(true)))
	var buf bytes.Buffer
	_, err := env.SQL(t.Context(), &buf, retort.Request{Kind: retort.Upgrade, Target: "head"}, nil)
	ue, ok := errors.AsType[*dialect.UnsupportedError](err)
	if !ok {
		t.Fatalf("error = %v, want *dialect.UnsupportedError", err)
	}
	if ue.Dialect != "sqlite" || ue.Table != "customer" {
		t.Errorf("UnsupportedError = %+v", ue)
	}
	for _, want := range []string{"c3", "alter column email of customer", "op.BatchAlterTable"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
