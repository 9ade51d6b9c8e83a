package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"

	"github.com/retortdb/retort/dialect"
)

// Scratch calls fn on a private in-memory database, closed (and so
// gone) when Scratch returns.
func (Dialect) Scratch(ctx context.Context, fn dialect.ScratchFunc) error {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	db, err := sql.Open("sqlite", "file:retort_scratch_"+hex.EncodeToString(b)+"?mode=memory&cache=private")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	return fn(ctx, db, "")
}
