package batch_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/retortdb/retort/batch"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

var customer = schema.NewTable("customer",
	schema.Column("id", schema.Integer, schema.PrimaryKey()),
	schema.Column("name", schema.Text), schema.Column("x", schema.Integer), schema.Column("z", schema.Integer),
	schema.Unique("uq_name", "name"), schema.Index("ix_x", "x"))

// Alembic's RUN: an add-only batch is a plain ALTER; a rename plus a
// drop of a plain column stays plain on modern SQLite; a type change
// rebuilds; PostgreSQL never rebuilds.
func TestRenderSQL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		d       dialect.Dialect
		a       batch.Alter
		want    []string
		wantErr string
	}{
		{name: "add_only", d: sqlite.New(), a: batch.Alter{Table: "foo", Changes: []ops.Operation{ops.AddColumn{Column: schema.Column("z", schema.Integer)}}},
			want: []string{`ALTER TABLE "foo" ADD COLUMN "z" INTEGER`}},
		{name: "rename_drop", d: sqlite.New(), a: batch.Alter{Table: "customer", CopyFrom: &customer, Changes: []ops.Operation{
			ops.AlterColumn{Column: "z", NewName: "zz"}, ops.DropColumn{Column: "zz"}}},
			want: []string{`ALTER TABLE "customer" RENAME COLUMN "z" TO "zz"`, `ALTER TABLE "customer" DROP COLUMN "zz"`}},
		{name: "drop_unique_column_rebuilds", d: sqlite.New(), a: batch.Alter{Table: "customer", CopyFrom: &customer, Changes: []ops.Operation{
			ops.DropColumn{Column: "name"}}},
			want: []string{"PRAGMA defer_foreign_keys = ON",
				"CREATE TABLE \"_retort_tmp_customer\" (\n    \"id\" INTEGER NOT NULL,\n    \"x\" INTEGER,\n    \"z\" INTEGER,\n    PRIMARY KEY (\"id\")\n)",
				`INSERT INTO "_retort_tmp_customer" ("id", "x", "z") SELECT "id", "x", "z" FROM "customer"`, `DROP TABLE "customer"`,
				"CREATE TABLE \"customer\" (\n    \"id\" INTEGER NOT NULL,\n    \"x\" INTEGER,\n    \"z\" INTEGER,\n    PRIMARY KEY (\"id\")\n)",
				`INSERT INTO "customer" ("id", "x", "z") SELECT "id", "x", "z" FROM "_retort_tmp_customer"`, `DROP TABLE "_retort_tmp_customer"`,
				`CREATE INDEX "ix_x" ON "customer" ("x")`}},
		{name: "postgres_plain", d: postgres.New(), a: batch.Alter{Table: "customer", Changes: []ops.Operation{
			ops.DropConstraint{Name: "uq_name", Kind: schema.ConstraintUnique}}},
			want: []string{`ALTER TABLE "customer" DROP CONSTRAINT "uq_name"`}},
		{name: "needs_table", d: sqlite.New(), a: batch.Alter{Table: "customer", Changes: []ops.Operation{
			ops.CreateCheckConstraint{Check: schema.Check("ck", "x > 0")}}}, wantErr: "CopyFrom"},
		{name: "index_on_dropped_column", d: sqlite.New(), a: batch.Alter{Table: "customer", CopyFrom: &customer, Recreate: batch.Always,
			Changes: []ops.Operation{ops.DropColumn{Column: "x"}}}, wantErr: "index ix_x uses the column"},
		{name: "no_such_constraint", d: sqlite.New(), a: batch.Alter{Table: "customer", CopyFrom: &customer, Changes: []ops.Operation{
			ops.DropConstraint{Name: "nope"}}}, wantErr: "no such constraint: nope (named constraints of customer: uq_name)"},
		{name: "not_a_batch_op", d: sqlite.New(), a: batch.Alter{Table: "customer", Changes: []ops.Operation{
			ops.DropTable{Table: "customer"}}}, wantErr: "does not apply to a batch"},
		{name: "using_on_sqlite", d: sqlite.New(), a: batch.Alter{Table: "customer", CopyFrom: &customer, Changes: []ops.Operation{
			ops.AlterColumn{Column: "x", Type: &schema.Text, Using: "x::text"}}}, wantErr: "USING is PostgreSQL's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.a.RenderSQL(tc.d)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				if tc.name == "needs_table" && !errors.Is(err, batch.ErrNeedsTable) {
					t.Errorf("error does not match ErrNeedsTable")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ";\n") != strings.Join(tc.want, ";\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, ";\n"), strings.Join(tc.want, ";\n"))
			}
		})
	}
}

// Reverse undoes each change, last first.
func TestReverse(t *testing.T) {
	t.Parallel()
	a := batch.Alter{Table: "customer", Changes: []ops.Operation{
		ops.AddColumn{Column: schema.Column("a", schema.Text)},
		ops.CreateUniqueConstraint{Unique: schema.Unique("uq_a", "a")},
	}}
	r, err := a.Reverse()
	if err != nil {
		t.Fatal(err)
	}
	rev := r.(batch.Alter)
	if len(rev.Changes) != 2 || rev.Table != "customer" {
		t.Fatalf("reverse = %+v", rev)
	}
	if d, ok := rev.Changes[0].(ops.DropConstraint); !ok || d.Name != "uq_a" {
		t.Errorf("first reverse change = %+v", rev.Changes[0])
	}
	if d, ok := rev.Changes[1].(ops.DropColumn); !ok || d.Column != "a" {
		t.Errorf("second reverse change = %+v", rev.Changes[1])
	}
}
