package retort

import (
	"context"
	"fmt"
	"path"
	"slices"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

// includeList is include_schemas: the Go option's, else retort.toml's.
func (e *Env) includeList() []string {
	if len(e.opts.autogen.IncludeSchemas) > 0 {
		return e.opts.autogen.IncludeSchemas
	}
	return e.cfg.IncludeSchemas
}

// allSchemas reports include_schemas = ["*"].
func (e *Env) allSchemas() bool { return slices.Contains(e.includeList(), "*") }

// inspectSchemas lists the schemas to inspect in a scratch schema
// build: the scratch schema, named when include_schemas adds others.
func (e *Env) inspectSchemas(current string) []string {
	list := slices.DeleteFunc(slices.Clone(e.includeList()), func(s string) bool { return s == "*" })
	if len(list) == 0 || current == "" {
		return nil
	}
	return append([]string{current}, list...)
}

// includedSchemas lists the schemas compared besides current, as found
// through q: include_schemas, or with ["*"] every schema but the
// system's, less exclude_schemas. Where the dialect can tell
// (dialect.SchemaFinder), a named schema that does not exist (yet) is left out: it has nothing
// to inspect, and autogenerate creates it when the target puts objects
// in it.
func (e *Env) includedSchemas(ctx context.Context, q dialect.Querier, current string) ([]string, error) {
	list := e.includeList()
	if slices.Contains(list, "*") {
		ds, ok := e.dialect.(dialect.DatabaseScratcher)
		if !ok {
			return nil, fmt.Errorf("include_schemas = [\"*\"]: the %s dialect cannot list schemas; name them", e.dialect.Name())
		}
		var err error
		if list, err = ds.SchemaNames(ctx, q); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, s := range list {
		if s != current && s != "*" && !e.excludedSchema(s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if sf, ok := e.dialect.(dialect.SchemaFinder); ok && len(out) > 0 {
		return sf.ExistingSchemas(ctx, q, out)
	}
	return out, nil
}

// currentSchema reads the schema unqualified names go to in the
// environment's sessions (search_path applied).
func (e *Env) currentSchema(ctx context.Context) (string, error) {
	r, ok := e.dialect.(dialect.CurrentSchemaReader)
	if !ok {
		return "", fmt.Errorf("the %s dialect cannot read the current schema (dialect.CurrentSchemaReader)", e.dialect.Name())
	}
	var cur string
	err := e.inTx(ctx, false, func(q dialect.Querier) (err error) {
		cur, err = r.CurrentSchema(ctx, q)
		return err
	})
	if err == nil && cur == "" {
		err = fmt.Errorf("no current schema: search_path names no schema that exists; set search_path in %s, or create_schema = true", e.cfgName())
	}
	return cur, err
}

// excludedSchema reports a schema exclude_schemas names.
func (e *Env) excludedSchema(s string) bool {
	return slices.ContainsFunc(e.cfg.ExcludeSchemas, func(g string) bool { ok, _ := path.Match(g, s); return ok })
}

// excludedTable reports a table or view exclude_tables or
// exclude_schemas names ("name" or "schema.name" patterns).
func (e *Env) excludedTable(s, name string) bool {
	if s != "" && e.excludedSchema(s) {
		return true
	}
	return slices.ContainsFunc(e.cfg.ExcludeTables, func(g string) bool {
		ok, _ := path.Match(g, name)
		if !ok && s != "" {
			ok, _ = path.Match(g, s+"."+name)
		}
		return ok
	})
}

func (e *Env) excludedKind(k string) bool { return slices.Contains(e.cfg.ExcludeKinds, k) }

// excluded returns db without what exclude_tables, exclude_schemas and
// exclude_kinds leave out.
func (e *Env) excluded(db *schema.Database) *schema.Database {
	if db == nil || len(e.cfg.ExcludeTables)+len(e.cfg.ExcludeSchemas)+len(e.cfg.ExcludeKinds) == 0 {
		return db
	}
	out := *db
	keep := func(kind, s, name string) bool { return !e.excludedKind(kind) && !e.excludedTable(s, name) }
	out.Tables = nil
	for _, t := range db.Tables {
		if !keep("table", t.Schema, t.Name) {
			continue
		}
		if e.excludedKind("index") {
			t.Indexes = nil
		}
		if e.excludedKind("foreign_key") {
			t.ForeignKeys = nil
		}
		if e.excludedKind("check") {
			t.Checks = nil
		}
		if e.excludedKind("unique") {
			t.Uniques = nil
		}
		if e.excludedKind("comment") {
			t.Comment = ""
			t.Columns = slices.Clone(t.Columns)
			for i := range t.Columns {
				t.Columns[i].Comment = ""
			}
		}
		out.Tables = append(out.Tables, t)
	}
	out.Views = slices.DeleteFunc(slices.Clone(db.Views), func(v schema.View) bool { return !keep("view", v.Schema, v.Name) })
	out.Enums = slices.DeleteFunc(slices.Clone(db.Enums), func(v schema.Enum) bool { return !keep("enum", v.Schema, v.Name) })
	out.Sequences = slices.DeleteFunc(slices.Clone(db.Sequences), func(v schema.Sequence) bool { return !keep("sequence", v.Schema, v.Name) })
	out.Functions = slices.DeleteFunc(slices.Clone(db.Functions), func(v schema.Function) bool {
		return e.excludedKind("function") || e.excludedSchema(v.Schema)
	})
	out.Triggers = slices.DeleteFunc(slices.Clone(db.Triggers), func(v schema.Trigger) bool { return !keep("trigger", v.Schema, v.Table) })
	return &out
}

// schemasOf lists the named schemas of the databases, each once
// ([schema.Database.NamedSchemas] of each, in turn).
func schemasOf(dbs ...*schema.Database) []string {
	var out []string
	for _, db := range dbs {
		for _, s := range db.NamedSchemas() {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}
