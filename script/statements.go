package script

import (
	"errors"
	"fmt"

	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/sqlsplit"
)

// ErrNoDowngrade is matched by the error of [Script.DowngradeStatements]
// for a file without a downgrade section.
var ErrNoDowngrade = errors.New("revision has no downgrade section")

// UpgradeStatements splits the upgrade section with opts. Statement lines
// are lines of the file; errors are [*ParseError] values naming the file
// and line.
func (s *Script) UpgradeStatements(opts sqlsplit.Options) ([]sqlsplit.Statement, error) {
	return s.statements(&s.Upgrade, opts)
}

// DowngradeStatements splits the downgrade section with opts, as
// [Script.UpgradeStatements] does the upgrade section. Without a
// downgrade section, the error matches [ErrNoDowngrade].
func (s *Script) DowngradeStatements(opts sqlsplit.Options) ([]sqlsplit.Statement, error) {
	if !s.HasDowngrade {
		return nil, fault.BadInput(&ParseError{
			File: s.Path,
			Msg:  fmt.Sprintf("revision %s cannot be downgraded: %v", s.Rev.ID, ErrNoDowngrade),
			Hint: "add a '-- +retort downgrade' section with the SQL that undoes the upgrade",
			Err:  ErrNoDowngrade,
		})
	}
	return s.statements(&s.Downgrade, opts)
}

func (s *Script) statements(sec *Section, opts sqlsplit.Options) ([]sqlsplit.Statement, error) {
	if err := s.body(); err != nil {
		return nil, err
	}
	stmts, err := sqlsplit.SplitFrom(sec.SQL, sec.Line, opts)
	if err != nil {
		var se *sqlsplit.SyntaxError
		if !errors.As(err, &se) {
			return nil, fault.BadInput(fmt.Errorf("%s: %w", s.Path, err))
		}
		return nil, fault.BadInput(&ParseError{
			File: s.Path, Line: se.Line, Col: se.Col, Msg: se.Msg,
			Err: &sqlsplit.SyntaxError{Line: se.Line, Col: se.Col, Msg: se.Msg},
		})
	}
	return stmts, nil
}
