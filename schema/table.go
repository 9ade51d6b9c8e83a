package schema

import "slices"

// Table describes one table.
type Table struct {
	// Schema qualifies the name; empty means the default schema.
	Schema string
	// Name is the table's name, exact case.
	Name string
	// Columns in table order.
	Columns []ColumnDef
	// PrimaryKey is the table's primary key, or nil.
	PrimaryKey *PrimaryKeyDef
	// ForeignKeys, Uniques, Checks and Indexes in declaration order;
	// [Table.Equal] compares them by name, ignoring order.
	ForeignKeys []ForeignKeyDef
	Uniques     []UniqueDef
	Checks      []CheckDef
	Indexes     []IndexDef
	// Comment is the table's comment; empty means none.
	Comment string
}

// TableElement is something [NewTable] (and op.CreateTable) accepts: a
// [ColumnDef], [PrimaryKeyDef], [ForeignKeyDef], [UniqueDef],
// [CheckDef], [IndexDef], [Comment] or [InSchema].
type TableElement interface {
	applyTable(*Table)
}

// NewTable builds a normalised table named name from elems.
func NewTable(name string, elems ...TableElement) Table {
	t := Table{Name: name}
	for _, e := range elems {
		if e != nil {
			e.applyTable(&t)
		}
	}
	t.Normalize()
	return t
}

// InSchema puts the table built by [NewTable] into schema s.
func InSchema(s string) TableElement { return inSchema(s) }

type inSchema string

func (s inSchema) applyTable(t *Table) { t.Schema = string(s) }

func (c ColumnDef) applyTable(t *Table) { t.Columns = append(t.Columns, c) }

// Column returns the column called name and true, or false.
func (t *Table) Column(name string) (ColumnDef, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return ColumnDef{}, false
}

// Normalize puts t into the canonical form Equal expects: a primary key
// given by column flags becomes Table.PrimaryKey (in column order), the
// key's columns are flagged PrimaryKey and made NOT NULL, and empty
// slices become nil.
func (t *Table) Normalize() {
	if t.PrimaryKey == nil {
		var cols []string
		for _, c := range t.Columns {
			if c.PrimaryKey {
				cols = append(cols, c.Name)
			}
		}
		if len(cols) > 0 {
			t.PrimaryKey = &PrimaryKeyDef{Columns: cols}
		}
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		c.PrimaryKey = t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c.Name)
		if c.PrimaryKey {
			c.Nullable = false
		}
	}
	if len(t.Columns) == 0 {
		t.Columns = nil
	}
	if len(t.ForeignKeys) == 0 {
		t.ForeignKeys = nil
	}
	if len(t.Uniques) == 0 {
		t.Uniques = nil
	}
	if len(t.Checks) == 0 {
		t.Checks = nil
	}
	if len(t.Indexes) == 0 {
		t.Indexes = nil
	}
}

// Equal reports whether t and u describe the same table: same name,
// columns in the same order, same primary key, and the same foreign
// keys, uniques, checks and indexes in any order. Both should be
// normalised.
func (t *Table) Equal(u *Table) bool {
	if t == nil || u == nil {
		return t == u
	}
	if t.Schema != u.Schema || t.Name != u.Name || t.Comment != u.Comment ||
		!slices.Equal(t.Columns, u.Columns) || !t.PrimaryKey.Equal(u.PrimaryKey) {
		return false
	}
	return sameSet(t.ForeignKeys, u.ForeignKeys, ForeignKeyDef.Equal) &&
		sameSet(t.Uniques, u.Uniques, UniqueDef.Equal) &&
		sameSet(t.Checks, u.Checks, CheckDef.Equal) &&
		sameSet(t.Indexes, u.Indexes, IndexDef.Equal)
}

// sameSet reports whether a and b hold equal elements, in any order.
func sameSet[T any](a, b []T, eq func(T, T) bool) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
outer:
	for _, x := range a {
		for j, y := range b {
			if !used[j] && eq(x, y) {
				used[j] = true
				continue outer
			}
		}
		return false
	}
	return true
}

// ConstraintKind names the kind of a table constraint.
type ConstraintKind uint8

// Constraint kinds. ConstraintUnknown is the zero value.
const (
	ConstraintUnknown ConstraintKind = iota
	ConstraintPrimaryKey
	ConstraintForeignKey
	ConstraintUnique
	ConstraintCheck
)

// String returns Alembic's type_ word: "primary", "foreignkey",
// "unique", "check", or "constraint" when unknown.
func (k ConstraintKind) String() string {
	switch k {
	case ConstraintPrimaryKey:
		return "primary"
	case ConstraintForeignKey:
		return "foreignkey"
	case ConstraintUnique:
		return "unique"
	case ConstraintCheck:
		return "check"
	}
	return "constraint"
}

// Constraint is a table constraint: [PrimaryKeyDef], [ForeignKeyDef],
// [UniqueDef] or [CheckDef].
type Constraint interface {
	TableElement
	// ConstraintName is the constraint's name; empty lets the database
	// choose one.
	ConstraintName() string
	// ConstraintKind says which kind it is.
	ConstraintKind() ConstraintKind
}

// PrimaryKeyDef is a table's primary key.
type PrimaryKeyDef struct {
	// Name is the constraint's name; empty lets the database choose
	// (PostgreSQL: <table>_pkey).
	Name string
	// Columns in key order.
	Columns []string
}

// PrimaryKey is a primary key over cols. As a [ColumnOption] (with no
// columns) it marks that column, as in
// schema.Column("id", schema.BigInt, schema.PrimaryKey()); as a
// [TableElement] it is the table's key over cols.
func PrimaryKey(cols ...string) PrimaryKeyDef { return PrimaryKeyDef{Columns: cols} }

func (p PrimaryKeyDef) applyColumn(c *ColumnDef) {
	c.PrimaryKey = true
	c.Nullable = false
}

func (p PrimaryKeyDef) applyTable(t *Table) { pk := p; t.PrimaryKey = &pk }

// ConstraintName returns p.Name.
func (p PrimaryKeyDef) ConstraintName() string { return p.Name }

// ConstraintKind returns ConstraintPrimaryKey.
func (PrimaryKeyDef) ConstraintKind() ConstraintKind { return ConstraintPrimaryKey }

// Equal reports whether p and q are the same key; nil equals nil only.
func (p *PrimaryKeyDef) Equal(q *PrimaryKeyDef) bool {
	if p == nil || q == nil {
		return p == q
	}
	return p.Name == q.Name && slices.Equal(p.Columns, q.Columns)
}

// Action is a foreign key's referential action.
type Action uint8

// Actions. NoAction is the zero value and the SQL default.
const (
	NoAction Action = iota
	Restrict
	Cascade
	SetNull
	SetDefault
)

// String returns the SQL words: "NO ACTION", "RESTRICT", "CASCADE",
// "SET NULL", "SET DEFAULT".
func (a Action) String() string {
	switch a {
	case NoAction:
		return "NO ACTION"
	case Restrict:
		return "RESTRICT"
	case Cascade:
		return "CASCADE"
	case SetNull:
		return "SET NULL"
	case SetDefault:
		return "SET DEFAULT"
	}
	return "Action(?)"
}

// ForeignKeyDef is a foreign key constraint.
type ForeignKeyDef struct {
	// Name is the constraint's name; empty lets the database choose.
	Name string
	// Columns are the referencing columns of this table.
	Columns []string
	// RefSchema, RefTable and RefColumns name what they reference.
	RefSchema  string
	RefTable   string
	RefColumns []string
	// OnDelete and OnUpdate are the referential actions.
	OnDelete Action
	OnUpdate Action
}

// ForeignKeyOption changes a foreign key built by [ForeignKey].
type ForeignKeyOption func(*ForeignKeyDef)

// ForeignKey is a foreign key named name (empty: the database names it)
// from cols to refCols of refTable.
func ForeignKey(name string, cols []string, refTable string, refCols []string, opts ...ForeignKeyOption) ForeignKeyDef {
	fk := ForeignKeyDef{Name: name, Columns: cols, RefTable: refTable, RefColumns: refCols}
	for _, o := range opts {
		if o != nil {
			o(&fk)
		}
	}
	return fk
}

// OnDelete sets the action taken when a referenced row is deleted.
func OnDelete(a Action) ForeignKeyOption { return func(fk *ForeignKeyDef) { fk.OnDelete = a } }

// OnUpdate sets the action taken when a referenced key changes.
func OnUpdate(a Action) ForeignKeyOption { return func(fk *ForeignKeyDef) { fk.OnUpdate = a } }

// RefSchema sets the referenced table's schema.
func RefSchema(s string) ForeignKeyOption { return func(fk *ForeignKeyDef) { fk.RefSchema = s } }

func (f ForeignKeyDef) applyTable(t *Table) { t.ForeignKeys = append(t.ForeignKeys, f) }

// ConstraintName returns f.Name.
func (f ForeignKeyDef) ConstraintName() string { return f.Name }

// ConstraintKind returns ConstraintForeignKey.
func (ForeignKeyDef) ConstraintKind() ConstraintKind { return ConstraintForeignKey }

// Equal reports whether f and g are the same foreign key.
func (f ForeignKeyDef) Equal(g ForeignKeyDef) bool {
	return f.Name == g.Name && slices.Equal(f.Columns, g.Columns) && f.RefSchema == g.RefSchema &&
		f.RefTable == g.RefTable && slices.Equal(f.RefColumns, g.RefColumns) &&
		f.OnDelete == g.OnDelete && f.OnUpdate == g.OnUpdate
}

// UniqueDef is a unique constraint.
type UniqueDef struct {
	// Name is the constraint's name; empty lets the database choose.
	Name string
	// Columns in constraint order.
	Columns []string
}

// Unique is a unique constraint named name (empty: the database names
// it) over cols.
func Unique(name string, cols ...string) UniqueDef { return UniqueDef{Name: name, Columns: cols} }

func (u UniqueDef) applyTable(t *Table) { t.Uniques = append(t.Uniques, u) }

// ConstraintName returns u.Name.
func (u UniqueDef) ConstraintName() string { return u.Name }

// ConstraintKind returns ConstraintUnique.
func (UniqueDef) ConstraintKind() ConstraintKind { return ConstraintUnique }

// Equal reports whether u and v are the same constraint.
func (u UniqueDef) Equal(v UniqueDef) bool {
	return u.Name == v.Name && slices.Equal(u.Columns, v.Columns)
}

// CheckDef is a check constraint. It is comparable with ==.
type CheckDef struct {
	// Name is the constraint's name; empty lets the database choose.
	Name string
	// Expr is the boolean SQL expression, rendered as is.
	Expr string
}

// Check is a check constraint named name (empty: the database names it)
// on the SQL expression expr.
func Check(name, expr string) CheckDef { return CheckDef{Name: name, Expr: expr} }

func (c CheckDef) applyTable(t *Table) { t.Checks = append(t.Checks, c) }

// ConstraintName returns c.Name.
func (c CheckDef) ConstraintName() string { return c.Name }

// ConstraintKind returns ConstraintCheck.
func (CheckDef) ConstraintKind() ConstraintKind { return ConstraintCheck }

// Equal reports whether c and d are the same constraint.
func (c CheckDef) Equal(d CheckDef) bool { return c == d }

// IndexPart is one key of an index: a column or an expression.
// It is comparable with ==.
type IndexPart struct {
	// Column names a column; exactly one of Column and Expr is set.
	Column string
	// Expr is an SQL expression, rendered as is inside parentheses.
	Expr string
	// Desc sorts the key descending.
	Desc bool
	// Length indexes only the first Length characters (bytes for
	// binary types) of the column: MySQL's prefix length, which keys on
	// TEXT and BLOB columns need there. 0 means the whole column.
	// PostgreSQL and SQLite have no prefix indexes and ignore it.
	Length int
}

// IndexDef is an index on a table.
type IndexDef struct {
	// Name is the index's name; indexes must be named.
	Name string
	// Unique makes it a unique index.
	Unique bool
	// Parts are the keys in order.
	Parts []IndexPart
	// Where makes it a partial index on this SQL condition; empty means
	// the whole table.
	Where string
	// Using is the index method (PostgreSQL gin, gist, hash, brin, ...);
	// empty means the database's default (btree).
	Using string
}

// Index is an index named name over the columns cols.
func Index(name string, cols ...string) IndexDef {
	ix := IndexDef{Name: name}
	for _, c := range cols {
		ix.Parts = append(ix.Parts, IndexPart{Column: c})
	}
	return ix
}

// UniqueIndex is a unique index named name over the columns cols.
func UniqueIndex(name string, cols ...string) IndexDef {
	ix := Index(name, cols...)
	ix.Unique = true
	return ix
}

// ExprIndex is an index named name over SQL expressions, such as
// "lower(email)".
func ExprIndex(name string, exprs ...string) IndexDef {
	ix := IndexDef{Name: name}
	for _, e := range exprs {
		ix.Parts = append(ix.Parts, IndexPart{Expr: e})
	}
	return ix
}

// Partial returns ix restricted to rows where the SQL condition where
// holds.
func (ix IndexDef) Partial(where string) IndexDef { ix.Where = where; return ix }

// Columns returns the names of the column parts, in order.
func (ix IndexDef) Columns() []string {
	var cols []string
	for _, p := range ix.Parts {
		if p.Column != "" {
			cols = append(cols, p.Column)
		}
	}
	return cols
}

func (ix IndexDef) applyTable(t *Table) { t.Indexes = append(t.Indexes, ix) }

// Equal reports whether ix and jx are the same index.
func (ix IndexDef) Equal(jx IndexDef) bool {
	return ix.Name == jx.Name && ix.Unique == jx.Unique && ix.Where == jx.Where && slices.Equal(ix.Parts, jx.Parts)
}
