package retort_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	msqlite "modernc.org/sqlite"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/runner"
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
			ops.CreateView{View: schema.View{Name: "v_orders", Definition: "SELECT id, customer_id FROM orders"}},
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
	wantValue(t, db, "SELECT count(*) FROM v_orders", "3")
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

// cascadeRegistry rebuilds a table that another references with ON
// DELETE CASCADE, in a transaction or (noTx) outside one.
func cascadeRegistry(noTx bool) *retort.Registry {
	reg := &retort.Registry{}
	reg.Add(retort.Migration{Revision: "c1", Upgrade: func(ctx context.Context, op *retort.Op) error {
		for _, s := range []string{
			"CREATE TABLE parent (id INTEGER PRIMARY KEY, v TEXT)",
			"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE)",
			"INSERT INTO parent VALUES (1, 'a'), (2, 'b')", "INSERT INTO child VALUES (10, 1), (11, 2)",
		} {
			if err := op.Exec(s); err != nil {
				return err
			}
		}
		return nil
	}})
	reg.Add(retort.Migration{Revision: "c2", Revises: []string{"c1"}, NoTransaction: noTx,
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			return op.BatchAlterTable("parent", func(b *retort.Batch) error {
				b.AlterColumn("v", ops.AlterColumn{Nullable: ptrTo(false)})
				return nil
			})
		}})
	return reg
}

// Inside a transaction SQLite cannot turn foreign keys off, and dropping
// the old table would cascade into child: the batch refuses, naming
// both tables and the way out; a no-transaction revision rebuilds with
// foreign keys off and keeps every child row, with the key enforced.
func TestBatchCascadeReference(t *testing.T) {
	for _, noTx := range []bool{false, true} {
		t.Run(fmt.Sprint("noTx=", noTx), func(t *testing.T) {
			t.Parallel()
			url := dbtest.SQLiteFile(t)
			env := open(t, writeProject(t, t.TempDir(), url, nil, ""), retort.WithRegistry(cascadeRegistry(noTx)))
			err := env.Upgrade(t.Context(), "head")
			db := dbtest.Open(t, url)
			if !noTx {
				for _, want := range []string{"c2", "parent", "child", "ON DELETE CASCADE", "NoTransaction"} {
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Errorf("error %v lacks %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantValue(t, db, "SELECT count(*) FROM parent", "2")
			wantValue(t, db, "SELECT count(*) FROM child", "2")
			mustViolate(t, db, "not null", "UPDATE parent SET v = NULL")
			mustViolate(t, db, "foreign key", "INSERT INTO child VALUES (12, 99)")
			wantValue(t, db, "PRAGMA foreign_keys", "1")
		})
	}
}

// offlineRegistry has one batch that SQLite must rebuild, given the
// table's definition when copyFrom is set.
func offlineRegistry(copyFrom bool) *retort.Registry {
	reg := &retort.Registry{}
	def := schema.NewTable("customer", schema.Column("id", schema.Integer, schema.PrimaryKey()),
		schema.Column("name", schema.Text), schema.Column("score", schema.Text), schema.Index("ix_customer_name", "name"))
	reg.Add(retort.Migration{Revision: "o1", Upgrade: func(ctx context.Context, op *retort.Op) error {
		if err := op.Run(ops.CreateTable{Table: def}); err != nil {
			return err
		}
		return op.BatchAlterTable("customer", func(b *retort.Batch) error {
			b.AddColumn(schema.Column("email", schema.Text)) // plain ALTER: no definition needed
			return nil
		})
	}})
	reg.Add(retort.Migration{Revision: "o2", Revises: []string{"o1"}, Upgrade: func(ctx context.Context, op *retort.Op) error {
		return op.BatchAlterTable("customer", func(b *retort.Batch) error {
			if copyFrom {
				now := def
				now.Columns = append(slices.Clone(def.Columns), schema.Column("email", schema.Text))
				b.CopyFrom(&now)
			}
			b.AlterColumn("score", ops.AlterColumn{Type: ptrTo(schema.Integer), Nullable: ptrTo(false)})
			b.AlterColumn("name", ops.AlterColumn{NewName: "full_name"})
			return nil
		})
	}})
	return reg
}

// Offline, a rebuild needs the table's definition: without CopyFrom
// the error names the revision and the table; with it the script
// renders, and runs on a database that sqlite3 would give it.
func TestBatchOffline(t *testing.T) {
	t.Parallel()
	cfg := writeProject(t, t.TempDir(), "sqlite:///never.db", nil, "")
	var buf bytes.Buffer
	_, err := open(t, cfg, retort.WithRegistry(offlineRegistry(false))).SQL(t.Context(), &buf, retort.Request{Kind: retort.Upgrade, Target: "head"}, nil)
	if _, ok := errors.AsType[*runner.OfflineError](err); !ok || !strings.Contains(err.Error(), "o2") ||
		!strings.Contains(err.Error(), "customer") || !strings.Contains(err.Error(), "CopyFrom") {
		t.Fatalf("error = %v, want an OfflineError naming o2, customer and CopyFrom", err)
	}
	buf.Reset()
	if _, err := open(t, cfg, retort.WithRegistry(offlineRegistry(true))).SQL(t.Context(), &buf, retort.Request{Kind: retort.Upgrade, Target: "head"}, nil); err != nil {
		t.Fatal(err)
	}
	script := buf.String()
	for _, want := range []string{
		`ALTER TABLE "customer" ADD COLUMN "email" TEXT;`,
		`ALTER TABLE "customer" RENAME COLUMN "name" TO "full_name";`,
		`PRAGMA defer_foreign_keys = ON;`,
		`CREATE TABLE "_retort_tmp_customer"`,
		`INSERT INTO "_retort_tmp_customer" ("id", "full_name", "score", "email") SELECT "id", "full_name", CAST("score" AS INTEGER), "email" FROM "customer";`,
		`DROP TABLE "customer";`,
		`CREATE INDEX "ix_customer_name" ON "customer" ("full_name");`,
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %s:\n%s", want, script)
		}
	}
	// The script runs.
	db := dbtest.Open(t, dbtest.SQLiteFile(t))
	if _, err := db.ExecContext(t.Context(), script); err != nil {
		t.Fatalf("script does not run: %v\n%s", err, script)
	}
	wantValue(t, db, "SELECT count(*) FROM pragma_table_info('customer') WHERE name = 'full_name' AND \"notnull\" = 0", "1")
}
