package compare

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/retortdb/retort/batch"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// key names a table, view or enum.
type key struct{ schema, name string }

func (k key) String() string { return ops.Qualified(k.schema, k.name) }

func keyCmp(a, b key) int {
	return cmp.Or(cmp.Compare(a.schema, b.schema), cmp.Compare(a.name, b.name))
}

// comparer holds one comparison.
type comparer struct {
	opts    Options
	fl      flavour
	schemas map[string]bool
}

// Compare returns the operations that bring the inspected database from
// to the target schema to, in an order that runs: the named schemas
// that new objects need and from lacks (never a drop of one: see
// createSchemas), enum types and new tables first (tables in
// foreign-key order), then each changed table in name order (foreign
// keys dropped before and created after the other changes of every
// table), new views, dropped tables (in reverse
// foreign-key order) and dropped enum types last. Every operation that
// removes or changes something carries what was there in its Existing
// fields, so its Reverse is exact. On SQLite, the changes to a table
// that its ALTER TABLE cannot make are grouped into one [batch.Alter]
// (batch mode), whose CopyFrom is the inspected table. On MySQL
// ([dialect.Caps].InlineEnums), the target's named enum types are
// written into the columns that use them ([schema.Database.InlineEnums]):
// no enum type is created, and a change of values alters those columns.
func Compare(from, to *schema.Database, opts Options) ([]ops.Operation, error) {
	if from == nil {
		from = &schema.Database{}
	}
	if to == nil {
		to = &schema.Database{}
	}
	c := &comparer{opts: opts, fl: flavourOf(opts.Dialect), schemas: map[string]bool{"": true}}
	for _, s := range opts.IncludeSchemas {
		c.schemas[s] = true
	}
	if c.fl.inline {
		// MySQL: a named enum type becomes the type of its columns
		// (and is no object of its schema).
		inlined, err := to.InlineEnums()
		if err != nil {
			return nil, fault.BadInput(fmt.Errorf("target schema: %w", err))
		}
		to = inlined
	}
	if err := outsideSchemas(to, c.schemas); err != nil {
		return nil, err
	}
	for s := range c.schemas {
		if !opts.includeName(Name{Type: SchemaObject, Name: s}) {
			delete(c.schemas, s)
		}
	}
	var p plan
	if err := c.tables(from, to, &p); err != nil {
		return nil, err
	}
	c.views(from, to, &p)
	c.enums(from, to, &p)
	c.createSchemas(from, to, &p)
	p.createEnums = append(p.createEnums, addedValueUses(&p)...)
	return p.list(), nil
}

// plan collects operations by phase; list puts the phases in order.
type plan struct {
	createSchemas                                      []ops.Operation
	createEnums, dropViews, createTables, tableFKsLate []ops.Operation
	dropFKs, alters, createFKs                         []ops.Operation
	createViews, dropTables, dropEnums                 []ops.Operation
}

func (p *plan) list() []ops.Operation {
	var out []ops.Operation
	for _, ph := range [][]ops.Operation{
		p.createSchemas, p.createEnums, p.dropViews, p.createTables, p.tableFKsLate, p.dropFKs, p.alters,
		p.createFKs, p.createViews, p.dropTables, p.dropEnums,
	} {
		out = append(out, ph...)
	}
	return out
}

func (c *comparer) tables(from, to *schema.Database, p *plan) error {
	vt := c.opts.versionTable()
	inspected := map[key]*schema.Table{}
	for i := range from.Tables {
		t := &from.Tables[i]
		k := key{t.Schema, t.Name}
		if !c.schemas[t.Schema] || (slices.Contains(dialect.RecordTables(vt.Name), t.Name) && (vt.Schema == "" || vt.Schema == t.Schema)) {
			continue
		}
		if !c.opts.includeName(Name{Type: TableObject, Name: t.Name, Schema: t.Schema}) {
			continue
		}
		inspected[k] = t
	}
	target := map[key]*schema.Table{}
	for i := range to.Tables {
		t := &to.Tables[i]
		k := key{t.Schema, t.Name}
		if !c.schemas[t.Schema] || (slices.Contains(dialect.RecordTables(vt.Name), t.Name) && vt.Schema == t.Schema) {
			continue
		}
		if _, dup := target[k]; dup {
			return fmt.Errorf("target schema: table %s is declared twice", k)
		}
		target[k] = t
	}
	var added, removed, both []key
	for k, t := range target {
		old := inspected[k]
		obj := Object{Type: TableObject, Schema: k.schema, Name: k.name, Value: t}
		if old != nil {
			obj.CompareTo = old
		}
		if !c.opts.includeObject(obj) {
			delete(inspected, k)
			continue
		}
		if old == nil {
			added = append(added, k)
		} else {
			both = append(both, k)
		}
	}
	for k, t := range inspected {
		if target[k] != nil {
			continue
		}
		if c.opts.includeObject(Object{Type: TableObject, Schema: k.schema, Name: k.name, Reflected: true, Value: t}) {
			removed = append(removed, k)
		}
	}
	c.createTables(added, target, p)
	for _, k := range fkOrder(removed, inspected, true) {
		t := inspected[k]
		p.dropTables = append(p.dropTables, ops.DropTable{Schema: k.schema, Table: k.name, Existing: clone(t)})
	}
	slices.SortFunc(both, keyCmp)
	for _, k := range both {
		if err := c.table(inspected[k], target[k], p); err != nil {
			return err
		}
	}
	return nil
}

// createTables creates the added tables in foreign-key order. A foreign
// key that closes a cycle is created after every table, except on
// SQLite, which does not check references when a table is created.
func (c *comparer) createTables(added []key, target map[key]*schema.Table, p *plan) {
	order := fkOrder(added, target, false)
	done := map[key]bool{}
	for _, k := range order {
		t := clone(target[k])
		if !c.fl.batch {
			var keep []schema.ForeignKeyDef
			for _, fk := range t.ForeignKeys {
				ref := key{fk.RefSchema, fk.RefTable}
				if ref != k && target[ref] != nil && !done[ref] && slices.Contains(added, ref) {
					p.tableFKsLate = append(p.tableFKsLate, ops.CreateForeignKey{Schema: k.schema, Table: k.name, ForeignKey: fk})
					continue
				}
				keep = append(keep, fk)
			}
			t.ForeignKeys = keep
		}
		done[k] = true
		p.createTables = append(p.createTables, ops.CreateTable{Table: *t})
	}
}

// fkOrder sorts keys so that a table comes after the tables it
// references (before them when reverse is set), by name otherwise.
func fkOrder(keys []key, tables map[key]*schema.Table, reverse bool) []key {
	sorted := slices.SortedFunc(slices.Values(keys), keyCmp)
	in := map[key]bool{}
	for _, k := range sorted {
		in[k] = true
	}
	var out []key
	state := map[key]int{} // 1 visiting, 2 done
	var visit func(k key)
	visit = func(k key) {
		if state[k] != 0 {
			return
		}
		state[k] = 1
		refs := []key{}
		for _, fk := range tables[k].ForeignKeys {
			r := key{fk.RefSchema, fk.RefTable}
			if in[r] && r != k {
				refs = append(refs, r)
			}
		}
		slices.SortFunc(refs, keyCmp)
		for _, r := range refs {
			visit(r)
		}
		state[k] = 2
		out = append(out, k)
	}
	for _, k := range sorted {
		visit(k)
	}
	if reverse {
		slices.Reverse(out)
	}
	return out
}

func clone(t *schema.Table) *schema.Table {
	c := *t
	c.Columns = slices.Clone(t.Columns)
	if t.PrimaryKey != nil {
		pk := *t.PrimaryKey
		pk.Columns = slices.Clone(pk.Columns)
		c.PrimaryKey = &pk
	}
	c.ForeignKeys = slices.Clone(t.ForeignKeys)
	c.Uniques = slices.Clone(t.Uniques)
	c.Checks = slices.Clone(t.Checks)
	c.Indexes = slices.Clone(t.Indexes)
	return &c
}

// tableDiff is the change to one table, by phase.
type tableDiff struct {
	dropFKs, dropOther, addCols, alterCols, create, dropCols, createFKs []ops.Operation
	// recreated are the generated columns dropped and added again.
	recreated []string
}

func (d *tableDiff) empty() bool {
	return len(d.dropFKs)+len(d.dropOther)+len(d.addCols)+len(d.alterCols)+len(d.create)+len(d.dropCols)+len(d.createFKs) == 0
}

func (c *comparer) table(old, new *schema.Table, p *plan) error {
	var d tableDiff
	a, b := c.fl.comparable(old), c.fl.comparable(new)
	c.columns(old, new, a, b, &d)
	cmpOld := old
	if len(d.recreated) > 0 {
		// Dropping a column drops the indexes and constraints on it:
		// drop them first, so that the downgrade makes them again, and
		// compare without them, so that they are made again after it.
		// Positions in a and old stay aligned: both lose the same parts.
		d.dropOther = append(dropsOn(old, d.recreated), d.dropOther...)
		a = withoutColumns(a, d.recreated)
		cmpOld = withoutColumns(old, d.recreated)
	}
	c.indexes(cmpOld, a, b, &d)
	c.uniques(cmpOld, a, b, &d)
	c.checks(cmpOld, a, b, &d)
	c.foreignKeys(old, a, b, &d)
	if c.fl.comments && a.Comment != b.Comment {
		d.create = append(d.create, ops.SetTableComment{Schema: old.Schema, Table: old.Name, Comment: new.Comment, Existing: old.Comment})
	}
	if d.empty() {
		return nil
	}
	if c.fl.batch && needsBatch(&d) {
		var changes []ops.Operation
		for _, ph := range [][]ops.Operation{d.dropFKs, d.dropOther, d.addCols, d.alterCols, d.create, d.dropCols, d.createFKs} {
			changes = append(changes, ph...)
		}
		p.alters = append(p.alters, batch.Alter{Schema: old.Schema, Table: old.Name, Changes: changes, CopyFrom: clone(old)})
		return nil
	}
	p.dropFKs = append(p.dropFKs, d.dropFKs...)
	for _, ph := range [][]ops.Operation{d.dropOther, d.addCols, d.alterCols, d.create, d.dropCols} {
		p.alters = append(p.alters, ph...)
	}
	p.createFKs = append(p.createFKs, d.createFKs...)
	return nil
}

// needsBatch reports whether SQLite's ALTER TABLE cannot make the
// changes: anything but indexes and adding a column it can add.
func needsBatch(d *tableDiff) bool {
	if len(d.dropFKs)+len(d.alterCols)+len(d.dropCols)+len(d.createFKs) > 0 {
		return true
	}
	for _, o := range append(slices.Clone(d.dropOther), d.create...) {
		switch o.(type) {
		case ops.CreateIndex, ops.DropIndex:
		default:
			return true
		}
	}
	for _, o := range d.addCols {
		col := o.(ops.AddColumn).Column
		if col.PrimaryKey || !col.Identity.IsZero() || col.Default.Kind == schema.DefaultExpression || (!col.Nullable && col.Default.IsZero()) ||
			(!col.Computed.IsZero() && !col.Computed.Virtual) {
			return true
		}
	}
	return false
}

func (c *comparer) columns(old, new, a, b *schema.Table, d *tableDiff) {
	for i, nc := range b.Columns {
		oc, ok := a.Column(nc.Name)
		obj := Object{Type: ColumnObject, Schema: old.Schema, Table: old.Name, Name: nc.Name, Value: &new.Columns[i]}
		var orig schema.ColumnDef
		if ok {
			orig, _ = old.Column(nc.Name)
			obj.CompareTo = &orig
		}
		if !c.opts.includeObject(obj) {
			continue
		}
		if !ok {
			d.addCols = append(d.addCols, ops.AddColumn{Schema: old.Schema, Table: old.Name, Column: new.Columns[i]})
			continue
		}
		if !computedEqual(oc.Computed, nc.Computed) {
			// A generated column's expression cannot be altered before
			// PostgreSQL 17, nor anywhere a stored one becomes virtual:
			// drop and add it (its values are computed, so nothing is lost).
			d.dropOther = append(d.dropOther, ops.DropColumn{Schema: old.Schema, Table: old.Name, Column: orig.Name, Existing: &orig})
			d.addCols = append(d.addCols, ops.AddColumn{Schema: old.Schema, Table: old.Name, Column: new.Columns[i]})
			d.recreated = append(d.recreated, orig.Name)
			continue
		}
		if alter, changed := c.alterColumn(old, orig, oc, nc, new.Columns[i]); changed {
			d.alterCols = append(d.alterCols, alter)
		}
	}
	for i, oc := range a.Columns {
		if _, ok := b.Column(oc.Name); ok {
			continue
		}
		col := old.Columns[i]
		if !c.opts.includeName(Name{Type: ColumnObject, Name: col.Name, Schema: old.Schema, Table: old.Name}) ||
			!c.opts.includeObject(Object{Type: ColumnObject, Schema: old.Schema, Table: old.Name, Name: col.Name, Reflected: true, Value: &col}) {
			continue
		}
		d.dropCols = append(d.dropCols, ops.DropColumn{Schema: old.Schema, Table: old.Name, Column: col.Name, Existing: &col})
	}
}

// alterColumn compares one column: oc and nc are the comparable forms,
// orig and decl the inspected and declared originals.
func (c *comparer) alterColumn(t *schema.Table, orig, oc, nc, decl schema.ColumnDef) (ops.AlterColumn, bool) {
	alter := ops.AlterColumn{Schema: t.Schema, Table: t.Name, Column: orig.Name, Existing: &orig}
	changed := false
	if c.opts.CompareType.on() && !typeEqual(oc.Type, nc.Type) {
		typ := decl.Type
		alter.Type, changed = &typ, true
	}
	if oc.Nullable != nc.Nullable {
		n := decl.Nullable
		alter.Nullable, changed = &n, true
	}
	if c.opts.CompareServerDefault.on() && !defaultEqual(oc.Default, nc.Default) {
		def := decl.Default
		if !nc.Identity.IsZero() {
			def = schema.DefaultValue{}
		}
		alter.Default, changed = &def, true
	}
	if c.fl.comments && oc.Comment != nc.Comment {
		cm := decl.Comment
		alter.Comment, changed = &cm, true
	}
	if onUpdateText(oc.OnUpdate) != onUpdateText(nc.OnUpdate) {
		u := decl.OnUpdate
		alter.OnUpdate, changed = &u, true
	}
	if oc.Identity != nc.Identity {
		id := decl.Identity
		alter.Identity, changed = &id, true
	}
	return alter, changed
}

func (c *comparer) indexes(old, a, b *schema.Table, d *tableDiff) {
	for i, nx := range b.Indexes {
		var cmpTo any
		ox, found := findBy(a.Indexes, func(x schema.IndexDef) bool { return x.Name == nx.Name })
		if found {
			cmpTo = &old.Indexes[ox]
		}
		if !c.opts.includeObject(Object{Type: IndexObject, Schema: old.Schema, Table: old.Name, Name: nx.Name, Value: &b.Indexes[i], CompareTo: cmpTo}) {
			continue
		}
		if found && indexEqual(a.Indexes[ox], nx) {
			continue
		}
		if found {
			d.dropOther = append(d.dropOther, ops.DropIndex{Schema: old.Schema, Table: old.Name, Name: nx.Name, Existing: &old.Indexes[ox]})
		}
		d.create = append(d.create, ops.CreateIndex{Schema: old.Schema, Table: old.Name, Index: nx})
	}
	for i, ox := range a.Indexes {
		if _, found := findBy(b.Indexes, func(x schema.IndexDef) bool { return x.Name == ox.Name }); found {
			continue
		}
		if !c.opts.includeName(Name{Type: IndexObject, Name: ox.Name, Schema: old.Schema, Table: old.Name}) ||
			!c.opts.includeObject(Object{Type: IndexObject, Schema: old.Schema, Table: old.Name, Name: ox.Name, Reflected: true, Value: &old.Indexes[i]}) {
			continue
		}
		d.dropOther = append(d.dropOther, ops.DropIndex{Schema: old.Schema, Table: old.Name, Name: ox.Name, Existing: &old.Indexes[i]})
	}
}

func findBy[T any](s []T, f func(T) bool) (int, bool) {
	i := slices.IndexFunc(s, f)
	return i, i >= 0
}

// matchConstraints pairs the declared constraints b with the inspected
// a: by name, or an unnamed declared one by sameAs. It returns, for
// each of b, the index in a or -1, and which of a were matched.
func matchConstraints[T schema.Constraint](a, b []T, sameAs func(T, T) bool) ([]int, []bool) {
	match := make([]int, len(b))
	used := make([]bool, len(a))
	for i, n := range b {
		match[i] = -1
		for j, o := range a {
			if used[j] {
				continue
			}
			if (n.ConstraintName() != "" && n.ConstraintName() == o.ConstraintName()) ||
				(n.ConstraintName() == "" && sameAs(o, n)) {
				match[i], used[j] = j, true
				break
			}
		}
	}
	return match, used
}

func (c *comparer) uniques(old, a, b *schema.Table, d *tableDiff) {
	same := func(x, y schema.UniqueDef) bool { return slices.Equal(x.Columns, y.Columns) }
	match, used := matchConstraints(a.Uniques, b.Uniques, same)
	for i, n := range b.Uniques {
		var cmpTo any
		if match[i] >= 0 {
			cmpTo = &old.Uniques[match[i]]
		}
		if !c.opts.includeObject(Object{Type: UniqueObject, Schema: old.Schema, Table: old.Name, Name: n.Name, Value: &b.Uniques[i], CompareTo: cmpTo}) {
			continue
		}
		if match[i] >= 0 {
			if same(a.Uniques[match[i]], n) {
				continue
			}
			d.dropOther = append(d.dropOther, dropConstraint(old, old.Uniques[match[i]]))
		}
		d.create = append(d.create, ops.CreateUniqueConstraint{Schema: old.Schema, Table: old.Name, Unique: n})
	}
	for j, o := range old.Uniques {
		if used[j] || !c.includeReflected(old, UniqueObject, o.Name, &old.Uniques[j]) {
			continue
		}
		d.dropOther = append(d.dropOther, dropConstraint(old, o))
	}
}

func (c *comparer) checks(old, a, b *schema.Table, d *tableDiff) {
	same := func(x, y schema.CheckDef) bool { return sqlText(x.Expr) == sqlText(y.Expr) }
	match, used := matchConstraints(a.Checks, b.Checks, same)
	for i, n := range b.Checks {
		var cmpTo any
		if match[i] >= 0 {
			cmpTo = &old.Checks[match[i]]
		}
		if !c.opts.includeObject(Object{Type: CheckObject, Schema: old.Schema, Table: old.Name, Name: n.Name, Value: &b.Checks[i], CompareTo: cmpTo}) {
			continue
		}
		if match[i] < 0 {
			d.create = append(d.create, ops.CreateCheckConstraint{Schema: old.Schema, Table: old.Name, Check: n})
		}
	}
	for j, o := range old.Checks {
		if used[j] || o.Name == "" || !c.includeReflected(old, CheckObject, o.Name, &old.Checks[j]) {
			continue
		}
		d.dropOther = append(d.dropOther, dropConstraint(old, o))
	}
}

func (c *comparer) foreignKeys(old, a, b *schema.Table, d *tableDiff) {
	match, used := matchConstraints(a.ForeignKeys, b.ForeignKeys, foreignKeyEqual)
	for i, n := range b.ForeignKeys {
		var cmpTo any
		if match[i] >= 0 {
			cmpTo = &old.ForeignKeys[match[i]]
		}
		if !c.opts.includeObject(Object{Type: ForeignKeyObject, Schema: old.Schema, Table: old.Name, Name: n.Name, Value: &b.ForeignKeys[i], CompareTo: cmpTo}) {
			continue
		}
		if match[i] >= 0 {
			if foreignKeyEqual(a.ForeignKeys[match[i]], n) {
				continue
			}
			d.dropFKs = append(d.dropFKs, dropConstraint(old, old.ForeignKeys[match[i]]))
		}
		d.createFKs = append(d.createFKs, ops.CreateForeignKey{Schema: old.Schema, Table: old.Name, ForeignKey: n})
	}
	for j, o := range old.ForeignKeys {
		if used[j] || !c.includeReflected(old, ForeignKeyObject, o.Name, &old.ForeignKeys[j]) {
			continue
		}
		d.dropFKs = append(d.dropFKs, dropConstraint(old, o))
	}
}

func (c *comparer) includeReflected(t *schema.Table, typ ObjectType, name string, v any) bool {
	return c.opts.includeName(Name{Type: typ, Name: name, Schema: t.Schema, Table: t.Name}) &&
		c.opts.includeObject(Object{Type: typ, Schema: t.Schema, Table: t.Name, Name: name, Reflected: true, Value: v})
}

func dropConstraint(t *schema.Table, con schema.Constraint) ops.DropConstraint {
	return ops.DropConstraint{Schema: t.Schema, Table: t.Name, Name: con.ConstraintName(), Kind: con.ConstraintKind(), Existing: con}
}

// dropsOn drops the indexes, unique and check constraints of t that
// withoutColumns leaves out.
func dropsOn(t *schema.Table, cols []string) []ops.Operation {
	var out []ops.Operation
	rest := withoutColumns(t, cols)
	for i, ix := range t.Indexes {
		if !slices.ContainsFunc(rest.Indexes, func(x schema.IndexDef) bool { return x.Name == ix.Name }) {
			out = append(out, ops.DropIndex{Schema: t.Schema, Table: t.Name, Name: ix.Name, Existing: &t.Indexes[i]})
		}
	}
	for _, u := range t.Uniques {
		if !slices.ContainsFunc(rest.Uniques, func(x schema.UniqueDef) bool { return x.Name == u.Name }) {
			out = append(out, dropConstraint(t, u))
		}
	}
	for _, k := range t.Checks {
		if k.Name != "" && !slices.ContainsFunc(rest.Checks, func(x schema.CheckDef) bool { return x.Name == k.Name }) {
			out = append(out, dropConstraint(t, k))
		}
	}
	return out
}

// withoutColumns returns t without the indexes, unique and check
// constraints that use one of cols, which dropping those columns drops
// too: the comparison then creates them again.
func withoutColumns(t *schema.Table, cols []string) *schema.Table {
	c := *t
	uses := func(names []string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return slices.Contains(cols, n) })
	}
	c.Indexes = slices.DeleteFunc(slices.Clone(t.Indexes), func(ix schema.IndexDef) bool { return uses(ix.Columns()) })
	c.Uniques = slices.DeleteFunc(slices.Clone(t.Uniques), func(u schema.UniqueDef) bool { return uses(u.Columns) })
	c.Checks = slices.DeleteFunc(slices.Clone(t.Checks), func(k schema.CheckDef) bool {
		return slices.ContainsFunc(cols, func(n string) bool { return strings.Contains(k.Expr, n) })
	})
	return &c
}

// OutsideSchemasError is the error of a target schema that declares
// objects in schemas the comparison does not include: they would be
// neither created nor compared, so autogenerate refuses rather than
// leave them out silently.
type OutsideSchemasError struct {
	// Objects are "schema s", "table s.t", "view s.v", "enum s.e", in
	// order.
	Objects []string
	// Schemas are their schemas.
	Schemas []string
}

func (e *OutsideSchemasError) Error() string {
	objs := e.Objects
	more := ""
	if len(objs) > 5 {
		objs, more = objs[:5], fmt.Sprintf(" and %d more", len(e.Objects)-5)
	}
	quoted := make([]string, len(e.Schemas))
	for i, s := range e.Schemas {
		quoted[i] = strconv.Quote(s)
	}
	return fmt.Sprintf("target schema declares %s%s in schema %s, which include_schemas leaves out; add %s to include_schemas (or use [\"*\"] for every schema), or leave them out with exclude_schemas or exclude_tables",
		strings.Join(objs, ", "), more, strings.Join(e.Schemas, ", "), strings.Join(quoted, ", "))
}

func outsideSchemas(to *schema.Database, included map[string]bool) error {
	e := &OutsideSchemasError{}
	add := func(kind, s, name string) {
		if included[s] {
			return
		}
		if name == "" {
			e.Objects = append(e.Objects, kind+" "+s)
		} else {
			e.Objects = append(e.Objects, kind+" "+s+"."+name)
		}
		if !slices.Contains(e.Schemas, s) {
			e.Schemas = append(e.Schemas, s)
		}
	}
	for _, sc := range to.Schemas {
		add("schema", sc, "")
	}
	for _, t := range to.Tables {
		add("table", t.Schema, t.Name)
	}
	for _, v := range to.Views {
		add("view", v.Schema, v.Name)
	}
	for _, en := range to.Enums {
		add("enum", en.Schema, en.Name)
	}
	if len(e.Objects) == 0 {
		return nil
	}
	return e
}
