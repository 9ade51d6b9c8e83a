package schema_test

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/schema"
)

type Customer struct {
	ID      int64     `db:"id,pk"`
	Email   string    `db:"email,unique"`
	Name    *string   `db:"name"`
	Balance string    `db:"balance" retort:"type=numeric(10,2);default=0"`
	Created time.Time `db:"created" retort:"default=now();index"`
	secret  string    // unexported fields are ignored
	Skip    string    `db:"-"`
}

type Timestamps struct {
	Created time.Time  `db:"created_at" retort:"default=CURRENT_TIMESTAMP"`
	Updated *time.Time `db:"updated_at"`
}

type OrderItem struct {
	Timestamps
	OrderID    int64           `db:"order_id,pk" retort:"fk=sales.order.id;ondelete=cascade"`
	Line       int32           `db:"line,pk"`
	SKU        string          `retort:"type=varchar(32);unique=uq_item_sku_qty"`
	Qty        int16           `retort:"unique=uq_item_sku_qty;check=qty > 0"`
	Price      sql.NullFloat64 `db:"price"`
	Note       sql.Null[string]
	Attrs      json.RawMessage `db:"attrs" retort:"type=jsonb;null"`
	Token      [16]byte        `db:"token" retort:"index=ix_item_token_line"`
	Blob       []byte          `db:"blob"`
	Mood       string          `db:"mood" retort:"type=enum:mood;comment=how it felt"`
	HTTPStatus uint16
}

type Named struct {
	Key string `db:"key,pk"`
}

func (*Named) TableName() string { return "named_things" }

type NoKey struct {
	Name string `db:"name"`
}

var _ = Customer{secret: ""}

func TestFromStruct(t *testing.T) {
	t.Parallel()
	got, err := schema.FromStruct(&Customer{})
	if err != nil {
		t.Fatal(err)
	}
	want := schema.NewTable("customer",
		schema.Column("id", schema.BigInt, schema.PrimaryKey(), schema.GeneratedByDefault()),
		schema.Column("email", schema.Text, schema.NotNull()),
		schema.Column("name", schema.Text),
		schema.Column("balance", schema.Numeric(10, 2), schema.NotNull(), schema.DefaultExpr("0")),
		schema.Column("created", schema.TimestampTZ, schema.NotNull(), schema.DefaultExpr("now()")),
		schema.Unique("uq_customer_email", "email"),
		schema.Index("ix_customer_created", "created"),
	)
	if !got.Equal(&want) {
		t.Errorf("got  %+v\nwant %+v", *got, want)
	}
}

func TestFromStructComposite(t *testing.T) {
	t.Parallel()
	m, err := schema.MapStruct(OrderItem{}, schema.InSchema("sales"))
	if err != nil {
		t.Fatal(err)
	}
	got := m.Table
	want := schema.NewTable("order_item",
		schema.InSchema("sales"),
		schema.Column("created_at", schema.TimestampTZ, schema.NotNull(), schema.DefaultExpr("CURRENT_TIMESTAMP")),
		schema.Column("updated_at", schema.TimestampTZ),
		schema.Column("order_id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("line", schema.Integer, schema.PrimaryKey()),
		schema.Column("sku", schema.Varchar(32), schema.NotNull()),
		schema.Column("qty", schema.SmallInt, schema.NotNull()),
		schema.Column("price", schema.Double),
		schema.Column("note", schema.Text),
		schema.Column("attrs", schema.JSONB),
		schema.Column("token", schema.UUID, schema.NotNull()),
		schema.Column("blob", schema.Bytes, schema.NotNull()),
		schema.Column("mood", schema.EnumType("mood"), schema.NotNull(), schema.Comment("how it felt")),
		schema.Column("http_status", schema.Integer, schema.NotNull()),
		schema.ForeignKey("fk_order_item_order_id_order", []string{"order_id"}, "order", []string{"id"},
			schema.RefSchema("sales"), schema.OnDelete(schema.Cascade)),
		schema.Unique("uq_item_sku_qty", "sku", "qty"),
		schema.Check("ck_order_item_qty", "qty > 0"),
		schema.Index("ix_item_token_line", "token"),
	)
	if !got.Equal(&want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if f := m.Field("created_at"); f == nil || f.Name != "Timestamps.Created" || !reflect.DeepEqual(f.Index, []int{0, 0}) || !f.Generated {
		t.Errorf("created_at field = %+v", f)
	}
	if f := m.Field("order_id"); f == nil || !f.PrimaryKey || f.Generated {
		t.Errorf("order_id field = %+v (a composite key is not generated)", f)
	}
}

func TestTableName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"method", Named{}, "named_things"},
		{"pointer", (*Named)(nil), "named_things"},
		{"snake", OrderItem{}, "order_item"},
		{"type", reflect.TypeFor[Customer](), "customer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb, err := schema.FromStruct(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if tb.Name != tc.want {
				t.Errorf("name = %q, want %q", tb.Name, tc.want)
			}
		})
	}
}

func TestSnakeCase(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Customer": "customer", "OrderItem": "order_item", "HTTPLog": "http_log",
		"UserID": "user_id", "ID": "id", "V2Thing": "v2_thing", "already_snake": "already_snake",
	} {
		if got := schema.SnakeCase(in); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFromStructErrors(t *testing.T) {
	t.Parallel()
	type BadFlag struct {
		ID int64 `db:"id,primary"`
	}
	type BadOpt struct {
		ID int64 `db:"id,pk" retort:"size=3"`
	}
	type BadType struct {
		ID   int64          `db:"id,pk"`
		Tags map[string]int `db:"tags"`
	}
	type Dup struct {
		ID  int64 `db:"id,pk"`
		ID2 int64 `db:"id"`
	}
	type BadFK struct {
		ID int64 `db:"id,pk" retort:"fk=customer"`
	}
	type BadAction struct {
		ID int64 `db:"id,pk" retort:"fk=customer.id;ondelete=explode"`
	}
	type AutoText struct {
		ID string `db:"id,pk,auto"`
	}
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"no key", NoKey{}, "struct schema_test.NoKey: no primary key"},
		{"not a struct", 3, "not a struct"},
		{"nil", nil, "not a struct"},
		{"flag", BadFlag{}, `field ID: db tag: unknown flag "primary"`},
		{"option", BadOpt{}, `unknown option "size"`},
		{"type", BadType{}, `field Tags: Go type map[string]int has no column type`},
		{"duplicate", Dup{}, `column "id" is mapped by another field too`},
		{"fk", BadFK{}, "fk=customer: write TABLE.COLUMN"},
		{"action", BadAction{}, "ondelete=explode: unknown action"},
		{"auto", AutoText{}, "auto needs an integer column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := schema.FromStruct(tc.v)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			var se *schema.StructError
			if !errors.As(err, &se) {
				t.Errorf("err is %T, not *StructError", err)
			}
		})
	}
}

func TestNoAuto(t *testing.T) {
	t.Parallel()
	type Code struct {
		ID int64 `db:"id,pk,noauto"`
	}
	m, err := schema.MapStruct(Code{})
	if err != nil {
		t.Fatal(err)
	}
	if c := m.Table.Columns[0]; !c.Identity.IsZero() || m.Fields[0].Generated {
		t.Errorf("noauto key became generated: %+v %+v", c, m.Fields[0])
	}
}

func TestParseType(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]schema.Type{
		"bigint": schema.BigInt, "INT": schema.Integer, "varchar(255)": schema.Varchar(255),
		"varchar": schema.Varchar(0), "character varying(10)": schema.Varchar(10),
		"numeric(10, 2)": schema.Numeric(10, 2), "decimal": schema.Numeric(0, 0),
		"double precision": schema.Double, "timestamp with time zone": schema.TimestampTZ,
		"timestamptz": schema.TimestampTZ, "bytea": schema.Bytes, "jsonb": schema.JSONB,
		"enum:mood": schema.EnumType("mood"), "enum:app.Mood": schema.EnumTypeIn("app", "Mood"),
		"tsvector": schema.RawType("tsvector"), "int4range": schema.RawType("int4range"),
		"char(3)": schema.Char(3), "bit(8)": schema.RawType("bit(8)"),
		"ENUM('Sad', 'it''s')": schema.EnumOf("Sad", "it's"), "enum('a,b','')": schema.EnumOf("a,b", ""),
		"enum('a' 'b')": schema.RawType("enum('a' 'b')"), "enum('a',)": schema.RawType("enum('a',)"),
		"enum()": schema.RawType("enum()"), "enum('a)": schema.RawType("enum('a)"),
	} {
		got, err := schema.ParseType(in)
		if err != nil || got != want {
			t.Errorf("ParseType(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := schema.ParseType(" "); err == nil {
		t.Error("ParseType of blank: no error")
	}
}

func TestTables(t *testing.T) {
	t.Parallel()
	ts, err := schema.Tables(Customer{}, &Named{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Name != "customer" || ts[1].Name != "named_things" {
		t.Errorf("tables = %v", ts)
	}
	if _, err := schema.Tables(Customer{}, NoKey{}); err == nil || !strings.Contains(err.Error(), "NoKey") {
		t.Errorf("err = %v, want it to name NoKey", err)
	}
}

func ExampleFromStruct() {
	type Invoice struct {
		ID         int64     `db:"id,pk"`
		CustomerID int64     `db:"customer_id" retort:"fk=customer.id;ondelete=cascade;index"`
		Total      string    `db:"total" retort:"type=numeric(12,2);default=0"`
		Issued     time.Time `db:"issued" retort:"default=now()"`
	}
	t, err := schema.FromStruct(Invoice{})
	if err != nil {
		panic(err)
	}
	for _, c := range t.Columns {
		nullable := "not null"
		if c.Nullable {
			nullable = "null"
		}
		extra := ""
		if !c.Identity.IsZero() {
			extra = " identity"
		}
		if !c.Default.IsZero() {
			extra += " default " + c.Default.String()
		}
		fmt.Println(c.Name, c.Type, nullable+extra)
	}
	fmt.Println(t.ForeignKeys[0].Name, t.Indexes[0].Name)
	// Output:
	// id bigint not null identity
	// customer_id bigint not null
	// total numeric(12,2) not null default 0
	// issued timestamptz not null default now()
	// fk_invoice_customer_id_customer ix_invoice_customer_id
}
