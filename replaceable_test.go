package retort_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/schema"
)

// cookbookObjects are the replaceable objects of the cookbook's story,
// per revision, on one backend.
type cookbookObjects struct {
	view, sp, trigger [3]ops.ReplaceableObject
	// setup are objects that revision 1 creates and nothing replaces
	// (the trigger function on PostgreSQL).
	setup []ops.ReplaceableObject
}

func cookbook(backend string) cookbookObjects {
	var c cookbookObjects
	view := func(def string) ops.ReplaceableObject {
		return ops.ReplaceableObject{Kind: ops.ViewObject, Name: "customer_view", Definition: def}
	}
	c.view = [3]ops.ReplaceableObject{
		view("SELECT name, order_count FROM customer WHERE order_count > 0"),
		view("SELECT name, order_count, email FROM customer WHERE order_count > 0"),
		// Fewer columns: CREATE OR REPLACE VIEW could not do this.
		view("SELECT name, email FROM customer WHERE order_count > 1"),
	}
	trigger := func(def string) ops.ReplaceableObject {
		return ops.ReplaceableObject{Kind: ops.TriggerObject, Name: "customer_audit", Table: "customer", Definition: def}
	}
	if backend == "sqlite" {
		body := func(tag string) string {
			return "AFTER INSERT ON customer FOR EACH ROW BEGIN INSERT INTO audit (note) VALUES ('" + tag + ":' || NEW.name); END"
		}
		c.trigger = [3]ops.ReplaceableObject{trigger(body("v1")), trigger(body("v2")), trigger(body("v3"))}
		return c
	}
	sp := func(args, result, ret string) ops.ReplaceableObject {
		return ops.ReplaceableObject{Kind: ops.FunctionObject, Name: "add_customer_sp(" + args + ")", Definition: `RETURNS ` + result + ` AS $$
BEGIN
    INSERT INTO customer (name, order_count) VALUES (in_name, in_order_count);
    RETURN ` + ret + `;
END;
$$ LANGUAGE plpgsql`}
	}
	c.sp = [3]ops.ReplaceableObject{
		sp("in_name varchar, in_order_count integer", "integer", "1"),
		// New arguments: a new overload unless the old one is dropped.
		sp("in_name varchar, in_order_count integer, in_email varchar", "integer", "2"),
		// New result type: CREATE OR REPLACE FUNCTION could not do this.
		sp("in_name varchar, in_order_count integer, in_email varchar", "bigint", "3"),
	}
	c.setup = []ops.ReplaceableObject{{Kind: ops.FunctionObject, Name: "customer_audit_fn()", Definition: `RETURNS trigger AS $$
BEGIN
    INSERT INTO audit (note) VALUES (TG_ARGV[0] || ':' || NEW.name);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql`}}
	body := func(tag string) string {
		return "AFTER INSERT ON customer FOR EACH ROW EXECUTE FUNCTION customer_audit_fn('" + tag + "')"
	}
	c.trigger = [3]ops.ReplaceableObject{trigger(body("v1")), trigger(body("v2")), trigger(body("v3"))}
	return c
}

// objects returns the revision's objects by the names references use.
func (c cookbookObjects) objects(i int) map[string]ops.ReplaceableObject {
	m := map[string]ops.ReplaceableObject{"customer_view": c.view[i], "customer_audit": c.trigger[i]}
	if c.sp[i].Name != "" {
		m["add_customer_sp"] = c.sp[i]
	}
	return m
}

// names lists the keys of objects in the order the story creates them.
func (c cookbookObjects) names() []string {
	if c.sp[0].Name == "" {
		return []string{"customer_view", "customer_audit"}
	}
	return []string{"customer_view", "add_customer_sp", "customer_audit"}
}

// cookbookRegistry is the cookbook's story in Go: rev1 creates a table
// with a view, a function and a trigger; rev2 adds a column and
// replaces them by reference to rev1; rev3 replaces them again by
// reference to rev2. Each downgrade is the reverse of its upgrade, so
// it restores the earlier definitions without restating them.
func cookbookRegistry(backend string) *retort.Registry {
	c := cookbook(backend)
	reg := &retort.Registry{}

	rev1 := ops.Sequence{
		ops.CreateTable{Table: schema.NewTable("audit", schema.Column("note", schema.Text))},
		ops.CreateTable{Table: schema.NewTable("customer",
			schema.Column("id", schema.BigInt, schema.PrimaryKey(), schema.GeneratedByDefault()),
			schema.Column("name", schema.Varchar(100)),
			schema.Column("order_count", schema.Integer))},
	}
	for _, o := range c.setup {
		rev1 = append(rev1, ops.CreateObject{Object: o})
	}
	for _, name := range c.names() {
		rev1 = append(rev1, ops.CreateObject{Object: c.objects(0)[name]})
	}
	reg.Add(retort.Migration{
		Revision: "rev1", Message: "create table, views/sp", Objects: c.objects(0),
		Upgrade:   func(ctx context.Context, op *retort.Op) error { return op.Run(rev1) },
		Downgrade: func(ctx context.Context, op *retort.Op) error { return op.Revert(rev1...) },
	})

	rev2 := ops.Sequence{ops.AddColumn{Table: "customer", Column: schema.Column("email", schema.Varchar(100))}}
	for _, name := range c.names() {
		rev2 = append(rev2, ops.ReplaceObject{Object: c.objects(1)[name], Replaces: "rev1." + name})
	}
	reg.Add(retort.Migration{
		Revision: "rev2", Revises: []string{"rev1"}, Message: "add email, update views/sp", Objects: c.objects(1),
		Upgrade:   func(ctx context.Context, op *retort.Op) error { return op.Run(rev2) },
		Downgrade: func(ctx context.Context, op *retort.Op) error { return op.Revert(rev2) },
	})

	// rev3 is written the cookbook's way: replace in the upgrade,
	// replace_with in the downgrade.
	reg.Add(retort.Migration{
		Revision: "rev3", Revises: []string{"rev2"}, Message: "update views/sp again", Objects: c.objects(2),
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			for _, name := range c.names() {
				if err := op.ReplaceObject(c.objects(2)[name], "rev2."+name); err != nil {
					return err
				}
			}
			return nil
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error {
			for _, name := range c.names() {
				if err := op.Run(ops.ReplaceObject{Object: c.objects(2)[name], ReplaceWith: "rev2." + name}); err != nil {
					return err
				}
			}
			return nil
		},
	})
	return reg
}

// definitions reads back, from the catalog, the definitions of every
// view, function and trigger the story makes, as the database keeps
// them: all overloads of add_customer_sp, so a stale one shows.
func definitions(t testing.TB, db *sql.DB, backend string) string {
	t.Helper()
	q := `SELECT coalesce(string_agg(d, E'\n---\n' ORDER BY d), '') FROM (
		SELECT 'view ' || c.relname || ': ' || pg_get_viewdef(c.oid) AS d
		FROM pg_class c WHERE c.relkind = 'v' AND c.relnamespace = current_schema()::regnamespace
		UNION ALL
		SELECT pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
		UNION ALL
		SELECT pg_get_triggerdef(g.oid) FROM pg_trigger g WHERE NOT g.tgisinternal) x`
	if backend == "sqlite" {
		q = `SELECT coalesce(group_concat(d, char(10) || '---' || char(10)), '') FROM (
			SELECT type || ' ' || name || ': ' || sql AS d FROM sqlite_master
			WHERE type IN ('view', 'trigger') ORDER BY d)`
	}
	var s string
	if err := db.QueryRowContext(t.Context(), q).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// behaviour inserts a customer (through add_customer_sp on PostgreSQL)
// and returns what the function returned and what the trigger logged.
func behaviour(t testing.TB, db *sql.DB, backend string, rev int) (ret int, note string) {
	t.Helper()
	ctx := t.Context()
	var err error
	switch {
	case backend == "sqlite":
		_, err = db.ExecContext(ctx, `INSERT INTO customer (name, order_count) VALUES ('Ann', 2)`)
	case rev == 1:
		err = db.QueryRowContext(ctx, `SELECT add_customer_sp('Ann', 2)`).Scan(&ret)
	default:
		// The revision in the text keeps pgx's statement cache from
		// reusing a plan made for another result type.
		err = db.QueryRowContext(ctx, fmt.Sprintf(`SELECT add_customer_sp('Ann', 2, 'ann@example.com') /* rev%d */`, rev)).Scan(&ret)
	}
	if err != nil {
		t.Fatalf("at rev%d: %v", rev, err)
	}
	if err := db.QueryRowContext(ctx, `SELECT note FROM audit ORDER BY note DESC LIMIT 1`).Scan(&note); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DELETE FROM audit`, `DELETE FROM customer`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return ret, note
}

// viewColumns returns customer_view's columns, in order.
func viewColumns(t testing.TB, db *sql.DB, backend string) string {
	t.Helper()
	q := `SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'customer_view'`
	if backend == "sqlite" {
		q = `SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('customer_view') ORDER BY cid)`
	}
	var s string
	if err := db.QueryRowContext(t.Context(), q).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// The cookbook's "Replaceable Objects" on a real database: upgrading
// step by step and to head creates and replaces the objects; each
// downgrade puts back exactly the definitions the earlier revision had,
// read from that revision's Objects; base drops everything.
func TestReplaceableObjects(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			url := b.url(t)
			cfg := writeProject(t, t.TempDir(), url, nil, "")
			env := open(t, cfg, retort.WithRegistry(cookbookRegistry(b.name)))
			db := dbtest.Open(t, url)
			ctx := t.Context()
			wantCols := []string{"name,order_count", "name,order_count,email", "name,email"}

			defs := make([]string, 3)
			for i, rev := range []string{"rev1", "rev2", "rev3"} {
				if err := env.Upgrade(ctx, rev); err != nil {
					t.Fatal(err)
				}
				defs[i] = definitions(t, db, b.name)
			}
			if defs[0] == defs[1] || defs[1] == defs[2] {
				t.Fatalf("replacing changed no definition:\n%s", defs[1])
			}
			if b.name == "postgres" && strings.Count(defs[2], "FUNCTION public.add_customer_sp") != 1 {
				t.Errorf("want one add_customer_sp at head (the old overload dropped):\n%s", defs[2])
			}
			check := func(rev int) {
				t.Helper()
				if got := definitions(t, db, b.name); got != defs[rev-1] {
					t.Errorf("at rev%d definitions are\n%s\nwant\n%s", rev, got, defs[rev-1])
				}
				if got := viewColumns(t, db, b.name); got != wantCols[rev-1] {
					t.Errorf("at rev%d customer_view columns = %s, want %s", rev, got, wantCols[rev-1])
				}
				ret, note := behaviour(t, db, b.name, rev)
				wantRet := rev
				if b.name == "sqlite" {
					wantRet = 0
				}
				if want := "v" + string(rune('0'+rev)) + ":Ann"; ret != wantRet || note != want {
					t.Errorf("at rev%d function returned %d, trigger logged %q; want %d, %q", rev, ret, note, wantRet, want)
				}
			}
			check(3)

			// Down one: rev2's definitions, exactly, then rev1's.
			for _, rev := range []int{2, 1} {
				if err := env.Downgrade(ctx, "-1"); err != nil {
					t.Fatal(err)
				}
				check(rev)
			}
			// From head to rev1 in one run: both downgrades in one go.
			if err := env.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			check(3)
			if err := env.Downgrade(ctx, "rev1"); err != nil {
				t.Fatal(err)
			}
			check(1)

			if err := env.Downgrade(ctx, "base"); err != nil {
				t.Fatal(err)
			}
			if got := definitions(t, db, b.name); got != "" {
				t.Errorf("at base objects remain:\n%s", got)
			}
			if tableExists(t, db, b.name, "customer") {
				t.Error("customer survived downgrade to base")
			}
		})
	}
}

// Offline, references are looked up the same way: the script drops and
// creates the versions the revisions declare, both ways.
func TestReplaceableObjectsOffline(t *testing.T) {
	for _, c := range []struct {
		name, url string
		req       retort.Request
		start     []string
		want      []string
	}{
		{
			name: "postgres upgrade",
			url:  "postgresql://nobody@127.0.0.1:1/never", req: retort.Request{Kind: retort.Upgrade, Target: "head"},
			want: []string{
				`CREATE VIEW "customer_view" AS SELECT name, order_count FROM customer WHERE order_count > 0;`,
				`CREATE FUNCTION "add_customer_sp"(in_name varchar, in_order_count integer) RETURNS integer AS $$`,
				"-- Running upgrade rev1 -> rev2",
				`DROP VIEW "customer_view";` + "\n\n" + `CREATE VIEW "customer_view" AS SELECT name, order_count, email FROM customer WHERE order_count > 0;`,
				`DROP FUNCTION "add_customer_sp"(in_name varchar, in_order_count integer);`,
				`DROP TRIGGER "customer_audit" ON "customer";`,
				`CREATE TRIGGER "customer_audit" AFTER INSERT ON customer FOR EACH ROW EXECUTE FUNCTION customer_audit_fn('v3');`,
			},
		},
		{
			name: "postgres downgrade",
			url:  "postgresql://nobody@127.0.0.1:1/never", req: retort.Request{Kind: retort.Downgrade, Target: "rev2"}, start: []string{"rev3"},
			want: []string{
				"-- Running downgrade rev3 -> rev2",
				`DROP VIEW "customer_view";` + "\n\n" + `CREATE VIEW "customer_view" AS SELECT name, order_count, email FROM customer WHERE order_count > 0;`,
				`CREATE FUNCTION "add_customer_sp"(in_name varchar, in_order_count integer, in_email varchar) RETURNS integer AS $$`,
			},
		},
		{
			name: "sqlite downgrade",
			url:  "sqlite:///never.db", req: retort.Request{Kind: retort.Downgrade, Target: "rev1"}, start: []string{"rev3"},
			want: []string{
				`DROP VIEW "customer_view";` + "\n\n" + `CREATE VIEW "customer_view" AS SELECT name, order_count FROM customer WHERE order_count > 0;`,
				`DROP TRIGGER "customer_audit";` + "\n\n" + `CREATE TRIGGER "customer_audit" AFTER INSERT ON customer FOR EACH ROW BEGIN INSERT INTO audit (note) VALUES ('v1:' || NEW.name); END;`,
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			backend, _, _ := strings.Cut(c.name, " ")
			cfg := writeProject(t, t.TempDir(), c.url, nil, "")
			env := open(t, cfg, retort.WithRegistry(cookbookRegistry(backend)))
			var buf bytes.Buffer
			if _, err := env.SQL(t.Context(), &buf, c.req, c.start); err != nil {
				t.Fatal(err)
			}
			for _, want := range c.want {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("script lacks %q:\n%s", want, buf.String())
				}
			}
		})
	}
}

// A reference that cannot be followed fails the revision, naming it,
// the reference, and what the referenced revision does declare; a
// malformed Objects entry fails when the registry loads.
func TestReplaceableObjectErrors(t *testing.T) {
	view := ops.ReplaceableObject{Kind: ops.ViewObject, Name: "v", Definition: "SELECT 1 AS one"}
	fn := ops.ReplaceableObject{Kind: ops.FunctionObject, Name: "f()", Definition: "RETURNS int LANGUAGE sql AS 'SELECT 1'"}
	base := retort.Migration{
		Revision: "r1", Objects: map[string]ops.ReplaceableObject{"v": view, "f": fn},
		Upgrade: func(ctx context.Context, op *retort.Op) error { return op.CreateObject(view) },
	}
	for _, c := range []struct {
		name    string
		replace ops.ReplaceObject
		want    []string
		target  any
	}{
		{"unknown revision", ops.ReplaceObject{Object: view, Replaces: "nope.v"}, []string{"r2", "nope.v", "no Go migration nope"}, new(*retort.ObjectError)},
		{"unknown name", ops.ReplaceObject{Object: view, Replaces: "r1.w"}, []string{"r2", "r1.w", `declares no object "w"`, "it declares f, v"}, new(*retort.ObjectError)},
		{"malformed", ops.ReplaceObject{Object: view, Replaces: "r1"}, []string{"r2", `"REV.name"`}, new(*retort.ObjectError)},
		{"other kind", ops.ReplaceObject{Object: view, Replaces: "r1.f"}, []string{"r2", "replace view v", "r1.f is a function"}, nil},
		{"no reference", ops.ReplaceObject{Object: view}, []string{"r2", "set Replaces"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			reg := &retort.Registry{}
			reg.Add(base)
			reg.Add(retort.Migration{Revision: "r2", Revises: []string{"r1"},
				Upgrade: func(ctx context.Context, op *retort.Op) error { return op.Run(c.replace) }})
			cfg := writeProject(t, t.TempDir(), "sqlite:///never.db", nil, "")
			env := open(t, cfg, retort.WithRegistry(reg))
			var buf bytes.Buffer
			_, err := env.SQL(t.Context(), &buf, retort.Request{Kind: retort.Upgrade, Target: "head"}, nil)
			if !errors.Is(err, retort.ErrBadInput) {
				t.Fatalf("error = %v, want one matching ErrBadInput", err)
			}
			if c.target != nil && !errors.As(err, c.target) {
				t.Errorf("error %v is not a %T", err, c.target)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}

	t.Run("load", func(t *testing.T) {
		t.Parallel()
		for _, objs := range []map[string]ops.ReplaceableObject{
			{"": view},
			{"v": {Kind: ops.ViewObject, Definition: "SELECT 1"}},
			{"v": {Name: "v", Definition: "SELECT 1"}},
			{"t": {Kind: ops.TriggerObject, Name: "t", Definition: "AFTER INSERT ON x BEGIN SELECT 1; END"}},
		} {
			reg := &retort.Registry{}
			m := base
			m.Objects = objs
			reg.Add(m)
			cfg := writeProject(t, t.TempDir(), "sqlite:///never.db", nil, "")
			_, err := retort.Open(t.Context(), cfg, retort.WithRegistry(reg))
			if _, ok := errors.AsType[*revision.GraphError](err); !ok || !errors.Is(err, retort.ErrBadInput) || !strings.Contains(err.Error(), "Migration.Objects") {
				t.Errorf("Objects %v: error = %v, want a GraphError naming Migration.Objects", objs, err)
			}
		}
	})
}

// Registry.Object is the lookup a reference goes through.
func TestRegistryObject(t *testing.T) {
	view := ops.ReplaceableObject{Kind: ops.ViewObject, Name: "v", Definition: "SELECT 1"}
	reg := &retort.Registry{}
	reg.Add(retort.Migration{Revision: "r1", Objects: map[string]ops.ReplaceableObject{"v": view},
		Upgrade: func(context.Context, *retort.Op) error { return nil }})
	if got, err := reg.Object("r1", "v"); err != nil || got != view {
		t.Errorf("Object(r1, v) = %+v, %v", got, err)
	}
	if _, err := reg.Object("r1", "x"); !errors.Is(err, retort.ErrBadInput) {
		t.Errorf("Object(r1, x) error = %v", err)
	}
}
