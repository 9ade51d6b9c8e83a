// Package appdb owns the application's side of its database: a Manager
// that creates a fresh database from the target schema or upgrades an
// old one at start-up (Sync), reports where the database stands
// (Status, and a JSON health handler), a net/http middleware that gives
// each request a transaction, a cobra "syncdb" command, and typed query
// helpers (Get, GetByPK, GetOrCreate, UpdateOrCreate, Insert) over
// structs tagged as [schema.FromStruct] reads them. It is the Go
// counterpart of sqlalchemy-helpers' DatabaseManager. It does not plan
// or run migrations itself (package retort does) and knows no web
// framework beyond net/http.
//
// At start-up:
//
//	m, err := appdb.Open(ctx, appdb.Config{
//		URL:        os.Getenv("DATABASE_URL"), // default sqlite:///app.db
//		Migrations: migrationsFS,              // an embed.FS of revision files
//		Models:     []any{Customer{}, Order{}},
//	})
//	res, err := m.Sync(ctx) // Created, Upgraded or AlreadyUpToDate
//
// Sync on an empty database creates every table of the target in one
// transaction and stamps the scripts' heads in it, under the same lock
// the migration runner takes, so that of many replicas starting at once
// one does the work and the others wait and find it done; a database
// behind the code is upgraded; one ahead of it (a revision the code does
// not have) is an error, never "upgrade available".
//
// Per request:
//
//	mux.Handle("GET /customers/{id}", m.Middleware(http.HandlerFunc(get)))
//	func get(w http.ResponseWriter, r *http.Request) {
//		c, err := appdb.GetByPK[Customer](r.Context(), appdb.Tx(r.Context()), id)
//		...
//	}
package appdb
