package sqlite

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// Render returns the statements for op; see [dialect.Dialect]. Every
// name goes through QuoteIdent and every string value through
// QuoteLiteral; SQL text that an operation carries as SQL (expressions,
// view and trigger definitions, Execute) is used as written.
//
// SQLite's ALTER TABLE can rename a table, add, drop and rename a
// column, and nothing else: changing a column's type, nullability or
// default and adding or dropping a constraint fail with an
// *[dialect.UnsupportedError] that points to batch mode
// (op.BatchAlterTable). Constraints are written inline in CREATE TABLE.
// Schemas, sequences, enum types, functions and comments do not exist
// in SQLite: comments inside CreateTable and AddColumn are left out (as
// Alembic does); the other operations fail. An enum column renders as
// TEXT. An identity column must be the table's single INTEGER primary
// key and renders as INTEGER PRIMARY KEY AUTOINCREMENT. PostgreSQL's
// Concurrently is ignored. A table's Schema names an attached database.
func (d Dialect) Render(op ops.Operation) ([]string, error) {
	if r, ok := op.(dialect.Renderer); ok {
		return r.RenderSQL(d)
	}
	switch o := op.(type) {
	case ops.Sequence:
		var out []string
		for _, x := range o {
			s, err := d.Render(x)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
		}
		return out, nil
	case ops.CreateTable:
		return d.createTable(o)
	case ops.DropTable:
		if o.Cascade {
			return nil, d.unsupported(o, o.Table, "SQLite has no DROP TABLE ... CASCADE; drop the dependent objects first")
		}
		return one("DROP TABLE " + ifExists(o.IfExists) + d.name(o.Schema, o.Table))
	case ops.RenameTable:
		return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " RENAME TO " + d.QuoteIdent(o.NewName))
	case ops.SetTableComment:
		return nil, d.unsupported(o, o.Table, "SQLite has no comments")
	case ops.AddColumn:
		return d.addColumn(o)
	case ops.DropColumn:
		if o.IfExists {
			return nil, d.unsupported(o, o.Table, "SQLite has no DROP COLUMN IF EXISTS")
		}
		return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " DROP COLUMN " + d.QuoteIdent(o.Column))
	case ops.AlterColumn:
		return d.alterColumn(o)
	case ops.CreateIndex:
		return d.createIndex(o)
	case ops.DropIndex:
		return one("DROP INDEX " + ifExists(o.IfExists) + d.name(o.Schema, o.Name))
	case ops.CreatePrimaryKey:
		return nil, d.batchOnly(o, o.Table)
	case ops.CreateUniqueConstraint:
		return nil, d.batchOnly(o, o.Table)
	case ops.CreateForeignKey:
		return nil, d.batchOnly(o, o.Table)
	case ops.CreateCheckConstraint:
		return nil, d.batchOnly(o, o.Table)
	case ops.DropConstraint:
		return nil, d.batchOnly(o, o.Table)
	}
	return d.renderObject(op)
}

// renderObject renders the operations on objects other than tables.
func (d Dialect) renderObject(op ops.Operation) ([]string, error) {
	switch o := op.(type) {
	case ops.CreateSchema, ops.DropSchema:
		return nil, d.unsupported(op, "", "SQLite has no schemas; attach another database file (ATTACH DATABASE) instead")
	case ops.CreateSequence, ops.DropSequence:
		return nil, d.unsupported(op, "", "SQLite has no sequences; use an INTEGER PRIMARY KEY (schema.GeneratedByDefault)")
	case ops.CreateEnum, ops.DropEnum, ops.AddEnumValue:
		return nil, d.unsupported(op, "", "SQLite has no enum types; enum columns are TEXT there, so skip this operation on SQLite (check op.Dialect())")
	case ops.CreateFunction, ops.ReplaceFunction, ops.DropFunction:
		return nil, d.unsupported(op, "", "SQLite has no stored functions")
	case ops.CreateView:
		return one("CREATE VIEW " + d.name(o.View.Schema, o.View.Name) + " AS " + o.View.Definition)
	case ops.ReplaceView:
		v := d.name(o.View.Schema, o.View.Name)
		return []string{"DROP VIEW IF EXISTS " + v, "CREATE VIEW " + v + " AS " + o.View.Definition}, nil
	case ops.DropView:
		return one("DROP VIEW " + ifExists(o.IfExists) + d.name(o.Schema, o.Name))
	case ops.CreateTrigger:
		return one("CREATE TRIGGER " + d.name(o.Trigger.Schema, o.Trigger.Name) + " " + o.Trigger.Definition)
	case ops.DropTrigger:
		return one("DROP TRIGGER " + ifExists(o.IfExists) + d.name(o.Schema, o.Name))
	case ops.Execute:
		if s, ok := o.For(d.Name()); ok {
			return one(s)
		}
		return nil, nil
	case ops.BulkInsert:
		return d.bulkInsert(o)
	}
	return nil, &dialect.UnsupportedError{Op: op.Describe(), Dialect: d.Name(),
		Hint: fmt.Sprintf("%T is not an operation the dialect knows; a custom operation must implement dialect.Renderer", op)}
}

func (d Dialect) unsupported(op ops.Operation, table, hint string) error {
	return &dialect.UnsupportedError{Op: op.Describe(), Table: table, Dialect: d.Name(), Hint: hint}
}

// batchOnly is the error for a change SQLite's ALTER TABLE cannot make.
func (d Dialect) batchOnly(op ops.Operation, table string) error {
	return d.unsupported(op, table, "SQLite's ALTER TABLE cannot do this; use batch mode, "+
		"op.BatchAlterTable("+strconv.Quote(table)+", func(b *retort.Batch) error { ... }), which recreates the table with the change")
}

func one(s string) ([]string, error) { return []string{s}, nil }

func ifExists(b bool) string {
	if b {
		return "IF EXISTS "
	}
	return ""
}

func ifNotExists(b bool) string {
	if b {
		return "IF NOT EXISTS "
	}
	return ""
}

// name renders "schema"."name" or "name".
func (d Dialect) name(s, n string) string { return d.qualified(dialect.Ident{Schema: s, Name: n}) }

func (d Dialect) idents(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = d.QuoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// typeSQL renders t as a declared type whose affinity suits the values:
// the names are kept close to the neutral ones so that they read back.
func (d Dialect) typeSQL(t schema.Type) (string, error) {
	switch t.Kind {
	case schema.KindSmallInt, schema.KindInteger, schema.KindBigInt, schema.KindBoolean,
		schema.KindText, schema.KindReal, schema.KindDate, schema.KindTime, schema.KindTimestamp,
		schema.KindTimestampTZ, schema.KindInterval, schema.KindUUID, schema.KindJSON, schema.KindJSONB:
		return strings.ToUpper(t.Kind.String()), nil
	case schema.KindDouble:
		return "DOUBLE", nil
	case schema.KindBytes:
		return "BLOB", nil
	case schema.KindEnum:
		return "TEXT", nil
	case schema.KindVarchar:
		if t.Length == 0 {
			return "VARCHAR", nil
		}
		return "VARCHAR(" + strconv.Itoa(t.Length) + ")", nil
	case schema.KindChar:
		return "CHAR(" + strconv.Itoa(max(t.Length, 1)) + ")", nil
	case schema.KindNumeric:
		if t.Precision == 0 {
			return "NUMERIC", nil
		}
		return "NUMERIC(" + strconv.Itoa(t.Precision) + ", " + strconv.Itoa(t.Scale) + ")", nil
	case schema.KindRaw:
		if t.Name == "" {
			return "", errors.New("raw type with no SQL text")
		}
		return t.Name, nil
	}
	return "", fmt.Errorf("column type %s: not a type (build it with schema.Integer, schema.Varchar(n), ...)", t)
}

func (d Dialect) defaultSQL(v schema.DefaultValue) string {
	if v.Kind == schema.DefaultLiteral {
		return d.QuoteLiteral(v.Value)
	}
	// SQLite wants an expression default in parentheses, except for a
	// bare literal or CURRENT_TIMESTAMP-style keyword, which it also
	// accepts parenthesised.
	return "(" + v.Value + ")"
}

// columnSQL renders a column definition; inlinePK adds PRIMARY KEY
// [AUTOINCREMENT] to the single key column of a table.
func (d Dialect) columnSQL(op ops.Operation, table string, c schema.ColumnDef, inlinePK bool) (string, error) {
	typ, err := d.typeSQL(c.Type)
	if err != nil {
		return "", fmt.Errorf("%s: column %s: %w", op.Describe(), c.Name, err)
	}
	switch c.Identity.Kind {
	case schema.IdentityNone:
	case schema.IdentityAlways:
		return "", d.unsupported(op, table, "SQLite has no GENERATED ALWAYS identity columns; use schema.GeneratedByDefault(), which is INTEGER PRIMARY KEY AUTOINCREMENT")
	default:
		if !inlinePK || !c.Type.Kind.IsInteger() {
			return "", d.unsupported(op, table, "SQLite generates values only for the table's single INTEGER PRIMARY KEY column (AUTOINCREMENT); "+
				"make column "+c.Name+" the only primary key column, of an integer type")
		}
		if c.Identity.Start != 0 || c.Identity.Increment != 0 {
			return "", d.unsupported(op, table, "SQLite's AUTOINCREMENT has no start or increment; leave them zero")
		}
		typ = "INTEGER" // AUTOINCREMENT needs exactly INTEGER
	}
	s := d.QuoteIdent(c.Name) + " " + typ
	if !c.Nullable {
		s += " NOT NULL"
	}
	if inlinePK {
		s += " PRIMARY KEY"
		if c.Identity.Kind != schema.IdentityNone {
			s += " AUTOINCREMENT"
		}
	}
	if !c.Default.IsZero() {
		s += " DEFAULT " + d.defaultSQL(c.Default)
	}
	return s, nil
}

// constraintSQL renders a table constraint as it appears in CREATE
// TABLE.
func (d Dialect) constraintSQL(c schema.Constraint) (string, error) {
	s := ""
	if n := c.ConstraintName(); n != "" {
		s = "CONSTRAINT " + d.QuoteIdent(n) + " "
	}
	switch c := c.(type) {
	case schema.PrimaryKeyDef:
		s += "PRIMARY KEY (" + d.idents(c.Columns) + ")"
	case schema.UniqueDef:
		s += "UNIQUE (" + d.idents(c.Columns) + ")"
	case schema.CheckDef:
		s += "CHECK (" + c.Expr + ")"
	case schema.ForeignKeyDef:
		if c.RefSchema != "" {
			return "", fmt.Errorf("foreign key %s: SQLite cannot reference a table in another database (%s)", c.Name, c.RefSchema)
		}
		s += "FOREIGN KEY (" + d.idents(c.Columns) + ") REFERENCES " + d.QuoteIdent(c.RefTable) +
			" (" + d.idents(c.RefColumns) + ")"
		if c.OnDelete != schema.NoAction {
			s += " ON DELETE " + c.OnDelete.String()
		}
		if c.OnUpdate != schema.NoAction {
			s += " ON UPDATE " + c.OnUpdate.String()
		}
	}
	return s, nil
}

// CreateTableSQL renders the CREATE TABLE statement alone (no indexes)
// for t, normalised; batch mode uses it to build the new table.
func (d Dialect) CreateTableSQL(t schema.Table, ifNotExistsFlag bool) (string, error) {
	t.Normalize()
	op := ops.CreateTable{Table: t}
	var inline string // the column carrying PRIMARY KEY inline
	if pk := t.PrimaryKey; pk != nil && pk.Name == "" && len(pk.Columns) == 1 {
		if c, ok := t.Column(pk.Columns[0]); ok && c.Identity.Kind != schema.IdentityNone {
			inline = c.Name
		}
	}
	var lines []string
	for _, c := range t.Columns {
		s, err := d.columnSQL(op, t.Name, c, c.Name == inline)
		if err != nil {
			return "", err
		}
		lines = append(lines, s)
	}
	var cons []schema.Constraint
	if t.PrimaryKey != nil && inline == "" {
		cons = append(cons, *t.PrimaryKey)
	}
	for _, c := range t.ForeignKeys {
		cons = append(cons, c)
	}
	for _, c := range t.Uniques {
		cons = append(cons, c)
	}
	for _, c := range t.Checks {
		cons = append(cons, c)
	}
	for _, c := range cons {
		s, err := d.constraintSQL(c)
		if err != nil {
			return "", fmt.Errorf("%s: %w", op.Describe(), err)
		}
		lines = append(lines, s)
	}
	return "CREATE TABLE " + ifNotExists(ifNotExistsFlag) + d.name(t.Schema, t.Name) +
		" (\n    " + strings.Join(lines, ",\n    ") + "\n)", nil
}

func (d Dialect) createTable(o ops.CreateTable) ([]string, error) {
	s, err := d.CreateTableSQL(o.Table, o.IfNotExists)
	if err != nil {
		return nil, err
	}
	out := []string{s}
	for _, ix := range o.Table.Indexes {
		s, err := d.createIndex(ops.CreateIndex{Schema: o.Table.Schema, Table: o.Table.Name, Index: ix, IfNotExists: o.IfNotExists})
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

func (d Dialect) addColumn(o ops.AddColumn) ([]string, error) {
	if o.IfNotExists {
		return nil, d.unsupported(o, o.Table, "SQLite has no ADD COLUMN IF NOT EXISTS")
	}
	s, err := d.columnSQL(o, o.Table, o.Column, false)
	if err != nil {
		return nil, err
	}
	return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " ADD COLUMN " + s)
}

// alterColumn renders a rename; every other change needs batch mode.
func (d Dialect) alterColumn(o ops.AlterColumn) ([]string, error) {
	if o.Type != nil || o.Nullable != nil || o.Default != nil || o.Using != "" {
		return nil, d.batchOnly(o, o.Table)
	}
	if o.Comment != nil {
		return nil, d.unsupported(o, o.Table, "SQLite has no comments")
	}
	if o.NewName == "" {
		return nil, nil
	}
	return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " RENAME COLUMN " + d.QuoteIdent(o.Column) + " TO " + d.QuoteIdent(o.NewName))
}

func (d Dialect) createIndex(o ops.CreateIndex) ([]string, error) {
	ix := o.Index
	if ix.Name == "" || len(ix.Parts) == 0 {
		return nil, fmt.Errorf("%s: an index needs a name and at least one column or expression", o.Describe())
	}
	s := "CREATE "
	if ix.Unique {
		s += "UNIQUE "
	}
	// The index's name carries the schema; its table must not.
	s += "INDEX " + ifNotExists(o.IfNotExists) + d.name(o.Schema, ix.Name) +
		" ON " + d.QuoteIdent(o.Table) + " (" + d.indexParts(ix.Parts) + ")"
	if ix.Where != "" {
		s += " WHERE " + ix.Where
	}
	return one(s)
}

func (d Dialect) indexParts(parts []schema.IndexPart) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		if p.Expr != "" {
			out[i] = "(" + p.Expr + ")"
		} else {
			out[i] = d.QuoteIdent(p.Column)
		}
		if p.Desc {
			out[i] += " DESC"
		}
	}
	return strings.Join(out, ", ")
}

// bulkRows is how many rows one INSERT carries.
const bulkRows = 500

func (d Dialect) bulkInsert(o ops.BulkInsert) ([]string, error) {
	head := "INSERT INTO " + d.name(o.Schema, o.Table) + " (" + d.idents(o.Columns) + ") VALUES\n    "
	var out []string
	for start := 0; start < len(o.Rows); start += bulkRows {
		rows := o.Rows[start:min(start+bulkRows, len(o.Rows))]
		vals := make([]string, len(rows))
		for i, row := range rows {
			if len(row) != len(o.Columns) {
				return nil, fmt.Errorf("%s: row %d has %d values for %d columns", o.Describe(), start+i, len(row), len(o.Columns))
			}
			lits := make([]string, len(row))
			for j, v := range row {
				lit, err := d.literal(v)
				if err != nil {
					return nil, fmt.Errorf("%s: row %d, column %s: %w", o.Describe(), start+i, o.Columns[j], err)
				}
				lits[j] = lit
			}
			vals[i] = "(" + strings.Join(lits, ", ") + ")"
		}
		out = append(out, head+strings.Join(vals, ",\n    "))
	}
	return out, nil
}

// timeLayout is how a time.Time value renders in a bulk insert: the text
// form modernc.org/sqlite writes for a time.Time parameter.
const timeLayout = "2006-01-02 15:04:05.999999999-07:00"

// literal renders a Go value as a SQLite literal; booleans are 1 and 0.
func (d Dialect) literal(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "NULL", nil
	case []byte:
		if v == nil {
			return "NULL", nil
		}
		return "X'" + strings.ToUpper(hex.EncodeToString(v)) + "'", nil
	case time.Time:
		return d.QuoteLiteral(v.Format(timeLayout)), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Bool:
		if rv.Bool() {
			return "1", nil
		}
		return "0", nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		switch {
		case math.IsNaN(f):
			return "", errors.New("NaN cannot be stored in SQLite (it becomes NULL); use nil")
		case math.IsInf(f, 1):
			return "9e999", nil // SQLite reads an overflowing literal as +Inf
		case math.IsInf(f, -1):
			return "-9e999", nil
		}
		s := strconv.FormatFloat(f, 'g', -1, rv.Type().Bits())
		if !strings.ContainsAny(s, ".eE") {
			s += ".0" // keep REAL in a column without affinity
		}
		return s, nil
	case reflect.String:
		return d.QuoteLiteral(rv.String()), nil
	}
	return "", fmt.Errorf("value of type %T: use nil, bool, an integer, a float, string, []byte or time.Time", v)
}
