package mysql

import (
	"context"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/internal/sqlgen"
)

var _ dialect.Recorder = Dialect{}

// History returns the history table <version>_history, in the version
// table's database.
func (d Dialect) History(version dialect.Ident) dialect.HistoryStore {
	t := dialect.Ident{Schema: version.Schema, Name: version.Name + "_history"}
	return sqlgen.History{Q: d, T: t, Name: d.qualified(t),
		IDColumn: "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY",
		Check:    d.VersionStore(t).Exists}
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
