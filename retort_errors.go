package retort

import (
	"fmt"
	"strings"

	"github.com/retortdb/retort/internal/fault"
)

// ErrBadInput is matched (errors.Is) by every error caused by input the
// user must fix: a malformed file, an unknown or ambiguous revision, a
// bad flag or URL. The CLI exits 2 for these and 1 for other failures.
var ErrBadInput = fault.ErrBadInput

// NotAtHeadsError reports a database whose version table is not at the
// scripts' heads (retort check).
type NotAtHeadsError struct {
	// Current are the version table's rows; Heads the scripts' heads.
	Current, Heads []string
}

func (e *NotAtHeadsError) Error() string {
	cur := strings.Join(e.Current, ", ")
	if cur == "" {
		cur = "(empty)"
	}
	return fmt.Sprintf("target database is not up to date: it is at %s, the scripts' heads are %s; run 'retort upgrade heads'", cur, strings.Join(e.Heads, ", "))
}
