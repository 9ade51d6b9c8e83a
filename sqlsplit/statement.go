package sqlsplit

// Statement is one SQL statement cut from a script, without its
// terminating semicolon, with the line where it starts.
type Statement struct {
	// SQL is the statement text, trimmed of surrounding white space and
	// of the terminating ';'. Comments inside the statement are kept.
	SQL string
	// Line is the 1-based line in the input where the statement's first
	// non-blank, non-comment character is.
	Line int
}
