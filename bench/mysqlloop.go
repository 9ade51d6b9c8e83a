//go:build ignore

// mysqlloop is a Go floor for the MariaDB upgrade benchmark: it sends the
// statements of the floor's per-statement.sql one by one on one
// connection through go-sql-driver/mysql, as retort and goose do, with a
// context the driver need not watch. With -history it also writes a
// history row after each version-row write (a plain INSERT of the columns
// retort's history table has), the fourth statement retort sends per
// revision; with -history=combined it writes the row with the version
// row in one multi-table UPDATE of a row inserted beforehand (one
// INSERT of every row), the one-statement form retort does not use;
// with -history=block the version row and the history row go as one
// anonymous block (BEGIN NOT ATOMIC … END, what retort sends on MariaDB),
// with -history=txblock that block wraps both in one transaction, and
// with -history=fold the block also runs the statement before the
// version row (two round trips a revision instead of three).
// bench/interleave-mysql.sh times it beside retort when BENCH_MYSQL_LOOPS
// is set, to tell what the driver and the fourth statement cost from
// what retort itself does.
//
//	mysqlloop [-history none|plain|combined|block|txblock|fold] DSN FILE
package main

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	_ "github.com/go-sql-driver/mysql"
)

var update = regexp.MustCompile(`^UPDATE alembic_version SET version_num='(\w+)' WHERE alembic_version.version_num = '(\w+)'$`)

const columns = "(run, revision, direction, state, checksum, statements, statement_checksums, applied_at, duration_ms, host, os_user, retort_version)"

func values(rev, state string) string {
	return "'0123456789abcdef', '" + rev + "', 'upgrade', '" + state + "', 'sha256:" + strings.Repeat("0", 64) + "', 0, '', '" +
		time.Now().UTC().Format("2006-01-02T15:04:05.000000Z") + "', 1, 'host', 'user', 'bench'"
}

func main() {
	history := flag.String("history", "none", "none, plain, combined, block, txblock or fold")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: mysqlloop [-history none|plain|combined|block|txblock|fold] DSN FILE")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Arg(1), *history); err != nil {
		fmt.Fprintln(os.Stderr, "mysqlloop:", err)
		os.Exit(1)
	}
}

func run(dsn, file, history string) error {
	ctx := context.Background()
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	exec := func(q string) (int64, error) {
		res, err := conn.ExecContext(ctx, q)
		if err != nil {
			return 0, fmt.Errorf("%.60s: %w", q, err)
		}
		return res.RowsAffected()
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var stmts []string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		if s := strings.TrimSuffix(strings.TrimSpace(sc.Text()), ";"); s != "" {
			stmts = append(stmts, s)
		}
	}
	if history != "none" {
		if _, err := exec("CREATE TABLE h (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, run VARCHAR(32) NOT NULL, revision VARCHAR(32) NOT NULL, direction VARCHAR(16) NOT NULL, state VARCHAR(16) NOT NULL, checksum VARCHAR(80) NOT NULL, statements INTEGER NOT NULL, statement_checksums TEXT NOT NULL, applied_at VARCHAR(32) NOT NULL, duration_ms BIGINT NOT NULL, host VARCHAR(255) NOT NULL, os_user VARCHAR(255) NOT NULL, retort_version VARCHAR(64) NOT NULL)"); err != nil {
			return err
		}
	}
	ids := map[string]int64{}
	if history == "combined" {
		var rows []string
		for _, s := range stmts {
			if m := update.FindStringSubmatch(s); m != nil {
				rows = append(rows, "("+values(m[1], "pending")+")")
			}
		}
		if len(rows) > 0 {
			if _, err := exec("INSERT INTO h " + columns + " VALUES " + strings.Join(rows, ", ")); err != nil {
				return err
			}
		}
		r, err := conn.QueryContext(ctx, "SELECT id, revision FROM h")
		if err != nil {
			return err
		}
		for r.Next() {
			var id int64
			var rev string
			if err := r.Scan(&id, &rev); err != nil {
				return err
			}
			ids[rev] = id
		}
		if err := r.Close(); err != nil {
			return err
		}
	}
	pending := ""
	for i, s := range stmts {
		m := update.FindStringSubmatch(s)
		if history == "fold" && m == nil && i+1 < len(stmts) && update.MatchString(stmts[i+1]) {
			pending = s // sent in the next statement's block
			continue
		}
		if m != nil && history == "fold" {
			body := pending + ";\n  " + s + ";\n  INSERT INTO h " + columns + " VALUES (" + values(m[1], "done") + ");"
			if _, err := exec("BEGIN NOT ATOMIC\n  " + body + "\nEND"); err != nil {
				return err
			}
			pending = ""
			continue
		}
		if m != nil && history == "combined" {
			n, err := exec(fmt.Sprintf("UPDATE alembic_version v, h SET v.version_num = '%s', h.state = 'done', h.applied_at = '%s' WHERE v.version_num = '%s' AND h.id = %d",
				m[1], time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"), m[2], ids[m[1]]))
			if err != nil {
				return err
			}
			if n != 2 {
				return fmt.Errorf("revision %s: %d rows changed, want 2", m[1], n)
			}
			continue
		}
		if m != nil && (history == "block" || history == "txblock") {
			body := s + ";\n  INSERT INTO h " + columns + " VALUES (" + values(m[1], "done") + ");"
			if history == "txblock" {
				body = "START TRANSACTION;\n  " + body + "\n  COMMIT;"
			}
			if _, err := exec("BEGIN NOT ATOMIC\n  " + body + "\nEND"); err != nil {
				return err
			}
			continue
		}
		if _, err := exec(s); err != nil {
			return err
		}
		first := strings.HasPrefix(s, "INSERT INTO alembic_version") // no row to update yet
		if history == "plain" && m != nil || history != "none" && first {
			rev := s[strings.LastIndex(s[:len(s)-2], "'")+1 : len(s)-2] // INSERT … VALUES ('rev')
			if m != nil {
				rev = m[1]
			}
			if _, err := exec("INSERT INTO h " + columns + " VALUES (" + values(rev, "done") + ")"); err != nil {
				return err
			}
		}
	}
	return nil
}
