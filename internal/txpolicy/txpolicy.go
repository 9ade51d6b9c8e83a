// Package txpolicy owns what PostgreSQL cannot run, or cannot use,
// inside one transaction block: the statements that must run alone
// (CREATE INDEX CONCURRENTLY, VACUUM, ...) and the enum values an
// ALTER TYPE ... ADD VALUE adds, which no later statement of the same
// transaction may use. The runner refuses such a plan before it runs
// and package lint reports it, both through this package; it does not
// parse SQL fully.
package txpolicy

import (
	"regexp"
	"strings"
	"sync"
)

var (
	// noTx matches what PostgreSQL refuses in a transaction block.
	noTx = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?is)^\s*(CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY|DROP\s+INDEX\s+CONCURRENTLY|REINDEX\b.*\bCONCURRENTLY|` +
			`VACUUM|ALTER\s+SYSTEM|CREATE\s+DATABASE|DROP\s+DATABASE|CREATE\s+TABLESPACE|DROP\s+TABLESPACE|ALTER\s+TABLE\s+.*\sDETACH\s+PARTITION\s+.*\sCONCURRENTLY)\b`)
	})
	// addValue matches ALTER TYPE ... ADD VALUE 'v', capturing v as
	// written (quotes doubled).
	// The type's name may be quoted and schema-qualified, with spaces
	// inside the quotes ("my schema"."mood", as autogenerate renders it).
	addValue = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?is)^\s*ALTER\s+TYPE\s+` + typeName + `\s+ADD\s+VALUE\s+(?:IF\s+NOT\s+EXISTS\s+)?'((?:[^']|'')*)'`)
	})
)

// typeName matches a type's name: one part, quoted or not, and an
// optional second after a dot.
const typeName = `(?:"(?:[^"]|"")*"|[^\s".]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[^\s".]+))?`

// NoTransaction returns what stmt does, upper-cased with single spaces
// ("CREATE INDEX CONCURRENTLY", "VACUUM"), when PostgreSQL cannot run
// it inside a transaction block.
func NoTransaction(stmt string) (string, bool) {
	m := noTx().FindString(stripComments(stmt))
	if m == "" {
		return "", false
	}
	return strings.Join(strings.Fields(strings.ToUpper(m)), " "), true
}

// AddedValue returns the enum value stmt adds when it is an
// ALTER TYPE ... ADD VALUE, with its doubled quotes undone.
func AddedValue(stmt string) (string, bool) {
	m := addValue().FindStringSubmatch(stripComments(stmt))
	if m == nil {
		return "", false
	}
	return strings.ReplaceAll(m[1], "''", "'"), true
}

// Enums follows the enum values added in the current transaction, in
// the order they were added. The zero value is ready to use.
type Enums struct {
	values, where []string
}

// Reset forgets every value: a new transaction starts.
func (e *Enums) Reset() { e.values, e.where = e.values[:0], e.where[:0] }

// Statement reads one statement of the transaction, where naming its
// place ("revision r (r.sql:3)"). When stmt uses, as a string literal,
// a value added earlier in the transaction, it returns that value and
// where it was added. It then records the value stmt adds, if any.
func (e *Enums) Statement(stmt, where string) (value, earlier string, used bool) {
	text := stripComments(stmt)
	for i, v := range e.values {
		if strings.Contains(text, "'"+strings.ReplaceAll(v, "'", "''")+"'") {
			value, earlier, used = v, e.where[i], true
			break
		}
	}
	if v, ok := AddedValue(text); ok {
		e.values, e.where = append(e.values, v), append(e.where, where)
	}
	return value, earlier, used
}

// stripComments removes leading -- comment lines, so that a statement's
// first keyword is found.
func stripComments(sql string) string {
	for {
		t := strings.TrimSpace(sql)
		if !strings.HasPrefix(t, "--") {
			return t
		}
		nl := strings.IndexByte(t, '\n')
		if nl < 0 {
			return ""
		}
		sql = t[nl+1:]
	}
}
