package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/retortdb/retort/dialect"
)

// ScratchOn makes a schema retort_scratch_<random> in tx, inside a
// savepoint, sets it as the transaction's search_path and calls fn; the
// savepoint is rolled back whatever fn did, and the schema is dropped
// first when fn succeeds, so nothing of it remains even if the caller
// commits.
func (d Dialect) ScratchOn(ctx context.Context, tx dialect.Querier, fn dialect.ScratchFunc) error {
	name := "retort_scratch_" + randomHex()
	if _, err := tx.ExecContext(ctx, "SAVEPOINT retort_scratch"); err != nil {
		return err
	}
	defer tx.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO SAVEPOINT retort_scratch") //nolint:errcheck // the caller's transaction is rolled back anyway
	set, err := d.SetSchemaLocal(name)
	if err != nil {
		return err
	}
	for _, s := range append([]string{"CREATE SCHEMA " + d.QuoteIdent(name)}, set...) {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("scratch schema: %w", err)
		}
	}
	if err := fn(ctx, tx, name); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "DROP SCHEMA "+d.QuoteIdent(name)+" CASCADE")
	return err
}

// CanonicalView creates definition as a temporary view inside a
// savepoint, reads it back with pg_get_viewdef and rolls the savepoint
// back.
func (d Dialect) CanonicalView(ctx context.Context, tx dialect.Querier, definition string) (string, bool, error) {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT retort_view"); err != nil {
		return "", false, err
	}
	name := "retort_view_" + randomHex()
	var def string
	_, err := tx.ExecContext(ctx, "CREATE TEMPORARY VIEW "+d.QuoteIdent(name)+" AS "+definition)
	if err == nil {
		err = tx.QueryRowContext(ctx, "SELECT pg_get_viewdef($1::regclass, true)", name).Scan(&def)
	}
	if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT retort_view"); rerr != nil {
		return "", false, rerr
	}
	if err != nil {
		return "", false, nil
	}
	return strings.TrimSuffix(strings.TrimSpace(def), ";"), true, nil
}

// ServerIdentity returns the server's version number, the database and
// the server's address and port.
func (Dialect) ServerIdentity(ctx context.Context, q dialect.Querier) (string, error) {
	var version, where string
	err := q.QueryRowContext(ctx, `SELECT current_setting('server_version_num'),
	current_database() || '@' || coalesce(host(inet_server_addr()), 'local') || ':' || coalesce(inet_server_port(), 0)::text`).Scan(&version, &where)
	if err != nil {
		return "", err
	}
	return version + "\x00" + where, nil
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
