package sqlsplit

// frame is one open construct of a body: BEGIN ... END, a CASE, or (with
// CompoundStatements) an IF, LOOP, WHILE, REPEAT or FOR statement.
type frame struct {
	kind kw   // kwBegin, kwCase, kwIf, kwLoop, kwWhile, kwRepeat or kwFor
	stmt bool // a CASE statement (END CASE), not a CASE expression (END)
	off  int  // offset of the opening word, for errors
}

// block tracks the bodies of triggers, functions, procedures and events
// within one statement, so that the semicolons inside them do not end it.
type block struct {
	compound bool // MySQL compound statements (Options.CompoundStatements)

	tokens  int  // significant tokens seen so far in the statement
	create  bool // the statement starts with CREATE
	decided bool // the kind of object created is known
	agg     bool // the previous token was CREATE ... AGGREGATE
	kind    kw   // kwTrigger, kwRoutine or kwEvent once a body kind is decided
	named   bool // the name of the object has been seen
	paren   int  // parenthesis depth in the header
	opened  bool // a body was opened at least once

	stack []frame // open constructs; the statement cannot end while any is

	pendingEnd bool // saw END; the next token says what it closes
	endAt      int  // offset of that END
	pendingBeg bool // saw a body's BEGIN; "(" after it makes it a name
	begAt      int  // offset of that BEGIN
	begin      int  // 1 after a BEGIN that may start BEGIN ATOMIC, 2 after BEGIN NOT
	beginAt    int  // offset of that BEGIN
	dot        bool // the previous token was '.', so a word is a name
	prev       kw   // class of the previous token

	// Compound statement state (MySQL).
	ss     bool // the next token starts a statement
	label  bool // the previous token could be a label, if ':' follows
	order  bool // the previous token was FOLLOWS or PRECEDES
	hState int  // position in DECLARE ... HANDLER FOR conditions

	errOff  int    // offset of the first error, when errMsg is set
	errOpen int    // offset of the construct errMsg names, for its line
	errMsg  string // the first error found by the tracker, with a %d for errOpen's line
}

// Positions in "HANDLER FOR condition [, condition] statement".
const (
	hNone  = iota
	hFor   // after HANDLER, expecting FOR
	hCond  // expecting a condition
	hState // after SQLSTATE [VALUE], expecting its string
	hFound // after NOT, expecting FOUND
	hAfter // after a condition: ',' or the handler's statement
)

func (b *block) depth() int { return len(b.stack) }

func (b *block) push(k kw, stmt bool, off int) {
	b.stack = append(b.stack, frame{kind: k, stmt: stmt, off: off})
	b.opened = true
}

func (b *block) top() frame {
	if len(b.stack) == 0 {
		return frame{}
	}
	return b.stack[len(b.stack)-1]
}

func (b *block) fail(off, open int, msg string) {
	if b.errMsg == "" {
		b.errOff, b.errOpen, b.errMsg = off, open, msg
	}
}

// feed takes the next significant token of the statement, which starts at
// offset off with byte c; k is its keyword class (kwNone for anything
// else). A ';' inside a body is fed too.
func (b *block) feed(k kw, off int, c byte) {
	b.feed1(k, off, c)
	b.prev = k
}

func (b *block) feed1(k kw, off int, c byte) {
	first := b.tokens == 0
	b.tokens++
	if b.resolve(k, c) {
		return
	}
	if len(b.stack) > 0 {
		if b.compound {
			b.compoundBody(k, off, c)
		} else {
			b.plainBody(k, off)
		}
		return
	}
	if first {
		b.create = k == kwCreate
	} else if b.create && !b.decided {
		b.decide(k)
		return
	}
	if b.kind != kwNone {
		b.header(k, off, c)
		return
	}
	if k == kwBegin {
		b.begin, b.beginAt = 1, off
	}
}

// decide settles what a CREATE statement creates from the words after
// CREATE (OR REPLACE, DEFINER=..., TEMP and the like are skipped).
func (b *block) decide(k kw) {
	if b.agg {
		b.agg, b.decided = false, true
		if k == kwRoutine {
			b.kind = kwRoutine
		}
		return
	}
	switch k {
	case kwTrigger, kwRoutine, kwEvent:
		b.decided, b.kind = true, k
	case kwAggregate:
		b.agg = true
	case kwOtherKind:
		b.decided = true
	}
}

// header follows the header of a trigger, routine or event up to its body:
// the name (after IF NOT EXISTS), the parameter list, and with compound
// statements the place where a bare IF, CASE, LOOP, WHILE, REPEAT or FOR
// body may start.
func (b *block) header(k kw, off int, c byte) {
	if !b.named {
		if k != kwIf && k != kwNot && k != kwExists {
			b.named = true // this token is the name
		}
		return
	}
	was, lbl := b.ss, b.label
	b.ss, b.label = false, false
	switch {
	case c == '(':
		b.paren++
		return
	case c == ')':
		if b.paren > 0 {
			b.paren--
			b.ss = b.paren == 0 && b.kind == kwRoutine
		}
		return
	case b.paren > 0:
		return
	case k == kwBegin:
		b.pendingBeg, b.begAt = true, off
		return
	}
	if !b.compound || b.opened {
		return
	}
	if was {
		switch {
		case k == kwCase:
			b.push(kwCase, true, off)
			return
		case isOpener(k) && k != kwFor: // FOR here is more likely FOR UPDATE
			b.open(k, off)
			return
		}
	}
	switch {
	case b.order:
		b.order, b.ss = false, true // the trigger named after FOLLOWS or PRECEDES
	case c == ':' && lbl:
		b.ss = true
	case b.kind == kwTrigger:
		b.ss = k == kwRow && b.prev == kwEach
		b.order = k == kwOrder && was
	case b.kind == kwEvent:
		b.ss = k == kwDo
	case b.kind == kwRoutine:
		b.ss = k == kwTrait || c == '\'' || c == '"'
	}
	b.label = was && !b.ss && c != ':'
}

// open pushes an IF, LOOP, WHILE, REPEAT or FOR statement starting at off.
func (b *block) open(k kw, off int) {
	b.push(k, false, off)
	b.ss = k == kwLoop || k == kwRepeat // their bodies start at once
}

// plainBody follows a body without compound statements (SQLite triggers,
// PostgreSQL's BEGIN ATOMIC): BEGIN and CASE open a level, END closes one.
func (b *block) plainBody(k kw, off int) {
	switch k {
	case kwBegin:
		b.push(kwBegin, false, off)
	case kwCase:
		b.push(kwCase, false, off)
	case kwEnd:
		b.pendingEnd, b.endAt = true, off
	}
}

// compoundBody follows a MySQL stored-program body. BEGIN, IF, CASE,
// LOOP, WHILE, REPEAT and FOR open a statement only where a statement
// starts (so that IF(), REPEAT(), IF EXISTS, FOR UPDATE and a column
// named begin do not); a CASE elsewhere is an expression closed by a bare
// END. END closes something where a statement starts, after REPEAT's
// UNTIL condition, or in a CASE expression; elsewhere it is a name.
func (b *block) compoundBody(k kw, off int, c byte) {
	was, lbl := b.ss, b.label
	b.ss, b.label = false, false
	if b.hState != hNone {
		was = b.handler(k, c) || was
	}
	t := b.top()
	switch {
	case k == kwEnd && (was || t.kind == kwRepeat || t.kind == kwCase && !t.stmt):
		b.pendingEnd, b.endAt = true, off
		return
	case k == kwBegin && was:
		b.push(kwBegin, false, off)
		b.ss = true
		return
	case k == kwCase:
		b.push(kwCase, was, off)
		return
	}
	if was && isOpener(k) {
		b.open(k, off)
		return
	}
	switch {
	case c == ';':
		b.ss = true
	case c == ':' && lbl:
		b.ss = true
	case k == kwThen || k == kwElse:
		b.ss = t.kind == kwIf || t.kind == kwCase && t.stmt
	case k == kwDo:
		b.ss = t.kind == kwWhile || t.kind == kwFor
	case k == kwHandler:
		b.hState = hFor
	}
	b.label = was && c != ':' && c != ';'
}

// handler follows "HANDLER FOR condition, ..." and reports whether the
// token starts the handler's statement.
func (b *block) handler(k kw, c byte) bool {
	switch b.hState {
	case hFor:
		b.hState = hNone
		if k == kwFor {
			b.hState = hCond
		}
	case hCond:
		switch k {
		case kwNot:
			b.hState = hFound
		case kwSQLState:
			b.hState = hState
		default:
			b.hState = hAfter
		}
	case hState:
		if k != kwValue {
			b.hState = hAfter
		}
	case hFound:
		b.hState = hAfter
	case hAfter:
		b.hState = hNone
		if c == ',' {
			b.hState = hCond
			return false
		}
		return c != ';'
	}
	return false
}

// resolve settles a pending END or BEGIN with the token that follows it
// (k and c of 0 at the end of input) and reports whether that token was
// consumed as part of it.
func (b *block) resolve(k kw, c byte) bool {
	consumed := false
	if b.pendingEnd {
		b.pendingEnd = false
		consumed = b.end(k)
	}
	if b.pendingBeg {
		b.pendingBeg = false
		if c != '(' { // BEGIN( is a call or a name, not a body
			b.push(kwBegin, false, b.begAt)
			b.ss = true
			if k == kwAtomic {
				return true
			}
		}
	}
	if b.begin != 0 {
		state := b.begin
		b.begin = 0
		switch {
		case k == kwAtomic:
			b.push(kwBegin, false, b.beginAt)
			b.ss = true
			consumed = true
		case k == kwNot && state == 1:
			b.begin = 2
			consumed = true
		}
	}
	return consumed
}

// end closes the innermost construct at a pending END followed by a token
// of class k, and reports whether that token was part of the END.
func (b *block) end(k kw) bool {
	t := b.top()
	b.stack = b.stack[:len(b.stack)-1]
	if !b.compound {
		switch {
		case isOpener(k): // END IF, END LOOP ...: not counted
			b.stack = append(b.stack, t)
			return true
		case k == kwCase:
			return true
		}
		return false
	}
	consumed := k == kwCase || isOpener(k)
	var ok bool
	switch {
	case k == kwCase:
		ok = t.kind == kwCase
	case consumed:
		ok = t.kind == k
	default:
		ok = t.kind == kwBegin || t.kind == kwCase && !t.stmt
	}
	if !ok {
		b.fail(b.endAt, t.off, mismatch(k, t))
	}
	return consumed
}

// closer names what closes f.
func closer(f frame) string {
	switch {
	case f.kind == kwBegin || f.kind == kwCase && !f.stmt:
		return "END"
	case f.kind == kwCase:
		return "END CASE"
	}
	return "END " + opener(f)
}

// opener names the word that opened f.
func opener(f frame) string {
	switch f.kind {
	case kwBegin:
		return "BEGIN"
	case kwCase:
		return "CASE"
	case kwIf:
		return "IF"
	case kwLoop:
		return "LOOP"
	case kwWhile:
		return "WHILE"
	case kwRepeat:
		return "REPEAT"
	}
	return "FOR"
}

// delimiterHint ends the messages about a body the tracker cannot follow.
const delimiterHint = "; if the statement is right as it is, put it between DELIMITER // and // lines"

func mismatch(k kw, f frame) string {
	got := "END"
	switch {
	case k == kwCase:
		got = "END CASE"
	case isOpener(k):
		got = closer(frame{kind: k})
	}
	return got + " does not close the " + opener(f) + " opened at line %d; close that " +
		opener(f) + " with " + closer(f) + delimiterHint
}
