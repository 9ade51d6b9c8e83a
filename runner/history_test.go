package runner

import (
	"context"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/sqlsplit"
)

// TestLeavesVersionRows pins which revision bodies are recorded without
// re-checking the version table on MySQL: DDL only, naming no table
// called like the version table, with no SELECT or VALUES.
func TestLeavesVersionRows(t *testing.T) {
	t.Parallel()
	sqlBody := func(stmts ...string) Body {
		b := &SQLBody{}
		for _, s := range stmts {
			b.Statements = append(b.Statements, sqlsplit.Statement{SQL: s})
		}
		return b
	}
	tests := []struct {
		name string
		d    dialect.Dialect
		body Body
		want bool
	}{
		{"ddl", mysql.Dialect{}, sqlBody("CREATE TABLE t (id INT)", "CREATE INDEX ix ON t (id)", "ALTER TABLE t ADD c INT", "DROP TABLE u"), true},
		{"no statements", mysql.Dialect{}, sqlBody(), true},
		{"comment first", mysql.Dialect{}, sqlBody("-- why\nCREATE TABLE t (id INT)"), true},
		{"dml", mysql.Dialect{}, sqlBody("CREATE TABLE t (id INT)", "INSERT INTO t VALUES (1)"), false},
		{"call", mysql.Dialect{}, sqlBody("CALL p()"), false},
		{"create table select", mysql.Dialect{}, sqlBody("CREATE TABLE t AS SELECT f() AS x"), false},
		{"values", mysql.Dialect{}, sqlBody("CREATE TABLE t (id INT) PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN MAXVALUE)"), false},
		{"names the version table", mysql.Dialect{}, sqlBody("CREATE TABLE t LIKE `alembic_version`"), false},
		{"names it in capitals", mysql.Dialect{}, sqlBody("CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW DELETE FROM ALEMBIC_VERSION"), false},
		{"temporary table", mysql.Dialect{}, sqlBody("CREATE TEMPORARY TABLE t (id INT)"), false},
		{"executable comment", mysql.Dialect{}, sqlBody("/*!50000 INSERT INTO t VALUES (1) */"), false},
		{"go migration", mysql.Dialect{}, &goBodyStub{}, false},
		{"no implicit commits (postgres)", postgres.Dialect{}, sqlBody("CREATE TABLE t (id INT)"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &Runner{Dialect: tt.d, Table: dialect.Ident{Name: "alembic_version"}}
			if got := r.leavesVersionRows(tt.body); got != tt.want {
				t.Errorf("leavesVersionRows = %v, want %v", got, tt.want)
			}
		})
	}
}

type goBodyStub struct{}

func (*goBodyStub) Run(context.Context, Executor) error { return nil }
