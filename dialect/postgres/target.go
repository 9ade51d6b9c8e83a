package postgres

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/retortdb/retort/dialect"
)

var (
	_ dialect.TargetReader      = Dialect{}
	_ dialect.DatabaseScratcher = Dialect{}
)

// A name as PostgreSQL writes one: bare or double-quoted.
const identRE = `(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`

var (
	ownerTo    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)^ALTER\s+.*\sOWNER\s+TO\s`) })
	privileges = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?is)^(GRANT|REVOKE|ALTER\s+DEFAULT\s+PRIVILEGES|SECURITY\s+LABEL|COMMENT\s+ON\s+EXTENSION)\s`)
	})
	createExt = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?is)^CREATE\s+EXTENSION\s+(IF\s+NOT\s+EXISTS\s+)?(` + identRE + `)(.*)$`)
	})
	createSchema = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?is)^CREATE\s+SCHEMA\s+(IF\s+NOT\s+EXISTS\s+)?(` + identRE + `)(\s+AUTHORIZATION\s+` + identRE + `)?(.*)$`)
	})
	setPath = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?is)^(SET\s+(SESSION\s+|LOCAL\s+)?search_path\b|SELECT\s+(pg_catalog\.)?set_config\s*\(\s*'search_path')`)
	})
	// qualified finds schema.name after the keywords that name an
	// object a statement creates or changes.
	qualified = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?is)^(?:CREATE|ALTER|COMMENT\s+ON)\s+(?:OR\s+REPLACE\s+)?(?:UNLOGGED\s+|UNIQUE\s+|MATERIALIZED\s+|COLUMN\s+|CONSTRAINT\s+TRIGGER\s+)?` +
			`(?:TABLE|VIEW|TYPE|DOMAIN|SEQUENCE|FUNCTION|PROCEDURE|AGGREGATE|INDEX|TRIGGER|COLUMN|POLICY|RULE)\s+(?:ONLY\s+|IF\s+NOT\s+EXISTS\s+|CONCURRENTLY\s+)*` +
			`(?:` + identRE + `\s+ON\s+(?:ONLY\s+)?)?(` + identRE + `)\.` + identRE)
	})
)

// CleanTarget drops psql meta-command lines (a backslash first, such as
// the \restrict and \unrestrict lines of recent pg_dump releases),
// which only psql understands.
func (d Dialect) CleanTarget(src string) string {
	if !strings.Contains(src, "\n\\") && !strings.HasPrefix(src, "\\") {
		return src
	}
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "\\") {
			lines[i] = "" // keep the line numbers
		}
	}
	return strings.Join(lines, "\n")
}

// ReadTargetStatement reads one statement of a target schema: pg_dump
// -s output (with or without --no-owner and --no-privileges) or a
// hand-written schema.sql. Ownership and privileges are skipped (they
// are not compared, and their roles may not exist where the target is
// built); CREATE EXTENSION and CREATE SCHEMA get IF NOT EXISTS (the
// scratch database may have them already), and CREATE SCHEMA loses its
// AUTHORIZATION.
func (d Dialect) ReadTargetStatement(sql string) dialect.TargetStatement {
	s := strings.TrimSpace(sql)
	st := dialect.TargetStatement{SQL: sql}
	switch {
	case ownerTo().MatchString(s), privileges().MatchString(s):
		st.Skip = true
	case setPath().MatchString(s):
		st.SetsPath = true
	}
	if m := createExt().FindStringSubmatch(s); m != nil {
		st.Extension = unquote(m[2])
		st.SQL = "CREATE EXTENSION IF NOT EXISTS " + m[2] + m[3]
	}
	if m := createSchema().FindStringSubmatch(s); m != nil {
		st.Schemas = append(st.Schemas, unquote(m[2]))
		st.SQL = "CREATE SCHEMA IF NOT EXISTS " + m[2] + m[4]
	}
	if m := qualified().FindStringSubmatch(s); m != nil && !strings.EqualFold(unquote(m[1]), "pg_catalog") {
		st.Schemas = append(st.Schemas, unquote(m[1]))
	}
	return st
}

// unquote returns the name an identifier stands for: a quoted one as
// written, a bare one folded to lower case.
func unquote(id string) string {
	if strings.HasPrefix(id, `"`) {
		return strings.ReplaceAll(id[1:len(id)-1], `""`, `"`)
	}
	return strings.ToLower(id)
}

// CreateScratchDatabase creates retort_scratch_<random> from template0
// (an empty database, whatever template1 holds).
func (d Dialect) CreateScratchDatabase(ctx context.Context, q dialect.Querier) (string, error) {
	name := "retort_scratch_" + randomHex()
	if _, err := q.ExecContext(ctx, "CREATE DATABASE "+d.QuoteIdent(name)+" TEMPLATE template0"); err != nil {
		return "", err
	}
	return name, nil
}

// DropScratchDatabase drops the database, ending its sessions
// (PostgreSQL 13 or newer).
func (d Dialect) DropScratchDatabase(ctx context.Context, q dialect.Querier, name string) error {
	_, err := q.ExecContext(ctx, "DROP DATABASE IF EXISTS "+d.QuoteIdent(name)+" WITH (FORCE)")
	return err
}

// SchemaNames lists the schemas of the current database but pg_*,
// information_schema and those an extension made.
func (d Dialect) SchemaNames(ctx context.Context, q dialect.Querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT n.nspname FROM pg_catalog.pg_namespace n
		WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
		AND `+notExtension("pg_catalog.pg_namespace", "n.oid")+` ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// MissingExtensions returns those of names pg_available_extensions does
// not list.
func (d Dialect) MissingExtensions(ctx context.Context, q dialect.Querier, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	var found []byte
	err := q.QueryRowContext(ctx, `SELECT coalesce(json_agg(name), '[]') FROM pg_catalog.pg_available_extensions
		WHERE name = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))`, jsonArray(names)).Scan(&found)
	if err != nil {
		return nil, fmt.Errorf("available extensions: %w", err)
	}
	var missing []string
	for _, n := range names {
		if !strings.Contains(string(found), `"`+n+`"`) && !slices.Contains(missing, n) {
			missing = append(missing, n)
		}
	}
	return missing, nil
}
