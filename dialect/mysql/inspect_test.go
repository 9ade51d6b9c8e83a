package mysql_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

func inspect(t testing.TB, q dialect.Querier, o dialect.InspectOpts) *schema.Database {
	t.Helper()
	got, err := mysql.New().(dialect.Inspectable).Inspector().Inspect(t.Context(), q, o)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return got
}

// declared is what the builders make, in the form MySQL reports it: the
// primary key unnamed (MySQL calls every one PRIMARY), no AUTO_INCREMENT
// start (the table's counter is not the declared start once rows are
// in), literal defaults as the server folds them into the column's type
// (a boolean 'true' is 1, a decimal 0 is 0.00), and raw types in the
// server's spelling (compare takes raw types alike but for case).
func declared(tables ...schema.Table) []schema.Table {
	out := make([]schema.Table, len(tables))
	for i, t := range tables {
		t = t.Clone()
		if t.PrimaryKey != nil {
			t.PrimaryKey.Name = ""
		}
		for j := range t.Columns {
			c := &t.Columns[j]
			c.Identity.Start = 0
			switch {
			case c.Type == schema.Boolean && c.Default == schema.Literal("true"):
				c.Default = schema.Literal("1")
			case c.Type == schema.Numeric(10, 2) && c.Default == schema.Literal("0"):
				c.Default = schema.Literal("0.00")
			case c.Type.Kind == schema.KindRaw:
				c.Type.Name = strings.ToLower(c.Type.Name)
			}
		}
		for j := range t.ForeignKeys {
			fk := &t.ForeignKeys[j]
			for _, a := range []*schema.Action{&fk.OnDelete, &fk.OnUpdate} {
				if *a == schema.Restrict {
					*a = schema.NoAction // InnoDB's RESTRICT is NO ACTION
				}
			}
		}
		out[i] = t
	}
	return out
}

func jsonOf(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// TestInspectRoundTrip renders tables, applies them to MariaDB and
// inspects them back: the values are the declared ones. Inspecting,
// rendering what came back into a fresh database and inspecting again
// gives the same values.
func TestInspectRoundTrip(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	d, err := mysql.Dialect{}.ForServer(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	tables := []schema.Table{account, orderLine, tag}
	for _, tb := range tables {
		apply(t, d, db, tb.Name, ops.CreateTable{Table: tb})
	}
	got := inspect(t, db, dialect.InspectOpts{})
	want := declared(tables...)
	if len(got.Tables) != len(want) {
		t.Fatalf("inspected %d tables, want %d:\n%s", len(got.Tables), len(want), jsonOf(got.Tables))
	}
	byName := map[string]schema.Table{}
	for _, tb := range got.Tables {
		byName[tb.Name] = tb
	}
	for _, w := range want {
		g, ok := byName[w.Name]
		if !ok || !g.Equal(&w) {
			t.Errorf("table %s inspected as\n%s\nwant\n%s", w.Name, jsonOf(g), jsonOf(w))
		}
	}

	again := openDB(t)
	for _, tb := range got.Tables {
		apply(t, d, again, tb.Name, ops.CreateTable{Table: tb})
	}
	second := inspect(t, again, dialect.InspectOpts{})
	if jsonOf(second.Tables) != jsonOf(got.Tables) {
		t.Errorf("inspect, render, inspect changed the values:\n%s\nthen\n%s", jsonOf(got.Tables), jsonOf(second.Tables))
	}

	// Exclude and Tables select.
	only := inspect(t, db, dialect.InspectOpts{Tables: []string{"tag", "account"}, Exclude: []string{"account"}})
	if len(only.Tables) != 1 || only.Tables[0].Name != "tag" {
		t.Errorf("Tables [tag account] minus account = %s", jsonOf(only.Tables))
	}
}

// countingQuerier counts the queries sent through it.
type countingQuerier struct {
	dialect.Querier
	n int
}

func (c *countingQuerier) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	c.n++
	return c.Querier.QueryContext(ctx, q, args...)
}

func (c *countingQuerier) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	c.n++
	return c.Querier.QueryRowContext(ctx, q, args...)
}

// TestInspectQueryCount: the number of queries does not grow with the
// number of tables.
func TestInspectQueryCount(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	count := func() int {
		c := &countingQuerier{Querier: db}
		inspect(t, c, dialect.InspectOpts{})
		return c.n
	}
	exec(t, db, "CREATE TABLE t0 (id INT PRIMARY KEY, v VARCHAR(10) UNIQUE, CHECK (id > 0))")
	one := count()
	for i := 1; i < 30; i++ {
		exec(t, db, fmt.Sprintf("CREATE TABLE t%d (id INT PRIMARY KEY, p INT REFERENCES t0 (id), v VARCHAR(10) UNIQUE, CHECK (id > 0), KEY ix_v (v))", i))
	}
	if many := count(); many != one {
		t.Errorf("Inspect sent %d queries for 1 table and %d for 30", one, many)
	}
}

// TestInspectTypes checks how column types and defaults written by hand
// are normalised.
func TestInspectTypes(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	exec(t, db, "CREATE TABLE ty (a INT(11) NOT NULL DEFAULT 7, b TINYINT(1) DEFAULT 1, c MEDIUMTEXT, d VARCHAR(20) DEFAULT 'it''s', "+
		"e TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, f DATETIME(3) DEFAULT NOW(3) ON UPDATE NOW(3), g JSON, h DECIMAL(8,2), "+
		"i INT UNSIGNED, j ENUM('x','y') DEFAULT 'x', k BLOB, l DOUBLE, m FLOAT, n UUID, o BIGINT AUTO_INCREMENT PRIMARY KEY, p CHAR(2), q DATE, r TIME, "+
		"s BIGINT AS (o * 2) VIRTUAL, u VARCHAR(30) GENERATED ALWAYS AS (concat(`d`, 'x')) STORED, "+
		"v ENUM('it''s', 'back\\\\slash', 'a,b', '', 'tab\\there', 'Ünï') NOT NULL DEFAULT 'it''s', "+
		"w TINYINT, x BIGINT(20) UNSIGNED, y INT(5) UNSIGNED ZEROFILL, z MEDIUMINT UNSIGNED)")
	got := inspect(t, db, dialect.InspectOpts{})
	want := []schema.ColumnDef{
		schema.Column("a", schema.Integer, schema.NotNull(), schema.Default("7")),
		schema.Column("b", schema.Boolean, schema.Default("1")),
		schema.Column("c", schema.Text),
		schema.Column("d", schema.Varchar(20), schema.Default("it's")),
		schema.Column("e", schema.TimestampTZ, schema.DefaultExpr("CURRENT_TIMESTAMP"), schema.OnUpdateSet("CURRENT_TIMESTAMP")),
		schema.Column("f", schema.Timestamp, schema.DefaultExpr("CURRENT_TIMESTAMP(3)"), schema.OnUpdateSet("CURRENT_TIMESTAMP(3)")),
		schema.Column("g", schema.JSON),
		schema.Column("h", schema.Numeric(8, 2)),
		schema.Column("i", schema.RawType("int unsigned")),
		schema.Column("j", schema.EnumOf("x", "y"), schema.Default("x")),
		schema.Column("k", schema.Bytes),
		schema.Column("l", schema.Double),
		schema.Column("m", schema.Real),
		schema.Column("n", schema.UUID),
		schema.Column("o", schema.BigInt, schema.GeneratedByDefault(), schema.PrimaryKey()),
		schema.Column("p", schema.Char(2)),
		schema.Column("q", schema.Date),
		schema.Column("r", schema.Time),
		schema.Column("s", schema.BigInt, schema.GeneratedVirtual("o * 2")),
		schema.Column("u", schema.Varchar(30), schema.GeneratedStored("concat(d,'x')")),
		schema.Column("v", schema.EnumOf("it's", `back\slash`, "a,b", "", "tab\there", "Ünï"), schema.NotNull(), schema.Default("it's")),
		schema.Column("w", schema.RawType("tinyint")),
		schema.Column("x", schema.RawType("bigint unsigned")),
		schema.Column("y", schema.RawType("int(5) unsigned zerofill")),
		schema.Column("z", schema.RawType("mediumint unsigned")),
	}
	if len(got.Tables) != 1 {
		t.Fatalf("tables: %s", jsonOf(got.Tables))
	}
	cols := got.Tables[0].Columns
	for i, w := range want {
		if i >= len(cols) || cols[i] != w {
			var g any
			if i < len(cols) {
				g = cols[i]
			}
			t.Errorf("column %s = %s, want %s", w.Name, jsonOf(g), jsonOf(w))
		}
	}
}
