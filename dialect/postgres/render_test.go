package postgres_test

import (
	"testing"

	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/dialect/postgres"
)

func TestRender(t *testing.T) {
	dialecttest.GoldenRender(t, postgres.New(), *update)
}

// TestOps applies every operation and its reverse on a real database.
func TestOps(t *testing.T) {
	t.Parallel()
	dialecttest.RunOps(t, postgres.New(), openDB(t))
}
