package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/dialect/sqlite"
)

func TestRender(t *testing.T) {
	dialecttest.GoldenRender(t, sqlite.New(), *update)
}

// TestOps applies every operation and its reverse on a real database.
func TestOps(t *testing.T) {
	t.Parallel()
	dialecttest.RunOps(t, sqlite.New(), openDSN(t, "file:"+filepath.Join(t.TempDir(), "ops.db")+"?_pragma=foreign_keys(1)"))
}
