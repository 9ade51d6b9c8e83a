package mysql

// SetSchemaLocal returns USE `schema`, as [Dialect.SetSchema] does:
// MySQL has no setting that lasts only for a transaction, so the
// connection keeps the database selected after the transaction ends.
func (d Dialect) SetSchemaLocal(schema string) ([]string, error) {
	return d.SetSchema(schema)
}
