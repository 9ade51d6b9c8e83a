package sqlsplit

import (
	"errors"
	"strings"
	"testing"
)

// every enables every feature at once, so that the fuzzer also meets
// their interplay (dollar quotes under a DELIMITER, say).
var every = Options{
	DollarQuotes: true, EscapeStrings: true, Backticks: true, BackslashEscapes: true, NestedComments: true,
	HashComments: true, ExecutableComments: true, DashCommentSpace: true, DelimiterCommand: true, CompoundStatements: true,
}

// fuzzModes are the option sets FuzzSplit picks from.
var fuzzModes = [...]Options{Postgres, SQLite, MySQL, all, every}

// fuzzSeeds reach every lexer state: each kind of string, comment and
// quote, dollar quoting, block bodies, the DELIMITER command and MySQL's
// compound statements, and the errors of each.
var fuzzSeeds = []string{
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
	"/*M!100500 SET @a = 1 */; /*M!999999\\- enable the sandbox mode */\nX",
	"SELECT $$a;b$$, $fn$ $$ ; $fn$, $1; X",
	"CREATE FUNCTION f() LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN a THEN 1 END; END; X",
	"CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET a = new.end; END; X",
	"CREATE PROCEDURE p() l: BEGIN IF a THEN BEGIN END; END IF; LOOP LEAVE l; END LOOP; CASE a WHEN 1 THEN SELECT 1; END CASE; END l; X",
	"BEGIN; SELECT 1; COMMIT;",
	"BEGIN NOT ATOMIC IF 1 THEN SELECT 1; END IF; END; X",
	"SELECT 'unterminated",
	"SELECT $tag$ unterminated",
	"/* unterminated",
	"CREATE TRIGGER t BEGIN SELECT 1;",
	"SELECT 'é';\r\nSELECT 2;",
	// The DELIMITER command.
	"DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\nX;",
	"delimiter $$\nSELECT 1$$ SELECT 'a$$b' /* $$ */ -- $$\n$$\nDelimiter ; # back\nX",
	"DELIMITER 'a b'\nSELECT 1a b\nDELIMITER \"x\"\nSELECT 2x\nDELIMITER `;;`\nSELECT 3;;",
	"DELIMITER go\nSELECT ago\n",
	"DELIMITER\n",
	"DELIMITER \\\\\n",
	"DELIMITER 'abcdefghijklmnop'\n",
	"DELIMITER 'ab\n",
	"SELECT 1; DELIMITER //\n",
	"DELIMITER // trailing\n",
	"delimiter//\n",
	"DELIMITER //\nSELECT 1\nDELIMITER ;\n",
	"CREATE TABLE t (\n delimiter CHAR(1)\n);",
	// MySQL compound statements.
	"CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW IF NEW.a THEN SET NEW.b = IF(1, 2, 3); ELSEIF 1 THEN SELECT 1; ELSE DROP TABLE IF EXISTS y; END IF; X",
	"CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW FOLLOWS u lbl: BEGIN LEAVE lbl; END lbl; X",
	"CREATE DEFINER=CURRENT_USER TRIGGER IF NOT EXISTS begin AFTER UPDATE ON x FOR EACH ROW SET @a = 1; X",
	"CREATE PROCEDURE p(IN begin INT) NOT DETERMINISTIC SQL SECURITY INVOKER COMMENT 'c' l: LOOP SET @a = begin; END LOOP l; X",
	"CREATE PROCEDURE p() WHILE 1 DO REPEAT SET @a = 1; UNTIL REPEAT('a', 2) END REPEAT; END WHILE; X",
	"CREATE PROCEDURE p() BEGIN FOR i IN 1..3 DO SELECT i; END FOR; SELECT a FROM t FOR UPDATE; END; X",
	"CREATE PROCEDURE p() BEGIN DECLARE EXIT HANDLER FOR SQLSTATE VALUE '1', NOT FOUND, 1062, c IF 1 THEN RESIGNAL; END IF; END; X",
	"CREATE PROCEDURE p() BEGIN SELECT CASE WHEN a THEN IF(1, 2, 3) ELSE begin END, end FROM t; CASE WHEN 1 THEN BEGIN END; END CASE; END; X",
	"CREATE FUNCTION f() RETURNS INT DETERMINISTIC RETURN IF(1, 2, 3); X",
	"CREATE AGGREGATE FUNCTION f(x INT) RETURNS INT BEGIN LOOP FETCH GROUP NEXT ROW; END LOOP; END; X",
	"CREATE AGGREGATE a (int) (sfunc = f); X",
	"CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO IF 1 THEN SELECT 1; END IF; X",
	"CREATE PROCEDURE p() BEGIN SELECT 1; END IF;",
	"CREATE PROCEDURE p() BEGIN WHILE 1 DO SELECT 1; END LOOP; END;",
	"CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW IF 1 THEN SET @a = 1;",
	"/*!50003 CREATE*/ /*!50017 DEFINER=`a`@`%`*/ /*!50003 TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a = 1; END */;; X",
}

// FuzzSplit checks that Split never panics, and that what it returns is
// consistent with its input: statements are non-empty, trimmed pieces of
// src in order, their lines exist, and each splits back to itself (under
// the DELIMITER that was in force when it was cut).
func FuzzSplit(f *testing.F) {
	for _, s := range fuzzSeeds {
		for mode := range uint8(len(fuzzModes)) {
			f.Add(s, mode)
		}
	}
	f.Fuzz(func(t *testing.T, src string, mode uint8) {
		opts := fuzzModes[int(mode)%len(fuzzModes)]
		sc, err := split(src, 1, opts)
		if err != nil {
			var se *SyntaxError
			if !asSyntaxError(err, &se) || se.Line < 1 || se.Line > strings.Count(src, "\n")+1 || se.Col < 1 {
				t.Fatalf("error %v does not point inside the input", err)
			}
			return
		}
		lines := strings.Count(src, "\n") + 1
		pos := 0
		for i, s := range sc.out {
			if s.SQL == "" || strings.Trim(s.SQL, " \t\r\n\f\v") != s.SQL {
				t.Fatalf("statement %q is empty or untrimmed", s.SQL)
			}
			if s.Line < 1 || s.Line > lines {
				t.Fatalf("statement %q has line %d outside 1..%d", s.SQL, s.Line, lines)
			}
			j := strings.Index(src[pos:], s.SQL)
			if j < 0 {
				t.Fatalf("statement %q is not in the input after offset %d", s.SQL, pos)
			}
			pos += j + len(s.SQL)
			delim := ""
			if i < len(sc.delims) {
				delim = sc.delims[i]
			}
			resplit(t, s.SQL, delim, opts)
		}
	})
}

// resplit checks that stmt, cut while delim was the delimiter, splits to
// itself again.
func resplit(t *testing.T, stmt, delim string, opts Options) {
	t.Helper()
	src, line := stmt, 1
	if delim != "" && delim != defaultDelimiter {
		arg := delim
		if strings.ContainsAny(delim, " \t\r\f\v'\"`") {
			q := ""
			for _, c := range []string{"'", `"`, "`"} {
				if !strings.Contains(delim, c) {
					q = c
					break
				}
			}
			if q == "" {
				return // no way to write this delimiter again
			}
			arg = q + delim + q
		}
		src, line = "DELIMITER "+arg+"\n"+stmt, 2
	}
	again, err := Split(src, opts)
	if err != nil || len(again) != 1 || again[0].SQL != stmt || again[0].Line != line {
		t.Fatalf("statement %q (delimiter %q) splits again to %+v, %v", stmt, delim, again, err)
	}
}

func asSyntaxError(err error, target **SyntaxError) bool { return errors.As(err, target) }
