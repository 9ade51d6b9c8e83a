// Package dbtest owns the test databases of retort's own tests: a fresh
// PostgreSQL or MariaDB database per test on the servers that
// ./scripts/test.sh starts, SQLite files in a test's temporary folder, and
// the Python that runs Alembic for comparison tests; it does not start
// servers (scripts/test.sh does).
//
// Servers are named by environment variables:
//
//	RETORT_TEST_POSTGRES_URL  postgres://retort:PASS@127.0.0.1:PORT/postgres?sslmode=disable
//	RETORT_TEST_PGBOUNCER_URL postgres://retort:PASS@127.0.0.1:PORT/postgres?sslmode=disable
//	                          (PgBouncer, pool_mode = transaction, in front of the server above)
//	RETORT_TEST_MYSQL_URL     mysql://retort:PASS@127.0.0.1:PORT/mysql
//	RETORT_TEST_ALEMBIC       a python3 that can import alembic
//
// A helper whose variable is unset skips the test with a message naming it,
// so `go test ./...` passes on a machine without servers and nothing skips
// under ./scripts/test.sh.
package dbtest
