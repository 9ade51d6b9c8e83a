package postgres_test

import (
	"testing"

	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/dialect/postgres"
)

func TestRender(t *testing.T) {
	dialecttest.GoldenRender(t, postgres.New(), *update)
}
