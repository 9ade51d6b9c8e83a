//go:build ignore

// gen writes the same linear chain of N small migrations in the format of
// one tool, for the benchmarks in bench/run.sh:
//
//	go run bench/gen.go -n 1000 -tool retort|alembic|goose|migrate|sql \
//	    -out DIR [-dialect sqlite|postgres] [-url URL] [-txn single|per-revision]
//
// Revision i (1..N) has the id fmt.Sprintf("%012d", i) and revises i-1 (the
// first revises nothing). Its upgrade is
//
//	CREATE TABLE tNNNN (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT);
//	CREATE INDEX ix_tNNNN_name ON tNNNN (name);
//
// and its downgrade DROP TABLE tNNNN. The SQL is the same for SQLite and
// PostgreSQL; -dialect only selects the default URL. On -dialect mysql the
// name column is VARCHAR(100) (MySQL indexes a TEXT column only by a
// prefix), and alembic reaches the server through PyMySQL.
//
// Per tool:
//
//	retort   DIR/retort.toml, DIR/migrations/versions/<id>_create_table_tNNNN.sql
//	         (-txn per-revision writes transaction_per_migration = true;
//	         -target-schema also writes DIR/schema.sql, the N tables the
//	         chain creates, so that retort test's model_definitions_match_ddl
//	         has a target, as pytest-alembic's has target_metadata)
//	alembic  DIR/alembic.ini, DIR/migrations/env.py, DIR/migrations/versions/<id>_….py
//	         using op.execute with the same SQL text. The URL comes from the
//	         environment variable BENCH_ALEMBIC_URL (default: -url). env.py sets
//	         transaction_per_migration from -txn (single: the whole run in one
//	         transaction, Alembic's default; per-revision: one per revision)
//	         and, on SQLite, turns off pysqlite's own transaction handling and
//	         emits BEGIN itself, so that SQLite really runs the transactions
//	         Alembic asks for (SQLAlchemy's documented recipe). Logging is
//	         Alembic's generic template's (INFO: one line per revision, like
//	         retort's).
//	goose    DIR/NNNNN_create_table_tNNNN.sql with -- +goose Up / Down
//	         (goose runs each migration in its own transaction)
//	migrate  DIR/NNNNNN_create_table_tNNNN.up.sql / .down.sql
//	         (golang-migrate: one transaction per migration on sqlite3; on
//	         PostgreSQL each file is sent as one multi-statement query)
//	sql      the floor: DIR/single.sql, everything between one BEGIN/COMMIT,
//	         and DIR/per-statement.sql, the same statements with no
//	         BEGIN/COMMIT, so that each one commits on its own. Both contain the
//	         version-table bookkeeping a migration tool must do (create
//	         alembic_version, insert then update its row once per revision),
//	         i.e. what `alembic upgrade head --sql` prints.
//	         DIR/per-revision.sql wraps each revision (and its version-table
//	         update) in its own BEGIN/COMMIT: what goose, golang-migrate and
//	         per-revision retort/Alembic do.
//	         DIR/stamp.sql creates alembic_version holding the head revision
//	         (used to prepare a database for `current`).
//	pytest-alembic
//	         an Alembic project (the same revision files as alembic) set up
//	         for pytest-alembic, the comparison of `retort test`:
//	         DIR/alembic.ini, DIR/migrations/env.py using the connection
//	         pytest-alembic hands over (config.attributes["connection"]) and
//	         target_metadata from DIR/migrations/models.py (the N tables as
//	         SQLAlchemy Table objects, so that model_definitions_match_ddl can
//	         run), DIR/tests/conftest.py defining the alembic_engine fixture
//	         and DIR/pytest.ini. On -dialect sqlite alembic_engine is
//	         pytest-alembic's own default (SQLite in memory); on postgres each
//	         test gets a fresh database, created on the server named by the
//	         environment variable BENCH_PYTEST_ALEMBIC_URL (default: -url) and
//	         dropped afterwards, as pytest-mock-resources would do. Run with
//	         `pytest -p pytest_alembic.plugin --test-alembic` (pytest-alembic's
//	         source on PYTHONPATH); pytest-alembic's four default tests run.
//	         -experimental downgrade_leaves_no_trace runs that experimental
//	         test alone instead (pytest_alembic_include_experimental, the
//	         default tests excluded in pytest.ini).
//
// With -members M (the fleet suite), the project serves M tenants,
// tenant_0001 … tenant_M, listed one a line in DIR/tenants.txt: on
// PostgreSQL each tenant is a schema of the database of -url, on SQLite
// each is a file -member-dir/tenant_NNNN.db (the line is the file's path).
// Per tool:
//
//	retort   [retort] url and search_path = "{x.tenant}" (PostgreSQL) or
//	         url = "sqlite:///{x.tenant}" (SQLite), and a fleet
//	         [fleet.tenants] with members_file = "tenants.txt": run with
//	         retort --fleet tenants upgrade head
//	alembic  (PostgreSQL) env.py takes the tenant from -x tenant=NAME and
//	         sets the connection's search_path to it before configuring the
//	         context, so the tables and alembic_version land in the tenant's
//	         schema: the schema-per-tenant recipe of Alembic's cookbook, run
//	         once per tenant (python3 -m alembic -x tenant=NAME upgrade head)
//	goose    unchanged; the loop passes search_path=NAME in the URL
//	sql      DIR/fleet.sql, the floor of a fleet: every tenant's revisions
//	         through one client session, one transaction per tenant (on
//	         PostgreSQL SET LOCAL search_path inside it; on SQLite the
//	         sqlite3 shell's .open switches to the tenant's file first), with
//	         the same version-table bookkeeping as single.sql; and on
//	         PostgreSQL DIR/schemas.sql, creating the empty tenant schemas
//	         (every tool starts from them)
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

var (
	n       = flag.Int("n", 100, "number of revisions")
	tool    = flag.String("tool", "retort", "retort | alembic | goose | migrate | sql")
	out     = flag.String("out", "", "output directory (created; must be empty or absent)")
	dialect = flag.String("dialect", "sqlite", "sqlite | postgres | mysql (selects the default URL; mysql also the name column's type)")
	url     = flag.String("url", "", "database URL written into the project (default: sqlite:///bench.db or $BENCH_POSTGRES_URL)")
	txn     = flag.String("txn", "single", "transaction policy for retort and alembic: single | per-revision")
	exper   = flag.String("experimental", "", "pytest-alembic: run only this experimental test (downgrade_leaves_no_trace)")
	tschema = flag.Bool("target-schema", false, "retort: also write schema.sql (the N tables), the target of model_definitions_match_ddl")
	members = flag.Int("members", 0, "a fleet of this many tenants (schemas on postgres, files on sqlite); see the package doc")
	mdir    = flag.String("member-dir", "", "with -members on sqlite: the folder of the tenants' files")
)

const createDate = "2026-11-21 10:00:00.000000+00:00"

func id(i int) string { return fmt.Sprintf("%012d", i) }

func table(i int) string { return fmt.Sprintf("t%04d", i) }

func message(i int) string { return "create table " + table(i) }

func slug(i int) string { return "create_table_" + table(i) }

// upgrade returns revision i's upgrade statements, without trailing semicolons.
func upgrade(i int) []string {
	t := table(i)
	name := "TEXT"
	if *dialect == "mysql" {
		name = "VARCHAR(100)"
	}
	return []string{
		fmt.Sprintf("CREATE TABLE %s (id INTEGER PRIMARY KEY, name %s NOT NULL, created_at TEXT)", t, name),
		fmt.Sprintf("CREATE INDEX ix_%s_name ON %s (name)", t, t),
	}
}

func downgrade(i int) []string {
	return []string{fmt.Sprintf("DROP TABLE %s", table(i))}
}

func joinStmts(stmts []string) string {
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString(s)
		b.WriteString(";\n")
	}
	return b.String()
}

func write(path, content string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	flag.Parse()
	if *exper != "" && (*tool != "pytest-alembic" || *exper != "downgrade_leaves_no_trace") {
		log.Fatalf("-experimental %q: only downgrade_leaves_no_trace, with -tool pytest-alembic", *exper)
	}
	if *tschema && *tool != "retort" {
		log.Fatal("-target-schema: only with -tool retort")
	}
	if *out == "" || *n < 1 {
		log.Fatal("usage: go run bench/gen.go -n N -tool retort|alembic|goose|migrate|sql|pytest-alembic -out DIR [-dialect sqlite|postgres] [-url URL] [-txn single|per-revision]")
	}
	if *txn != "single" && *txn != "per-revision" {
		log.Fatalf("-txn %q: want single or per-revision", *txn)
	}
	if *url == "" {
		switch *dialect {
		case "sqlite":
			*url = "sqlite:///bench.db"
		case "postgres":
			*url = os.Getenv("BENCH_POSTGRES_URL")
			if *url == "" {
				*url = "postgres://localhost/bench"
			}
		case "mysql":
			*url = os.Getenv("BENCH_MYSQL_URL")
			if *url == "" {
				*url = "mysql://root@127.0.0.1/bench"
			}
		default:
			log.Fatalf("-dialect %q: want sqlite, postgres or mysql", *dialect)
		}
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		log.Fatalf("%s is not empty", *out)
	}
	if *members > 0 {
		if *dialect != "postgres" && *dialect != "sqlite" {
			log.Fatalf("-members: only with -dialect postgres or sqlite")
		}
		if *dialect == "sqlite" && *mdir == "" {
			log.Fatal("-members on sqlite: set -member-dir, the folder of the tenants' files")
		}
		if *dialect == "sqlite" && *tool == "alembic" {
			log.Fatal("-members: the alembic tenant project is written for PostgreSQL schemas only")
		}
		write(filepath.Join(*out, "tenants.txt"), strings.Join(tenants(), "\n")+"\n")
	}
	switch *tool {
	case "retort":
		genRetort()
	case "alembic":
		genAlembic()
	case "goose":
		genGoose()
	case "migrate":
		genMigrate()
	case "sql":
		genSQL()
	case "pytest-alembic":
		genPytestAlembic()
	default:
		log.Fatalf("-tool %q: want retort, alembic, goose, migrate, sql or pytest-alembic", *tool)
	}
}

// tenants returns the members of -members: schema names on PostgreSQL,
// file paths on SQLite.
func tenants() []string {
	out := make([]string, *members)
	for i := range out {
		out[i] = fmt.Sprintf("tenant_%04d", i+1)
		if *dialect == "sqlite" {
			out[i] = filepath.Join(*mdir, out[i]+".db")
		}
	}
	return out
}

func genRetort() {
	u := *url
	if *members > 0 && *dialect == "sqlite" {
		u = "sqlite:///{x.tenant}"
	}
	cfg := fmt.Sprintf("[retort]\nscript_location = \"migrations\"\nurl = %q\n", u)
	if *txn == "per-revision" {
		cfg += "transaction_per_migration = true\n"
	}
	if *members > 0 {
		if *dialect == "postgres" {
			cfg += "search_path = \"{x.tenant}\"\n"
		}
		cfg += "\n[fleet.tenants]\nplaceholder = \"tenant\"\nmembers_file = \"tenants.txt\"\n"
	}
	write(filepath.Join(*out, "retort.toml"), cfg)
	if *tschema {
		var b strings.Builder
		for i := 1; i <= *n; i++ {
			b.WriteString(joinStmts(upgrade(i)))
		}
		write(filepath.Join(*out, "schema.sql"), b.String())
	}
	for i := 1; i <= *n; i++ {
		revises := ""
		if i > 1 {
			revises = " " + id(i-1)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "-- %s\n--\n-- Revision ID: %s\n-- Revises:%s\n-- Branch Labels:\n-- Depends On:\n-- Create Date: %s\n\n",
			message(i), id(i), revises, createDate)
		fmt.Fprintf(&b, "-- +retort upgrade\n%s\n-- +retort downgrade\n%s", joinStmts(upgrade(i)), joinStmts(downgrade(i)))
		write(filepath.Join(*out, "migrations", "versions", id(i)+"_"+slug(i)+".sql"), b.String())
	}
}

// alembicURL maps a retort/libpq URL to an SQLAlchemy one.
func alembicURL(u string) string {
	switch {
	case strings.HasPrefix(u, "postgres://"):
		return "postgresql://" + strings.TrimPrefix(u, "postgres://")
	case strings.HasPrefix(u, "mysql://"):
		return "mysql+pymysql://" + strings.TrimPrefix(u, "mysql://")
	}
	return u
}

const alembicINI = `[alembic]
script_location = %(here)s/migrations
sqlalchemy.url = URL

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
`

const alembicEnv = `# Generated by bench/gen.go.
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, event, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

URL = os.environ.get("BENCH_ALEMBIC_URL") or config.get_main_option("sqlalchemy.url")

# single: the whole run in one transaction (Alembic's default);
# per-revision: one transaction per revision.
TRANSACTION_PER_MIGRATION = TXN


def run_migrations_offline():
    context.configure(url=URL, literal_binds=True,
                      transaction_per_migration=TRANSACTION_PER_MIGRATION)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = create_engine(URL, poolclass=pool.NullPool)
    if engine.dialect.name == "sqlite":
        # pysqlite opens transactions only before DML, so DDL would run in
        # autocommit whatever Alembic asks; let SQLAlchemy emit BEGIN itself.
        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, connection_record):
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN")

    with engine.connect() as connection:
        context.configure(connection=connection,
                          transaction_per_migration=TRANSACTION_PER_MIGRATION)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
`

// alembicConfigure is the online configure call of alembicEnv, which the
// tenant project replaces with alembicTenantConfigure.
const alembicConfigure = `    with engine.connect() as connection:
        context.configure(connection=connection,
`

// alembicTenantConfigure: schema per tenant, as in Alembic's cookbook
// ("Rudimental Schema-Level Multi Tenancy for PostgreSQL Databases"):
// the tenant comes from -x tenant=NAME, the session's search_path is set
// to its schema before the context is configured (so alembic_version and
// the tables land there), and the dialect's default schema follows.
const alembicTenantConfigure = `    tenant = context.get_x_argument(as_dictionary=True).get("tenant")
    if not tenant:
        raise SystemExit("pass the tenant: alembic -x tenant=NAME upgrade head")
    with engine.connect() as connection:
        connection.exec_driver_sql('SET search_path TO "%s"' % tenant.replace('"', '""'))
        if connection.in_transaction():
            connection.commit()
        connection.dialect.default_schema_name = tenant
        context.configure(connection=connection,
`

const alembicMako = `"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
`

func pyOps(stmts []string) string {
	var b strings.Builder
	for _, s := range stmts {
		fmt.Fprintf(&b, "    op.execute(%q)\n", s)
	}
	return b.String()
}

func genAlembic() {
	write(filepath.Join(*out, "alembic.ini"), strings.Replace(alembicINI, "URL", alembicURL(*url), 1))
	tpm := "False"
	if *txn == "per-revision" {
		tpm = "True"
	}
	env := alembicEnv
	if *members > 0 {
		env = strings.Replace(env, alembicConfigure, alembicTenantConfigure, 1)
	}
	write(filepath.Join(*out, "migrations", "env.py"), strings.Replace(env, "= TXN", "= "+tpm, 1))
	writeAlembicRevisions()
}

func writeAlembicRevisions() {
	write(filepath.Join(*out, "migrations", "script.py.mako"), alembicMako)
	for i := 1; i <= *n; i++ {
		down, revises := "None", ""
		if i > 1 {
			down, revises = fmt.Sprintf("'%s'", id(i-1)), id(i-1)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "\"\"\"%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: %s\n\n\"\"\"\nfrom alembic import op\n\n",
			message(i), id(i), revises, createDate)
		fmt.Fprintf(&b, "revision = '%s'\ndown_revision = %s\nbranch_labels = None\ndepends_on = None\n\n\n", id(i), down)
		fmt.Fprintf(&b, "def upgrade():\n%s\n\ndef downgrade():\n%s", pyOps(upgrade(i)), pyOps(downgrade(i)))
		write(filepath.Join(*out, "migrations", "versions", id(i)+"_"+slug(i)+".py"), b.String())
	}
}

func genGoose() {
	for i := 1; i <= *n; i++ {
		content := fmt.Sprintf("-- +goose Up\n%s\n-- +goose Down\n%s", joinStmts(upgrade(i)), joinStmts(downgrade(i)))
		write(filepath.Join(*out, fmt.Sprintf("%05d_%s.sql", i, slug(i))), content)
	}
}

func genMigrate() {
	for i := 1; i <= *n; i++ {
		base := filepath.Join(*out, fmt.Sprintf("%06d_%s", i, slug(i)))
		write(base+".up.sql", joinStmts(upgrade(i)))
		write(base+".down.sql", joinStmts(downgrade(i)))
	}
}

const versionTable = "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"

func versionStmt(i int) string {
	if i == 1 {
		return fmt.Sprintf("INSERT INTO alembic_version (version_num) VALUES ('%s')", id(i))
	}
	return fmt.Sprintf("UPDATE alembic_version SET version_num='%s' WHERE alembic_version.version_num = '%s'", id(i), id(i-1))
}

func genSQL() {
	var all []string
	all = append(all, versionTable)
	for i := 1; i <= *n; i++ {
		all = append(all, upgrade(i)...)
		all = append(all, versionStmt(i))
	}
	body := joinStmts(all)
	write(filepath.Join(*out, "single.sql"), "BEGIN;\n"+body+"COMMIT;\n")
	write(filepath.Join(*out, "per-statement.sql"), body)
	var per strings.Builder
	per.WriteString(versionTable + ";\n")
	for i := 1; i <= *n; i++ {
		per.WriteString("BEGIN;\n" + joinStmts(append(upgrade(i), versionStmt(i))) + "COMMIT;\n")
	}
	write(filepath.Join(*out, "per-revision.sql"), per.String())
	write(filepath.Join(*out, "stamp.sql"), versionTable+";\n"+
		fmt.Sprintf("INSERT INTO alembic_version (version_num) VALUES ('%s');\n", id(*n)))
	if *members > 0 {
		genFleetSQL(body)
	}
}

// genFleetSQL writes fleet.sql, every tenant's revisions (body, the
// statements of single.sql) through one session, one transaction per
// tenant, and on PostgreSQL schemas.sql, the empty tenant schemas.
func genFleetSQL(body string) {
	var f, schemas strings.Builder
	for _, t := range tenants() {
		if *dialect == "sqlite" {
			fmt.Fprintf(&f, ".open '%s'\nBEGIN;\n%sCOMMIT;\n", strings.ReplaceAll(t, "'", "''"), body)
			continue
		}
		fmt.Fprintf(&f, "BEGIN;\nSET LOCAL search_path TO \"%s\";\n%sCOMMIT;\n", t, body)
		fmt.Fprintf(&schemas, "CREATE SCHEMA \"%s\";\n", t)
	}
	write(filepath.Join(*out, "fleet.sql"), f.String())
	if *dialect == "postgres" {
		write(filepath.Join(*out, "schemas.sql"), schemas.String())
	}
}

// pytest-alembic's project: env.py as in pytest-alembic's examples (the
// connection it hands over, else an engine from alembic.ini).
const pytestAlembicEnv = `# Generated by bench/gen.go.
import os
import sys
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

sys.path.insert(0, os.path.dirname(__file__))
from models import metadata  # noqa: E402

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = metadata

connectable = config.attributes.get("connection", None)
if connectable is None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
`

const pytestAlembicConftestSQLite = `# Generated by bench/gen.go: pytest-alembic's default alembic_engine
# (SQLite in memory), spelled out.
import pytest
import sqlalchemy


@pytest.fixture()
def alembic_engine():
    engine = sqlalchemy.create_engine("sqlite:///")
    try:
        yield engine
    finally:
        engine.dispose()
`

const pytestAlembicConftestPostgres = `# Generated by bench/gen.go: each test gets a fresh PostgreSQL database,
# created on the server BENCH_PYTEST_ALEMBIC_URL names and dropped afterwards
# (what pytest-mock-resources' create_postgres_fixture does).
import os
import uuid

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url

URL = os.environ.get("BENCH_PYTEST_ALEMBIC_URL") or "URL"


@pytest.fixture()
def alembic_engine():
    admin = sqlalchemy.create_engine(URL, isolation_level="AUTOCOMMIT",
                                     poolclass=sqlalchemy.pool.NullPool)
    name = "pytest_alembic_" + uuid.uuid4().hex[:12]
    with admin.connect() as conn:
        conn.exec_driver_sql('CREATE DATABASE "%s"' % name)
    engine = sqlalchemy.create_engine(make_url(URL).set(database=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
        admin.dispose()
`

func genPytestAlembic() {
	u := alembicURL(*url)
	write(filepath.Join(*out, "alembic.ini"), strings.Replace(alembicINI, "URL", u, 1))
	write(filepath.Join(*out, "migrations", "env.py"), pytestAlembicEnv)
	var m strings.Builder
	m.WriteString("# Generated by bench/gen.go: the tables the revisions create.\n")
	m.WriteString("from sqlalchemy import Column, Index, Integer, MetaData, Table, Text\n\nmetadata = MetaData()\n\n")
	// SQLite reports an INTEGER PRIMARY KEY column as nullable (its rowid
	// alias), so there the model says so too.
	idOpts := ""
	if *dialect == "sqlite" {
		idOpts = ", nullable=True"
	}
	for i := 1; i <= *n; i++ {
		t := table(i)
		fmt.Fprintf(&m, "Table(%q, metadata, Column(\"id\", Integer, primary_key=True%s), Column(\"name\", Text, nullable=False), Column(\"created_at\", Text), Index(\"ix_%s_name\", \"name\"))\n", t, idOpts, t)
	}
	write(filepath.Join(*out, "migrations", "models.py"), m.String())
	writeAlembicRevisions()
	conftest := pytestAlembicConftestSQLite
	if *dialect == "postgres" {
		conftest = strings.Replace(pytestAlembicConftestPostgres, `"URL"`, fmt.Sprintf("%q", u), 1)
	}
	write(filepath.Join(*out, "tests", "conftest.py"), conftest)
	ini := "[pytest]\n"
	if *exper != "" {
		ini += "pytest_alembic_include_experimental = " + *exper + "\n" +
			"pytest_alembic_exclude = single_head_revision, upgrade, model_definitions_match_ddl, up_down_consistency\n"
	}
	write(filepath.Join(*out, "pytest.ini"), ini)
}
