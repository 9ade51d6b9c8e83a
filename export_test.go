package retort

// RemoveEmptySQLite is removeEmptySQLite, for the tests of package
// retort_test.
var RemoveEmptySQLite = removeEmptySQLite
