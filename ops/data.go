package ops

import (
	"strconv"
	"strings"
)

// Execute runs raw SQL (Alembic's op.execute): one statement, rendered
// as is.
type Execute struct {
	// SQL is the statement for every dialect without a variant.
	SQL string
	// Dialects maps a dialect's name ("postgres", "sqlite", "mysql") to
	// the statement to use there instead of SQL. An empty string
	// skips the statement on that dialect.
	Dialects map[string]string
	// Undo is the operation's reverse, if it has one.
	Undo Operation
}

// For returns the statement for the dialect called name and whether
// there is one.
func (o Execute) For(name string) (string, bool) {
	if v, ok := o.Dialects[name]; ok {
		return v, v != ""
	}
	return o.SQL, o.SQL != ""
}

// Describe returns "execute" and the statement's first line, shortened.
func (o Execute) Describe() string {
	s := o.SQL
	if s == "" {
		for _, v := range o.Dialects {
			s = v
			break
		}
	}
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return "execute " + s
}

// Reverse returns Undo, or fails when it is nil.
func (o Execute) Reverse() (Operation, error) {
	if o.Undo == nil {
		return nil, irreversible(o, "set Execute.Undo to the operation that reverts it")
	}
	return o.Undo, nil
}

// BulkInsert inserts rows of Go values (Alembic's op.bulk_insert). Each
// row has one value per column: nil, bool, any integer type, float32 or
// float64, string, []byte or time.Time. Values render as literals, so
// the statements work offline too.
type BulkInsert struct {
	Schema  string
	Table   string
	Columns []string
	Rows    [][]any
}

// Describe returns "insert N rows into TABLE".
func (o BulkInsert) Describe() string {
	n := len(o.Rows)
	word := " rows"
	if n == 1 {
		word = " row"
	}
	return "insert " + strconv.Itoa(n) + word + " into " + Qualified(o.Schema, o.Table)
}

// Reverse fails: which rows to delete is the migration author's call.
func (o BulkInsert) Reverse() (Operation, error) {
	return nil, irreversible(o, "write the downgrade's DELETE with an Execute")
}
