// Package retort is schema migrations for Go, the Alembic way: a
// revision graph with branches and merges, SQL and Go migrations from a
// folder or an embed.FS, offline SQL, locks for many replicas, and
// connection sharing with the application.
//
// Open an [Env] from a retort.toml (see package config) or from options,
// then call its verbs:
//
//	cfg, err := config.Load("retort.toml")
//	env, err := retort.Open(ctx, cfg)
//	defer env.Close()
//	err = env.Upgrade(ctx, "head")
//
// To run inside an application's own connection or transaction, pass it
// with [WithConn]: retort then never commits or closes what it did not
// open, and inside a caller's *sql.Tx everything runs in that
// transaction.
//
// Go migrations are registered on a [Registry] the application owns and
// passed with [WithRegistry]; they live in the same graph as SQL files.
package retort
