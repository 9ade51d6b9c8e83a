package sqlite_test

import (
	"testing"

	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/dialect/sqlite"
)

func TestRender(t *testing.T) {
	dialecttest.GoldenRender(t, sqlite.New(), *update)
}
