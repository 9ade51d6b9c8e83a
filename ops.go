package retort

import (
	"fmt"

	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// Run renders the operation o through the run's dialect and executes
// each statement, or writes it into the script with --sql. Every other
// operation method is a shorthand for Run. Custom operations (values
// implementing [ops.Operation] and [dialect.Renderer]) run the same way.
func (o *Op) Run(op ops.Operation) error {
	op, err := resolve(op, o.objects)
	if err != nil {
		return fmt.Errorf("revision %s: %w", o.rev, err)
	}
	stmts, err := o.dialect.Render(op)
	if err != nil {
		return fmt.Errorf("revision %s: %w", o.rev, err)
	}
	for _, s := range stmts {
		if err := o.x.Exec(o.ctx, s); err != nil {
			return fmt.Errorf("revision %s: %s: %w", o.rev, op.Describe(), err)
		}
	}
	return nil
}

// CreateTable creates the table name from columns and constraints
// (Alembic's op.create_table):
//
//	op.CreateTable("customer",
//		schema.Column("id", schema.BigInt, schema.PrimaryKey()),
//		schema.Column("name", schema.Text, schema.NotNull()))
//
// Indexes among elems are created after the table; [schema.InSchema]
// puts it in a schema.
func (o *Op) CreateTable(name string, elems ...schema.TableElement) error {
	return o.Run(ops.CreateTable{Table: schema.NewTable(name, elems...)})
}

// DropTable drops the table name.
func (o *Op) DropTable(name string) error { return o.Run(ops.DropTable{Table: name}) }

// RenameTable renames the table from old to name.
func (o *Op) RenameTable(old, name string) error {
	return o.Run(ops.RenameTable{Table: old, NewName: name})
}

// AddColumn adds col to table.
func (o *Op) AddColumn(table string, col schema.ColumnDef) error {
	return o.Run(ops.AddColumn{Table: table, Column: col})
}

// DropColumn drops the column from table.
func (o *Op) DropColumn(table, column string) error {
	return o.Run(ops.DropColumn{Table: table, Column: column})
}

// AlterColumn changes the column of table as change says; change's
// Table and Column fields are set from the arguments:
//
//	notNull := false
//	op.AlterColumn("customer", "name", ops.AlterColumn{Nullable: &notNull})
func (o *Op) AlterColumn(table, column string, change ops.AlterColumn) error {
	change.Table, change.Column = table, column
	return o.Run(change)
}

// CreateIndex creates ix on table:
//
//	op.CreateIndex("customer", schema.Index("ix_customer_name", "name"))
func (o *Op) CreateIndex(table string, ix schema.IndexDef) error {
	return o.Run(ops.CreateIndex{Table: table, Index: ix})
}

// DropIndex drops the index name of table.
func (o *Op) DropIndex(table, name string) error {
	return o.Run(ops.DropIndex{Table: table, Name: name})
}

// CreatePrimaryKey adds pk to table.
func (o *Op) CreatePrimaryKey(table string, pk schema.PrimaryKeyDef) error {
	return o.Run(ops.CreatePrimaryKey{Table: table, PrimaryKey: pk})
}

// CreateUniqueConstraint adds u to table.
func (o *Op) CreateUniqueConstraint(table string, u schema.UniqueDef) error {
	return o.Run(ops.CreateUniqueConstraint{Table: table, Unique: u})
}

// CreateForeignKey adds fk to table.
func (o *Op) CreateForeignKey(table string, fk schema.ForeignKeyDef) error {
	return o.Run(ops.CreateForeignKey{Table: table, ForeignKey: fk})
}

// CreateCheckConstraint adds c to table.
func (o *Op) CreateCheckConstraint(table string, c schema.CheckDef) error {
	return o.Run(ops.CreateCheckConstraint{Table: table, Check: c})
}

// DropConstraint drops the constraint name, of kind kind, from table.
func (o *Op) DropConstraint(table, name string, kind schema.ConstraintKind) error {
	return o.Run(ops.DropConstraint{Table: table, Name: name, Kind: kind})
}

// CreateSchema creates the schema name (PostgreSQL).
func (o *Op) CreateSchema(name string) error { return o.Run(ops.CreateSchema{Name: name}) }

// DropSchema drops the schema name (PostgreSQL).
func (o *Op) DropSchema(name string) error { return o.Run(ops.DropSchema{Name: name}) }

// CreateSequence creates s (PostgreSQL).
func (o *Op) CreateSequence(s schema.Sequence) error {
	return o.Run(ops.CreateSequence{Sequence: s})
}

// DropSequence drops the sequence name (PostgreSQL).
func (o *Op) DropSequence(name string) error { return o.Run(ops.DropSequence{Name: name}) }

// CreateEnum creates the enum type name with values (PostgreSQL).
func (o *Op) CreateEnum(name string, values ...string) error {
	return o.Run(ops.CreateEnum{Enum: schema.Enum{Name: name, Values: values}})
}

// DropEnum drops the enum type name (PostgreSQL).
func (o *Op) DropEnum(name string) error { return o.Run(ops.DropEnum{Name: name}) }

// CreateView creates the view name as the query definition.
func (o *Op) CreateView(name, definition string) error {
	return o.Run(ops.CreateView{View: schema.View{Name: name, Definition: definition}})
}

// DropView drops the view name.
func (o *Op) DropView(name string) error { return o.Run(ops.DropView{Name: name}) }

// Execute runs one raw SQL statement through the operation machinery
// (Alembic's op.execute); for per-dialect variants, Run an
// [ops.Execute].
func (o *Op) Execute(sql string) error { return o.Run(ops.Execute{SQL: sql}) }

// BulkInsert inserts rows into table, one value per column in each row
// (nil, bool, integers, floats, string, []byte, time.Time).
func (o *Op) BulkInsert(table string, columns []string, rows ...[]any) error {
	return o.Run(ops.BulkInsert{Table: table, Columns: columns, Rows: rows})
}
