// Package fleet runs one migration command on every member of a fleet
// (a [fleet.NAME] table of retort.toml: many tenant schemas, databases
// or SQLite files), in parallel, each member exactly as a single run of
// package retort runs it: its own transaction policy and lock.
//
// Several processes may run the same fleet at once without a
// coordinator: a first pass tries each member's lock without waiting
// (the database's own lock: an advisory lock on PostgreSQL, GET_LOCK on
// MySQL, the file's write lock on SQLite), and a member another process
// holds is revisited after the others, waiting at most lock_timeout.
// Under the lock each run re-reads the version table, so a member is
// migrated once whichever process gets to it first; the others find it
// at the target and do nothing.
package fleet
