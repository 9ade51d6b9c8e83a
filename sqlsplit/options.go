package sqlsplit

// Options tell the splitter which syntax the engine has.
type Options struct {
	// DollarQuotes enables PostgreSQL $$ and $tag$ strings.
	DollarQuotes bool
	// EscapeStrings enables PostgreSQL E'...' strings with backslash
	// escapes.
	EscapeStrings bool
	// Backticks enables MySQL `identifiers`.
	Backticks bool
	// BackslashEscapes makes a backslash escape the next character in
	// ordinary '...' and "..." strings (MySQL).
	BackslashEscapes bool
	// NestedComments lets /* */ comments nest (PostgreSQL).
	NestedComments bool
	// HashComments enables MySQL '#' line comments.
	HashComments bool
	// ExecutableComments treats MySQL /*! ... */ and MariaDB /*M! ... */
	// comments as statement text, so that a statement made only of one
	// is kept, as mysqldump output needs. A statement is never cut inside
	// one.
	ExecutableComments bool
	// DashCommentSpace makes "--" start a comment only when followed by
	// white space or a control character, as in MySQL, where 1--1 is
	// arithmetic.
	DashCommentSpace bool
	// DelimiterCommand obeys the mysql client's DELIMITER command: a line
	// "DELIMITER //" at the start of a statement makes // end statements
	// (anywhere outside strings and comments, as in END//) and ';' an
	// ordinary character, until "DELIMITER ;". The command's line is not
	// a statement. Between such lines no block tracking is done: each
	// piece is what the mysql client would send.
	DelimiterCommand bool
	// CompoundStatements follows MySQL's compound statements in the
	// bodies of triggers, routines and events: labels, IF ... END IF,
	// CASE ... END CASE, LOOP, WHILE, REPEAT and FOR ... END FOR, and a
	// body that is one of these without BEGIN (a trigger FOR EACH ROW
	// IF ... END IF). An END that does not match what it closes is an
	// error.
	CompoundStatements bool
}

// The option sets of the engines retort supports. Treat them as
// constants: copy one and change the copy if a project needs to.
var (
	// Postgres is PostgreSQL's syntax: dollar quoting, E'' strings and
	// nested comments.
	Postgres = Options{DollarQuotes: true, EscapeStrings: true, NestedComments: true}
	// SQLite is SQLite's syntax: standard strings and `identifiers`.
	SQLite = Options{Backticks: true}
	// MySQL is MySQL's and MariaDB's syntax: `identifiers`, backslash
	// escapes, # comments, /*! */ executable comments, "-- " comments,
	// the mysql client's DELIMITER command and compound statements.
	MySQL = Options{
		Backticks: true, BackslashEscapes: true, HashComments: true, ExecutableComments: true,
		DashCommentSpace: true, DelimiterCommand: true, CompoundStatements: true,
	}
)
