package sqlsplit

import (
	"strings"

	"github.com/retortdb/retort/internal/fault"
)

// Tokens returns the significant tokens of src, as the same lexer that
// [Split] uses sees them: words, numbers, quoted strings and identifiers
// (whole, quotes included), dollar-quoted strings, punctuation one byte
// at a time, and semicolons. Comments and white space are not tokens
// (MySQL's /*! */ executable comments are, with ExecutableComments).
// Errors are those of Split.
func Tokens(src string, opts Options) ([]string, error) {
	s := &scanner{src: src, opts: opts, line1: 1, lnNo: 1, collect: true}
	s.reset()
	if err := s.run(); err != nil {
		return nil, fault.BadInput(err)
	}
	return s.toks, nil
}

// Canonical returns src's tokens joined by single spaces: two texts
// that differ only in comments and in the white space between tokens
// have the same canonical form. It is what revision checksums cover.
func Canonical(src string, opts Options) (string, error) {
	toks, err := Tokens(src, opts)
	if err != nil {
		return "", err
	}
	return strings.Join(toks, " "), nil
}
