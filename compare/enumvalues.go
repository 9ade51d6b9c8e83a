package compare

import (
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// enumValueChanges compares the ordered value lists of one enum type,
// inspected (old) and declared (new), exactly:
//
//   - the same list: nothing;
//   - old is new with values inserted: one AddEnumValue per new value,
//     in the target's order, with no position when it comes after every
//     old value (ADD VALUE appends) and BEFORE the next old value
//     otherwise;
//   - the same length, where each position that differs holds a value
//     the other list lacks: each is a RenameEnumValue, followed by a
//     [Note] saying that a removal would need a hand-written migration
//     instead;
//   - anything else (a value removed, old values in another order):
//     a Note only, naming the values and the way to do it by hand.
//     PostgreSQL cannot remove or reorder enum values; autogenerate
//     writes no operation for the type rather than half of one, and
//     check reports the Note until the database matches.
func enumValueChanges(old, new *schema.Enum) []ops.Operation {
	if slices.Equal(old.Values, new.Values) {
		return nil
	}
	name := ops.Qualified(new.Schema, new.Name)
	if isSubsequence(old.Values, new.Values) {
		var out []ops.Operation
		for j, v := range new.Values {
			if slices.Contains(old.Values, v) {
				continue
			}
			add := ops.AddEnumValue{Schema: new.Schema, Enum: new.Name, Value: v}
			if k := slices.IndexFunc(new.Values[j+1:], func(w string) bool { return slices.Contains(old.Values, w) }); k >= 0 {
				add.Before = new.Values[j+1+k]
			}
			out = append(out, add)
		}
		return out
	}
	if renames, ok := enumRenames(old.Values, new.Values); ok {
		var out []ops.Operation
		var pairs []string
		for _, r := range renames {
			out = append(out, ops.RenameEnumValue{Schema: new.Schema, Enum: new.Name, Value: r[0], NewValue: r[1]})
			pairs = append(pairs, fmt.Sprintf("'%s' to '%s'", r[0], r[1]))
		}
		return append(out, Note{Text: fmt.Sprintf("enum %s: renamed %s, as the target has a new value where the old one was; "+
			"if the old value was removed rather than renamed, replace this by a hand-written migration (PostgreSQL cannot drop an enum value)",
			name, strings.Join(pairs, ", "))})
	}
	var removed []string
	for _, v := range old.Values {
		if !slices.Contains(new.Values, v) {
			removed = append(removed, "'"+v+"'")
		}
	}
	what := "reorders its values"
	if len(removed) > 0 {
		what = "removes " + strings.Join(removed, ", ")
	}
	return []ops.Operation{Note{Text: fmt.Sprintf("enum %s: the target %s (database: %s; target: %s); PostgreSQL cannot remove or reorder enum values, "+
		"so autogenerate writes nothing for this type: write the migration by hand (create the type anew under another name, "+
		"ALTER TABLE ... ALTER COLUMN ... TYPE it USING col::text::it for each column of it, drop the old type, rename the new one)",
		name, what, quoteValues(old.Values), quoteValues(new.Values))}}
}

// isSubsequence reports whether sub appears in list in the same order,
// possibly with other values between.
func isSubsequence(sub, list []string) bool {
	i := 0
	for _, v := range list {
		if i < len(sub) && sub[i] == v {
			i++
		}
	}
	return i == len(sub)
}

// enumRenames pairs old and new values position by position, when the
// lists have the same length and every position that differs holds a
// value the other list does not have.
func enumRenames(old, new []string) ([][2]string, bool) {
	if len(old) != len(new) {
		return nil, false
	}
	var out [][2]string
	for i := range old {
		if old[i] == new[i] {
			continue
		}
		if slices.Contains(new, old[i]) || slices.Contains(old, new[i]) {
			return nil, false
		}
		out = append(out, [2]string{old[i], new[i]})
	}
	return out, len(out) > 0
}

func quoteValues(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = "'" + v + "'"
	}
	return strings.Join(q, ", ")
}

// addedValueUses returns a [Note] when the operations after the
// AddEnumValue ones of p use a value they add: as a column default of
// the type, or quoted in a check, an index predicate or a view.
// PostgreSQL cannot use a new value in the transaction that adds it
// (SQLSTATE 55P04), and a revision is one transaction, so the note says
// how to split it. The runner refuses such a revision before it runs.
func addedValueUses(p *plan) []ops.Operation {
	type added struct{ schema, enum, value string }
	var adds []added
	for _, o := range p.createEnums {
		if a, ok := o.(ops.AddEnumValue); ok {
			adds = append(adds, added{a.Schema, a.Enum, a.Value})
		}
	}
	if len(adds) == 0 {
		return nil
	}
	var uses []string
	quoted := func(text, v string) bool { return strings.Contains(text, "'"+strings.ReplaceAll(v, "'", "''")+"'") }
	column := func(where string, c schema.ColumnDef, def *schema.DefaultValue) {
		for _, a := range adds {
			if c.Type.Kind == schema.KindEnum && c.Type.Schema == a.schema && c.Type.Name == a.enum &&
				def != nil && def.Kind == schema.DefaultLiteral && def.Value == a.value {
				uses = append(uses, fmt.Sprintf("'%s' as the default of %s.%s", a.value, where, c.Name))
			}
		}
	}
	text := func(what, t string) {
		for _, a := range adds {
			if quoted(t, a.value) {
				uses = append(uses, fmt.Sprintf("'%s' in %s", a.value, what))
			}
		}
	}
	for _, phase := range [][]ops.Operation{p.createTables, p.alters, p.createViews} {
		for _, o := range phase {
			switch o := o.(type) {
			case ops.CreateTable:
				name := ops.Qualified(o.Table.Schema, o.Table.Name)
				for _, c := range o.Table.Columns {
					column(name, c, &c.Default)
				}
				for _, k := range o.Table.Checks {
					text("check "+k.Name+" of "+name, k.Expr)
				}
				for _, ix := range o.Table.Indexes {
					text("index "+ix.Name, ix.Where)
				}
			case ops.AddColumn:
				column(ops.Qualified(o.Schema, o.Table), o.Column, &o.Column.Default)
			case ops.AlterColumn:
				if o.Existing != nil {
					c := *o.Existing
					if o.Type != nil {
						c.Type = *o.Type
					}
					column(ops.Qualified(o.Schema, o.Table), c, o.Default)
				}
			case ops.CreateCheckConstraint:
				text("check "+o.Check.Name+" of "+ops.Qualified(o.Schema, o.Table), o.Check.Expr)
			case ops.CreateIndex:
				text("index "+o.Index.Name, o.Index.Where)
			case ops.CreateView:
				text("view "+ops.Qualified(o.View.Schema, o.View.Name), o.View.Definition)
			}
		}
	}
	if len(uses) == 0 {
		return nil
	}
	return []ops.Operation{Note{Text: "this upgrade adds enum values and uses them (" + strings.Join(uses, ", ") + "); " +
		"PostgreSQL cannot use a new enum value in the transaction that adds it: move the ADD VALUE statements into a revision of their own, " +
		"before this one (and set transaction_per_migration = true, or add '-- +retort commit-before' to this one), " +
		"or add '-- +retort no-transaction' to this revision"}}
}
