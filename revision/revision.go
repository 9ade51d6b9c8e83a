package revision

import (
	"fmt"
	"time"
)

// Revision is one node of the revision graph: a migration's identity and
// its place among the others. It carries no migration code; the script
// package and Go registries keep that, keyed by ID.
type Revision struct {
	// ID is the revision identifier: [A-Za-z0-9_]+, 12 hex chars when
	// generated.
	ID string
	// Revises lists the parent ids (Alembic's down_revision). None makes
	// the revision a base; two or more make it a merge point.
	Revises []string
	// BranchLabels are the labels this revision declares.
	BranchLabels []string
	// DependsOn lists revision ids or branch labels this revision depends
	// on without merging them (Alembic's depends_on).
	DependsOn []string
	// Message is the first paragraph of the revision's description.
	Message string
	// Doc is the whole description, which may span several paragraphs.
	Doc string
	// CreateDate is when the revision was written, if the file says so.
	CreateDate time.Time
	// NoTransaction reports that the revision must run outside a
	// transaction (the "-- +retort no-transaction" directive).
	NoTransaction bool
	// CommitBefore reports that the run's transaction ends before this
	// revision and a new one starts with it (the "-- +retort
	// commit-before" directive): for a revision that uses what an earlier
	// one made and PostgreSQL lets no transaction use at once, such as an
	// enum value added by ALTER TYPE ... ADD VALUE.
	CommitBefore bool
	// Source says where the revision was defined.
	Source Source
}

// Source says where a revision was defined: a file and line, or a Go
// registration.
type Source struct {
	// File is the path of the revision's file, relative to the fs.FS it
	// was loaded from, or the Go source file of a registration if known.
	File string
	// Line is the 1-based line of the revision's header or registration,
	// or 0 when unknown.
	Line int
	// Go reports a revision registered from Go code.
	Go bool
}

// String renders the source as "file:line", "file", or "Go registration".
func (s Source) String() string {
	switch {
	case s.File != "" && s.Line > 0:
		return fmt.Sprintf("%s:%d", s.File, s.Line)
	case s.File != "":
		return s.File
	case s.Go:
		return "Go registration"
	default:
		return "unknown source"
	}
}

// ValidID reports whether id is a legal revision identifier: one or more
// of [A-Za-z0-9_]. Alembic forbids '@', '-' and '+' because the target
// grammar uses them; retort is stricter so ids are also safe in file names.
func ValidID(id string) bool {
	if id == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
