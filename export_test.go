package retort

// RemoveEmptySQLite is removeEmptySQLite, for the tests of package
// retort_test.
var RemoveEmptySQLite = removeEmptySQLite

// Contended exposes (*Env).contended: whether a failed first run keeps
// the SQLite file it created.
func Contended(e *Env, err error) bool { return e.contended(err) }
