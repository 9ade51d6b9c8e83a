package importer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/importer"
)

// step is one migration of the end-to-end folders, written in each
// tool's format by [writeFolder].
type step struct {
	name     string
	up, down string
	// body: a statement with ';' inside (function, trigger), wrapped in
	// the tool's StatementBegin/End where it has them.
	body bool
	// noTx: must run outside a transaction.
	noTx bool
}

// steps are the migrations for an engine: portable tables, an index, a
// foreign key, a column, a body (PostgreSQL function, SQLite or MariaDB
// trigger) and, on PostgreSQL, CREATE INDEX CONCURRENTLY outside a
// transaction (golang-migrate has no marker: import sees CONCURRENTLY).
func steps(engine string, f importer.Format) []step {
	dropIndex := "DROP INDEX users_email;"
	if engine == "mysql" {
		dropIndex = "DROP INDEX users_email ON users;"
	}
	s := []step{
		{name: "create_users", up: "CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    email VARCHAR(200) NOT NULL -- the login; not unique\n);", down: "DROP TABLE users;"},
		{name: "users_email_index", up: "CREATE INDEX users_email ON users (email);", down: dropIndex},
		{name: "create_orders", up: "CREATE TABLE orders (\n    id INTEGER PRIMARY KEY,\n    user_id INTEGER NOT NULL,\n    note VARCHAR(100),\n    FOREIGN KEY (user_id) REFERENCES users (id)\n);\nINSERT INTO users (id, email) VALUES (1, 'a@example.com;');", down: "DROP TABLE orders;"},
	}
	switch engine {
	case "postgres":
		s = append(s, step{name: "order_count", body: true,
			up:   "CREATE FUNCTION order_count() RETURNS bigint LANGUAGE plpgsql AS $$\nBEGIN\n    RETURN (SELECT count(*) FROM orders);\nEND;\n$$;",
			down: "DROP FUNCTION order_count();"})
		s = append(s, step{name: "orders_user_index", noTx: true,
			up: "CREATE INDEX CONCURRENTLY orders_user ON orders (user_id);", down: "DROP INDEX CONCURRENTLY orders_user;"})
	case "sqlite":
		s = append(s, step{name: "orders_note", body: true,
			up:   "CREATE TRIGGER orders_note AFTER INSERT ON orders\nBEGIN\n    UPDATE orders SET note = 'new; fresh' WHERE id = NEW.id;\nEND;",
			down: "DROP TRIGGER orders_note;"})
	case "mysql":
		s = append(s, step{name: "orders_note", body: true,
			up:   "CREATE TRIGGER orders_note BEFORE INSERT ON orders FOR EACH ROW\nBEGIN\n    SET NEW.note = 'new; fresh';\nEND;",
			down: "DROP TRIGGER orders_note;"})
	}
	return s
}

// writeFolder writes steps as format f's migration folder in dir, as a
// user of that tool would have it.
func writeFolder(t *testing.T, dir string, f importer.Format, steps []step) {
	t.Helper()
	files := map[string]string{}
	var atlasNames []string
	for i, s := range steps {
		n := i + 1
		wrap := func(tool, sql string) string {
			if !s.body {
				return sql
			}
			return "-- +" + tool + " StatementBegin\n" + sql + "\n-- +" + tool + " StatementEnd"
		}
		switch f {
		case importer.Goose:
			noTx := ""
			if s.noTx {
				noTx = "-- +goose NO TRANSACTION\n"
			}
			files[fmt.Sprintf("%05d_%s.sql", n, s.name)] = noTx + "-- +goose Up\n" + wrap("goose", s.up) + "\n\n-- +goose Down\n" + wrap("goose", s.down) + "\n"
		case importer.GolangMigrate:
			files[fmt.Sprintf("%d_%s.up.sql", n, s.name)] = s.up + "\n"
			files[fmt.Sprintf("%d_%s.down.sql", n, s.name)] = s.down + "\n"
		case importer.SQLMigrate:
			up := "-- +migrate Up"
			if s.noTx {
				up += " notransaction"
			}
			files[fmt.Sprintf("%d_%s.sql", n, s.name)] = up + "\n" + wrap("migrate", s.up) + "\n\n-- +migrate Down\n" + wrap("migrate", s.down) + "\n"
		case importer.Tern:
			noTx := ""
			if s.noTx {
				noTx = "---- tern: disable-tx ----\n"
			}
			files[fmt.Sprintf("%03d_%s.sql", n, s.name)] = noTx + s.up + "\n\n---- create above / drop below ----\n\n" + s.down + "\n"
		case importer.Dbmate:
			opt := ""
			if s.noTx {
				opt = " transaction:false"
			}
			files[fmt.Sprintf("2024010100000%d_%s.sql", n, s.name)] = "-- migrate:up" + opt + "\n" + s.up + "\n\n-- migrate:down" + opt + "\n" + s.down + "\n"
		case importer.Flyway:
			name := fmt.Sprintf("V%d__%s.sql", n, s.name)
			files[name] = s.up + "\n"
			files[fmt.Sprintf("U%d__%s.sql", n, s.name)] = s.down + "\n"
			if s.noTx {
				files[name+".conf"] = "executeInTransaction=false\n"
			}
		case importer.Atlas:
			name := fmt.Sprintf("2024010100000%d_%s.sql", n, s.name)
			body := s.up + "\n"
			if s.noTx {
				body = "-- atlas:txmode none\n\n" + body
			}
			files[name] = body
			atlasNames = append(atlasNames, name)
		}
	}
	if f == importer.Atlas {
		var contents [][]byte
		for _, n := range atlasNames {
			contents = append(contents, []byte(files[n]))
		}
		files["atlas.sum"] = importer.AtlasSum(atlasNames, contents)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// versionOf is what format f's version table records for step n (from
// 1) of steps.
func versionOf(f importer.Format, n int, s step) string {
	switch f {
	case importer.Dbmate, importer.Atlas:
		return fmt.Sprintf("2024010100000%d", n)
	case importer.SQLMigrate:
		return fmt.Sprintf("%d_%s.sql", n, s.name)
	}
	return fmt.Sprint(n)
}

// fileVersion is the version as step n's file name writes it.
func fileVersion(f importer.Format, n int, s step) string {
	switch f {
	case importer.Goose:
		return fmt.Sprintf("%05d", n)
	case importer.Tern:
		return fmt.Sprintf("%03d", n)
	}
	return versionOf(f, n, s)
}

// oldTables are the old tools' tables (and their sequences), left out
// when schemas are compared.
var oldTables = []string{"goose_db_version", "schema_migrations", "gorp_migrations", "flyway_schema_history", "atlas_schema_revisions", "schema_version"}

func isOldTable(name string) bool {
	for _, o := range oldTables {
		if strings.HasPrefix(name, o) {
			return true
		}
	}
	return false
}
