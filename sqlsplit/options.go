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
}
