package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"

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

var memoryDBs atomic.Uint64

// OpenMemory opens a private database in memory (the memdb VFS, under a
// name of its own) with one connection, foreign keys enforced, a
// five-second busy timeout and BEGIN IMMEDIATE transactions, as retort
// opens SQLite URLs. It is gone when the pool is closed.
func (Dialect) OpenMemory() (*sql.DB, error) {
	q := url.Values{"vfs": {"memdb"}, "_txlock": {"immediate"}, "_pragma": {"busy_timeout(5000)", "foreign_keys(1)"}}
	db, err := sql.Open("sqlite", fmt.Sprintf("file:/retort-memory-test-%d-%d?%s", os.Getpid(), memoryDBs.Add(1), q.Encode()))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}
