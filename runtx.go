package retort

import (
	"context"
	"database/sql"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/runner"
)

// RunTx applies req (an upgrade, downgrade or stamp) inside the caller's
// transaction tx, whatever connection the environment was opened with:
// it takes the version table's lock in tx, re-reads the version table
// under it, and never commits or rolls back. It is for work that must
// land together with the caller's own statements, such as creating a
// fresh database and stamping it at the heads in one transaction
// (package appdb). A revision marked no-transaction cannot run this way.
func (e *Env) RunTx(ctx context.Context, tx *sql.Tx, req runner.Request) (*Result, error) {
	return e.runner().Run(ctx, runner.Tx(tx), req)
}

// VersionTable names the environment's version table.
func (e *Env) VersionTable() dialect.Ident {
	return dialect.Ident{Schema: e.cfg.VersionTableSchema, Name: e.cfg.VersionTable}
}
