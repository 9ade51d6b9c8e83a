package sqlsplit

import "fmt"

// SyntaxError reports input that cannot be split, such as a string or
// comment that is never closed. Line and Col (1-based; Col counts
// characters) point at where the unterminated construct opened.
type SyntaxError struct {
	// Line is the 1-based line of the construct.
	Line int
	// Col is the 1-based column, in characters, of the construct.
	Col int
	// Msg says what is wrong and how to fix it.
	Msg string
}

// Error renders the error as "line L, column C: message".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}
