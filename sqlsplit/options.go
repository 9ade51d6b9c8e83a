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
	// ExecutableComments treats MySQL /*! ... */ comments as statement
	// text, so that a statement made only of one is kept, as mysqldump
	// output needs.
	ExecutableComments bool
	// DashCommentSpace makes "--" start a comment only when followed by
	// white space or a control character, as in MySQL, where 1--1 is
	// arithmetic.
	DashCommentSpace bool
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
	// escapes, # comments, /*! */ executable comments and "-- " comments.
	MySQL = Options{Backticks: true, BackslashEscapes: true, HashComments: true, ExecutableComments: true, DashCommentSpace: true}
)
