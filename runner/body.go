package runner

import (
	"context"
	"errors"

	"github.com/retortdb/retort/sqlsplit"
)

// SQLBody runs a revision file's statements in order.
type SQLBody struct {
	Revision   string
	Direction  string
	File       string
	Statements []sqlsplit.Statement
}

// Run executes each statement, stopping at the first error, which names
// the revision, file and line.
func (b *SQLBody) Run(ctx context.Context, x Executor) error {
	for _, st := range b.Statements {
		if err := x.Exec(ctx, st.SQL); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if _, ok := errors.AsType[*ResumeError](err); ok {
				return err
			}
			return b.failed(st, err)
		}
	}
	return nil
}

// failed is the error of statement st of b.
func (b *SQLBody) failed(st sqlsplit.Statement, err error) error {
	return &StatementError{Revision: b.Revision, Direction: b.Direction, File: b.File, Line: st.Line, SQL: st.SQL, Err: err}
}
