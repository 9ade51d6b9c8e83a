// Package schema owns plain values describing a database: tables,
// columns, types, defaults, identity, keys, constraints, indexes, views,
// enum types, sequences, functions and triggers. Migrations build them by
// hand with the builders ([Column], [PrimaryKey], [ForeignKey], [Index],
// ...), operations carry them, dialects render them, and autogenerate
// (later) inspects a database into them and compares them with a target.
// It does not render SQL, talk to a database or know any dialect.
//
// Values are normalised so that comparison is meaningful: [Type] and
// [DefaultValue] are comparable with ==, names keep their exact case,
// and every composite value has an Equal method. [Table.Normalize] puts
// a table into the canonical form that Equal expects (the primary key
// both on the table and flagged on its columns, primary-key columns not
// null).
//
// Builders follow the shape of a Go migration:
//
//	op.CreateTable("customer",
//		schema.Column("id", schema.BigInt, schema.PrimaryKey(), schema.GeneratedByDefault()),
//		schema.Column("name", schema.Text, schema.NotNull()),
//		schema.Column("balance", schema.Numeric(10, 2), schema.Default("0")),
//		schema.Column("created", schema.TimestampTZ, schema.DefaultExpr("now()")),
//		schema.Unique("customer_name_key", "name"))
//
// Where a builder and a struct would share a name, the struct carries a
// Def suffix: [Column] builds a [ColumnDef], [Index] an [IndexDef].
package schema
