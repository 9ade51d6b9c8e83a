package sqlite

import (
	"strings"
	"sync"

	"github.com/retortdb/retort/schema"
)

// Everything SQLite reports about a table of the main database (its
// columns, keys, foreign keys and indexes) is derived from the CREATE
// TABLE and CREATE INDEX texts it stores. Inspect therefore remembers
// each table it reflected under those texts and reuses the result when
// they have not changed: a test kit that inspects the schema after every
// revision then pays the pragma queries only for the tables a revision
// touched, not for the whole schema each time.

// memoLimit bounds how many reflected tables are kept.
const memoLimit = 4096

type tableMemo struct {
	mu sync.Mutex
	m  map[string]schema.Table
}

var memo = &tableMemo{m: map[string]schema.Table{}}

// tableKey identifies a table by its name and stored SQL texts.
func tableKey(name, createSQL string, indexNames []string, indexSQL map[string]string) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte(0)
	b.WriteString(createSQL)
	for _, n := range indexNames {
		b.WriteByte(0)
		b.WriteString(n)
		b.WriteByte(0)
		b.WriteString(indexSQL[n])
	}
	return b.String()
}

func (m *tableMemo) get(key string) (schema.Table, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.m[key]
	if !ok {
		return schema.Table{}, false
	}
	return t.Clone(), true
}

func (m *tableMemo) put(key string, t schema.Table) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.m) >= memoLimit {
		clear(m.m)
	}
	m.m[key] = t.Clone()
}
