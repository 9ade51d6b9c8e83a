package schema

import "slices"

// Clone returns a deep copy of t: changing the copy's slices or primary
// key leaves t alone.
func (t Table) Clone() Table {
	c := t
	c.Columns = slices.Clone(t.Columns)
	if t.PrimaryKey != nil {
		pk := *t.PrimaryKey
		pk.Columns = slices.Clone(pk.Columns)
		c.PrimaryKey = &pk
	}
	c.ForeignKeys = slices.Clone(t.ForeignKeys)
	for i := range c.ForeignKeys {
		c.ForeignKeys[i].Columns = slices.Clone(c.ForeignKeys[i].Columns)
		c.ForeignKeys[i].RefColumns = slices.Clone(c.ForeignKeys[i].RefColumns)
	}
	c.Uniques = slices.Clone(t.Uniques)
	for i := range c.Uniques {
		c.Uniques[i].Columns = slices.Clone(c.Uniques[i].Columns)
	}
	c.Checks = slices.Clone(t.Checks)
	c.Indexes = slices.Clone(t.Indexes)
	for i := range c.Indexes {
		c.Indexes[i].Parts = slices.Clone(c.Indexes[i].Parts)
	}
	return c
}
