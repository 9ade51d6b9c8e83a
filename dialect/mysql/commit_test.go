package mysql_test

import (
	"testing"

	"github.com/retortdb/retort/dialect/mysql"
)

func TestCommitsImplicitly(t *testing.T) {
	t.Parallel()
	d := mysql.Dialect{}
	for _, c := range []struct {
		stmt string
		want bool
	}{
		{"CREATE TABLE t (id INT)", true},
		{"  -- note\n/* x */ alter table t add column c int", true},
		{"DROP INDEX ix ON t", true},
		{"RENAME TABLE a TO b", true},
		{"TRUNCATE t", true},
		{"CREATE TEMPORARY TABLE t (id INT)", false},
		{"DROP TEMPORARY TABLE t", false},
		{"INSERT INTO t VALUES (1)", false},
		{"UPDATE t SET a = 1", false},
		{"DELETE FROM t", false},
		{"LOAD DATA INFILE 'x' INTO TABLE t", false},
		{"/*!40101 SET NAMES utf8 */", false},
		{"/*!50003 CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1 */", true},
		{"# only a comment", false},
		{"", false},
		{"SELECT 1", false},
	} {
		if got := d.CommitsImplicitly(c.stmt); got != c.want {
			t.Errorf("CommitsImplicitly(%q) = %v, want %v", c.stmt, got, c.want)
		}
	}
}
