package retorttest

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/sqlsplit"
)

// prepare readies a fresh test database as the config asks, before the
// first migration: test_setup's statements, then the search_path
// schema, created when create_schema is set and otherwise required.
func prepare(ctx context.Context, db *database, settings *config.Config) error {
	if settings == nil {
		return nil
	}
	if settings.TestSetup != "" {
		src, err := os.ReadFile(settings.TestSetup)
		if err != nil {
			return fault.BadInput(fmt.Errorf("test_setup: %w", err))
		}
		stmts, err := sqlsplit.Split(string(src), db.dialect.SplitOptions())
		if err != nil {
			return fault.BadInput(fmt.Errorf("test_setup %s: %w", settings.TestSetup, err))
		}
		for _, s := range stmts {
			if _, err := db.db.ExecContext(ctx, s.SQL); err != nil {
				return fault.BadInput(fmt.Errorf("test_setup %s, line %d: %w", settings.TestSetup, s.Line, err))
			}
		}
	}
	if settings.SearchPath == "" || !db.dialect.Caps().Schemas {
		return nil
	}
	if settings.CreateSchema {
		if _, err := db.db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+db.dialect.QuoteIdent(settings.SearchPath)); err != nil {
			return fmt.Errorf("create_schema %s: %w", settings.SearchPath, err)
		}
		return nil
	}
	r, ok := db.dialect.(dialect.CurrentSchemaReader)
	if !ok {
		return nil
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // read only
	stmts, err := db.dialect.SetSchemaLocal(settings.SearchPath)
	for _, s := range stmts {
		if err == nil {
			_, err = tx.ExecContext(ctx, s)
		}
	}
	cur := ""
	if err == nil {
		cur, err = r.CurrentSchema(ctx, tx)
	}
	if err != nil || cur != "" {
		return err
	}
	return fault.BadInput(fmt.Errorf("search_path schema %q does not exist in the test database%s: set create_schema = true in retort.toml, or create it in test_setup",
		settings.SearchPath, fromX(settings)))
}

// fromX names the -x arguments that gave search_path its value.
func fromX(settings *config.Config) string {
	var args []string
	for k, v := range settings.XArgs {
		if v == settings.SearchPath {
			args = append(args, "-x "+k+"="+v)
		}
	}
	if len(args) == 0 {
		return ""
	}
	sort.Strings(args)
	return " (search_path comes from " + strings.Join(args, ", ") + ")"
}
