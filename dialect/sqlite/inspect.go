package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

var _ dialect.Inspectable = Dialect{}

// Inspector returns the dialect's [dialect.Inspector]: [Dialect.Inspect]
// filtered by [dialect.InspectOpts]. SQLite's schemas are attached
// databases; Schemas may name only "main".
func (d Dialect) Inspector() dialect.Inspector { return inspector{d} }

type inspector struct{ d Dialect }

func (i inspector) Inspect(ctx context.Context, q dialect.Querier, o dialect.InspectOpts) (*schema.Database, error) {
	for _, s := range o.Schemas {
		if s != "" && s != "main" {
			return nil, fmt.Errorf("inspect sqlite schema %s: only the main database is reflected", s)
		}
	}
	db, err := i.d.Inspect(ctx, q)
	if err != nil {
		return nil, err
	}
	drop := func(name string) bool {
		return slices.Contains(o.Exclude, name) || len(o.Tables) > 0 && !slices.Contains(o.Tables, name)
	}
	db.Tables = slices.DeleteFunc(db.Tables, func(t schema.Table) bool { return drop(t.Name) })
	db.Views = slices.DeleteFunc(db.Views, func(v schema.View) bool { return drop(v.Name) })
	return db, nil
}

// Inspect reflects every table (but SQLite's own and virtual tables),
// view and trigger of the main database into a [schema.Database], in
// name order. See [Dialect.InspectTable] for what a table carries.
func (d Dialect) Inspect(ctx context.Context, q dialect.Querier) (*schema.Database, error) {
	rows, err := q.QueryContext(ctx, `SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master
		WHERE type IN ('table', 'view', 'trigger', 'index') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("inspect sqlite schema: %w", err)
	}
	type obj struct{ typ, name, tbl, sql string }
	var objs []obj
	for rows.Next() {
		var o obj
		if err := rows.Scan(&o.typ, &o.name, &o.tbl, &o.sql); err != nil {
			rows.Close()
			return nil, fmt.Errorf("inspect sqlite schema: %w", err)
		}
		objs = append(objs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inspect sqlite schema: %w", err)
	}
	// One read of sqlite_master serves every table: a query per table
	// against it would make reflection quadratic in the number of tables.
	indexSQL := map[string]string{}
	indexes := map[string][]string{} // table -> its index names, in name order
	for _, o := range objs {
		if o.typ == "index" {
			indexSQL[o.name] = o.sql
			indexes[o.tbl] = append(indexes[o.tbl], o.name)
		}
	}
	db := &schema.Database{}
	for _, o := range objs {
		switch o.typ {
		case "table":
			if strings.HasPrefix(strings.ToUpper(o.sql), "CREATE VIRTUAL") {
				continue
			}
			key := tableKey(o.name, o.sql, indexes[o.name], indexSQL)
			if t, ok := memo.get(key); ok {
				db.Tables = append(db.Tables, t)
				continue
			}
			t, err := d.inspectTable(ctx, q, dialect.Ident{Name: o.name}, o.sql, indexSQL)
			if err != nil {
				return nil, err
			}
			memo.put(key, *t)
			db.Tables = append(db.Tables, *t)
		case "view":
			db.Views = append(db.Views, schema.View{Name: o.name, Definition: afterKeyword(o.sql, "AS")})
		case "trigger":
			db.Triggers = append(db.Triggers, schema.Trigger{Name: o.name, Table: o.tbl, Definition: afterName(o.sql, "TRIGGER")})
		}
	}
	return db, nil
}

// InspectTable reflects the table t (t.Schema names an attached
// database) into a normalised [schema.Table]: columns with their types,
// nullability, defaults and AUTOINCREMENT (from pragma_table_xinfo and
// the CREATE TABLE text), the primary key, foreign keys with their
// actions (pragma_foreign_key_list), indexes with unique, partial WHERE
// and expression parts (pragma_index_list, pragma_index_xinfo and the
// CREATE INDEX text), and the unique and check constraints and
// constraint names that only the CREATE TABLE text holds.
//
// Types that retort renders read back as the same [schema.Type]; any
// other declared type is a [schema.RawType] of its text, and a column
// COLLATE clause is kept in that raw type. What a schema.Table cannot
// describe fails rather than being lost silently:
// WITHOUT ROWID and STRICT tables, and deferred foreign keys.
func (d Dialect) InspectTable(ctx context.Context, q dialect.Querier, t dialect.Ident) (*schema.Table, error) {
	var createSQL string
	err := q.QueryRowContext(ctx, `SELECT coalesce(sql, '') FROM `+d.master(t.Schema)+` WHERE type = 'table' AND name = ? COLLATE NOCASE`, t.Name).Scan(&createSQL)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("inspect table %s: no such table", t)
	}
	if err != nil {
		return nil, fmt.Errorf("inspect table %s: %w", t, err)
	}
	return d.inspectTable(ctx, q, t, createSQL, nil)
}

// inspectTable is InspectTable given the CREATE TABLE text and, when the
// caller has read them, the CREATE INDEX texts by index name.
func (d Dialect) inspectTable(ctx context.Context, q dialect.Querier, t dialect.Ident, createSQL string, indexSQL map[string]string) (*schema.Table, error) {
	fail := func(err error) (*schema.Table, error) { return nil, fmt.Errorf("inspect table %s: %w", t, err) }
	parsed, err := parseCreateTable(createSQL)
	if err != nil {
		return fail(err)
	}
	if parsed.withoutRowid || parsed.strict {
		return fail(fmt.Errorf("WITHOUT ROWID and STRICT tables cannot be described by a schema.Table"))
	}
	out := &schema.Table{Schema: t.Schema, Name: parsed.name, PrimaryKey: nil}
	if err := d.inspectColumns(ctx, q, t, parsed, out); err != nil {
		return fail(err)
	}
	if err := d.inspectForeignKeys(ctx, q, t, parsed, out); err != nil {
		return fail(err)
	}
	if err := d.inspectIndexes(ctx, q, t, indexSQL, out); err != nil {
		return fail(err)
	}
	out.Uniques = parsed.uniques
	out.Checks = parsed.checks
	out.Normalize()
	return out, nil
}

// master is the sqlite_master of the database s.
func (d Dialect) master(s string) string {
	if s == "" {
		return "sqlite_master"
	}
	return d.QuoteIdent(s) + ".sqlite_master"
}

// schemaArg is the schema argument of a pragma table function.
func schemaArg(s string) string {
	if s == "" {
		return "main"
	}
	return s
}

func (d Dialect) inspectColumns(ctx context.Context, q dialect.Querier, t dialect.Ident, p *parsedTable, out *schema.Table) error {
	rows, err := q.QueryContext(ctx, `SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?, ?) ORDER BY cid`, t.Name, schemaArg(t.Schema))
	if err != nil {
		return err
	}
	defer rows.Close()
	type keyCol struct {
		name string
		pos  int
	}
	var key []keyCol
	for rows.Next() {
		var (
			name, typ   string
			notNull, pk int
			hidden      int
			dflt        sql.NullString
			c           schema.ColumnDef
		)
		if err := rows.Scan(&name, &typ, &notNull, &dflt, &pk, &hidden); err != nil {
			return err
		}
		info := p.columns[strings.ToLower(name)]
		if (hidden == 2 || hidden == 3) && info.computed.IsZero() {
			return fmt.Errorf("column %s is a generated column whose expression cannot be read from the table's CREATE TABLE text", name)
		}
		c.Computed = info.computed
		c.Name, c.Nullable = name, notNull == 0
		c.Type = typeFromSQL(typ, info.collate)
		if dflt.Valid {
			c.Default = defaultFromSQL(dflt.String)
		}
		if info.autoincrement {
			c.Identity = schema.Identity{Kind: schema.IdentityByDefault}
		}
		if pk > 0 {
			key = append(key, keyCol{name, pk})
		}
		out.Columns = append(out.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(out.Columns) == 0 {
		return fmt.Errorf("no columns")
	}
	if len(key) > 0 {
		sort.Slice(key, func(i, j int) bool { return key[i].pos < key[j].pos })
		pk := &schema.PrimaryKeyDef{Name: p.pkName}
		for _, k := range key {
			pk.Columns = append(pk.Columns, k.name)
		}
		out.PrimaryKey = pk
	}
	return nil
}

// typeFromSQL reads a declared type back: the names typeSQL writes
// become their schema.Type, anything else a raw type of its text.
func typeFromSQL(decl, collate string) schema.Type {
	if collate != "" {
		if decl == "" {
			decl = "BLOB"
		}
		return schema.RawType(decl + " COLLATE " + collate)
	}
	norm := strings.ToUpper(strings.Join(strings.Fields(decl), " "))
	simple := map[string]schema.Type{
		"SMALLINT": schema.SmallInt, "INTEGER": schema.Integer, "BIGINT": schema.BigInt, "BOOLEAN": schema.Boolean,
		"TEXT": schema.Text, "REAL": schema.Real, "DOUBLE": schema.Double, "DATE": schema.Date, "TIME": schema.Time,
		"TIMESTAMP": schema.Timestamp, "TIMESTAMPTZ": schema.TimestampTZ, "INTERVAL": schema.Interval,
		"UUID": schema.UUID, "JSON": schema.JSON, "JSONB": schema.JSONB, "BLOB": schema.Bytes,
		"VARCHAR": schema.Varchar(0), "NUMERIC": schema.Numeric(0, 0),
	}
	if t, ok := simple[norm]; ok {
		return t
	}
	if name, args, ok := paramType(norm); ok {
		switch {
		case name == "VARCHAR" && len(args) == 1 && args[0] > 0:
			return schema.Varchar(args[0])
		case name == "CHAR" && len(args) == 1 && args[0] > 0:
			return schema.Char(args[0])
		case name == "NUMERIC" && len(args) == 2 && args[0] > 0:
			return schema.Numeric(args[0], args[1])
		}
	}
	if decl == "" {
		return schema.RawType("BLOB") // no declared type: BLOB affinity
	}
	return schema.RawType(decl)
}

// paramType splits "NAME(1, 2)" into its name and numbers.
func paramType(s string) (string, []int, bool) {
	toks := tokenize(s)
	if len(toks) < 4 || toks[0].kind != tokWord || toks[1].text != "(" || toks[len(toks)-1].text != ")" {
		return "", nil, false
	}
	var args []int
	for i, tk := range toks[2 : len(toks)-1] {
		if i%2 == 1 {
			if tk.text != "," {
				return "", nil, false
			}
			continue
		}
		n, err := strconv.Atoi(tk.text)
		if tk.kind != tokNumber || err != nil {
			return "", nil, false
		}
		args = append(args, n)
	}
	return toks[0].value, args, true
}

// defaultFromSQL reads pragma_table_xinfo's dflt_value: the default's
// text as written, without the parentheses of an expression default.
func defaultFromSQL(s string) schema.DefaultValue {
	toks := tokenize(s)
	if len(toks) == 1 && toks[0].kind == tokString {
		return schema.Literal(toks[0].value)
	}
	if strings.EqualFold(strings.TrimSpace(s), "NULL") {
		return schema.DefaultValue{}
	}
	return schema.Expr(s)
}

func (d Dialect) inspectForeignKeys(ctx context.Context, q dialect.Querier, t dialect.Ident, p *parsedTable, out *schema.Table) error {
	rows, err := q.QueryContext(ctx, `SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq`, t.Name, schemaArg(t.Schema))
	if err != nil {
		return err
	}
	var fks []schema.ForeignKeyDef
	var missingTo []bool
	last := -1
	for rows.Next() {
		var (
			id                 int
			ref, from, upd, dl string
			to                 sql.NullString
		)
		if err := rows.Scan(&id, &ref, &from, &to, &upd, &dl); err != nil {
			rows.Close()
			return err
		}
		if id != last {
			fks = append(fks, schema.ForeignKeyDef{RefTable: ref, OnUpdate: actionFromSQL(upd), OnDelete: actionFromSQL(dl)})
			missingTo = append(missingTo, false)
			last = id
		}
		fk := &fks[len(fks)-1]
		fk.Columns = append(fk.Columns, from)
		fk.RefColumns = append(fk.RefColumns, to.String)
		missingTo[len(fks)-1] = missingTo[len(fks)-1] || !to.Valid
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The pragma lists the keys last declared first; the text has the
	// names and the DEFERRABLE clauses.
	slices.Reverse(fks)
	slices.Reverse(missingTo)
	used := make([]bool, len(p.fks))
	for i := range fks {
		fk := &fks[i]
		for j, pf := range p.fks {
			if used[j] || !strings.EqualFold(pf.refTable, fk.RefTable) || !equalFold(pf.columns, fk.Columns) {
				continue
			}
			used[j] = true
			if pf.deferred {
				return fmt.Errorf("foreign key %s is DEFERRABLE INITIALLY DEFERRED, which a schema.ForeignKeyDef cannot describe", describeFK(pf.name, fk.Columns))
			}
			fk.Name = pf.name
			if missingTo[i] && len(pf.refColumns) == len(fk.Columns) {
				fk.RefColumns, missingTo[i] = pf.refColumns, false
			}
			break
		}
		if missingTo[i] { // REFERENCES parent with no columns: the parent's key
			key, err := d.primaryKeyOf(ctx, q, dialect.Ident{Schema: t.Schema, Name: fk.RefTable})
			if err != nil || len(key) != len(fk.Columns) {
				return fmt.Errorf("foreign key %s references %s without columns and its primary key could not be read (%v)", describeFK(fk.Name, fk.Columns), fk.RefTable, err)
			}
			fk.RefColumns = key
		}
	}
	out.ForeignKeys = fks
	return nil
}

func describeFK(name string, cols []string) string {
	if name != "" {
		return name
	}
	return "(" + strings.Join(cols, ", ") + ")"
}

func (d Dialect) primaryKeyOf(ctx context.Context, q dialect.Querier, t dialect.Ident) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk`, t.Name, schemaArg(t.Schema))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var key []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		key = append(key, n)
	}
	return key, rows.Err()
}

func actionFromSQL(s string) schema.Action {
	switch strings.ToUpper(s) {
	case "RESTRICT":
		return schema.Restrict
	case "CASCADE":
		return schema.Cascade
	case "SET NULL":
		return schema.SetNull
	case "SET DEFAULT":
		return schema.SetDefault
	}
	return schema.NoAction
}

func equalFold(a, b []string) bool {
	return slices.EqualFunc(a, b, strings.EqualFold)
}

// inspectIndexes reads the indexes made by CREATE INDEX; those behind
// UNIQUE and PRIMARY KEY constraints come from the table's text.
func (d Dialect) inspectIndexes(ctx context.Context, q dialect.Querier, t dialect.Ident, indexSQL map[string]string, out *schema.Table) error {
	if indexSQL != nil {
		return d.inspectIndexesKnown(ctx, q, t, indexSQL, out)
	}
	rows, err := q.QueryContext(ctx, `SELECT l.name, l."unique", coalesce(m.sql, '') FROM pragma_index_list(?, ?) l
		JOIN `+d.master(t.Schema)+` m ON m.type = 'index' AND m.name = l.name
		WHERE l.origin = 'c' ORDER BY l.name`, t.Name, schemaArg(t.Schema))
	if err != nil {
		return err
	}
	type idx struct {
		name   string
		unique bool
		sql    string
	}
	var list []idx
	for rows.Next() {
		var ix idx
		if err := rows.Scan(&ix.name, &ix.unique, &ix.sql); err != nil {
			rows.Close()
			return err
		}
		list = append(list, ix)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, ix := range list {
		def, err := parseCreateIndex(ix.sql)
		if err != nil {
			return fmt.Errorf("index %s: %w", ix.name, err)
		}
		def.Name, def.Unique = ix.name, ix.unique
		out.Indexes = append(out.Indexes, def)
	}
	return nil
}

// inspectIndexesKnown lists t's indexes with pragma_index_list and takes
// their CREATE INDEX texts from indexSQL.
func (d Dialect) inspectIndexesKnown(ctx context.Context, q dialect.Querier, t dialect.Ident, indexSQL map[string]string, out *schema.Table) error {
	rows, err := q.QueryContext(ctx, `SELECT name, "unique" FROM pragma_index_list(?, ?) WHERE origin = 'c' ORDER BY name`, t.Name, schemaArg(t.Schema))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var unique bool
		if err := rows.Scan(&name, &unique); err != nil {
			return err
		}
		def, err := parseCreateIndex(indexSQL[name])
		if err != nil {
			return fmt.Errorf("index %s: %w", name, err)
		}
		def.Name, def.Unique = name, unique
		out.Indexes = append(out.Indexes, def)
	}
	return rows.Err()
}
