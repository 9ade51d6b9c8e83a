package sqlsplit_test

import (
	"fmt"

	"github.com/retortdb/retort/sqlsplit"
)

func ExampleSplit() {
	src := `-- a table and a function with a semicolon-laden body
CREATE TABLE t (id INT);
CREATE FUNCTION f() RETURNS int LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO t VALUES (1);
  SELECT count(*) FROM t;
END;
BEGIN;
`
	stmts, err := sqlsplit.Split(src, sqlsplit.Postgres)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range stmts {
		fmt.Printf("line %d: %.30q\n", s.Line, s.SQL)
	}
	// Output:
	// line 2: "CREATE TABLE t (id INT)"
	// line 3: "CREATE FUNCTION f() RETURNS in"
	// line 8: "BEGIN"
}

func ExampleSyntaxError() {
	_, err := sqlsplit.Split("SELECT 1;\nSELECT $fn$ oops", sqlsplit.Postgres)
	fmt.Println(err)
	// Output:
	// line 2, column 8: unterminated dollar-quoted string $fn$ opened here; close it with $fn$
}

func ExampleSplit_mysql() {
	src := `CREATE TRIGGER stock_bi BEFORE INSERT ON stock FOR EACH ROW
IF NEW.qty < 0 THEN
  SET NEW.qty = 0;
END IF;

DELIMITER //
CREATE PROCEDURE restock(IN n INT)
BEGIN
  UPDATE stock SET qty = qty + n;
  INSERT INTO stock_log (msg) VALUES ('restocked');
END//
DELIMITER ;
CALL restock(3);
`
	stmts, err := sqlsplit.Split(src, sqlsplit.MySQL)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range stmts {
		fmt.Printf("line %d: %.34q\n", s.Line, s.SQL)
	}
	// Output:
	// line 1: "CREATE TRIGGER stock_bi BEFORE INS"
	// line 7: "CREATE PROCEDURE restock(IN n INT)"
	// line 13: "CALL restock(3)"
}
