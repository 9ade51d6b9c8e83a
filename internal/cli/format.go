package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/revision"
)

// entry is one revision as the read commands print it.
type entry struct {
	rev     *revision.Revision
	info    revision.Info
	env     *retort.Env // for path
	current bool
}

func newEntry(env *retort.Env, r *revision.Revision, current map[string]bool) entry {
	info, _ := env.Graph().Info(r.ID)
	return entry{rev: r, info: info, env: env, current: current[r.ID]}
}

// path is the revision's file, worked out only for the outputs that
// show it (a history of thousands of lines does not).
func (e entry) path() string { return revisionPath(e.env, e.rev) }

// revisionPath returns the absolute path of r's file (a Go revision's
// source file, if known).
func revisionPath(env *retort.Env, r *revision.Revision) string {
	p := r.Source.File
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if abs := env.Path(r.ID); abs != "" {
		return abs
	}
	return filepath.FromSlash(p)
}

func joinComma(s []string) string { return strings.Join(s, ", ") }

// down is Alembic's _format_down_revision.
func (e entry) down() string {
	if len(e.rev.Revises) == 0 {
		return "<base>"
	}
	return joinComma(e.rev.Revises)
}

// line is Alembic's Script._head_only.
func (e entry) line(branches, doc, parents, tree bool) string {
	var b strings.Builder
	if parents {
		b.WriteString(e.down())
		if len(e.rev.DependsOn) > 0 {
			fmt.Fprintf(&b, " (%s)", joinComma(e.rev.DependsOn))
		}
		b.WriteString(" -> ")
	}
	b.WriteString(e.rev.ID)
	if branches && len(e.info.Labels) > 0 {
		fmt.Fprintf(&b, " (%s)", joinComma(e.info.Labels))
	}
	if e.info.RealHead {
		b.WriteString(" (head)")
	} else if e.info.Head {
		b.WriteString(" (effective head)")
	}
	if e.current {
		b.WriteString(" (current)")
	}
	if tree {
		if e.info.BranchPoint {
			b.WriteString(" (branchpoint)")
		}
		if e.info.MergePoint {
			b.WriteString(" (mergepoint)")
		}
	}
	if doc {
		b.WriteString(", " + e.rev.Message)
	}
	return b.String()
}

// logEntry is Alembic's Script.log_entry: a block of lines, the last
// ending in a newline (printing it adds the blank line after it).
func (e entry) logEntry() string {
	var b strings.Builder
	b.WriteString("Rev: " + e.rev.ID)
	if e.info.Head {
		b.WriteString(" (head)")
	}
	if e.info.BranchPoint {
		b.WriteString(" (branchpoint)")
	}
	if e.info.MergePoint {
		b.WriteString(" (mergepoint)")
	}
	if e.current {
		b.WriteString(" (current)")
	}
	b.WriteString("\n")
	if e.info.MergePoint {
		fmt.Fprintf(&b, "Merges: %s\n", e.down())
	} else {
		fmt.Fprintf(&b, "Parent: %s\n", e.down())
	}
	if len(e.rev.DependsOn) > 0 {
		fmt.Fprintf(&b, "Also depends on: %s\n", joinComma(e.rev.DependsOn))
	}
	if e.info.BranchPoint {
		fmt.Fprintf(&b, "Branches into: %s\n", joinComma(e.info.Children))
	}
	if len(e.info.Labels) > 0 {
		fmt.Fprintf(&b, "Branch names: %s\n", joinComma(e.info.Labels))
	}
	fmt.Fprintf(&b, "Path: %s\n\n", e.path())
	doc := strings.TrimSpace(e.rev.Doc)
	if doc == "" {
		doc = e.rev.Message
	}
	for l := range strings.SplitSeq(doc, "\n") {
		b.WriteString(strings.TrimRight("    "+l, " ") + "\n")
	}
	return b.String()
}

// jsonRevision is one revision in --format json output.
type jsonRevision struct {
	Revision      string   `json:"revision"`
	Revises       []string `json:"revises"`
	BranchLabels  []string `json:"branch_labels"`
	DependsOn     []string `json:"depends_on"`
	Message       string   `json:"message"`
	Doc           string   `json:"doc"`
	Path          string   `json:"path"`
	Head          bool     `json:"head"`
	EffectiveHead bool     `json:"effective_head"`
	Base          bool     `json:"base"`
	BranchPoint   bool     `json:"branch_point"`
	MergePoint    bool     `json:"merge_point"`
	Children      []string `json:"children"`
	Current       bool     `json:"current"`
}

// revisionsJSON is the data of the read commands (current, history,
// heads, branches, show).
type revisionsJSON struct {
	URL       string         `json:"url,omitempty"`
	Revisions []jsonRevision `json:"revisions"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (e entry) json() jsonRevision {
	return jsonRevision{
		Revision:      e.rev.ID,
		Revises:       nonNil(e.rev.Revises),
		BranchLabels:  nonNil(e.info.Labels),
		DependsOn:     nonNil(e.rev.DependsOn),
		Message:       e.rev.Message,
		Doc:           e.rev.Doc,
		Path:          e.path(),
		Head:          e.info.RealHead,
		EffectiveHead: e.info.Head && !e.info.RealHead,
		Base:          e.info.Base,
		BranchPoint:   e.info.BranchPoint,
		MergePoint:    e.info.MergePoint,
		Children:      nonNil(e.info.Children),
		Current:       e.current,
	}
}

func revisionsData(url string, entries []entry) revisionsJSON {
	doc := revisionsJSON{URL: url, Revisions: make([]jsonRevision, 0, len(entries))}
	for _, e := range entries {
		doc.Revisions = append(doc.Revisions, e.json())
	}
	return doc
}
