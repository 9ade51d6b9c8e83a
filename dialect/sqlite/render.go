package sqlite

import (
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/retortdb/retort/dialect/internal/sqlgen"
	"strconv"
	"strings"

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
	case ops.CreateEnum, ops.DropEnum, ops.AddEnumValue, ops.RenameEnumValue:
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

// name renders "schema"."name" or "name".
func (d Dialect) name(s, n string) string { return d.qualified(dialect.Ident{Schema: s, Name: n}) }

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
	if c.OnUpdate != "" {
		return "", d.unsupported(op, table, "SQLite has no ON UPDATE clause on columns (column "+c.Name+"); set the value in an AFTER UPDATE trigger")
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
	if !c.Computed.IsZero() {
		s += " GENERATED ALWAYS AS (" + c.Computed.Expr + ")"
		if c.Computed.Virtual {
			s += " VIRTUAL"
		} else {
			s += " STORED"
		}
	} else if !c.Default.IsZero() {
		s += " DEFAULT " + d.defaultSQL(c.Default)
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
	if !o.Column.Computed.IsZero() && !o.Column.Computed.Virtual {
		return nil, d.batchOnly(o, o.Table)
	}
	s, err := d.columnSQL(o, o.Table, o.Column, false)
	if err != nil {
		return nil, err
	}
	return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " ADD COLUMN " + s)
}

// alterColumn renders a rename; every other change needs batch mode.
func (d Dialect) alterColumn(o ops.AlterColumn) ([]string, error) {
	if o.Type != nil || o.Nullable != nil || o.Default != nil || o.Using != "" || o.Identity != nil {
		return nil, d.batchOnly(o, o.Table)
	}
	if o.Comment != nil {
		return nil, d.unsupported(o, o.Table, "SQLite has no comments")
	}
	if o.OnUpdate != nil {
		return nil, d.unsupported(o, o.Table, "SQLite has no ON UPDATE clause on columns; set the value in an AFTER UPDATE trigger")
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

// bulkRows is how many rows one INSERT carries.
const bulkRows = 500

func one(s string) ([]string, error) { return sqlgen.One(s) }

func ifExists(b bool) string    { return sqlgen.IfExists(b) }
func ifNotExists(b bool) string { return sqlgen.IfNotExists(b) }

func (d Dialect) idents(names []string) string { return sqlgen.Idents(d, names) }

func (d Dialect) indexParts(parts []schema.IndexPart) string { return sqlgen.IndexParts(d, parts) }

func (d Dialect) constraintSQL(c schema.Constraint) (string, error) {
	return sqlgen.Constraint(d, c, func(fk schema.ForeignKeyDef) (string, error) {
		if fk.RefSchema != "" {
			return "", fmt.Errorf("foreign key %s: SQLite cannot reference a table in another database (%s)", fk.Name, fk.RefSchema)
		}
		return d.QuoteIdent(fk.RefTable), nil
	})
}

func (d Dialect) bulkInsert(o ops.BulkInsert) ([]string, error) {
	head := "INSERT INTO " + d.name(o.Schema, o.Table) + " (" + d.idents(o.Columns) + ") VALUES\n    "
	return sqlgen.BulkInsert(o, head, bulkRows, d.literal)
}

// spelling is how SQLite writes bytes (X'..'), booleans (1 and 0) and
// special floats; a float keeps a ".0" so it stays REAL in a column
// without affinity. Times are the text modernc.org/sqlite writes for a
// time.Time parameter.
var spelling = sqlgen.Spelling{
	Bytes: func(b []byte) string { return "X'" + strings.ToUpper(hex.EncodeToString(b)) + "'" },
	True:  "1", False: "0",
	Special: func(sign int) (string, error) {
		switch sign {
		case 1:
			return "9e999", nil // SQLite reads an overflowing literal as +Inf
		case -1:
			return "-9e999", nil
		}
		return "", errors.New("NaN cannot be stored in SQLite (it becomes NULL); use nil")
	},
	FloatSuffix: ".0",
}

// literal renders a Go value as a SQLite literal.
func (d Dialect) literal(v any) (string, error) { return sqlgen.Literal(d, v, spelling) }
