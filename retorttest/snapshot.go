package retorttest

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/schema"
)

// snapshot is the schema of a database at one moment: objects by key
// ("table customer"), each described by lines that a diff compares.
// When an inspector made it, db holds the values and equality is
// schema's Equal; a catalog snapshot (no inspector) compares the lines.
type snapshot struct {
	db      *schema.Database
	objects map[string][]string
}

// snapshot takes a snapshot of the test's database through the
// dialect's inspector.
func (r *Runner) snapshot(ctx context.Context) (*snapshot, error) {
	if !r.canInspect() {
		return nil, fmt.Errorf("the %s dialect has no schema inspector (dialect.Inspectable), which the test kit compares database states with", r.db.dialect.Name())
	}
	db, err := r.Schema(ctx)
	if err != nil {
		return nil, err
	}
	return describeDatabase(db, r.db.dialect.Caps().DefaultSchema), nil
}

// describeDatabase describes every object of db.
func describeDatabase(db *schema.Database, defaultSchema string) *snapshot {
	s := &snapshot{db: db, objects: map[string][]string{}}
	for i := range db.Tables {
		t := &db.Tables[i]
		s.objects["table "+qualified(t.Schema, t.Name, defaultSchema)] = describeTable(t)
	}
	for _, v := range db.Views {
		s.objects["view "+qualified(v.Schema, v.Name, defaultSchema)] = []string{"as " + oneLine(v.Definition)}
	}
	for _, e := range db.Enums {
		s.objects["enum "+qualified(e.Schema, e.Name, defaultSchema)] = []string{"values " + strings.Join(e.Values, ", ")}
	}
	for _, q := range db.Sequences {
		s.objects["sequence "+qualified(q.Schema, q.Name, defaultSchema)] = []string{fmt.Sprintf("start %d increment %d min %d max %d cycle %v", q.Start, q.Increment, q.MinValue, q.MaxValue, q.Cycle)}
	}
	for _, f := range db.Functions {
		s.objects["function "+qualified(f.Schema, f.Name, defaultSchema)+"("+f.Args+")"] = []string{oneLine(f.Definition)}
	}
	for _, t := range db.Triggers {
		s.objects["trigger "+qualified(t.Schema, t.Name, defaultSchema)] = []string{"on " + t.Table + " " + oneLine(t.Definition)}
	}
	for _, n := range db.Schemas {
		s.objects["schema "+n] = nil
	}
	return s
}

// qualified names an object, leaving out the engine's default schema
// (dialect.Caps.DefaultSchema) so that a target written without schemas
// matches the inspected database.
func qualified(s, name, defaultSchema string) string {
	if s == "" || s == defaultSchema {
		return name
	}
	return s + "." + name
}

// describeTable describes a table in lines: columns in order, then
// keys, constraints and indexes sorted (Equal ignores their order).
func describeTable(t *schema.Table) []string {
	var lines []string
	for _, c := range t.Columns {
		l := "column " + c.Name + " " + c.Type.String()
		if !c.Nullable {
			l += " not null"
		}
		if !c.Default.IsZero() {
			l += " default " + c.Default.String()
		}
		if !c.Identity.IsZero() {
			l += fmt.Sprintf(" identity %s", c.Identity.Kind)
			if c.Identity.Start != 0 || c.Identity.Increment != 0 {
				l += fmt.Sprintf(" (start %d increment %d)", c.Identity.Start, c.Identity.Increment)
			}
		}
		if c.Comment != "" {
			l += fmt.Sprintf(" comment %q", c.Comment)
		}
		lines = append(lines, l)
	}
	var rest []string
	if pk := t.PrimaryKey; pk != nil {
		rest = append(rest, "primary key "+named(pk.Name)+"("+strings.Join(pk.Columns, ", ")+")")
	}
	for _, fk := range t.ForeignKeys {
		l := "foreign key " + named(fk.Name) + "(" + strings.Join(fk.Columns, ", ") + ") references " + qualified(fk.RefSchema, fk.RefTable, "") + "(" + strings.Join(fk.RefColumns, ", ") + ")"
		if fk.OnDelete != schema.NoAction {
			l += " on delete " + strings.ToLower(fk.OnDelete.String())
		}
		if fk.OnUpdate != schema.NoAction {
			l += " on update " + strings.ToLower(fk.OnUpdate.String())
		}
		rest = append(rest, l)
	}
	for _, u := range t.Uniques {
		rest = append(rest, "unique "+named(u.Name)+"("+strings.Join(u.Columns, ", ")+")")
	}
	for _, c := range t.Checks {
		rest = append(rest, "check "+named(c.Name)+"("+oneLine(c.Expr)+")")
	}
	for _, ix := range t.Indexes {
		l := "index " + ix.Name
		if ix.Unique {
			l = "unique " + l
		}
		var parts []string
		for _, p := range ix.Parts {
			part := p.Column
			if p.Expr != "" {
				part = "(" + oneLine(p.Expr) + ")"
			}
			if p.Desc {
				part += " desc"
			}
			parts = append(parts, part)
		}
		l += " (" + strings.Join(parts, ", ") + ")"
		if ix.Where != "" {
			l += " where " + oneLine(ix.Where)
		}
		rest = append(rest, l)
	}
	if t.Comment != "" {
		rest = append(rest, fmt.Sprintf("comment %q", t.Comment))
	}
	slices.Sort(rest)
	return append(lines, rest...)
}

func named(name string) string {
	if name == "" {
		return ""
	}
	return name + " "
}

// oneLine collapses white space, for SQL text in a line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// equal reports whether two snapshots describe the same schema.
func (s *snapshot) equal(o *snapshot) bool {
	if s.db != nil && o.db != nil {
		return databasesEqual(s.db, o.db)
	}
	return len(s.diff(o)) == 0
}

// databasesEqual compares every object with schema's Equal (or ==),
// ignoring order between objects.
func databasesEqual(a, b *schema.Database) bool {
	if len(a.Tables) != len(b.Tables) {
		return false
	}
	for i := range a.Tables {
		t := &a.Tables[i]
		u := b.Table(t.Schema, t.Name)
		if u == nil || !t.Equal(u) {
			return false
		}
	}
	return sameSet(a.Views, b.Views, func(x, y schema.View) bool { return x == y }) &&
		sameSet(a.Enums, b.Enums, schema.Enum.Equal) &&
		sameSet(a.Sequences, b.Sequences, func(x, y schema.Sequence) bool { return x == y }) &&
		sameSet(a.Functions, b.Functions, func(x, y schema.Function) bool { return x == y }) &&
		sameSet(a.Triggers, b.Triggers, func(x, y schema.Trigger) bool { return x == y }) &&
		sameSet(a.Schemas, b.Schemas, func(x, y string) bool { return x == y })
}

func sameSet[T any](a, b []T, eq func(T, T) bool) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.ContainsFunc(b, func(y T) bool { return eq(x, y) }) {
			return false
		}
	}
	return true
}

// diff lists the differences from s to o, object by object: "- " lines
// only in s, "+ " lines only in o. Objects only on one side are one
// line each.
func (s *snapshot) diff(o *snapshot) []string {
	keys := map[string]bool{}
	for k := range s.objects {
		keys[k] = true
	}
	for k := range o.objects {
		keys[k] = true
	}
	var out []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}) {
		a, inA := s.objects[k]
		b, inB := o.objects[k]
		switch {
		case !inB:
			out = append(out, "- "+k)
			continue
		case !inA:
			out = append(out, "+ "+k)
			continue
		}
		var lines []string
		for _, l := range a {
			if !slices.Contains(b, l) {
				lines = append(lines, "  - "+l)
			}
		}
		for _, l := range b {
			if !slices.Contains(a, l) {
				lines = append(lines, "  + "+l)
			}
		}
		if len(lines) == 0 && !slices.Equal(a, b) {
			lines = append(lines, "  columns in another order:", "  - "+strings.Join(columnsOf(a), ", "), "  + "+strings.Join(columnsOf(b), ", "))
		}
		if len(lines) > 0 {
			out = append(out, k+":")
			out = append(out, lines...)
		}
	}
	return out
}

func columnsOf(lines []string) []string {
	var out []string
	for _, l := range lines {
		if name, ok := strings.CutPrefix(l, "column "); ok {
			out = append(out, strings.Fields(name)[0])
		}
	}
	return out
}
