package importer_test

import (
	"fmt"
	"os"

	"github.com/retortdb/retort/importer"
	"github.com/retortdb/retort/sqlsplit"
)

// Convert a golang-migrate folder and look at the revisions it makes,
// without writing anything.
func ExampleConvert() {
	res, err := importer.Convert(os.DirFS("testdata/fixtures"), "golang-migrate", importer.GolangMigrate,
		importer.Options{Split: &sqlsplit.Postgres})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Revisions {
		fmt.Printf("%s revises %q: %s (from %s, downgrade %v)\n", r.File, r.Revises, r.Message, r.Source, r.HasDowngrade)
	}
	// Output:
	// v0001_create_users.sql revises "": create users (from 1_create_users.up.sql, downgrade true)
	// v0002_add_index.sql revises "v0001": add index (from 2_add_index.up.sql, downgrade false)
	// v0010_lower_email.sql revises "v0002": lower email (from 10_lower_email.up.sql, downgrade true)
}
