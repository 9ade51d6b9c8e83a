package sqlite

import (
	"errors"

	"github.com/retortdb/retort/internal/fault"
)

// ErrNoSchemas is returned by [Dialect.SetSchema]: SQLite has no schemas
// and no search_path.
// It matches [fault.ErrBadInput]: the configuration must change.
var ErrNoSchemas = fault.BadInput(errors.New("sqlite has no schemas: setting search_path is only for PostgreSQL; leave the schema option empty"))

// SetSchema fails with [ErrNoSchemas].
func (Dialect) SetSchema(string) ([]string, error) { return nil, ErrNoSchemas }

// SetSchemaLocal returns ErrNoSchemas: SQLite has no search_path.
func (Dialect) SetSchemaLocal(string) ([]string, error) { return nil, ErrNoSchemas }
