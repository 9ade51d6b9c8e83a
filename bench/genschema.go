//go:build ignore

// genschema writes the autogenerate benchmark's workload for bench/run.sh
// (suite autogenerate): one PostgreSQL schema of N tables, as DDL to create
// the database, as the target schema of a retort SQL project and as
// SQLAlchemy models for Alembic's autogenerate:
//
//	go run bench/genschema.go -n 1000 -url postgres://… -out DIR
//
// Table i (1..N) is tNNNN with 8 columns, a primary key, a unique
// constraint, two indexes and a foreign key to table i/2 (table 1 refers to
// itself): the references form a binary tree, about log2(N) deep, not a
// chain (SQLAlchemy 1.4 reflects referred tables recursively, and a chain of
// 1,000 exceeds Python's recursion limit):
//
//	CREATE TABLE t0006 (
//	    id bigint PRIMARY KEY,
//	    parent_id bigint CONSTRAINT fk_t0006_parent_id REFERENCES t0003 (id),
//	    name varchar(100) NOT NULL,
//	    email varchar(200) CONSTRAINT uq_t0006_email UNIQUE,
//	    amount numeric(12,2) NOT NULL DEFAULT 0,
//	    active boolean NOT NULL DEFAULT true,
//	    created_at timestamp with time zone NOT NULL DEFAULT now(),
//	    note text
//	);
//	CREATE INDEX ix_t0006_parent_id ON t0006 (parent_id);
//	CREATE INDEX ix_t0006_name_created_at ON t0006 (name, created_at);
//
// With -schemas K (K > 1), table i lives in schema s<(i-1)%K+1>, each
// name is schema-qualified (references included), the DDL starts with the
// K CREATE SCHEMA statements, retort.toml gets include_schemas = ["s1", …]
// and Alembic's env.py include_schemas=True, and the SQLAlchemy tables
// their schema=; alembic_version stays in public. The retort target then
// spans schemas, so retort builds it in a scratch database rather than a
// scratch schema.
//
// The "changed" target differs from the database in 5 columns of 5 tables
// spread over the schema (at N/10, 3N/10, 5N/10, 7N/10, 9N/10): note text →
// varchar(500), name varchar(100) → varchar(200), email made NOT NULL, and
// two columns added (score integer, tag varchar(50)).
//
// DIR gets:
//
//	create.sql           the DDL of the database (= schema.sql), then
//	                     alembic_version stamped at the baseline revision
//	schema.sql           the target, no difference from the database
//	schema-changed.sql   the target with the 5 changes
//	retort-same/, retort-changed/
//	                     retort projects: retort.toml (url, target_schema =
//	                     "schema.sql"), schema.sql, and
//	                     migrations/versions/000000000001_baseline.sql, an
//	                     empty revision the database is stamped at
//	alembic-same/, alembic-changed/
//	                     Alembic projects: alembic.ini, models.py (a MetaData
//	                     with the N tables as Table objects), migrations/env.py
//	                     with target_metadata = models.metadata,
//	                     compare_type=True and compare_server_default=True
//	                     (retort compares both by default), and the same
//	                     baseline revision as migrations/versions/….py
//
// The SQLAlchemy types are those PostgreSQL reflects the DDL's types as
// (BigInteger, String(n), Numeric(12, 2), Boolean, DateTime(timezone=True),
// Text) and the server defaults render as PostgreSQL prints them, so that
// Alembic finds no difference on the "same" target.
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
	n       = flag.Int("n", 100, "number of tables")
	url     = flag.String("url", "", "PostgreSQL URL of the benchmark database (postgres://…)")
	out     = flag.String("out", "", "output directory (created; must be empty or absent)")
	schemas = flag.Int("schemas", 1, "spread the tables over this many schemas s1, s2, … (1: all in public, unqualified)")
)

const baseline = "000000000001"

const createDate = "2026-11-21 10:00:00.000000+00:00"

func table(i int) string { return fmt.Sprintf("t%04d", i) }

// schemaOf returns table i's schema: "" (public) unless -schemas > 1.
func schemaOf(i int) string {
	if *schemas <= 1 {
		return ""
	}
	return fmt.Sprintf("s%d", (i-1)%*schemas+1)
}

// qualified returns table i's name as SQL writes it.
func qualified(i int) string {
	if s := schemaOf(i); s != "" {
		return s + "." + table(i)
	}
	return table(i)
}

type column struct {
	name, sqlType, pyType string
	notNull               bool
	def                   string // SQL server default, "" for none
	ref                   string // referenced table, for the foreign key
	unique                bool
}

type tableDef struct {
	name    string
	schema  string // "" for public
	cols    []column
	indexes [][]string // columns; the index is ix_<table>_<cols joined by _>
}

// changes maps a table number to the change made to it in the "changed"
// target.
func changes() map[int]int {
	m := map[int]int{}
	for k, f := range []int{1, 3, 5, 7, 9} {
		i := *n * f / 10
		if i < 1 {
			i = 1
		}
		if _, dup := m[i]; !dup {
			m[i] = k
		}
	}
	return m
}

func tables(changed bool) []tableDef {
	ch := changes()
	ts := make([]tableDef, 0, *n)
	for i := 1; i <= *n; i++ {
		t := table(i)
		parent := qualified(max(i/2, 1))
		cols := []column{
			{name: "id", sqlType: "bigint", pyType: "BigInteger", notNull: true},
			{name: "parent_id", sqlType: "bigint", pyType: "BigInteger", ref: parent},
			{name: "name", sqlType: "varchar(100)", pyType: "String(100)", notNull: true},
			{name: "email", sqlType: "varchar(200)", pyType: "String(200)", unique: true},
			{name: "amount", sqlType: "numeric(12,2)", pyType: "Numeric(12, 2)", notNull: true, def: "0"},
			{name: "active", sqlType: "boolean", pyType: "Boolean", notNull: true, def: "true"},
			{name: "created_at", sqlType: "timestamp with time zone", pyType: "DateTime(timezone=True)", notNull: true, def: "now()"},
			{name: "note", sqlType: "text", pyType: "Text"},
		}
		if k, ok := ch[i]; ok && changed {
			switch k {
			case 0:
				cols[7].sqlType, cols[7].pyType = "varchar(500)", "String(500)"
			case 1:
				cols[2].sqlType, cols[2].pyType = "varchar(200)", "String(200)"
			case 2:
				cols[3].notNull = true
			case 3:
				cols = append(cols, column{name: "score", sqlType: "integer", pyType: "Integer"})
			case 4:
				cols = append(cols, column{name: "tag", sqlType: "varchar(50)", pyType: "String(50)"})
			}
		}
		ts = append(ts, tableDef{name: t, schema: schemaOf(i), cols: cols, indexes: [][]string{{"parent_id"}, {"name", "created_at"}}})
	}
	return ts
}

func ddl(ts []tableDef) string {
	var b strings.Builder
	b.WriteString("-- Generated by bench/genschema.go.\n")
	for k := 1; *schemas > 1 && k <= *schemas; k++ {
		fmt.Fprintf(&b, "CREATE SCHEMA s%d;\n", k)
	}
	for _, t := range ts {
		name := t.name
		if t.schema != "" {
			name = t.schema + "." + t.name
		}
		fmt.Fprintf(&b, "\nCREATE TABLE %s (\n", name)
		for j, c := range t.cols {
			fmt.Fprintf(&b, "    %s %s", c.name, c.sqlType)
			if c.name == "id" {
				b.WriteString(" PRIMARY KEY")
			} else if c.notNull {
				b.WriteString(" NOT NULL")
			}
			if c.def != "" {
				fmt.Fprintf(&b, " DEFAULT %s", c.def)
			}
			if c.ref != "" {
				fmt.Fprintf(&b, " CONSTRAINT fk_%s_%s REFERENCES %s (id)", t.name, c.name, c.ref)
			}
			if c.unique {
				fmt.Fprintf(&b, " CONSTRAINT uq_%s_%s UNIQUE", t.name, c.name)
			}
			if j < len(t.cols)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(");\n")
		for _, ix := range t.indexes {
			fmt.Fprintf(&b, "CREATE INDEX ix_%s_%s ON %s (%s);\n", t.name, strings.Join(ix, "_"), name, strings.Join(ix, ", "))
		}
	}
	return b.String()
}

func models(ts []tableDef) string {
	var b strings.Builder
	b.WriteString(`"""Generated by bench/genschema.go: the target schema for Alembic's autogenerate."""
from sqlalchemy import (BigInteger, Boolean, Column, DateTime, ForeignKey, Index,
                        Integer, MetaData, Numeric, String, Table, Text,
                        UniqueConstraint, text)

metadata = MetaData()
`)
	for _, t := range ts {
		fmt.Fprintf(&b, "\nTable(\n    %q, metadata,\n", t.name)
		for _, c := range t.cols {
			args := []string{fmt.Sprintf("%q", c.name), c.pyType}
			if c.ref != "" {
				args = append(args, fmt.Sprintf("ForeignKey(%q, name=%q)", c.ref+".id", "fk_"+t.name+"_"+c.name))
			}
			if c.name == "id" {
				args = append(args, "primary_key=True", "autoincrement=False")
			} else {
				args = append(args, fmt.Sprintf("nullable=%s", map[bool]string{true: "False", false: "True"}[c.notNull]))
			}
			if c.def != "" {
				args = append(args, fmt.Sprintf("server_default=text(%q)", c.def))
			}
			fmt.Fprintf(&b, "    Column(%s),\n", strings.Join(args, ", "))
		}
		for _, c := range t.cols {
			if c.unique {
				fmt.Fprintf(&b, "    UniqueConstraint(%q, name=%q),\n", c.name, "uq_"+t.name+"_"+c.name)
			}
		}
		for _, ix := range t.indexes {
			q := make([]string, len(ix))
			for k, c := range ix {
				q[k] = fmt.Sprintf("%q", c)
			}
			fmt.Fprintf(&b, "    Index(%q, %s),\n", "ix_"+t.name+"_"+strings.Join(ix, "_"), strings.Join(q, ", "))
		}
		if t.schema != "" {
			fmt.Fprintf(&b, "    schema=%q,\n", t.schema)
		}
		b.WriteString(")\n")
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

const stamp = `
CREATE TABLE alembic_version (
    version_num varchar(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version (version_num) VALUES ('` + baseline + `');
`

func genRetort(dir, target string) {
	toml := fmt.Sprintf("[retort]\nscript_location = \"migrations\"\nurl = %q\ntarget_schema = \"schema.sql\"\n", *url)
	if *schemas > 1 {
		names := make([]string, *schemas)
		for k := range names {
			names[k] = fmt.Sprintf("%q", fmt.Sprintf("s%d", k+1))
		}
		toml += "include_schemas = [" + strings.Join(names, ", ") + "]\n"
	}
	write(filepath.Join(dir, "retort.toml"), toml)
	write(filepath.Join(dir, "schema.sql"), target)
	write(filepath.Join(dir, "migrations", "versions", baseline+"_baseline.sql"), fmt.Sprintf(
		"-- baseline\n--\n-- Revision ID: %s\n-- Revises:\n-- Branch Labels:\n-- Depends On:\n-- Create Date: %s\n\n-- +retort upgrade\n\n-- +retort downgrade\n",
		baseline, createDate))
}

const alembicINI = `[alembic]
script_location = %(here)s/migrations
prepend_sys_path = .
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

const alembicEnv = `# Generated by bench/genschema.go.
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

from models import metadata

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = metadata


def run_migrations_online():
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          compare_type=True, compare_server_default=True, include_schemas=INCLUDE)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
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

func genAlembic(dir, models string) {
	u := *url
	if strings.HasPrefix(u, "postgres://") {
		u = "postgresql://" + strings.TrimPrefix(u, "postgres://")
	}
	// configparser interpolation: a literal % must be written %%.
	write(filepath.Join(dir, "alembic.ini"), strings.Replace(alembicINI, "URL", strings.ReplaceAll(u, "%", "%%"), 1))
	write(filepath.Join(dir, "models.py"), models)
	write(filepath.Join(dir, "migrations", "env.py"), strings.Replace(alembicEnv, ", include_schemas=INCLUDE", map[bool]string{true: ", include_schemas=True", false: ""}[*schemas > 1], 1))
	write(filepath.Join(dir, "migrations", "script.py.mako"), alembicMako)
	write(filepath.Join(dir, "migrations", "versions", baseline+"_baseline.py"), fmt.Sprintf(
		"\"\"\"baseline\n\nRevision ID: %s\nRevises:\nCreate Date: %s\n\n\"\"\"\n\nrevision = '%s'\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n",
		baseline, createDate, baseline))
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("genschema: ")
	flag.Parse()
	if *out == "" || *n < 1 || *schemas < 1 || !strings.HasPrefix(*url, "postgres") {
		log.Fatal("usage: go run bench/genschema.go -n N [-schemas K] -url postgres://… -out DIR")
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		log.Fatalf("%s is not empty", *out)
	}
	same, changed := tables(false), tables(true)
	sameSQL, changedSQL := ddl(same), ddl(changed)
	write(filepath.Join(*out, "create.sql"), sameSQL+stamp)
	write(filepath.Join(*out, "schema.sql"), sameSQL)
	write(filepath.Join(*out, "schema-changed.sql"), changedSQL)
	genRetort(filepath.Join(*out, "retort-same"), sameSQL)
	genRetort(filepath.Join(*out, "retort-changed"), changedSQL)
	genAlembic(filepath.Join(*out, "alembic-same"), models(same))
	genAlembic(filepath.Join(*out, "alembic-changed"), models(changed))
}
