package retort

// RemoveEmptySQLite is removeEmptySQLite, for the tests of package
// retort_test.
var RemoveEmptySQLite = removeEmptySQLite

// Contended exposes (*Env).contended: whether a failed first run keeps
// the SQLite file it created.
func Contended(e *Env, err error) bool { return e.contended(err) }

// CachedChecksum is the checksum of revision id that e's graph index
// keeps, if any.
func CachedChecksum(e *Env, id string) (string, bool) {
	sc := e.scriptOf(id)
	if sc == nil {
		return "", false
	}
	return sc.CachedChecksum(sumKey(e.dialect.SplitOptions()))
}
