package compare_test

import (
	"strings"
	"testing"

	"github.com/retortdb/retort/compare"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// TestEnumValues: the value lists of an enum type are compared exactly,
// in order, on PostgreSQL.
func TestEnumValues(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		old, new []string
		up, down []string
		// note is a part of the Note's text, when the result is one.
		note string
		// before is each AddEnumValue's Before ("" appends).
		before []string
	}{
		{name: "same", old: []string{"a", "b"}, new: []string{"a", "b"}},
		{name: "added at the end", old: []string{"a", "b"}, new: []string{"a", "b", "c", "d"},
			up:   []string{"add value c to enum s.mood", "add value d to enum s.mood"},
			down: []string{"add value d to enum s.mood cannot be reversed: PostgreSQL cannot drop an enum value; recreate the type in the downgrade by hand", "add value c to enum s.mood cannot be reversed: PostgreSQL cannot drop an enum value; recreate the type in the downgrade by hand"}},
		{name: "added in the middle and first", old: []string{"b", "d"}, new: []string{"a", "b", "c1", "c2", "d", "e"},
			up:     []string{"add value a to enum s.mood", "add value c1 to enum s.mood", "add value c2 to enum s.mood", "add value e to enum s.mood"},
			before: []string{"b", "d", "d", ""}},
		{name: "renamed", old: []string{"a", "b", "c"}, new: []string{"a", "x", "c"},
			up:   []string{"rename value b of enum s.mood to x", "enum s.mood: renamed 'b' to 'x', as the target has a new value where the old one was; if the old value was removed rather than renamed, replace this by a hand-written migration (PostgreSQL cannot drop an enum value)"},
			down: []string{"enum s.mood: renamed 'b' to 'x', as the target has a new value where the old one was; if the old value was removed rather than renamed, replace this by a hand-written migration (PostgreSQL cannot drop an enum value)", "rename value x of enum s.mood to b"}},
		{name: "removed", old: []string{"a", "b", "c"}, new: []string{"a", "c"}, note: "the target removes 'b' (database: 'a', 'b', 'c'; target: 'a', 'c'); PostgreSQL cannot remove or reorder enum values"},
		{name: "removed and added", old: []string{"a", "b"}, new: []string{"a", "c", "d"}, note: "the target removes 'b'"},
		{name: "reordered", old: []string{"a", "b"}, new: []string{"b", "a"}, note: "the target reorders its values"},
		{name: "swap is no rename", old: []string{"a", "b", "c"}, new: []string{"c", "b", "a"}, note: "reorders"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			from := &schema.Database{Enums: []schema.Enum{{Schema: "s", Name: "mood", Values: c.old}}}
			to := &schema.Database{Enums: []schema.Enum{{Schema: "s", Name: "mood", Values: c.new}}}
			d := produce(t, from, to, compare.Options{IncludeSchemas: []string{"s"}})
			if c.note != "" {
				if len(d.Upgrade) != 1 || !strings.Contains(d.Upgrade[0].Describe(), c.note) || !strings.Contains(d.Upgrade[0].Describe(), "write the migration by hand") {
					t.Fatalf("upgrade %q, want one note with %q", describe(d.Upgrade), c.note)
				}
				if _, ok := d.Upgrade[0].(compare.Note); !ok {
					t.Errorf("%T, want a compare.Note", d.Upgrade[0])
				}
				return
			}
			wantOps(t, "upgrade", d.Upgrade, c.up...)
			if c.down != nil {
				wantOps(t, "downgrade", d.Downgrade, c.down...)
			}
			for i, b := range c.before {
				if add := d.Upgrade[i].(ops.AddEnumValue); add.Before != b || add.After != "" {
					t.Errorf("%s: Before %q, After %q; want Before %q", add.Describe(), add.Before, add.After, b)
				}
			}
		})
	}
}

// TestEnumValueUsedInSameUpgrade: an upgrade that adds an enum value and
// uses it (a default, a check, an index predicate) carries a note on
// how to split it; one that does not use it carries none.
func TestEnumValueUsedInSameUpgrade(t *testing.T) {
	t.Parallel()
	from := &schema.Database{Enums: []schema.Enum{{Name: "mood", Values: []string{"a", "b"}}}}
	person := schema.NewTable("person", schema.Column("id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("mood", schema.EnumType("mood"), schema.NotNull(), schema.Default("c")),
		schema.ExprIndex("ix_person_c", "id").Partial("mood = 'c'"))
	to := &schema.Database{Enums: []schema.Enum{{Name: "mood", Values: []string{"a", "b", "c"}}}, Tables: []schema.Table{person}}
	d := produce(t, from, to, compare.Options{})
	got := describe(d.Upgrade)
	if len(got) != 3 || got[0] != "add value c to enum mood" || got[2] != "create table person" ||
		!strings.Contains(got[1], "'c' as the default of person.mood, 'c' in index ix_person_c") || !strings.Contains(got[1], "-- +retort no-transaction") {
		t.Errorf("upgrade %q", got)
	}
	to.Tables[0].Columns[1].Default = schema.Literal("a")
	to.Tables[0].Indexes = nil
	wantOps(t, "no use", produce(t, from, to, compare.Options{}).Upgrade, "add value c to enum mood", "create table person")
}
