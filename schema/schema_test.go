package schema_test

import (
	"testing"

	"github.com/retortdb/retort/schema"
)

func TestTypeString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ  schema.Type
		want string
	}{
		{schema.BigInt, "bigint"},
		{schema.TimestampTZ, "timestamptz"},
		{schema.Varchar(255), "varchar(255)"},
		{schema.Varchar(-1), "varchar"},
		{schema.Char(0), "char(1)"},
		{schema.Numeric(10, 2), "numeric(10,2)"},
		{schema.Numeric(0, 5), "numeric"},
		{schema.EnumType("mood"), "enum mood"},
		{schema.EnumTypeIn("app", "mood"), "enum app.mood"},
		{schema.EnumOf("sad", "it's"), "enum('sad','it''s')"},
		{schema.RawType("tsvector"), "raw tsvector"},
		{schema.Type{}, "invalid"},
		{schema.Type{Kind: 200}, "Kind(200)"},
	}
	for _, tt := range tests {
		if got := tt.typ.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.typ, got, tt.want)
		}
	}
	a, b := schema.Varchar(10), schema.Type{Kind: schema.KindVarchar, Length: 10}
	if a != b || a == schema.Varchar(11) {
		t.Error("types do not compare by value")
	}
	if !schema.SmallInt.Kind.IsInteger() || schema.Numeric(1, 0).Kind.IsInteger() {
		t.Error("IsInteger")
	}
}

func TestEnumStrings(t *testing.T) {
	t.Parallel()
	for got, want := range map[string]string{
		schema.Cascade.String():              "CASCADE",
		schema.SetDefault.String():           "SET DEFAULT",
		schema.ConstraintForeignKey.String(): "foreignkey",
		schema.ConstraintUnknown.String():    "constraint",
		schema.DefaultExpression.String():    "expression",
		schema.IdentityByDefault.String():    "by default",
		schema.Literal("it's").String():      `"it's"`,
		schema.Expr("now()").String():        "now()",
		schema.DefaultValue{}.String():       "none",
		schema.KindJSONB.String():            "jsonb",
		schema.IdentityKind(9).String():      "IdentityKind(9)",
		schema.DefaultKind(9).String():       "DefaultKind(9)",
		schema.ConstraintKind(9).String():    "constraint",
		schema.Action(9).String():            "Action(?)",
		schema.IdentityAlways.String():       "always",
		schema.ConstraintPrimaryKey.String(): "primary",
		schema.DefaultLiteral.String():       "literal",
		schema.NoAction.String():             "NO ACTION",
		schema.KindInterval.String():         "interval",
	} {
		if got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}

func TestColumnBuilders(t *testing.T) {
	t.Parallel()
	got := schema.Column("id", schema.BigInt, schema.PrimaryKey(), schema.GeneratedByDefault(), schema.IdentityStart(10, 2),
		schema.Comment("key"))
	want := schema.ColumnDef{Name: "id", Type: schema.BigInt, PrimaryKey: true,
		Identity: schema.Identity{Kind: schema.IdentityByDefault, Start: 10, Increment: 2}, Comment: "key"}
	if got != want {
		t.Errorf("Column = %+v, want %+v", got, want)
	}
	c := schema.Column("n", schema.Text)
	if !c.Nullable || !c.Default.IsZero() || !c.Identity.IsZero() {
		t.Errorf("plain column = %+v", c)
	}
	c = schema.Column("n", schema.Text, schema.NotNull(), schema.Null(), schema.Default("0"))
	if !c.Nullable || c.Default != schema.Literal("0") {
		t.Errorf("Null after NotNull, Default: %+v", c)
	}
	if c := schema.Column("t", schema.Timestamp, schema.DefaultExpr("now()"), schema.GeneratedAlways()); c.Default != schema.Expr("now()") ||
		c.Identity.Kind != schema.IdentityAlways || c.Nullable {
		t.Errorf("DefaultExpr, GeneratedAlways: %+v", c)
	}
}

func TestNewTableNormalizes(t *testing.T) {
	t.Parallel()
	a := schema.NewTable("order_line",
		schema.Column("order_id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("line", schema.Integer, schema.PrimaryKey()),
		schema.Column("sku", schema.Text),
		schema.ForeignKey("fk", []string{"order_id"}, "order", []string{"id"}, schema.OnDelete(schema.Cascade)),
		schema.Unique("uq", "sku"),
		schema.Check("ck", "line > 0"),
		schema.Index("ix", "sku"),
		schema.Comment("lines"),
		schema.InSchema("sales"),
	)
	if a.Schema != "sales" || a.Comment != "lines" || !a.PrimaryKey.Equal(&schema.PrimaryKeyDef{Columns: []string{"order_id", "line"}}) {
		t.Fatalf("table = %+v", a)
	}
	// The same table declared the other way: key on the table, nullable
	// columns, constraints in another order.
	b := schema.NewTable("order_line",
		schema.Column("order_id", schema.BigInt),
		schema.Column("line", schema.Integer),
		schema.Column("sku", schema.Text),
		schema.PrimaryKey("order_id", "line"),
		schema.Index("ix", "sku"),
		schema.Check("ck", "line > 0"),
		schema.Unique("uq", "sku"),
		schema.ForeignKey("fk", []string{"order_id"}, "order", []string{"id"}, schema.OnDelete(schema.Cascade)),
		schema.Comment("lines"),
		schema.InSchema("sales"),
	)
	if !a.Equal(&b) {
		t.Fatalf("equal tables differ:\n%+v\n%+v", a, b)
	}
	c := b
	c.Indexes = []schema.IndexDef{schema.UniqueIndex("ix", "sku")}
	if a.Equal(&c) {
		t.Fatal("a unique index equals a plain one")
	}
	c = b
	c.ForeignKeys = []schema.ForeignKeyDef{schema.ForeignKey("fk", []string{"order_id"}, "order", []string{"id"})}
	if a.Equal(&c) {
		t.Fatal("foreign keys with different actions are equal")
	}
	var nilTable *schema.Table
	if nilTable.Equal(&a) || !nilTable.Equal(nil) {
		t.Fatal("nil tables")
	}
	if col, ok := a.Column("sku"); !ok || col.Name != "sku" {
		t.Fatal("Column lookup")
	}
	if _, ok := a.Column("nope"); ok {
		t.Fatal("Column found a missing column")
	}
}

func TestIndexBuilders(t *testing.T) {
	t.Parallel()
	ix := schema.ExprIndex("ix", "lower(email)").Partial("active")
	if ix.Where != "active" || ix.Parts[0].Expr != "lower(email)" || len(ix.Columns()) != 0 {
		t.Fatalf("ExprIndex = %+v", ix)
	}
	if cols := schema.Index("ix", "a", "b").Columns(); len(cols) != 2 || cols[1] != "b" {
		t.Fatalf("Columns = %q", cols)
	}
	if !schema.UniqueIndex("u", "a").Unique {
		t.Fatal("UniqueIndex not unique")
	}
	var c schema.Constraint = schema.ForeignKey("fk", nil, "t", nil, schema.RefSchema("s"))
	if c.ConstraintName() != "fk" || c.ConstraintKind() != schema.ConstraintForeignKey || c.(schema.ForeignKeyDef).RefSchema != "s" {
		t.Fatal("foreign key constraint")
	}
}

func TestDatabaseLookup(t *testing.T) {
	t.Parallel()
	db := schema.Database{Tables: []schema.Table{schema.NewTable("a"), schema.NewTable("a", schema.InSchema("s"))}}
	if tb := db.Table("s", "a"); tb == nil || tb.Schema != "s" {
		t.Fatal("Table(s, a)")
	}
	if db.Table("", "b") != nil {
		t.Fatal("found a missing table")
	}
	e := schema.Enum{Name: "m", Values: []string{"a", "b"}}
	if !e.Equal(schema.Enum{Name: "m", Values: []string{"a", "b"}}) || e.Equal(schema.Enum{Name: "m", Values: []string{"b", "a"}}) {
		t.Fatal("Enum.Equal")
	}
}
