package retort

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/internal/par"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/runner"
	"github.com/retortdb/retort/script"
	"github.com/retortdb/retort/sqlsplit"
)

// EditedError reports applied revisions whose content no longer matches
// the checksum recorded when they ran; it matches [ErrEdited].
type EditedError = runner.EditedError

// EditedRevision is one revision of an [EditedError].
type EditedRevision = runner.EditedRevision

// ErrEdited is matched (errors.Is) by *[EditedError].
var ErrEdited = runner.ErrEdited

// Checksum returns the checksum of revision rev (an id or unique
// prefix) as retort records it in the history table: SHA-256 over its
// upgrade and downgrade statements as the splitter yields them, with
// comments and the white space between tokens removed, and its
// no-transaction marker, so edits of white space or comments do not
// change it. A Go revision's checksum covers the SQL its operations
// render; a Go revision that queries the database (op.Querier), or fails
// when rendered without one, is not checksummed: Checksum returns "".
// Go revisions are rendered without -x arguments, so what a migration
// does only under an -x argument is not covered.
func (e *Env) Checksum(rev string) (string, error) {
	r := e.graph.Get(rev)
	if r == nil {
		var err error
		if r, err = e.graph.ResolveOne(rev); err != nil {
			return "", err
		}
		if r == nil {
			return "", fmt.Errorf("revision %q: base has no checksum", rev)
		}
	}
	e.sumsMu.Lock()
	sum, ok := e.sums[r.ID]
	e.sumsMu.Unlock()
	if ok {
		return sum, nil
	}
	sum, err := e.checksum(r)
	if err != nil {
		return "", err
	}
	e.sumsMu.Lock()
	if e.sums == nil {
		e.sums = map[string]string{}
	}
	e.sums[r.ID] = sum
	e.sumsMu.Unlock()
	return sum, nil
}

// prefetchChecksums computes the checksums of the revision files among
// revs that are not known yet on every core, so that checking a long
// history's checksums (each file read and split again) does not take
// one core's time. A Go revision is left to Checksum's calls one at a
// time (its checksum runs its code, which need not be safe to run
// concurrently), and so is a file whose checksum fails here (Checksum
// reports the error).
func (e *Env) prefetchChecksums(revs []*revision.Revision) {
	var todo []*revision.Revision
	e.sumsMu.Lock()
	for _, r := range revs {
		if _, ok := e.sums[r.ID]; !ok && e.scriptOf(r.ID) != nil {
			todo = append(todo, r)
		}
	}
	e.sumsMu.Unlock()
	if len(todo) < 32 {
		return // Checksum's calls do as well
	}
	par.For(len(todo), 32, func(i int) {
		sum, err := e.checksum(todo[i])
		if err != nil {
			return
		}
		e.sumsMu.Lock()
		if e.sums == nil {
			e.sums = map[string]string{}
		}
		e.sums[todo[i].ID] = sum
		e.sumsMu.Unlock()
	})
}

func (e *Env) checksum(r *revision.Revision) (string, error) {
	opts := e.dialect.SplitOptions()
	sm := runner.NewSummer(opts, r.NoTransaction)
	if sc := e.scriptOf(r.ID); sc != nil {
		// The graph index keeps the checksum of a file while its stamp
		// stands (Script.CachedChecksum): no reading and splitting it
		// again on every run.
		key := sumKey(opts)
		if sum, ok := sc.CachedChecksum(key); ok {
			return sum, nil
		}
		sum, err := e.fileChecksum(sc, sm, opts)
		if err == nil {
			sc.SetChecksum(key, sum)
		}
		return sum, err
	}
	m := e.gomigs[r.ID]
	if m == nil {
		return "", fmt.Errorf("revision %s has no migration code", r.ID)
	}
	for _, sec := range []struct {
		name string
		fn   func(context.Context, *Op) error
	}{{"upgrade", m.Upgrade}, {"downgrade", m.Downgrade}} {
		if sec.fn == nil {
			continue
		}
		x := &collectExec{}
		// Rendered without -x arguments, so that the checksum does not
		// depend on them (a migration may render more with -x data=true).
		b := &goBody{fn: sec.fn, dialect: e.dialect, xargs: map[string]string{}, rev: r.ID, reg: e.opts.registry}
		if err := b.Run(context.Background(), x); err != nil {
			return "", nil // code that needs a database: not checksummed
		}
		sm.Section(sec.name)
		for _, s := range x.stmts {
			sm.Statement(s)
		}
	}
	return sm.Sum(), nil
}

// collectExec gathers the statements a Go migration renders, with no
// database.
type collectExec struct{ stmts []string }

func (x *collectExec) Exec(_ context.Context, sql string) error {
	x.stmts = append(x.stmts, sql)
	return nil
}

func (x *collectExec) Querier() dialect.Querier { return nil }

// requestRunner is the runner for req, with its per-request choices.
func (e *Env) requestRunner(req Request) (*runner.Runner, error) {
	r := e.runner()
	r.Record.AllowEdited = req.AllowEdited
	if req.RestartRevision != "" {
		rev, err := e.graph.ResolveOne(req.RestartRevision)
		if err != nil {
			return nil, fmt.Errorf("--restart-revision: %w", err)
		}
		if rev == nil || !rev.NoTransaction {
			return nil, fault.BadInput(fmt.Errorf("--restart-revision %s: only a revision marked '-- +retort no-transaction' can stop part-way; %s is not one", req.RestartRevision, req.RestartRevision))
		}
		r.Record.RestartRevision = rev.ID
	}
	return r, nil
}

// Version returns retort's version as its module was built ("devel"
// when built from a work tree), as history rows record it.
func Version() string { return buildVersion() }

// buildVersion reads the build information once (each read decodes it).
var buildVersion = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	const path = "github.com/retortdb/retort"
	if bi.Main.Path == path && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == path && d.Version != "" {
			return d.Version
		}
	}
	return "devel"
})

// fileChecksum computes the checksum of revision file sc with sm.
func (e *Env) fileChecksum(sc *script.Script, sm *runner.Summer, opts sqlsplit.Options) (string, error) {
	up, err := sc.UpgradeStatements(opts)
	if err != nil {
		return "", err
	}
	sm.Section("upgrade")
	for _, st := range up {
		sm.Statement(st.SQL)
	}
	if sc.HasDowngrade {
		down, err := sc.DowngradeStatements(opts)
		if err != nil {
			return "", err
		}
		sm.Section("downgrade")
		for _, st := range down {
			sm.Statement(st.SQL)
		}
	}
	return sm.Sum(), nil
}

// sumKey names how file checksums are computed, for the graph index:
// the checksum's form, this build of retort, the splitter's options.
func sumKey(opts sqlsplit.Options) string {
	return fmt.Sprintf("%s1 %s %+v", runner.ChecksumPrefix, Version(), opts)
}
