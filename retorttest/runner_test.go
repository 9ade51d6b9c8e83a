package retorttest

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/schema"
)

func TestRunnerNavigation(t *testing.T) {
	t.Parallel()
	four := with(good, mig{id: "d4", revises: "c3", up: []string{"CREATE TABLE note (id INTEGER PRIMARY KEY)"}, down: []string{"DROP TABLE note"}})
	r := NewRunner(t, sqliteConfig(four...))
	ctx := t.Context()
	if got, want := r.History(), (History{"base", "a1", "b2", "c3", "d4", "heads"}); !slices.Equal(got, want) {
		t.Fatalf("History = %v, want %v", got, want)
	}
	if got := r.Heads(); !slices.Equal(got, []string{"d4"}) {
		t.Fatalf("Heads = %v", got)
	}
	current := func(want string) {
		t.Helper()
		got, err := r.Current(ctx)
		if err != nil || got != want {
			t.Fatalf("Current = %q, %v; want %q", got, err, want)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	current("base")
	must(r.UpgradeBefore(ctx, "c3"))
	current("b2")
	up, err := r.MigrateUpOne(ctx)
	must(err)
	if up != "c3" {
		t.Fatalf("MigrateUpOne = %q", up)
	}
	must(r.UpgradeTo(ctx, "head"))
	current("d4")
	if up, err := r.MigrateUpOne(ctx); err != nil || up != "" {
		t.Fatalf("MigrateUpOne at head = %q, %v", up, err)
	}
	must(r.DowngradeBefore(ctx, "b2"))
	current("c3")
	down, err := r.MigrateDownOne(ctx)
	must(err)
	if down != "b2" {
		t.Fatalf("MigrateDownOne = %q", down)
	}
	rt, err := r.RoundTripNext(ctx)
	must(err)
	if rt != "c3" {
		t.Fatalf("RoundTripNext = %q", rt)
	}
	must(r.DowngradeTo(ctx, "base"))
	current("base")
	if down, err := r.MigrateDownOne(ctx); err != nil || down != "" {
		t.Fatalf("MigrateDownOne at base = %q, %v", down, err)
	}
	if err := r.UpgradeTo(ctx, "c"); err == nil {
		t.Fatal("UpgradeTo a partial id: want an error")
	}

	// TableAt moves the database and inspects the table there.
	tbl, err := r.TableAt(ctx, "b2", "customer")
	must(err)
	if _, ok := tbl.Column("email"); !ok {
		t.Errorf("customer at b2 lacks email: %+v", tbl.Columns)
	}
	tbl, err = r.TableAt(ctx, "a1", "customer")
	must(err)
	if _, ok := tbl.Column("email"); ok {
		t.Errorf("customer at a1 has email")
	}
	current("a1")
	must(r.InsertInto(ctx, "customer", Row{"id": 7, "name": "ada"}, Row{"id": 8, "name": "bob"}))
	if n, err := r.countRows(ctx, "customer", Row{}); err != nil || n != 2 {
		t.Fatalf("rows = %d, %v", n, err)
	}
	db, err := r.Schema(ctx)
	must(err)
	if len(db.Tables) != 1 || db.Tables[0].Name != "customer" {
		t.Errorf("Schema tables = %+v (the version table is left out)", db.Tables)
	}
}

// TestRunnerData is pytest-alembic's example: with history A > B > C > D,
// before_revision_data of B goes in at A and at_revision_data of C at C.
func TestRunnerData(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []string
	count := func(rev string) func(context.Context, *retort.Op) error {
		return func(_ context.Context, op *retort.Op) error {
			q, err := op.Querier()
			if err != nil {
				return err
			}
			var n int
			if err := q.QueryRowContext(context.Background(), "SELECT count(*) FROM t").Scan(&n); err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, rev+":"+string(rune('0'+n)))
			return nil
		}
	}
	reg := &retort.Registry{}
	reg.Add(retort.Migration{Revision: "A", Upgrade: execAll([]string{"CREATE TABLE t (x INTEGER)"}), Downgrade: execAll([]string{"DROP TABLE t"})})
	for _, m := range []struct{ id, revises string }{{"B", "A"}, {"C", "B"}, {"D", "C"}} {
		reg.Add(retort.Migration{Revision: m.id, Revises: []string{m.revises}, Upgrade: count(m.id), Downgrade: count(m.id + "-down")})
	}
	cfg := sqliteConfig()
	cfg.Options = append(cfg.Options[:1], retort.WithRegistry(reg))
	cfg.BeforeRevisionData = map[string][]Data{"B": {{Table: "t", Rows: []Row{{"x": 1}, {"x": 2}}}}}
	cfg.AtRevisionData = map[string][]Data{"C": {{Table: "t", Rows: []Row{{"x": 3}}}}}
	r := NewRunner(t, cfg)
	if err := r.UpgradeTo(t.Context(), "heads"); err != nil {
		t.Fatal(err)
	}
	if want := []string{"B:2", "C:2", "D:3"}; !slices.Equal(seen, want) {
		t.Fatalf("counts seen by the migrations = %v, want %v", seen, want)
	}
	runOne(t, cfg, DataRoundTrip).passed(t)
}

// TestMinimumDowngradeRevision checks pytest-alembic's two readings on
// history base,a,b,c,d with minimum c.
func TestMinimumDowngradeRevision(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		test string
		want []string
	}{
		{UpDownConsistency, nil},
		{DowngradeLeavesNoTrace, []string{"d", "c"}},
		{DataRoundTrip, nil},
	} {
		t.Run(tt.test, func(t *testing.T) {
			var mu sync.Mutex
			var downs []string
			reg := &retort.Registry{}
			prev := ""
			for _, id := range []string{"a", "b", "c", "d"} {
				var revises []string
				if prev != "" {
					revises = []string{prev}
				}
				reg.Add(retort.Migration{Revision: id, Revises: revises,
					Upgrade: execAll([]string{"CREATE TABLE t_" + id + " (x INTEGER)"}),
					Downgrade: func(_ context.Context, op *retort.Op) error {
						if op.Offline() {
							// rendered without a database for its checksum
							return op.Exec("DROP TABLE t_" + id)
						}
						mu.Lock()
						downs = append(downs, id)
						mu.Unlock()
						return op.Exec("DROP TABLE t_" + id)
					}})
				prev = id
			}
			cfg := sqliteConfig()
			cfg.Options = append(cfg.Options[:1], retort.WithRegistry(reg))
			cfg.MinimumDowngradeRevision = "c"
			cfg.AtRevisionData = map[string][]Data{"a": {{Table: "t_a", Rows: []Row{{"x": 1}}}}}
			runOne(t, cfg, tt.test).passed(t)
			if !slices.Equal(downs, tt.want) {
				t.Errorf("downgrades run = %v, want %v", downs, tt.want)
			}
		})
	}
}

// TestBranchedHistory runs the built-in tests over a branch and its merge.
func TestBranchedHistory(t *testing.T) {
	t.Parallel()
	migs := []mig{
		{id: "a1", up: []string{"CREATE TABLE customer (id INTEGER PRIMARY KEY)"}, down: []string{"DROP TABLE customer"}},
		{id: "b2", revises: "a1", up: []string{"CREATE TABLE left_t (id INTEGER)"}, down: []string{"DROP TABLE left_t"}},
		{id: "c3", revises: "a1", up: []string{"CREATE TABLE right_t (id INTEGER)"}, down: []string{"DROP TABLE right_t"}},
		{id: "d4", revises: "b2,c3", up: []string{"CREATE INDEX ix_customer ON customer (id)"}, down: []string{"DROP INDEX ix_customer"}},
	}
	cfg := sqliteConfig(migs...)
	cfg.Target = &schema.Database{Tables: []schema.Table{
		schema.NewTable("customer", schema.Column("id", schema.Integer, schema.PrimaryKey()), schema.Index("ix_customer", "id")),
		schema.NewTable("left_t", schema.Column("id", schema.Integer)),
		schema.NewTable("right_t", schema.Column("id", schema.Integer)),
	}}
	for _, name := range []string{SingleHeadRevision, Upgrade, ModelDefinitionsMatchDDL, UpDownConsistency, DowngradeLeavesNoTrace} {
		t.Run(name, func(t *testing.T) { runOne(t, cfg, name).passed(t) })
	}
	h := NewRunner(t, cfg).History()
	if len(h) != 6 || h[0] != "base" || h[1] != "a1" || h[4] != "d4" || h[5] != "heads" {
		t.Errorf("History = %v", h)
	}
}
