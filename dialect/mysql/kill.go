package mysql

import (
	"context"
	"fmt"
	"strconv"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.StatementKiller = Dialect{}

// SessionID returns CONNECTION_ID() of q's session.
func (Dialect) SessionID(ctx context.Context, q dialect.Querier) (int64, error) {
	var id int64
	if err := q.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		return 0, fmt.Errorf("connection id: %w", err)
	}
	return id, nil
}

// KillStatement runs KILL QUERY id on q: the server stops the
// statement the session runs (DDL is rolled back, SLEEP returns early)
// and the statement fails with error 1317 unless it ends anyway; on an
// idle session it does nothing. A user may always stop their own
// sessions' statements.
func (Dialect) KillStatement(ctx context.Context, q dialect.Querier, id int64) error {
	if _, err := q.ExecContext(ctx, "KILL QUERY "+strconv.FormatInt(id, 10)); err != nil {
		return fmt.Errorf("stop the statement of connection %d: %w", id, err)
	}
	return nil
}
