package sqlsplit

import (
	"strings"
	"testing"
)

// FuzzSplit checks that Split never panics, and that what it returns is
// consistent with its input: statements are non-empty, trimmed pieces of
// src in order, their lines exist, and each splits back to itself.
func FuzzSplit(f *testing.F) {
	seeds := []string{
		"",
		"SELECT 1; SELECT 2",
		"SELECT 'a;''b'; X",
		`SELECT E'a\';b'; X`,
		`SELECT "a;""b"; X`,
		"SELECT `a;``b`; X",
		`SELECT 'a\';b', "c\";d"; X`,
		"SELECT 1 -- c;\n; X",
		"SELECT 1 # c;\n; X",
		"SELECT 1--1; SELECT 2 --\tc;\n; X",
		"SELECT /* a /* b */ ; */ 1; X",
		"/*!40101 SET NAMES utf8 */; X",
		"SELECT $$a;b$$, $fn$ $$ ; $fn$, $1; X",
		"CREATE FUNCTION f() LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN a THEN 1 END; END; X",
		"CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET a = new.end; END; X",
		"CREATE PROCEDURE p() l: BEGIN IF a THEN BEGIN END; END IF; LOOP LEAVE l; END LOOP; CASE a WHEN 1 THEN SELECT 1; END CASE; END l; X",
		"BEGIN; SELECT 1; COMMIT;",
		"BEGIN NOT ATOMIC SELECT 1; END; X",
		"SELECT 'unterminated",
		"SELECT $tag$ unterminated",
		"/* unterminated",
		"CREATE TRIGGER t BEGIN SELECT 1;",
		"SELECT 'é';\r\nSELECT 2;",
	}
	for _, s := range seeds {
		for mode := range uint8(4) {
			f.Add(s, mode)
		}
	}
	f.Fuzz(func(t *testing.T, src string, mode uint8) {
		opts := [...]Options{Postgres, SQLite, MySQL, all}[mode%4]
		stmts, err := Split(src, opts)
		if err != nil {
			if stmts != nil {
				t.Fatalf("statements returned with error %v", err)
			}
			return
		}
		lines := strings.Count(src, "\n") + 1
		pos := 0
		for _, s := range stmts {
			if s.SQL == "" || strings.Trim(s.SQL, " \t\r\n\f\v") != s.SQL {
				t.Fatalf("statement %q is empty or untrimmed", s.SQL)
			}
			if s.Line < 1 || s.Line > lines {
				t.Fatalf("statement %q has line %d outside 1..%d", s.SQL, s.Line, lines)
			}
			i := strings.Index(src[pos:], s.SQL)
			if i < 0 {
				t.Fatalf("statement %q is not in the input after offset %d", s.SQL, pos)
			}
			pos += i + len(s.SQL)
			again, err := Split(s.SQL, opts)
			if err != nil || len(again) != 1 || again[0].SQL != s.SQL || again[0].Line != 1 {
				t.Fatalf("statement %q splits again to %+v, %v", s.SQL, again, err)
			}
		}
	})
}
