package dialecttest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// RenderCase is one operation whose rendering [GoldenRender] checks.
type RenderCase struct {
	// Name names the golden file: testdata/<test>/<Name>.<dialect>.sql.
	Name string
	// Op is the operation.
	Op ops.Operation
}

// customer is the table most cases work on.
var customer = schema.NewTable("customer",
	schema.Column("id", schema.BigInt, schema.PrimaryKey(), schema.GeneratedByDefault()),
	schema.Column("name", schema.Text, schema.NotNull(), schema.Comment("full name")),
	schema.Column("email", schema.Varchar(255)),
	schema.Column("balance", schema.Numeric(10, 2), schema.NotNull(), schema.Default("0")),
	schema.Column("created", schema.TimestampTZ, schema.DefaultExpr("CURRENT_TIMESTAMP")),
	schema.Unique("customer_email_key", "email"),
	schema.Check("customer_balance_check", "balance >= 0"),
	schema.Index("ix_customer_name", "name"),
	schema.Comment("people who buy"),
)

// allTypes has a column of every type.
var allTypes = schema.NewTable("all_types",
	schema.Column("small", schema.SmallInt),
	schema.Column("int", schema.Integer),
	schema.Column("big", schema.BigInt),
	schema.Column("flag", schema.Boolean, schema.Default("true")),
	schema.Column("txt", schema.Text),
	schema.Column("vc", schema.Varchar(40)),
	schema.Column("vc_any", schema.Varchar(0)),
	schema.Column("ch", schema.Char(2)),
	schema.Column("num", schema.Numeric(12, 3)),
	schema.Column("num_any", schema.Numeric(0, 0)),
	schema.Column("r", schema.Real),
	schema.Column("dbl", schema.Double),
	schema.Column("d", schema.Date),
	schema.Column("t", schema.Time),
	schema.Column("ts", schema.Timestamp),
	schema.Column("tstz", schema.TimestampTZ),
	schema.Column("iv", schema.Interval),
	schema.Column("u", schema.UUID),
	schema.Column("j", schema.JSON),
	schema.Column("jb", schema.JSONB),
	schema.Column("b", schema.Bytes),
	schema.Column("mood", schema.EnumType("mood")),
	schema.Column("raw", schema.RawType("TEXT")),
)

// orderLine has a composite key and a foreign key with actions.
var orderLine = schema.NewTable("order line",
	schema.Column("order_id", schema.BigInt),
	schema.Column("line", schema.Integer),
	schema.Column("customer_id", schema.BigInt, schema.NotNull()),
	schema.PrimaryKey("order_id", "line"),
	schema.ForeignKey("order_line_customer_fk", []string{"customer_id"}, "customer", []string{"id"},
		schema.OnDelete(schema.Cascade), schema.OnUpdate(schema.Restrict)),
)

func ptr[T any](v T) *T { return &v }

// customOp is a user-defined operation.
type customOp struct{ table string }

func (c customOp) Describe() string                { return "vacuum " + c.table }
func (c customOp) Reverse() (ops.Operation, error) { return c, nil }
func (c customOp) RenderSQL(d dialect.Dialect) ([]string, error) {
	if d.Name() == "sqlite" {
		return []string{"VACUUM"}, nil
	}
	return []string{"VACUUM " + d.QuoteIdent(c.table)}, nil
}

// RenderCases are the operations every dialect renders to golden files:
// every operation, with its options, odd names and values.
var RenderCases = []RenderCase{
	{"create_table", ops.CreateTable{Table: customer}},
	{"create_table_all_types", ops.CreateTable{Table: allTypes}},
	{"create_table_composite_key", ops.CreateTable{Table: orderLine, IfNotExists: true}},
	{"create_table_in_schema", ops.CreateTable{Table: schema.NewTable("event", schema.InSchema("audit"),
		schema.Column("id", schema.Integer, schema.PrimaryKey()),
		schema.Column("at", schema.Timestamp, schema.NotNull()),
		schema.Index("ix_event_at", "at"))}},
	{"create_table_identity_always", ops.CreateTable{Table: schema.NewTable("ticket",
		schema.Column("id", schema.Integer, schema.PrimaryKey(), schema.GeneratedAlways(), schema.IdentityStart(100, 10)))}},
	{"create_table_generated", ops.CreateTable{Table: schema.NewTable("line",
		schema.Column("qty", schema.Integer, schema.NotNull()),
		schema.Column("price", schema.Numeric(10, 2), schema.NotNull()),
		schema.Column("total", schema.Numeric(12, 2), schema.GeneratedStored("qty * price")))}},
	{"add_column_generated", ops.AddColumn{Table: "line", Column: schema.Column("half", schema.Integer, schema.GeneratedStored("qty / 2"))}},
	{"alter_column_add_identity", ops.AlterColumn{Table: "customer", Column: "id", Identity: &schema.Identity{Kind: schema.IdentityByDefault},
		Existing: &schema.ColumnDef{Name: "id", Type: schema.Integer}}},
	{"alter_column_drop_identity", ops.AlterColumn{Table: "customer", Column: "id", Identity: &schema.Identity{},
		Existing: &schema.ColumnDef{Name: "id", Type: schema.Integer, Identity: schema.Identity{Kind: schema.IdentityAlways}}}},
	{"alter_column_set_identity", ops.AlterColumn{Table: "customer", Column: "id", Identity: &schema.Identity{Kind: schema.IdentityAlways, Start: 100},
		Existing: &schema.ColumnDef{Name: "id", Type: schema.Integer, Identity: schema.Identity{Kind: schema.IdentityByDefault}}}},
	{"create_table_odd_names", ops.CreateTable{Table: schema.NewTable(`we"ird table`,
		schema.Column("select", schema.Text, schema.Default("it's")),
		schema.Column("Mixed Case", schema.Integer))}},
	{"drop_table", ops.DropTable{Table: "customer"}},
	{"drop_table_if_exists_cascade", ops.DropTable{Schema: "audit", Table: "event", IfExists: true, Cascade: true}},
	{"rename_table", ops.RenameTable{Table: "customer", NewName: "client"}},
	{"set_table_comment", ops.SetTableComment{Table: "customer", Comment: "buyers' table"}},
	{"drop_table_comment", ops.SetTableComment{Table: "customer", Existing: "old"}},
	{"add_column", ops.AddColumn{Table: "customer", Column: schema.Column("phone", schema.Varchar(20))}},
	{"add_column_on_update", ops.AddColumn{Table: "customer", Column: schema.Column("touched", schema.TimestampTZ, schema.NotNull(),
		schema.DefaultExpr("CURRENT_TIMESTAMP(6)"), schema.OnUpdateSet("CURRENT_TIMESTAMP(6)"))}},
	{"alter_column_on_update", ops.AlterColumn{Table: "customer", Column: "touched", OnUpdate: ptr(""),
		Existing: ptr(schema.Column("touched", schema.TimestampTZ, schema.NotNull(), schema.DefaultExpr("CURRENT_TIMESTAMP(6)"), schema.OnUpdateSet("CURRENT_TIMESTAMP(6)")))}},
	{"add_column_enum_inline", ops.AddColumn{Table: "customer", Column: schema.Column("mood",
		schema.EnumOf("sad", "it's ok", `back\slash`, "a,b"), schema.NotNull(), schema.Default("it's ok"))}},
	{"add_column_not_null_default_comment", ops.AddColumn{Table: "customer",
		Column: schema.Column("active", schema.Boolean, schema.NotNull(), schema.Default("1"), schema.Comment("still buying"))}},
	{"add_column_if_not_exists", ops.AddColumn{Table: "customer", Column: schema.Column("phone", schema.Text), IfNotExists: true}},
	{"drop_column", ops.DropColumn{Table: "customer", Column: "email"}},
	{"drop_column_if_exists", ops.DropColumn{Table: "customer", Column: "email", IfExists: true}},
	{"alter_column_type_using", ops.AlterColumn{Table: "customer", Column: "balance",
		Type: ptr(schema.Numeric(12, 4)), Using: "balance::numeric(12,4)"}},
	{"alter_column_not_null", ops.AlterColumn{Table: "customer", Column: "email", Nullable: ptr(false)}},
	{"alter_column_null", ops.AlterColumn{Table: "customer", Column: "email", Nullable: ptr(true)}},
	{"alter_column_set_default", ops.AlterColumn{Table: "customer", Column: "created", Default: ptr(schema.Expr("now()"))}},
	{"alter_column_drop_default", ops.AlterColumn{Table: "customer", Column: "balance", Default: &schema.DefaultValue{}}},
	{"alter_column_comment", ops.AlterColumn{Table: "customer", Column: "name", Comment: ptr("given and family name")}},
	{"alter_column_rename", ops.AlterColumn{Table: "customer", Column: "name", NewName: "full name"}},
	{"alter_column_everything", ops.AlterColumn{Schema: "sales", Table: "customer", Column: "email",
		Type: ptr(schema.Text), Nullable: ptr(false), Default: ptr(schema.Literal("none")), Comment: ptr(""), NewName: "mail"}},
	{"create_index", ops.CreateIndex{Table: "customer", Index: schema.Index("ix_customer_name_email", "name", "email")}},
	{"create_index_unique_partial", ops.CreateIndex{Table: "customer",
		Index: schema.UniqueIndex("uq_customer_active_email", "email").Partial("balance > 0")}},
	{"create_index_expression", ops.CreateIndex{Table: "customer", Index: schema.IndexDef{Name: "ix_customer_lower_email",
		Parts: []schema.IndexPart{{Expr: "lower(email)"}, {Column: "created", Desc: true}}}}},
	{"create_index_concurrently", ops.CreateIndex{Schema: "sales", Table: "customer", Index: schema.Index("ix_c", "name"),
		Concurrently: true, IfNotExists: true}},
	{"drop_index", ops.DropIndex{Table: "customer", Name: "ix_customer_name"}},
	{"drop_index_concurrently", ops.DropIndex{Schema: "sales", Table: "customer", Name: "ix_c", Concurrently: true, IfExists: true}},
	{"create_primary_key", ops.CreatePrimaryKey{Table: "tag", PrimaryKey: schema.PrimaryKeyDef{Name: "tag_pkey", Columns: []string{"id"}}}},
	{"create_unique_constraint", ops.CreateUniqueConstraint{Table: "tag", Unique: schema.Unique("tag_label_key", "label", "kind")}},
	{"create_foreign_key", ops.CreateForeignKey{Table: "tag", ForeignKey: schema.ForeignKey("tag_customer_fk",
		[]string{"customer_id"}, "customer", []string{"id"}, schema.RefSchema("sales"), schema.OnDelete(schema.SetNull))}},
	{"create_check_constraint", ops.CreateCheckConstraint{Table: "tag", Check: schema.Check("tag_label_check", "label <> ''")}},
	{"drop_constraint", ops.DropConstraint{Table: "tag", Name: "tag_label_key", Kind: schema.ConstraintUnique}},
	{"create_schema", ops.CreateSchema{Name: "sales"}},
	{"create_schema_if_not_exists", ops.CreateSchema{Name: "Sales Dept", IfNotExists: true}},
	{"drop_schema", ops.DropSchema{Name: "sales"}},
	{"drop_schema_cascade", ops.DropSchema{Name: "sales", IfExists: true, Cascade: true}},
	{"create_sequence", ops.CreateSequence{Sequence: schema.Sequence{Name: "invoice_no"}}},
	{"create_sequence_options", ops.CreateSequence{Sequence: schema.Sequence{Schema: "sales", Name: "invoice_no",
		Start: 1000, Increment: 5, MinValue: 1000, MaxValue: 99999, Cycle: true}, IfNotExists: true}},
	{"drop_sequence", ops.DropSequence{Name: "invoice_no", IfExists: true}},
	{"create_enum", ops.CreateEnum{Enum: schema.Enum{Name: "mood", Values: []string{"sad", "ok", "it's great"}}}},
	{"drop_enum", ops.DropEnum{Name: "mood"}},
	{"add_enum_value", ops.AddEnumValue{Enum: "mood", Value: "happy"}},
	{"add_enum_value_after", ops.AddEnumValue{Schema: "sales", Enum: "mood", Value: "meh", After: "sad", IfNotExists: true}},
	{"add_enum_value_before", ops.AddEnumValue{Enum: "mood", Value: "meh", Before: "ok"}},
	{"rename_enum_value", ops.RenameEnumValue{Schema: "sales", Enum: "mood", Value: "ok", NewValue: "it's ok"}},
	{"execute", ops.Execute{SQL: "UPDATE customer SET balance = 0 WHERE balance IS NULL"}},
	{"execute_variants", ops.Execute{SQL: "SELECT 1", Dialects: map[string]string{
		"postgres": "SELECT pg_sleep(0)", "sqlite": "SELECT sqlite_version()"}}},
	{"execute_skipped_on_sqlite", ops.Execute{SQL: "ANALYZE customer", Dialects: map[string]string{"sqlite": ""}}},
	{"bulk_insert", ops.BulkInsert{Table: "all_types",
		Columns: []string{"small", "big", "flag", "txt", "dbl", "b", "tstz", "vc"},
		Rows: [][]any{
			{int16(1), int64(9007199254740993), true, "it's", 1.5, []byte{0, 0xff}, time.Date(2026, 1, 2, 3, 4, 5, 600000000, time.UTC), nil},
			{uint8(2), -3, false, "", float32(2.25), []byte{}, time.Date(2026, 7, 1, 0, 0, 0, 0, time.FixedZone("", 2*3600)), "x"},
		}}},
	{"create_view", ops.CreateView{View: schema.View{Name: "rich", Definition: "SELECT id, name FROM customer WHERE balance > 1000"}}},
	{"replace_view", ops.ReplaceView{View: schema.View{Schema: "sales", Name: "rich", Definition: "SELECT id FROM customer"}}},
	{"drop_view", ops.DropView{Name: "rich", IfExists: true}},
	{"create_function", ops.CreateFunction{Function: schema.Function{Name: "add", Args: "a integer, b integer",
		Definition: "RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$"}}},
	{"replace_function", ops.ReplaceFunction{Function: schema.Function{Schema: "sales", Name: "add", Args: "a integer, b integer",
		Definition: "RETURNS integer LANGUAGE sql AS $$ SELECT a + b + 0 $$"}}},
	{"drop_function", ops.DropFunction{Name: "add", Args: "integer, integer", IfExists: true}},
	{"create_trigger", ops.CreateTrigger{Trigger: schema.Trigger{Name: "customer_audit", Table: "customer",
		Definition: "AFTER INSERT ON customer FOR EACH ROW EXECUTE FUNCTION audit()"}}},
	{"drop_trigger", ops.DropTrigger{Name: "customer_audit", Table: "customer", IfExists: true}},
	{"sequence_of_ops", ops.Sequence{
		ops.AddColumn{Table: "customer", Column: schema.Column("x", schema.Integer)},
		ops.CreateIndex{Table: "customer", Index: schema.Index("ix_x", "x")},
	}},
	{"custom_operation", customOp{table: "customer"}},
}

// RenderOp renders op for d as a golden file's text: each statement
// followed by ";\n", or "-- error: ..." when d cannot render it.
func RenderOp(d dialect.Dialect, op ops.Operation) string {
	stmts, err := d.Render(op)
	if err != nil {
		return "-- error: " + err.Error() + "\n"
	}
	if len(stmts) == 0 {
		return "-- (no statements)\n"
	}
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString(s)
		b.WriteString(";\n")
	}
	return b.String()
}

// GoldenRender compares RenderOp for each of [RenderCases] with
// testdata/<t.Name()>/<case>.<dialect>.sql in the current directory,
// rewriting the files when update is set.
func GoldenRender(t *testing.T, d dialect.Dialect, update bool) {
	t.Helper()
	GoldenRenderCases(t, d, RenderCases, update)
}

// GoldenRenderCases is [GoldenRender] for the caller's own cases, such as
// the operations only one engine renders differently.
func GoldenRenderCases(t *testing.T, d dialect.Dialect, cases []RenderCase, update bool) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			got := []byte(RenderOp(d, c.Op))
			path := filepath.Join("testdata", strings.SplitN(t.Name(), "/", 2)[0], c.Name+"."+d.Name()+".sql")
			GoldenFile(t, path, got, update)
		})
	}
}
