package retort_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	msqlite "modernc.org/sqlite"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

func ptrTo[T any](v T) *T { return &v }

// violation names the constraint kind err reports: "unique", "foreign
// key", "check", "not null", or "" for anything else.
func violation(err error) string {
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		return map[string]string{"23505": "unique", "23503": "foreign key", "23514": "check", "23502": "not null"}[pe.Code]
	}
	if se, ok := errors.AsType[*msqlite.Error](err); ok {
		return map[int]string{2067: "unique", 1555: "unique", 787: "foreign key", 275: "check", 1299: "not null"}[se.Code()]
	}
	return ""
}

// mustViolate runs stmt in a transaction that is rolled back; it must
// fail with a violation of kind.
func mustViolate(t testing.TB, db *sql.DB, kind, stmt string) {
	t.Helper()
	tx, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(t.Context(), stmt)
	if got := violation(err); got != kind {
		t.Errorf("%s: error %v (%q), want a %s violation", stmt, err, got, kind)
	}
}

// mustPass runs stmt in a transaction that is rolled back; it must
// succeed.
func mustPass(t testing.TB, db *sql.DB, stmt string) {
	t.Helper()
	tx, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(t.Context(), stmt); err != nil {
		t.Errorf("%s: %v", stmt, err)
	}
}

func wantValue(t testing.TB, db *sql.DB, query, want string) {
	t.Helper()
	var got sql.NullString
	if err := db.QueryRowContext(t.Context(), query).Scan(&got); err != nil || got.String != want {
		t.Errorf("%s = %q, %v; want %q", query, got.String, err, want)
	}
}

func hasIndex(t testing.TB, db *sql.DB, dialectName, name string) bool {
	t.Helper()
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = $1"
	if dialectName == "postgres" {
		q = "SELECT count(*) FROM pg_indexes WHERE indexname = $1"
	}
	var n int
	if err := db.QueryRowContext(t.Context(), q, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func colExists(t testing.TB, db *sql.DB, dialectName, table, col string) bool {
	t.Helper()
	q := "SELECT count(*) FROM pragma_table_info($1) WHERE name = $2"
	if dialectName == "postgres" {
		q = "SELECT count(*) FROM information_schema.columns WHERE table_name = $1 AND column_name = $2"
	}
	var n int
	if err := db.QueryRowContext(t.Context(), q, table, col).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// batchStep is one revision of the batch story: a batch upgrade, the
// batch that reverses it, and what must hold after the upgrade.
type batchStep struct {
	name     string
	up, down func(b *retort.Batch, dialect string)
	table    string // default customer
	check    func(t testing.TB, dialect string, db *sql.DB)
	noFK     bool // orders' foreign key is dropped at this step
}

func usingFor(dialect, expr string) string {
	if dialect == "postgres" {
		return expr
	}
	return ""
}

var batchStory = []batchStep{
	{name: "drop_column",
		up:   func(b *retort.Batch, _ string) { b.DropColumn("fax") },
		down: func(b *retort.Batch, _ string) { b.AddColumn(schema.Column("fax", schema.Text)) },
		check: func(t testing.TB, d string, db *sql.DB) {
			if colExists(t, db, d, "customer", "fax") {
				t.Error("fax survived")
			}
		}},
	{name: "alter_type",
		up: func(b *retort.Batch, d string) {
			b.AlterColumn("score", ops.AlterColumn{Type: ptrTo(schema.Integer), Using: usingFor(d, "score::integer")})
		},
		down: func(b *retort.Batch, d string) {
			b.AlterColumn("score", ops.AlterColumn{Type: ptrTo(schema.Text), Using: usingFor(d, "score::text")})
		},
		check: func(t testing.TB, d string, db *sql.DB) {
			wantValue(t, db, "SELECT score + 1 FROM customer WHERE id = 2", "21")
			if d == "sqlite" {
				wantValue(t, db, "SELECT typeof(score) FROM customer WHERE id = 2", "integer")
			}
		}},
	{name: "not_null",
		up:   func(b *retort.Batch, _ string) { b.AlterColumn("email", ops.AlterColumn{Nullable: ptrTo(false)}) },
		down: func(b *retort.Batch, _ string) { b.AlterColumn("email", ops.AlterColumn{Nullable: ptrTo(true)}) },
		check: func(t testing.TB, _ string, db *sql.DB) {
			mustViolate(t, db, "not null", "UPDATE customer SET email = NULL WHERE id = 1")
		}},
	{name: "add_unique",
		up:   func(b *retort.Batch, _ string) { b.CreateUniqueConstraint(schema.Unique("uq_customer_score", "score")) },
		down: func(b *retort.Batch, _ string) { b.DropConstraint("uq_customer_score", schema.ConstraintUnique) },
		check: func(t testing.TB, _ string, db *sql.DB) {
			mustViolate(t, db, "unique", "UPDATE customer SET score = 10 WHERE id = 2")
		}},
	{name: "drop_unique",
		up:   func(b *retort.Batch, _ string) { b.DropConstraint("uq_customer_email", schema.ConstraintUnique) },
		down: func(b *retort.Batch, _ string) { b.CreateUniqueConstraint(schema.Unique("uq_customer_email", "email")) },
		check: func(t testing.TB, _ string, db *sql.DB) {
			mustPass(t, db, "UPDATE customer SET email = 'ann@example.com' WHERE id = 2")
		}},
	{name: "add_check",
		up: func(b *retort.Batch, _ string) {
			b.CreateCheckConstraint(schema.Check("ck_customer_score", "score >= 0"))
		},
		down: func(b *retort.Batch, _ string) { b.DropConstraint("ck_customer_score", schema.ConstraintCheck) },
		check: func(t testing.TB, _ string, db *sql.DB) {
			mustViolate(t, db, "check", "UPDATE customer SET score = -1 WHERE id = 2")
		}},
	{name: "drop_check",
		up: func(b *retort.Batch, _ string) { b.DropConstraint("ck_customer_name", schema.ConstraintCheck) },
		down: func(b *retort.Batch, _ string) {
			b.CreateCheckConstraint(schema.Check("ck_customer_name", "length(name) > 0"))
		},
		check: func(t testing.TB, _ string, db *sql.DB) {
			mustPass(t, db, "UPDATE customer SET name = '' WHERE id = 2")
		}},
	{name: "add_fk_several",
		up: func(b *retort.Batch, _ string) {
			b.AddColumn(schema.Column("referrer_id", schema.Integer))
			b.CreateForeignKey(schema.ForeignKey("fk_customer_referrer", []string{"referrer_id"}, "customer", []string{"id"}))
			b.CreateIndex(schema.Index("ix_customer_referrer", "referrer_id"))
		},
		down: func(b *retort.Batch, _ string) {
			b.DropIndex("ix_customer_referrer")
			b.DropConstraint("fk_customer_referrer", schema.ConstraintForeignKey)
			b.DropColumn("referrer_id")
		},
		check: func(t testing.TB, d string, db *sql.DB) {
			mustViolate(t, db, "foreign key", "UPDATE customer SET referrer_id = 999 WHERE id = 2")
			mustPass(t, db, "UPDATE customer SET referrer_id = 1 WHERE id = 2")
			if !hasIndex(t, db, d, "ix_customer_referrer") {
				t.Error("ix_customer_referrer missing")
			}
		}},
	{name: "drop_fk", table: "orders", noFK: true,
		up:   func(b *retort.Batch, _ string) { b.DropConstraint("fk_orders_customer", schema.ConstraintForeignKey) },
		down: func(b *retort.Batch, _ string) { b.CreateForeignKey(ordersFK) },
		check: func(t testing.TB, _ string, db *sql.DB) {
			mustPass(t, db, "UPDATE orders SET customer_id = 999 WHERE id = 1")
		}},
	{name: "rename_column",
		up:   func(b *retort.Batch, _ string) { b.AlterColumn("note", ops.AlterColumn{NewName: "remark"}) },
		down: func(b *retort.Batch, _ string) { b.AlterColumn("remark", ops.AlterColumn{NewName: "note"}) },
		check: func(t testing.TB, d string, db *sql.DB) {
			wantValue(t, db, "SELECT remark FROM customer WHERE id = 1", "vip")
		}},
	{name: "several",
		up: func(b *retort.Batch, d string) {
			b.AddColumn(schema.Column("city", schema.Varchar(40), schema.NotNull(), schema.Default("Paris")))
			b.CreateCheckConstraint(schema.Check("ck_customer_city", "city <> ''"))
			b.AlterColumn("email", ops.AlterColumn{Type: ptrTo(schema.Text), Using: usingFor(d, "email::text")})
			b.AlterColumn("score", ops.AlterColumn{Nullable: ptrTo(false)})
			b.AlterColumn("remark", ops.AlterColumn{NewName: "memo", Default: ptrTo(schema.Literal("none"))})
		},
		down: func(b *retort.Batch, d string) {
			b.AlterColumn("memo", ops.AlterColumn{NewName: "remark", Default: &schema.DefaultValue{}})
			b.AlterColumn("score", ops.AlterColumn{Nullable: ptrTo(true)})
			b.AlterColumn("email", ops.AlterColumn{Type: ptrTo(schema.Varchar(100)), Using: usingFor(d, "email::varchar(100)")})
			b.DropConstraint("ck_customer_city", schema.ConstraintCheck)
			b.DropColumn("city")
		},
		check: func(t testing.TB, d string, db *sql.DB) {
			wantValue(t, db, "SELECT city || memo || score FROM customer WHERE id = 1", "Parisvip10")
			mustViolate(t, db, "check", "UPDATE customer SET city = '' WHERE id = 1")
			mustViolate(t, db, "not null", "UPDATE customer SET score = NULL WHERE id = 1")
		}},
}

var ordersFK = schema.ForeignKey("fk_orders_customer", []string{"customer_id"}, "customer", []string{"id"})

// batchRegistry is the story as Go revisions after a base that creates
// customer (with indexes, constraints, rows, a view and, on SQLite, a
// trigger) and orders, whose foreign key points at customer.
func batchRegistry() *retort.Registry {
	reg := &retort.Registry{}
	reg.Add(retort.Migration{Revision: "setup", Upgrade: func(ctx context.Context, op *retort.Op) error {
		for _, st := range []ops.Operation{
			ops.CreateTable{Table: schema.NewTable("customer",
				schema.Column("id", schema.Integer, schema.PrimaryKey()),
				schema.Column("name", schema.Text, schema.NotNull()),
				schema.Column("email", schema.Varchar(100)),
				schema.Column("score", schema.Text),
				schema.Column("fax", schema.Text),
				schema.Column("note", schema.Text),
				schema.Check("ck_customer_name", "length(name) > 0"),
				schema.Unique("uq_customer_email", "email"),
				schema.IndexDef{Name: "ux_customer_lower", Unique: true, Parts: []schema.IndexPart{{Expr: "lower(name)"}}},
				schema.Index("ix_customer_note", "name").Partial("note IS NOT NULL"))},
			ops.CreateTable{Table: schema.NewTable("orders",
				schema.Column("id", schema.Integer, schema.PrimaryKey()),
				schema.Column("customer_id", schema.Integer, schema.NotNull()), ordersFK)},
			ops.BulkInsert{Table: "customer", Columns: []string{"id", "name", "email", "score", "fax", "note"}, Rows: [][]any{
				{1, "Ann", "ann@example.com", "10", "f1", "vip"}, {2, "Bob", "bob@example.com", "20", nil, nil}, {3, "Cy", "cy@example.com", "30", "f3", "x"}}},
			ops.BulkInsert{Table: "orders", Columns: []string{"id", "customer_id"}, Rows: [][]any{{1, 1}, {2, 1}, {3, 3}}},
			ops.CreateView{View: schema.View{Name: "v_customer", Definition: "SELECT id, name FROM customer"}},
		} {
			if err := op.Run(st); err != nil {
				return err
			}
		}
		if op.Dialect() == "sqlite" {
			return op.Exec("CREATE TRIGGER trg_customer_ins AFTER INSERT ON customer BEGIN UPDATE customer SET name = upper(name) WHERE id = NEW.id; END")
		}
		return nil
	}})
	prev := "setup"
	for _, s := range batchStory {
		table := s.table
		if table == "" {
			table = "customer"
		}
		reg.Add(retort.Migration{Revision: s.name, Revises: []string{prev},
			Upgrade: func(ctx context.Context, op *retort.Op) error {
				return op.BatchAlterTable(table, func(b *retort.Batch) error { s.up(b, op.Dialect()); return nil })
			},
			Downgrade: func(ctx context.Context, op *retort.Op) error {
				return op.BatchAlterTable(table, func(b *retort.Batch) error { s.down(b, op.Dialect()); return nil })
			}})
		prev = s.name
	}
	return reg
}

// batchInvariants is what every step keeps: every row, the view, the
// unique expression index and the partial index, the trigger, and the
// foreign key from orders to the rebuilt customer table.
func batchInvariants(t testing.TB, d string, db *sql.DB, fk bool) {
	t.Helper()
	wantValue(t, db, "SELECT count(*) FROM customer", "3")
	wantValue(t, db, "SELECT name || email FROM customer WHERE id = 2", "Bobbob@example.com")
	wantValue(t, db, "SELECT count(*) FROM orders", "3")
	wantValue(t, db, "SELECT count(*) FROM v_customer", "3")
	for _, ix := range []string{"ux_customer_lower", "ix_customer_note"} {
		if !hasIndex(t, db, d, ix) {
			t.Errorf("index %s lost", ix)
		}
	}
	mustViolate(t, db, "unique", "UPDATE customer SET name = 'ann' WHERE id = 2")
	if fk {
		mustViolate(t, db, "foreign key", "DELETE FROM customer WHERE id = 1")
		mustViolate(t, db, "foreign key", "UPDATE orders SET customer_id = 999 WHERE id = 1")
	}
	if d == "sqlite" {
		wantValue(t, db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'trg_customer_ins'", "1")
		wantValue(t, db, "SELECT count(*) FROM sqlite_master WHERE name LIKE '\\_retort%' ESCAPE '\\'", "0")
	}
}

// Every batch change, with rows in the tables, keeps every row, index
// and constraint it does not drop, and the foreign key of another table
// pointing at the rebuilt one; each downgrade, a batch of the reverse
// changes, brings the table back as it was.
func TestBatchAlterTable(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			url := b.url(t)
			cfg := writeProject(t, t.TempDir(), url, nil, "")
			env := open(t, cfg, retort.WithRegistry(batchRegistry()))
			db := dbtest.Open(t, url)
			ctx := t.Context()
			if err := env.Upgrade(ctx, "setup"); err != nil {
				t.Fatal(err)
			}
			batchInvariants(t, b.name, db, true)
			fkDropped := slices.IndexFunc(batchStory, func(s batchStep) bool { return s.noFK })
			for i, s := range batchStory {
				if err := env.Upgrade(ctx, s.name); err != nil {
					t.Fatalf("upgrade %s: %v", s.name, err)
				}
				t.Run(s.name, func(t *testing.T) {
					batchInvariants(t, b.name, db, i < fkDropped)
					s.check(t, b.name, db)
				})
			}
			for i := len(batchStory) - 1; i >= 0; i-- {
				target := "setup"
				if i > 0 {
					target = batchStory[i-1].name
				}
				if err := env.Downgrade(ctx, target); err != nil {
					t.Fatalf("downgrade %s: %v", batchStory[i].name, err)
				}
				batchInvariants(t, b.name, db, i <= fkDropped)
			}
			// Back at setup: the dropped constraints are back.
			mustViolate(t, db, "check", "UPDATE customer SET name = '' WHERE id = 2")
			mustViolate(t, db, "unique", "UPDATE customer SET email = 'ann@example.com' WHERE id = 2")
			wantValue(t, db, "SELECT fax FROM customer WHERE id = 1", "")
			wantValue(t, db, "SELECT note FROM customer WHERE id = 1", "vip")
			for _, col := range []string{"city", "referrer_id", "remark", "memo"} {
				if colExists(t, db, b.name, "customer", col) {
					t.Errorf("column %s survived the downgrade", col)
				}
			}
		})
	}
}
