package sqlsplit

import (
	"fmt"
	"strings"
)

// delimiter handles the word DELIMITER at src[start:end] when the
// DelimiterCommand option is on. When the word is the mysql client's
// command it sets s.delim, moves s.pos past the command's line and
// reports done; when it is an identifier inside a statement it reports
// neither done nor an error.
//
// Like the mysql client, the command is recognised only as the first word
// of a line and of a statement; its argument is the rest of the line up
// to white space, or a quoted string.
func (s *scanner) delimiter(start, end int) (done bool, err error) {
	src := s.src
	bol := strings.LastIndexByte(src[:start], '\n') + 1
	atLineStart := strings.Trim(src[bol:start], " \t") == ""
	eol := strings.IndexByte(src[end:], '\n')
	if eol < 0 {
		eol = len(src)
	} else {
		eol += end
	}
	if s.first >= 0 {
		// A column may be called delimiter; a line made of DELIMITER and
		// punctuation is the command after a statement left unended.
		if atLineStart && isDelimiterLine(s.commandPart(src[end:eol])) {
			return false, s.errorAt(start, fmt.Sprintf(
				"DELIMITER inside the statement that starts at line %d; end that statement with %s first",
				s.lineAt(s.first), s.current()))
		}
		return false, nil
	}
	if !atLineStart {
		return false, s.errorAt(start, "DELIMITER is a command of the mysql client and must start its own line")
	}
	p := end
	if p < eol && src[p] != ' ' && src[p] != '\t' {
		return false, s.errorAt(start, "DELIMITER must be followed by a space and the new delimiter, as in DELIMITER //")
	}
	for p < eol && (src[p] == ' ' || src[p] == '\t') {
		p++
	}
	var d string
	switch q := byteAt(src, p); {
	case p >= eol:
	case q == '\'' || q == '"' || q == '`':
		k := strings.IndexByte(src[p+1:eol], q)
		if k < 0 {
			return false, s.errorAt(p, "unterminated quoted delimiter opened here; close it with "+string(q))
		}
		d, p = src[p+1:p+1+k], p+k+2
	default:
		k := p
		for k < eol && !isSpace(src[k]) {
			k++
		}
		d, p = src[p:k], k
	}
	switch {
	case d == "":
		return false, s.errorAt(start, "DELIMITER must be followed by the new delimiter, as in DELIMITER //")
	case len(d) > maxDelimiter:
		return false, s.errorAt(start, fmt.Sprintf("a delimiter can be at most %d bytes long (the mysql client cuts longer ones); choose a shorter one, such as //", maxDelimiter))
	case strings.IndexByte(d, '\\') >= 0:
		return false, s.errorAt(start, "a delimiter cannot contain a backslash (the mysql client refuses it); choose another, such as //")
	}
	if rest := strings.TrimLeft(src[p:eol], " \t\r\f\v"); rest != "" && rest[0] != '#' &&
		!(strings.HasPrefix(rest, "--") && (len(rest) == 2 || isSpace(rest[2]))) {
		return false, s.errorAt(eol-len(rest), "text after the delimiter of a DELIMITER line, which the mysql client ignores; put it on a line of its own")
	}
	if s.collect {
		s.toks = append(s.toks, "DELIMITER", d)
	}
	s.delim = d
	s.pos = eol
	return true, nil
}

// maxDelimiter is the longest delimiter the mysql client keeps whole.
const maxDelimiter = 15

// commandPart cuts a line where a comment or the delimiter may start, so
// that it reads the same whether or not the statement around it kept its
// trailing comments.
func (s *scanner) commandPart(line string) string {
	cut := func(sep string) {
		if i := strings.Index(line, sep); i >= 0 {
			line = line[:i]
		}
	}
	cut(s.current())
	if s.opts.HashComments {
		cut("#")
	}
	cut("/*")
	cut("--")
	return line
}

// current is the delimiter that ends statements now.
func (s *scanner) current() string {
	if s.delim == "" {
		return defaultDelimiter
	}
	return s.delim
}

// isDelimiterLine reports whether the rest of a line after the word
// DELIMITER is white space, then one run of punctuation, then white space.
func isDelimiterLine(rest string) bool {
	if rest == "" || rest[0] != ' ' && rest[0] != '\t' {
		return false
	}
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; isWordByte(c) && c != '$' || isSpace(c) {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}
