package postgres

import (
	"testing"

	"github.com/retortdb/retort/schema"
)

func TestDefaultOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want schema.DefaultValue
	}{
		{"", schema.DefaultValue{}},
		{"42", schema.Literal("42")},
		{"-2.5", schema.Literal("-2.5")},
		{"true", schema.Literal("true")},
		{"'x'::text", schema.Literal("x")},
		{"'it''s'::character varying", schema.Literal("it's")},
		{"'-1'::integer", schema.Literal("-1")},
		{"'{}'::integer[]", schema.Literal("{}")},
		{`'ok'::"My Enum"`, schema.Literal("ok")},
		{"'new'::other.status", schema.Literal("new")},
		{"'2020-01-01 00:00:00'::timestamp without time zone", schema.Literal("2020-01-01 00:00:00")},
		{"now()", schema.Expr("now()")},
		{"CURRENT_TIMESTAMP", schema.Expr("CURRENT_TIMESTAMP")},
		{"'a'::text || 'b'::text", schema.Expr("'a'::text || 'b'::text")},
		{"'a'::text || lower(x)", schema.Expr("'a'::text || lower(x)")},
		{"nextval('s'::regclass)", schema.Expr("nextval('s'::regclass)")},
		{"'unterminated", schema.Expr("'unterminated")},
	} {
		if got := defaultOf(c.in); got != c.want {
			t.Errorf("defaultOf(%q) = %#v, want %#v", c.in, got, c.want)
		}
	}
}

func TestUnparen(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"(a > 0)":            "a > 0",
		"(a) + (b)":          "(a) + (b)",
		"((a))":              "(a)",
		"lower(x)":           "lower(x)",
		"(a = ')')":          "a = ')'",
		`("we)ird" IS NULL)`: `"we)ird" IS NULL`,
		"":                   "",
		"CHECK (a > 0)":      "CHECK (a > 0)",
	} {
		if got := unparen(in); got != want {
			t.Errorf("unparen(%q) = %q, want %q", in, got, want)
		}
	}
	if got := checkExpr("CHECK (v > 0) NOT VALID"); got != "v > 0" {
		t.Errorf("checkExpr NOT VALID = %q", got)
	}
}

func TestColumnType(t *testing.T) {
	t.Parallel()
	in := &inspection{current: "public"}
	for _, c := range []struct {
		format, typname, nsp, typtype string
		typmod                        int
		coll                          string
		want                          schema.Type
	}{
		{"integer", "int4", "pg_catalog", "b", -1, "", schema.Integer},
		{"character varying(20)", "varchar", "pg_catalog", "b", 24, "", schema.Varchar(20)},
		{"character varying", "varchar", "pg_catalog", "b", -1, "", schema.Varchar(0)},
		{"character(3)", "bpchar", "pg_catalog", "b", 7, "", schema.Char(3)},
		{"bpchar", "bpchar", "pg_catalog", "b", -1, "", schema.RawType("bpchar")},
		{"numeric(12,2)", "numeric", "pg_catalog", "b", 12<<16 | 2 + 4, "", schema.Numeric(12, 2)},
		{"numeric", "numeric", "pg_catalog", "b", -1, "", schema.Numeric(0, 0)},
		{"numeric(3,5)", "numeric", "pg_catalog", "b", 3<<16 | 5 + 4, "", schema.RawType("numeric(3,5)")},
		{"timestamp(3) without time zone", "timestamp", "pg_catalog", "b", 3, "", schema.RawType("timestamp(3) without time zone")},
		{"mood", "mood", "public", "e", -1, "", schema.EnumType("mood")},
		{"other.status", "status", "other", "e", -1, "", schema.EnumTypeIn("other", "status")},
		{"text", "text", "pg_catalog", "b", -1, `"C"`, schema.RawType(`text COLLATE "C"`)},
		{"integer[]", "_int4", "pg_catalog", "b", -1, "", schema.RawType("integer[]")},
		{"citext", "citext", "public", "b", -1, "", schema.RawType("citext")},
	} {
		if got := in.columnType(c.format, c.typname, c.nsp, c.typtype, c.typmod, c.coll); got != c.want {
			t.Errorf("columnType(%q) = %v, want %v", c.format, got, c.want)
		}
	}
}
