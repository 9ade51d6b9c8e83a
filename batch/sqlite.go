package batch

import (
	"context"
	"fmt"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// tmpPrefix starts the name of the table a rebuild copies into.
const tmpPrefix = "_retort_tmp_"

// rebuild is a table's move and copy: the table before and after the
// changes.
type rebuild struct {
	old, new *schema.Table
	added    map[string]bool // columns of new with no data to copy
	triggers []string        // CREATE TRIGGER statements on the table
}

// path chooses how the new table takes the old one's place.
type path struct {
	// twoCopy copies into the temporary table, drops the old table,
	// creates the new one under the old name and copies back, so that
	// inserting the rows clears the deferred foreign key violations that
	// dropping the old table counted in other tables. Otherwise the
	// temporary table is renamed (Alembic's way, one copy).
	twoCopy bool
	// deferFKs sets PRAGMA defer_foreign_keys first.
	deferFKs bool
	// legacyAlter is PRAGMA legacy_alter_table's value to restore after
	// the rename.
	legacyAlter bool
}

// plan applies the changes to old; none of them renames a column.
func plan(d dialect.Dialect, old *schema.Table, changes []ops.Operation) (*rebuild, error) {
	r := &rebuild{old: old, new: clone(old), added: map[string]bool{}}
	for _, c := range changes {
		if o, ok := c.(ops.AlterColumn); ok && o.Using != "" {
			return nil, &dialect.UnsupportedError{Op: o.Describe(), Table: o.Table, Dialect: d.Name(),
				Hint: "USING is PostgreSQL's; SQLite's batch mode converts the values with CAST to the new type, so leave Using empty there"}
		}
		if err := apply(r.new, c, r.added); err != nil {
			return nil, err
		}
	}
	r.new.Normalize()
	return r, nil
}

// qname renders schema.name quoted.
func qname(d dialect.Dialect, s, n string) string {
	if s == "" {
		return d.QuoteIdent(n)
	}
	return d.QuoteIdent(s) + "." + d.QuoteIdent(n)
}

// typeSQL is the dialect's declared type for t, taken from the column
// definition it renders.
func typeSQL(d dialect.Dialect, t schema.Type) (string, error) {
	s, err := d.Render(ops.AddColumn{Table: "t", Column: schema.Column("c", t)})
	if err != nil || len(s) != 1 {
		return "", fmt.Errorf("type %s: %v", t, err)
	}
	col := d.QuoteIdent("c") + " "
	i := strings.LastIndex(s[0], col)
	if i < 0 {
		return "", fmt.Errorf("type %s: cannot read it from %q", t, s[0])
	}
	return s[0][i+len(col):], nil
}

// copyLists returns the new table's columns that have data and the
// expressions selecting it from the old one, CAST where the type
// changed (Alembic's cast_for_batch_migrate).
func (r *rebuild) copyLists(d dialect.Dialect) (cols, exprs []string, err error) {
	for _, c := range r.new.Columns {
		oc, ok := r.old.Column(c.Name)
		if r.added[c.Name] || !ok || !c.Computed.IsZero() {
			// A generated column computes its values in the new table.
			continue
		}
		cols = append(cols, d.QuoteIdent(c.Name))
		e := d.QuoteIdent(c.Name)
		if oc.Type != c.Type && c.Type.Kind != schema.KindRaw {
			ts, err := typeSQL(d, c.Type)
			if err != nil {
				return nil, nil, fmt.Errorf("column %s: %w", c.Name, err)
			}
			e = "CAST(" + e + " AS " + ts + ")"
		}
		exprs = append(exprs, e)
	}
	return cols, exprs, nil
}

// statements renders the move and copy.
func (r *rebuild) statements(d dialect.Dialect, p path) ([]string, error) {
	s, name := r.new.Schema, r.new.Name
	tmpName := tmpPrefix + name
	createSQL := func(n string) (string, error) {
		t := clone(r.new)
		t.Name, t.Indexes = n, nil
		st, err := d.Render(ops.CreateTable{Table: *t})
		if err != nil {
			return "", err
		}
		return st[0], nil
	}
	cols, exprs, err := r.copyLists(d)
	if err != nil {
		return nil, err
	}
	var out []string
	if p.deferFKs {
		out = append(out, "PRAGMA defer_foreign_keys = ON")
	}
	create, err := createSQL(tmpName)
	if err != nil {
		return nil, err
	}
	old, tmp := qname(d, s, name), qname(d, s, tmpName)
	out = append(out, create)
	if len(cols) > 0 {
		out = append(out, "INSERT INTO "+tmp+" ("+strings.Join(cols, ", ")+") SELECT "+strings.Join(exprs, ", ")+" FROM "+old)
	}
	out = append(out, "DROP TABLE "+old)
	if p.twoCopy {
		create, err := createSQL(name)
		if err != nil {
			return nil, err
		}
		out = append(out, create)
		if len(cols) > 0 { // a column list, never SELECT *: see path.twoCopy
			out = append(out, "INSERT INTO "+old+" ("+strings.Join(cols, ", ")+") SELECT "+strings.Join(cols, ", ")+" FROM "+tmp)
		}
		out = append(out, "DROP TABLE "+tmp)
	} else {
		// Legacy mode keeps SQLite from checking views and triggers that
		// name the table while it is missing, and from rewriting them.
		out = append(out, "PRAGMA legacy_alter_table = ON", "ALTER TABLE "+tmp+" RENAME TO "+d.QuoteIdent(name))
		if !p.legacyAlter {
			out = append(out, "PRAGMA legacy_alter_table = OFF")
		}
	}
	for _, ix := range r.new.Indexes {
		st, err := d.Render(ops.CreateIndex{Schema: s, Table: name, Index: ix})
		if err != nil {
			return nil, err
		}
		out = append(out, st...)
	}
	return append(out, r.triggers...), nil
}

// Run applies the batch on a live database: q reads the catalog and
// exec runs each change. On SQLite a rebuild runs inside a SAVEPOINT.
// With foreign keys enforced inside a transaction, SQLite can neither
// turn them off nor drop a referenced table without acting on the rows
// that reference it, so Run defers foreign keys and, when other tables
// reference the table, copies twice (see the README); outside a
// transaction (a no-transaction revision) it turns enforcement off
// around the rebuild, as SQLite's documented procedure does. Either
// way PRAGMA foreign_key_check on the table and on the tables that
// reference it must come back empty.
func (a Alter) Run(ctx context.Context, d dialect.Dialect, q dialect.Querier, exec func(context.Context, string) error) error {
	if err := a.validate(); err != nil {
		return err
	}
	cs := a.changes()
	if !d.Caps().RebuildsTables || a.Recreate == Never {
		return execEach(ctx, d, cs, exec)
	}
	fail := func(err error) error {
		return fmt.Errorf("batch alter table %s: %w", ops.Qualified(a.Schema, a.Table), err)
	}
	insp, ok := d.(dialect.RebuildCatalog)
	if !ok {
		return fail(fmt.Errorf("the %s dialect rebuilds tables but cannot read its catalog (dialect.RebuildCatalog)", d.Name()))
	}
	id := dialect.Ident{Schema: a.Schema, Name: a.Table}
	reflect := func() (*schema.Table, error) {
		if a.CopyFrom != nil {
			t := clone(a.CopyFrom)
			t.Schema = a.Schema
			return t, nil
		}
		return insp.InspectTable(ctx, q, id)
	}
	if a.Recreate == Auto {
		before, err := reflect()
		if err != nil {
			return fail(err)
		}
		if !needsRecreate(cs, before) {
			return execEach(ctx, d, cs, exec)
		}
	}
	renames, rest := hoistRenames(cs)
	if err := execEach(ctx, d, renames, exec); err != nil {
		return err
	}
	old, err := reflect()
	if err != nil {
		return fail(err)
	}
	if a.CopyFrom != nil {
		for _, r := range renames {
			if err := apply(old, r, map[string]bool{}); err != nil {
				return fail(err)
			}
		}
	}
	r, err := plan(d, old, rest)
	if err != nil {
		return fail(err)
	}
	if err := r.run(ctx, d, insp, q, exec); err != nil {
		return fail(err)
	}
	return nil
}

func execEach(ctx context.Context, d dialect.Dialect, cs []ops.Operation, exec func(context.Context, string) error) error {
	for _, c := range cs {
		st, err := d.Render(c)
		if err != nil {
			return err
		}
		for _, s := range st {
			if err := exec(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", c.Describe(), err)
			}
		}
	}
	return nil
}
