package main

import (
	"context"
	"embed"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/schema"
)

// migrationFiles holds the SQL revisions; registry the Go ones. Both
// join one revision graph. A fresh database is created from the models
// instead (appdb.Manager.Sync); the revisions move existing databases.
//
//go:embed migrations/versions/*.sql
var migrationFiles embed.FS

var registry = &retort.Registry{}

func init() {
	// The first revision is in Go so that the same code creates the
	// table on PostgreSQL and SQLite (identity vs AUTOINCREMENT).
	registry.Add(retort.Migration{
		Revision: "1f0c2a7e9b10",
		Message:  "create customer table",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			return op.CreateTable("customer",
				schema.Column("id", schema.BigInt, schema.PrimaryKey(), schema.GeneratedByDefault()),
				schema.Column("email", schema.Text, schema.NotNull()),
				schema.Column("name", schema.Text, schema.NotNull()),
				schema.Column("created", schema.TimestampTZ, schema.NotNull(), schema.DefaultExpr("CURRENT_TIMESTAMP")),
				schema.Unique("uq_customer_email", "email"))
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error {
			return op.DropTable("customer")
		},
	})
}
