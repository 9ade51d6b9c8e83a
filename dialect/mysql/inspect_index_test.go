package mysql_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// TestStatisticsQuery pins the query that reads index parts for each
// server: MySQL 8.0.13 and later also read the expression of a
// functional index part; MariaDB and older MySQL have no such column.
// testdata/TestStatisticsQuery/<server>.sql.
func TestStatisticsQuery(t *testing.T) {
	for _, v := range []string{"common", "mariadb-10.11", "mysql-5.7.44", "mysql-8.0.12", "mysql-8.0.36", "mysql-9.1"} {
		t.Run(v, func(t *testing.T) {
			got := []byte(mysql.StatisticsQuery(mustServer(t, v)) + "\n")
			path := filepath.Join("testdata", "TestStatisticsQuery", v+".sql")
			dialecttest.GoldenFile(t, path, got, *update)
		})
	}
}

// TestIndexPart: a row of the statistics query as an index part. The
// expression rows are what MySQL 8 reports for (lower(email)) and
// (concat(a, 'x')) DESC.
func TestIndexPart(t *testing.T) {
	t.Parallel()
	str := func(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }
	tests := []struct {
		name      string
		col, expr sql.NullString
		sub       sql.NullInt64
		coll      string
		want      schema.IndexPart
		ok        bool
	}{
		{"column", str("email"), sql.NullString{}, sql.NullInt64{}, "A", schema.IndexPart{Column: "email"}, true},
		{"prefix desc", str("bio"), sql.NullString{}, sql.NullInt64{Int64: 100, Valid: true}, "D", schema.IndexPart{Column: "bio", Length: 100, Desc: true}, true},
		{"expression", sql.NullString{}, str("lower(`email`)"), sql.NullInt64{}, "A", schema.IndexPart{Expr: "lower(email)"}, true},
		{"expression with literal", sql.NullString{}, str("(concat(`a`,_utf8mb4'x'))"), sql.NullInt64{}, "D", schema.IndexPart{Expr: "concat(a,'x')", Desc: true}, true},
		{"odd name kept quoted", sql.NullString{}, str("lower(`my col`)"), sql.NullInt64{}, "A", schema.IndexPart{Expr: "lower(`my col`)"}, true},
		{"neither", sql.NullString{}, sql.NullString{}, sql.NullInt64{}, "A", schema.IndexPart{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := mysql.IndexPart(tt.col, tt.expr, tt.sub, tt.coll)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("IndexPart = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestInspectOtherObjects: MariaDB's system-versioned tables (with an
// invisible column) are inspected as tables; sequences, triggers,
// procedures, functions and events are not reported and do not get in
// the way.
func TestInspectOtherObjects(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	for _, s := range []string{
		"CREATE TABLE plain (id INT PRIMARY KEY, n INT)",
		"CREATE TABLE versioned (id INT PRIMARY KEY, secret INT INVISIBLE) WITH SYSTEM VERSIONING",
		"CREATE SEQUENCE seq START WITH 10",
		"CREATE TRIGGER plain_n BEFORE INSERT ON plain FOR EACH ROW SET NEW.n = NEW.id * 2",
		"CREATE PROCEDURE bump() BEGIN UPDATE plain SET n = n + 1; END",
		"CREATE FUNCTION twice(v INT) RETURNS INT DETERMINISTIC RETURN v * 2",
		"CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM plain",
	} {
		exec(t, db, s)
	}
	got := inspect(t, db, dialect.InspectOpts{})
	var names []string
	for _, tbl := range got.Tables {
		names = append(names, tbl.Name)
	}
	if len(names) != 2 || names[0] != "plain" || names[1] != "versioned" {
		t.Fatalf("tables %q, want plain and versioned", names)
	}
	v := got.Table("", "versioned")
	want := schema.NewTable("versioned", schema.Column("id", schema.Integer, schema.PrimaryKey()), schema.Column("secret", schema.Integer))
	if !v.Equal(&want) {
		t.Errorf("versioned = %s, want %s", jsonOf(v), jsonOf(want))
	}
	if len(got.Views)+len(got.Sequences)+len(got.Functions)+len(got.Triggers) != 0 {
		t.Errorf("other objects reported: %s", jsonOf(got))
	}
}

// TestInspectIndexMethods: FULLTEXT and SPATIAL indexes are read with
// their method, and an index created from what was read is read back the
// same.
func TestInspectIndexMethods(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	exec(t, db, "CREATE TABLE doc (id INT PRIMARY KEY, title VARCHAR(200) NOT NULL, body TEXT, at POINT NOT NULL, "+
		"FULLTEXT KEY ix_doc_text (title, body), SPATIAL KEY ix_doc_at (at), KEY ix_doc_title (title))")
	got := inspect(t, db, dialect.InspectOpts{}).Table("", "doc")
	want := []schema.IndexDef{
		{Name: "ix_doc_at", Using: "spatial", Parts: []schema.IndexPart{{Column: "at"}}},
		{Name: "ix_doc_text", Using: "fulltext", Parts: []schema.IndexPart{{Column: "title"}, {Column: "body"}}},
		{Name: "ix_doc_title", Parts: []schema.IndexPart{{Column: "title"}}},
	}
	if len(got.Indexes) != len(want) {
		t.Fatalf("indexes %s", jsonOf(got.Indexes))
	}
	for i, w := range want {
		if !got.Indexes[i].Equal(w) {
			t.Errorf("index %s = %s, want %s", w.Name, jsonOf(got.Indexes[i]), jsonOf(w))
		}
	}
	exec(t, db, "CREATE TABLE doc2 (id INT PRIMARY KEY, title VARCHAR(200) NOT NULL, body TEXT, at POINT NOT NULL)")
	d := mysql.New()
	for _, ix := range got.Indexes {
		stmts, err := d.Render(ops.CreateIndex{Table: "doc2", Index: ix})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			exec(t, db, s)
		}
	}
	again := inspect(t, db, dialect.InspectOpts{Tables: []string{"doc2"}}).Table("", "doc2")
	if jsonOf(again.Indexes) != jsonOf(got.Indexes) {
		t.Errorf("created from the inspected indexes: %s, want %s", jsonOf(again.Indexes), jsonOf(got.Indexes))
	}
}
