package lint

import (
	"fmt"
	"strings"
)

// Level is how much a rule's findings matter: Error (the default) makes
// retort lint exit 1, Warning reports without failing, Off skips the
// rule.
type Level int

// Levels, as retort.toml's [retort.lint] table names them.
const (
	Error Level = iota
	Warning
	Off
)

// String returns "error", "warning" or "off".
func (l Level) String() string {
	switch l {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Off:
		return "off"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// ParseLevel reads "error", "warning" or "off" (any case).
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "off":
		return Off, nil
	}
	return 0, fmt.Errorf("%q is not a lint level; use off, warning or error", s)
}

// RuleIDs lists the ids of [Rules], in order.
func RuleIDs() []string {
	out := make([]string, len(Rules))
	for i, r := range Rules {
		out[i] = r.ID
	}
	return out
}
