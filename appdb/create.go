package appdb

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/retortdb/retort/dialect"
	"slices"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/sqlsplit"
)

// create builds the target in tx, which holds the version table's lock,
// then stamps the heads in the same transaction.
func (m *Manager) create(ctx context.Context, tx *sql.Tx) error {
	if m.sql != "" {
		if err := m.execScript(ctx, tx); err != nil {
			return err
		}
	} else {
		if err := m.checkEmpty(ctx, tx); err != nil {
			return err
		}
		target := m.target
		if m.dialect.Caps().InlineEnums {
			// MySQL: enum types are the columns' types.
			var err error
			if target, err = target.InlineEnums(); err != nil {
				return fmt.Errorf("create database: %w", err)
			}
		}
		list, err := CreateOps(target, !m.dialect.Caps().RebuildsTables)
		if err != nil {
			return err
		}
		for _, op := range list {
			stmts, err := m.dialect.Render(op)
			if err != nil {
				return fmt.Errorf("create database: %w", err)
			}
			for _, s := range stmts {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return fmt.Errorf("create database: %s: %w", op.Describe(), err)
				}
			}
		}
	}
	if m.env.Graph().Len() == 0 {
		// Nothing to stamp; the version table still marks the database
		// as retort's, as Alembic's stamp does.
		_, err := tx.ExecContext(ctx, m.dialect.VersionStore(m.table).CreateTable())
		return err
	}
	if !m.dialect.Caps().TransactionalDDL {
		// The runner takes no caller's transaction where DDL commits
		// implicitly (MySQL); from no version table, stamping the heads
		// is a row per head.
		vs := m.dialect.VersionStore(m.table)
		stmts := []string{vs.CreateTable()}
		for _, h := range m.Latest() {
			stmts = append(stmts, vs.Insert(h))
		}
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("stamp version table %s: %w", m.table, err)
			}
		}
		return nil
	}
	_, err := m.env.RunTx(ctx, tx, retort.Request{Kind: retort.Stamp, Targets: []string{"heads"}})
	return err
}

// execScript runs SchemaSQL statement by statement.
func (m *Manager) execScript(ctx context.Context, tx *sql.Tx) error {
	stmts, err := sqlsplit.Split(m.sql, m.dialect.SplitOptions())
	if err != nil {
		return badInput(fmt.Errorf("schema SQL: %w", err))
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s.SQL); err != nil {
			return fmt.Errorf("schema SQL, line %d: %w", s.Line, err)
		}
	}
	return nil
}

// checkEmpty fails when any table of the target exists already.
func (m *Manager) checkEmpty(ctx context.Context, tx *sql.Tx) error {
	var found []string
	for _, t := range m.target.Tables {
		id := identOf(t)
		ok, err := m.dialect.VersionStore(id).Exists(ctx, tx)
		if err != nil {
			return err
		}
		if ok {
			found = append(found, id.String())
		}
	}
	if len(found) > 0 {
		return &NotEmptyError{Table: m.table.String(), Tables: found}
	}
	return nil
}

// CreateOps returns the operations that create db in an empty database,
// in an order that works: schemas, enum types and sequences, then the
// tables so that each comes after the tables its foreign keys reference,
// then functions, views and triggers. Where foreign keys form a cycle
// and deferFKs is set, the keys that close it are added after the
// tables (CreateForeignKey); without it (SQLite, which accepts a
// reference to a table not created yet) tables keep all their keys.
func CreateOps(db *schema.Database, deferFKs bool) ([]ops.Operation, error) {
	var out []ops.Operation
	for _, s := range db.Schemas {
		out = append(out, ops.CreateSchema{Name: s, IfNotExists: true})
	}
	for _, e := range db.Enums {
		out = append(out, ops.CreateEnum{Enum: e})
	}
	for _, s := range db.Sequences {
		out = append(out, ops.CreateSequence{Sequence: s})
	}
	tables, later := orderTables(db.Tables, deferFKs)
	for _, t := range tables {
		out = append(out, ops.CreateTable{Table: t})
	}
	out = append(out, later...)
	for _, f := range db.Functions {
		out = append(out, ops.CreateFunction{Function: f})
	}
	for _, v := range db.Views {
		out = append(out, ops.CreateView{View: v})
	}
	for _, t := range db.Triggers {
		out = append(out, ops.CreateTrigger{Trigger: t})
	}
	return out, nil
}

func identOf(t schema.Table) dialect.Ident { return dialect.Ident{Schema: t.Schema, Name: t.Name} }

// orderTables sorts tables so that referenced tables come first,
// keeping declaration order otherwise. On a cycle it takes the first
// remaining table and, when deferFKs is set, moves its keys to tables
// not yet created into CreateForeignKey operations.
func orderTables(in []schema.Table, deferFKs bool) ([]schema.Table, []ops.Operation) {
	key := func(s, n string) string { return s + "\x00" + n }
	present := map[string]bool{}
	for _, t := range in {
		present[key(t.Schema, t.Name)] = true
	}
	refSchema := func(t schema.Table, fk schema.ForeignKeyDef) string {
		if fk.RefSchema != "" {
			return fk.RefSchema
		}
		return t.Schema
	}
	created := map[string]bool{}
	ready := func(t schema.Table) bool {
		for _, fk := range t.ForeignKeys {
			k := key(refSchema(t, fk), fk.RefTable)
			if present[k] && !created[k] && k != key(t.Schema, t.Name) {
				return false
			}
		}
		return true
	}
	rest := slices.Clone(in)
	var out []schema.Table
	var later []ops.Operation
	for len(rest) > 0 {
		i := slices.IndexFunc(rest, ready)
		if i < 0 {
			i = 0 // a cycle: break it at the first table
			if deferFKs {
				t := rest[0]
				var keep []schema.ForeignKeyDef
				for _, fk := range t.ForeignKeys {
					k := key(refSchema(t, fk), fk.RefTable)
					if present[k] && !created[k] && k != key(t.Schema, t.Name) {
						later = append(later, ops.CreateForeignKey{Schema: t.Schema, Table: t.Name, ForeignKey: fk})
						continue
					}
					keep = append(keep, fk)
				}
				t.ForeignKeys = keep
				rest[0] = t
			}
		}
		t := rest[i]
		out = append(out, t)
		created[key(t.Schema, t.Name)] = true
		rest = slices.Delete(rest, i, i+1)
	}
	return out, later
}
