package sqlsplit

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestSplitMySQL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts Options
		src  string
		want []Statement
	}{
		// DELIMITER.
		{"delimiter block", MySQL, "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\nDELIMITER ;\nSELECT 3;",
			[]Statement{st(2, "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END"), st(4, "SELECT 3")}},
		{"delimiter glued to a word", MySQL, "DELIMITER $$\nCREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END$$\nDELIMITER ;",
			[]Statement{st(2, "CREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END")}},
		{"delimiter made of letters cuts inside a word", MySQL, "delimiter go\nSELECT 1 AS ago SELECT 2go\ndelimiter ;\n",
			[]Statement{st(2, "SELECT 1 AS a"), st(2, "SELECT 2")}},
		{"semicolon before the delimiter is kept", MySQL, "DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END;$$\nDELIMITER ;",
			[]Statement{st(2, "CREATE PROCEDURE p() BEGIN SELECT 1; END;")}},
		{"semicolons are plain under another delimiter", MySQL, "DELIMITER ;;\nSELECT 1; SELECT 2;;\nDELIMITER ;\n",
			[]Statement{st(2, "SELECT 1; SELECT 2")}},
		{"delimiter inside strings and comments", MySQL, "DELIMITER //\nSELECT '//', \"//\", `//` /* // */ -- //\n# //\n, 1//\nDELIMITER ;",
			[]Statement{st(2, "SELECT '//', \"//\", `//` /* // */ -- //\n# //\n, 1")}},
		{"quoted delimiter", MySQL, "DELIMITER 'a b'\nSELECT 1a b SELECT 2a b\nDELIMITER \"x\"\nSELECT 3x\nDELIMITER `;`\nSELECT 4;",
			[]Statement{st(2, "SELECT 1"), st(2, "SELECT 2"), st(4, "SELECT 3"), st(6, "SELECT 4")}},
		{"command case and indentation", MySQL, "  dElImItEr\t|  \t\nSELECT 1|\n\tDelimiter ; -- back\nSELECT 2",
			[]Statement{st(2, "SELECT 1"), st(4, "SELECT 2")}},
		{"comment lines before the command", MySQL, "-- x\n/* y */\n# z\nDELIMITER //\nSELECT 1//",
			[]Statement{st(5, "SELECT 1")}},
		{"last statement needs no delimiter", MySQL, "DELIMITER //\nSELECT 1//\nSELECT 2\n",
			[]Statement{st(2, "SELECT 1"), st(3, "SELECT 2")}},
		{"delimiter as a column name", MySQL, "CREATE TABLE t (\n  delimiter CHAR(1),\n  DELIMITER VARCHAR(3)\n);",
			[]Statement{st(1, "CREATE TABLE t (\n  delimiter CHAR(1),\n  DELIMITER VARCHAR(3)\n)")}},
		{"crlf delimiter lines", MySQL, "DELIMITER //\r\nSELECT 1//\r\nDELIMITER ;\r\nSELECT 2;\r\n",
			[]Statement{st(2, "SELECT 1"), st(4, "SELECT 2")}},
		{"no tracking under another delimiter", MySQL, "DELIMITER //\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a = end; END//",
			[]Statement{st(2, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a = end; END")}},
		{"delimiter is a word elsewhere", Postgres, "DELIMITER //\nSELECT 1;", []Statement{st(1, "DELIMITER //\nSELECT 1")}},

		// Bodies without DELIMITER.
		{"trigger with a bare IF body", MySQL, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW\nIF NEW.a < 0 THEN\n  SET NEW.a = IF(NEW.b, 0, 1);\nELSEIF NEW.a > 9 THEN\n  IF NEW.b THEN SET NEW.a = 9; END IF;\nELSE\n  DROP TEMPORARY TABLE IF EXISTS tmp;\nEND IF;\nSELECT 1;",
			[]Statement{st(1, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW\nIF NEW.a < 0 THEN\n  SET NEW.a = IF(NEW.b, 0, 1);\nELSEIF NEW.a > 9 THEN\n  IF NEW.b THEN SET NEW.a = 9; END IF;\nELSE\n  DROP TEMPORARY TABLE IF EXISTS tmp;\nEND IF"), st(9, "SELECT 1")}},
		{"trigger with a parenthesised IF", MySQL, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW IF (NEW.a IS NULL) THEN SET NEW.a = 0; END IF; X",
			[]Statement{st(1, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW IF (NEW.a IS NULL) THEN SET NEW.a = 0; END IF"), st(1, "X")}},
		{"trigger with a simple body using IF()", MySQL, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = IF(NEW.a, 1, 0); X",
			[]Statement{st(1, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = IF(NEW.a, 1, 0)"), st(1, "X")}},
		{"trigger order clause", MySQL, "CREATE TRIGGER t2 BEFORE INSERT ON x FOR EACH ROW PRECEDES t1 CASE NEW.a WHEN 1 THEN SET NEW.b = 1; ELSE BEGIN END; END CASE; X",
			[]Statement{st(1, "CREATE TRIGGER t2 BEFORE INSERT ON x FOR EACH ROW PRECEDES t1 CASE NEW.a WHEN 1 THEN SET NEW.b = 1; ELSE BEGIN END; END CASE"), st(1, "X")}},
		{"trigger named begin", MySQL, "CREATE TRIGGER begin BEFORE INSERT ON x FOR EACH ROW SET @a = 1; X",
			[]Statement{st(1, "CREATE TRIGGER begin BEFORE INSERT ON x FOR EACH ROW SET @a = 1"), st(1, "X")}},
		{"trigger if not exists with a label", MySQL, "CREATE TRIGGER IF NOT EXISTS t AFTER DELETE ON x FOR EACH ROW lbl: BEGIN LEAVE lbl; END lbl; X",
			[]Statement{st(1, "CREATE TRIGGER IF NOT EXISTS t AFTER DELETE ON x FOR EACH ROW lbl: BEGIN LEAVE lbl; END lbl"), st(1, "X")}},
		{"begin and end as column names in a body", MySQL, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN\n  SELECT MAX(begin), MIN(end) INTO @b, @e FROM x;\n  SET NEW.begin = begin + end;\nEND; X",
			[]Statement{st(1, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN\n  SELECT MAX(begin), MIN(end) INTO @b, @e FROM x;\n  SET NEW.begin = begin + end;\nEND"), st(4, "X")}},
		{"procedure parameter named begin", MySQL, "CREATE PROCEDURE p(IN begin INT, OUT end INT) BEGIN SET end = begin; END; X",
			[]Statement{st(1, "CREATE PROCEDURE p(IN begin INT, OUT end INT) BEGIN SET end = begin; END"), st(1, "X")}},
		{"procedure named begin", MySQL, "CREATE PROCEDURE begin() SELECT 1; X", []Statement{st(1, "CREATE PROCEDURE begin() SELECT 1"), st(1, "X")}},
		{"definer and if not exists", MySQL, "CREATE OR REPLACE DEFINER=`a`@`%` PROCEDURE IF NOT EXISTS db.p() BEGIN SELECT 1; END; X",
			[]Statement{st(1, "CREATE OR REPLACE DEFINER=`a`@`%` PROCEDURE IF NOT EXISTS db.p() BEGIN SELECT 1; END"), st(1, "X")}},
		{"procedure with a bare loop", MySQL, "CREATE PROCEDURE p(INOUT k INT) MODIFIES SQL DATA\nl: LOOP SET k = k + 1; IF k > 9 THEN LEAVE l; END IF; END LOOP l; X",
			[]Statement{st(1, "CREATE PROCEDURE p(INOUT k INT) MODIFIES SQL DATA\nl: LOOP SET k = k + 1; IF k > 9 THEN LEAVE l; END IF; END LOOP l"), st(2, "X")}},
		{"procedure with a bare while", MySQL, "CREATE PROCEDURE p() WHILE @a < 3 DO SET @a = @a + 1; END WHILE; X",
			[]Statement{st(1, "CREATE PROCEDURE p() WHILE @a < 3 DO SET @a = @a + 1; END WHILE"), st(1, "X")}},
		{"procedure with a commented repeat", MySQL, "CREATE PROCEDURE p() COMMENT 'x;' REPEAT SET @a = @a + 1; UNTIL @a > REPEAT('1', 2) END REPEAT; X",
			[]Statement{st(1, "CREATE PROCEDURE p() COMMENT 'x;' REPEAT SET @a = @a + 1; UNTIL @a > REPEAT('1', 2) END REPEAT"), st(1, "X")}},
		{"select for update is no loop", MySQL, "CREATE PROCEDURE p() SELECT a FROM t WHERE b IN (1) FOR UPDATE; X",
			[]Statement{st(1, "CREATE PROCEDURE p() SELECT a FROM t WHERE b IN (1) FOR UPDATE"), st(1, "X")}},
		{"function returning IF()", MySQL, "CREATE FUNCTION f(v INT) RETURNS INT DETERMINISTIC RETURN IF(v < 0, 0, v); X",
			[]Statement{st(1, "CREATE FUNCTION f(v INT) RETURNS INT DETERMINISTIC RETURN IF(v < 0, 0, v)"), st(1, "X")}},
		{"function returning CASE", MySQL, "CREATE FUNCTION f(v INT) RETURNS INT RETURN CASE WHEN v THEN 1 ELSE 0 END; X",
			[]Statement{st(1, "CREATE FUNCTION f(v INT) RETURNS INT RETURN CASE WHEN v THEN 1 ELSE 0 END"), st(1, "X")}},
		{"aggregate function", MySQL, "CREATE AGGREGATE FUNCTION f(x INT) RETURNS INT\nBEGIN\n  DECLARE s INT DEFAULT 0;\n  DECLARE CONTINUE HANDLER FOR NOT FOUND RETURN s;\n  LOOP\n    FETCH GROUP NEXT ROW;\n    SET s = s + x;\n  END LOOP;\nEND;\nX",
			[]Statement{st(1, "CREATE AGGREGATE FUNCTION f(x INT) RETURNS INT\nBEGIN\n  DECLARE s INT DEFAULT 0;\n  DECLARE CONTINUE HANDLER FOR NOT FOUND RETURN s;\n  LOOP\n    FETCH GROUP NEXT ROW;\n    SET s = s + x;\n  END LOOP;\nEND"), st(10, "X")}},
		{"postgres aggregate has no body", Postgres, "CREATE AGGREGATE a (int) (sfunc = f, stype = int); BEGIN; X",
			[]Statement{st(1, "CREATE AGGREGATE a (int) (sfunc = f, stype = int)"), st(1, "BEGIN"), st(1, "X")}},
		{"postgres parameter named begin", Postgres, "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT $1;\nEND;\nX",
			[]Statement{st(1, "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT $1;\nEND"), st(5, "X")}},
		{"postgres trigger calling begin()", Postgres, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION begin(); X",
			[]Statement{st(1, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION begin()"), st(1, "X")}},
		{"handlers with compound bodies", MySQL, "CREATE PROCEDURE p() BEGIN\n  DECLARE c CURSOR FOR SELECT 1;\n  DECLARE EXIT HANDLER FOR SQLSTATE VALUE '23000', 1062, my_cond IF @a THEN RESIGNAL; END IF;\n  DECLARE CONTINUE HANDLER FOR SQLWARNING BEGIN END;\n  SELECT 1;\nEND; X",
			[]Statement{st(1, "CREATE PROCEDURE p() BEGIN\n  DECLARE c CURSOR FOR SELECT 1;\n  DECLARE EXIT HANDLER FOR SQLSTATE VALUE '23000', 1062, my_cond IF @a THEN RESIGNAL; END IF;\n  DECLARE CONTINUE HANDLER FOR SQLWARNING BEGIN END;\n  SELECT 1;\nEND"), st(6, "X")}},
		{"case expression with IF() in a branch", MySQL, "CREATE PROCEDURE p() BEGIN SELECT CASE WHEN a THEN IF(b, 1, 2) ELSE IF(c, 3, 4) END FROM t; END; X",
			[]Statement{st(1, "CREATE PROCEDURE p() BEGIN SELECT CASE WHEN a THEN IF(b, 1, 2) ELSE IF(c, 3, 4) END FROM t; END"), st(1, "X")}},
		{"mariadb for loop", MySQL, "CREATE PROCEDURE p() BEGIN FOR i IN 1..3 DO SELECT i; END FOR; FOR r IN (SELECT 1 AS a) DO SELECT r.a; END FOR; END; X",
			[]Statement{st(1, "CREATE PROCEDURE p() BEGIN FOR i IN 1..3 DO SELECT i; END FOR; FOR r IN (SELECT 1 AS a) DO SELECT r.a; END FOR; END"), st(1, "X")}},
		{"event with a bare IF", MySQL, "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO IF @a THEN DELETE FROM t; END IF; X",
			[]Statement{st(1, "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO IF @a THEN DELETE FROM t; END IF"), st(1, "X")}},
		{"event with a simple body", MySQL, "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO SELECT IF(1, 2, 3); X",
			[]Statement{st(1, "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO SELECT IF(1, 2, 3)"), st(1, "X")}},
		{"anonymous block", MySQL, "BEGIN NOT ATOMIC\n  IF 1 THEN SELECT 1; END IF;\nEND;\nX",
			[]Statement{st(1, "BEGIN NOT ATOMIC\n  IF 1 THEN SELECT 1; END IF;\nEND"), st(4, "X")}},
		{"mysqldump trigger in executable comments", MySQL, "/*!50003 CREATE*/ /*!50017 DEFINER=`a`@`%`*/ /*!50003 TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a = 1; END */;\nX",
			[]Statement{st(1, "/*!50003 CREATE*/ /*!50017 DEFINER=`a`@`%`*/ /*!50003 TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a = 1; END */"), st(2, "X")}},
		{"mariadb executable comment", MySQL, "/*M!100500 SET @a = 1 */;\nX", []Statement{st(1, "/*M!100500 SET @a = 1 */"), st(2, "X")}},
		{"mariadb-dump sandbox line is a comment", MySQL, "/*M!999999\\- enable the sandbox mode */\n/*!40101 SET NAMES utf8mb4 */;",
			[]Statement{st(2, "/*!40101 SET NAMES utf8mb4 */")}},
		{"begin work stays two statements", MySQL, "BEGIN WORK; SELECT 1; COMMIT;", []Statement{st(1, "BEGIN WORK"), st(1, "SELECT 1"), st(1, "COMMIT")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Split(tt.src, tt.opts)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q)\n got  %+v\nwant %+v", tt.src, got, tt.want)
			}
		})
	}
}

func TestSplitMySQLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		{"delimiter without argument", "SELECT 1;\nDELIMITER\nSELECT 2;", 2, 1, "DELIMITER must be followed by the new delimiter"},
		{"delimiter without a space", "delimiter//\nSELECT 1//", 1, 1, "must be followed by a space"},
		{"delimiter with a backslash", "DELIMITER \\\\\n", 1, 1, "cannot contain a backslash"},
		{"delimiter too long", "DELIMITER 'abcdefghijklmnop'\n", 1, 1, "at most 15 bytes"},
		{"delimiter quote unterminated", "DELIMITER 'ab\nSELECT 1", 1, 11, "unterminated quoted delimiter"},
		{"delimiter empty quotes", "DELIMITER ''", 1, 1, "must be followed by the new delimiter"},
		{"delimiter after a statement on its line", "SELECT 1; DELIMITER //\n", 1, 11, "must start its own line"},
		{"delimiter after a comment on its line", "/* x */ DELIMITER //\n", 1, 9, "must start its own line"},
		{"text after the delimiter", "DELIMITER // CREATE PROCEDURE p() SELECT 1//\n", 1, 14, "text after the delimiter"},
		{"statement left unended", "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END\nDELIMITER ;\nSELECT 2;", 3, 1,
			"DELIMITER inside the statement that starts at line 2; end that statement with // first"},
		{"END IF closing a BEGIN", "CREATE PROCEDURE p() BEGIN\n  SELECT 1;\nEND IF;", 3, 1, "END IF does not close the BEGIN opened at line 1; close that BEGIN with END; if the statement is right"},
		{"END closing an IF", "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW IF 1 THEN SET @a = 1; END;", 1, 72, "END does not close the IF opened at line 1; close that IF with END IF"},
		{"END closing a CASE statement", "CREATE PROCEDURE p() BEGIN CASE WHEN 1 THEN SELECT 1; END; END;", 1, 55, "close that CASE with END CASE"},
		{"END LOOP closing a WHILE", "CREATE PROCEDURE p() BEGIN WHILE 1 DO SELECT 1; END LOOP; END;", 1, 49, "END LOOP does not close the WHILE"},
		{"unterminated IF", "SELECT 1;\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW\n  IF 1 THEN SET @a = 1;", 3, 3, "unterminated IF opened here; close it with END IF; if the statement is right as it is, put it between DELIMITER"},
		{"unterminated body", "CREATE PROCEDURE p() BEGIN SELECT 1;", 1, 22, "unterminated BEGIN ... END block opened here; close it with END"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Split(tt.src, MySQL)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Split(%q) = %+v, %v; want a *SyntaxError", tt.src, got, err)
			}
			if se.Line != tt.line || se.Col != tt.col || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("got %d:%d %q, want %d:%d containing %q", se.Line, se.Col, se.Msg, tt.line, tt.col, tt.msg)
			}
		})
	}
}

func TestTokensDelimiter(t *testing.T) {
	t.Parallel()
	got, err := Tokens("DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\nSELECT 2;", MySQL)
	want := []string{"DELIMITER", "//", "CREATE", "PROCEDURE", "p", "(", ")", "BEGIN", "SELECT", "1", ";", "END", "//",
		"DELIMITER", ";", "SELECT", "2", ";"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Tokens = %q, %v; want %q", got, err, want)
	}
	a, _ := Canonical("DELIMITER //\nSELECT 1//", MySQL)
	b, _ := Canonical("DELIMITER $$\nSELECT 1$$", MySQL)
	if a == b {
		t.Errorf("a change of delimiter leaves the canonical form %q unchanged", a)
	}
}

func TestSplitFrom(t *testing.T) {
	t.Parallel()
	got, err := SplitFrom("SELECT 1;\n\nSELECT 2;", 10, MySQL)
	if want := []Statement{st(10, "SELECT 1"), st(12, "SELECT 2")}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("SplitFrom = %+v, %v; want %+v", got, err, want)
	}
	_, err = SplitFrom("SELECT 1;\nCREATE PROCEDURE p() BEGIN\n  SELECT 1;\nEND IF;", 10, MySQL)
	const want = "line 13, column 1: END IF does not close the BEGIN opened at line 11;"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("SplitFrom error %v, want prefix %q", err, want)
	}
}
