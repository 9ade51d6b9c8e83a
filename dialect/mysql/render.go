package mysql

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/internal/sqlgen"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// Render returns the statements for op; see [dialect.Dialect] and the
// package doc for what differs from the other engines. Every name goes
// through QuoteIdent and every string value through QuoteLiteral; SQL
// text that an operation carries as SQL (expressions, view, function and
// trigger definitions, Execute) is used as written.
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
			return nil, d.unsupported(o, o.Table, "MySQL parses DROP TABLE ... CASCADE but does nothing with it; drop the views and foreign keys that depend on the table first")
		}
		return one("DROP TABLE " + ifExists(o.IfExists) + d.name(o.Schema, o.Table))
	case ops.RenameTable:
		// ALTER TABLE a.t RENAME TO n would move t to the current
		// database: the new name keeps the schema.
		return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " RENAME TO " + d.name(o.Schema, o.NewName))
	case ops.SetTableComment:
		return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " COMMENT = " + d.QuoteLiteral(o.Comment))
	case ops.AddColumn:
		return d.addColumn(o)
	case ops.DropColumn:
		if o.IfExists && !d.srv.mariaDB() {
			return nil, d.mariaDBOnly(o, o.Table, "DROP COLUMN IF EXISTS")
		}
		return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " DROP COLUMN " + ifExists(o.IfExists) + d.QuoteIdent(o.Column))
	case ops.AlterColumn:
		return d.alterColumn(o)
	case ops.CreateIndex:
		return d.createIndex(o)
	case ops.DropIndex:
		return d.dropIndex(o)
	case ops.CreatePrimaryKey:
		return one("ALTER TABLE " + d.name(o.Schema, o.Table) + " ADD PRIMARY KEY (" + sqlgen.Idents(d, o.PrimaryKey.Columns) + ")")
	case ops.CreateUniqueConstraint, ops.CreateForeignKey, ops.CreateCheckConstraint:
		return d.addConstraint(o)
	case ops.DropConstraint:
		return d.dropConstraint(o)
	}
	return d.renderObject(op)
}

// renderObject renders the operations on objects other than tables.
func (d Dialect) renderObject(op ops.Operation) ([]string, error) {
	switch o := op.(type) {
	case ops.CreateSchema:
		return one("CREATE SCHEMA " + ifNotExists(o.IfNotExists) + d.QuoteIdent(o.Name))
	case ops.DropSchema:
		// A MySQL schema is a database: DROP SCHEMA drops what it holds,
		// Cascade or not.
		return one("DROP SCHEMA " + ifExists(o.IfExists) + d.QuoteIdent(o.Name))
	case ops.CreateSequence:
		if !d.srv.sequences() {
			return nil, d.unsupported(o, "", "MySQL has no sequences (MariaDB has them from 10.3: set server_version = \"mariadb-10.11\" for offline scripts); use an AUTO_INCREMENT column (schema.GeneratedByDefault)")
		}
		return one(d.createSequence(o))
	case ops.DropSequence:
		if !d.srv.sequences() {
			return nil, d.unsupported(o, "", "MySQL has no sequences (MariaDB has them from 10.3)")
		}
		return one("DROP SEQUENCE " + ifExists(o.IfExists) + d.name(o.Schema, o.Name))
	case ops.CreateEnum, ops.DropEnum, ops.AddEnumValue, ops.RenameEnumValue:
		return nil, d.unsupported(op, "", "MySQL has no named enum types: an enum is a column type with its values there; "+
			"declare the column with schema.EnumOf(\"a\", \"b\"), change its values with AlterColumn (MODIFY COLUMN), "+
			"and skip this operation on MySQL (check op.Dialect()); autogenerate does this by itself")
	case ops.CreateView:
		return one("CREATE VIEW " + d.name(o.View.Schema, o.View.Name) + " AS " + o.View.Definition)
	case ops.ReplaceView:
		return one("CREATE OR REPLACE VIEW " + d.name(o.View.Schema, o.View.Name) + " AS " + o.View.Definition)
	case ops.DropView:
		return one("DROP VIEW " + ifExists(o.IfExists) + d.name(o.Schema, o.Name))
	case ops.CreateFunction:
		return one("CREATE FUNCTION " + d.function(o.Function) + " " + o.Function.Definition)
	case ops.ReplaceFunction:
		if d.srv.mariaDB() {
			return one("CREATE OR REPLACE FUNCTION " + d.function(o.Function) + " " + o.Function.Definition)
		}
		return []string{
			"DROP FUNCTION IF EXISTS " + d.name(o.Function.Schema, o.Function.Name),
			"CREATE FUNCTION " + d.function(o.Function) + " " + o.Function.Definition,
		}, nil
	case ops.DropFunction:
		return one("DROP FUNCTION " + ifExists(o.IfExists) + d.name(o.Schema, o.Name))
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
		head := "INSERT INTO " + d.name(o.Schema, o.Table) + " (" + sqlgen.Idents(d, o.Columns) + ") VALUES\n    "
		return sqlgen.BulkInsert(o, head, bulkRows, d.literal)
	}
	return nil, &dialect.UnsupportedError{Op: op.Describe(), Dialect: d.Name(),
		Hint: fmt.Sprintf("%T is not an operation the dialect knows; a custom operation must implement dialect.Renderer", op)}
}

func (d Dialect) unsupported(op ops.Operation, table, hint string) error {
	return &dialect.UnsupportedError{Op: op.Describe(), Table: table, Dialect: d.Name(), Hint: hint}
}

// mariaDBOnly is the error for syntax only MariaDB has, written while
// the dialect targets MySQL or the common syntax.
func (d Dialect) mariaDBOnly(op ops.Operation, table, what string) error {
	return d.unsupported(op, table, what+" is MariaDB's, not MySQL's; leave the IF [NOT] EXISTS option off, or set server_version = \"mariadb-10.11\" (any MariaDB version) when writing offline scripts for MariaDB")
}

// name renders `schema`.`name` or `name`.
func (d Dialect) name(s, n string) string { return d.qualified(dialect.Ident{Schema: s, Name: n}) }

func (d Dialect) function(f schema.Function) string {
	return d.name(f.Schema, f.Name) + "(" + f.Args + ")"
}

func one(s string) ([]string, error) { return sqlgen.One(s) }

func ifExists(b bool) string    { return sqlgen.IfExists(b) }
func ifNotExists(b bool) string { return sqlgen.IfNotExists(b) }

func (d Dialect) createTable(o ops.CreateTable) ([]string, error) {
	t := o.Table
	t.Normalize()
	var lines []string
	var autoStart int64
	for _, c := range t.Columns {
		s, err := d.columnSQL(o, t.Name, c)
		if err != nil {
			return nil, err
		}
		if c.Identity.Start != 0 {
			autoStart = c.Identity.Start
		}
		lines = append(lines, s)
	}
	if t.PrimaryKey != nil {
		if err := d.checkKeyTypes(o, &t, t.PrimaryKey.Columns); err != nil {
			return nil, err
		}
		lines = append(lines, "PRIMARY KEY ("+sqlgen.Idents(d, t.PrimaryKey.Columns)+")")
	}
	for _, c := range t.ForeignKeys {
		lines = append(lines, d.constraintSQL(c))
	}
	for _, c := range t.Uniques {
		if err := d.checkKeyTypes(o, &t, c.Columns); err != nil {
			return nil, err
		}
		lines = append(lines, d.constraintSQL(c))
	}
	for _, c := range t.Checks {
		if !d.srv.checks() {
			return nil, d.noChecks(o, t.Name)
		}
		lines = append(lines, d.constraintSQL(c))
	}
	for _, ix := range t.Indexes {
		if err := d.checkIndex(o, t.Name, ix); err != nil {
			return nil, err
		}
		if err := d.checkKeyTypes(o, &t, prefixless(ix)); err != nil {
			return nil, err
		}
		kind := "INDEX "
		if ix.Unique {
			kind = "UNIQUE INDEX "
		}
		lines = append(lines, kind+d.QuoteIdent(ix.Name)+" ("+d.indexParts(ix.Parts)+")")
	}
	s := "CREATE TABLE " + ifNotExists(o.IfNotExists) + d.name(t.Schema, t.Name) + " (\n    " + strings.Join(lines, ",\n    ") + "\n)"
	if opts := strings.TrimSpace(o.Options[d.Name()]); opts != "" {
		s += " " + opts
	}
	if autoStart != 0 {
		s += " AUTO_INCREMENT = " + strconv.FormatInt(autoStart, 10)
	}
	if t.Comment != "" {
		s += " COMMENT = " + d.QuoteLiteral(t.Comment)
	}
	return one(s)
}

// prefixless returns the columns of ix that are keyed whole.
func prefixless(ix schema.IndexDef) []string {
	var cols []string
	for _, p := range ix.Parts {
		if p.Column != "" && p.Length == 0 {
			cols = append(cols, p.Column)
		}
	}
	return cols
}

// checkKeyTypes refuses keys on whole TEXT, BLOB and JSON columns of t,
// which MySQL cannot index without a prefix length.
func (d Dialect) checkKeyTypes(op ops.Operation, t *schema.Table, cols []string) error {
	for _, name := range cols {
		c, ok := t.Column(name)
		if !ok {
			continue
		}
		switch c.Type.Kind {
		case schema.KindText, schema.KindBytes, schema.KindJSON, schema.KindJSONB:
			return d.unsupported(op, t.Name, "MySQL cannot use the whole "+c.Type.String()+" column "+c.Name+
				" as a key: give it a bounded type (schema.Varchar(n)), or index a prefix with an IndexDef part {Column: \""+c.Name+"\", Length: 191}")
		}
	}
	return nil
}

// checkIndex refuses what MySQL indexes cannot do.
func (d Dialect) checkIndex(op ops.Operation, table string, ix schema.IndexDef) error {
	if ix.Name == "" || len(ix.Parts) == 0 {
		return fmt.Errorf("%s: an index needs a name and at least one column or expression", op.Describe())
	}
	if ix.Where != "" {
		return d.unsupported(op, table, "MySQL has no partial indexes (WHERE); index the whole table, or a generated column")
	}
	switch strings.ToLower(ix.Using) {
	case "", "btree":
	case "fulltext", "spatial":
		if ix.Unique {
			return d.unsupported(op, table, "a "+strings.ToUpper(ix.Using)+" index cannot be UNIQUE")
		}
	default:
		return d.unsupported(op, table, "index method "+ix.Using+": MySQL's are BTREE (the default), FULLTEXT and SPATIAL (IndexDef.Using \"fulltext\" or \"spatial\")")
	}
	for _, p := range ix.Parts {
		if p.Expr != "" && !d.srv.functionalIndex() {
			return d.unsupported(op, table, "index on the expression "+p.Expr+": only MySQL 8.0.13 and later index expressions (set server_version = \"mysql-8.0.36\" for offline scripts); "+
				"on MariaDB add a generated column (ADD COLUMN ... AS (expr)) and index it")
		}
	}
	return nil
}

// indexParts renders an index's keys: columns with an optional prefix
// length, or expressions in double parentheses (MySQL 8.0.13).
func (d Dialect) indexParts(parts []schema.IndexPart) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		if p.Expr != "" {
			out[i] = "(" + p.Expr + ")"
		} else {
			out[i] = d.QuoteIdent(p.Column)
			if p.Length > 0 {
				out[i] += "(" + strconv.Itoa(p.Length) + ")"
			}
		}
		if p.Desc {
			out[i] += " DESC"
		}
	}
	return strings.Join(out, ", ")
}

func (d Dialect) noChecks(op ops.Operation, table string) error {
	return d.unsupported(op, table, "MySQL before 8.0.16 and MariaDB before 10.2 parse CHECK constraints but do not enforce them; raise server_version or leave the check out")
}

func (d Dialect) addColumn(o ops.AddColumn) ([]string, error) {
	if o.IfNotExists && !d.srv.mariaDB() {
		return nil, d.mariaDBOnly(o, o.Table, "ADD COLUMN IF NOT EXISTS")
	}
	s, err := d.columnSQL(o, o.Table, o.Column)
	if err != nil {
		return nil, err
	}
	tbl := d.name(o.Schema, o.Table)
	out := []string{"ALTER TABLE " + tbl + " ADD COLUMN " + ifNotExists(o.IfNotExists) + s}
	if o.Column.Identity.Start != 0 {
		out = append(out, "ALTER TABLE "+tbl+" AUTO_INCREMENT = "+strconv.FormatInt(o.Column.Identity.Start, 10))
	}
	return out, nil
}

func (d Dialect) createIndex(o ops.CreateIndex) ([]string, error) {
	ix := o.Index
	if err := d.checkIndex(o, o.Table, ix); err != nil {
		return nil, err
	}
	if o.IfNotExists && !d.srv.mariaDB() {
		return nil, d.mariaDBOnly(o, o.Table, "CREATE INDEX IF NOT EXISTS")
	}
	s := "CREATE "
	switch u := strings.ToLower(ix.Using); {
	case ix.Unique:
		s += "UNIQUE "
	case u == "fulltext" || u == "spatial":
		s += strings.ToUpper(u) + " "
	}
	// Concurrently is PostgreSQL's; InnoDB builds indexes online anyway.
	return one(s + "INDEX " + ifNotExists(o.IfNotExists) + d.QuoteIdent(ix.Name) + " ON " + d.name(o.Schema, o.Table) + " (" + d.indexParts(ix.Parts) + ")")
}

func (d Dialect) dropIndex(o ops.DropIndex) ([]string, error) {
	if o.Table == "" {
		return nil, d.unsupported(o, "", "MySQL drops an index from its table (DROP INDEX name ON table): set DropIndex.Table")
	}
	if o.IfExists && !d.srv.mariaDB() {
		return nil, d.mariaDBOnly(o, o.Table, "DROP INDEX IF EXISTS")
	}
	return one("DROP INDEX " + ifExists(o.IfExists) + d.QuoteIdent(o.Name) + " ON " + d.name(o.Schema, o.Table))
}

func (d Dialect) addConstraint(op ops.Operation) ([]string, error) {
	var s, t string
	var c schema.Constraint
	switch o := op.(type) {
	case ops.CreateUniqueConstraint:
		s, t, c = o.Schema, o.Table, o.Unique
	case ops.CreateForeignKey:
		s, t, c = o.Schema, o.Table, o.ForeignKey
	case ops.CreateCheckConstraint:
		if !d.srv.checks() {
			return nil, d.noChecks(o, o.Table)
		}
		s, t, c = o.Schema, o.Table, o.Check
	}
	return one("ALTER TABLE " + d.name(s, t) + " ADD " + d.constraintSQL(c))
}

// dropConstraint drops by kind: MySQL has a statement per kind.
func (d Dialect) dropConstraint(o ops.DropConstraint) ([]string, error) {
	alter := "ALTER TABLE " + d.name(o.Schema, o.Table) + " "
	switch o.ConstraintKind() {
	case schema.ConstraintPrimaryKey:
		return one(alter + "DROP PRIMARY KEY")
	case schema.ConstraintForeignKey:
		if d.srv.mariaDB() {
			// The index the server made for the key goes with it.
			return one(alter + "DROP FOREIGN KEY " + d.QuoteIdent(o.Name) + ", DROP INDEX IF EXISTS " + d.QuoteIdent(o.Name))
		}
		return one(alter + "DROP FOREIGN KEY " + d.QuoteIdent(o.Name))
	case schema.ConstraintUnique:
		return one(alter + "DROP INDEX " + d.QuoteIdent(o.Name))
	case schema.ConstraintCheck:
		return one(alter + d.srv.dropCheckSyntax() + d.QuoteIdent(o.Name))
	}
	return nil, d.unsupported(o, o.Table, "MySQL drops each kind of constraint with its own statement: set DropConstraint.Kind (schema.ConstraintForeignKey, ConstraintUnique, ConstraintCheck or ConstraintPrimaryKey)")
}

func (d Dialect) constraintSQL(c schema.Constraint) string {
	s, _ := sqlgen.Constraint(d, c, func(fk schema.ForeignKeyDef) (string, error) {
		return d.name(fk.RefSchema, fk.RefTable), nil
	})
	return s
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

// bulkRows is how many rows one INSERT carries.
const bulkRows = 1000

// spelling is how MySQL writes bytes and booleans; it has no NaN or
// infinity.
var spelling = sqlgen.Spelling{
	Bytes: func(b []byte) string { return "X'" + hex.EncodeToString(b) + "'" },
	True:  "TRUE", False: "FALSE",
	Special: func(int) (string, error) {
		return "", fmt.Errorf("MySQL cannot store NaN or infinity")
	},
}

// timeLayout is how a time.Time value renders: in UTC, without an
// offset, which MariaDB's DATETIME and TIMESTAMP literals do not accept.
const timeLayout = "2006-01-02 15:04:05.999999"

// literal renders a Go value as a MySQL literal.
func (d Dialect) literal(v any) (string, error) {
	if t, ok := v.(time.Time); ok {
		return d.QuoteLiteral(t.UTC().Format(timeLayout)), nil
	}
	return sqlgen.Literal(d, v, spelling)
}
