package lint_test

import (
	"database/sql"
	"slices"
	"testing"

	"github.com/retortdb/retort/lint"
)

// withServerTypes runs setup on db, then lints stmt alone for eng with
// the column types read from db, and reports whether rule is among the
// findings (all returned) before stmt runs anywhere.
func withServerTypes(t *testing.T, db *sql.DB, eng lint.Engine, stmt, rule string, setup ...string) (bool, []lint.Finding) {
	t.Helper()
	for _, s := range setup {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	fs, err := lint.CheckWith(eng, []lint.Script{{SQL: stmt}}, lint.Options{Columns: lint.ColumnTypes(t.Context(), db, eng)})
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(fs, func(f lint.Finding) bool { return f.Rule == rule }), fs
}
