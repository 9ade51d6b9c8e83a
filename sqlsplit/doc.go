// Package sqlsplit owns cutting SQL scripts into statements; it does not
// run or parse them.
//
// [Split] is one lexer whose dialect features are switched by [Options]
// ([Postgres], [SQLite] and [MySQL] are ready-made sets). It splits on the
// semicolons that end statements and knows every place where a semicolon
// does not: quoted strings and identifiers, comments, PostgreSQL dollar
// quoting, MySQL's backslash escapes and /*! */ comments, and the bodies
// of triggers, functions, procedures and events (SQLite, MySQL, and
// PostgreSQL's BEGIN ATOMIC), so scripts need no markers around a body.
//
// Block bodies are recognised only where one can start: after the name
// and parameter list of a CREATE TRIGGER, FUNCTION, PROCEDURE, EVENT or
// (MariaDB) AGGREGATE FUNCTION statement, or at BEGIN ATOMIC (and
// MariaDB's BEGIN NOT ATOMIC). A plain "BEGIN;" is a statement of its
// own, and a parameter or object named begin opens nothing. Inside a
// body, BEGIN and CASE open a level and END closes one, while END IF,
// END LOOP, END WHILE, END REPEAT and END FOR close constructs that are
// not counted.
//
// With [Options.CompoundStatements] (MySQL) the bodies are followed
// statement by statement: BEGIN, IF, CASE, LOOP, WHILE, REPEAT and FOR
// open a construct where a statement starts (so IF(), REPEAT(), IF EXISTS,
// FOR UPDATE and columns named begin or end do not), labels and
// DECLARE ... HANDLER FOR bodies are understood, a body may be one bare
// compound statement (a trigger FOR EACH ROW IF ... END IF), and an END
// that does not match what it closes is an error. A routine whose bare
// compound body follows RETURNS <type> with no characteristic in between
// is not recognised; such a statement, or any the tracker cannot follow,
// can be put between DELIMITER lines.
//
// With [Options.DelimiterCommand] (MySQL) the mysql client's DELIMITER
// command works as in that client: "DELIMITER //" on a line of its own
// makes // end statements and ';' plain text until "DELIMITER ;", and the
// pieces between are what the mysql client would send, with no body
// tracking.
//
// Unterminated strings, identifiers, comments, dollar quotes and blocks
// and malformed DELIMITER lines are reported as a [*SyntaxError] pointing
// at the line and column where the construct opened.
package sqlsplit
