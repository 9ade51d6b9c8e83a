package compare_test

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/retortdb/retort/compare"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/render"
	"github.com/retortdb/retort/schema"
)

// person has a column of the named enum type mood, or of typ.
func person(typ schema.Type, extra ...schema.TableElement) schema.Table {
	return schema.NewTable("person", append([]schema.TableElement{
		schema.Column("id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("mood", typ, schema.NotNull(), schema.Default("ok")),
	}, extra...)...)
}

func moods(values ...string) []schema.Enum {
	return []schema.Enum{{Name: "mood", Values: values}}
}

// TestInlineEnumGolden: on MySQL a named enum type of the target is
// written into its columns (no CREATE TYPE), and a new value is a
// MODIFY COLUMN of each column of the type; on SQLite an enum column
// stays TEXT, as before. testdata/TestInlineEnumGolden/<case>.<dialect>.sql
// holds the script, <case>.<dialect>.go.golden the upgrade
// as Go.
func TestInlineEnumGolden(t *testing.T) {
	tests := []struct {
		name     string
		from, to *schema.Database
	}{
		{"create_table", &schema.Database{},
			&schema.Database{Enums: moods("sad", "ok", "it's great"), Tables: []schema.Table{person(schema.EnumType("mood"))}}},
		{"add_column", &schema.Database{Tables: []schema.Table{customer()}},
			&schema.Database{Enums: moods("sad", "ok"), Tables: []schema.Table{customer(schema.Column("mood", schema.EnumType("mood")))}}},
		{"add_value", &schema.Database{Tables: []schema.Table{person(schema.EnumOf("sad", "ok"))}},
			&schema.Database{Enums: moods("sad", "ok", "great"), Tables: []schema.Table{person(schema.EnumType("mood"),
				schema.Column("again", schema.EnumType("mood")))}}},
	}
	for _, tt := range tests {
		for _, d := range []dialect.Dialect{mysql.New(), sqlite.New()} {
			t.Run(tt.name+"/"+d.Name(), func(t *testing.T) {
				dirs, err := compare.Produce(tt.from, tt.to, tt.name, compare.Options{Dialect: d})
				if err != nil {
					t.Fatal(err)
				}
				up, down, err := render.Script(d, dirs.Upgrade, dirs.Downgrade)
				if err != nil {
					t.Fatal(err)
				}
				base := filepath.Join("testdata", "TestInlineEnumGolden", tt.name+"."+d.Name())
				golden(t, base+".sql", "-- +retort upgrade\n"+up+"\n-- +retort downgrade\n"+down)
				code, err := render.Go(dirs.Upgrade)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, base+".go.golden", code.Body)
			})
		}
	}
}

// TestInlineEnumSame: what MySQL reports for an enum column (EnumOf)
// equals the target's named type with the same values, and a column
// declared as raw ENUM(...) text; order and case of values count.
func TestInlineEnumSame(t *testing.T) {
	t.Parallel()
	inspected := &schema.Database{Tables: []schema.Table{person(schema.EnumOf("sad", "ok"))}}
	tests := []struct {
		name    string
		to      *schema.Database
		changes int
	}{
		{"named", &schema.Database{Enums: moods("sad", "ok"), Tables: []schema.Table{person(schema.EnumType("mood"))}}, 0},
		{"inline", &schema.Database{Tables: []schema.Table{person(schema.EnumOf("sad", "ok"))}}, 0},
		{"raw", &schema.Database{Tables: []schema.Table{person(schema.RawType("ENUM('sad', 'ok')"))}}, 0},
		{"reordered", &schema.Database{Enums: moods("ok", "sad"), Tables: []schema.Table{person(schema.EnumType("mood"))}}, 1},
		{"case", &schema.Database{Enums: moods("Sad", "ok"), Tables: []schema.Table{person(schema.EnumType("mood"))}}, 1},
		{"removed", &schema.Database{Enums: moods("ok"), Tables: []schema.Table{person(schema.EnumType("mood"))}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			list, err := compare.Compare(inspected, tt.to, compare.Options{Dialect: mysql.New()})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != tt.changes {
				t.Errorf("%d operations, want %d: %v", len(list), tt.changes, list)
			}
		})
	}
}

// TestInlineEnumUndeclared: a column of an enum type the target does
// not declare has no values to write on MySQL: bad input naming it.
func TestInlineEnumUndeclared(t *testing.T) {
	t.Parallel()
	to := &schema.Database{Tables: []schema.Table{person(schema.EnumType("tier"))}}
	_, err := compare.Compare(&schema.Database{}, to, compare.Options{Dialect: mysql.New()})
	var ue *schema.UndeclaredEnumError
	if !errors.As(err, &ue) || ue.Column != "mood" || !errors.Is(err, fault.ErrBadInput) {
		t.Fatalf("err = %v", err)
	}
	// SQLite stores any enum column as TEXT: nothing to look up.
	if _, err := compare.Compare(&schema.Database{}, to, compare.Options{Dialect: sqlite.New()}); err != nil {
		t.Errorf("sqlite: %v", err)
	}
}

// TestOnUpdate: MySQL's ON UPDATE clause is compared (NOW() and
// CURRENT_TIMESTAMP are the same), and a change is an AlterColumn that
// carries the old clause for the downgrade.
func TestOnUpdate(t *testing.T) {
	t.Parallel()
	touched := func(opts ...schema.ColumnOption) *schema.Database {
		return &schema.Database{Tables: []schema.Table{customer(schema.Column("touched", schema.TimestampTZ,
			append([]schema.ColumnOption{schema.NotNull(), schema.DefaultExpr("CURRENT_TIMESTAMP")}, opts...)...))}}
	}
	inspected := touched(schema.OnUpdateSet("CURRENT_TIMESTAMP"))
	tests := []struct {
		name string
		to   *schema.Database
		want []string // the new OnUpdate of each AlterColumn
	}{
		{"same", touched(schema.OnUpdateSet("CURRENT_TIMESTAMP")), nil},
		{"alias", touched(schema.OnUpdateSet("now()")), nil},
		{"removed", touched(), []string{""}},
		{"precision", touched(schema.OnUpdateSet("CURRENT_TIMESTAMP(6)")), []string{"CURRENT_TIMESTAMP(6)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			list, err := compare.Compare(inspected, tt.to, compare.Options{Dialect: mysql.New()})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, op := range list {
				a, ok := op.(ops.AlterColumn)
				if !ok || a.OnUpdate == nil || a.Existing.OnUpdate != "CURRENT_TIMESTAMP" {
					t.Fatalf("operation %#v", op)
				}
				got = append(got, *a.OnUpdate)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("OnUpdate changes %q, want %q", got, tt.want)
			}
		})
	}
}
