// Package sqlsplit owns cutting SQL scripts into statements; it does not
// run or parse them.
//
// [Split] is one lexer whose dialect features are switched by [Options]
// ([Postgres], [SQLite] and [MySQL] are ready-made sets). It splits on the
// semicolons that end statements and knows every place where a semicolon
// does not: quoted strings and identifiers, comments, PostgreSQL dollar
// quoting, and the BEGIN ... END bodies of triggers, functions and
// procedures (SQLite, MySQL, and PostgreSQL's BEGIN ATOMIC), so scripts
// need no markers around a function body.
//
// Block bodies are recognised only where one can start: after the header
// of a CREATE TRIGGER, FUNCTION, PROCEDURE or EVENT statement, or at
// BEGIN ATOMIC (and MariaDB's BEGIN NOT ATOMIC). A plain "BEGIN;" is a
// statement of its own. Inside a body, BEGIN and CASE open a level and
// END closes one, while END IF, END LOOP, END WHILE, END REPEAT and
// END FOR close constructs that are not counted.
//
// Unterminated strings, identifiers, comments, dollar quotes and blocks are
// reported as a [*SyntaxError] pointing at where the construct opened.
package sqlsplit
