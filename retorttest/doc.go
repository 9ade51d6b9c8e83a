// Package retorttest owns retort's migration test kit for go test:
// pytest-alembic's built-in tests, run by [Run] as subtests, and a
// [Runner] for custom tests, each on a database of its own. It does not
// plan or run migrations itself (package retort does) and does not
// autogenerate; it compares a target schema with the inspected database.
//
// One test function proves a project's migrations:
//
//	func TestMigrations(t *testing.T) {
//		retorttest.Run(t, retorttest.Config{
//			ConfigFile: "../retort.toml",
//			Target:     app.Schema(), // *schema.Database, optional
//		})
//	}
//
// The built-in tests, by the names [Config.Include] and [Config.Exclude]
// take (pytest-alembic's, without the test_ prefix):
//
//   - single_head_revision: the graph has one real head (or [Config.Heads]);
//   - upgrade: an empty database upgrades to head one revision at a time;
//   - model_definitions_match_ddl: after upgrading to head, the inspected
//     database equals [Config.Target] (skipped without a target);
//   - up_down_consistency: every revision upgrades, then downgrades one at
//     a time from head towards base, then upgrades again, respecting
//     [Config.MinimumDowngradeRevision] as pytest-alembic reads it;
//   - downgrade_leaves_no_trace: each revision's downgrade leaves the
//     schema exactly as it was before its upgrade;
//   - all_models_register_on_metadata: every table of [Config.Models] is
//     in the target schema (skipped without models);
//   - data_round_trip: the rows of [Config.BeforeRevisionData] and
//     [Config.AtRevisionData] survive the upgrade to head and the
//     downgrade back (skipped without data).
//
// # Databases
//
// Each test gets a fresh database: SQLite in memory by default, or
// PostgreSQL when [Config.URL] or the environment variable
// RETORT_TEST_POSTGRES_URL names a server. A PostgreSQL database is
// cloned (CREATE DATABASE ... TEMPLATE) from a template database that is
// made once per server and kept, so many tests stay fast, and it is
// dropped WITH (FORCE) when the test ends. Tests may run with
// t.Parallel(): the template is made under a sync.Once in the process and
// a PostgreSQL advisory lock across processes, and a clone that finds the
// template busy is retried.
//
// A failure names the revision at fault and shows the schema difference,
// laid out as pytest-alembic does: the message, then each piece of context
// under a title, indented.
package retorttest
