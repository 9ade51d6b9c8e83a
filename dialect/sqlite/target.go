package sqlite

import (
	"regexp"
	"sync"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.TargetReader = Dialect{}

// internalTable matches the CREATE TABLE of a table SQLite makes itself
// (sqlite_sequence, sqlite_stat1, ...), which sqlite3's .schema prints.
var internalTable = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?is)^\s*CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?["'\x60\[]?sqlite_`)
})

// CleanTarget returns src unchanged: sqlite3's .schema prints SQL only.
func (Dialect) CleanTarget(src string) string { return src }

// ReadTargetStatement skips the tables SQLite makes itself, as sqlite3's
// .schema prints them; everything else runs as written.
func (Dialect) ReadTargetStatement(sql string) dialect.TargetStatement {
	return dialect.TargetStatement{SQL: sql, Skip: internalTable().MatchString(sql)}
}
