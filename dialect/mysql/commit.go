package mysql

import (
	"strings"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.ImplicitCommitter = Dialect{}

// implicitCommit lists the first words of the statements that commit
// the open transaction before they run (MySQL's "statements that cause
// an implicit commit"; MariaDB's list is the same for these).
var implicitCommit = map[string]bool{
	"CREATE": true, "ALTER": true, "DROP": true, "RENAME": true, "TRUNCATE": true,
	"GRANT": true, "REVOKE": true, "LOCK": true, "UNLOCK": true,
	"ANALYZE": true, "OPTIMIZE": true, "REPAIR": true, "CHECK": true, "CACHE": true,
	"FLUSH": true, "RESET": true, "INSTALL": true, "UNINSTALL": true,
	"BEGIN": true, "START": true, "LOAD": true,
}

// CommitsImplicitly reports whether stmt commits the open transaction:
// DDL (CREATE, ALTER, DROP, RENAME, TRUNCATE, except on TEMPORARY
// tables), account and lock statements, table maintenance and BEGIN.
// Comments before the first word are skipped.
func (Dialect) CommitsImplicitly(stmt string) bool {
	words := firstWords(stmt, 2)
	if len(words) == 0 || !implicitCommit[words[0]] {
		return false
	}
	if len(words) > 1 && words[1] == "TEMPORARY" && (words[0] == "CREATE" || words[0] == "DROP") {
		return false
	}
	if words[0] == "LOAD" {
		return len(words) > 1 && words[1] == "INDEX" // LOAD DATA does not commit
	}
	return true
}

// firstWords returns up to n leading words of stmt in upper case,
// skipping comments and white space.
func firstWords(stmt string, n int) []string {
	var out []string
	s := stmt
	for len(out) < n {
		s = strings.TrimLeft(s, " \t\r\n\f\v")
		switch {
		case s == "":
			return out
		case strings.HasPrefix(s, "/*!"):
			// An executable comment is statement text: read inside it.
			s = strings.TrimLeft(s[3:], "0123456789")
			continue
		case strings.HasPrefix(s, "/*"):
			end := strings.Index(s, "*/")
			if end < 0 {
				return out
			}
			s = s[end+2:]
			continue
		case strings.HasPrefix(s, "#"), strings.HasPrefix(s, "--"):
			end := strings.IndexByte(s, '\n')
			if end < 0 {
				return out
			}
			s = s[end+1:]
			continue
		}
		end := strings.IndexFunc(s, func(r rune) bool {
			return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '_')
		})
		if end == 0 {
			return out
		}
		if end < 0 {
			end = len(s)
		}
		out = append(out, strings.ToUpper(s[:end]))
		s = s[end:]
	}
	return out
}
