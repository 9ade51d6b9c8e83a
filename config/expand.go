package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/retortdb/retort/internal/fault"
)

// LookupFunc looks an environment variable up, like os.LookupEnv.
type LookupFunc func(name string) (value string, ok bool)

var varNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// expand replaces ${VAR} and ${VAR:-default} (default used when VAR is
// unset or empty; it may itself hold ${...}) and turns $$ into $. Any other
// $ is kept as it is. The error names the variable, never a value.
func expand(s string, lookup LookupFunc) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c != '$' || i+1 >= len(s) || (s[i+1] != '$' && s[i+1] != '{') {
			b.WriteByte(c)
			i++
			continue
		}
		if s[i+1] == '$' {
			b.WriteByte('$')
			i += 2
			continue
		}
		end := closingBrace(s, i+2)
		if end < 0 {
			return "", errors.New("unterminated ${ (write $$ for a literal $)")
		}
		v, err := expandVar(s[i+2:end], lookup)
		if err != nil {
			return "", err
		}
		b.WriteString(v)
		i = end + 1
	}
	return b.String(), nil
}

// closingBrace returns the index of the } closing the ${ whose body starts
// at from, allowing nested ${...} in a default, or -1.
func closingBrace(s string, from int) int {
	depth := 1
	for i := from; i < len(s); i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '$':
			i++
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
			i++
		case s[i] == '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func expandVar(body string, lookup LookupFunc) (string, error) {
	name, def, hasDef := strings.Cut(body, ":-")
	if !varNameRE().MatchString(name) {
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		return "", fmt.Errorf("${%s}: not a variable name (letters, digits and _; write $$ for a literal $)", name)
	}
	v, ok := lookup(name)
	if hasDef && (!ok || v == "") {
		d, err := expand(def, lookup)
		if err != nil {
			return "", fmt.Errorf("default of ${%s}: %w", name, err)
		}
		return d, nil
	}
	if !ok {
		return "", fmt.Errorf("environment variable %s is not set; export it or write ${%s:-default}", name, name)
	}
	return v, nil
}

var xPlaceholderRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{x\.([^{}]*)\}`) })

// fillX replaces {x.NAME} with the -x argument NAME.
func fillX(key, s string, x map[string]string) (string, error) {
	var missing []string
	out := xPlaceholderRE().ReplaceAllStringFunc(s, func(m string) string {
		name := m[3 : len(m)-1]
		v, ok := x[name]
		if !ok {
			missing = append(missing, name)
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("%s uses {x.%s}; pass -x %s=NAME", key, missing[0], missing[0])
	}
	return out, nil
}

// ParseXArgs parses -x arguments, each KEY=VALUE split on the first "=",
// into a map; a later KEY wins. A bare KEY without "=" or an empty KEY is a
// bad-input error naming it.
func ParseXArgs(args []string) (map[string]string, error) {
	m := make(map[string]string, len(args))
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return nil, fault.BadInput(fmt.Errorf("-x %s: want KEY=VALUE, e.g. -x %s=value", a, a))
		}
		if k == "" {
			return nil, fault.BadInput(fmt.Errorf("-x %s: empty KEY; want KEY=VALUE", a))
		}
		m[k] = v
	}
	return m, nil
}
