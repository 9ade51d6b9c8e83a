package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

var (
	_ dialect.Inspectable = Dialect{}
	_ dialect.Inspector   = Dialect{}
)

// Inspector returns d, which reflects PostgreSQL itself through
// [Dialect.Inspect].
func (d Dialect) Inspector() dialect.Inspector { return d }

// Inspect reflects the schemas o names (the current schema when none)
// into a [schema.Database]: tables with their columns, keys,
// constraints, indexes and comments, views, enum types, free-standing
// sequences, functions and triggers. It reads pg_catalog with the same
// nine queries however many schemas and tables there are (PostgreSQL
// 13 or newer), and assembles the values in Go.
//
// Objects of the current schema (current_schema()) are reported with
// an empty Schema, as the schema builders make them; so are references
// to them (foreign keys, enum column types). Tables, views and their
// parts come in name order, columns in table order. Constraint and
// index names are always the database's: an unnamed constraint comes
// back with the name PostgreSQL gave it ("customer_pkey").
//
// What PostgreSQL stores in canonical form is reported as it stores it,
// so that rendering what Inspect returns and inspecting again gives the
// same values:
//
//   - Types: int2, int4 and int8 are SmallInt, Integer and BigInt;
//     varchar(n), char(n) and numeric(p,s) keep their parameters; real,
//     double precision, text, boolean, date, time, timestamp,
//     timestamptz, interval, uuid, json, jsonb and bytea are their
//     kinds; an enum type is an EnumType (with its schema when not the
//     current one); anything else (arrays, domains, time(3), tsvector,
//     ...) is a RawType of format_type's text, and a column collation
//     other than the type's adds " COLLATE name" to a RawType.
//
//   - Defaults: a quoted constant with casts ('x'::text) is the Literal
//     x; a bare number or true/false is a Literal of its text (the
//     server folds DEFAULT '42' and DEFAULT 42 alike); anything else is
//     an Expr of pg_get_expr's text (now(), CURRENT_TIMESTAMP).
//
//   - Identity columns (GENERATED ALWAYS / BY DEFAULT) and serial
//     columns (a nextval default on a sequence the column owns) are
//     both an Identity, with no Default; Start and Increment are 0
//     where they are PostgreSQL's defaults (1). The sequences behind
//     them are not reported.
//
//   - Check constraints are the expression inside CHECK (...), as
//     pg_get_constraintdef prints it pretty (q > 0; price > 0::numeric).
//
//   - Indexes backing primary key, unique and exclusion constraints
//     are not reported as indexes; a unique constraint is a UniqueDef,
//     a CREATE UNIQUE INDEX an IndexDef with Unique. Expression parts
//     and WHERE conditions are pg_get_indexdef's and pg_get_expr's
//     pretty text without outer parentheses; an index method other
//     than btree is Using.
//
//   - Views are pg_get_viewdef's pretty text, trimmed, without the
//     final semicolon. Functions are pg_get_functiondef's text after
//     the argument list; triggers pg_get_triggerdef's text after the
//     name.
//
//   - Sequence numbers are 0 where they are the defaults of a bigint
//     sequence going that way.
//
//   - Generated columns are a Computed of pg_get_expr's text without
//     outer parentheses, with no Default.
//
// Lesser details
// are not reported: INCLUDE columns,
// operator classes, index collations and NULLS FIRST/LAST, deferrable
// and MATCH FULL foreign keys, exclusion constraints, partitioning,
// materialised views and constraint triggers.
func (d Dialect) Inspect(ctx context.Context, q dialect.Querier, o dialect.InspectOpts) (*schema.Database, error) {
	in, err := newInspection(ctx, q, o)
	if err != nil {
		return nil, fmt.Errorf("inspect postgres: %w", err)
	}
	steps := []struct {
		what string
		run  func(context.Context, dialect.Querier) error
	}{
		{"tables", in.relations},
		{"columns", in.columns},
		{"constraints", in.constraints},
		{"indexes", in.indexes},
		{"enum types", in.enums},
		{"sequences", in.sequences},
		{"functions", in.functions},
		{"triggers", in.triggers},
	}
	for _, s := range steps {
		if err := s.run(ctx, q); err != nil {
			return nil, fmt.Errorf("inspect postgres %s: %w", s.what, err)
		}
	}
	return in.finish(), nil
}

// inspection is one run of Inspect: the options as query arguments and
// the values assembled so far.
type inspection struct {
	current string // current_schema(), reported as ""
	args    []any  // $1 schemas, $2 tables, $3 exclude, as JSON arrays
	db      schema.Database
	tables  map[int64]*schema.Table
	order   []int64 // table oids in query order
}

func newInspection(ctx context.Context, q dialect.Querier, o dialect.InspectOpts) (*inspection, error) {
	in := &inspection{tables: map[int64]*schema.Table{}}
	var current sql.NullString
	var found []byte
	err := q.QueryRowContext(ctx, `SELECT current_schema(), coalesce((SELECT json_agg(nspname) FROM pg_catalog.pg_namespace
		WHERE nspname = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))), '[]')`, jsonArray(o.Schemas)).Scan(&current, &found)
	if err != nil {
		return nil, err
	}
	in.current = current.String
	schemas := slices.Clone(o.Schemas)
	if len(schemas) == 0 {
		if !current.Valid {
			return nil, errors.New("no current schema (search_path names no schema that exists): set InspectOpts.Schemas")
		}
		schemas = []string{current.String}
	} else {
		var exist []string
		if err := json.Unmarshal(found, &exist); err != nil {
			return nil, err
		}
		for _, s := range schemas {
			if !slices.Contains(exist, s) {
				return nil, fmt.Errorf("schema %q does not exist", s)
			}
		}
	}
	for _, s := range schemas {
		if s != in.current && !slices.Contains(in.db.Schemas, s) {
			in.db.Schemas = append(in.db.Schemas, s)
		}
	}
	in.args = []any{jsonArray(schemas), jsonArray(o.Tables), jsonArray(o.Exclude)}
	return in, nil
}

// jsonArray encodes names as a JSON array, which every driver passes as
// text and the queries unpack with jsonb_array_elements_text.
func jsonArray(names []string) string {
	if names == nil {
		names = []string{}
	}
	b, _ := json.Marshal(names)
	return string(b)
}

// schemaOf reports nsp as a schema value names it: "" for the current
// schema.
func (in *inspection) schemaOf(nsp string) string {
	if nsp == in.current {
		return ""
	}
	return nsp
}

// inSchemas is the condition that n.nspname is one of the schemas
// inspected ($1).
const inSchemas = `n.nspname = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))`

// relCTE selects the tables and views inspected: in the schemas of $1,
// named in $2 (or all when it is empty), not named in $3.
const relCTE = `WITH rel AS (
	SELECT c.oid, c.oid::int8 AS id, n.nspname, c.relname, c.relkind
	FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE ` + inSchemas + ` AND c.relkind IN ('r', 'p', 'v')
	AND (jsonb_array_length($2::jsonb) = 0 OR c.relname = ANY (ARRAY(SELECT jsonb_array_elements_text($2::jsonb))))
	AND NOT c.relname = ANY (ARRAY(SELECT jsonb_array_elements_text($3::jsonb))))
`

// query runs one catalog query with the inspection's arguments and
// calls scan for each row; a query that does not use $2 and $3 gets
// only $1.
func (in *inspection) query(ctx context.Context, q dialect.Querier, query string, scan func(*sql.Rows) error) error {
	args := in.args
	if !strings.Contains(query, "$2") {
		args = args[:1]
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (in *inspection) relations(ctx context.Context, q dialect.Querier) error {
	return in.query(ctx, q, relCTE+`SELECT r.id, r.nspname, r.relname, r.relkind,
		coalesce(pg_catalog.obj_description(r.oid, 'pg_class'), ''),
		CASE WHEN r.relkind = 'v' THEN pg_catalog.pg_get_viewdef(r.oid, true) ELSE '' END
		FROM rel r ORDER BY r.nspname, r.relname`, func(rows *sql.Rows) error {
		var (
			id                           int64
			nsp, name, kind, comment, vd string
		)
		if err := rows.Scan(&id, &nsp, &name, &kind, &comment, &vd); err != nil {
			return err
		}
		if kind == "v" {
			vd = strings.TrimSuffix(strings.TrimSpace(vd), ";")
			in.db.Views = append(in.db.Views, schema.View{Schema: in.schemaOf(nsp), Name: name, Definition: vd})
			return nil
		}
		in.tables[id] = &schema.Table{Schema: in.schemaOf(nsp), Name: name, Comment: comment}
		in.order = append(in.order, id)
		return nil
	})
}

// columnsQuery reads every column of the tables inspected, with its
// type, default, identity and the sequence a serial or identity column
// owns.
const columnsQuery = relCTE + `SELECT r.id, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.atttypmod,
	t.typname, tn.nspname, t.typtype, a.attnotnull,
	coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true), ''), a.attidentity::text, a.attgenerated::text,
	coalesce(ds.description, ''),
	CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0 THEN
		(SELECT pg_catalog.quote_ident(co.collname) FROM pg_catalog.pg_collation co WHERE co.oid = a.attcollation) ELSE '' END,
	coalesce(sq.deptype::text, ''), coalesce(sq.nextval, ''), coalesce(sq.seqstart, 0), coalesce(sq.seqincrement, 0)
FROM rel r
JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = r.oid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = a.attnum
LEFT JOIN LATERAL (
	SELECT d.deptype, pg_catalog.format('nextval(%L::regclass)', s.seqrelid::regclass::text) AS nextval, s.seqstart, s.seqincrement
	FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_sequence s ON s.seqrelid = d.objid
	WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
	AND d.refobjid = r.oid AND d.refobjsubid = a.attnum AND d.deptype IN ('a', 'i') AND (a.attidentity <> '' OR ad.adbin IS NOT NULL)
	ORDER BY d.deptype DESC LIMIT 1) sq ON true
WHERE r.relkind IN ('r', 'p')
ORDER BY r.id, a.attnum`

func (in *inspection) columns(ctx context.Context, q dialect.Querier) error {
	return in.query(ctx, q, columnsQuery, func(rows *sql.Rows) error {
		var (
			id, seqStart, seqInc                       int64
			typmod                                     int
			c                                          schema.ColumnDef
			notNull                                    bool
			format, typname, typnsp, typtype           string
			def, identity, generated, coll, dep, nextv string
		)
		if err := rows.Scan(&id, &c.Name, &format, &typmod, &typname, &typnsp, &typtype, &notNull,
			&def, &identity, &generated, &c.Comment, &coll, &dep, &nextv, &seqStart, &seqInc); err != nil {
			return err
		}
		t := in.tables[id]
		if t == nil {
			return nil
		}
		c.Nullable = !notNull
		c.Type = in.columnType(format, typname, typnsp, typtype, typmod, coll)
		switch {
		case generated != "":
			// attgenerated: 's' stored, 'v' virtual (PostgreSQL 18).
			c.Computed = schema.Computed{Expr: unparen(def), Virtual: generated == "v"}
		case identity == "a" || identity == "d":
			c.Identity = identityOf(identity, seqStart, seqInc)
		case dep == "a" && def == nextv:
			c.Identity = identityOf("d", seqStart, seqInc)
		default:
			c.Default = defaultOf(def)
		}
		t.Columns = append(t.Columns, c)
		return nil
	})
}

// columnType maps a column's type to a schema.Type; see Inspect.
func (in *inspection) columnType(format, typname, typnsp, typtype string, typmod int, coll string) schema.Type {
	if coll != "" {
		return schema.RawType(format + " COLLATE " + coll)
	}
	if typtype == "e" {
		return schema.EnumTypeIn(in.schemaOf(typnsp), typname)
	}
	if typnsp != "pg_catalog" {
		return schema.RawType(format)
	}
	plain := map[string]schema.Type{
		"int2": schema.SmallInt, "int4": schema.Integer, "int8": schema.BigInt, "bool": schema.Boolean,
		"text": schema.Text, "float4": schema.Real, "float8": schema.Double, "date": schema.Date,
		"time": schema.Time, "timestamp": schema.Timestamp, "timestamptz": schema.TimestampTZ,
		"interval": schema.Interval, "uuid": schema.UUID, "json": schema.JSON, "jsonb": schema.JSONB,
		"bytea": schema.Bytes,
	}
	if t, ok := plain[typname]; ok && typmod < 0 {
		return t
	}
	switch typname {
	case "varchar":
		return schema.Varchar(max(typmod-4, 0))
	case "bpchar":
		if typmod >= 5 {
			return schema.Char(typmod - 4)
		}
	case "numeric":
		if typmod < 0 {
			return schema.Numeric(0, 0)
		}
		p, s := (typmod-4)>>16&0xffff, (typmod-4)&0x7ff
		if p > 0 && s <= p {
			return schema.Numeric(p, s)
		}
	}
	return schema.RawType(format)
}

// identityOf is an identity column's Identity, with PostgreSQL's
// defaults as 0.
func identityOf(kind string, start, inc int64) schema.Identity {
	id := schema.Identity{Kind: schema.IdentityByDefault, Start: start, Increment: inc}
	if kind == "a" {
		id.Kind = schema.IdentityAlways
	}
	if (inc > 0 && start == 1) || (inc < 0 && start == -1) {
		id.Start = 0
	}
	if inc == 1 {
		id.Increment = 0
	}
	return id
}

var (
	// castChain matches what follows a constant: one or more casts.
	castChain = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(::[A-Za-z_"][A-Za-z0-9_ ."$(),\[\]]*)+$`) })
	number    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$`) })
)

// defaultOf reads pg_get_expr's text of a default back; see Inspect.
func defaultOf(expr string) schema.DefaultValue {
	switch {
	case expr == "":
		return schema.DefaultValue{}
	case number().MatchString(expr) || expr == "true" || expr == "false":
		return schema.Literal(expr)
	}
	if v, rest, ok := schema.CutQuoted(expr); ok && castChain().MatchString(rest) {
		return schema.Literal(v)
	}
	return schema.Expr(expr)
}

// unparen removes one pair of parentheses around the whole of s, if
// there is one.
func unparen(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") || !strings.HasSuffix(s, ")") {
		return s
	}
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '(':
			depth++
		case ch == ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return s
			}
		}
	}
	return strings.TrimSpace(s[1 : len(s)-1])
}

// constraintsQuery reads the primary key, unique, foreign key and check
// constraints of the tables inspected.
const constraintsQuery = relCTE + `SELECT r.id, con.conname, con.contype::text,
	coalesce((SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(num, i)
		JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num), '[]'),
	coalesce(fn.nspname, ''), coalesce(fc.relname, ''),
	coalesce((SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(num, i)
		JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num), '[]'),
	con.confdeltype::text, con.confupdtype::text,
	CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_constraintdef(con.oid, true) ELSE '' END
FROM rel r
JOIN pg_catalog.pg_constraint con ON con.conrelid = r.oid
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'f', 'c') AND r.relkind IN ('r', 'p')
ORDER BY r.id, con.conname`

func (in *inspection) constraints(ctx context.Context, q dialect.Querier) error {
	return in.query(ctx, q, constraintsQuery, func(rows *sql.Rows) error {
		var (
			id                                int64
			name, kind, refNsp, refTable, def string
			onDel, onUpd                      string
			colsJSON, refJSON                 []byte
			cols, refCols                     []string
		)
		if err := rows.Scan(&id, &name, &kind, &colsJSON, &refNsp, &refTable, &refJSON, &onDel, &onUpd, &def); err != nil {
			return err
		}
		if err := json.Unmarshal(colsJSON, &cols); err != nil {
			return err
		}
		if err := json.Unmarshal(refJSON, &refCols); err != nil {
			return err
		}
		t := in.tables[id]
		if t == nil {
			return nil
		}
		switch kind {
		case "p":
			t.PrimaryKey = &schema.PrimaryKeyDef{Name: name, Columns: cols}
		case "u":
			t.Uniques = append(t.Uniques, schema.UniqueDef{Name: name, Columns: cols})
		case "f":
			t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKeyDef{Name: name, Columns: cols,
				RefSchema: in.schemaOf(refNsp), RefTable: refTable, RefColumns: refCols,
				OnDelete: action(onDel), OnUpdate: action(onUpd)})
		case "c":
			t.Checks = append(t.Checks, schema.CheckDef{Name: name, Expr: checkExpr(def)})
		}
		return nil
	})
}

// checkExpr is the expression of pg_get_constraintdef's CHECK (...).
func checkExpr(def string) string {
	def = strings.TrimSuffix(def, " NOT VALID")
	def = strings.TrimSuffix(def, " NO INHERIT")
	return unparen(strings.TrimPrefix(def, "CHECK "))
}

// action maps pg_constraint's confdeltype/confupdtype letter.
func action(c string) schema.Action {
	switch c {
	case "r":
		return schema.Restrict
	case "c":
		return schema.Cascade
	case "n":
		return schema.SetNull
	case "d":
		return schema.SetDefault
	}
	return schema.NoAction
}

// indexesQuery reads the indexes of the tables inspected, but those
// that back a primary key, unique or exclusion constraint, with one
// JSON object per key part.
const indexesQuery = relCTE + `SELECT r.id, ic.relname, i.indisunique,
	(SELECT am.amname FROM pg_catalog.pg_am am WHERE am.oid = ic.relam),
	coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), ''),
	(SELECT json_agg(json_build_object('col', coalesce(a.attname, ''),
		'expr', CASE WHEN i.indkey[k - 1] = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k, true) ELSE '' END,
		'opt', i.indoption[k - 1]) ORDER BY k)
		FROM generate_series(1, i.indnkeyatts) k
		LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1] AND i.indkey[k - 1] <> 0)
FROM rel r
JOIN pg_catalog.pg_index i ON i.indrelid = r.oid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
WHERE r.relkind IN ('r', 'p') AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint con
	WHERE con.conrelid = i.indrelid AND con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY r.id, ic.relname`

func (in *inspection) indexes(ctx context.Context, q dialect.Querier) error {
	return in.query(ctx, q, indexesQuery, func(rows *sql.Rows) error {
		var (
			id        int64
			ix        schema.IndexDef
			partsJSON []byte
			parts     []struct {
				Col  string `json:"col"`
				Expr string `json:"expr"`
				Opt  int    `json:"opt"`
			}
		)
		if err := rows.Scan(&id, &ix.Name, &ix.Unique, &ix.Using, &ix.Where, &partsJSON); err != nil {
			return err
		}
		if ix.Using == "btree" {
			ix.Using = ""
		}
		if err := json.Unmarshal(partsJSON, &parts); err != nil {
			return err
		}
		t := in.tables[id]
		if t == nil {
			return nil
		}
		ix.Where = unparen(ix.Where)
		for _, p := range parts {
			part := schema.IndexPart{Column: p.Col, Desc: p.Opt&1 != 0}
			if p.Col == "" {
				part.Expr = unparen(p.Expr)
			}
			ix.Parts = append(ix.Parts, part)
		}
		t.Indexes = append(t.Indexes, ix)
		return nil
	})
}

// notExtension is the condition that the object o.oid of the catalog
// cat was not created by an extension.
func notExtension(cat, o string) string {
	return `NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = '` + cat + `'::regclass AND d.objid = ` + o + ` AND d.deptype = 'e')`
}

func (in *inspection) enums(ctx context.Context, q dialect.Querier) error {
	return in.query(ctx, q, `SELECT n.nspname, t.typname,
		coalesce((SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), '[]')
		FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
		WHERE t.typtype = 'e' AND `+inSchemas+` AND `+notExtension("pg_catalog.pg_type", "t.oid")+`
		ORDER BY n.nspname, t.typname`, func(rows *sql.Rows) error {
		var (
			e      schema.Enum
			nsp    string
			values []byte
		)
		if err := rows.Scan(&nsp, &e.Name, &values); err != nil {
			return err
		}
		e.Schema = in.schemaOf(nsp)
		if err := json.Unmarshal(values, &e.Values); err != nil {
			return err
		}
		in.db.Enums = append(in.db.Enums, e)
		return nil
	})
}

func (in *inspection) sequences(ctx context.Context, q dialect.Querier) error {
	return in.query(ctx, q, `SELECT n.nspname, c.relname, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcycle
		FROM pg_catalog.pg_sequence s
		JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE `+inSchemas+` AND `+notExtension("pg_catalog.pg_class", "c.oid")+`
		AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
			AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i'))
		ORDER BY n.nspname, c.relname`, func(rows *sql.Rows) error {
		var (
			s   schema.Sequence
			nsp string
		)
		if err := rows.Scan(&nsp, &s.Name, &s.Start, &s.Increment, &s.MinValue, &s.MaxValue, &s.Cycle); err != nil {
			return err
		}
		s.Schema = in.schemaOf(nsp)
		in.db.Sequences = append(in.db.Sequences, sequenceDefaults(s))
		return nil
	})
}

// sequenceDefaults zeroes the numbers of s that are the defaults of a
// bigint sequence going s's way.
func sequenceDefaults(s schema.Sequence) schema.Sequence {
	up := s.Increment > 0
	if up {
		if s.Start == s.MinValue {
			s.Start = 0
		}
		if s.MinValue == 1 {
			s.MinValue = 0
		}
		if s.MaxValue == math.MaxInt64 {
			s.MaxValue = 0
		}
	} else {
		if s.Start == s.MaxValue {
			s.Start = 0
		}
		if s.MaxValue == -1 {
			s.MaxValue = 0
		}
		if s.MinValue == math.MinInt64 {
			s.MinValue = 0
		}
	}
	if s.Increment == 1 {
		s.Increment = 0
	}
	return s
}

func (in *inspection) functions(ctx context.Context, q dialect.Querier) error {
	return in.query(ctx, q, `SELECT n.nspname, p.proname, pg_catalog.pg_get_function_arguments(p.oid), pg_catalog.pg_get_functiondef(p.oid)
		FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
		WHERE p.prokind = 'f' AND `+inSchemas+` AND `+notExtension("pg_catalog.pg_proc", "p.oid")+`
		ORDER BY n.nspname, p.proname, 3`, func(rows *sql.Rows) error {
		var (
			f        schema.Function
			nsp, def string
		)
		if err := rows.Scan(&nsp, &f.Name, &f.Args, &def); err != nil {
			return err
		}
		f.Schema = in.schemaOf(nsp)
		// The first line is CREATE OR REPLACE FUNCTION name(args).
		_, f.Definition, _ = strings.Cut(def, "\n")
		f.Definition = strings.TrimSpace(f.Definition)
		in.db.Functions = append(in.db.Functions, f)
		return nil
	})
}

func (in *inspection) triggers(ctx context.Context, q dialect.Querier) error {
	return in.query(ctx, q, relCTE+`SELECT r.nspname, r.relname, t.tgname,
		'CREATE TRIGGER ' || pg_catalog.quote_ident(t.tgname) || ' ', pg_catalog.pg_get_triggerdef(t.oid, true)
		FROM rel r JOIN pg_catalog.pg_trigger t ON t.tgrelid = r.oid
		WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND t.tgconstraint = 0
		ORDER BY r.nspname, r.relname, t.tgname`, func(rows *sql.Rows) error {
		var (
			tr               schema.Trigger
			nsp, prefix, def string
		)
		if err := rows.Scan(&nsp, &tr.Table, &tr.Name, &prefix, &def); err != nil {
			return err
		}
		tr.Schema = in.schemaOf(nsp)
		tr.Definition = strings.TrimPrefix(def, prefix)
		in.db.Triggers = append(in.db.Triggers, tr)
		return nil
	})
}

// finish normalises the tables, puts everything in order (the current
// schema first) and returns the database.
func (in *inspection) finish() *schema.Database {
	for _, id := range in.order {
		t := in.tables[id]
		t.Normalize()
		in.db.Tables = append(in.db.Tables, *t)
	}
	key := func(s, name string) string { return s + "\x00" + name }
	slices.SortStableFunc(in.db.Tables, func(a, b schema.Table) int {
		return strings.Compare(key(a.Schema, a.Name), key(b.Schema, b.Name))
	})
	slices.SortStableFunc(in.db.Views, func(a, b schema.View) int {
		return strings.Compare(key(a.Schema, a.Name), key(b.Schema, b.Name))
	})
	slices.SortStableFunc(in.db.Enums, func(a, b schema.Enum) int {
		return strings.Compare(key(a.Schema, a.Name), key(b.Schema, b.Name))
	})
	slices.SortStableFunc(in.db.Sequences, func(a, b schema.Sequence) int {
		return strings.Compare(key(a.Schema, a.Name), key(b.Schema, b.Name))
	})
	slices.SortStableFunc(in.db.Functions, func(a, b schema.Function) int {
		return strings.Compare(key(a.Schema, a.Name), key(b.Schema, b.Name))
	})
	slices.SortStableFunc(in.db.Triggers, func(a, b schema.Trigger) int {
		return strings.Compare(key(a.Schema, a.Table+"\x00"+a.Name), key(b.Schema, b.Table+"\x00"+b.Name))
	})
	return &in.db
}
