package retorttest

import (
	"strings"
)

// Failure is a built-in test's failure, laid out as pytest-alembic's
// AlembicTestFailure: the message, then each context section under its
// title, indented four spaces.
type Failure struct {
	// Test is the built-in test's name.
	Test string
	// Revision is the revision at fault, when one is.
	Revision string
	// Message says what failed and what it means.
	Message string
	// Context holds the details: the revision, the error, the schema
	// difference.
	Context []Section
	// Err is the error behind the failure, if any.
	Err error
}

// Section is one titled piece of a Failure's context.
type Section struct {
	Title string
	Body  string
}

func (f *Failure) Error() string {
	var b strings.Builder
	b.WriteString(f.Message)
	for _, s := range f.Context {
		b.WriteString("\n\n" + s.Title + ":\n")
		lines := strings.Split(strings.TrimRight(s.Body, "\n"), "\n")
		for i, l := range lines {
			if i > 0 {
				b.WriteByte('\n')
			}
			if l != "" {
				b.WriteString("    " + l)
			}
		}
	}
	return b.String()
}

func (f *Failure) Unwrap() error { return f.Err }

// skipError says why a built-in test cannot run; it is reported as a
// skip, not a failure.
type skipError struct{ why string }

func (e *skipError) Error() string { return e.why }
