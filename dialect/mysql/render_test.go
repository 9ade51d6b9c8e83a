package mysql_test

import (
	"testing"

	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

func ptr[T any](v T) *T { return &v }

// account is a table MySQL can create as declared: bounded keys, a
// prefix index on a text column, an AUTO_INCREMENT start.
var account = schema.NewTable("account",
	schema.Column("id", schema.BigInt, schema.PrimaryKey(), schema.GeneratedByDefault(), schema.IdentityStart(1000, 0)),
	schema.Column("email", schema.Varchar(191), schema.NotNull()),
	schema.Column("bio", schema.Text, schema.Default("none yet")),
	schema.Column("active", schema.Boolean, schema.NotNull(), schema.Default("true")),
	schema.Column("balance", schema.Numeric(10, 2), schema.NotNull(), schema.Default("0")),
	schema.Column("created", schema.TimestampTZ, schema.NotNull(), schema.DefaultExpr("CURRENT_TIMESTAMP(6)")),
	schema.Column("seen", schema.TimestampTZ),
	schema.Column("token", schema.UUID, schema.DefaultExpr("uuid()")),
	schema.Column("prefs", schema.JSON),
	schema.Column("mood", schema.EnumOf("sad", "ok", "great"), schema.Default("ok")),
	schema.Unique("account_email_key", "email"),
	schema.Check("account_balance_check", "balance >= 0"),
	schema.IndexDef{Name: "ix_account_bio", Parts: []schema.IndexPart{{Column: "bio", Length: 100}}},
	schema.Index("ix_account_created", "created"),
	schema.Comment("who pays"),
)

var email = schema.Column("email", schema.Varchar(191), schema.NotNull(), schema.Comment("login"))

// mysqlCases are the operations whose MySQL rendering the shared cases
// do not show: what MySQL can do once given what it needs.
var mysqlCases = []dialecttest.RenderCase{
	{Name: "create_table_mysql", Op: ops.CreateTable{Table: account}},
	{Name: "create_table_options", Op: ops.CreateTable{Table: tag, Options: map[string]string{
		"mysql": "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin", "postgres": "WITH (fillfactor = 70)"}}},
	{Name: "alter_column_type_existing", Op: ops.AlterColumn{Table: "account", Column: "email", Type: ptr(schema.Varchar(255)), Existing: &email}},
	{Name: "alter_column_null_existing", Op: ops.AlterColumn{Table: "account", Column: "email", Nullable: ptr(true), Existing: &email}},
	{Name: "alter_column_comment_existing", Op: ops.AlterColumn{Table: "account", Column: "email", Comment: ptr(""), Existing: &email}},
	{Name: "alter_column_type_rename", Op: ops.AlterColumn{Table: "account", Column: "email", Type: ptr(schema.Varchar(255)), NewName: "mail", Existing: &email}},
	{Name: "alter_column_default_text", Op: ops.AlterColumn{Table: "account", Column: "bio", Default: ptr(schema.Literal("n/a")),
		Existing: ptr(schema.Column("bio", schema.Text))}},
	{Name: "alter_column_default_expression", Op: ops.AlterColumn{Table: "account", Column: "seen", Default: ptr(schema.Expr("CURRENT_TIMESTAMP"))}},
	{Name: "alter_column_rename_existing", Op: ops.AlterColumn{Table: "account", Column: "email", NewName: "mail", Existing: &email}},
	{Name: "add_column_auto_increment", Op: ops.AddColumn{Table: "counter", Column: schema.Column("n", schema.Integer, schema.GeneratedByDefault(), schema.IdentityStart(5, 0))}},
	{Name: "add_column_expression_default", Op: ops.AddColumn{Table: "account", Column: schema.Column("score", schema.Integer, schema.DefaultExpr("1 + 1"))}},
	{Name: "create_index_prefix", Op: ops.CreateIndex{Table: "account", Index: schema.IndexDef{Name: "ix_bio", Unique: true,
		Parts: []schema.IndexPart{{Column: "bio", Length: 191}, {Column: "email", Desc: true}}}}},
	{Name: "create_index_fulltext", Op: ops.CreateIndex{Table: "account", Index: schema.IndexDef{Name: "ix_bio_text", Using: "fulltext",
		Parts: []schema.IndexPart{{Column: "bio"}, {Column: "email"}}}}},
	{Name: "create_index_spatial", Op: ops.CreateIndex{Table: "place", Index: schema.IndexDef{Name: "ix_place_at", Using: "SPATIAL",
		Parts: []schema.IndexPart{{Column: "at"}}}}},
	{Name: "create_index_gin", Op: ops.CreateIndex{Table: "account", Index: schema.IndexDef{Name: "ix_prefs", Using: "gin",
		Parts: []schema.IndexPart{{Column: "prefs"}}}}},
	{Name: "create_index_unique_fulltext", Op: ops.CreateIndex{Table: "account", Index: schema.IndexDef{Name: "ix_bio_text", Using: "fulltext", Unique: true,
		Parts: []schema.IndexPart{{Column: "bio"}}}}},
	{Name: "drop_constraint_fk", Op: ops.DropConstraint{Table: "tag", Name: "tag_customer_fk", Kind: schema.ConstraintForeignKey}},
	{Name: "drop_constraint_check", Op: ops.DropConstraint{Table: "tag", Name: "tag_label_check", Kind: schema.ConstraintCheck}},
	{Name: "drop_constraint_pk", Op: ops.DropConstraint{Table: "tag", Name: "PRIMARY", Kind: schema.ConstraintPrimaryKey}},
	{Name: "drop_constraint_unknown", Op: ops.DropConstraint{Table: "tag", Name: "x"}},
	{Name: "rename_table_in_schema", Op: ops.RenameTable{Schema: "sales", Table: "customer", NewName: "client"}},
	{Name: "create_function_mysql", Op: ops.CreateFunction{Function: schema.Function{Name: "add2", Args: "a INT, b INT",
		Definition: "RETURNS INT DETERMINISTIC RETURN a + b"}}},
	{Name: "create_trigger_mysql", Op: ops.CreateTrigger{Trigger: schema.Trigger{Name: "account_touch", Table: "account",
		Definition: "BEFORE UPDATE ON account FOR EACH ROW SET NEW.seen = CURRENT_TIMESTAMP(6)"}}},
	{Name: "enum_column", Op: ops.AddColumn{Table: "account", Column: schema.Column("tier", schema.EnumType("tier"))}},
	{Name: "alter_column_enum_values", Op: ops.AlterColumn{Table: "account", Column: "mood", Type: ptr(schema.EnumOf("sad", "ok", "great", "it's complicated")),
		Existing: ptr(schema.Column("mood", schema.EnumOf("sad", "ok", "great"), schema.NotNull(), schema.Default("ok"), schema.Comment("how they feel")))}},
	{Name: "enum_trailing_space", Op: ops.AddColumn{Table: "account", Column: schema.Column("tier", schema.EnumOf("gold", "silver "))}},
	{Name: "enum_no_values", Op: ops.AddColumn{Table: "account", Column: schema.Column("tier", schema.Type{Kind: schema.KindEnum})}},
	{Name: "interval_column", Op: ops.AddColumn{Table: "account", Column: schema.Column("grace", schema.Interval)}},
	{Name: "bulk_insert_nan", Op: ops.BulkInsert{Table: "t", Columns: []string{"f"}, Rows: [][]any{{nan()}}}},
}

func nan() float64 {
	z := 0.0
	return z / z
}

func TestRenderCases(t *testing.T) {
	dialecttest.GoldenRenderCases(t, mysql.New(), mysqlCases, *update)
}

func TestRenderCasesMySQL8(t *testing.T) {
	dialecttest.GoldenRenderCases(t, mysql.NewFor(mustServer(t, "mysql-8.0.36")), mysqlCases, *update)
}

func TestRenderCasesMySQL57(t *testing.T) {
	dialecttest.GoldenRenderCases(t, mysql.NewFor(mustServer(t, "mysql-5.7.44")), mysqlCases, *update)
}

func TestRenderCasesMariaDB(t *testing.T) {
	dialecttest.GoldenRenderCases(t, mysql.NewFor(mustServer(t, "mariadb-10.11")), mysqlCases, *update)
}
