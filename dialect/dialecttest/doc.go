// Package dialecttest is the conformance suite every dialect passes: the
// version table's round trip, quoting of odd names, the run lock's
// exclusion and timeout, transactional DDL where the dialect claims it,
// its registration in the engine registry, and the capabilities and
// optional abilities it claims (placeholders, several statements per
// Exec, the current schema, the rebuild catalog, scratch databases,
// view normalisation, in-memory databases). It does not start servers; the caller's open function supplies a
// fresh database.
//
// A dialect's test calls [Run] against a real database, and [Golden] to
// check its rendered version-table SQL against files under testdata;
// [GoldenRender] checks the rendering of every operation in
// [RenderCases], and [RunOps] applies every operation and its reverse to
// a real database, reading results back through the dialect's
// inspector.
package dialecttest
