package sqlsplit

// kw classifies the words that matter to block tracking.
type kw uint8

const (
	kwNone      kw = iota
	kwCreate       // CREATE
	kwBodyKind     // TRIGGER, FUNCTION, PROCEDURE, EVENT: may have a body
	kwOtherKind    // TABLE, VIEW, INDEX, ...: the object has no body
	kwBegin        // BEGIN
	kwEnd          // END
	kwCase         // CASE
	kwAtomic       // ATOMIC
	kwNot          // NOT
	kwEndable      // IF, LOOP, WHILE, REPEAT, FOR: closed by END <word>
)

// keyword classifies w, case-insensitively.
func keyword(w string) kw {
	n := len(w)
	if n < 2 || n > 12 {
		return kwNone
	}
	var buf [12]byte
	for i := 0; i < n; i++ {
		c := w[i]
		switch {
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z':
		default:
			return kwNone
		}
		buf[i] = c
	}
	switch string(buf[:n]) {
	case "CREATE":
		return kwCreate
	case "TRIGGER", "FUNCTION", "PROCEDURE", "EVENT":
		return kwBodyKind
	case "TABLE", "VIEW", "INDEX", "SEQUENCE", "SCHEMA", "DATABASE", "TYPE",
		"DOMAIN", "EXTENSION", "ROLE", "USER", "POLICY", "RULE", "SERVER",
		"TABLESPACE", "CAST", "OPERATOR", "COLLATION", "PUBLICATION",
		"SUBSCRIPTION", "STATISTICS", "AGGREGATE", "CONVERSION", "TRANSFORM",
		"LANGUAGE":
		return kwOtherKind
	case "BEGIN":
		return kwBegin
	case "END":
		return kwEnd
	case "CASE":
		return kwCase
	case "ATOMIC":
		return kwAtomic
	case "NOT":
		return kwNot
	case "IF", "LOOP", "WHILE", "REPEAT", "FOR":
		return kwEndable
	}
	return kwNone
}

// block tracks BEGIN ... END bodies within one statement, so that the
// semicolons inside them do not end it.
type block struct {
	tokens  int  // significant tokens seen so far in the statement
	create  bool // the statement starts with CREATE
	decided bool // the kind of object created is known
	body    bool // the object may have a BEGIN ... END body
	depth   int  // open levels; the statement cannot end while > 0
	open    int  // offset of the outermost BEGIN, for errors

	pendingEnd bool // saw END; the next token says what it closes
	begin      int  // 1 after a BEGIN that may start BEGIN ATOMIC, 2 after BEGIN NOT
	beginAt    int  // offset of that BEGIN
	dot        bool // the previous token was '.', so a word is a name
}

// feed takes the next significant token of the statement, which starts at
// offset off; k is its keyword class (kwNone for anything else).
func (b *block) feed(k kw, off int) {
	first := b.tokens == 0
	b.tokens++
	if b.resolve(k) {
		return
	}
	if first {
		b.create = k == kwCreate
	} else if b.create && !b.decided {
		switch k {
		case kwBodyKind:
			b.decided, b.body = true, true
		case kwOtherKind:
			b.decided = true
		}
	}
	switch k {
	case kwBegin:
		switch {
		case b.depth > 0:
			b.depth++
		case b.body:
			b.depth, b.open = 1, off
		default:
			b.begin, b.beginAt = 1, off
		}
	case kwCase:
		if b.depth > 0 {
			b.depth++
		}
	case kwEnd:
		if b.depth > 0 {
			b.pendingEnd = true
		}
	}
}

// resolve settles a pending END or BEGIN with the token that follows it
// (kwNone at a ';' or the end of input) and reports whether that token
// was consumed as part of it.
func (b *block) resolve(k kw) bool {
	consumed := false
	if b.pendingEnd {
		b.pendingEnd = false
		switch k {
		case kwEndable: // END IF, END LOOP ...: not counted
			consumed = true
		case kwCase: // END CASE closes the CASE statement
			b.depth--
			consumed = true
		default:
			b.depth--
		}
	}
	if b.begin != 0 {
		state := b.begin
		b.begin = 0
		switch {
		case k == kwAtomic:
			b.depth, b.open = 1, b.beginAt
			consumed = true
		case k == kwNot && state == 1:
			b.begin = 2
			consumed = true
		}
	}
	return consumed
}
