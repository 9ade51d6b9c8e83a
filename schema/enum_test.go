package schema_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/retortdb/retort/schema"
)

func TestEnumOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values []string
	}{
		{"plain", []string{"sad", "ok", "great"}},
		{"quotes and commas", []string{"it's", "a,b", "''", ""}},
		{"backslash and spaces", []string{`back\slash`, " lead", "in side"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			typ := schema.EnumOf(tt.values...)
			if !typ.IsInlineEnum() || typ.Kind != schema.KindEnum || typ.Name != "" {
				t.Fatalf("EnumOf = %#v", typ)
			}
			if got := typ.EnumValues(); !slices.Equal(got, tt.values) {
				t.Errorf("EnumValues = %q, want %q", got, tt.values)
			}
			if typ != schema.EnumOf(slices.Clone(tt.values)...) {
				t.Error("equal value lists make unequal types")
			}
			// The target cache keeps types as JSON.
			data, err := json.Marshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			var back schema.Type
			if err := json.Unmarshal(data, &back); err != nil || back != typ {
				t.Errorf("JSON round trip: %#v, %v", back, err)
			}
			if parsed, err := schema.ParseType(typ.String()); err != nil || parsed != typ {
				t.Errorf("ParseType(%q) = %#v, %v", typ.String(), parsed, err)
			}
		})
	}
	if schema.EnumOf("a", "b") == schema.EnumOf("b", "a") {
		t.Error("order does not count")
	}
	if schema.EnumType("mood").IsInlineEnum() || schema.EnumType("mood").EnumValues() != nil || schema.Text.EnumValues() != nil {
		t.Error("a named enum type or text has inline values")
	}
}

func TestInlineEnums(t *testing.T) {
	t.Parallel()
	db := &schema.Database{
		Enums: []schema.Enum{{Name: "mood", Values: []string{"sad", "ok"}}, {Schema: "app", Name: "mood", Values: []string{"x"}}},
		Tables: []schema.Table{
			schema.NewTable("person", schema.Column("id", schema.Integer), schema.Column("mood", schema.EnumType("mood"), schema.NotNull()),
				schema.Column("other", schema.EnumTypeIn("app", "mood"))),
			schema.NewTable("plain", schema.Column("id", schema.Integer)),
		},
	}
	got, err := db.InlineEnums()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Enums) != 0 {
		t.Errorf("Enums = %v, want none", got.Enums)
	}
	p := got.Table("", "person")
	if c, _ := p.Column("mood"); c.Type != schema.EnumOf("sad", "ok") || c.Nullable {
		t.Errorf("mood = %+v", c)
	}
	if c, _ := p.Column("other"); c.Type != schema.EnumOf("x") {
		t.Errorf("other = %+v", c)
	}
	if c, _ := db.Tables[0].Column("mood"); c.Type != schema.EnumType("mood") || len(db.Enums) != 2 {
		t.Error("InlineEnums changed its receiver")
	}

	db.Tables = append(db.Tables, schema.NewTable("late", schema.Column("tier", schema.EnumType("tier"))))
	_, err = db.InlineEnums()
	var ue *schema.UndeclaredEnumError
	if !errors.As(err, &ue) || ue.Table != "late" || ue.Column != "tier" || ue.Enum != schema.EnumType("tier") {
		t.Errorf("undeclared enum: %v", err)
	}
}

// An inline enum type carries its values: MySQL renders it ENUM('sad',
// 'ok'). A target schema that declares a named enum type, as for
// PostgreSQL, becomes the same on MySQL with InlineEnums.
func ExampleEnumOf() {
	mood := schema.EnumOf("sad", "it's ok")
	fmt.Println(mood, mood.EnumValues())

	db := &schema.Database{
		Enums:  []schema.Enum{{Name: "mood", Values: []string{"sad", "it's ok"}}},
		Tables: []schema.Table{schema.NewTable("person", schema.Column("mood", schema.EnumType("mood")))},
	}
	inline, _ := db.InlineEnums()
	c, _ := inline.Tables[0].Column("mood")
	fmt.Println(c.Type == mood, len(inline.Enums))
	// Output:
	// enum('sad','it''s ok') [sad it's ok]
	// true 0
}
