// Package sqlgen owns the SQL text every dialect writes the same way:
// identifier lists, index parts, constraint clauses, multi-row INSERTs and
// Go values as literals. It does not decide what differs by engine (types,
// how a referenced table is named, how bytes or booleans are spelt); each
// dialect passes those in.
package sqlgen

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// Quoter quotes names and strings for one dialect.
type Quoter interface {
	QuoteIdent(name string) string
	QuoteLiteral(s string) string
}

// One wraps a single statement.
func One(s string) ([]string, error) { return []string{s}, nil }

// IfExists returns "IF EXISTS " when b is set.
func IfExists(b bool) string {
	if b {
		return "IF EXISTS "
	}
	return ""
}

// IfNotExists returns "IF NOT EXISTS " when b is set.
func IfNotExists(b bool) string {
	if b {
		return "IF NOT EXISTS "
	}
	return ""
}

// Idents quotes names and joins them with ", ".
func Idents(q Quoter, names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = q.QuoteIdent(n)
	}
	return strings.Join(out, ", ")
}

// IndexParts renders an index's keys: quoted columns or parenthesised
// expressions, each with DESC when descending.
func IndexParts(q Quoter, parts []schema.IndexPart) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		if p.Expr != "" {
			out[i] = "(" + p.Expr + ")"
		} else {
			out[i] = q.QuoteIdent(p.Column)
		}
		if p.Desc {
			out[i] += " DESC"
		}
	}
	return strings.Join(out, ", ")
}

// Constraint renders a table constraint clause; ref names the table a
// foreign key references, as the dialect qualifies it.
func Constraint(q Quoter, c schema.Constraint, ref func(schema.ForeignKeyDef) (string, error)) (string, error) {
	s := ""
	if n := c.ConstraintName(); n != "" {
		s = "CONSTRAINT " + q.QuoteIdent(n) + " "
	}
	switch c := c.(type) {
	case schema.PrimaryKeyDef:
		s += "PRIMARY KEY (" + Idents(q, c.Columns) + ")"
	case schema.UniqueDef:
		s += "UNIQUE (" + Idents(q, c.Columns) + ")"
	case schema.CheckDef:
		s += "CHECK (" + c.Expr + ")"
	case schema.ForeignKeyDef:
		table, err := ref(c)
		if err != nil {
			return "", err
		}
		s += "FOREIGN KEY (" + Idents(q, c.Columns) + ") REFERENCES " + table + " (" + Idents(q, c.RefColumns) + ")"
		if c.OnDelete != schema.NoAction {
			s += " ON DELETE " + c.OnDelete.String()
		}
		if c.OnUpdate != schema.NoAction {
			s += " ON UPDATE " + c.OnUpdate.String()
		}
	}
	return s, nil
}

// BulkInsert renders o as INSERT statements of at most perStatement rows
// each, after head ("INSERT INTO t (a, b) VALUES\n    "), with values
// written by literal.
func BulkInsert(o ops.BulkInsert, head string, perStatement int, literal func(any) (string, error)) ([]string, error) {
	var out []string
	for start := 0; start < len(o.Rows); start += perStatement {
		rows := o.Rows[start:min(start+perStatement, len(o.Rows))]
		vals := make([]string, len(rows))
		for i, row := range rows {
			if len(row) != len(o.Columns) {
				return nil, fmt.Errorf("%s: row %d has %d values for %d columns", o.Describe(), start+i, len(row), len(o.Columns))
			}
			lits := make([]string, len(row))
			for j, v := range row {
				lit, err := literal(v)
				if err != nil {
					return nil, fmt.Errorf("%s: row %d, column %s: %w", o.Describe(), start+i, o.Columns[j], err)
				}
				lits[j] = lit
			}
			vals[i] = "(" + strings.Join(lits, ", ") + ")"
		}
		out = append(out, head+strings.Join(vals, ",\n    "))
	}
	return out, nil
}

// TimeLayout is how a time.Time value renders as a literal.
const TimeLayout = "2006-01-02 15:04:05.999999999-07:00"

// Spelling is what differs between dialects when writing Go values.
type Spelling struct {
	// Bytes renders a non-nil []byte.
	Bytes func([]byte) string
	// True and False spell the booleans.
	True, False string
	// Special renders NaN and the infinities (sign +1, -1; 0 for NaN).
	Special func(sign int) (string, error)
	// FloatSuffix, when set, is appended to a float written without a
	// decimal point or exponent (so "1" reads back as a float).
	FloatSuffix string
}

// Literal renders a Go value (nil, bool, integers, floats, string, []byte,
// time.Time) as a SQL literal.
func Literal(q Quoter, v any, sp Spelling) (string, error) {
	switch v := v.(type) {
	case nil:
		return "NULL", nil
	case []byte:
		if v == nil {
			return "NULL", nil
		}
		return sp.Bytes(v), nil
	case time.Time:
		return q.QuoteLiteral(v.Format(TimeLayout)), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Bool:
		if rv.Bool() {
			return sp.True, nil
		}
		return sp.False, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		switch {
		case math.IsNaN(f):
			return sp.Special(0)
		case math.IsInf(f, 1):
			return sp.Special(1)
		case math.IsInf(f, -1):
			return sp.Special(-1)
		}
		s := strconv.FormatFloat(f, 'g', -1, rv.Type().Bits())
		if sp.FloatSuffix != "" && !strings.ContainsAny(s, ".eE") {
			s += sp.FloatSuffix
		}
		return s, nil
	case reflect.String:
		return q.QuoteLiteral(rv.String()), nil
	}
	return "", fmt.Errorf("value of type %T: use nil, bool, an integer, a float, string, []byte or time.Time", v)
}
