package postgres_test

import (
	"fmt"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/postgres"
)

func ExampleNew() {
	d := postgres.New()
	vs := d.VersionStore(dialect.Ident{Schema: "ops", Name: "alembic_version"})
	fmt.Println(vs.CreateTable())
	fmt.Println(vs.Update("1a2b3c4d5e6f", "ab12cd34ef56"))
	stmts, _ := d.SetSchema("app")
	fmt.Println(stmts[0])
	// Output:
	// CREATE TABLE IF NOT EXISTS "ops"."alembic_version" (version_num VARCHAR(32) NOT NULL, CONSTRAINT "alembic_version_pkc" PRIMARY KEY (version_num))
	// UPDATE "ops"."alembic_version" SET version_num='ab12cd34ef56' WHERE "ops"."alembic_version".version_num = '1a2b3c4d5e6f'
	// SET search_path TO "app"
}
