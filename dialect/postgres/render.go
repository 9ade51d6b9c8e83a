package postgres

import (
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
)

// Render returns the statements for op; see [dialect.Dialect].
func (d Dialect) Render(op ops.Operation) ([]string, error) {
	if r, ok := op.(dialect.Renderer); ok {
		return r.RenderSQL(d)
	}
	return nil, &dialect.UnsupportedError{Op: op.Describe(), Dialect: d.Name(), Hint: "not implemented yet"}
}
