package mysql

import (
	"context"
	"strconv"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/internal/sqlgen"
)

var _ dialect.Recorder = Dialect{}

// History returns the history table <version>_history, in the version
// table's database.
func (d Dialect) History(version dialect.Ident) dialect.HistoryStore {
	t := dialect.Ident{Schema: version.Schema, Name: version.Name + "_history"}
	return history{History: sqlgen.History{Q: d, T: t, Name: d.qualified(t),
		IDColumn: "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY",
		Check:    d.VersionStore(t).Exists}, version: d.qualified(version), d: d}
}

// history is the shared history table with [dialect.CheckedHistory]:
// DDL commits implicitly on MySQL, so the runner checks its version-row
// write and records the revision in one statement.
type history struct {
	sqlgen.History
	version string // the version table, qualified
	d       Dialect
}

var _ dialect.CheckedHistory = history{}

// InsertChecked adds r when the version table holds exactly heads
// (INSERT … SELECT … FROM DUAL WHERE …).
func (h history) InsertChecked(r dialect.HistoryRow, heads []string) string {
	return h.History.InsertChecked(r, h.version, "DUAL", heads)
}

var _ dialect.TimedHistory = history{}

// InsertTimed adds r in a Block statement with a lead: its applied_at
// and duration_ms add the time from the block's start to the row, by
// the server's clock, to r's (which the runner took before sending the
// block).
func (h history) InsertTimed(r dialect.HistoryRow) string {
	elapsed := "TIMESTAMPDIFF(MICROSECOND, " + startVar + ", SYSDATE(6))"
	applied := "DATE_FORMAT(TIMESTAMPADD(MICROSECOND, " + elapsed + ", " +
		h.d.QuoteLiteral(r.Applied.UTC().Format("2006-01-02 15:04:05.000000")) + "), '%Y-%m-%dT%H:%i:%s.%fZ')"
	duration := strconv.FormatInt(r.Duration.Milliseconds(), 10) + " + " + elapsed + " DIV 1000"
	return h.History.InsertExpr(r, applied, duration)
}

// Lease returns the lease table <version>_lease, in the version table's
// database.
func (d Dialect) Lease(version dialect.Ident) dialect.LeaseStore {
	t := dialect.Ident{Schema: version.Schema, Name: version.Name + "_lease"}
	return sqlgen.Lease{Q: d, T: t, Name: d.qualified(t), Columns: func(ctx context.Context, q dialect.Querier) ([]string, error) {
		return sqlgen.Strings(ctx, q, "SELECT column_name FROM information_schema.columns WHERE table_schema = IF(? = '', DATABASE(), ?) AND table_name = ?",
			t.Schema, t.Schema, t.Name)
	}}
}
