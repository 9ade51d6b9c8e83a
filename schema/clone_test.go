package schema_test

import (
	"testing"

	"github.com/retortdb/retort/schema"
)

func TestCloneIsDeep(t *testing.T) {
	orig := schema.NewTable("t",
		schema.Column("id", schema.BigInt, schema.PrimaryKey()),
		schema.Column("a", schema.Text),
		schema.Unique("uq_a", "a"),
		schema.Index("ix_a", "a"))
	orig.Normalize()
	c := orig.Clone()
	if !c.Equal(&orig) {
		t.Fatal("clone differs from the original")
	}
	c.Columns[1].Name = "b"
	c.Uniques[0].Columns[0] = "b"
	c.Indexes[0].Parts[0].Column = "b"
	c.PrimaryKey.Columns[0] = "x"
	if orig.Columns[1].Name != "a" || orig.Uniques[0].Columns[0] != "a" || orig.Indexes[0].Parts[0].Column != "a" || orig.PrimaryKey.Columns[0] != "id" {
		t.Fatalf("changing the clone changed the original: %+v", orig)
	}
}
