package sqlsplit

// kw classifies the words that matter to block tracking.
type kw uint8

const (
	kwNone      kw = iota
	kwCreate       // CREATE
	kwTrigger      // TRIGGER
	kwRoutine      // FUNCTION, PROCEDURE
	kwEvent        // EVENT
	kwAggregate    // AGGREGATE: MariaDB's AGGREGATE FUNCTION has a body, PostgreSQL's AGGREGATE none
	kwOtherKind    // TABLE, VIEW, INDEX, ...: the object has no body
	kwBegin        // BEGIN
	kwEnd          // END
	kwCase         // CASE
	kwAtomic       // ATOMIC
	kwNot          // NOT
	kwExists       // EXISTS
	kwIf           // IF
	kwLoop         // LOOP
	kwWhile        // WHILE
	kwRepeat       // REPEAT
	kwFor          // FOR
	kwEach         // EACH
	kwRow          // ROW
	kwDo           // DO
	kwThen         // THEN
	kwElse         // ELSE
	kwOrder        // FOLLOWS, PRECEDES: a MySQL trigger's order clause
	kwTrait        // DETERMINISTIC, SQL, DATA, DEFINER, INVOKER: may end a routine characteristic
	kwHandler      // HANDLER
	kwSQLState     // SQLSTATE
	kwValue        // VALUE
	kwFound        // FOUND
)

// maxKeyword is the length of the longest word in keywords.
const maxKeyword = len("DETERMINISTIC")

// keyword classifies w, case-insensitively.
func keyword(w string) kw {
	n := len(w)
	if n < 2 || n > maxKeyword {
		return kwNone
	}
	var buf [maxKeyword]byte
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
	case "TRIGGER":
		return kwTrigger
	case "FUNCTION", "PROCEDURE":
		return kwRoutine
	case "EVENT":
		return kwEvent
	case "AGGREGATE":
		return kwAggregate
	case "TABLE", "VIEW", "INDEX", "SEQUENCE", "SCHEMA", "DATABASE", "TYPE",
		"DOMAIN", "EXTENSION", "ROLE", "USER", "POLICY", "RULE", "SERVER",
		"TABLESPACE", "CAST", "OPERATOR", "COLLATION", "PUBLICATION",
		"SUBSCRIPTION", "STATISTICS", "CONVERSION", "TRANSFORM", "LANGUAGE":
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
	case "EXISTS":
		return kwExists
	case "IF":
		return kwIf
	case "LOOP":
		return kwLoop
	case "WHILE":
		return kwWhile
	case "REPEAT":
		return kwRepeat
	case "FOR":
		return kwFor
	case "EACH":
		return kwEach
	case "ROW":
		return kwRow
	case "DO":
		return kwDo
	case "THEN":
		return kwThen
	case "ELSE":
		return kwElse
	case "FOLLOWS", "PRECEDES":
		return kwOrder
	case "DETERMINISTIC", "SQL", "DATA", "DEFINER", "INVOKER":
		return kwTrait
	case "HANDLER":
		return kwHandler
	case "SQLSTATE":
		return kwSQLState
	case "VALUE":
		return kwValue
	case "FOUND":
		return kwFound
	}
	return kwNone
}

// isOpener reports whether k opens a MySQL compound statement that END k
// closes (IF, LOOP, WHILE, REPEAT, FOR; CASE is handled apart).
func isOpener(k kw) bool {
	return k == kwIf || k == kwLoop || k == kwWhile || k == kwRepeat || k == kwFor
}
