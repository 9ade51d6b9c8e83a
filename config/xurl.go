package config

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits on a value that fills a placeholder of a connection string.
const (
	maxURLValue       = 255  // a name: database, schema, user, host label
	maxSQLitePathItem = 1024 // a file path inside an SQLite URL
)

// URLValueError reports a value that may not fill a placeholder of a
// database URL, because it could change the URL's structure (host,
// port, user, query parameters) rather than fill the part the
// placeholder stands for. It never holds the value itself, which may
// be secret.
type URLValueError struct {
	// Key is the config key whose value holds the placeholder ("url").
	Key string
	// Name is the placeholder's name: NAME in {x.NAME}, the -x argument.
	Name string
	// Reason says what is wrong with the value.
	Reason string
}

func (e *URLValueError) Error() string {
	return fmt.Sprintf("-x %s: the value cannot fill {x.%s} in %s: %s; a value that fills a database URL may hold only letters, digits, '_', '-' and '.' (and '/' inside an SQLite file path), so that it cannot change the host, port, user or options the URL connects with",
		e.Name, e.Name, e.Key, e.Reason)
}

// CheckURLValue reports whether value may fill the placeholder name of
// the connection string in config key key: only ASCII letters, digits,
// '_', '-' and '.', plus '/' when inSQLitePath (the placeholder stands
// in the file path of an SQLite URL, before any '?'), where a ".."
// segment is refused too. An empty, overlong, "." or ".." value is
// refused. Every
// place that fills a URL from data (the -x arguments, fleet members)
// goes through this function. The error is a *[URLValueError].
func CheckURLValue(key, name, value string, inSQLitePath bool) error {
	bad := func(format string, args ...any) error {
		return &URLValueError{Key: key, Name: name, Reason: fmt.Sprintf(format, args...)}
	}
	if value == "" {
		return bad("it is empty")
	}
	if value == "." || value == ".." {
		return bad("it is %q, a path step rather than a name", value)
	}
	limit := maxURLValue
	if inSQLitePath {
		limit = maxSQLitePathItem
	}
	if len(value) > limit {
		return bad("it is %d bytes long, more than %d", len(value), limit)
	}
	for i := 0; i < len(value); {
		r, size := utf8.DecodeRuneInString(value[i:])
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
		case r == '/' && inSQLitePath:
		case r == utf8.RuneError && size <= 1:
			return bad("byte %d is not valid UTF-8", i+1)
		case r < 0x20 || r == 0x7f:
			return bad("character %d is a control character (%U)", i+1, r)
		case r > 0x7f:
			return bad("character %d is %U, not an ASCII letter or digit", i+1, r)
		case r == '/':
			return bad("character %d is '/', allowed only inside an SQLite file path", i+1)
		default:
			return bad("character %d is %q", i+1, r)
		}
		i += size
	}
	if inSQLitePath {
		for _, seg := range strings.Split(value, "/") {
			if seg == ".." {
				return bad("it has a \"..\" path segment")
			}
		}
	}
	return nil
}

// fillURLX replaces the {x.NAME} placeholders of a connection string,
// checking each value with [CheckURLValue].
func fillURLX(key, s string, x map[string]string) (string, error) {
	sqlite := isSQLiteURL(s)
	var b strings.Builder
	last := 0
	for _, m := range xPlaceholderRE().FindAllStringSubmatchIndex(s, -1) {
		name := s[m[2]:m[3]]
		v, ok := x[name]
		if !ok {
			return "", fmt.Errorf("%s uses {x.%s}; pass -x %s=NAME", key, name, name)
		}
		inPath := sqlite && !strings.Contains(s[:m[0]], "?")
		if err := CheckURLValue(key, name, v, inPath); err != nil {
			return "", err
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(v)
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

// isSQLiteURL reports whether the URL template s names an SQLite
// database by its scheme (sqlite or sqlite+DRIVER).
func isSQLiteURL(s string) bool {
	scheme, _, ok := strings.Cut(strings.TrimSpace(s), "://")
	if !ok {
		return false
	}
	base, _, _ := strings.Cut(strings.ToLower(scheme), "+")
	return base == "sqlite"
}
