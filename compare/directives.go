package compare

import (
	"errors"
	"slices"

	"github.com/retortdb/retort/batch"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// Directives is what autogenerate produced for one revision (Alembic's
// MigrationScript), handed to [Options.ProcessRevisionDirectives],
// which may change any of it.
type Directives struct {
	// Message is the revision's message.
	Message string
	// Upgrade brings the database to the target; Downgrade undoes it
	// (the reverse of each upgrade operation, last first).
	Upgrade, Downgrade []ops.Operation
	// Drop, when set, writes no revision at all (Alembic's
	// directives[:] = []).
	Drop bool
	// Inspected and Target are the two sides compared, for hooks to
	// consult; changing them changes nothing.
	Inspected, Target *schema.Database
}

// Empty reports whether there is nothing to upgrade.
func (d *Directives) Empty() bool { return len(d.Upgrade) == 0 }

// Produce compares from with to (see [Compare]), works out the
// downgrade, and runs opts.ProcessRevisionDirectives on the result
// (Alembic's produce_migrations followed by the hook).
func Produce(from, to *schema.Database, message string, opts Options) (*Directives, error) {
	up, err := Compare(from, to, opts)
	if err != nil {
		return nil, err
	}
	down, err := Reverse(up)
	if err != nil {
		return nil, err
	}
	d := &Directives{Message: message, Upgrade: up, Downgrade: down, Inspected: from, Target: to}
	if opts.ProcessRevisionDirectives != nil {
		if err := opts.ProcessRevisionDirectives(d); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Reverse returns the downgrade of upgrade: each operation's Reverse,
// last first. A batch's reverse starts from the table as the batch
// leaves it. An operation that cannot be reversed (adding an enum
// value) becomes a [Note] saying so, rather than failing.
func Reverse(upgrade []ops.Operation) ([]ops.Operation, error) {
	out := make([]ops.Operation, 0, len(upgrade))
	for _, o := range slices.Backward(upgrade) {
		r, err := o.Reverse()
		if errors.Is(err, ops.ErrIrreversible) {
			text := o.Describe() + " cannot be reversed"
			var ie *ops.IrreversibleError
			if errors.As(err, &ie) {
				text += ": " + ie.Need
			}
			out = append(out, Note{Text: text})
			continue
		}
		if err != nil {
			return nil, err
		}
		if a, ok := o.(batch.Alter); ok && a.CopyFrom != nil {
			ra := r.(batch.Alter)
			ra.CopyFrom = applyChanges(a.CopyFrom, a.Changes)
			r = ra
		}
		out = append(out, r)
	}
	return out, nil
}

// Note is an operation that does nothing but say something: rendered as
// a comment in a revision file. Autogenerate puts one where a change
// cannot be reversed.
type Note struct{ Text string }

var _ dialect.Renderer = Note{}

// Describe returns the text.
func (n Note) Describe() string { return n.Text }

// Reverse returns n itself.
func (n Note) Reverse() (ops.Operation, error) { return n, nil }

// RenderSQL returns no statement.
func (n Note) RenderSQL(dialect.Dialect) ([]string, error) { return nil, nil }

// applyChanges returns t as the changes that autogenerate makes leave
// it.
func applyChanges(t *schema.Table, changes []ops.Operation) *schema.Table {
	t = clone(t)
	for _, c := range changes {
		switch c := c.(type) {
		case ops.AddColumn:
			t.Columns = append(t.Columns, c.Column)
		case ops.DropColumn:
			t.Columns = slices.DeleteFunc(t.Columns, func(x schema.ColumnDef) bool { return x.Name == c.Column })
		case ops.AlterColumn:
			i := slices.IndexFunc(t.Columns, func(x schema.ColumnDef) bool { return x.Name == c.Column })
			if i < 0 {
				continue
			}
			col := &t.Columns[i]
			if c.Type != nil {
				col.Type = *c.Type
			}
			if c.Nullable != nil {
				col.Nullable = *c.Nullable
			}
			if c.Default != nil {
				col.Default = *c.Default
			}
			if c.Comment != nil {
				col.Comment = *c.Comment
			}
		case ops.CreateIndex:
			t.Indexes = append(t.Indexes, c.Index)
		case ops.DropIndex:
			t.Indexes = slices.DeleteFunc(t.Indexes, func(x schema.IndexDef) bool { return x.Name == c.Name })
		case ops.CreateUniqueConstraint:
			t.Uniques = append(t.Uniques, c.Unique)
		case ops.CreateCheckConstraint:
			t.Checks = append(t.Checks, c.Check)
		case ops.CreateForeignKey:
			t.ForeignKeys = append(t.ForeignKeys, c.ForeignKey)
		case ops.DropConstraint:
			t.Uniques = slices.DeleteFunc(t.Uniques, func(x schema.UniqueDef) bool { return x.Name == c.Name })
			t.Checks = slices.DeleteFunc(t.Checks, func(x schema.CheckDef) bool { return x.Name == c.Name })
			t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(x schema.ForeignKeyDef) bool { return x.Name == c.Name })
		case ops.SetTableComment:
			t.Comment = c.Comment
		}
	}
	t.Normalize()
	return t
}
