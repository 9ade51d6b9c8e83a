package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

var (
	_ dialect.Inspectable = Dialect{}
	_ dialect.Inspector   = Dialect{}
)

// Inspector returns d, which reflects MySQL itself through
// [Dialect.Inspect].
func (d Dialect) Inspector() dialect.Inspector { return d }

// Inspect reflects the databases o names (the connection's current
// database when none) into a [schema.Database]: tables with their
// columns, keys, constraints, indexes and comments, and views. It reads
// information_schema with the same eight queries however many tables
// there are, and assembles the values in Go. Objects of the current
// database are reported with an empty Schema.
//
// Types are normalised to what the schema builders make: tinyint(1) and
// bool are Boolean; int(11) and int are Integer (display widths are
// noise); tinytext to longtext are Text; blobs are Bytes; datetime is
// Timestamp and timestamp TimestampTZ (at any fractional precision);
// MariaDB's JSON (a longtext with a json_valid check named after the
// column) is JSON and its check is not reported; MariaDB's uuid is UUID.
// enum('a','b') is the inline enum [schema.EnumOf] of its values.
// Other integer types lose their display width unless ZEROFILL: tinyint
// and "int(10) unsigned" are RawType("tinyint") and RawType("int
// unsigned"), as MySQL 8.0.19 and later write them.
// Character sets and collations are not reported. Anything else
// (unsigned integers, set(...), bit, binary, geometry) is a RawType of
// the column type's text.
//
// Defaults: a quoted constant (MariaDB) or, on MySQL, a value that is
// not DEFAULT_GENERATED is a Literal; numbers are Literals of their
// text; CURRENT_TIMESTAMP in any spelling is the Expr
// CURRENT_TIMESTAMP[(n)]; anything else is an Expr. An ON UPDATE clause
// is the column's OnUpdate, spelt the same way. AUTO_INCREMENT is an Identity by default. A
// generated column is a [schema.Computed] (STORED or VIRTUAL) whose
// expression loses the server's backticks around plain names and its
// outer parentheses.
//
// MySQL makes a unique constraint and a unique index the same object: a
// unique index whose parts are whole columns is reported as a
// [schema.UniqueDef], one with prefix lengths or descending parts as an
// [schema.IndexDef]. The primary key has no name of its own (MySQL
// calls it PRIMARY) and is reported unnamed. The index MySQL adds for a
// foreign key (named after it, on its columns) is not reported, and a
// foreign key's RESTRICT is reported as NO ACTION: InnoDB treats them
// alike, and MariaDB reports RESTRICT for a key declared without one. Check clauses lose the
// backticks around plain names. View definitions are the server's
// text, without the current database's name before each table and
// column.
//
// FULLTEXT and SPATIAL indexes have Using "fulltext" and "spatial".
// Index parts that are expressions (MySQL 8.0.13 and later; MariaDB has
// none) are read from information_schema.statistics' expression
// column, without backticks around plain names, character set
// introducers and outer parentheses. MariaDB's system-versioned tables
// are reported as plain tables (WITH SYSTEM VERSIONING, like the other
// table options, is not) and invisible columns as plain columns.
// Functions, procedures, triggers, events and sequences are not
// reported, and their presence changes nothing.
func (d Dialect) Inspect(ctx context.Context, q dialect.Querier, o dialect.InspectOpts) (*schema.Database, error) {
	in, err := d.newInspection(ctx, q, o)
	if err != nil {
		return nil, fmt.Errorf("inspect mysql: %w", err)
	}
	steps := []struct {
		what string
		run  func(context.Context, dialect.Querier) error
	}{
		{"tables", in.tables},
		{"columns", in.columns},
		{"indexes", in.indexes},
		{"foreign keys", in.foreignKeys},
		{"checks", in.checks},
		{"views", in.views},
	}
	for _, s := range steps {
		if err := s.run(ctx, q); err != nil {
			return nil, fmt.Errorf("inspect mysql %s: %w", s.what, err)
		}
	}
	return in.finish(), nil
}

// inspection is one run of Inspect.
type inspection struct {
	current string // DATABASE(), reported as ""
	srv     Server // from VERSION()
	mariaDB bool
	schemas []string
	in      string // "(?, ?)" for schemas
	args    []any
	o       dialect.InspectOpts
	db      schema.Database
	byName  map[[2]string]*schema.Table
	order   [][2]string
}

func (d Dialect) newInspection(ctx context.Context, q dialect.Querier, o dialect.InspectOpts) (*inspection, error) {
	var cur sql.NullString
	var version string
	if err := q.QueryRowContext(ctx, "SELECT DATABASE(), VERSION()").Scan(&cur, &version); err != nil {
		return nil, err
	}
	in := &inspection{current: cur.String, o: o, byName: map[[2]string]*schema.Table{}}
	// A version retort cannot read is the common syntax: nothing that
	// needs a known server is asked for.
	in.srv, _ = ParseServer(version)
	in.mariaDB = in.srv.mariaDB() || strings.Contains(strings.ToLower(version), "mariadb")
	in.schemas = o.Schemas
	if len(in.schemas) == 0 {
		if !cur.Valid {
			return nil, fmt.Errorf("the connection has no current database: name one in the URL or in the inspect options")
		}
		in.schemas = []string{cur.String}
	}
	marks := make([]string, len(in.schemas))
	for i, s := range in.schemas {
		marks[i] = "?"
		in.args = append(in.args, s)
	}
	in.in = "(" + strings.Join(marks, ", ") + ")"
	return in, nil
}

// schemaOf reports s, or "" for the current database.
func (in *inspection) schemaOf(s string) string {
	if s == in.current {
		return ""
	}
	return s
}

// wanted reports whether the table or view name is selected.
func (in *inspection) wanted(name string) bool {
	if len(in.o.Tables) > 0 && !slices.Contains(in.o.Tables, name) {
		return false
	}
	return !slices.Contains(in.o.Exclude, name)
}

// each runs query with the schema arguments and calls fn for each row.
func (in *inspection) each(ctx context.Context, q dialect.Querier, query string, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, strings.ReplaceAll(query, "(:schemas)", in.in), in.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// table returns the table being assembled, or nil when not reflected.
func (in *inspection) table(s, name string) *schema.Table {
	return in.byName[[2]string{s, name}]
}

func (in *inspection) tables(ctx context.Context, q dialect.Querier) error {
	return in.each(ctx, q, `SELECT table_schema, table_name, table_type, COALESCE(table_comment, '')
FROM information_schema.tables WHERE table_schema IN (:schemas) AND table_type IN ('BASE TABLE', 'SYSTEM VERSIONED', 'VIEW')
ORDER BY table_schema, table_name`, func(r *sql.Rows) error {
		var s, name, typ, comment string
		if err := r.Scan(&s, &name, &typ, &comment); err != nil {
			return err
		}
		// MariaDB's system-versioned tables are tables whose history
		// columns are hidden; views are read by views.
		if typ == "VIEW" || !in.wanted(name) {
			return nil
		}
		key := [2]string{s, name}
		in.byName[key] = &schema.Table{Schema: in.schemaOf(s), Name: name, Comment: comment}
		in.order = append(in.order, key)
		return nil
	})
}

func (in *inspection) columns(ctx context.Context, q dialect.Querier) error {
	return in.each(ctx, q, `SELECT table_schema, table_name, column_name, column_type, data_type, is_nullable,
  column_default, extra, COALESCE(column_comment, ''), COALESCE(generation_expression, '')
FROM information_schema.columns WHERE table_schema IN (:schemas)
ORDER BY table_schema, table_name, ordinal_position`, func(r *sql.Rows) error {
		var s, tname, name, colType, dataType, nullable, extra, comment, gen string
		var def sql.NullString
		if err := r.Scan(&s, &tname, &name, &colType, &dataType, &nullable, &def, &extra, &comment, &gen); err != nil {
			return err
		}
		t := in.table(s, tname)
		if t == nil {
			return nil
		}
		c := schema.ColumnDef{Name: name, Type: columnType(colType, dataType), Nullable: nullable == "YES", Comment: comment}
		if x := strings.ToUpper(extra); strings.Contains(x, "GENERATED") && !strings.Contains(x, "DEFAULT_GENERATED") {
			c.Computed = schema.Computed{Expr: generationExpr(gen), Virtual: strings.Contains(x, "VIRTUAL")}
			t.Columns = append(t.Columns, c)
			return nil
		}
		c.Default = in.defaultValue(def, extra)
		c.OnUpdate = onUpdate(extra)
		if strings.Contains(strings.ToLower(extra), "auto_increment") {
			c.Identity = schema.Identity{Kind: schema.IdentityByDefault}
			c.Default = schema.DefaultValue{}
		}
		t.Columns = append(t.Columns, c)
		return nil
	})
}

var (
	intWidth = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(tinyint|smallint|mediumint|int|integer|bigint)(\(\d+\))?$`)
	})
	// intDisplay is an integer type with a display width and attributes
	// other than ZEROFILL (where the width matters): "int(10) unsigned".
	intDisplay = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(tinyint|smallint|mediumint|int|integer|bigint)\(\d+\)((?: unsigned)?)$`)
	})
	lengthParam = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\((\d+)(?:,(\d+))?\)`) })
)

// columnType normalises a column type (see Inspect).
func columnType(colType, dataType string) schema.Type {
	ct := strings.ToLower(strings.TrimSpace(colType))
	dt := strings.ToLower(dataType)
	if ct == "tinyint(1)" || dt == "bool" || dt == "boolean" {
		return schema.Boolean
	}
	if m := intWidth().FindStringSubmatch(ct); m != nil {
		switch m[1] {
		case "smallint":
			return schema.SmallInt
		case "mediumint", "int", "integer":
			return schema.Integer
		case "bigint":
			return schema.BigInt
		}
	}
	params := func() (int, int) {
		m := lengthParam().FindStringSubmatch(ct)
		if m == nil {
			return 0, 0
		}
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		return a, b
	}
	switch dt {
	case "varchar":
		n, _ := params()
		return schema.Varchar(n)
	case "char":
		n, _ := params()
		return schema.Char(n)
	case "tinytext", "text", "mediumtext", "longtext":
		if strings.Contains(ct, " ") { // a character set or collation
			return schema.RawType(colType)
		}
		return schema.Text
	case "tinyblob", "blob", "mediumblob", "longblob":
		return schema.Bytes
	case "decimal", "numeric":
		p, s := params()
		if strings.Contains(ct, "unsigned") {
			return schema.RawType(colType)
		}
		return schema.Numeric(p, s)
	case "float":
		if ct == "float" {
			return schema.Real
		}
	case "double":
		if ct == "double" {
			return schema.Double
		}
	case "date":
		return schema.Date
	case "time":
		return schema.Time
	case "datetime":
		return schema.Timestamp
	case "timestamp":
		return schema.TimestampTZ
	case "json":
		return schema.JSON
	case "uuid":
		return schema.UUID
	case "enum":
		if vals, ok := enumValues(colType); ok {
			return schema.EnumOf(vals...)
		}
	}
	if m := intDisplay().FindStringSubmatch(ct); m != nil {
		// MariaDB and MySQL before 8.0.19 write a display width, which
		// changes nothing: "int(10) unsigned" is "int unsigned".
		return schema.RawType(m[1] + m[2])
	}
	return schema.RawType(colType)
}

// enumValues reads the values of a column type enum('a','b') as the
// server writes it: literals with doubled quotes and backslash escapes.
func enumValues(colType string) ([]string, bool) {
	s, ok := strings.CutPrefix(strings.TrimSpace(colType), "enum(")
	if !ok {
		return nil, false
	}
	s, ok = strings.CutSuffix(s, ")")
	if !ok {
		return nil, false
	}
	var vals []string
	for s != "" {
		if s[0] != '\'' {
			return nil, false
		}
		i := 1
		for ; i < len(s); i++ {
			if s[i] == '\\' {
				i++
				continue
			}
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				break
			}
		}
		if i >= len(s) {
			return nil, false
		}
		vals = append(vals, unquote(s[1:i]))
		s = s[i+1:]
		if s == "" {
			break
		}
		if s[0] != ',' || len(s) == 1 {
			return nil, false
		}
		s = s[1:]
	}
	return vals, len(vals) > 0
}

// generationExpr normalises a generated column's expression as the
// server keeps it: without the backticks around plain names (MariaDB,
// MySQL) and the parentheses around the whole (MySQL).
func generationExpr(e string) string {
	e = strings.TrimSpace(backticked().ReplaceAllString(e, "$1"))
	for len(e) >= 2 && e[0] == '(' && e[len(e)-1] == ')' && balanced(e[1:len(e)-1]) {
		e = strings.TrimSpace(e[1 : len(e)-1])
	}
	return e
}

// balanced reports whether the parentheses of s pair up (quotes aside).
func balanced(s string) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

var currentTime = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^(current_timestamp|now|localtimestamp|localtime)(\(\s*(\d*)\s*\))?$`)
})

// defaultValue normalises a column default (see Inspect).
func (in *inspection) defaultValue(def sql.NullString, extra string) schema.DefaultValue {
	if !def.Valid {
		return schema.DefaultValue{}
	}
	v := strings.TrimSpace(def.String)
	if m := currentTime().FindStringSubmatch(v); m != nil {
		if m[3] != "" {
			return schema.Expr("CURRENT_TIMESTAMP(" + m[3] + ")")
		}
		return schema.Expr("CURRENT_TIMESTAMP")
	}
	if in.mariaDB {
		switch {
		case v == "NULL":
			return schema.DefaultValue{}
		case len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'':
			return schema.Literal(unquote(v[1 : len(v)-1]))
		case isNumber(v):
			return schema.Literal(v)
		}
		return schema.Expr(v)
	}
	if strings.Contains(strings.ToUpper(extra), "DEFAULT_GENERATED") {
		return schema.Expr(v)
	}
	return schema.Literal(v)
}

var onUpdateClause = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\bon update ([a-z_]+(?:\(\s*\d*\s*\))?)`) })

// onUpdate reads a column's ON UPDATE clause from its extra column
// ("on update current_timestamp(6)" on MariaDB, "DEFAULT_GENERATED on
// update CURRENT_TIMESTAMP" on MySQL), spelt as defaults are:
// CURRENT_TIMESTAMP[(n)].
func onUpdate(extra string) string {
	m := onUpdateClause().FindStringSubmatch(extra)
	if m == nil {
		return ""
	}
	if t := currentTime().FindStringSubmatch(m[1]); t != nil {
		if t[3] != "" {
			return "CURRENT_TIMESTAMP(" + t[3] + ")"
		}
		return "CURRENT_TIMESTAMP"
	}
	return m[1]
}

// unquote undoes MariaDB's quoting of a literal default: doubled quotes
// and backslash escapes.
func unquote(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case '0':
				c = 0
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'Z':
				c = 0x1a
			default:
				c = s[i]
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// statisticsQuery reads index parts. MySQL 8.0.13 and later index
// expressions, which information_schema.statistics reports in its
// expression column (column_name is NULL there); older MySQL and
// MariaDB have neither, and get NULL in its place.
func statisticsQuery(srv Server) string {
	expr := "NULL"
	if srv.functionalIndex() {
		expr = "expression"
	}
	return `SELECT table_schema, table_name, index_name, non_unique, column_name, ` + expr + `, sub_part, COALESCE(collation, 'A'), index_type
FROM information_schema.statistics WHERE table_schema IN (:schemas)
ORDER BY table_schema, table_name, index_name, seq_in_index`
}

// indexPart is one row of statisticsQuery as an index part: a column
// (with its prefix length), or an expression without the server's
// backticks around plain names, character set introducers before
// string literals and outer parentheses.
func indexPart(col, expr sql.NullString, sub sql.NullInt64, collation string) (schema.IndexPart, bool) {
	p := schema.IndexPart{Column: col.String, Length: int(sub.Int64), Desc: collation == "D"}
	switch {
	case col.Valid:
	case expr.Valid && strings.TrimSpace(expr.String) != "":
		p.Column, p.Length = "", 0
		p.Expr = generationExpr(introducer().ReplaceAllString(expr.String, "$1'"))
	default:
		return p, false
	}
	return p, true
}

// introducer matches a character set introducer before a string
// literal, _utf8mb4'x', as MySQL writes expressions back.
var introducer = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(^|[^A-Za-z0-9_$])_[A-Za-z0-9]+'`) })

func (in *inspection) indexes(ctx context.Context, q dialect.Querier) error {
	type key struct{ s, t, ix string }
	var order []key
	found := map[key]*schema.IndexDef{}
	err := in.each(ctx, q, statisticsQuery(in.srv), func(r *sql.Rows) error {
		var s, t, ix, coll, typ string
		var nonUnique int
		var col, expr sql.NullString
		var sub sql.NullInt64
		if err := r.Scan(&s, &t, &ix, &nonUnique, &col, &expr, &sub, &coll, &typ); err != nil {
			return err
		}
		if in.table(s, t) == nil {
			return nil
		}
		part, ok := indexPart(col, expr, sub, coll)
		if !ok {
			return fmt.Errorf("index %s of %s has a part that is neither a column nor an expression the server reports; leave the table out (Exclude)", ix, t)
		}
		k := key{s, t, ix}
		def := found[k]
		if def == nil {
			def = &schema.IndexDef{Name: ix, Unique: nonUnique == 0, Using: indexMethod(typ)}
			found[k] = def
			order = append(order, k)
		}
		if def.Using == "spatial" {
			part.Length = 0 // MariaDB reports 32, which CREATE INDEX refuses
		}
		def.Parts = append(def.Parts, part)
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range order {
		t, ix := in.table(k.s, k.t), found[k]
		switch {
		case ix.Name == "PRIMARY":
			t.PrimaryKey = &schema.PrimaryKeyDef{Columns: ix.Columns()}
		case ix.Unique && plainParts(ix.Parts) && ix.Using == "":
			t.Uniques = append(t.Uniques, schema.UniqueDef{Name: ix.Name, Columns: ix.Columns()})
		default:
			t.Indexes = append(t.Indexes, *ix)
		}
	}
	return nil
}

// indexMethod is an index_type as IndexDef.Using: FULLTEXT and SPATIAL
// indexes are reported; BTREE is the default, and HASH is what MariaDB
// reports for a unique key on a long column and MEMORY tables use,
// which CREATE INDEX does not choose: both are "".
func indexMethod(typ string) string {
	switch t := strings.ToUpper(typ); t {
	case "FULLTEXT", "SPATIAL":
		return strings.ToLower(t)
	}
	return ""
}

// plainParts reports whole, ascending columns.
func plainParts(parts []schema.IndexPart) bool {
	for _, p := range parts {
		if p.Length != 0 || p.Desc || p.Expr != "" {
			return false
		}
	}
	return true
}

var actions = map[string]schema.Action{
	"CASCADE": schema.Cascade, "SET NULL": schema.SetNull, "SET DEFAULT": schema.SetDefault,
	// InnoDB's RESTRICT is NO ACTION (checked at once either way), and
	// MariaDB reports RESTRICT for a key declared without an action.
	"RESTRICT": schema.NoAction, "NO ACTION": schema.NoAction,
}

func (in *inspection) foreignKeys(ctx context.Context, q dialect.Querier) error {
	type key struct{ s, t, name string }
	var order []key
	found := map[key]*schema.ForeignKeyDef{}
	err := in.each(ctx, q, `SELECT k.table_schema, k.table_name, k.constraint_name, k.column_name,
  k.referenced_table_schema, k.referenced_table_name, k.referenced_column_name, rc.update_rule, rc.delete_rule
FROM information_schema.key_column_usage AS k
JOIN information_schema.referential_constraints AS rc
  ON rc.constraint_schema = k.constraint_schema AND rc.constraint_name = k.constraint_name AND rc.table_name = k.table_name
WHERE k.table_schema IN (:schemas) AND k.referenced_table_name IS NOT NULL
ORDER BY k.table_schema, k.table_name, k.constraint_name, k.ordinal_position`, func(r *sql.Rows) error {
		var s, t, name, col, rs, rt, rcol, upd, del string
		if err := r.Scan(&s, &t, &name, &col, &rs, &rt, &rcol, &upd, &del); err != nil {
			return err
		}
		if in.table(s, t) == nil {
			return nil
		}
		k := key{s, t, name}
		fk := found[k]
		if fk == nil {
			fk = &schema.ForeignKeyDef{Name: name, RefSchema: in.schemaOf(rs), RefTable: rt,
				OnUpdate: actions[upd], OnDelete: actions[del]}
			found[k] = fk
			order = append(order, k)
		}
		fk.Columns = append(fk.Columns, col)
		fk.RefColumns = append(fk.RefColumns, rcol)
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range order {
		t := in.table(k.s, k.t)
		t.ForeignKeys = append(t.ForeignKeys, *found[k])
	}
	return nil
}

var backticked = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("`([A-Za-z_][A-Za-z0-9_]*)`") })

func (in *inspection) checks(ctx context.Context, q dialect.Querier) error {
	query := `SELECT tc.table_schema, tc.table_name, cc.constraint_name, cc.check_clause
FROM information_schema.table_constraints AS tc
JOIN information_schema.check_constraints AS cc
  ON cc.constraint_schema = tc.constraint_schema AND cc.constraint_name = tc.constraint_name
WHERE tc.constraint_type = 'CHECK' AND tc.table_schema IN (:schemas)
ORDER BY tc.table_schema, tc.table_name, cc.constraint_name`
	if in.mariaDB {
		// MariaDB names checks per table, and lists them with it.
		query = strings.Replace(query, "AND cc.constraint_name = tc.constraint_name",
			"AND cc.constraint_name = tc.constraint_name AND cc.table_name = tc.table_name", 1)
	}
	return in.each(ctx, q, query, func(r *sql.Rows) error {
		var s, tname, name, clause string
		if err := r.Scan(&s, &tname, &name, &clause); err != nil {
			return err
		}
		t := in.table(s, tname)
		if t == nil {
			return nil
		}
		if clause == "json_valid(`"+name+"`)" {
			// MariaDB's JSON column: a longtext with this check.
			for i := range t.Columns {
				if t.Columns[i].Name == name && t.Columns[i].Type == schema.Text {
					t.Columns[i].Type = schema.JSON
					return nil
				}
			}
		}
		t.Checks = append(t.Checks, schema.CheckDef{Name: name, Expr: backticked().ReplaceAllString(clause, "$1")})
		return nil
	})
}

func (in *inspection) views(ctx context.Context, q dialect.Querier) error {
	return in.each(ctx, q, `SELECT table_schema, table_name, view_definition FROM information_schema.views
WHERE table_schema IN (:schemas) ORDER BY table_schema, table_name`, func(r *sql.Rows) error {
		var s, name, def string
		if err := r.Scan(&s, &name, &def); err != nil {
			return err
		}
		if in.wanted(name) {
			// The server qualifies every name with its database; names
			// in the current one are unqualified, as the view was
			// written, so that a view compares equal in a scratch
			// database.
			in.db.Views = append(in.db.Views, schema.View{Schema: in.schemaOf(s), Name: name, Definition: unqualifyView(def, in.current)})
		}
		return nil
	})
}

// finish returns the database, tables normalised and in name order.
func (in *inspection) finish() *schema.Database {
	for _, s := range in.schemas {
		if s != in.current {
			in.db.Schemas = append(in.db.Schemas, s)
		}
	}
	for _, k := range in.order {
		t := in.byName[k]
		t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.IndexDef) bool {
			// The index MySQL made for a foreign key, named after it.
			return slices.ContainsFunc(t.ForeignKeys, func(fk schema.ForeignKeyDef) bool {
				return fk.Name == ix.Name && !ix.Unique && plainParts(ix.Parts) && slices.Equal(fk.Columns, ix.Columns())
			})
		})
		t.Normalize()
		in.db.Tables = append(in.db.Tables, *t)
	}
	return &in.db
}

// unqualifyView removes the database db from the names of a view's
// text as the server keeps it, and trims it.
func unqualifyView(def, db string) string {
	if db != "" {
		def = strings.ReplaceAll(def, "`"+strings.ReplaceAll(db, "`", "``")+"`.", "")
	}
	return strings.TrimSpace(def)
}
