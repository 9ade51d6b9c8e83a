package sqlsplit

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/retortdb/retort/internal/fault"
)

// Split cuts src into statements on the semicolons that end them, with
// the syntax that opts enables. Statements are trimmed, lose their
// terminating ';' and any comments before their first token or after
// their last one, and keep the comments inside them; statements made only
// of comments and white space are dropped.
//
// Unterminated constructs are reported as a [*SyntaxError] that also
// matches fault.ErrBadInput.
func Split(src string, opts Options) ([]Statement, error) {
	return SplitFrom(src, 1, opts)
}

// SplitFrom is [Split] for src that starts on line line of a file (a
// section of a revision file): statement lines, error lines and the lines
// that error messages name count from there.
func SplitFrom(src string, line int, opts Options) ([]Statement, error) {
	s, err := split(src, line, opts)
	if err != nil {
		return nil, err
	}
	return s.out, nil
}

// split runs the scanner over src, whose first line is line; tests read
// the delimiters it records.
func split(src string, line int, opts Options) (*scanner, error) {
	s := &scanner{src: src, opts: opts, line1: line, lnNo: line}
	s.reset()
	if err := s.run(); err != nil {
		return nil, fault.BadInput(err)
	}
	return s, nil
}

// defaultDelimiter ends statements until a DELIMITER command changes it.
const defaultDelimiter = ";"

// sandboxLine starts the first line of mariadb-dump's output since 10.5.25.
const sandboxLine = `/*M!999999\-`

// scanner is the lexer state for one Split call.
type scanner struct {
	src  string
	opts Options
	pos  int
	out  []Statement

	// Current statement: offsets of its first significant byte (-1 when
	// none yet) and of the end of its last significant token.
	first, last int

	blk block

	// delim is the statement delimiter set by the last DELIMITER command
	// ("" until one); a delimiter other than ";" ends statements wherever
	// it appears outside strings and comments, and turns off block
	// tracking, as in the mysql client. delims records, per statement in
	// out, the delimiter in force when it was cut ("" before the first
	// DELIMITER command; delims stays empty in input without one).
	delim  string
	delims []string

	// Lazy line counting: lnNo is the line at offset lnOff; line1 is the
	// line of offset 0.
	lnOff, lnNo, line1 int

	// collect, when set, makes token record every significant token in
	// toks (Tokens).
	collect bool
	toks    []string
}

func (s *scanner) reset() {
	s.first, s.last = -1, 0
	s.blk = block{compound: s.opts.CompoundStatements, stack: s.blk.stack[:0]}
}

// custom reports whether a DELIMITER command set a delimiter other than
// ";".
func (s *scanner) custom() bool { return s.delim != "" && s.delim != defaultDelimiter }

func (s *scanner) run() error {
	src := s.src
	for s.pos < len(src) {
		if s.blk.errMsg != "" {
			return s.errorAt(s.blk.errOff, fmt.Sprintf(s.blk.errMsg, s.lineAt(s.blk.errOpen)))
		}
		if s.custom() && strings.HasPrefix(src[s.pos:], s.delim) {
			if s.collect {
				s.toks = append(s.toks, s.delim)
			}
			s.emit()
			s.pos += len(s.delim)
			s.reset()
			continue
		}
		c := src[s.pos]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			s.pos++
		case c == ';' && !s.custom():
			s.semicolon()
		case c == '-' && s.peek(1) == '-' && (!s.opts.DashCommentSpace || s.pos+2 < len(s.src) && s.peek(2) <= ' '):
			s.lineComment()
		case c == '#' && s.opts.HashComments:
			s.lineComment()
		case c == '/' && s.peek(1) == '*':
			start := s.pos
			// mariadb-dump's first line, /*M!999999\- enable the sandbox
			// mode */, is a command to the mariadb client: a comment here.
			exec := s.opts.ExecutableComments && (s.peek(2) == '!' || s.peek(2) == 'M' && s.peek(3) == '!') &&
				!strings.HasPrefix(src[s.pos:], sandboxLine)
			if err := s.blockComment(); err != nil {
				return err
			}
			if exec {
				s.token(start, kwNone)
			}
		case c == '\'':
			if err := s.quoted(c, s.opts.BackslashEscapes, "string literal"); err != nil {
				return err
			}
		case c == '"':
			if err := s.quoted(c, s.opts.BackslashEscapes, "quoted identifier"); err != nil {
				return err
			}
		case c == '`' && s.opts.Backticks:
			if err := s.quoted(c, false, "backtick identifier"); err != nil {
				return err
			}
		case c == '$' && s.opts.DollarQuotes:
			if err := s.dollar(); err != nil {
				return err
			}
		case isWordByte(c):
			if err := s.word(); err != nil {
				return err
			}
		default:
			start := s.pos
			s.pos++
			s.token(start, kwNone)
			s.blk.dot = c == '.'
		}
	}
	if !s.custom() {
		s.blk.resolve(kwNone, 0)
		if s.blk.errMsg != "" {
			return s.errorAt(s.blk.errOff, fmt.Sprintf(s.blk.errMsg, s.lineAt(s.blk.errOpen)))
		}
		if s.blk.depth() > 0 {
			return s.unterminated(s.blk.top())
		}
	}
	s.emit()
	return nil
}

// unterminated reports the innermost construct of a body left open at the
// end of the input.
func (s *scanner) unterminated(f frame) error {
	msg := "unterminated BEGIN ... END block opened here; close it with END"
	if f.kind != kwBegin {
		msg = "unterminated " + opener(f) + " opened here; close it with " + closer(f)
	}
	if s.opts.DelimiterCommand {
		msg += delimiterHint
	}
	return s.errorAt(f.off, msg)
}

func (s *scanner) peek(n int) byte {
	if s.pos+n < len(s.src) {
		return s.src[s.pos+n]
	}
	return 0
}

// token records a significant token spanning src[start:s.pos] and feeds
// its keyword, if any, to the block tracker.
func (s *scanner) token(start int, k kw) {
	if s.first < 0 {
		s.first = start
	}
	s.last = s.pos
	if s.collect {
		s.toks = append(s.toks, s.src[start:s.pos])
	}
	if !s.custom() {
		s.blk.feed(k, start, s.src[start])
	}
	s.blk.dot = false
}

func (s *scanner) semicolon() {
	if s.collect {
		s.toks = append(s.toks, ";")
	}
	s.blk.feed(kwNone, s.pos, ';')
	if s.blk.depth() > 0 || s.blk.errMsg != "" { // run reports the error
		s.pos++
		s.last = s.pos
		return
	}
	s.emit()
	s.pos++
	s.reset()
}

func (s *scanner) emit() {
	if s.first < 0 {
		return
	}
	s.out = append(s.out, Statement{SQL: s.src[s.first:s.last], Line: s.lineAt(s.first)})
	if s.delim != "" { // only files with DELIMITER commands pay for this
		for len(s.delims) < len(s.out)-1 {
			s.delims = append(s.delims, "")
		}
		s.delims = append(s.delims, s.delim)
	}
}

func (s *scanner) lineComment() {
	if i := strings.IndexByte(s.src[s.pos:], '\n'); i >= 0 {
		s.pos += i + 1
	} else {
		s.pos = len(s.src)
	}
}

func (s *scanner) blockComment() error {
	start := s.pos
	s.pos += 2
	if !s.opts.NestedComments {
		i := strings.Index(s.src[s.pos:], "*/")
		if i < 0 {
			return s.errorAt(start, "unterminated /* comment opened here; close it with */")
		}
		s.pos += i + 2
		return nil
	}
	depth := 1
	for s.pos+1 < len(s.src) {
		switch {
		case s.src[s.pos] == '/' && s.src[s.pos+1] == '*':
			depth++
			s.pos += 2
		case s.src[s.pos] == '*' && s.src[s.pos+1] == '/':
			depth--
			s.pos += 2
			if depth == 0 {
				return nil
			}
		default:
			s.pos++
		}
	}
	if depth == 1 {
		return s.errorAt(start, "unterminated /* comment opened here; close it with */")
	}
	return s.errorAt(start, "unterminated /* comment opened here (with comments nested inside); close each with */")
}

// quoted skips a string or identifier opened by q at s.pos. A doubled q
// stands for itself; with backslash, '\' escapes the next byte.
func (s *scanner) quoted(q byte, backslash bool, what string) error {
	start := s.pos
	i := s.pos + 1
	for {
		j := i
		if backslash {
			for j < len(s.src) && s.src[j] != q && s.src[j] != '\\' {
				j++
			}
		} else if k := strings.IndexByte(s.src[i:], q); k >= 0 {
			j = i + k
		} else {
			j = len(s.src)
		}
		if j >= len(s.src) {
			return s.errorAt(start, "unterminated "+what+" opened here; close it with "+string(q))
		}
		if s.src[j] == '\\' {
			i = j + 2
			continue
		}
		if j+1 < len(s.src) && s.src[j+1] == q {
			i = j + 2
			continue
		}
		s.pos = j + 1
		s.token(start, kwNone)
		return nil
	}
}

// dollar handles a '$' when dollar quoting is on: a $tag$ or $$ opens a
// string that runs to the same tag; anything else ($1, a lone $) is an
// ordinary token.
func (s *scanner) dollar() error {
	start := s.pos
	j := s.pos + 1
	if j < len(s.src) && isTagStart(s.src[j]) {
		for j < len(s.src) && isTagByte(s.src[j]) {
			j++
		}
	}
	if j >= len(s.src) || s.src[j] != '$' {
		s.pos++
		s.token(start, kwNone)
		return nil
	}
	tag := s.src[start : j+1]
	k := strings.Index(s.src[j+1:], tag)
	if k < 0 {
		return s.errorAt(start, "unterminated dollar-quoted string "+tag+" opened here; close it with "+tag)
	}
	s.pos = j + 1 + k + len(tag)
	s.token(start, kwNone)
	return nil
}

// word scans an identifier, keyword or number, and an E'...' string when
// the word is a lone E.
func (s *scanner) word() error {
	start := s.pos
	j := s.pos + 1
	if s.custom() {
		for j < len(s.src) && isWordByte(s.src[j]) && !strings.HasPrefix(s.src[j:], s.delim) {
			j++
		}
	} else {
		for j < len(s.src) && isWordByte(s.src[j]) {
			j++
		}
	}
	if s.opts.DelimiterCommand && j-start == len("DELIMITER") && strings.EqualFold(s.src[start:j], "DELIMITER") {
		if done, err := s.delimiter(start, j); done || err != nil {
			return err
		}
	}
	if j == start+1 && (s.src[start] == 'E' || s.src[start] == 'e') && s.opts.EscapeStrings &&
		j < len(s.src) && s.src[j] == '\'' {
		s.pos = j
		if err := s.quoted('\'', true, "escape string E'"); err != nil {
			return err
		}
		// quoted recorded the token from the quote; extend it to the E.
		if s.first == j {
			s.first = start
		}
		if s.collect {
			s.toks[len(s.toks)-1] = s.src[start:s.pos]
		}
		return nil
	}
	s.pos = j
	k := kwNone
	if !s.blk.dot {
		k = keyword(s.src[start:j])
	}
	s.token(start, k)
	return nil
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

func isTagStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isTagByte(c byte) bool {
	return isTagStart(c) || c >= '0' && c <= '9'
}

// lineAt returns the 1-based line of offset off. Offsets asked for only
// grow, except for errors, so counting resumes where it stopped.
func (s *scanner) lineAt(off int) int {
	if off < s.lnOff {
		s.lnOff, s.lnNo = 0, s.line1
	}
	s.lnNo += strings.Count(s.src[s.lnOff:off], "\n")
	s.lnOff = off
	return s.lnNo
}

func (s *scanner) errorAt(off int, msg string) error {
	line := s.lineAt(off)
	bol := strings.LastIndexByte(s.src[:off], '\n') + 1
	col := utf8.RuneCountInString(s.src[bol:off]) + 1
	return &SyntaxError{Line: line, Col: col, Msg: msg}
}
