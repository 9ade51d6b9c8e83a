package retort_test

import (
	"slices"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// ticketTarget is a Go target with the named enum type state (as for
// PostgreSQL) and a table that uses it.
func ticketTarget(values ...string) *schema.Database {
	return &schema.Database{
		Enums: []schema.Enum{{Name: "state", Values: values}},
		Tables: []schema.Table{schema.NewTable("ticket",
			schema.Column("id", schema.Integer, schema.PrimaryKey()),
			schema.Column("state", schema.EnumType("state"), schema.NotNull(), schema.Default("open")),
			schema.Column("note", schema.Text))},
	}
}

// TestMySQLEnumRoundTrip: a table with an ENUM column made by a
// migration is inspected back with its values (quotes and backslashes
// included), and compares equal to a target that declares the column
// with a named enum type; a new value in the target is one operation (a
// MODIFY COLUMN), which applies, after which nothing is left. Triggers
// and routines in the database are not compared and do not get in the
// way.
func TestMySQLEnumRoundTrip(t *testing.T) {
	t.Parallel()
	url := dbtest.MySQL(t)
	values := []string{"open", "it's done", `back\slash`}
	revs := []rev{{id: "r01",
		up: "CREATE TABLE ticket (id INT PRIMARY KEY, state ENUM('open', 'it''s done', 'back\\\\slash') NOT NULL DEFAULT 'open', note TEXT);\n" +
			"CREATE TABLE audit (n INT);",
		down: "DROP TABLE ticket;\nDROP TABLE audit;"}}
	cfg := writeProject(t, t.TempDir(), url, revs, "")
	env := open(t, cfg, retort.WithTarget(ticketTarget(values...)))
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	db := dbtest.Open(t, url)
	for _, s := range []string{
		"CREATE TRIGGER ticket_audit AFTER INSERT ON ticket FOR EACH ROW INSERT INTO audit VALUES (NEW.id)",
		"CREATE PROCEDURE touch() BEGIN UPDATE ticket SET note = 'x'; END",
		"CREATE FUNCTION twice(n INT) RETURNS INT DETERMINISTIC RETURN n * 2",
	} {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	got, err := env.Inspect(t.Context(), "ticket")
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := got.Table("", "ticket").Column("state"); c.Type != schema.EnumOf(values...) || c.Default != schema.Literal("open") {
		t.Fatalf("inspected state: %s default %v; want %s", c.Type, c.Default, schema.EnumOf(values...))
	}
	// audit is not in the target: leave it out of the comparison.
	env = open(t, cfg, retort.WithTarget(withAudit(ticketTarget(values...))))
	if left := autogenerate(t, env); len(left) > 0 {
		t.Fatalf("same values: %q", describeOps(left))
	}

	more := append(slices.Clone(values), "closed")
	env = open(t, cfg, retort.WithTarget(withAudit(ticketTarget(more...))))
	list := autogenerate(t, env)
	if len(list) != 1 {
		t.Fatalf("a new value: %q, want one operation", describeOps(list))
	}
	alter, ok := list[0].(ops.AlterColumn)
	if !ok || alter.Type == nil || *alter.Type != schema.EnumOf(more...) {
		t.Fatalf("a new value: %#v", list[0])
	}
	if err := env.RunOperations(t.Context(), list...); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), "INSERT INTO ticket (id, state) VALUES (1, 'closed')"); err != nil {
		t.Fatalf("the new value after the change: %v", err)
	}
	if left := autogenerate(t, env); len(left) > 0 {
		t.Errorf("after applying: %q", describeOps(left))
	}
}

// withAudit adds the audit table the migration makes to a target.
func withAudit(db *schema.Database) *schema.Database {
	db.Tables = append(db.Tables, schema.NewTable("audit", schema.Column("n", schema.Integer)))
	return db
}

// TestMySQLOnUpdateRoundTrip: a column's ON UPDATE clause made by a
// migration is inspected, compares equal to a target that declares it,
// survives a MODIFY COLUMN of the column (MySQL restates the whole
// column), and its removal is one operation that applies.
func TestMySQLOnUpdateRoundTrip(t *testing.T) {
	t.Parallel()
	url := dbtest.MySQL(t)
	revs := []rev{{id: "r01",
		up:   "CREATE TABLE note (id INT PRIMARY KEY, touched TIMESTAMP(6) NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6));",
		down: "DROP TABLE note;"}}
	target := func(opts ...schema.ColumnOption) *schema.Database {
		return &schema.Database{Tables: []schema.Table{schema.NewTable("note",
			schema.Column("id", schema.Integer, schema.PrimaryKey()),
			schema.Column("touched", schema.TimestampTZ, append([]schema.ColumnOption{schema.DefaultExpr("CURRENT_TIMESTAMP(6)")}, opts...)...))}}
	}
	cfg := writeProject(t, t.TempDir(), url, revs, "")
	env := open(t, cfg, retort.WithTarget(target(schema.OnUpdateSet("CURRENT_TIMESTAMP(6)"))))
	if err := env.Upgrade(t.Context(), "head"); err != nil {
		t.Fatal(err)
	}
	if left := autogenerate(t, env); len(left) > 0 {
		t.Fatalf("same clause: %q", describeOps(left))
	}
	// NOT NULL restates the column: the clause stays.
	env = open(t, cfg, retort.WithTarget(target(schema.OnUpdateSet("CURRENT_TIMESTAMP(6)"), schema.NotNull())))
	list := autogenerate(t, env)
	if err := env.RunOperations(t.Context(), list...); err != nil {
		t.Fatal(err)
	}
	if left := autogenerate(t, env); len(left) > 0 {
		t.Fatalf("after NOT NULL: %q", describeOps(left))
	}
	env = open(t, cfg, retort.WithTarget(target(schema.NotNull())))
	list = autogenerate(t, env)
	if len(list) != 1 {
		t.Fatalf("the clause removed: %q, want one operation", describeOps(list))
	}
	if err := env.RunOperations(t.Context(), list...); err != nil {
		t.Fatal(err)
	}
	got, err := env.Inspect(t.Context(), "note")
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := got.Table("", "note").Column("touched"); c.OnUpdate != "" || c.Nullable {
		t.Errorf("after removing the clause: %+v", c)
	}
}
