package sqlite

// SetSchemaLocal returns ErrNoSchemas: SQLite has no search_path.
func (Dialect) SetSchemaLocal(string) ([]string, error) { return nil, ErrNoSchemas }
