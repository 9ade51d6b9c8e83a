package ops

import "errors"

// Operation is one schema or data change, as a value.
type Operation interface {
	// Describe says what the operation does, for logs and errors:
	// "add column email to customer".
	Describe() string
	// Reverse returns the operation that undoes this one, or an error
	// matching [ErrIrreversible].
	Reverse() (Operation, error)
}

// ErrIrreversible is matched (errors.Is) by the error Reverse returns
// when an operation cannot be undone from what it carries.
var ErrIrreversible = errors.New("operation is not reversible")

// IrreversibleError says which operation cannot be reversed and what
// it would need.
type IrreversibleError struct {
	// Op is the operation's Describe text.
	Op string
	// Need says what to pass to make it reversible, or why it never is.
	Need string
}

func (e *IrreversibleError) Error() string {
	return "operation is not reversible: " + e.Op + ": " + e.Need
}

// Is matches [ErrIrreversible].
func (e *IrreversibleError) Is(target error) bool { return target == ErrIrreversible }

func irreversible(o Operation, need string) error {
	return &IrreversibleError{Op: o.Describe(), Need: need}
}

// Qualified renders schema.name, or name when s is empty, unquoted, for
// messages.
func Qualified(s, name string) string {
	if s == "" {
		return name
	}
	return s + "." + name
}

// Sequence is a list of operations applied in order. Its reverse is the
// reverse of each, in the opposite order.
type Sequence []Operation

// Describe joins the operations' descriptions with "; ".
func (s Sequence) Describe() string {
	out := ""
	for i, o := range s {
		if i > 0 {
			out += "; "
		}
		out += o.Describe()
	}
	return out
}

// Reverse reverses each operation, last first.
func (s Sequence) Reverse() (Operation, error) {
	out := make(Sequence, 0, len(s))
	for i := len(s) - 1; i >= 0; i-- {
		r, err := s[i].Reverse()
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
