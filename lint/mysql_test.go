package lint_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/lint"
)

// TestTableCopyMariaDB pins the table-copy rule to the server: each
// ALTER TABLE runs on MariaDB with ALGORITHM=INPLACE appended, which the
// server refuses exactly when the statement would copy the table, and
// the rule must report exactly those.
func TestTableCopyMariaDB(t *testing.T) {
	db := dbtest.Open(t, dbtest.MySQL(t))
	for _, c := range []struct {
		name  string
		sql   string
		copes bool // the server copies the table
	}{
		{"type change", "ALTER TABLE t MODIFY a bigint", true},
		{"change type", "ALTER TABLE t CHANGE a a2 varchar(10)", true},
		{"charset", "ALTER TABLE t CONVERT TO CHARACTER SET latin1", true},
		{"order by", "ALTER TABLE t ORDER BY a", true},
		{"drop primary key", "ALTER TABLE t DROP PRIMARY KEY", true},
		{"foreign key", "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id)", true},
		{"stored column", "ALTER TABLE t ADD COLUMN g int AS (a + 1) STORED", true},
		{"partition", "ALTER TABLE t PARTITION BY HASH (id) PARTITIONS 2", true},
		{"add column", "ALTER TABLE t ADD COLUMN d int", false},
		{"add column not null default", "ALTER TABLE t ADD COLUMN d int NOT NULL DEFAULT 0", false},
		{"drop column", "ALTER TABLE t DROP COLUMN a", false},
		{"add index", "ALTER TABLE t ADD INDEX ia (a)", false},
		{"rename column", "ALTER TABLE t RENAME COLUMN a TO a2", false},
		{"set default", "ALTER TABLE t ALTER COLUMN a SET DEFAULT 3", false},
		{"virtual column", "ALTER TABLE t ADD COLUMN v int AS (a + 1) VIRTUAL", false},
		{"replace primary key", "ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, a)", false},
		// MODIFY and CHANGE: the column's current type decides.
		{"enum append", "ALTER TABLE t MODIFY c enum('x','y','z')", false},
		{"enum reorder", "ALTER TABLE t MODIFY c enum('y','x')", true},
		{"set append", "ALTER TABLE t MODIFY s set('p','q','r')", false},
		{"varchar widen", "ALTER TABLE t MODIFY b varchar(60)", false},
		{"varchar past 255 bytes", "ALTER TABLE t MODIFY b varchar(100)", false}, // MariaDB; MySQL copies
		{"varchar shrink", "ALTER TABLE t MODIFY b varchar(10)", true},
		{"same type new default", "ALTER TABLE t MODIFY a int NOT NULL DEFAULT 5", false},
		{"display width", "ALTER TABLE t MODIFY COLUMN a INT(11) NOT NULL", false},
		{"rename same type", "ALTER TABLE t CHANGE a a2 int NOT NULL", false},
		{"drop not null", "ALTER TABLE t MODIFY a int NULL", false},
		{"charset named", "ALTER TABLE t MODIFY b varchar(20) CHARACTER SET latin1", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			// With the column types read from the server, the rule says
			// what the server does.
			got, fs := withServerTypes(t, db, lint.MySQL, c.sql, lint.TableCopy,
				"DROP TABLE IF EXISTS t", "DROP TABLE IF EXISTS p",
				"CREATE TABLE p (id int PRIMARY KEY) ENGINE=InnoDB",
				"CREATE TABLE t (id int PRIMARY KEY, a int NOT NULL, b varchar(20), c enum('x','y'), s set('p','q')) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
				"INSERT INTO p VALUES (1)", "INSERT INTO t VALUES (1, 1, 'b', 'x', 'p')")
			if got != c.copes {
				t.Errorf("%s with the column types: findings %v, table-copy %v, want %v", c.sql, fs, got, c.copes)
			}
			// ALGORITHM first: ORDER BY and partitioning must come last.
			sep := ", "
			if strings.Contains(c.sql, "PARTITION BY") {
				sep = " "
			}
			inplace := strings.Replace(c.sql, "ALTER TABLE t ", "ALTER TABLE t ALGORITHM=INPLACE"+sep, 1)
			_, err := db.ExecContext(t.Context(), inplace)
			var me *mysql.MySQLError
			refused := errors.As(err, &me) && (me.Number == 1845 || me.Number == 1846)
			if err != nil && !refused {
				t.Fatalf("%s: %v", c.sql, err)
			}
			if refused != c.copes {
				t.Fatalf("MariaDB: %s copies the table: %v (%v); the case says %v", c.sql, refused, err, c.copes)
			}
			// Without them, every MODIFY and CHANGE may copy.
			ids := lint.RulesOf(t, lint.MySQL, lint.Script{SQL: c.sql})
			modify := strings.Contains(c.sql, " MODIFY ") || strings.Contains(c.sql, " CHANGE ")
			if got := slices.Contains(ids, lint.TableCopy); got != (c.copes || modify) {
				t.Errorf("%s offline: rules %v, table-copy %v, want %v", c.sql, ids, got, c.copes || modify)
			}
			// The safe form the rule names: the same statement with
			// ALGORITHM=INPLACE is never reported.
			if ids := lint.RulesOf(t, lint.MySQL, lint.Script{SQL: inplace}); slices.Contains(ids, lint.TableCopy) {
				t.Errorf("%s with ALGORITHM=INPLACE: %v", c.sql, ids)
			}
			if c.copes && !strings.Contains(rule(lint.TableCopy).Safe[lint.MySQL], "ALGORITHM=INPLACE") {
				t.Errorf("safe pattern %q names no ALGORITHM", rule(lint.TableCopy).Safe[lint.MySQL])
			}
		})
	}
}

func rule(id string) lint.Rule {
	r, _ := lint.RuleByID(id)
	return r
}
