// Package dialect owns the boundary between retort and a database
// engine: the registry of engines, quoting, version-table SQL, locks,
// transactional-DDL rules, splitter options, rendering of operations,
// and the optional abilities (inspection, scratch databases, test
// databases) that the rest of retort type-asserts. It does not run
// migrations or plan them; the runner does that through these
// interfaces, and nothing outside this package (and the engine
// packages under it) asks which engine it is talking to: code asks a
// [Caps] field or an ability interface instead.
//
// # The engine registry
//
// Each engine package registers one [Engine] when it is imported: its
// name, product name, the URL schemes that select it (SQLAlchemy's
// spellings), the database/sql driver retort opens it with, the driver
// packages whose connections belong to it, and its constructor.
// [ForScheme] (used by config.ParseURL), [New] (used by retort.Open)
// and [Detect] (the engine of a caller's *sql.DB or *sql.Conn) all
// read that one table. Package retort imports every engine package
// retort ships.
//
// # Adding an engine
//
// An engine is one package, dialect/<name>, with the same core files as
// the others:
//
//   - dialect.go: the Dialect type and New; Name, Caps, QuoteIdent,
//     QuoteLiteral, SplitOptions, Begin, Commit; the Engine variable and
//     func init() { dialect.Register(Engine) }; a blank import of the
//     database/sql driver.
//   - render.go: Render for every operation of package ops, failing
//     with an *[UnsupportedError] (naming op, table and engine, with a
//     hint) for what the engine cannot do.
//   - inspect.go: the [Inspectable] ability, reflecting a database into
//     package schema values with a fixed number of queries whatever the
//     number of tables; autogenerate and the test kit need it.
//   - lock.go: the [Locker] (LockTx, LockSession), timeouts reported as
//     *[LockTimeoutError]; Caps.SessionLock when only a session lock
//     exists.
//   - version.go: the [VersionStore] for Alembic's version table.
//   - schema.go: SetSchema and SetSchemaLocal, and, with Caps.Schemas,
//     [CurrentSchemaReader] (and [SchemaResetter] when SetSchema needs
//     undoing).
//   - doc.go: the package doc: driver, quoting, locks, what differs.
//
// Then:
//
//  1. Fill [Caps] truthfully: every field changes what retort does
//     (TransactionalDDL the runner's transaction policy, RebuildsTables
//     batch mode, Placeholders the queries of appdb and retorttest, ...).
//  2. Implement the optional abilities the engine has: [LocalScratcher]
//     or [ServerScratcher] (autogenerate's target from target_schema),
//     [ViewNormalizer], [ServerIdentifier] (the target cache),
//     [MemoryOpener] or [TestServer] (the test kit and `retort test`),
//     [RebuildCatalog] with RebuildsTables, [ImplicitCommitter] where
//     DDL commits at once, [StatementKiller] where the driver watches
//     every statement's context with a goroutine (the runner then
//     watches a run's once), [StatementBlocker] where several
//     statements can go as one (the version row and the history row in
//     one round trip). Without one, the feature
//     that needs it fails naming the engine and the missing ability;
//     nothing falls back to another engine.
//  3. If the engine's database/sql driver is new to retort, teach
//     config how to turn a URL into its DSN (config/url.go, keyed by
//     the driver's name).
//  4. Import the package from package retort (env.go) and from
//     internal/dbtest, so that its URLs resolve everywhere.
//  5. Test it: goldens for every operation and the version-table SQL
//     (dialecttest.GoldenRender and dialecttest.Golden, rewritten with
//     -update), and the conformance suite, one call against a real
//     server: dialecttest.Run(t, New(), open), with open returning a
//     fresh database for each subtest (skip, naming
//     RETORT_TEST_<ENGINE>_URL, when the server is not configured), and
//     dialecttest.RunOps to apply every operation and its reverse.
//     The suite checks the registration, the capabilities and the
//     abilities the package claims.
package dialect
