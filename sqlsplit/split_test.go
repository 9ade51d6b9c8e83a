package sqlsplit

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/fault"
)

// all enables every feature, for cases that do not depend on a dialect.
var all = Options{DollarQuotes: true, EscapeStrings: true, Backticks: true, NestedComments: true, HashComments: true}

func st(line int, sql string) Statement { return Statement{SQL: sql, Line: line} }

func TestSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts Options
		src  string
		want []Statement
	}{
		{"empty", all, "", nil},
		{"only blanks and comments", all, "  \n-- x;\n/* y; */\n# z;\n;;\n", nil},
		{"one without semicolon", all, "SELECT 1", []Statement{st(1, "SELECT 1")}},
		{"two", all, "SELECT 1;\nSELECT 2;\n", []Statement{st(1, "SELECT 1"), st(2, "SELECT 2")}},
		{"trimmed and line of first token", all, "\n\n  -- lead\n  /* c */ SELECT\n  1 -- trail\n;",
			[]Statement{st(4, "SELECT\n  1")}},
		{"interior comments kept", all, "SELECT 1 /* ; */ + -- ;\n 2;",
			[]Statement{st(1, "SELECT 1 /* ; */ + -- ;\n 2")}},
		{"empty statements dropped", all, ";;SELECT 1;;", []Statement{st(1, "SELECT 1")}},
		{"single quotes", all, "SELECT 'a;b', 'it''s;';SELECT 2", []Statement{st(1, "SELECT 'a;b', 'it''s;'"), st(1, "SELECT 2")}},
		{"single quote spans lines", all, "SELECT 'a\n;\nb';\nX", []Statement{st(1, "SELECT 'a\n;\nb'"), st(4, "X")}},
		{"double quoted identifier", all, `SELECT "a;""b";X`, []Statement{st(1, `SELECT "a;""b"`), st(1, "X")}},
		{"comment markers inside strings", all, "SELECT '--', '/*', \"#\";X", []Statement{st(1, `SELECT '--', '/*', "#"`), st(1, "X")}},
		{"backslash is plain in standard strings", Postgres, `SELECT 'a\';X`, []Statement{st(1, `SELECT 'a\'`), st(1, `X`)}},
		{"escape string", Postgres, `SELECT E'a\';b';X`, []Statement{st(1, `SELECT E'a\';b'`), st(1, "X")}},
		{"escape string lower e", Postgres, `SELECT e'\\';X`, []Statement{st(1, `SELECT e'\\'`), st(1, "X")}},
		{"escape string first token", Postgres, `E'a;';X`, []Statement{st(1, `E'a;'`), st(1, "X")}},
		{"word ending in e is not an escape string", Postgres, `SELECT typee'a\';X`, []Statement{st(1, `SELECT typee'a\'`), st(1, `X`)}},
		{"backslash escapes", MySQL, `SELECT 'a\';b', "c\";d";X`, []Statement{st(1, `SELECT 'a\';b', "c\";d"`), st(1, "X")}},
		{"backticks", MySQL, "SELECT `a;``b`;X", []Statement{st(1, "SELECT `a;``b`"), st(1, "X")}},
		{"backticks off", Postgres, "SELECT `a;b`", []Statement{st(1, "SELECT `a"), st(1, "b`")}},
		{"line comment at end", all, "SELECT 1; -- bye", []Statement{st(1, "SELECT 1")}},
		{"block comment", all, "SELECT /* a;\n b */ 1;X", []Statement{st(1, "SELECT /* a;\n b */ 1"), st(2, "X")}},
		{"nested comments", Postgres, "SELECT /* a /* b */ ; */ 1;X", []Statement{st(1, "SELECT /* a /* b */ ; */ 1"), st(1, "X")}},
		{"unnested comments", MySQL, "SELECT /* a /* b */ 1;X", []Statement{st(1, "SELECT /* a /* b */ 1"), st(1, "X")}},
		{"dash comment needs a space in mysql", MySQL, "SELECT 1--1;SELECT 2 --\tx;\n;X--", []Statement{st(1, "SELECT 1--1"), st(1, "SELECT 2"), st(2, "X--")}},
		{"dash comment without space elsewhere", Postgres, "SELECT 1--1;\n;X", []Statement{st(1, "SELECT 1"), st(2, "X")}},
		{"hash comments", MySQL, "SELECT 1 # x;\n;X", []Statement{st(1, "SELECT 1"), st(2, "X")}},
		{"hash is an operator in postgres", Postgres, "SELECT 1 # 2;X", []Statement{st(1, "SELECT 1 # 2"), st(1, "X")}},
		{"executable comment kept", MySQL, "/*!40101 SET NAMES utf8 */;\nX", []Statement{st(1, "/*!40101 SET NAMES utf8 */"), st(2, "X")}},
		{"executable comment dropped elsewhere", SQLite, "/*!40101 SET NAMES utf8 */;\nX", []Statement{st(2, "X")}},
		{"dollar quotes", Postgres, "SELECT $$a;'b$$;X", []Statement{st(1, "SELECT $$a;'b$$"), st(1, "X")}},
		{"tagged dollar quotes", Postgres, "CREATE FUNCTION f() RETURNS int AS $fn$\nBEGIN\n RETURN $$;$$;\nEND;\n$fn$ LANGUAGE plpgsql;\nX",
			[]Statement{st(1, "CREATE FUNCTION f() RETURNS int AS $fn$\nBEGIN\n RETURN $$;$$;\nEND;\n$fn$ LANGUAGE plpgsql"), st(6, "X")}},
		{"parameters are not dollar quotes", Postgres, "SELECT $1, $2;SELECT $a", []Statement{st(1, "SELECT $1, $2"), st(1, "SELECT $a")}},
		{"dollar in identifier", Postgres, "SELECT a$b$c;X", []Statement{st(1, "SELECT a$b$c"), st(1, "X")}},
		{"dollar quotes off", MySQL, "SELECT $$;$$", []Statement{st(1, "SELECT $$"), st(1, "$$")}},
		{"plain BEGIN transaction", all, "BEGIN;\nSELECT 1;\nCOMMIT;", []Statement{st(1, "BEGIN"), st(2, "SELECT 1"), st(3, "COMMIT")}},
		{"begin work", MySQL, "BEGIN WORK; END;", []Statement{st(1, "BEGIN WORK"), st(1, "END")}},
		{"begin atomic", Postgres, "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 1 ELSE 2 END;\nEND;\nX",
			[]Statement{st(1, "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 1 ELSE 2 END;\nEND"), st(6, "X")}},
		{"begin atomic procedure lower case", Postgres, "create procedure p(a int) language sql begin atomic insert into t values (a); insert into t values (a); end; x",
			[]Statement{st(1, "create procedure p(a int) language sql begin atomic insert into t values (a); insert into t values (a); end"), st(1, "x")}},
		{"begin atomic outside create", Postgres, "BEGIN ATOMIC SELECT 1; END; X", []Statement{st(1, "BEGIN ATOMIC SELECT 1; END"), st(1, "X")}},
		{"begin not atomic", MySQL, "BEGIN NOT ATOMIC SELECT 1; END; X", []Statement{st(1, "BEGIN NOT ATOMIC SELECT 1; END"), st(1, "X")}},
		{"sqlite trigger", SQLite, "CREATE TRIGGER tr AFTER INSERT ON t\nWHEN CASE WHEN new.a THEN 1 END\nBEGIN\n  UPDATE t SET b = CASE WHEN a THEN 1 ELSE 0 END;\n  INSERT INTO log VALUES (new.begin, new.end);\nEND;\nCREATE TABLE x (a);",
			[]Statement{st(1, "CREATE TRIGGER tr AFTER INSERT ON t\nWHEN CASE WHEN new.a THEN 1 END\nBEGIN\n  UPDATE t SET b = CASE WHEN a THEN 1 ELSE 0 END;\n  INSERT INTO log VALUES (new.begin, new.end);\nEND"), st(7, "CREATE TABLE x (a)")}},
		{"temp trigger", SQLite, "create temp trigger if not exists tr before delete on t begin select raise(abort, 'no'); end; x",
			[]Statement{st(1, "create temp trigger if not exists tr before delete on t begin select raise(abort, 'no'); end"), st(1, "x")}},
		{"mysql trigger without body", MySQL, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1; X",
			[]Statement{st(1, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1"), st(1, "X")}},
		{"mysql procedure", MySQL, "CREATE DEFINER=`root`@`localhost` PROCEDURE p(IN n INT)\nmain: BEGIN\n  DECLARE i INT DEFAULT 0;\n  IF n > 0 THEN\n    SET i = IF(n > 1, 2, 1);\n  ELSEIF n < 0 THEN\n    BEGIN\n      SELECT 1;\n    END;\n  END IF;\n  lbl: LOOP\n    SET i = i + 1;\n    IF i > n THEN LEAVE lbl; END IF;\n  END LOOP lbl;\n  WHILE i > 0 DO SET i = i - 1; END WHILE;\n  REPEAT SET i = i + 1; UNTIL i > 3 END REPEAT;\n  CASE i WHEN 1 THEN SELECT 1; ELSE BEGIN END; END CASE;\n  DROP TABLE IF EXISTS tmp;\nEND main;\nSELECT 2;",
			[]Statement{st(1, "CREATE DEFINER=`root`@`localhost` PROCEDURE p(IN n INT)\nmain: BEGIN\n  DECLARE i INT DEFAULT 0;\n  IF n > 0 THEN\n    SET i = IF(n > 1, 2, 1);\n  ELSEIF n < 0 THEN\n    BEGIN\n      SELECT 1;\n    END;\n  END IF;\n  lbl: LOOP\n    SET i = i + 1;\n    IF i > n THEN LEAVE lbl; END IF;\n  END LOOP lbl;\n  WHILE i > 0 DO SET i = i - 1; END WHILE;\n  REPEAT SET i = i + 1; UNTIL i > 3 END REPEAT;\n  CASE i WHEN 1 THEN SELECT 1; ELSE BEGIN END; END CASE;\n  DROP TABLE IF EXISTS tmp;\nEND main"), st(20, "SELECT 2")}},
		{"mysql function", MySQL, "CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC\nBEGIN\n  RETURN CASE WHEN x > 0 THEN x ELSE -x END;\nEND;\nSELECT f(1);",
			[]Statement{st(1, "CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC\nBEGIN\n  RETURN CASE WHEN x > 0 THEN x ELSE -x END;\nEND"), st(5, "SELECT f(1)")}},
		{"mysql function without body", MySQL, "CREATE FUNCTION f() RETURNS INT RETURN 1; SELECT 1",
			[]Statement{st(1, "CREATE FUNCTION f() RETURNS INT RETURN 1"), st(1, "SELECT 1")}},
		{"mysql event", MySQL, "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM a; DELETE FROM b; END; X",
			[]Statement{st(1, "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM a; DELETE FROM b; END"), st(1, "X")}},
		{"words inside a table do not open bodies", all, "CREATE TABLE t (function int, begin int); BEGIN; X",
			[]Statement{st(1, "CREATE TABLE t (function int, begin int)"), st(1, "BEGIN"), st(1, "X")}},
		{"keywords are whole words", all, "CREATE TRIGGER_LOG; BEGINS; X", []Statement{st(1, "CREATE TRIGGER_LOG"), st(1, "BEGINS"), st(1, "X")}},
		{"keywords in strings and comments", SQLite, "CREATE TRIGGER t AFTER INSERT ON x /* BEGIN */ BEGIN SELECT 'END;'; -- END;\nEND; X",
			[]Statement{st(1, "CREATE TRIGGER t AFTER INSERT ON x /* BEGIN */ BEGIN SELECT 'END;'; -- END;\nEND"), st(2, "X")}},
		{"case outside a body", all, "SELECT CASE WHEN a THEN 1 END; X", []Statement{st(1, "SELECT CASE WHEN a THEN 1 END"), st(1, "X")}},
		{"crlf", all, "SELECT 1;\r\nSELECT 2;\r\n", []Statement{st(1, "SELECT 1"), st(2, "SELECT 2")}},
		{"utf8", all, "SELECT 'héllo;'; SELECT naïve;", []Statement{st(1, "SELECT 'héllo;'"), st(1, "SELECT naïve")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Split(tt.src, tt.opts)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			if tt.want == nil && len(got) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q)\n got  %+v\nwant %+v", tt.src, got, tt.want)
			}
		})
	}
}

func TestSplitErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		opts      Options
		src       string
		line, col int
		msg       string
	}{
		{"string", all, "SELECT 1;\nSELECT 'abc;", 2, 8, "unterminated string literal opened here; close it with '"},
		{"string ending in doubled quote", all, "SELECT 'a''", 1, 8, "unterminated string literal"},
		{"identifier", all, `SELECT "abc`, 1, 8, `unterminated quoted identifier opened here; close it with "`},
		{"backtick", MySQL, "SELECT `abc", 1, 8, "unterminated backtick identifier opened here; close it with `"},
		{"backslash at end", MySQL, `SELECT 'abc\`, 1, 8, "unterminated string literal"},
		{"escape string", Postgres, `SELECT E'abc\'`, 1, 9, "unterminated escape string E'"},
		{"comment", all, "SELECT 1;\n  /* abc", 2, 3, "unterminated /* comment opened here; close it with */"},
		{"nested comment", Postgres, "/* a /* b", 1, 1, "with comments nested inside"},
		{"dollar quote", Postgres, "SELECT 1;\n\nCREATE FUNCTION f() AS $fn$ BEGIN", 3, 24, "unterminated dollar-quoted string $fn$ opened here; close it with $fn$"},
		{"empty tag", Postgres, "SELECT $$abc", 1, 8, "unterminated dollar-quoted string $$ opened here; close it with $$"},
		{"block", SQLite, "SELECT 1;\nCREATE TRIGGER t AFTER INSERT ON x BEGIN\n SELECT 1;", 2, 36, "unterminated BEGIN ... END block opened here; close it with END"},
		{"nested block", MySQL, "CREATE PROCEDURE p() BEGIN BEGIN SELECT 1; END;", 1, 22, "unterminated BEGIN ... END block"},
		{"column counts characters", all, "SELECT 'é', 'abc", 1, 13, "unterminated string literal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Split(tt.src, tt.opts)
			if err == nil {
				t.Fatalf("Split(%q) = %+v, want an error", tt.src, got)
			}
			if got != nil {
				t.Errorf("Split returned statements with an error: %+v", got)
			}
			if !errors.Is(err, fault.ErrBadInput) {
				t.Errorf("error %v is not bad input", err)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *SyntaxError", err)
			}
			if se.Line != tt.line || se.Col != tt.col || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("got %d:%d %q, want %d:%d containing %q", se.Line, se.Col, se.Msg, tt.line, tt.col, tt.msg)
			}
		})
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := Split("\n\n\n\n\n\n\n\n\n\n\n    SELECT $fn$", Postgres)
	want := "line 12, column 12: unterminated dollar-quoted string $fn$ opened here; close it with $fn$"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestCanonical(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b string
		opts Options
		same bool
	}{
		{"whitespace", "CREATE TABLE t (id INT)", "CREATE   TABLE\n\tt(id INT )", Postgres, true},
		{"comments", "SELECT 1 -- one\n+ /* two */ 2", "SELECT 1+2", Postgres, true},
		{"nested comment", "SELECT /* a /* b */ c */ 1", "SELECT 1", Postgres, true},
		{"string content", "SELECT 'a  b'", "SELECT 'a b'", Postgres, false},
		{"comment in string", "SELECT '--x'", "SELECT ''", Postgres, false},
		{"dollar body", "SELECT $$ a  b $$", "SELECT $$ a b $$", Postgres, false},
		{"escape string", "SELECT E'\\n'", "SELECT '\\n'", Postgres, false},
		{"word split", "SELECT ab", "SELECT a b", SQLite, false},
		{"hash comment", "SELECT 1 # x\n", "SELECT 1", MySQL, true},
		{"executable comment", "/*!40101 SET x=1 */", "", MySQL, false},
		{"block body", "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1;  END", "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1 ; END", SQLite, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := Canonical(tt.a, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Canonical(tt.b, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if (a == b) != tt.same {
				t.Errorf("Canonical(%q) = %q, Canonical(%q) = %q; want same = %v", tt.a, a, tt.b, b, tt.same)
			}
		})
	}
	if _, err := Canonical("SELECT 'open", Postgres); err == nil {
		t.Error("unterminated string: no error")
	}
}
