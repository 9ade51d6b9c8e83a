package mysql

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// typeSQL renders t; see the package doc for the mapping.
func (d Dialect) typeSQL(op ops.Operation, table string, t schema.Type) (string, error) {
	switch t.Kind {
	case schema.KindSmallInt:
		return "SMALLINT", nil
	case schema.KindInteger:
		return "INT", nil
	case schema.KindBigInt:
		return "BIGINT", nil
	case schema.KindBoolean:
		return "BOOL", nil
	case schema.KindText:
		return "LONGTEXT", nil
	case schema.KindVarchar:
		if t.Length == 0 {
			return "", d.unsupported(op, table, "MySQL's VARCHAR needs a length: use schema.Varchar(n), or schema.Text for an unbounded string")
		}
		return "VARCHAR(" + strconv.Itoa(t.Length) + ")", nil
	case schema.KindChar:
		return "CHAR(" + strconv.Itoa(max(t.Length, 1)) + ")", nil
	case schema.KindNumeric:
		if t.Precision == 0 {
			return "NUMERIC", nil
		}
		return "NUMERIC(" + strconv.Itoa(t.Precision) + ", " + strconv.Itoa(t.Scale) + ")", nil
	case schema.KindReal:
		return "FLOAT", nil
	case schema.KindDouble:
		return "DOUBLE", nil
	case schema.KindDate:
		return "DATE", nil
	case schema.KindTime:
		return "TIME(6)", nil
	case schema.KindTimestamp:
		return "DATETIME(6)", nil
	case schema.KindTimestampTZ:
		return "TIMESTAMP(6)", nil
	case schema.KindInterval:
		return "", d.unsupported(op, table, "MySQL has no interval type: store a number of seconds or microseconds (schema.BigInt), or use schema.RawType")
	case schema.KindUUID:
		if d.srv.atLeast(MariaDB, 10, 7, 0) {
			return "UUID", nil
		}
		return "CHAR(36)", nil
	case schema.KindJSON, schema.KindJSONB:
		return "JSON", nil
	case schema.KindBytes:
		return "LONGBLOB", nil
	case schema.KindEnum:
		return d.enumSQL(op, table, t)
	case schema.KindRaw:
		if t.Name == "" {
			return "", errors.New("raw type with no SQL text")
		}
		return t.Name, nil
	}
	return "", fmt.Errorf("column type %s: not a type (build it with schema.Integer, schema.Varchar(n), ...)", t)
}

// enumSQL renders an inline enum type, ENUM('a', 'b'). A named enum
// type (PostgreSQL's) has no values here: autogenerate writes the
// values in, an operation written by hand must carry them.
func (d Dialect) enumSQL(op ops.Operation, table string, t schema.Type) (string, error) {
	vals := t.EnumValues()
	if len(vals) == 0 {
		if t.Name != "" {
			return "", d.unsupported(op, table, "MySQL has no named enum types: an enum is a column type with its values there; "+
				"declare the column with schema.EnumOf(\"a\", \"b\") instead of schema.EnumType("+strconv.Quote(t.Name)+")")
		}
		return "", errors.New("enum type with no values: build it with schema.EnumOf(values...)")
	}
	q := make([]string, len(vals))
	for i, v := range vals {
		if strings.TrimRight(v, " ") != v {
			return "", d.unsupported(op, table, fmt.Sprintf("enum value %q ends in a space, which MySQL strips: the column would never match its declaration", v))
		}
		q[i] = d.QuoteLiteral(v)
	}
	return "ENUM(" + strings.Join(q, ", ") + ")", nil
}

// blobLike reports the types MySQL 8 gives no literal default: a
// literal there must be written as an expression, ('x').
func blobLike(t schema.Type) bool {
	switch t.Kind {
	case schema.KindText, schema.KindBytes, schema.KindJSON, schema.KindJSONB:
		return true
	}
	return false
}

// bareDefault matches expression defaults MySQL takes without
// parentheses: the current-time functions, numbers, NULL and quoted
// literals. Anything else is written (expr), which MySQL 8.0.13 and
// MariaDB 10.2 accept.
var bareDefault = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^(current_timestamp|now|localtime|localtimestamp)(\(\s*\d*\s*\))?$|^[-+]?[0-9]+(\.[0-9]+)?$|^null$|^true$|^false$|^'([^'\\]|''|\\.)*'$`)
})

// defaultSQL renders a default for a column of type t.
func (d Dialect) defaultSQL(t schema.Type, v schema.DefaultValue) string {
	if v.Kind == schema.DefaultLiteral {
		val := v.Value
		if t.Kind == schema.KindBoolean {
			switch strings.ToLower(val) {
			case "true", "t", "yes", "y", "on":
				val = "1"
			case "false", "f", "no", "n", "off":
				val = "0"
			}
		}
		if blobLike(t) && !d.srv.mariaDB() {
			return "(" + d.QuoteLiteral(val) + ")"
		}
		return d.QuoteLiteral(val)
	}
	e := strings.TrimSpace(v.Value)
	if bareDefault().MatchString(e) || strings.HasPrefix(e, "(") && strings.HasSuffix(e, ")") {
		return e
	}
	return "(" + e + ")"
}

// columnSQL renders a column definition: name, type, NULL or NOT NULL,
// default, ON UPDATE, AUTO_INCREMENT and comment, in MySQL's order.
func (d Dialect) columnSQL(op ops.Operation, table string, c schema.ColumnDef) (string, error) {
	typ, err := d.typeSQL(op, table, c.Type)
	if err != nil {
		return "", columnErr(op, c.Name, err)
	}
	s := d.QuoteIdent(c.Name) + " " + typ
	if !c.Computed.IsZero() {
		// MySQL's order: type, GENERATED ALWAYS AS (expr) kind, NULL.
		s += " GENERATED ALWAYS AS (" + c.Computed.Expr + ")"
		if c.Computed.Virtual {
			s += " VIRTUAL"
		} else {
			s += " STORED"
		}
	}
	switch {
	case !c.Nullable:
		s += " NOT NULL"
	case c.Type.Kind == schema.KindTimestampTZ:
		// Said explicitly, or an old server's first TIMESTAMP column
		// becomes NOT NULL DEFAULT CURRENT_TIMESTAMP.
		s += " NULL"
	}
	if !c.Default.IsZero() && c.Computed.IsZero() {
		s += " DEFAULT " + d.defaultSQL(c.Type, c.Default)
	}
	if c.OnUpdate != "" {
		s += " ON UPDATE " + c.OnUpdate
	}
	switch c.Identity.Kind {
	case schema.IdentityNone:
	case schema.IdentityAlways:
		return "", d.unsupported(op, table, "MySQL has no GENERATED ALWAYS identity columns; use schema.GeneratedByDefault(), which is AUTO_INCREMENT")
	default:
		if c.Identity.Increment > 1 {
			return "", d.unsupported(op, table, "MySQL's AUTO_INCREMENT steps by the server's auto_increment_increment, not per column; leave the increment zero")
		}
		s += " AUTO_INCREMENT"
	}
	if c.Comment != "" {
		s += " COMMENT " + d.QuoteLiteral(c.Comment)
	}
	return s, nil
}

// columnErr names the column in err, keeping an UnsupportedError as is
// (it names the operation and table already).
func columnErr(op ops.Operation, column string, err error) error {
	if errors.Is(err, dialect.ErrUnsupported) {
		return err
	}
	return fmt.Errorf("%s: column %s: %w", op.Describe(), column, err)
}

// alterColumn renders an AlterColumn. A change of default alone, or a
// rename alone, has its own statement; any other change restates the
// whole column (MODIFY COLUMN, or CHANGE COLUMN when it is also
// renamed), built from Existing with the changes applied, because MySQL
// resets whatever a MODIFY leaves out.
func (d Dialect) alterColumn(o ops.AlterColumn) ([]string, error) {
	tbl := d.name(o.Schema, o.Table)
	if o.Using != "" {
		return nil, d.unsupported(o, o.Table, "MySQL has no USING clause: it converts the values itself; leave Using empty on MySQL")
	}
	if o.Identity != nil {
		return nil, d.unsupported(o, o.Table, "change AUTO_INCREMENT by restating the column with ops.Execute (ALTER TABLE ... MODIFY ...)")
	}
	restate := o.Type != nil || o.Nullable != nil || o.Comment != nil || o.OnUpdate != nil
	if !restate && (o.NewName == "" || d.srv.renameColumn()) {
		var out []string
		if o.Default != nil {
			alter := "ALTER TABLE " + tbl + " ALTER COLUMN " + d.QuoteIdent(o.Column)
			if o.Default.IsZero() {
				out = append(out, alter+" DROP DEFAULT")
			} else {
				t := schema.Type{}
				if o.Existing != nil {
					t = o.Existing.Type
				}
				out = append(out, alter+" SET DEFAULT "+d.defaultSQL(t, *o.Default))
			}
		}
		if o.NewName != "" {
			out = append(out, "ALTER TABLE "+tbl+" RENAME COLUMN "+d.QuoteIdent(o.Column)+" TO "+d.QuoteIdent(o.NewName))
		}
		return out, nil
	}
	if o.Existing == nil || o.Existing.Type.IsZero() {
		return nil, d.unsupported(o, o.Table, "MySQL changes a column by restating all of it (MODIFY COLUMN): set AlterColumn.Existing to the column as it is now, type included, "+
			"so that its nullability, default, ON UPDATE, AUTO_INCREMENT and comment are kept")
	}
	c := *o.Existing
	if o.Type != nil {
		c.Type = *o.Type
	}
	if o.Nullable != nil {
		c.Nullable = *o.Nullable
	}
	if o.Default != nil {
		c.Default = *o.Default
	}
	if o.Comment != nil {
		c.Comment = *o.Comment
	}
	if o.OnUpdate != nil {
		c.OnUpdate = *o.OnUpdate
	}
	c.Name = o.Column
	if o.NewName != "" {
		c.Name = o.NewName
	}
	def, err := d.columnSQL(o, o.Table, c)
	if err != nil {
		return nil, err
	}
	if o.NewName != "" {
		return one("ALTER TABLE " + tbl + " CHANGE COLUMN " + d.QuoteIdent(o.Column) + " " + def)
	}
	return one("ALTER TABLE " + tbl + " MODIFY COLUMN " + def)
}
