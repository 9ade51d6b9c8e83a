package script

import (
	"errors"
	"testing"

	"github.com/retortdb/retort/sqlsplit"
)

// TestMySQLSections splits a revision written for the mysql client: the
// DELIMITER lines stay inside their section, statement lines and errors
// are lines of the file.
func TestMySQLSections(t *testing.T) {
	t.Parallel()
	src := "-- Revision ID: a\n-- Revises:\n\n-- +retort upgrade\n" +
		"DELIMITER //\n" + // line 5
		"CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\n" +
		"DELIMITER ;\n" +
		"CALL p();\n" + // line 8
		"\n-- +retort downgrade\n" +
		"DELIMITER //\n" + // line 11
		"DROP PROCEDURE p\n" +
		"DELIMITER ;\n" // line 13: the DROP was never ended
	s, err := Parse("versions/a_x.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	up, err := s.UpgradeStatements(sqlsplit.MySQL)
	if err != nil {
		t.Fatal(err)
	}
	want := []sqlsplit.Statement{
		{SQL: "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END", Line: 6},
		{SQL: "CALL p()", Line: 8},
	}
	if len(up) != len(want) || up[0] != want[0] || up[1] != want[1] {
		t.Errorf("upgrade statements %+v, want %+v", up, want)
	}
	_, err = s.DowngradeStatements(sqlsplit.MySQL)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 13 || pe.Col != 1 {
		t.Fatalf("downgrade error %v, want a *ParseError at line 13", err)
	}
	const msg = "versions/a_x.sql:13:1: DELIMITER inside the statement that starts at line 12; end that statement with // first"
	if err.Error() != msg {
		t.Errorf("downgrade error\n %s\nwant\n %s", err, msg)
	}
}
