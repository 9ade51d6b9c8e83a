package ops_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

func ptr[T any](v T) *T { return &v }

var (
	customer = schema.NewTable("customer",
		schema.Column("id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("name", schema.Text, schema.NotNull()))
	email = schema.Column("email", schema.Varchar(255))
	ix    = schema.Index("ix_name", "name")
	fk    = schema.ForeignKey("fk", []string{"c"}, "customer", []string{"id"})
	view  = schema.View{Name: "v", Definition: "SELECT 1"}
	view2 = schema.View{Name: "v", Definition: "SELECT 2"}
	fn    = schema.Function{Name: "f", Args: "a int", Definition: "RETURNS int LANGUAGE sql AS 'SELECT a'"}
	fn2   = schema.Function{Name: "f", Args: "a int", Definition: "RETURNS int LANGUAGE sql AS 'SELECT a + 1'"}
	trig  = schema.Trigger{Name: "tr", Table: "customer", Definition: "AFTER INSERT ON customer ..."}
	seq   = schema.Sequence{Name: "s", Start: 5}
	mood  = schema.Enum{Name: "mood", Values: []string{"sad", "ok"}}
)

// Every reversible operation: its reverse, and the reverse of that is
// the operation again (round).
func TestReverse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		op    ops.Operation
		want  ops.Operation
		round bool
	}{
		{"create_table", ops.CreateTable{Table: customer}, ops.DropTable{Table: "customer", Existing: &customer}, true},
		{"rename_table", ops.RenameTable{Table: "a", NewName: "b"}, ops.RenameTable{Table: "b", NewName: "a"}, true},
		{"set_table_comment", ops.SetTableComment{Table: "a", Comment: "new", Existing: "old"},
			ops.SetTableComment{Table: "a", Comment: "old", Existing: "new"}, true},
		{"add_column", ops.AddColumn{Schema: "s", Table: "customer", Column: email},
			ops.DropColumn{Schema: "s", Table: "customer", Column: "email", Existing: &email}, true},
		{"alter_column_rename", ops.AlterColumn{Table: "t", Column: "a", NewName: "b"},
			ops.AlterColumn{Table: "t", Column: "b", NewName: "a"}, true},
		{"alter_column_nullable_inverted", ops.AlterColumn{Table: "t", Column: "a", Nullable: ptr(false)},
			ops.AlterColumn{Table: "t", Column: "a", Nullable: ptr(true)}, false},
		{"alter_column_everything", ops.AlterColumn{Table: "t", Column: "email", NewName: "mail",
			Type: ptr(schema.Text), Using: "email::text", Nullable: ptr(false), Default: ptr(schema.Literal("x")), Comment: ptr("c"),
			Existing: &email},
			ops.AlterColumn{Table: "t", Column: "mail", NewName: "email",
				Type: ptr(schema.Varchar(255)), Nullable: ptr(true), Default: &schema.DefaultValue{}, Comment: ptr(""),
				Existing: &schema.ColumnDef{Name: "mail", Type: schema.Text, Default: schema.Literal("x"), Comment: "c"}}, false},
		{"alter_column_on_update", ops.AlterColumn{Table: "t", Column: "seen", OnUpdate: ptr("CURRENT_TIMESTAMP"),
			Existing: &schema.ColumnDef{Name: "seen", Type: schema.TimestampTZ}},
			ops.AlterColumn{Table: "t", Column: "seen", OnUpdate: ptr(""),
				Existing: &schema.ColumnDef{Name: "seen", Type: schema.TimestampTZ, OnUpdate: "CURRENT_TIMESTAMP"}}, true},
		{"create_index", ops.CreateIndex{Table: "customer", Index: ix, Concurrently: true},
			ops.DropIndex{Table: "customer", Name: "ix_name", Concurrently: true, Existing: &ix}, true},
		{"create_primary_key", ops.CreatePrimaryKey{Table: "t", PrimaryKey: schema.PrimaryKeyDef{Name: "pk", Columns: []string{"id"}}},
			ops.DropConstraint{Table: "t", Name: "pk", Kind: schema.ConstraintPrimaryKey, Existing: schema.PrimaryKeyDef{Name: "pk", Columns: []string{"id"}}}, true},
		{"create_unique", ops.CreateUniqueConstraint{Table: "t", Unique: schema.Unique("uq", "a")},
			ops.DropConstraint{Table: "t", Name: "uq", Kind: schema.ConstraintUnique, Existing: schema.Unique("uq", "a")}, true},
		{"create_foreign_key", ops.CreateForeignKey{Table: "t", ForeignKey: fk},
			ops.DropConstraint{Table: "t", Name: "fk", Kind: schema.ConstraintForeignKey, Existing: fk}, true},
		{"create_check", ops.CreateCheckConstraint{Table: "t", Check: schema.Check("ck", "a > 0")},
			ops.DropConstraint{Table: "t", Name: "ck", Kind: schema.ConstraintCheck, Existing: schema.Check("ck", "a > 0")}, true},
		{"create_schema", ops.CreateSchema{Name: "s", IfNotExists: true}, ops.DropSchema{Name: "s", IfExists: true}, true},
		{"create_sequence", ops.CreateSequence{Sequence: seq}, ops.DropSequence{Name: "s", Existing: &seq}, true},
		{"create_enum", ops.CreateEnum{Enum: mood}, ops.DropEnum{Name: "mood", Existing: &mood}, true},
		{"create_view", ops.CreateView{View: view}, ops.DropView{Name: "v", Existing: &view}, true},
		{"replace_view", ops.ReplaceView{View: view2, Existing: &view}, ops.ReplaceView{View: view, Existing: &view2}, true},
		{"create_function", ops.CreateFunction{Function: fn}, ops.DropFunction{Name: "f", Args: "a int", Existing: &fn}, true},
		{"replace_function", ops.ReplaceFunction{Function: fn2, Existing: &fn}, ops.ReplaceFunction{Function: fn, Existing: &fn2}, true},
		{"create_trigger", ops.CreateTrigger{Trigger: trig}, ops.DropTrigger{Name: "tr", Table: "customer", Existing: &trig}, true},
		{"execute_with_undo", ops.Execute{SQL: "UPDATE a", Undo: ops.Execute{SQL: "UPDATE b"}}, ops.Execute{SQL: "UPDATE b"}, false},
		{"sequence", ops.Sequence{ops.CreateSchema{Name: "s"}, ops.RenameTable{Table: "a", NewName: "b"}},
			ops.Sequence{ops.RenameTable{Table: "b", NewName: "a"}, ops.DropSchema{Name: "s"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.op.Reverse()
			if err != nil {
				t.Fatalf("Reverse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Reverse =\n%#v\nwant\n%#v", got, tt.want)
			}
			if !tt.round {
				return
			}
			back, err := got.Reverse()
			if err != nil {
				t.Fatalf("Reverse of reverse: %v", err)
			}
			if !reflect.DeepEqual(back, tt.op) {
				t.Fatalf("Reverse of reverse =\n%#v\nwant\n%#v", back, tt.op)
			}
		})
	}
}

// Operations without the state they undo fail, naming the operation and
// what to pass.
func TestIrreversible(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		op   ops.Operation
		want []string
	}{
		{"drop_table", ops.DropTable{Table: "customer"}, []string{"drop table customer", "DropTable.Existing"}},
		{"drop_column", ops.DropColumn{Table: "customer", Column: "email"}, []string{"drop column email from customer", "DropColumn.Existing"}},
		{"alter_column_type", ops.AlterColumn{Table: "t", Column: "a", Type: ptr(schema.Text)}, []string{"alter column a of t (type text)", "AlterColumn.Existing", "Type"}},
		{"alter_column_default", ops.AlterColumn{Table: "t", Column: "a", Default: ptr(schema.Expr("now()"))}, []string{"Default"}},
		{"alter_column_comment", ops.AlterColumn{Table: "t", Column: "a", Comment: ptr("c")}, []string{"Comment"}},
		{"drop_index", ops.DropIndex{Table: "t", Name: "ix"}, []string{"drop index ix on t", "DropIndex.Existing"}},
		{"unnamed_unique", ops.CreateUniqueConstraint{Table: "t", Unique: schema.Unique("", "a")}, []string{"create unique constraint on t", "name the constraint"}},
		{"drop_constraint", ops.DropConstraint{Table: "t", Name: "c", Kind: schema.ConstraintCheck}, []string{"drop check constraint c on t", "DropConstraint.Existing"}},
		{"drop_schema_cascade", ops.DropSchema{Name: "s", Cascade: true}, []string{"drop schema s", "CASCADE"}},
		{"drop_sequence", ops.DropSequence{Name: "s"}, []string{"DropSequence.Existing"}},
		{"drop_enum", ops.DropEnum{Name: "mood"}, []string{"DropEnum.Existing"}},
		{"add_enum_value", ops.AddEnumValue{Enum: "mood", Value: "x"}, []string{"add value x to enum mood", "cannot drop an enum value"}},
		{"drop_view", ops.DropView{Name: "v"}, []string{"DropView.Existing"}},
		{"replace_view", ops.ReplaceView{View: view}, []string{"ReplaceView.Existing"}},
		{"drop_function", ops.DropFunction{Name: "f", Args: "int"}, []string{"drop function f(int)", "DropFunction.Existing"}},
		{"replace_function", ops.ReplaceFunction{Function: fn}, []string{"ReplaceFunction.Existing"}},
		{"drop_trigger", ops.DropTrigger{Name: "tr", Table: "t"}, []string{"drop trigger tr on t", "DropTrigger.Existing"}},
		{"execute", ops.Execute{SQL: "UPDATE a SET b = 1"}, []string{"execute UPDATE a SET b = 1", "Execute.Undo"}},
		{"bulk_insert", ops.BulkInsert{Table: "t", Rows: [][]any{{1}}}, []string{"insert 1 row into t", "DELETE"}},
		{"sequence", ops.Sequence{ops.CreateSchema{Name: "s"}, ops.DropTable{Table: "x"}}, []string{"drop table x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.op.Reverse()
			if !errors.Is(err, ops.ErrIrreversible) {
				t.Fatalf("Reverse error = %v, want ErrIrreversible", err)
			}
			if _, ok := errors.AsType[*ops.IrreversibleError](err); !ok {
				t.Fatalf("error %T is not *IrreversibleError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op   ops.Operation
		want string
	}{
		{ops.CreateTable{Table: schema.NewTable("e", schema.InSchema("audit"))}, "create table audit.e"},
		{ops.AlterColumn{Table: "t", Column: "a"}, "alter column a of t (no change)"},
		{ops.AlterColumn{Table: "t", Column: "a", Nullable: ptr(true), Default: &schema.DefaultValue{}}, "alter column a of t (null, default none)"},
		{ops.DropConstraint{Table: "t", Name: "c", Existing: schema.Unique("c", "a")}, "drop unique constraint c on t"},
		{ops.DropConstraint{Table: "t", Name: "c"}, "drop constraint c on t"},
		{ops.BulkInsert{Table: "t", Rows: make([][]any, 3)}, "insert 3 rows into t"},
		{ops.Execute{SQL: strings.Repeat("x", 100)}, "execute " + strings.Repeat("x", 57) + "..."},
		{ops.Execute{Dialects: map[string]string{"sqlite": "VACUUM\nmore"}}, "execute VACUUM"},
		{ops.Sequence{ops.CreateSchema{Name: "a"}, ops.DropSchema{Name: "b"}}, "create schema a; drop schema b"},
	}
	for _, tt := range tests {
		if got := tt.op.Describe(); got != tt.want {
			t.Errorf("Describe = %q, want %q", got, tt.want)
		}
	}
}

func TestExecuteFor(t *testing.T) {
	t.Parallel()
	e := ops.Execute{SQL: "A", Dialects: map[string]string{"sqlite": "B", "mysql": ""}}
	for name, want := range map[string]string{"postgres": "A", "sqlite": "B", "mysql": ""} {
		got, ok := e.For(name)
		if got != want || ok != (want != "") {
			t.Errorf("For(%s) = %q, %v", name, got, ok)
		}
	}
}
