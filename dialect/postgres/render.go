package postgres

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
// view and function definitions, Execute) is used as written.
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
		return one("DROP TABLE " + ifExists(o.IfExists) + d.name(o.Schema, o.Table) + cascade(o.Cascade))
	case ops.RenameTable:
		return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " RENAME TO " + d.QuoteIdent(o.NewName))
	case ops.SetTableComment:
		return one("COMMENT ON TABLE " + d.name(o.Schema, o.Table) + " IS " + d.comment(o.Comment))
	case ops.AddColumn:
		return d.addColumn(o)
	case ops.DropColumn:
		return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " DROP COLUMN " + ifExists(o.IfExists) + d.QuoteIdent(o.Column))
	case ops.AlterColumn:
		return d.alterColumn(o)
	case ops.CreateIndex:
		return d.createIndex(o)
	case ops.DropIndex:
		return one("DROP INDEX " + concurrently(o.Concurrently) + ifExists(o.IfExists) + d.name(o.Schema, o.Name))
	case ops.CreatePrimaryKey, ops.CreateUniqueConstraint, ops.CreateForeignKey, ops.CreateCheckConstraint:
		return d.addConstraint(o)
	case ops.DropConstraint:
		return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " DROP CONSTRAINT " + d.QuoteIdent(o.Name))
	}
	return d.renderObject(op)
}

// renderObject renders the operations on objects other than tables.
func (d Dialect) renderObject(op ops.Operation) ([]string, error) {
	switch o := op.(type) {
	case ops.CreateSchema:
		return one("CREATE SCHEMA " + ifNotExists(o.IfNotExists) + d.QuoteIdent(o.Name))
	case ops.DropSchema:
		return one("DROP SCHEMA " + ifExists(o.IfExists) + d.QuoteIdent(o.Name) + cascade(o.Cascade))
	case ops.CreateSequence:
		return one(d.createSequence(o))
	case ops.DropSequence:
		return one("DROP SEQUENCE " + ifExists(o.IfExists) + d.name(o.Schema, o.Name))
	case ops.CreateEnum:
		vals := make([]string, len(o.Enum.Values))
		for i, v := range o.Enum.Values {
			vals[i] = d.QuoteLiteral(v)
		}
		return one("CREATE TYPE " + d.name(o.Enum.Schema, o.Enum.Name) + " AS ENUM (" + strings.Join(vals, ", ") + ")")
	case ops.DropEnum:
		return one("DROP TYPE " + ifExists(o.IfExists) + d.name(o.Schema, o.Name))
	case ops.AddEnumValue:
		return one(d.addEnumValue(o))
	case ops.RenameEnumValue:
		return one("ALTER TYPE " + d.name(o.Schema, o.Enum) + " RENAME VALUE " + d.QuoteLiteral(o.Value) + " TO " + d.QuoteLiteral(o.NewValue))
	case ops.CreateView:
		return one("CREATE VIEW " + d.name(o.View.Schema, o.View.Name) + " AS " + o.View.Definition)
	case ops.ReplaceView:
		return one("CREATE OR REPLACE VIEW " + d.name(o.View.Schema, o.View.Name) + " AS " + o.View.Definition)
	case ops.DropView:
		return one("DROP VIEW " + ifExists(o.IfExists) + d.name(o.Schema, o.Name))
	case ops.CreateFunction:
		return one("CREATE FUNCTION " + d.function(o.Function) + " " + o.Function.Definition)
	case ops.ReplaceFunction:
		return one("CREATE OR REPLACE FUNCTION " + d.function(o.Function) + " " + o.Function.Definition)
	case ops.DropFunction:
		return one("DROP FUNCTION " + ifExists(o.IfExists) + d.function(schema.Function{Schema: o.Schema, Name: o.Name, Args: o.Args}))
	case ops.CreateTrigger:
		return one("CREATE TRIGGER " + d.QuoteIdent(o.Trigger.Name) + " " + o.Trigger.Definition)
	case ops.DropTrigger:
		return one("DROP TRIGGER " + ifExists(o.IfExists) + d.QuoteIdent(o.Name) + " ON " + d.name(o.Schema, o.Table))
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

func cascade(b bool) string {
	if b {
		return " CASCADE"
	}
	return ""
}

func concurrently(b bool) string {
	if b {
		return "CONCURRENTLY "
	}
	return ""
}

// name renders "schema"."name" or "name".
func (d Dialect) name(s, n string) string { return d.qualified(dialect.Ident{Schema: s, Name: n}) }

func (d Dialect) function(f schema.Function) string {
	return d.name(f.Schema, f.Name) + "(" + f.Args + ")"
}

// comment renders a comment's text, or NULL for none.
func (d Dialect) comment(c string) string {
	if c == "" {
		return "NULL"
	}
	return d.QuoteLiteral(c)
}

// typeSQL renders t.
func (d Dialect) typeSQL(t schema.Type) (string, error) {
	switch t.Kind {
	case schema.KindSmallInt, schema.KindInteger, schema.KindBigInt, schema.KindBoolean,
		schema.KindText, schema.KindReal, schema.KindDate, schema.KindTime, schema.KindTimestamp,
		schema.KindInterval, schema.KindUUID, schema.KindJSON, schema.KindJSONB:
		return strings.ToUpper(t.Kind.String()), nil
	case schema.KindDouble:
		return "DOUBLE PRECISION", nil
	case schema.KindTimestampTZ:
		return "TIMESTAMP WITH TIME ZONE", nil
	case schema.KindBytes:
		return "BYTEA", nil
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
	case schema.KindEnum:
		if t.Name == "" {
			return "", &dialect.UnsupportedError{Op: "use the inline enum type " + t.String(), Dialect: d.Name(),
				Hint: "a PostgreSQL enum is a named type: create it with ops.CreateEnum and declare the column with schema.EnumType(name)"}
		}
		return d.name(t.Schema, t.Name), nil
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
	return v.Value
}

// columnSQL renders a column definition without key constraints.
func (d Dialect) columnSQL(c schema.ColumnDef) (string, error) {
	typ, err := d.typeSQL(c.Type)
	if err != nil {
		return "", fmt.Errorf("column %s: %w", c.Name, err)
	}
	if c.OnUpdate != "" {
		return "", fmt.Errorf("column %s: %w", c.Name, noOnUpdate(d))
	}
	s := d.QuoteIdent(c.Name) + " " + typ
	if c.Identity.Kind != schema.IdentityNone {
		s += " " + identitySQL(c.Identity)
	}
	if !c.Computed.IsZero() {
		if c.Computed.Virtual {
			return "", fmt.Errorf("column %s: a VIRTUAL generated column needs PostgreSQL 18; make it stored (schema.GeneratedStored)", c.Name)
		}
		s += " GENERATED ALWAYS AS (" + c.Computed.Expr + ") STORED"
	} else if !c.Default.IsZero() {
		s += " DEFAULT " + d.defaultSQL(c.Default)
	}
	if !c.Nullable {
		s += " NOT NULL"
	}
	return s, nil
}

func (d Dialect) createTable(o ops.CreateTable) ([]string, error) {
	t := o.Table
	t.Normalize()
	var lines []string
	for _, c := range t.Columns {
		s, err := d.columnSQL(c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.Describe(), err)
		}
		lines = append(lines, s)
	}
	if t.PrimaryKey != nil {
		lines = append(lines, d.constraintSQL(*t.PrimaryKey))
	}
	for _, c := range t.ForeignKeys {
		lines = append(lines, d.constraintSQL(c))
	}
	for _, c := range t.Uniques {
		lines = append(lines, d.constraintSQL(c))
	}
	for _, c := range t.Checks {
		lines = append(lines, d.constraintSQL(c))
	}
	tbl := d.name(t.Schema, t.Name)
	out := []string{"CREATE TABLE " + ifNotExists(o.IfNotExists) + tbl + " (\n    " + strings.Join(lines, ",\n    ") + "\n)"}
	for _, ix := range t.Indexes {
		s, err := d.createIndex(ops.CreateIndex{Schema: t.Schema, Table: t.Name, Index: ix, IfNotExists: o.IfNotExists})
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	if t.Comment != "" {
		out = append(out, "COMMENT ON TABLE "+tbl+" IS "+d.QuoteLiteral(t.Comment))
	}
	for _, c := range t.Columns {
		if c.Comment != "" {
			out = append(out, "COMMENT ON COLUMN "+tbl+"."+d.QuoteIdent(c.Name)+" IS "+d.QuoteLiteral(c.Comment))
		}
	}
	return out, nil
}

func (d Dialect) addColumn(o ops.AddColumn) ([]string, error) {
	s, err := d.columnSQL(o.Column)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.Describe(), err)
	}
	tbl := d.name(o.Schema, o.Table)
	out := []string{"ALTER TABLE " + tbl + " ADD COLUMN " + ifNotExists(o.IfNotExists) + s}
	if o.Column.Comment != "" {
		out = append(out, "COMMENT ON COLUMN "+tbl+"."+d.QuoteIdent(o.Column.Name)+" IS "+d.QuoteLiteral(o.Column.Comment))
	}
	return out, nil
}

// alterColumn renders one statement per change, in the order type,
// nullability, default, comment, name.
func (d Dialect) alterColumn(o ops.AlterColumn) ([]string, error) {
	tbl := d.name(o.Schema, o.Table)
	alter := "ALTER TABLE " + tbl + " ALTER COLUMN " + d.QuoteIdent(o.Column) + " "
	var out []string
	if o.Using != "" && o.Type == nil {
		return nil, fmt.Errorf("%s: Using needs a new Type", o.Describe())
	}
	if o.OnUpdate != nil {
		return nil, fmt.Errorf("%s: %w", o.Describe(), noOnUpdate(d))
	}
	if o.Type != nil {
		typ, err := d.typeSQL(*o.Type)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.Describe(), err)
		}
		s := alter + "TYPE " + typ
		if o.Using != "" {
			s += " USING " + o.Using
		}
		out = append(out, s)
	}
	if o.Nullable != nil {
		if *o.Nullable {
			out = append(out, alter+"DROP NOT NULL")
		} else {
			out = append(out, alter+"SET NOT NULL")
		}
	}
	if o.Default != nil {
		if o.Default.IsZero() {
			out = append(out, alter+"DROP DEFAULT")
		} else {
			out = append(out, alter+"SET DEFAULT "+d.defaultSQL(*o.Default))
		}
	}
	if o.Comment != nil {
		out = append(out, "COMMENT ON COLUMN "+tbl+"."+d.QuoteIdent(o.Column)+" IS "+d.comment(*o.Comment))
	}
	if o.Identity != nil {
		out = append(out, d.alterIdentity(alter, o)...)
	}
	if o.NewName != "" {
		out = append(out, "ALTER TABLE "+tbl+" RENAME COLUMN "+d.QuoteIdent(o.Column)+" TO "+d.QuoteIdent(o.NewName))
	}
	return out, nil
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
	s += "INDEX " + concurrently(o.Concurrently) + ifNotExists(o.IfNotExists) + d.QuoteIdent(ix.Name) +
		" ON " + d.name(o.Schema, o.Table) + using(ix.Using) + " (" + d.indexParts(ix.Parts) + ")"
	if ix.Where != "" {
		s += " WHERE " + ix.Where
	}
	return one(s)
}

func (d Dialect) addConstraint(op ops.Operation) ([]string, error) {
	var s, t string
	var c schema.Constraint
	switch o := op.(type) {
	case ops.CreatePrimaryKey:
		s, t, c = o.Schema, o.Table, o.PrimaryKey
	case ops.CreateUniqueConstraint:
		s, t, c = o.Schema, o.Table, o.Unique
	case ops.CreateForeignKey:
		s, t, c = o.Schema, o.Table, o.ForeignKey
	case ops.CreateCheckConstraint:
		s, t, c = o.Schema, o.Table, o.Check
	}
	return one("ALTER TABLE " + d.name(s, t) + " ADD " + d.constraintSQL(c))
}

func (d Dialect) createSequence(o ops.CreateSequence) string {
	q := o.Sequence
	s := "CREATE SEQUENCE " + ifNotExists(o.IfNotExists) + d.name(q.Schema, q.Name)
	if q.Increment != 0 {
		s += " INCREMENT BY " + strconv.FormatInt(q.Increment, 10)
	}
	if q.MinValue != 0 {
		s += " MINVALUE " + strconv.FormatInt(q.MinValue, 10)
	}
	if q.MaxValue != 0 {
		s += " MAXVALUE " + strconv.FormatInt(q.MaxValue, 10)
	}
	if q.Start != 0 {
		s += " START WITH " + strconv.FormatInt(q.Start, 10)
	}
	if q.Cycle {
		s += " CYCLE"
	}
	return s
}

func (d Dialect) addEnumValue(o ops.AddEnumValue) string {
	s := "ALTER TYPE " + d.name(o.Schema, o.Enum) + " ADD VALUE " + ifNotExists(o.IfNotExists) + d.QuoteLiteral(o.Value)
	switch {
	case o.Before != "":
		s += " BEFORE " + d.QuoteLiteral(o.Before)
	case o.After != "":
		s += " AFTER " + d.QuoteLiteral(o.After)
	}
	return s
}

// bulkRows is how many rows one INSERT carries.
const bulkRows = 1000

func one(s string) ([]string, error) { return sqlgen.One(s) }

func ifExists(b bool) string    { return sqlgen.IfExists(b) }
func ifNotExists(b bool) string { return sqlgen.IfNotExists(b) }

func (d Dialect) idents(names []string) string { return sqlgen.Idents(d, names) }

func (d Dialect) indexParts(parts []schema.IndexPart) string { return sqlgen.IndexParts(d, parts) }

func (d Dialect) constraintSQL(c schema.Constraint) string {
	s, _ := sqlgen.Constraint(d, c, func(fk schema.ForeignKeyDef) (string, error) {
		return d.name(fk.RefSchema, fk.RefTable), nil
	})
	return s
}

func (d Dialect) bulkInsert(o ops.BulkInsert) ([]string, error) {
	head := "INSERT INTO " + d.name(o.Schema, o.Table) + " (" + d.idents(o.Columns) + ") VALUES\n    "
	return sqlgen.BulkInsert(o, head, bulkRows, d.literal)
}

// spelling is how PostgreSQL writes bytes, booleans and special floats.
var spelling = sqlgen.Spelling{
	Bytes: func(b []byte) string { return "'\\x" + hex.EncodeToString(b) + "'::bytea" },
	True:  "TRUE", False: "FALSE",
	Special: func(sign int) (string, error) {
		switch sign {
		case 1:
			return "'Infinity'", nil
		case -1:
			return "'-Infinity'", nil
		}
		return "'NaN'", nil
	},
}

// literal renders a Go value as a PostgreSQL literal.
func (d Dialect) literal(v any) (string, error) { return sqlgen.Literal(d, v, spelling) }

// using is an index's USING clause, "" for the default method.
func using(method string) string {
	if method == "" || strings.EqualFold(method, "btree") {
		return ""
	}
	return " USING " + method
}

// identitySQL is GENERATED ... AS IDENTITY with its sequence options.
func identitySQL(id schema.Identity) string {
	s := "GENERATED BY DEFAULT AS IDENTITY"
	if id.Kind == schema.IdentityAlways {
		s = "GENERATED ALWAYS AS IDENTITY"
	}
	var opt []string
	if id.Start != 0 {
		opt = append(opt, "START WITH "+strconv.FormatInt(id.Start, 10))
	}
	if id.Increment != 0 {
		opt = append(opt, "INCREMENT BY "+strconv.FormatInt(id.Increment, 10))
	}
	if len(opt) > 0 {
		s += " (" + strings.Join(opt, " ") + ")"
	}
	return s
}

// alterIdentity makes a column an identity column, changes its kind and
// numbers, or drops the identity; alter is ALTER TABLE ... ALTER COLUMN
// c followed by a space.
func (d Dialect) alterIdentity(alter string, o ops.AlterColumn) []string {
	id := *o.Identity
	was := schema.Identity{}
	if o.Existing != nil {
		was = o.Existing.Identity
	}
	switch {
	case id.IsZero():
		return []string{alter + "DROP IDENTITY IF EXISTS"}
	case was.IsZero():
		return []string{alter + "ADD " + identitySQL(id)}
	}
	kind := "SET GENERATED BY DEFAULT"
	if id.Kind == schema.IdentityAlways {
		kind = "SET GENERATED ALWAYS"
	}
	inc := id.Increment
	if inc == 0 {
		inc = 1
	}
	s := alter + kind + " SET INCREMENT BY " + strconv.FormatInt(inc, 10)
	if id.Start != was.Start {
		// The new start applies from the next RESTART; values already
		// handed out are left alone.
		start := id.Start
		if start == 0 {
			start = 1
		}
		s += " SET START WITH " + strconv.FormatInt(start, 10)
	}
	return []string{s}
}

// noOnUpdate is the error of MySQL's ON UPDATE clause on PostgreSQL.
func noOnUpdate(d Dialect) error {
	return &dialect.UnsupportedError{Op: "set a column's ON UPDATE clause", Dialect: d.Name(),
		Hint: "ON UPDATE is MySQL's; on PostgreSQL set the value in a BEFORE UPDATE trigger"}
}
