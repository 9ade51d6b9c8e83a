package lint_test

import (
	"context"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/lint"
)

// TestSizeThresholds: against a real server, a size-aware rule reports
// the table above a small threshold and not the one below it.
func TestSizeThresholds(t *testing.T) {
	for _, c := range []struct {
		eng   lint.Engine
		url   func(testing.TB) string
		setup []string
		sql   string
	}{
		{lint.Postgres, dbtest.Postgres, []string{
			"CREATE TABLE big (a int)", "INSERT INTO big SELECT g FROM generate_series(1, 200) g",
			"CREATE TABLE small (a int)", "INSERT INTO small VALUES (1), (2), (3)",
			"ANALYZE big", "ANALYZE small",
		}, "CREATE INDEX bi ON big (a);\nCREATE INDEX si ON small (a);"},
		{lint.MySQL, dbtest.MySQL, []string{
			"CREATE TABLE big (a int) ENGINE=InnoDB",
			"INSERT INTO big WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 200) SELECT n FROM g",
			"CREATE TABLE small (a int) ENGINE=InnoDB", "INSERT INTO small VALUES (1), (2), (3)",
			"ANALYZE TABLE big", "ANALYZE TABLE small",
		}, "ALTER TABLE big MODIFY a bigint;\nALTER TABLE small MODIFY a bigint;"},
	} {
		t.Run(string(c.eng), func(t *testing.T) {
			db := dbtest.Open(t, c.url(t))
			ctx := context.Background()
			for _, s := range c.setup {
				if _, err := db.ExecContext(ctx, s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
			fs, err := lint.CheckWith(c.eng, []lint.Script{{File: "r.sql", SQL: c.sql}}, lint.Options{LargeRows: 50, Rows: lint.RowEstimates(ctx, db, c.eng)})
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 1 || fs[0].Table != "big" || !strings.Contains(fs[0].Risk, "rows") {
				t.Errorf("findings %+v, want one on big with its row count", fs)
			}
			// An unknown table: check the table size.
			fs, _ = lint.CheckWith(c.eng, []lint.Script{{SQL: "CREATE INDEX x ON nosuch (a); ALTER TABLE nosuch MODIFY a bigint"}}, lint.Options{LargeRows: 50, Rows: lint.RowEstimates(ctx, db, c.eng)})
			if len(fs) != 1 || !strings.Contains(fs[0].Risk, "check the table size") {
				t.Errorf("unknown table: %+v", fs)
			}
		})
	}
}
