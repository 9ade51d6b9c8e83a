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

// keywords maps the upper-case words that matter to their class.
var keywords = map[string]kw{
	"CREATE": kwCreate, "TRIGGER": kwTrigger, "FUNCTION": kwRoutine, "PROCEDURE": kwRoutine,
	"EVENT": kwEvent, "AGGREGATE": kwAggregate,
	"TABLE": kwOtherKind, "VIEW": kwOtherKind, "INDEX": kwOtherKind, "SEQUENCE": kwOtherKind,
	"SCHEMA": kwOtherKind, "DATABASE": kwOtherKind, "TYPE": kwOtherKind, "DOMAIN": kwOtherKind,
	"EXTENSION": kwOtherKind, "ROLE": kwOtherKind, "USER": kwOtherKind, "POLICY": kwOtherKind,
	"RULE": kwOtherKind, "SERVER": kwOtherKind, "TABLESPACE": kwOtherKind, "CAST": kwOtherKind,
	"OPERATOR": kwOtherKind, "COLLATION": kwOtherKind, "PUBLICATION": kwOtherKind,
	"SUBSCRIPTION": kwOtherKind, "STATISTICS": kwOtherKind, "CONVERSION": kwOtherKind,
	"TRANSFORM": kwOtherKind, "LANGUAGE": kwOtherKind,
	"BEGIN": kwBegin, "END": kwEnd, "CASE": kwCase, "ATOMIC": kwAtomic, "NOT": kwNot,
	"EXISTS": kwExists, "IF": kwIf, "LOOP": kwLoop, "WHILE": kwWhile, "REPEAT": kwRepeat,
	"FOR": kwFor, "EACH": kwEach, "ROW": kwRow, "DO": kwDo, "THEN": kwThen, "ELSE": kwElse,
	"FOLLOWS": kwOrder, "PRECEDES": kwOrder,
	"DETERMINISTIC": kwTrait, "SQL": kwTrait, "DATA": kwTrait, "DEFINER": kwTrait, "INVOKER": kwTrait,
	"HANDLER": kwHandler, "SQLSTATE": kwSQLState, "VALUE": kwValue, "FOUND": kwFound,
}

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
	return keywords[string(buf[:n])]
}

// isOpener reports whether k opens a MySQL compound statement that END k
// closes (IF, LOOP, WHILE, REPEAT, FOR; CASE is handled apart).
func isOpener(k kw) bool {
	return k == kwIf || k == kwLoop || k == kwWhile || k == kwRepeat || k == kwFor
}
