package lint

import (
	"errors"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/fault"
)

func rulesOf(t *testing.T, eng Engine, sc ...Script) []string {
	t.Helper()
	fs, err := Check(eng, sc)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range fs {
		if !f.Ignored {
			ids = append(ids, f.Rule)
		}
	}
	return ids
}

// TestRules runs, per rule and engine, a statement that triggers the
// rule and its safe version, which must not.
func TestRules(t *testing.T) {
	cases := []struct {
		rule, eng   Engine
		risky, safe string
	}{
		{DropTable, Postgres, "DROP TABLE IF EXISTS app.users", "CREATE TABLE users2 (id int)"},
		{DropTable, MySQL, "DROP TABLE `users`", "RENAME TABLE x_new TO x_new2_tmp_keep"},
		{DropTable, SQLite, "DROP TABLE users", "CREATE TABLE t (id)"},
		{DropColumn, Postgres, "ALTER TABLE users DROP COLUMN email", "ALTER TABLE users DROP CONSTRAINT users_email_key"},
		{DropColumn, MySQL, "ALTER TABLE users DROP email", "ALTER TABLE users DROP INDEX email"},
		{DropColumn, SQLite, "ALTER TABLE users DROP COLUMN email", "ALTER TABLE users ADD COLUMN x int"},
		{AddNotNull, Postgres, "ALTER TABLE users ADD COLUMN age int NOT NULL", "ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0"},
		{AddNotNull, MySQL, "ALTER TABLE users ADD age int NOT NULL", "ALTER TABLE users ADD age int NOT NULL DEFAULT 0, ALGORITHM=INSTANT"},
		{AddNotNull, SQLite, "ALTER TABLE users ADD COLUMN age int NOT NULL", "ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0"},
		{SetNotNull, Postgres, "ALTER TABLE users ALTER COLUMN email SET NOT NULL", "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID"},
		{TypeRewrite, Postgres, "ALTER TABLE users ALTER COLUMN id TYPE bigint", "ALTER TABLE users ALTER COLUMN id SET DEFAULT 1"},
		{TableCopy, MySQL, "ALTER TABLE users MODIFY id bigint", "ALTER TABLE users ADD id2 bigint"},
		{TableCopy, MySQL, "ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4", "ALTER TABLE users MODIFY id bigint, ALGORITHM=INPLACE, LOCK=NONE"},
		{IndexBlocking, Postgres, "CREATE INDEX users_email ON users (email)", "-- +retort no-transaction\nCREATE INDEX CONCURRENTLY users_email ON users (email)"},
		{ConcurrentlyInTx, Postgres, "CREATE UNIQUE INDEX CONCURRENTLY u ON users (email)", "-- +retort no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY u ON users (email)"},
		{ConcurrentlyInTx, Postgres, "VACUUM users", "-- +retort no-transaction\nVACUUM users"},
		{ConstraintInvalid, Postgres, "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)", "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID"},
		{ConstraintInvalid, Postgres, "ALTER TABLE orders ADD CONSTRAINT pos CHECK (total > 0)", "ALTER TABLE orders VALIDATE CONSTRAINT pos"},
		{Rename, Postgres, "ALTER TABLE users RENAME COLUMN email TO mail", "ALTER TABLE users ADD COLUMN mail text"},
		{Rename, MySQL, "RENAME TABLE users TO people", "CREATE VIEW people AS SELECT * FROM users"},
		{Rename, SQLite, "ALTER TABLE users RENAME TO people", "CREATE VIEW people AS SELECT * FROM users"},
		{NoWhere, Postgres, "UPDATE users SET active = true", "UPDATE users SET active = true WHERE id < 1000"},
		{NoWhere, MySQL, "DELETE FROM sessions", "DELETE FROM sessions WHERE expires < NOW()"},
		{NoWhere, SQLite, "DELETE FROM sessions", "DELETE FROM sessions WHERE expires < 0"},
	}
	for _, c := range cases {
		t.Run(string(c.eng)+"/"+string(c.rule), func(t *testing.T) {
			for _, tc := range []struct {
				sql  string
				want bool
			}{{c.risky, true}, {c.safe, false}} {
				sc := Script{Revision: "r1", File: "r1.sql", SQL: tc.sql}
				if strings.HasPrefix(tc.sql, "-- +retort no-transaction") {
					sc.NoTransaction = true
				}
				ids := rulesOf(t, c.eng, sc)
				got := contains(ids, string(c.rule))
				if got != tc.want {
					t.Errorf("%q on %s: rules %v, want %s: %v", tc.sql, c.eng, ids, c.rule, tc.want)
				}
				if _, ok := RuleByID(string(c.rule)); !ok {
					t.Errorf("rule %s not in Rules", c.rule)
				}
				if r, _ := RuleByID(string(c.rule)); r.Safe[c.eng] == "" {
					t.Errorf("rule %s has no safe pattern for %s", c.rule, c.eng)
				}
			}
		})
	}
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestPostgresOnlyRules: the PostgreSQL lock rules stay quiet elsewhere.
func TestPostgresOnlyRules(t *testing.T) {
	for _, eng := range []Engine{MySQL, SQLite} {
		sql := "CREATE INDEX i ON t (a);\nALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id);"
		for _, id := range rulesOf(t, eng, Script{SQL: sql}) {
			if id == IndexBlocking || id == ConstraintInvalid {
				t.Errorf("%s: %s, a PostgreSQL rule", eng, id)
			}
		}
	}
}

func TestEnumValueSameRun(t *testing.T) {
	add := Script{Revision: "a", File: "a.sql", SQL: "ALTER TYPE status ADD VALUE 'failed';"}
	use := Script{Revision: "b", File: "b.sql", SQL: "UPDATE jobs SET status = 'failed' WHERE id = 1;"}
	if ids := rulesOf(t, Postgres, add, use); !contains(ids, EnumValueUse) {
		t.Errorf("same run: %v, want %s", ids, EnumValueUse)
	}
	use.CommitBefore = true
	if ids := rulesOf(t, Postgres, add, use); contains(ids, EnumValueUse) {
		t.Errorf("commit-before: %v, want no %s", ids, EnumValueUse)
	}
	// transaction_per_migration: each revision commits on its own.
	use.CommitBefore = false
	fs, err := CheckWith(Postgres, []Script{add, use}, Options{PerMigration: true})
	if err != nil || len(fs) != 0 {
		t.Errorf("per migration: %v %v, want nothing", fs, err)
	}
	// A level from the config: a warning keeps its place, off drops it.
	fs, _ = CheckWith(Postgres, []Script{add, use}, Options{Levels: map[string]Level{EnumValueUse: Warning}})
	if len(fs) != 1 || fs[0].Level != Warning || !strings.Contains(fs[0].Risk, "a.sql:1") {
		t.Errorf("warning level: %+v", fs)
	}
	if fs, _ = CheckWith(Postgres, []Script{add, use}, Options{Levels: map[string]Level{EnumValueUse: Off}}); len(fs) != 0 {
		t.Errorf("off: %+v", fs)
	}
}

func TestIgnoreComment(t *testing.T) {
	sql := "CREATE TABLE x (id int);\n-- retort:lint-ignore drop-table the old table is empty since 2024\nDROP TABLE old;\nDROP TABLE older;\n"
	fs, err := Check(Postgres, []Script{{Revision: "r", File: "r.sql", SQL: sql}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 {
		t.Fatalf("findings %v, want 2", fs)
	}
	if !fs[0].Ignored || fs[0].Reason != "the old table is empty since 2024" || fs[0].Line != 3 || fs[0].Table != "old" {
		t.Errorf("first: %+v", fs[0])
	}
	if fs[1].Ignored || fs[1].Line != 4 {
		t.Errorf("second: %+v", fs[1])
	}
	// The comment names another rule: nothing is silenced.
	sql = "-- retort:lint-ignore drop-column no\nDROP TABLE old;"
	if ids := rulesOf(t, Postgres, Script{SQL: sql}); !contains(ids, DropTable) {
		t.Errorf("other rule silenced: %v", ids)
	}
}

func TestBadInput(t *testing.T) {
	_, err := Check(Postgres, []Script{{Revision: "r", File: "r.sql", SQL: "SELECT 'unended"}})
	if !errors.Is(err, fault.ErrBadInput) || !strings.Contains(err.Error(), "r.sql") {
		t.Errorf("err %v, want bad input naming r.sql", err)
	}
}

func TestSizeAware(t *testing.T) {
	sql := "CREATE INDEX i ON big (a);\nCREATE INDEX j ON small (a);\nCREATE INDEX k ON unknown (a);\nDROP TABLE small;"
	rows := func(table string) (int64, bool) {
		switch table {
		case "big":
			return 500, true
		case "small":
			return 10, true
		}
		return 0, false
	}
	fs, err := CheckWith(Postgres, []Script{{SQL: sql}}, Options{LargeRows: 100, Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Table+":"+f.Rule)
	}
	want := "big:index-not-concurrent unknown:index-not-concurrent small:drop-table"
	if strings.Join(got, " ") != want {
		t.Errorf("findings %v, want %s", got, want)
	}
	if !strings.Contains(fs[0].Risk, "about 500 rows") || !strings.Contains(fs[1].Risk, "check the table size") {
		t.Errorf("risks %q / %q", fs[0].Risk, fs[1].Risk)
	}
	// Without a database every size-aware finding says to check the size.
	fs, _ = Check(Postgres, []Script{{SQL: sql}})
	if len(fs) != 4 || !strings.Contains(fs[1].Risk, "check the table size") {
		t.Errorf("offline: %v", fs)
	}
}

// TestCreatedInRun: a table created earlier in the run is empty and
// unknown to the running application, so the size-aware rules and
// drop-table, drop-column and rename skip it (also once renamed); other
// rules still apply.
func TestCreatedInRun(t *testing.T) {
	for _, c := range []struct {
		name, sql, want string
	}{
		{"index and drop column", "CREATE TABLE \"T\" (a int);\nCREATE INDEX i ON public.t (a);\nALTER TABLE t DROP COLUMN a;\nUPDATE t SET a = 1;", NoWhere},
		{"renamed", "CREATE TABLE t (a int);\nALTER TABLE t RENAME TO u;\nALTER TABLE u RENAME COLUMN a TO b;\nDROP TABLE u;", ""},
		{"existing", "ALTER TABLE old RENAME TO u;\nDROP TABLE u;", Rename + " " + DropTable},
	} {
		t.Run(c.name, func(t *testing.T) {
			if ids := rulesOf(t, Postgres, Script{SQL: c.sql}); strings.Join(ids, " ") != c.want {
				t.Errorf("rules %v, want %q", ids, c.want)
			}
		})
	}
}

// TestRebuild: a table dropped and created again later in the same
// script, as SQLite's batch mode rebuilds one (its rows copied aside
// and back), is not a dropped table; dropped in one revision and made
// in another, it is.
func TestRebuild(t *testing.T) {
	rebuild := Script{Revision: "r2", SQL: `CREATE TABLE "_retort_tmp_users" AS SELECT * FROM "users";
DROP TABLE "users";
CREATE TABLE "users" (id integer, email text NOT NULL);
INSERT INTO "users" SELECT * FROM "_retort_tmp_users";
DROP TABLE "_retort_tmp_users";`}
	if ids := rulesOf(t, SQLite, rebuild); len(ids) != 0 {
		t.Errorf("rebuild: %v, want nothing", ids)
	}
	swap := Script{Revision: "r3", SQL: "CREATE TABLE users_new (id integer);\nDROP TABLE users;\nALTER TABLE users_new RENAME TO users;"}
	if ids := rulesOf(t, SQLite, swap); len(ids) != 0 {
		t.Errorf("swap: %v, want nothing", ids)
	}
	apart := []Script{{Revision: "a", SQL: "DROP TABLE users;"}, {Revision: "b", SQL: "CREATE TABLE users (id integer);"}}
	if ids := rulesOf(t, SQLite, apart...); strings.Join(ids, " ") != DropTable {
		t.Errorf("in two revisions: %v, want %s", ids, DropTable)
	}
}
