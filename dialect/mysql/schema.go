package mysql

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
)

var (
	_ dialect.CurrentSchemaReader = Dialect{}
	_ dialect.ServerIdentifier    = Dialect{}
	_ dialect.SchemaFinder        = Dialect{}
)

// ExistingSchemas returns those of names that are databases of the
// server (information_schema.schemata).
func (Dialect) ExistingSchemas(ctx context.Context, q dialect.Querier, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")
	args := make([]any, len(names))
	for i, n := range names {
		args[i] = n
	}
	rows, err := q.QueryContext(ctx, "SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ("+marks+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var exist []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		exist = append(exist, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(slices.Clone(names), func(n string) bool { return !slices.Contains(exist, n) }), nil
}

// CurrentSchema returns the connection's current database (DATABASE()),
// where unqualified names resolve; an error when none is selected.
func (Dialect) CurrentSchema(ctx context.Context, q dialect.Querier) (string, error) {
	var s sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&s); err != nil {
		return "", err
	}
	if !s.Valid {
		return "", fmt.Errorf("mysql: the connection has no current database: name one in the URL (mysql://user@host/DATABASE)")
	}
	return s.String, nil
}

// ServerIdentity names the server (host name and port), the current
// database and the server's version, for caches of results computed on
// the server.
func (Dialect) ServerIdentity(ctx context.Context, q dialect.Querier) (string, error) {
	var s string
	err := q.QueryRowContext(ctx, "SELECT CONCAT(@@hostname, ':', @@port, '/', COALESCE(DATABASE(), ''), ' ', VERSION())").Scan(&s)
	return s, err
}

// SetSchemaLocal returns USE `schema`, as [Dialect.SetSchema] does:
// MySQL has no setting that lasts only for a transaction, so the
// connection keeps the database selected after the transaction ends.
func (d Dialect) SetSchemaLocal(schema string) ([]string, error) {
	return d.SetSchema(schema)
}

var _ dialect.ServerScratcher = Dialect{}

// ScratchOn makes a scratch database (retort_scratch_<random>) on the
// server of tx, selects it (USE), calls fn with it as the current
// database, then selects the previous database again and drops the
// scratch one, even when fn fails or ctx ends. Objects fn creates are
// unqualified, so fn gets an empty schema. CREATE DATABASE commits
// implicitly: tx must hold nothing the caller wants to roll back.
func (d Dialect) ScratchOn(ctx context.Context, tx dialect.Querier, fn dialect.ScratchFunc) (err error) {
	var cur sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&cur); err != nil {
		return fmt.Errorf("scratch database: %w", err)
	}
	var buf [6]byte
	_, _ = rand.Read(buf[:])
	name := d.QuoteIdent("retort_scratch_" + hex.EncodeToString(buf[:]))
	if _, err := tx.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("scratch database: %w", err)
	}
	defer func() {
		cleanup := context.WithoutCancel(ctx)
		if cur.Valid {
			if _, uerr := tx.ExecContext(cleanup, "USE "+d.QuoteIdent(cur.String)); uerr != nil && err == nil {
				err = fmt.Errorf("scratch database: select %s again: %w", cur.String, uerr)
			}
		}
		if _, derr := tx.ExecContext(cleanup, "DROP DATABASE IF EXISTS "+name); derr != nil && err == nil {
			err = fmt.Errorf("scratch database: drop %s: %w", name, derr)
		}
	}()
	if _, err := tx.ExecContext(ctx, "USE "+name); err != nil {
		return fmt.Errorf("scratch database: %w", err)
	}
	return fn(ctx, tx, "")
}

var _ dialect.ViewNormalizer = Dialect{}

// CanonicalView creates the definition as a view with a random name in
// the current database, reads back the text the server keeps (as
// [Dialect.Inspect] reports it) and drops the view. MySQL has no
// temporary views and commits the creation at once; the view lives for
// the length of one query. ok is false when the view cannot be created
// (its tables do not exist yet).
func (d Dialect) CanonicalView(ctx context.Context, tx dialect.Querier, definition string) (string, bool, error) {
	var buf [6]byte
	_, _ = rand.Read(buf[:])
	name := "retort_view_" + hex.EncodeToString(buf[:])
	if _, err := tx.ExecContext(ctx, "CREATE VIEW "+d.QuoteIdent(name)+" AS "+definition); err != nil {
		return "", false, nil
	}
	var def, cur string
	err := tx.QueryRowContext(ctx, "SELECT view_definition, DATABASE() FROM information_schema.views WHERE table_schema = DATABASE() AND table_name = ?", name).Scan(&def, &cur)
	if _, derr := tx.ExecContext(context.WithoutCancel(ctx), "DROP VIEW IF EXISTS "+d.QuoteIdent(name)); derr != nil && err == nil {
		err = derr
	}
	if err != nil {
		return "", false, fmt.Errorf("canonical view: %w", err)
	}
	return unqualifyView(def, cur), true, nil
}
