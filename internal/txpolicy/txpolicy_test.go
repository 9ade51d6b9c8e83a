package txpolicy

import "testing"

func TestNoTransaction(t *testing.T) {
	for _, c := range []struct {
		name, sql, want string
	}{
		{"index", "create index concurrently i on t (a)", "CREATE INDEX CONCURRENTLY"},
		{"unique index", "-- why\nCREATE  UNIQUE\nINDEX CONCURRENTLY i ON t (a)", "CREATE UNIQUE INDEX CONCURRENTLY"},
		{"drop index", "DROP INDEX CONCURRENTLY i", "DROP INDEX CONCURRENTLY"},
		{"vacuum", "VACUUM t", "VACUUM"},
		{"detach", "ALTER TABLE t DETACH PARTITION p CONCURRENTLY", "ALTER TABLE T DETACH PARTITION P CONCURRENTLY"},
		{"plain index", "CREATE INDEX i ON t (a)", ""},
		{"comment only", "-- VACUUM", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := NoTransaction(c.sql)
			if got != c.want || ok != (c.want != "") {
				t.Errorf("NoTransaction(%q) = %q, %v; want %q", c.sql, got, ok, c.want)
			}
		})
	}
}

func TestEnums(t *testing.T) {
	for _, c := range []struct {
		name  string
		stmts []string
		reset int // Reset before this statement (0: never)
		used  string
	}{
		{"used", []string{"ALTER TYPE s ADD VALUE 'failed'", "UPDATE j SET s = 'failed'"}, 0, "failed"},
		{"if not exists", []string{"ALTER TYPE s ADD VALUE IF NOT EXISTS 'x' AFTER 'a'", "SELECT 'x'"}, 0, "x"},
		{"quote", []string{"ALTER TYPE s ADD VALUE 'it''s'", "SELECT 'it''s'"}, 0, "it's"},
		{"other value", []string{"ALTER TYPE s ADD VALUE 'failed'", "UPDATE j SET s = 'done'"}, 0, ""},
		{"new transaction", []string{"ALTER TYPE s ADD VALUE 'failed'", "UPDATE j SET s = 'failed'"}, 1, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var e Enums
			got := ""
			for i, s := range c.stmts {
				if c.reset == i && i > 0 {
					e.Reset()
				}
				if v, where, used := e.Statement(s, "stmt"+string(rune('0'+i))); used {
					got = v
					if where != "stmt0" {
						t.Errorf("added at %q, want stmt0", where)
					}
				}
			}
			if got != c.used {
				t.Errorf("used %q, want %q", got, c.used)
			}
		})
	}
}

// TestAddedValue: ALTER TYPE ... ADD VALUE is recognised however the
// type is named.
func TestAddedValue(t *testing.T) {
	for _, c := range []struct{ sql, value string }{
		{`ALTER TYPE mood ADD VALUE 'glad'`, "glad"},
		{`alter type app.mood add value if not exists 'it''s' after 'ok'`, "it's"},
		{`ALTER TYPE "mood" ADD VALUE 'glad' BEFORE 'ok'`, "glad"},
		{`ALTER TYPE "my schema"."Mood ""x""" ADD VALUE 'glad'`, "glad"},
		{`ALTER TYPE "my schema" . mood ADD VALUE 'glad'`, "glad"},
		{`ALTER TYPE mood RENAME VALUE 'a' TO 'b'`, ""},
		{`ALTER TYPE mood ADD ATTRIBUTE x int`, ""},
	} {
		got, ok := AddedValue(c.sql)
		if got != c.value || ok != (c.value != "") {
			t.Errorf("AddedValue(%s) = %q, %v; want %q", c.sql, got, ok, c.value)
		}
	}
}
