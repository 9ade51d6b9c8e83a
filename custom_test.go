package retort_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// addTimestamps is a custom operation whose SQL differs per dialect.
type addTimestamps struct {
	Table string
	Drop  bool
}

func (o addTimestamps) Describe() string {
	if o.Drop {
		return "drop timestamps from " + o.Table
	}
	return "add timestamps to " + o.Table
}

func (o addTimestamps) Reverse() (ops.Operation, error) {
	o.Drop = !o.Drop
	return o, nil
}

func (o addTimestamps) RenderSQL(d dialect.Dialect) ([]string, error) {
	t := "ALTER TABLE " + d.QuoteIdent(o.Table)
	if o.Drop {
		return []string{t + " DROP COLUMN created_at"}, nil
	}
	switch d.Name() {
	case "postgres":
		return []string{t + " ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()"}, nil
	case "sqlite":
		return []string{t + " ADD COLUMN created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP"}, nil
	}
	return nil, &dialect.UnsupportedError{Op: o.Describe(), Table: o.Table, Dialect: d.Name()}
}

// customRegistry creates a table, then runs custom operations (roles
// only on PostgreSQL) whose downgrade is their reverse.
func customRegistry(role string) *retort.Registry {
	changes := ops.Sequence{addTimestamps{Table: "customer"}}
	if role != "" {
		changes = append(changes, CreateRole{Name: role}, GrantSelect{Table: "customer", Role: role})
	}
	reg := &retort.Registry{}
	reg.Add(retort.Migration{
		Revision: "c1",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			return op.CreateTable("customer", schema.Column("id", schema.BigInt, schema.PrimaryKey()))
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error { return op.DropTable("customer") },
	})
	reg.Add(retort.Migration{
		Revision: "c2", Revises: []string{"c1"},
		Upgrade:   func(ctx context.Context, op *retort.Op) error { return op.Run(changes) },
		Downgrade: func(ctx context.Context, op *retort.Op) error { return op.Revert(changes...) },
	})
	return reg
}

func hasColumn(t testing.TB, db *sql.DB, backend, table, column string) bool {
	t.Helper()
	q := `SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`
	if backend == "sqlite" {
		q = `SELECT count(*) FROM pragma_table_info($1) WHERE name = $2`
	}
	var n int
	if err := db.QueryRowContext(t.Context(), q, table, column).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// Custom operations run online like the built-ins, and on downgrade
// op.Revert runs their Reverse: the column, the grant and the role go.
func TestCustomOperation(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			url := b.url(t)
			role := ""
			if b.name == "postgres" {
				// Roles belong to the server, not the test's database.
				role = "retort_test_" + strings.ToLower(rand.Text()[:10])
			}
			cfg := writeProject(t, t.TempDir(), url, nil, "")
			env := open(t, cfg, retort.WithRegistry(customRegistry(role)))
			db := dbtest.Open(t, url)
			ctx := t.Context()
			if role != "" {
				t.Cleanup(func() {
					db.ExecContext(context.WithoutCancel(ctx), `DROP OWNED BY `+role)
					db.ExecContext(context.WithoutCancel(ctx), `DROP ROLE IF EXISTS `+role)
				})
			}
			roleState := func() (exists, reads bool) {
				t.Helper()
				if role == "" {
					return false, false
				}
				if err := db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM pg_roles WHERE rolname = $1`, role).Scan(&exists); err != nil {
					t.Fatal(err)
				}
				if exists {
					if err := db.QueryRowContext(ctx, `SELECT has_table_privilege($1, 'customer', 'SELECT')`, role).Scan(&reads); err != nil {
						t.Fatal(err)
					}
				}
				return exists, reads
			}

			if err := env.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if !hasColumn(t, db, b.name, "customer", "created_at") {
				t.Error("upgrade did not add created_at")
			}
			if exists, reads := roleState(); role != "" && (!exists || !reads) {
				t.Errorf("after upgrade role exists %v, reads customer %v", exists, reads)
			}

			if err := env.Downgrade(ctx, "-1"); err != nil {
				t.Fatal(err)
			}
			if hasColumn(t, db, b.name, "customer", "created_at") {
				t.Error("downgrade left created_at")
			}
			if exists, _ := roleState(); exists {
				t.Error("downgrade left the role")
			}
			if err := env.Downgrade(ctx, "base"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A custom operation the dialect cannot do fails offline and online
// with its own error, naming the revision.
func TestCustomOperationUnsupported(t *testing.T) {
	cfg := writeProject(t, t.TempDir(), "sqlite:///never.db", nil, "")
	env := open(t, cfg, retort.WithRegistry(customRegistry("reporting")))
	var buf bytes.Buffer
	_, err := env.SQL(t.Context(), &buf, retort.Request{Kind: retort.Upgrade, Target: "head"}, nil)
	ue, ok := errors.AsType[*dialect.UnsupportedError](err)
	if !ok || ue.Op != "create role reporting" || ue.Dialect != "sqlite" {
		t.Fatalf("error = %v, want the custom op's UnsupportedError", err)
	}
	if !strings.Contains(err.Error(), "revision c2") {
		t.Errorf("error %q does not name revision c2", err)
	}
}
