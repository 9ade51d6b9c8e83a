package retort

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/sqlsplit"
)

// targetStmt is one statement of the target schema to run, and where
// it comes from.
type targetStmt struct {
	file string
	line int
	sql  string
}

// targetScript is the target schema read: the statements to run, the
// extensions they need and whether they span schemas.
type targetScript struct {
	src        []byte // every file, for the cache key
	stmts      []targetStmt
	extensions []string
	schemas    []string // schemas named by CREATE SCHEMA or qualified names
	spans      bool     // schemas named or search_path set: build it in a database of its own
}

// targetFiles lists the files of target_schema: the file itself, the
// *.sql files of a folder, or the matches of a glob pattern, in name
// order. None is ErrNoTarget.
func (e *Env) targetFiles() ([]string, error) {
	p := e.cfg.TargetSchema
	if p == "" {
		return nil, e.noTarget()
	}
	if strings.ContainsAny(p, "*?[") {
		files, err := filepath.Glob(p)
		if err != nil {
			return nil, fault.BadInput(fmt.Errorf("target_schema %q: %w", p, err))
		}
		if len(files) == 0 {
			return nil, e.noTarget()
		}
		slices.Sort(files)
		return files, nil
	}
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, e.noTarget()
	}
	if err != nil {
		return nil, fmt.Errorf("target_schema: %w", err)
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	files, err := filepath.Glob(filepath.Join(p, "*.sql"))
	if err != nil || len(files) == 0 {
		return nil, fault.BadInput(fmt.Errorf("%w: target_schema %s is a folder without *.sql files", ErrNoTarget, p))
	}
	slices.Sort(files)
	return files, nil
}

// readTarget reads and splits the target schema files, letting the
// dialect (dialect.TargetReader) skip what is not compared.
func (e *Env) readTarget() (*targetScript, error) {
	files, err := e.targetFiles()
	if err != nil {
		return nil, err
	}
	reader, _ := e.dialect.(dialect.TargetReader)
	t := &targetScript{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("target_schema: %w", err)
		}
		t.src = append(append(append(t.src, f...), 0), src...)
		text := string(src)
		if reader != nil {
			text = reader.CleanTarget(text)
		}
		stmts, err := sqlsplit.Split(text, e.dialect.SplitOptions())
		if err != nil {
			return nil, fault.BadInput(fmt.Errorf("%s: %w", f, err))
		}
		for _, s := range stmts {
			ts := targetStmt{file: f, line: s.Line, sql: s.SQL}
			if reader != nil {
				st := reader.ReadTargetStatement(s.SQL)
				if st.Skip {
					continue
				}
				ts.sql = st.SQL
				if st.Extension != "" && !slices.Contains(t.extensions, st.Extension) {
					t.extensions = append(t.extensions, st.Extension)
				}
				for _, sc := range st.Schemas {
					if !slices.Contains(t.schemas, sc) {
						t.schemas = append(t.schemas, sc)
					}
				}
				t.spans = t.spans || st.SetsPath || len(st.Schemas) > 0
			}
			t.stmts = append(t.stmts, ts)
		}
	}
	return t, nil
}

// Target returns the schema autogenerate compares with: the one set
// with [WithTarget], else the config's target_schema applied to a
// scratch database and inspected.
//
// target_schema is a file, a folder of *.sql files or a glob pattern,
// run in name order: a hand-written schema.sql, or on PostgreSQL the
// output of pg_dump -s (ownership and privileges are skipped, as they
// are not compared; CREATE EXTENSION and CREATE SCHEMA get IF NOT
// EXISTS; an extension the server does not have is an error naming
// it). The scratch database is the dialect's: an in-memory SQLite
// database (dialect.LocalScratcher), or on PostgreSQL a schema
// retort_scratch_<random> made inside a transaction that is rolled back
// (dialect.ServerScratcher). A target that names schemas (CREATE
// SCHEMA, schema-qualified names, a search_path setting, as pg_dump
// writes) is built in a scratch database of its own instead
// (dialect.DatabaseScratcher), created on the server of dev_url (else
// url) and always dropped.
func (e *Env) Target(ctx context.Context) (*schema.Database, error) {
	if e.opts.target != nil {
		return e.opts.target, nil
	}
	if e.cfg.TargetSchema == "" {
		return nil, e.noTarget()
	}
	if err := e.needEngine(); err != nil {
		return nil, err
	}
	t, err := e.readTarget()
	if err != nil {
		return nil, err
	}
	in := e.inspector()
	if in == nil {
		return nil, fmt.Errorf("target_schema: the %s dialect cannot inspect a database, so it cannot build the target from SQL; set the target with retort.WithTarget", e.dialect.Name())
	}
	build := func(ctx context.Context, q dialect.Querier, schema string) (*schema.Database, error) {
		if err := e.execTarget(ctx, q, t.stmts); err != nil {
			return nil, err
		}
		db, err := in.Inspect(ctx, q, dialect.InspectOpts{Schemas: e.inspectSchemas(schema)})
		if err != nil {
			return nil, err
		}
		return e.excluded(db), nil
	}
	if ds, ok := e.dialect.(dialect.DatabaseScratcher); ok && t.spans {
		return e.cachedTarget(ctx, t.src, func() (*schema.Database, error) {
			return e.targetInDatabase(ctx, ds, in, t)
		})
	}
	switch d := e.dialect.(type) {
	case dialect.LocalScratcher:
		var out *schema.Database
		err := d.Scratch(ctx, func(ctx context.Context, q dialect.Querier, schema string) (err error) {
			out, err = build(ctx, q, schema)
			return err
		})
		return out, err
	case dialect.ServerScratcher:
		if err := e.missingExtensions(ctx, t.extensions); err != nil {
			return nil, err
		}
		return e.cachedTarget(ctx, t.src, func() (*schema.Database, error) {
			var out *schema.Database
			err := e.inTx(ctx, false, func(tx dialect.Querier) error {
				return d.ScratchOn(ctx, tx, func(ctx context.Context, q dialect.Querier, schema string) (err error) {
					out, err = build(ctx, q, schema)
					return err
				})
			})
			return out, err
		})
	}
	return nil, fmt.Errorf("target_schema: the %s dialect has no scratch database to apply %s to; set the target with retort.WithTarget", e.dialect.Name(), e.cfg.TargetSchema)
}

// missingExtensions fails naming the extensions the target needs that
// the live server cannot create.
func (e *Env) missingExtensions(ctx context.Context, names []string) error {
	ds, ok := e.dialect.(dialect.DatabaseScratcher)
	if !ok || len(names) == 0 {
		return nil
	}
	var missing []string
	err := e.inTx(ctx, false, func(q dialect.Querier) (err error) {
		missing, err = ds.MissingExtensions(ctx, q, names)
		return err
	})
	if err != nil {
		return err
	}
	return missingError(missing)
}

func missingError(missing []string) error {
	if len(missing) == 0 {
		return nil
	}
	return fault.BadInput(fmt.Errorf("target_schema needs the extension(s) %s, which the server does not have: install them on the server (or on the one dev_url names), or remove their CREATE EXTENSION and what uses them from the target",
		strings.Join(missing, ", ")))
}

// scratchURL is where a scratch database is made: dev_url, else url.
func (e *Env) scratchURL(t *targetScript) (string, string, func(string) (string, error), error) {
	u := e.cfg.DevURL
	key := "dev_url"
	if u == nil {
		u, key = e.cfg.URL, "url"
	}
	if u == nil {
		return "", "", nil, fault.BadInput(fmt.Errorf("target_schema names schemas (%s), so retort builds it in a scratch database, which needs a server URL: set dev_url in %s to a database on a server where you may create databases",
			strings.Join(t.schemas, ", "), e.cfgName()))
	}
	dsn := func(name string) (string, error) {
		if name == "" {
			return u.OpenDSN(0), nil
		}
		su, err := u.WithDatabase(name)
		if err != nil {
			return "", err
		}
		return su.OpenDSN(0), nil
	}
	return u.Driver, key + " (" + u.Redacted() + ")", dsn, nil
}

// targetInDatabase builds the target in a scratch database created for
// it and always dropped.
func (e *Env) targetInDatabase(ctx context.Context, ds dialect.DatabaseScratcher, in dialect.Inspector, t *targetScript) (*schema.Database, error) {
	current, err := e.currentSchema(ctx)
	if err != nil {
		return nil, err
	}
	driver, where, dsn, err := e.scratchURL(t)
	if err != nil {
		return nil, err
	}
	adminDSN, err := dsn("")
	if err != nil {
		return nil, err
	}
	admin, err := sql.Open(driver, adminDSN)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	name, err := ds.CreateScratchDatabase(ctx, admin)
	if err != nil {
		return nil, fault.BadInput(fmt.Errorf("target_schema names schemas (%s), so retort builds it in a scratch database, but it cannot create one on %s: %w; grant the user CREATEDB, or set dev_url to a database on a server where it may create databases",
			strings.Join(t.schemas, ", "), where, err))
	}
	defer ds.DropScratchDatabase(context.WithoutCancel(ctx), admin, name) //nolint:errcheck // best effort; the name is random
	scratchDSN, err := dsn(name)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(driver, scratchDSN)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	missing, err := ds.MissingExtensions(ctx, db, t.extensions)
	if err != nil {
		return nil, err
	}
	if err := missingError(missing); err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // read only
	setPath := func() error {
		stmts, err := e.dialect.SetSchemaLocal(current)
		for _, s := range stmts {
			if err == nil {
				_, err = tx.ExecContext(ctx, s)
			}
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+e.dialect.QuoteIdent(current)); err != nil {
		return nil, err
	}
	if err := setPath(); err != nil {
		return nil, err
	}
	if err := e.execTarget(ctx, tx, t.stmts); err != nil {
		return nil, err
	}
	if err := setPath(); err != nil { // pg_dump empties it
		return nil, err
	}
	schemas, err := e.includedSchemas(ctx, tx, current)
	if err != nil {
		return nil, err
	}
	out, err := in.Inspect(ctx, tx, dialect.InspectOpts{Schemas: append([]string{current}, schemas...)})
	if err != nil {
		return nil, err
	}
	if err := e.outsideTarget(ctx, ds, in, tx, append([]string{current}, schemas...)); err != nil {
		return nil, err
	}
	return e.excluded(out), nil
}

// outsideTarget fails naming the objects the target made in schemas
// that are neither included nor excluded.
func (e *Env) outsideTarget(ctx context.Context, ds dialect.DatabaseScratcher, in dialect.Inspector, q dialect.Querier, included []string) error {
	all, err := ds.SchemaNames(ctx, q)
	if err != nil {
		return err
	}
	var rest []string
	for _, s := range all {
		if !slices.Contains(included, s) && !e.excludedSchema(s) {
			rest = append(rest, s)
		}
	}
	if len(rest) == 0 {
		return nil
	}
	db, err := in.Inspect(ctx, q, dialect.InspectOpts{Schemas: rest})
	if err != nil {
		return err
	}
	var objs, schemas []string
	add := func(kind, s, name string) {
		objs = append(objs, kind+" "+s+"."+name)
		if !slices.Contains(schemas, s) {
			schemas = append(schemas, s)
		}
	}
	for _, t := range db.Tables {
		add("table", t.Schema, t.Name)
	}
	for _, v := range db.Views {
		add("view", v.Schema, v.Name)
	}
	for _, en := range db.Enums {
		add("enum", en.Schema, en.Name)
	}
	for _, f := range db.Functions {
		add("function", f.Schema, f.Name)
	}
	for _, s := range db.Sequences {
		add("sequence", s.Schema, s.Name)
	}
	if len(objs) == 0 {
		return nil
	}
	more := ""
	if len(objs) > 5 {
		objs, more = objs[:5], fmt.Sprintf(" and %d more", len(objs)-5)
	}
	return fault.BadInput(fmt.Errorf("target_schema declares %s%s in schema(s) %s, which include_schemas leaves out (it compares %s): add them to include_schemas in %s (or include_schemas = [\"*\"]), or leave them out with exclude_schemas",
		strings.Join(objs, ", "), more, strings.Join(schemas, ", "), strings.Join(included, ", "), e.cfgName()))
}

func (e *Env) noTarget() error {
	return fault.BadInput(fmt.Errorf("%w: autogenerate compares the database with target_schema (%s), which does not exist; write it (the CREATE statements of the schema you want, or pg_dump -s output), or set the target with retort.WithTarget in a Go environment",
		ErrNoTarget, e.cfg.TargetSchema))
}

func (e *Env) execTarget(ctx context.Context, q dialect.Querier, stmts []targetStmt) error {
	if e.dialect.Caps().MultiStatements && len(stmts) > 1 {
		// One round trip for the whole script (a statement without
		// arguments goes over the simple protocol, which takes several);
		// on failure, replay statement by statement to name the line.
		if _, err := q.ExecContext(ctx, "SAVEPOINT retort_target"); err != nil {
			return err
		}
		parts := make([]string, len(stmts))
		for i, s := range stmts {
			parts[i] = s.sql
		}
		if _, err := q.ExecContext(ctx, strings.Join(parts, ";\n")); err == nil {
			_, err = q.ExecContext(ctx, "RELEASE SAVEPOINT retort_target")
			return err
		}
		if _, err := q.ExecContext(ctx, "ROLLBACK TO SAVEPOINT retort_target"); err != nil {
			return err
		}
	}
	for _, s := range stmts {
		if _, err := q.ExecContext(ctx, s.sql); err != nil {
			return fault.BadInput(fmt.Errorf("%s, line %d: %w", s.file, s.line, err))
		}
	}
	return nil
}
