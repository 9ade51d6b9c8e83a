package render_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"testing"

	"github.com/retortdb/retort/batch"
	"github.com/retortdb/retort/compare"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/render"
	"github.com/retortdb/retort/schema"
)

// operations covers every kind of value the Go renderer meets: pointers
// to structs, to bools and strings, interfaces, enums, batches, notes.
func operations(t *testing.T) []ops.Operation {
	t.Helper()
	email := schema.Column("email", schema.Varchar(200), schema.Default("x"), schema.Comment("line one\nline two"))
	customer := schema.NewTable("customer",
		schema.Column("id", schema.BigInt, schema.PrimaryKey(), schema.GeneratedByDefault()),
		schema.Column("mood", schema.EnumTypeIn("app", "mood")),
		schema.Column("price", schema.Numeric(10, 2), schema.DefaultExpr("0")),
		schema.Column("raw", schema.RawType("tsvector")),
		email,
		schema.Unique("uq_customer_email", "email"),
		schema.Check("ck_customer_price", "price >= 0"),
		schema.ForeignKey("fk_x", []string{"id"}, "other", []string{"id"}, schema.OnDelete(schema.SetNull)),
		schema.ExprIndex("ix_lower", "lower(email)").Partial("email IS NOT NULL"))
	notNull, comment, typ, def := false, "", schema.Text, schema.DefaultValue{}
	return []ops.Operation{
		ops.CreateTable{Table: customer},
		ops.AlterColumn{Table: "customer", Column: "email", Nullable: &notNull, Comment: &comment, Type: &typ, Default: &def, OnUpdate: &comment, Existing: &email},
		ops.AddColumn{Table: "customer", Column: schema.Column("seen", schema.TimestampTZ, schema.OnUpdateSet("CURRENT_TIMESTAMP"))},
		ops.DropConstraint{Table: "customer", Name: "uq_customer_email", Kind: schema.ConstraintUnique, Existing: schema.Unique("uq_customer_email", "email")},
		batch.Alter{Table: "customer", Changes: []ops.Operation{ops.DropColumn{Column: "raw"}}, CopyFrom: &customer, Recreate: batch.Always},
		ops.CreateEnum{Enum: schema.Enum{Name: "mood", Values: []string{"a", "b"}}},
		ops.CreateView{View: schema.View{Name: "v", Definition: "SELECT 1\nFROM customer"}},
		compare.Note{Text: "a note"},
	}
}

// TestGoTypeChecks renders operations as Go and type-checks the
// function against the real packages.
func TestGoTypeChecks(t *testing.T) {
	code, err := render.Go(operations(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(code.Body, "// a note\n") || !strings.Contains(code.Body, "op.RunBatch(batch.Alter{") {
		t.Errorf("body:\n%s", code.Body)
	}
	typeCheck(t, code)
}

func typeCheck(t *testing.T, code *render.GoCode) {
	t.Helper()
	var src strings.Builder
	src.WriteString("package p\n\nimport (\n\t\"github.com/retortdb/retort\"\n")
	for _, p := range code.Imports {
		src.WriteString("\t" + strconv.Quote(p) + "\n")
	}
	src.WriteString(")\n\nfunc upgrade(op *retort.Op) error {\n" + code.Body + "}\n")
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "rev.go", src.String(), 0)
	if err != nil {
		t.Fatalf("%v\n%s", err, src.String())
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check("p", fset, []*ast.File{f}, nil); err != nil {
		t.Fatalf("%v\n%s", err, src.String())
	}
}

func TestFormat(t *testing.T) {
	got, err := render.Format("if err := op.Run(ops.DropTable{Table: \"t\"}); err != nil {\nreturn err\n}\nreturn nil\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "if err := op.Run(ops.DropTable{Table: \"t\"}); err != nil {\n\treturn err\n}\nreturn nil\n"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestScript(t *testing.T) {
	list := []ops.Operation{ops.DropTable{Table: "t"}, compare.Note{Text: "cannot be reversed"}}
	up, down, err := render.Script(sqlite.New(), list, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "-- " + render.Notice + "\n\nDROP TABLE \"t\";\n\n-- cannot be reversed\n"; up != want {
		t.Errorf("up:\n%q\nwant\n%q", up, want)
	}
	if down != "-- no changes detected\n" {
		t.Errorf("down %q", down)
	}
	if _, _, err := render.Script(sqlite.New(), []ops.Operation{ops.CreateSequence{Sequence: schema.Sequence{Name: "s"}}}, nil); err == nil {
		t.Error("an operation SQLite cannot do rendered")
	}
}
