package lint

// Engine names the database engine a script is linted for, as the
// dialect registry names it.
type Engine string

// The engines the rules know.
const (
	Postgres Engine = "postgres"
	MySQL    Engine = "mysql"
	SQLite   Engine = "sqlite"
)

// Rule is one lint check: an id, the risk in one line, and the safe
// pattern per engine. A rule applies only to the engines in Safe.
type Rule struct {
	// ID is the stable name used in findings, lint-ignore comments and
	// retort.toml.
	ID string
	// Risk says in one line what can go wrong.
	Risk string
	// Safe is the pattern to use instead, per engine.
	Safe map[Engine]string
	// SizeAware rules matter only for large tables.
	SizeAware bool
	// Existing rules matter only for tables that exist before the run:
	// nothing running reads a table created earlier in the run.
	Existing bool
}

// Rule ids.
const (
	DropTable         = "drop-table"
	DropColumn        = "drop-column"
	AddNotNull        = "add-not-null-column"
	SetNotNull        = "set-not-null"
	TypeRewrite       = "column-type-rewrite"
	IndexBlocking     = "index-not-concurrent"
	ConcurrentlyInTx  = "concurrently-in-transaction"
	ConstraintInvalid = "constraint-not-valid"
	Rename            = "rename"
	EnumValueUse      = "enum-value-same-run"
	NoWhere           = "data-change-without-where"
	TableCopy         = "table-copy"
)

// Rules lists every rule, in the order findings are reported.
var Rules = []Rule{
	{ID: DropTable, Existing: true, Risk: "drops a table: its data is lost and running code still reading it fails", Safe: all(
		"deploy code that no longer uses the table first, keep a backup or rename it aside, drop it in a later release")},
	{ID: DropColumn, Existing: true, Risk: "drops a column: its data is lost and running code still selecting it fails", Safe: all(
		"stop reading and writing the column in a released version first, then drop it in a later migration")},
	{ID: AddNotNull, Risk: "adds a NOT NULL column without a default: fails on a non-empty table, or rewrites it", Safe: map[Engine]string{
		Postgres: "add the column nullable (or with a constant DEFAULT), backfill in batches, then set NOT NULL via a NOT VALID check",
		MySQL:    "add the column with a DEFAULT (ALGORITHM=INSTANT), backfill, then tighten it",
		SQLite:   "add the column with a DEFAULT; SQLite refuses NOT NULL without one",
	}},
	{ID: SetNotNull, Risk: "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE", SizeAware: true, Safe: map[Engine]string{
		Postgres: "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c; then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop c",
	}},
	{ID: TypeRewrite, Risk: "changing a column's type rewrites the table and blocks writes while it runs", SizeAware: true, Safe: map[Engine]string{
		Postgres: "add a new column, backfill in batches, switch the code, drop the old column (widening varchar or varchar->text needs no rewrite)",
	}},
	{ID: TableCopy, Risk: "the ALTER TABLE copies the table (ALGORITHM=COPY): writes wait until every row is copied", SizeAware: true, Safe: map[Engine]string{
		MySQL: "append ', ALGORITHM=INPLACE, LOCK=NONE' (or ALGORITHM=INSTANT) so that the server refuses rather than copies; for a type change add a new column and backfill it, or use an online schema change tool (gh-ost, pt-online-schema-change)",
	}},
	{ID: IndexBlocking, Risk: "CREATE INDEX without CONCURRENTLY blocks writes to the table until it is built", SizeAware: true, Safe: map[Engine]string{
		Postgres: "CREATE INDEX CONCURRENTLY in a revision marked '-- +retort no-transaction'",
	}},
	{ID: ConcurrentlyInTx, Risk: "the statement cannot run inside a transaction block: the migration fails", Safe: map[Engine]string{
		Postgres: "mark the revision '-- +retort no-transaction' and keep the statement alone in it",
	}},
	{ID: ConstraintInvalid, Risk: "adding a foreign key or check validates every row while holding a lock", SizeAware: true, Safe: map[Engine]string{
		Postgres: "ADD CONSTRAINT ... NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT in a later migration",
	}},
	{ID: Rename, Existing: true, Risk: "renaming a table or column breaks the running version of the application", Safe: all(
		"add the new name (column or view), make the code use it, remove the old name in a later release")},
	{ID: EnumValueUse, Risk: "a new enum value is used in the transaction that adds it: PostgreSQL refuses it", Safe: map[Engine]string{
		Postgres: "add '-- +retort commit-before' above the revision that uses the value, or set transaction_per_migration = true",
	}},
	{ID: NoWhere, Risk: "UPDATE or DELETE without WHERE touches every row of the table in one transaction", Safe: all(
		"add a WHERE clause, or backfill in batches outside the schema migration")},
}

func all(s string) map[Engine]string {
	return map[Engine]string{Postgres: s, MySQL: s, SQLite: s}
}

// RuleByID returns the rule with that id.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
