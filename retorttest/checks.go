package retorttest

import (
	"context"
	"errors"
	"fmt"
	"github.com/retortdb/retort/render"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/runner"
	"github.com/retortdb/retort/schema"
)

// builtin is one built-in test.
type builtin struct {
	name string
	run  func(ctx context.Context, c *checker) error
}

var builtins = []builtin{
	{SingleHeadRevision, singleHeadRevision},
	{Upgrade, upgrade},
	{ModelDefinitionsMatchDDL, modelDefinitionsMatchDDL},
	{UpDownConsistency, upDownConsistency},
	{DowngradeLeavesNoTrace, downgradeLeavesNoTrace},
	{AllModelsRegisterOnMetadata, allModelsRegisterOnMetadata},
	{DataRoundTrip, dataRoundTrip},
}

// checker is what a built-in test works with: the config, a runner on a
// fresh database (opened on first use) and a log.
type checker struct {
	cfg     Config
	label   string
	logf    func(format string, args ...any)
	cleanup func(func())
	r       *Runner
}

// runner opens the test's database and migrations.
func (c *checker) runner(ctx context.Context) (*Runner, error) {
	if c.r != nil {
		return c.r, nil
	}
	r, skip, err := open(ctx, c.cfg, c.label)
	if skip != "" {
		return nil, &skipError{skip}
	}
	if err != nil {
		return nil, err
	}
	c.cleanup(func() {
		if err := r.close(context.Background()); err != nil {
			c.logf("%v", err)
		}
	})
	c.r = r
	return r, nil
}

// graph loads the migrations without a database.
func (c *checker) graph(ctx context.Context) (*retort.Env, error) {
	settings, err := c.cfg.settings()
	if err != nil {
		return nil, err
	}
	var opts []retort.Option
	if c.cfg.Dialect != "" {
		opts = append(opts, retort.WithDialect(c.cfg.Dialect))
	}
	return retort.Open(ctx, settings, append(slices.Clone(c.cfg.Options), opts...)...)
}

// singleHeadRevision: the graph has one real head (or Config.Heads).
func singleHeadRevision(ctx context.Context, c *checker) error {
	env, err := c.graph(ctx)
	if err != nil {
		return err
	}
	want := max(c.cfg.Heads, 1)
	var heads []string
	for _, h := range env.Graph().RealHeads() {
		heads = append(heads, h.ID)
	}
	if len(heads) == want {
		return nil
	}
	return &Failure{
		Test:    SingleHeadRevision,
		Message: fmt.Sprintf("Expected %d head revision%s, found %d", want, plural(want), len(heads)),
		Context: []Section{{"Heads", strings.Join(heads, "\n")}},
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// upgrade: an empty database upgrades to heads one revision at a time.
func upgrade(ctx context.Context, c *checker) error {
	r, err := c.runner(ctx)
	if err != nil {
		return err
	}
	// The transaction policy of a real 'upgrade heads' first: stepping
	// one revision at a time would hide what one transaction cannot hold.
	if err := r.env.CheckPlan(retort.Request{Kind: retort.Upgrade, Target: "heads"}, nil); err != nil {
		return stepFailure(Upgrade, "Failed to upgrade to the head revision: a real 'upgrade heads' would fail before running anything.", err)
	}
	if err := r.UpgradeTo(ctx, "heads"); err != nil {
		return stepFailure(Upgrade, "Failed to upgrade to the head revision. This means the historical chain from an empty database, to the current revision is not possible.", err)
	}
	return nil
}

// stepFailure describes a failed runner move, naming the revision.
func stepFailure(test, msg string, err error) *Failure {
	f := &Failure{Test: test, Message: msg, Err: err}
	var se *StepError
	var ie *InsertError
	switch {
	case errors.As(err, &ie):
		f.Revision = ie.Revision
	case errors.As(err, &se):
		f.Revision = se.To
		if se.Direction == "downgrade" {
			f.Revision = se.From
		}
	}
	var tp *runner.TxPolicyError
	if errors.As(err, &tp) {
		f.Revision = tp.Revision
	}
	var pe *runner.PartialError
	if errors.As(err, &pe) && pe.Failed != "" {
		f.Revision = pe.Failed
	}
	if f.Revision != "" {
		f.Context = append(f.Context, Section{"Failing Revision", f.Revision})
	}
	f.Context = append(f.Context, Section{"Error", err.Error()})
	return f
}

// noDowngrade reports whether err means that the revision moved from
// has no downgrade (pytest-alembic's NotImplementedError): an SQL file
// without a downgrade section, a Go migration without a Downgrade
// function, or an irreversible operation.
func (r *Runner) noDowngrade(err error) (string, bool) {
	var se *StepError
	if !errors.As(err, &se) || se.Direction != "downgrade" {
		return "", false
	}
	if errors.Is(err, ops.ErrIrreversible) {
		return se.From, true
	}
	rev := r.env.Graph().Get(se.From)
	if rev == nil {
		return "", false
	}
	if sc := r.env.Script(rev.ID); sc != nil {
		return se.From, !sc.HasDowngrade
	}
	// A Go migration without a Downgrade fails as bad input before
	// anything runs; a failure while running is a *PartialError.
	var pe *runner.PartialError
	return se.From, rev.Source.Go && errors.Is(err, retort.ErrBadInput) && !errors.As(err, &pe)
}

// notImplementedWarning is pytest-alembic's warning for a downgrade that
// cannot run.
func notImplementedWarning(rev string, t Terms) string {
	return fmt.Sprintf("warning: the %s downgrade cannot run (no downgrade, or an irreversible operation), which short-circuited the downgrade operation and may have passed the test. If intended, and downgrades can not safely be performed below this migration, see %s to avoid this warning.", rev, t.MinimumDowngradeRevision)
}

// upDownConsistency: every revision upgrades one at a time, downgrades
// one at a time from head (stopping before MinimumDowngradeRevision),
// then upgrades again.
func upDownConsistency(ctx context.Context, c *checker) error {
	r, err := c.runner(ctx)
	if err != nil {
		return err
	}
	h := r.history
	for _, rev := range h {
		if err := r.UpgradeTo(ctx, rev); err != nil {
			return stepFailure(UpDownConsistency, "Failed to upgrade through each revision individually.", err)
		}
	}
	var downgraded []string
	for _, rev := range slices.Backward(h[:len(h)-1]) {
		if rev == c.cfg.MinimumDowngradeRevision {
			break
		}
		if err := r.DowngradeTo(ctx, rev); err != nil {
			if from, ok := r.noDowngrade(err); ok {
				c.logf("%s", notImplementedWarning(from, c.cfg.terms()))
				break
			}
			return stepFailure(UpDownConsistency, "Failed to downgrade through each revision individually.", err)
		}
		downgraded = append(downgraded, rev)
	}
	for _, rev := range slices.Backward(downgraded) {
		if err := r.UpgradeTo(ctx, rev); err != nil {
			return stepFailure(UpDownConsistency, "Failed to upgrade through each revision individually after performing a roundtrip upgrade -> downgrade -> upgrade cycle.", err)
		}
	}
	return nil
}

// downgradeLeavesNoTrace: each revision's downgrade restores the schema
// its upgrade started from. The schema is snapshotted once per revision
// on the way up and compared once on the way down, so the test is
// linear in the length of the history.
func downgradeLeavesNoTrace(ctx context.Context, c *checker) error {
	r, err := c.runner(ctx)
	if err != nil {
		return err
	}
	h := r.history[:len(r.history)-1] // base .. last revision
	if len(h) == 1 {
		return nil
	}
	// Revisions from the minimum on are cycled (pytest-alembic starts
	// cycling at the minimum): the walk down ends just below it.
	low := 0
	if m := c.cfg.MinimumDowngradeRevision; m != "" {
		i, err := r.history.Index(m)
		if err != nil {
			return fmt.Errorf("MinimumDowngradeRevision: %w", err)
		}
		low = max(i-1, 0)
	}
	snaps := make([]*snapshot, len(h))
	rows := make([][]string, len(h))
	for i, rev := range h {
		if err := r.UpgradeTo(ctx, rev); err != nil {
			return stepFailure(DowngradeLeavesNoTrace, "Failed to upgrade through each revision individually.", err)
		}
		if i < low {
			continue
		}
		if snaps[i], err = r.snapshot(ctx); err != nil {
			return err
		}
		if rows[i], err = r.sortedHeads(ctx); err != nil {
			return err
		}
	}
	for i := len(h) - 1; i > low; i-- {
		rev, prev := h[i], h[i-1]
		if err := r.DowngradeTo(ctx, prev); err != nil {
			if from, ok := r.noDowngrade(err); ok {
				c.logf("%s", notImplementedWarning(from, c.cfg.terms()))
				return nil
			}
			return stepFailure(DowngradeLeavesNoTrace, "Failed to downgrade through each revision individually.", err)
		}
		now, err := r.sortedHeads(ctx)
		if err != nil {
			return err
		}
		if !slices.Equal(now, rows[i-1]) {
			// A step across branches that was passed over: the
			// database is not where the upgrade walk was.
			c.logf("not comparing %s: after its downgrade the database is at %v, the upgrade walk was at %v", rev, now, rows[i-1])
			continue
		}
		after, err := r.snapshot(ctx)
		if err != nil {
			return err
		}
		if before := snaps[i-1]; !before.equal(after) {
			return &Failure{
				Test:     DowngradeLeavesNoTrace,
				Revision: rev,
				Message: fmt.Sprintf("There is a difference between the pre-'%s'-upgrade schema, and the post-'%s'-downgrade schema. "+
					"This implies that the upgrade performs some set of DDL changes which the downgrade does not precisely undo.", rev, rev),
				Context: []Section{
					{"Failing Revision", rev},
					{fmt.Sprintf("Schema difference (- before upgrade %s -> %s, + after downgrade %s -> %s)", prev, rev, rev, prev), diffText(before, after)},
				},
			}
		}
	}
	return nil
}

// sortedHeads returns the version table's rows, sorted.
func (r *Runner) sortedHeads(ctx context.Context) ([]string, error) {
	rows, err := r.env.CurrentHeads(ctx)
	if err != nil {
		return nil, err
	}
	slices.Sort(rows)
	return rows, nil
}

func diffText(a, b *snapshot) string {
	d := a.diff(b)
	if len(d) == 0 {
		return "(the schemas differ in a way this description does not show)"
	}
	return strings.Join(d, "\n")
}

// modelDefinitionsMatchDDL: after upgrading to head, the inspected
// database equals the target schema.
func modelDefinitionsMatchDDL(ctx context.Context, c *checker) error {
	if c.cfg.Target == nil {
		return &skipError{"no target schema: set " + c.cfg.terms().Target}
	}
	r, err := c.runner(ctx)
	if err != nil {
		return err
	}
	if err := upgrade(ctx, c); err != nil {
		var f *Failure
		if errors.As(err, &f) {
			f.Test = ModelDefinitionsMatchDDL
		}
		return err
	}
	if !r.canInspect() {
		return &skipError{fmt.Sprintf("the %s dialect has no schema inspector yet, so the database cannot be compared with the target", r.env.Dialect().Name())}
	}
	// What autogenerate would write: the kit fails exactly when
	// "retort revision --autogenerate" would find something to do.
	d, err := autogenerateDiff(ctx, r, c.cfg.Target)
	if err != nil {
		return err
	}
	if len(d) == 0 {
		return nil
	}
	return &Failure{
		Test: ModelDefinitionsMatchDDL,
		Message: "The models describing the DDL of your database are out of sync with the set of steps described in the revision history. " +
			"This usually means that someone has made manual changes to the database's DDL, or some model has been changed without also generating a migration to describe that change.",
		Context: []Section{{"Operations autogenerate would emit (database at head -> target schema)", strings.Join(d, "\n")}},
	}
}

// autogenerateDiff lists the operations autogenerate would emit to bring
// the database to target, each with its SQL: the environment's
// autogenerate settings apply (include_schemas, exclusions, hook), so a
// target spread over several schemas compares as
// "retort revision --autogenerate" would.
func autogenerateDiff(ctx context.Context, r *Runner, target *schema.Database) ([]string, error) {
	d := r.env.Dialect()
	dir, err := r.env.CompareWith(ctx, target, "")
	if err != nil {
		return nil, err
	}
	changes := dir.Upgrade
	if dir.Drop {
		changes = nil
	}
	var out []string
	for _, op := range changes {
		line := op.Describe()
		if sql, err := render.SQL(d, []ops.Operation{op}); err == nil && sql != "" {
			line += "\n    " + strings.ReplaceAll(strings.TrimSpace(sql), "\n", "\n    ")
		}
		out = append(out, line)
	}
	return out, nil
}

// allModelsRegisterOnMetadata: every table the application's structs
// map to is in the target schema, with the same columns.
func allModelsRegisterOnMetadata(_ context.Context, c *checker) error {
	if len(c.cfg.Models) == 0 {
		return &skipError{"no models: set " + c.cfg.terms().Models}
	}
	if c.cfg.Target == nil {
		return &Failure{Test: AllModelsRegisterOnMetadata, Message: "Config.Models is set but Config.Target is not: there is no target schema to find the models' tables in."}
	}
	var problems, missing []string
	for _, m := range c.cfg.Models {
		name := qualified(m.Schema, m.Name, modelDefaultSchema)
		t := findTable(c.cfg.Target, m.Schema, m.Name)
		if t == nil {
			missing = append(missing, name)
			continue
		}
		for _, col := range m.Columns {
			tc, ok := t.Column(col.Name)
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s: column %s is not in the target schema", name, col.Name))
			case tc.Type != col.Type:
				problems = append(problems, fmt.Sprintf("%s: column %s is %s in the model, %s in the target schema", name, col.Name, col.Type, tc.Type))
			case tc.Nullable != col.Nullable && !col.PrimaryKey:
				problems = append(problems, fmt.Sprintf("%s: column %s is %s in the model, %s in the target schema", name, col.Name, nullWord(col.Nullable), nullWord(tc.Nullable)))
			}
		}
	}
	for _, t := range c.cfg.Target.Tables {
		if !slices.ContainsFunc(c.cfg.Models, func(m *schema.Table) bool { return sameName(m.Schema, m.Name, t.Schema, t.Name) }) {
			c.logf("table %s of the target schema has no model", qualified(t.Schema, t.Name, modelDefaultSchema))
		}
	}
	if len(missing) == 0 && len(problems) == 0 {
		return nil
	}
	f := &Failure{Test: AllModelsRegisterOnMetadata, Message: "There was a difference detected between the tables the application's models map to and the target schema."}
	if len(missing) > 0 {
		f.Message += " The following tables are affected: " + strings.Join(missing, ", ") + "."
		f.Context = append(f.Context, Section{"Tables missing from the target schema", strings.Join(missing, "\n")})
	}
	if len(problems) > 0 {
		f.Context = append(f.Context, Section{"Columns that differ", strings.Join(problems, "\n")})
	}
	return f
}

func nullWord(nullable bool) string {
	if nullable {
		return "nullable"
	}
	return "not null"
}

func findTable(db *schema.Database, s, name string) *schema.Table {
	for i := range db.Tables {
		t := &db.Tables[i]
		if sameName(s, name, t.Schema, t.Name) {
			return t
		}
	}
	return nil
}

// modelDefaultSchema is the schema a model or target table may name
// that means no schema: PostgreSQL's default, which models written for
// it often spell out.
const modelDefaultSchema = "public"

func sameName(s1, n1, s2, n2 string) bool {
	return n1 == n2 && qualified(s1, n1, modelDefaultSchema) == qualified(s2, n2, modelDefaultSchema)
}
