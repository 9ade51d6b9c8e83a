package retort_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// gen builds random target schemas in the canonical form the inspectors
// report, so that an applied target inspects back Equal.
type gen struct {
	r       *rand.Rand
	dialect string
	n       int // names made so far
}

func (g *gen) name(prefix string) string {
	g.n++
	return fmt.Sprintf("%s%d", prefix, g.n)
}

// colType returns a random type and a literal default that suits it.
func (g *gen) colType() (schema.Type, string) {
	switch g.r.IntN(12) {
	case 0:
		return schema.SmallInt, "3"
	case 1:
		return schema.Integer, "42"
	case 2:
		return schema.BigInt, "7"
	case 3:
		if g.dialect == "mysql" {
			return schema.Boolean, "0" // BOOL is TINYINT(1): 'false' reads back 0
		}
		return schema.Boolean, "false"
	case 4:
		return schema.Text, "abc"
	case 5:
		return schema.Varchar(10 + g.r.IntN(200)), "x"
	case 6:
		return schema.Char(1 + g.r.IntN(5)), "y"
	case 7:
		if g.dialect == "mysql" {
			return schema.Numeric(10, 2), "1.50" // read back at the column's scale
		}
		return schema.Numeric(10, 2), "1.5"
	case 8:
		return schema.Double, ""
	case 9:
		return schema.Date, ""
	case 10:
		return schema.TimestampTZ, ""
	}
	return schema.Bytes, ""
}

func (g *gen) column() schema.ColumnDef {
	typ, def := g.colType()
	c := schema.Column(g.name("c"), typ)
	if g.r.IntN(3) == 0 {
		c.Nullable = false
	}
	if def != "" && g.r.IntN(2) == 0 {
		c.Default = schema.Literal(def)
	}
	if g.dialect == "postgres" && g.r.IntN(4) == 0 {
		c.Comment = "column " + c.Name
	}
	return c
}

func (g *gen) table(others []schema.Table) schema.Table {
	name := g.name("t")
	pk := name + "_pkey"
	if g.dialect == "mysql" {
		pk = "" // MySQL calls every primary key PRIMARY
	}
	t := schema.Table{Name: name, PrimaryKey: &schema.PrimaryKeyDef{Name: pk, Columns: []string{"id"}}}
	t.Columns = []schema.ColumnDef{{Name: "id", Type: schema.BigInt, PrimaryKey: true}}
	for range 1 + g.r.IntN(4) {
		t.Columns = append(t.Columns, g.column())
	}
	if g.r.IntN(3) == 0 {
		t.Columns = append(t.Columns, schema.Column(g.name("g"), schema.BigInt, schema.GeneratedStored("id * 2")))
	}
	if len(others) > 0 && g.r.IntN(2) == 0 {
		g.addForeignKey(&t, others[g.r.IntN(len(others))].Name)
	}
	for range g.r.IntN(3) {
		g.addConstraint(&t)
	}
	if g.dialect == "postgres" && g.r.IntN(3) == 0 {
		t.Comment = "table " + name
	}
	t.Normalize()
	return t
}

func (g *gen) addForeignKey(t *schema.Table, ref string) {
	col := schema.Column(g.name("ref"), schema.BigInt)
	t.Columns = append(t.Columns, col)
	actions := []schema.Action{schema.NoAction, schema.Cascade, schema.SetNull, schema.Restrict}
	if g.dialect == "mysql" {
		actions = actions[:3] // InnoDB's RESTRICT is NO ACTION
	}
	t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKeyDef{Name: g.name("fk_" + t.Name + "_"), Columns: []string{col.Name},
		RefTable: ref, RefColumns: []string{"id"}, OnDelete: actions[g.r.IntN(len(actions))]})
}

// addConstraint adds an index, a unique constraint or a check on a
// column that is not the key.
func (g *gen) addConstraint(t *schema.Table) {
	col := t.Columns[1+g.r.IntN(len(t.Columns)-1)]
	k := g.r.IntN(3)
	if g.dialect == "mysql" && k < 2 && (col.Type.Kind == schema.KindText || col.Type.Kind == schema.KindBytes ||
		slices.ContainsFunc(t.ForeignKeys, func(fk schema.ForeignKeyDef) bool { return slices.Contains(fk.Columns, col.Name) })) {
		// MySQL keys TEXT and BLOB columns only by a prefix, and an
		// index on a foreign key's column serves the key and cannot be
		// dropped while the key exists.
		return
	}
	switch k {
	case 0:
		ix := schema.Index(g.name("ix_"+t.Name+"_"), col.Name)
		// On MySQL a unique index is a unique constraint.
		ix.Unique = g.dialect != "mysql" && g.r.IntN(2) == 0
		t.Indexes = append(t.Indexes, ix)
	case 1:
		// PostgreSQL's CREATE TABLE silently drops a duplicate unique
		// constraint.
		if !slices.ContainsFunc(t.Uniques, func(u schema.UniqueDef) bool { return slices.Equal(u.Columns, []string{col.Name}) }) {
			t.Uniques = append(t.Uniques, schema.Unique(g.name("uq_"+t.Name+"_"), col.Name))
		}
	default:
		// A check the inspectors print back as written: a comparison
		// of an integer column with an integer.
		if col.Type.Kind.IsInteger() {
			t.Checks = append(t.Checks, schema.Check(g.name("ck_"+t.Name+"_"), col.Name+" >= 0"))
		}
	}
}

func (g *gen) database() *schema.Database {
	db := &schema.Database{}
	for range 2 + g.r.IntN(4) {
		db.Tables = append(db.Tables, g.table(db.Tables))
	}
	// A view on the first table (which mutate never drops), and on
	// PostgreSQL and MySQL an enum type and a column of it (on MySQL an
	// inline ENUM column).
	db.Views = []schema.View{{Name: "v_" + db.Tables[0].Name, Definition: "SELECT id FROM " + db.Tables[0].Name}}
	if g.dialect != "sqlite" {
		db.Enums = []schema.Enum{{Name: "mood", Values: []string{"sad", "ok"}}}
		t := &db.Tables[0]
		t.Columns = append(t.Columns, schema.Column("mood", schema.EnumType("mood")))
	}
	return db
}

func cloneDB(d *schema.Database) *schema.Database {
	c := &schema.Database{Views: slices.Clone(d.Views)}
	for _, e := range d.Enums {
		e.Values = slices.Clone(e.Values)
		c.Enums = append(c.Enums, e)
	}
	for _, t := range d.Tables {
		t.Columns = slices.Clone(t.Columns)
		t.ForeignKeys = slices.Clone(t.ForeignKeys)
		t.Uniques = slices.Clone(t.Uniques)
		t.Checks = slices.Clone(t.Checks)
		t.Indexes = slices.Clone(t.Indexes)
		c.Tables = append(c.Tables, t)
	}
	return c
}

// used reports whether a constraint, index or foreign key of t uses col.
func used(t *schema.Table, col string) bool {
	for _, fk := range t.ForeignKeys {
		if slices.Contains(fk.Columns, col) {
			return true
		}
	}
	for _, u := range t.Uniques {
		if slices.Contains(u.Columns, col) {
			return true
		}
	}
	for _, c := range t.Checks {
		if c.Expr == col+" >= 0" {
			return true
		}
	}
	for _, ix := range t.Indexes {
		if slices.Contains(ix.Columns(), col) {
			return true
		}
	}
	return false
}

// mutate changes the target as a developer would: columns added and
// dropped, nullability, types and defaults changed, indexes,
// constraints and foreign keys added and dropped, tables added and
// dropped.
func (g *gen) mutate(d *schema.Database) []string {
	var did []string
	for range 2 + g.r.IntN(5) {
		t := &d.Tables[g.r.IntN(len(d.Tables))]
		col := 1 + g.r.IntN(len(t.Columns)-1)
		c := &t.Columns[col]
		switch g.r.IntN(13) {
		case 12:
			// A generated column's expression changes: it is dropped and
			// added again, so it moves to the end.
			if !c.Computed.IsZero() {
				nc := *c
				nc.Computed.Expr = "id * 3"
				t.Columns = append(slices.Delete(t.Columns, col, col+1), nc)
				did = append(did, "expression of "+nc.Name)
			}
		case 11:
			if len(d.Enums) > 0 {
				d.Enums[0].Values = append(d.Enums[0].Values, g.name("mood"))
				did = append(did, "add enum value")
			}
		case 0:
			nc := g.column()
			if !nc.Nullable && nc.Default.IsZero() {
				nc.Nullable = true
			}
			t.Columns = append(t.Columns, nc)
			did = append(did, "add column "+nc.Name)
		case 1:
			if !used(t, c.Name) && len(t.Columns) > 2 {
				did = append(did, "drop column "+c.Name)
				t.Columns = slices.Delete(t.Columns, col, col+1)
			}
		case 2:
			if !c.Computed.IsZero() {
				continue
			}
			c.Nullable = !c.Nullable
			did = append(did, "nullability of "+c.Name)
		case 3:
			if used(t, c.Name) {
				continue
			}
			switch c.Type.Kind {
			case schema.KindSmallInt:
				c.Type = schema.Integer
			case schema.KindInteger:
				c.Type = schema.BigInt
			case schema.KindVarchar:
				c.Type = schema.Varchar(c.Type.Length + 5)
			case schema.KindChar:
				c.Type = schema.Text
				c.Default = schema.DefaultValue{}
			default:
				continue
			}
			did = append(did, "type of "+c.Name)
		case 4:
			if c.Default.IsZero() {
				if _, def := g.colType(); def != "" && c.Type.Kind == schema.KindText {
					c.Default = schema.Literal("changed")
				}
			} else {
				c.Default = schema.DefaultValue{}
			}
			did = append(did, "default of "+c.Name)
		case 5:
			g.addConstraint(t)
			did = append(did, "add constraint or index on "+t.Name)
		case 6:
			switch {
			case len(t.Indexes) > 0:
				t.Indexes = t.Indexes[1:]
			case len(t.Uniques) > 0:
				t.Uniques = t.Uniques[1:]
			case len(t.Checks) > 0:
				t.Checks = t.Checks[1:]
			}
			did = append(did, "drop constraint or index on "+t.Name)
		case 7:
			g.addForeignKey(t, d.Tables[g.r.IntN(len(d.Tables))].Name)
			did = append(did, "add foreign key on "+t.Name)
		case 8:
			if len(t.ForeignKeys) > 0 {
				t.ForeignKeys = t.ForeignKeys[1:]
				did = append(did, "drop foreign key on "+t.Name)
			}
		case 9:
			nt := g.table(d.Tables)
			d.Tables = append(d.Tables, nt)
			did = append(did, "add table "+nt.Name)
		case 10:
			i := 1 + g.r.IntN(len(d.Tables)-1)
			name := d.Tables[i].Name
			if len(d.Tables) < 2 || slices.ContainsFunc(d.Tables, func(o schema.Table) bool {
				return o.Name != name && slices.ContainsFunc(o.ForeignKeys, func(fk schema.ForeignKeyDef) bool { return fk.RefTable == name })
			}) {
				continue
			}
			d.Tables = slices.Delete(d.Tables, i, i+1)
			did = append(did, "drop table "+name)
		}
	}
	for i := range d.Tables {
		d.Tables[i].Normalize()
	}
	return did
}

// sameTables fails unless the database env runs on holds exactly the
// tables of want. A downgrade adds a dropped column back last, so
// there column order is not compared (byName).
func sameTables(t *testing.T, env *retort.Env, want *schema.Database, step string, byName ...bool) {
	t.Helper()
	got, err := env.Inspect(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if env.Dialect().Caps().InlineEnums {
		if want, err = want.InlineEnums(); err != nil {
			t.Fatal(err)
		}
	}
	if len(got.Tables) != len(want.Tables) {
		t.Errorf("%s: %d tables, want %d", step, len(got.Tables), len(want.Tables))
	}
	for _, w := range want.Tables {
		g := got.Table(w.Schema, w.Name)
		if g != nil && len(byName) > 0 {
			byColumnName := func(a, b schema.ColumnDef) int { return strings.Compare(a.Name, b.Name) }
			slices.SortFunc(g.Columns, byColumnName)
			w.Columns = slices.Clone(w.Columns)
			slices.SortFunc(w.Columns, byColumnName)
		}
		if !g.Equal(&w) {
			t.Errorf("%s: table %s differs:\n got  %+v\n want %+v", step, w.Name, g, w)
		}
	}
}

// autogenerate runs env.Autogenerate and fails the test on error.
func autogenerate(t *testing.T, env *retort.Env) []ops.Operation {
	t.Helper()
	d, err := env.Autogenerate(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	return d.Upgrade
}

// TestAutogenerateRoundTrip is the property test: random targets are
// autogenerated against an empty database, applied, and compared again
// (nothing left); then mutated, autogenerated, applied (SQLite through
// batch mode) and compared with the inspected database; then the
// downgrade brings the first target back.
func TestAutogenerateRoundTrip(t *testing.T) {
	for _, b := range allBackends() {
		t.Run(b.name, func(t *testing.T) {
			for seed := range uint64(16) {
				t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
					roundTrip(t, b, seed)
				})
			}
		})
	}
}

func roundTrip(t *testing.T, b backend, seed uint64) {
	g := &gen{r: rand.New(rand.NewPCG(seed, 0x5eed)), dialect: b.name}
	first := g.database()
	target := first
	cfg := writeProject(t, t.TempDir(), b.url(t), nil, "")
	env := open(t, cfg, retort.WithTarget(target))
	ctx := t.Context()

	up, err := env.Autogenerate(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.RunOperations(ctx, up.Upgrade...); err != nil {
		t.Fatalf("apply %q: %v", describeOps(up.Upgrade), err)
	}
	sameTables(t, env, first, "first")
	if left := autogenerate(t, env); len(left) > 0 {
		t.Fatalf("after applying, still: %q", describeOps(left))
	}

	second := cloneDB(first)
	did := g.mutate(second)
	env2 := open(t, cfg, retort.WithTarget(second))
	d, err := env2.Autogenerate(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := env2.RunOperations(ctx, d.Upgrade...); err != nil {
		t.Fatalf("mutations %q: apply %q: %v", did, describeOps(d.Upgrade), err)
	}
	sameTables(t, env2, second, fmt.Sprintf("after %q", did))
	if left := autogenerate(t, env2); len(left) > 0 {
		t.Fatalf("after %q, still: %q", did, describeOps(left))
	}
	if err := env2.RunOperations(ctx, d.Downgrade...); err != nil {
		t.Fatalf("mutations %q: downgrade %q: %v", did, describeOps(d.Downgrade), err)
	}
	sameTables(t, env2, first, fmt.Sprintf("downgrade of %q", did), true)
	if err := env.RunOperations(ctx, up.Downgrade...); err != nil {
		t.Fatal(err)
	}
	sameTables(t, env, &schema.Database{}, "downgrade to empty")
}

func describeOps(list []ops.Operation) []string {
	var out []string
	for _, o := range list {
		out = append(out, o.Describe())
	}
	return out
}
