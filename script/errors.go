package script

import "fmt"

// ParseError reports a malformed revision file: where, what, and what to
// do about it.
type ParseError struct {
	// File is the file's path in the fs.FS it was read from.
	File string
	// Line is the 1-based line at fault, or 0 for the whole file.
	Line int
	// Col is the 1-based column at fault, or 0 when not known.
	Col int
	// Msg says what is wrong.
	Msg string
	// Hint says what to do about it, if there is more to say.
	Hint string
	// Err is the underlying error, if any (a *sqlsplit.SyntaxError for
	// SQL that cannot be split, with lines counted in the file).
	Err error
}

// Error renders the error as "file:line[:col]: msg[; hint]".
func (e *ParseError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
		if e.Col > 0 {
			s += fmt.Sprintf(":%d", e.Col)
		}
	}
	s += ": " + e.Msg
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// Unwrap returns the underlying error, if any.
func (e *ParseError) Unwrap() error { return e.Err }
