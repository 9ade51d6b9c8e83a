// Package config owns retort.toml: environments, variable expansion and
// database URLs; it does not connect to anything.
//
// A file has one [retort] table and any number of [env.NAME] tables; an
// environment inherits every key of [retort] it does not set:
//
//	[retort]
//	script_location = "migrations"
//	url = "${DATABASE_URL:-sqlite:///app.db}"
//
//	[env.reporting]
//	script_location = "migrations/reporting"
//	url = "${REPORTING_URL}"
//
// String values expand ${VAR} and ${VAR:-default} from the environment
// ($$ is a literal $); url, search_path and version_table_schema also take
// {x.NAME} placeholders, filled from -x NAME=VALUE arguments
// ([ParseXArgs], [WithXArgs]). Relative script_location,
// version_locations, target_schema and program are relative to the
// file's folder; a relative sqlite:///file.db is relative to the working
// directory, as in SQLAlchemy.
//
// [ParseURL] reads SQLAlchemy URLs (postgresql+psycopg2://, mysql+pymysql://,
// sqlite:///...) and gives the database/sql driver name and DSN for pgx,
// go-sql-driver/mysql and modernc.org/sqlite. A URL prints redacted, and no
// error of this package contains a password.
package config
