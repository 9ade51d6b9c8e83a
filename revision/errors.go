package revision

import (
	"fmt"
	"strings"

	"github.com/retortdb/retort/internal/fault"
)

// GraphError reports a revision that cannot join the graph: an unknown
// parent or dependency, a duplicate id or branch label, an invalid id.
type GraphError struct {
	// Revision is the id of the revision at fault.
	Revision string
	// Source is where it was defined.
	Source Source
	// Msg says what is wrong and what to do.
	Msg string
}

func (e *GraphError) Error() string {
	return fmt.Sprintf("revision %s (%s): %s", e.Revision, e.Source, e.Msg)
}

// Is makes every GraphError match fault.ErrBadInput.
func (e *GraphError) Is(target error) bool { return target == fault.ErrBadInput }

// CycleError reports revisions that sit on a cycle (by revises, or by
// revises plus depends_on when Dependency is set).
type CycleError struct {
	Revisions  []string
	Dependency bool
}

func (e *CycleError) Error() string {
	kind := "cycle"
	if e.Dependency {
		kind = "dependency cycle"
	}
	if len(e.Revisions) == 1 {
		return fmt.Sprintf("%s detected: revision %s depends on itself; fix its Revises/Depends On header", kind, e.Revisions[0])
	}
	return fmt.Sprintf("%s detected in revisions (%s); check their Revises/Depends On headers", kind, strings.Join(e.Revisions, ", "))
}

// Is makes every CycleError match fault.ErrBadInput.
func (e *CycleError) Is(target error) bool { return target == fault.ErrBadInput }

// ResolutionError reports an identifier that names no revision, or
// names several.
type ResolutionError struct {
	// Arg is the identifier as given.
	Arg string
	// Candidates lists the revisions a partial id matched, if several.
	Candidates []string
	// Msg is the detail.
	Msg string
}

func (e *ResolutionError) Error() string {
	return fmt.Sprintf("can't locate revision identified by '%s': %s", e.Arg, e.Msg)
}

// Is makes every ResolutionError match fault.ErrBadInput.
func (e *ResolutionError) Is(target error) bool { return target == fault.ErrBadInput }

// MultipleHeadsError reports a target that stands for several heads where
// one is required.
type MultipleHeadsError struct {
	// Target is the argument as given ("head", "feature@head", ...).
	Target string
	// Heads are the revisions it stands for.
	Heads []string
}

func (e *MultipleHeadsError) Error() string {
	arg := e.Target
	if i := strings.LastIndexByte(arg, '@'); i >= 0 {
		arg = arg[i+1:]
	}
	return fmt.Sprintf("multiple head revisions are present for given argument '%s' (%s); please specify a specific target revision, '<branchname>@%s' to narrow to a specific head, or 'heads' for all heads",
		e.Target, strings.Join(e.Heads, ", "), arg)
}

// Is makes every MultipleHeadsError match fault.ErrBadInput.
func (e *MultipleHeadsError) Is(target error) bool { return target == fault.ErrBadInput }

// RangeError reports a destination that is not reachable from where the
// database is: not an ancestor (downgrade), not a descendant (range), or
// a relative step that walks past base or head.
type RangeError struct {
	// Target is the destination as given.
	Target string
	// Msg is the detail.
	Msg string
}

func (e *RangeError) Error() string {
	if e.Target == "" {
		return e.Msg
	}
	return fmt.Sprintf("%s: %s", e.Target, e.Msg)
}

// Is makes every RangeError match fault.ErrBadInput.
func (e *RangeError) Is(target error) bool { return target == fault.ErrBadInput }

func resolutionErr(arg, format string, a ...any) error {
	return &ResolutionError{Arg: arg, Msg: fmt.Sprintf(format, a...)}
}

func rangeErr(target, format string, a ...any) error {
	return &RangeError{Target: target, Msg: fmt.Sprintf(format, a...)}
}
