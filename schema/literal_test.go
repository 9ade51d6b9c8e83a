package schema_test

import (
	"strings"
	"testing"

	"github.com/retortdb/retort/schema"
)

func TestCutQuoted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		in          string
		value, rest string
		ok          bool
	}{
		{name: "empty input", in: ""},
		{name: "no quote", in: "abc"},
		{name: "quote not first", in: " 'abc'"},
		{name: "empty literal", in: "''", ok: true},
		{name: "plain", in: "'abc'", value: "abc", ok: true},
		{name: "doubled quote", in: "'it''s'", value: "it's", ok: true},
		{name: "only a doubled quote", in: "''''", value: "'", ok: true},
		{name: "doubled quotes at both ends", in: "'''a'''", value: "'a'", ok: true},
		{name: "empty literal then text", in: "'' x", rest: " x", ok: true},
		{name: "trailing cast", in: "'0'::integer", value: "0", rest: "::integer", ok: true},
		{name: "trailing text kept as it is", in: "'a' , 'b'", value: "a", rest: " , 'b'", ok: true},
		{name: "backslash is text", in: `'a\'`, value: `a\`, ok: true},
		{name: "unterminated", in: "'abc"},
		{name: "lone quote", in: "'"},
		{name: "unterminated after a doubled quote", in: "'a''"},
		{name: "unterminated, doubled quote last", in: "'a''b''"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			value, rest, ok := schema.CutQuoted(tt.in)
			if value != tt.value || rest != tt.rest || ok != tt.ok {
				t.Errorf("CutQuoted(%q) = %q, %q, %v, want %q, %q, %v", tt.in, value, rest, ok, tt.value, tt.rest, tt.ok)
			}
		})
	}
}

// FuzzCutQuoted: CutQuoted never panics; a literal it reads, quoted
// again, followed by the rest, is the input; when it reads none, it
// returns nothing.
func FuzzCutQuoted(f *testing.F) {
	for _, s := range []string{"", "x", "'", "''", "'a'", "'it''s' rest", "'a''", "''''", "'a'::text", `'\'`, "'é'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		value, rest, ok := schema.CutQuoted(s)
		if !ok {
			if value != "" || rest != "" {
				t.Fatalf("CutQuoted(%q) = %q, %q, false: want empty value and rest", s, value, rest)
			}
			return
		}
		if again := "'" + strings.ReplaceAll(value, "'", "''") + "'" + rest; again != s {
			t.Fatalf("CutQuoted(%q) = %q, %q: quoted again %q", s, value, rest, again)
		}
	})
}
