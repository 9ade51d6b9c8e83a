package retorttest

import (
	"errors"
	"testing"

	"github.com/retortdb/retort/schema"
)

func TestRunPassesSQLite(t *testing.T) {
	cfg := sqliteConfig(good...)
	cfg.Target = goodTarget()
	c := customerTable()
	cfg.Models = []*schema.Table{&c}
	cfg.AtRevisionData = map[string][]Data{"a1": {{Table: "customer", Rows: []Row{{"id": 1, "name": "ada"}}}}}
	cfg.BeforeRevisionData = map[string][]Data{"c3": {{Table: "customer", Rows: []Row{{"id": 2, "name": "bob", "email": nil}}}}}
	for _, name := range Tests() {
		t.Run(name, func(t *testing.T) {
			runOne(t, cfg, name).passed(t)
		})
	}
	t.Run("Run", func(t *testing.T) { Run(t, cfg) })
}

func TestSingleHeadRevision(t *testing.T) {
	t.Parallel()
	twoHeads := with(good, mig{id: "d4", revises: "b2", up: []string{"SELECT 1"}, down: []string{"SELECT 1"}})
	msg := runOne(t, sqliteConfig(twoHeads...), SingleHeadRevision).failure(t)
	contains(t, msg, "Expected 1 head revision, found 2", "Heads:\n    c3\n    d4")

	cfg := sqliteConfig(twoHeads...)
	cfg.Heads = 2
	runOne(t, cfg, SingleHeadRevision).passed(t)
}

func TestUpgradeFails(t *testing.T) {
	t.Parallel()
	bad := with(good, mig{id: "b2", revises: "a1", up: []string{"ALTER TABLE nosuch ADD COLUMN email TEXT"}, down: []string{"SELECT 1"}})
	msg := runOne(t, sqliteConfig(bad...), Upgrade).failure(t)
	contains(t, msg, "Failed to upgrade to the head revision.", "Failing Revision:\n    b2", "nosuch")
}

func TestDowngradeLeavesNoTrace(t *testing.T) {
	t.Parallel()
	// b2's downgrade forgets to drop the column it added.
	leaky := with(good, mig{id: "b2", revises: "a1", up: []string{"ALTER TABLE customer ADD COLUMN email TEXT"}, down: []string{"SELECT 1"}})
	msg := runOne(t, sqliteConfig(leaky...), DowngradeLeavesNoTrace).failure(t)
	contains(t, msg,
		"There is a difference between the pre-'b2'-upgrade schema, and the post-'b2'-downgrade schema.",
		"Failing Revision:\n    b2",
		"table customer:\n      + column email text")
	// up_down_consistency does not look at the schema: it passes.
	runOne(t, sqliteConfig(leaky...), UpDownConsistency).passed(t)
}

func TestModelDefinitionsMatchDDL(t *testing.T) {
	t.Parallel()
	cfg := sqliteConfig(good...)
	target := goodTarget()
	target.Tables[0].Columns = append(target.Tables[0].Columns, schema.Column("phone", schema.Text))
	target.Tables = append(target.Tables, schema.NewTable("invoice", schema.Column("id", schema.Integer, schema.PrimaryKey())))
	cfg.Target = target
	msg := runOne(t, cfg, ModelDefinitionsMatchDDL).failure(t)
	contains(t, msg,
		"The models describing the DDL of your database are out of sync",
		"Operations autogenerate would emit (database at head -> target schema):",
		"add column phone to customer\n        ALTER TABLE \"customer\" ADD COLUMN \"phone\" TEXT;",
		"create table invoice")

	cfg.Target = nil
	f := runOne(t, cfg, ModelDefinitionsMatchDDL)
	contains(t, f.skipped, "no target schema: set Config.Target")
}

func TestUpDownConsistencyFailingDowngrade(t *testing.T) {
	t.Parallel()
	bad := with(good, mig{id: "b2", revises: "a1", up: []string{"ALTER TABLE customer ADD COLUMN email TEXT"}, down: []string{"ALTER TABLE customer DROP COLUMN nosuch"}})
	msg := runOne(t, sqliteConfig(bad...), UpDownConsistency).failure(t)
	contains(t, msg, "Failed to downgrade through each revision individually.", "Failing Revision:\n    b2", "nosuch")

	goErr := with(good, mig{id: "c3", revises: "b2", up: []string{"SELECT 1"}, downErr: errors.New("cannot go back")})
	msg = runOne(t, sqliteConfig(goErr...), UpDownConsistency).failure(t)
	contains(t, msg, "Failed to downgrade through each revision individually.", "Failing Revision:\n    c3", "cannot go back")
}

func TestUpDownConsistencyNoDowngradeWarns(t *testing.T) {
	t.Parallel()
	none := with(good, mig{id: "b2", revises: "a1", up: []string{"ALTER TABLE customer ADD COLUMN email TEXT"}})
	f := runOne(t, sqliteConfig(none...), UpDownConsistency)
	f.passed(t)
	if len(f.logs) != 1 {
		t.Fatalf("want one warning, got %q", f.logs)
	}
	contains(t, f.logs[0], "the b2 downgrade cannot run", "MinimumDowngradeRevision")
}

func TestDataRoundTrip(t *testing.T) {
	t.Parallel()
	rows := map[string][]Data{"a1": {{Table: "customer", Rows: []Row{{"id": 1, "name": "ada"}}}}}

	// b2's upgrade rebuilds the table and loses its rows.
	lossyUp := with(good, mig{id: "b2", revises: "a1",
		up:   []string{"DROP TABLE customer", "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT)"},
		down: []string{"ALTER TABLE customer DROP COLUMN email"}})
	cfg := sqliteConfig(lossyUp...)
	cfg.AtRevisionData = rows
	msg := runOne(t, cfg, DataRoundTrip).failure(t)
	contains(t, msg, "The rows of at_revision_data of a1 in table customer did not survive the upgrade a1 -> b2.",
		"Failing Revision:\n    b2", "Missing rows:\n    {id=1, name=ada}")

	// c3's downgrade deletes rows.
	lossyDown := with(good, mig{id: "c3", revises: "b2", up: []string{"CREATE INDEX ix_customer_name ON customer (name)"},
		down: []string{"DROP INDEX ix_customer_name", "DELETE FROM customer"}})
	cfg = sqliteConfig(lossyDown...)
	cfg.AtRevisionData = rows
	msg = runOne(t, cfg, DataRoundTrip).failure(t)
	contains(t, msg, "did not survive the downgrade c3 -> b2.", "Failing Revision:\n    c3")

	// A fixture that does not fit the schema fails the upgrade, naming
	// the revision.
	cfg = sqliteConfig(good...)
	cfg.BeforeRevisionData = map[string][]Data{"c3": {{Table: "customer", Rows: []Row{{"id": 1}}}}}
	msg = runOne(t, cfg, DataRoundTrip).failure(t)
	contains(t, msg, "Failed to upgrade through each revision individually with the data fixtures in place.", "Failing Revision:\n    c3", "before_revision_data of c3")

	f := runOne(t, sqliteConfig(good...), DataRoundTrip)
	contains(t, f.skipped, "no data fixtures")
}

func TestAllModelsRegisterOnMetadata(t *testing.T) {
	t.Parallel()
	cfg := sqliteConfig(good...)
	cfg.Target = goodTarget()
	c := customerTable()
	c.Columns[1].Type = schema.Varchar(100)
	order := schema.NewTable("order", schema.Column("id", schema.Integer, schema.PrimaryKey()))
	cfg.Models = []*schema.Table{&c, &order}
	msg := runOne(t, cfg, AllModelsRegisterOnMetadata).failure(t)
	contains(t, msg, "The following tables are affected: order.", "customer: column name is varchar(100) in the model, text in the target schema")

	cfg.Models = nil
	contains(t, runOne(t, cfg, AllModelsRegisterOnMetadata).skipped, "no models")
}

func TestSelection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		include, exclude []string
		want             []string
		err              string
	}{
		{name: "all", want: Tests()},
		{name: "include", include: []string{"test_upgrade, single_head_revision"}, want: []string{SingleHeadRevision, Upgrade}},
		{name: "exclude wins over include", include: []string{"upgrade", "single_head_revision"}, exclude: []string{"upgrade"}, want: []string{SingleHeadRevision}},
		{name: "unknown", include: []string{"upgrade\nbogus"}, exclude: []string{"nope"}, err: "the following tests were unrecognized: bogus, nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Include: tt.include, Exclude: tt.exclude}
			got, err := cfg.selected()
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("err = %v, want %s", err, tt.err)
				}
				return
			}
			var names []string
			for _, b := range got {
				names = append(names, b.name)
			}
			if len(names) != len(tt.want) {
				t.Fatalf("got %v, want %v", names, tt.want)
			}
			for i := range names {
				if names[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", names, tt.want)
				}
			}
		})
	}
}
