package par_test

import (
	"sync/atomic"
	"testing"

	"github.com/retortdb/retort/internal/par"
)

// TestFor: every index is visited once, whatever the size against the
// per-worker share.
func TestFor(t *testing.T) {
	for _, c := range []struct{ n, per int }{{0, 8}, {1, 8}, {7, 8}, {8, 8}, {1000, 8}, {1000, 0}, {50, 1}} {
		seen := make([]atomic.Int32, c.n)
		par.For(c.n, c.per, func(i int) { seen[i].Add(1) })
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Errorf("n=%d per=%d: index %d visited %d times", c.n, c.per, i, got)
			}
		}
	}
}
