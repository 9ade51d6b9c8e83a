package retorttest

import (
	"context"
	"fmt"

	"github.com/retortdb/retort/config"
)

// catalogSnapshot describes the database from its catalog, for a dialect
// that has no inspector: the SQL text the engine keeps for each object
// (SQLite), or PostgreSQL's canonical definitions (format_type,
// pg_get_constraintdef, pg_get_indexdef, ...). It is good for telling two
// states apart and showing how, not for comparing with a target schema.
func (r *Runner) catalogSnapshot(ctx context.Context) (*snapshot, error) {
	s := &snapshot{objects: map[string][]string{}}
	queries := sqliteCatalog
	if r.db.dialect == config.Postgres {
		queries = postgresCatalog
	}
	for _, q := range queries {
		rows, err := r.db.db.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("read the catalog: %w", err)
		}
		for rows.Next() {
			var kind, sch, name, line string
			if err := rows.Scan(&kind, &sch, &name, &line); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read the catalog: %w", err)
			}
			if kind == "table" && r.isVersionTable(sch, name) {
				continue
			}
			key := kind + " " + qualified(sch, name, r.db.dialect)
			if _, ok := s.objects[key]; !ok {
				s.objects[key] = []string{}
			}
			if line != "" {
				s.objects[key] = append(s.objects[key], oneLine(line))
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read the catalog: %w", err)
		}
	}
	return s, nil
}

var sqliteCatalog = []string{
	`SELECT type, '', CASE WHEN type IN ('index', 'trigger') THEN tbl_name ELSE name END,
		CASE WHEN type IN ('index', 'trigger') THEN type || ' ' || name || ': ' || coalesce(sql, '') ELSE coalesce(sql, '') END
	FROM sqlite_master WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY type, name`,
}

// userSchemas excludes PostgreSQL's own schemas.
const userSchemas = `nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp%'`

var postgresCatalog = []string{
	`SELECT 'schema', '', nspname, '' FROM pg_namespace WHERE ` + userSchemas + ` AND nspname <> 'public' ORDER BY 3`,
	`SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' ELSE 'table' END,
		n.nspname, c.relname,
		CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) ELSE '' END
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ` + userSchemas + ` ORDER BY 2, 3`,
	`SELECT 'table', n.nspname, c.relname,
		'column ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
		|| CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
		|| coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
		|| CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END
	FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
	LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND ` + userSchemas + `
	ORDER BY 2, 3, a.attnum`,
	`SELECT 'table', n.nspname, c.relname, 'constraint ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
	FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE ` + userSchemas + ` ORDER BY 2, 3, 4`,
	`SELECT 'table', schemaname, tablename, indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 2, 3, 4`,
	`SELECT 'table', n.nspname, c.relname, pg_get_triggerdef(t.oid)
	FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE NOT t.tgisinternal AND ` + userSchemas + ` ORDER BY 2, 3, 4`,
	`SELECT 'enum', n.nspname, t.typname, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
	FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
	WHERE ` + userSchemas + ` GROUP BY 2, 3 ORDER BY 2, 3`,
	`SELECT 'function', n.nspname, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', pg_get_functiondef(p.oid)
	FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	WHERE p.prokind IN ('f', 'p') AND ` + userSchemas + `
	AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') ORDER BY 2, 3`,
}
