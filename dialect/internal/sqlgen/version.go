package sqlgen

// VersionSQL writes the version table's statements exactly as Alembic
// keeps the table: version_num VARCHAR(32), primary key <table>_pkc, and
// Alembic's UPDATE/DELETE forms. Ids are rendered as literals so one text
// serves online runs and offline scripts.
type VersionSQL struct {
	Q Quoter
	// Table is the table's qualified, quoted name; Name its bare name.
	Table, Name string
}

// CreateTable is Alembic's DDL, with IF NOT EXISTS.
func (v VersionSQL) CreateTable() string {
	return "CREATE TABLE IF NOT EXISTS " + v.Table +
		" (version_num VARCHAR(32) NOT NULL, CONSTRAINT " + v.Q.QuoteIdent(v.Name+"_pkc") +
		" PRIMARY KEY (version_num))"
}

// DropTable drops the table.
func (v VersionSQL) DropTable() string { return "DROP TABLE " + v.Table }

// Insert adds one row.
func (v VersionSQL) Insert(id string) string {
	return "INSERT INTO " + v.Table + " (version_num) VALUES (" + v.Q.QuoteLiteral(id) + ")"
}

// Update renames one row, in Alembic's form.
func (v VersionSQL) Update(from, to string) string {
	return "UPDATE " + v.Table + " SET version_num=" + v.Q.QuoteLiteral(to) +
		" WHERE " + v.Table + ".version_num = " + v.Q.QuoteLiteral(from)
}

// Delete removes one row, in Alembic's form.
func (v VersionSQL) Delete(id string) string {
	return "DELETE FROM " + v.Table + " WHERE " + v.Table + ".version_num = " + v.Q.QuoteLiteral(id)
}

// DeleteAll removes every row.
func (v VersionSQL) DeleteAll() string { return "DELETE FROM " + v.Table }
