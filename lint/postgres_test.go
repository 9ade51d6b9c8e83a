package lint_test

import (
	"slices"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/lint"
)

// TestTypeRewritePostgres pins column-type-rewrite to the server: each
// ALTER COLUMN ... TYPE runs on PostgreSQL, which rewrites the table
// exactly when the table's relfilenode changes, and the rule (with the
// column types read from the server) must report exactly those; without
// them it reports every type change.
func TestTypeRewritePostgres(t *testing.T) {
	db := dbtest.Open(t, dbtest.Postgres(t))
	for _, c := range []struct {
		name     string
		sql      string
		rewrites bool
	}{
		{"int to bigint", "ALTER TABLE t ALTER COLUMN a TYPE bigint", true},
		{"varchar widen", "ALTER TABLE t ALTER COLUMN v TYPE varchar(40)", false},
		{"varchar unbounded", "ALTER TABLE t ALTER v TYPE character varying", false},
		{"varchar to text", "ALTER TABLE t ALTER COLUMN v SET DATA TYPE text", false},
		{"varchar shrink", "ALTER TABLE t ALTER COLUMN v TYPE varchar(10)", true},
		{"text to varchar", "ALTER TABLE t ALTER COLUMN x TYPE varchar", false},
		{"text to int", "ALTER TABLE t ALTER COLUMN x TYPE int USING length(x)", true},
		{"numeric precision", "ALTER TABLE t ALTER COLUMN n TYPE numeric(14,2)", false},
		{"numeric scale", "ALTER TABLE t ALTER COLUMN n TYPE numeric(12,3)", true},
		{"numeric unconstrained", "ALTER TABLE t ALTER COLUMN n TYPE decimal", false},
		{"same type", "ALTER TABLE t ALTER COLUMN a TYPE int4", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, fs := withServerTypes(t, db, lint.Postgres, c.sql, lint.TypeRewrite,
				"DROP TABLE IF EXISTS t",
				"CREATE TABLE t (id int PRIMARY KEY, a int, v varchar(20), x text, n numeric(10,2))",
				"INSERT INTO t VALUES (1, 1, 'v', 'x', 1.5)")
			node := func() (n int64) {
				if err := db.QueryRowContext(t.Context(), "SELECT relfilenode FROM pg_class WHERE oid = 't'::regclass").Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := node()
			if _, err := db.ExecContext(t.Context(), c.sql); err != nil {
				t.Fatalf("%s: %v", c.sql, err)
			}
			if rewrote := node() != before; rewrote != c.rewrites {
				t.Fatalf("PostgreSQL: %s rewrites the table: %v; the case says %v", c.sql, rewrote, c.rewrites)
			}
			if got != c.rewrites {
				t.Errorf("%s with the column types: findings %v, want column-type-rewrite %v", c.sql, fs, c.rewrites)
			}
			if ids := lint.RulesOf(t, lint.Postgres, lint.Script{SQL: c.sql}); !slices.Contains(ids, lint.TypeRewrite) {
				t.Errorf("%s offline: rules %v, want column-type-rewrite", c.sql, ids)
			}
		})
	}
}
