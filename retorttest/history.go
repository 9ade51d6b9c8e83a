package retorttest

import (
	"fmt"
	"slices"

	"github.com/retortdb/retort/revision"
)

// History is pytest-alembic's single linearisation of the revision
// graph: "base", every revision from the oldest in Alembic's topological
// order, then "heads". Runner steps move by index in it, so on a branched
// graph one step may hop to another branch.
type History []string

// newHistory linearises g.
func newHistory(g *revision.Graph) (History, error) {
	revs, err := g.History("", "")
	if err != nil {
		return nil, err
	}
	h := make(History, 0, len(revs)+2)
	h = append(h, "base")
	for _, r := range slices.Backward(revs) {
		h = append(h, r.ID)
	}
	return append(h, "heads"), nil
}

// Revisions returns the revision ids, oldest first, without "base" and
// "heads".
func (h History) Revisions() []string {
	if len(h) < 2 {
		return nil
	}
	return slices.Clone(h[1 : len(h)-1])
}

// Index returns the position of rev ("head" stands for "heads"), or an
// error in pytest-alembic's words. Partial ids are not accepted.
func (h History) Index(rev string) (int, error) {
	if rev == "head" {
		rev = "heads"
	}
	if i := slices.Index(h, rev); i >= 0 {
		return i, nil
	}
	return -1, fmt.Errorf("revision %s is not a valid revision in the history (%s)", rev, h.short())
}

// Previous returns the revision before rev, or "" at base or for an
// unknown revision.
func (h History) Previous(rev string) string {
	i, err := h.Index(rev)
	if err != nil || i == 0 {
		return ""
	}
	return h[i-1]
}

// Next returns the revision after rev, or "" at heads or for an unknown
// revision.
func (h History) Next(rev string) string {
	i, err := h.Index(rev)
	if err != nil || i == len(h)-1 {
		return ""
	}
	return h[i+1]
}

// window returns the consecutive pairs from a to b inclusive; none when
// b comes before a.
func (h History) window(a, b int) [][2]string {
	var out [][2]string
	for i := a; i < b; i++ {
		out = append(out, [2]string{h[i], h[i+1]})
	}
	return out
}

// short renders the history for messages, eliding the middle of a long
// one.
func (h History) short() string {
	if len(h) <= 8 {
		return fmt.Sprint([]string(h))
	}
	return fmt.Sprintf("[%s %s %s ... %s %s %s]", h[0], h[1], h[2], h[len(h)-3], h[len(h)-2], h[len(h)-1])
}
