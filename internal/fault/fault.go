// Package fault owns the sentinel that marks errors caused by bad input
// (a malformed file, an unknown revision, a bad flag) as opposed to a
// failure while running. The retort package re-exports it as
// retort.ErrBadInput; the CLI maps it to exit code 2.
package fault

import "errors"

// ErrBadInput is matched, with errors.Is, by every error caused by input
// the user must fix.
var ErrBadInput = errors.New("bad input")

// BadInput wraps err so that errors.Is(err, ErrBadInput) holds, keeping
// err's message and chain.
func BadInput(err error) error {
	if err == nil || errors.Is(err, ErrBadInput) {
		return err
	}
	return &badInput{err}
}

type badInput struct{ err error }

func (e *badInput) Error() string   { return e.err.Error() }
func (e *badInput) Unwrap() []error { return []error{e.err, ErrBadInput} }
