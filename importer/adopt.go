package importer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
)

// DefaultTable returns the table format f keeps its versions in, as the
// tool names it by default: Atlas's lives in a schema of its own
// (atlas_schema_revisions.atlas_schema_revisions) where the engine has
// schemas, else in the current database.
func DefaultTable(f Format) dialect.Ident {
	switch f {
	case Goose:
		return dialect.Ident{Name: "goose_db_version"}
	case GolangMigrate, Dbmate:
		return dialect.Ident{Name: "schema_migrations"}
	case SQLMigrate:
		return dialect.Ident{Name: "gorp_migrations"}
	case Flyway:
		return dialect.Ident{Name: "flyway_schema_history"}
	case Atlas:
		return dialect.Ident{Schema: "atlas_schema_revisions", Name: "atlas_schema_revisions"}
	case Tern:
		return dialect.Ident{Name: "schema_version"}
	}
	return dialect.Ident{}
}

// Applied is what an old tool's version table says is applied.
type Applied struct {
	Format Format
	// Table is the table read.
	Table dialect.Ident
	// Versions are the versions recorded as applied (tool's order).
	Versions []Version
	// Through, when set, says that every version up to it is applied:
	// golang-migrate and tern keep only the last version, Flyway and
	// Atlas a baseline.
	Through *Version
}

// ErrNoTable is matched by the error of [ReadApplied] when the old
// tool's table is not in the database.
var ErrNoTable = errors.New("the old tool's version table is not in the database")

// ReadApplied reads format f's version table (table; the zero Ident is
// [DefaultTable]) through q, refusing a state that is not safe to adopt:
// a golang-migrate database marked dirty, a failed Flyway migration, an
// Atlas revision applied part-way. All such errors match
// fault.ErrBadInput and say what to fix first.
func ReadApplied(ctx context.Context, q dialect.Querier, d dialect.Dialect, f Format, table dialect.Ident) (*Applied, error) {
	if table.Name == "" {
		table = DefaultTable(f)
		if f == Atlas && !d.Caps().Schemas {
			table.Schema = ""
		}
	}
	ok, err := d.VersionStore(table).Exists(ctx, q)
	if (err != nil || !ok) && f == Atlas && table.Schema == DefaultTable(Atlas).Schema {
		// Atlas connected to one schema keeps its table there.
		table.Schema = ""
		ok, err = d.VersionStore(table).Exists(ctx, q)
	}
	if err != nil {
		return nil, fmt.Errorf("look for %s's table %s: %w", f, table, err)
	}
	if !ok {
		return nil, fault.BadInput(fmt.Errorf("%w: no %s table %s here; check url (is this the database %s managed?), or name the table with --table if %s was told to use another",
			ErrNoTable, f, table, f, f))
	}
	a := &Applied{Format: f, Table: table}
	name := qualified(d, table)
	switch f {
	case Goose:
		err = readGoose(ctx, q, name, a)
	case GolangMigrate:
		err = readGolangMigrate(ctx, q, name, table.String(), a)
	case Dbmate:
		err = readList(ctx, q, "SELECT version FROM "+name, a)
	case SQLMigrate:
		err = readList(ctx, q, "SELECT id FROM "+name, a)
	case Flyway:
		err = readFlyway(ctx, q, name, table.String(), a)
	case Atlas:
		err = readAtlas(ctx, q, name, table.String(), a)
	case Tern:
		err = readTern(ctx, q, name, a)
	default:
		return nil, fault.BadInput(fmt.Errorf("unknown format %q", f))
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(a.Versions, Version.Compare)
	return a, nil
}

func qualified(d dialect.Dialect, t dialect.Ident) string {
	if t.Schema != "" {
		return d.QuoteIdent(t.Schema) + "." + d.QuoteIdent(t.Name)
	}
	return d.QuoteIdent(t.Name)
}

// query runs sel and calls scan for each row.
func query(ctx context.Context, q dialect.Querier, sel string, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, sel)
	if err != nil {
		return fmt.Errorf("%s: %w", sel, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			if errors.Is(err, fault.ErrBadInput) {
				return err
			}
			return fmt.Errorf("%s: %w", sel, err)
		}
	}
	return rows.Err()
}

// readGoose: one row per up or down, the last row of a version wins;
// version 0 is the row goose writes when it creates the table.
func readGoose(ctx context.Context, q dialect.Querier, name string, a *Applied) error {
	state := map[string]bool{}
	var order []string
	err := query(ctx, q, "SELECT version_id, is_applied FROM "+name+" ORDER BY id", func(r *sql.Rows) error {
		var v int64
		var applied bool
		if err := r.Scan(&v, &applied); err != nil {
			return err
		}
		k := strconv.FormatInt(v, 10)
		if _, seen := state[k]; !seen {
			order = append(order, k)
		}
		state[k] = applied
		return nil
	})
	for _, k := range order {
		if state[k] && k != "0" {
			a.Versions = append(a.Versions, ParseVersion(Goose, k))
		}
	}
	return err
}

func readGolangMigrate(ctx context.Context, q dialect.Querier, name, label string, a *Applied) error {
	n := 0
	return query(ctx, q, "SELECT version, dirty FROM "+name, func(r *sql.Rows) error {
		var v int64
		var dirty bool
		if err := r.Scan(&v, &dirty); err != nil {
			return err
		}
		if n++; n > 1 {
			return fault.BadInput(fmt.Errorf("golang-migrate's table %s has more than one row; it keeps one: check the database", label))
		}
		if dirty {
			return fault.BadInput(fmt.Errorf("golang-migrate marked the database dirty at version %d (table %s): that migration failed part-way. Repair the database by hand, run 'migrate force %d' (or the version before it) once it matches, then adopt again", v, label, v))
		}
		if v >= 0 {
			t := ParseVersion(GolangMigrate, strconv.FormatInt(v, 10))
			a.Through = &t
		}
		return nil
	})
}

func readList(ctx context.Context, q dialect.Querier, sel string, a *Applied) error {
	return query(ctx, q, sel, func(r *sql.Rows) error {
		var v string
		if err := r.Scan(&v); err != nil {
			return err
		}
		a.Versions = append(a.Versions, ParseVersion(a.Format, v))
		return nil
	})
}

// readFlyway: rows in installed_rank order; a failed row stops adoption;
// BASELINE marks every version up to it applied; UNDO_SQL and DELETE
// rows take a version back.
func readFlyway(ctx context.Context, q dialect.Querier, name, label string, a *Applied) error {
	applied := map[string]bool{}
	var order []string
	sel := "SELECT installed_rank, version, type, success FROM " + name + " ORDER BY installed_rank"
	err := query(ctx, q, sel, func(r *sql.Rows) error {
		var rank int64
		var version sql.NullString
		var typ string
		var success bool
		if err := r.Scan(&rank, &version, &typ, &success); err != nil {
			return err
		}
		if !success {
			return fault.BadInput(fmt.Errorf("the Flyway table %s records a failed migration (installed_rank %d, version %s, type %s): repair the database by hand, run 'flyway repair' to remove the failed row, then adopt again", label, rank, version.String, typ))
		}
		if !version.Valid || typ == "SCHEMA" {
			return nil // repeatable migrations, the schema-creation marker
		}
		v := version.String
		switch typ {
		case "BASELINE":
			t := ParseVersion(Flyway, v)
			a.Through = &t
		case "UNDO_SQL", "UNDO_JDBC", "UNDO_SCRIPT", "DELETE":
			applied[v] = false
		default:
			if _, seen := applied[v]; !seen {
				order = append(order, v)
			}
			applied[v] = true
		}
		return nil
	})
	for _, v := range order {
		if applied[v] {
			a.Versions = append(a.Versions, ParseVersion(Flyway, v))
		}
	}
	return err
}

// readAtlas: a revision whose statements did not all apply, or that
// recorded an error, stops adoption; a baseline revision (type bit 1)
// marks every version up to it applied.
func readAtlas(ctx context.Context, q dialect.Querier, name, label string, a *Applied) error {
	sel := "SELECT version, type, applied, total, error FROM " + name
	return query(ctx, q, sel, func(r *sql.Rows) error {
		var v string
		var typ, applied, total int64
		var msg sql.NullString
		if err := r.Scan(&v, &typ, &applied, &total, &msg); err != nil {
			return err
		}
		if msg.Valid && msg.String != "" || applied < total {
			return fault.BadInput(fmt.Errorf("the Atlas table %s records revision %s as applied part-way (%d of %d statements): %s. Repair the database by hand and fix the row ('atlas migrate set'), then adopt again", label, v, applied, total, strings.TrimSpace(msg.String)))
		}
		t := ParseVersion(Atlas, v)
		if typ&1 != 0 {
			if a.Through == nil || a.Through.Compare(t) < 0 {
				a.Through = &t
			}
			return nil
		}
		a.Versions = append(a.Versions, t)
		return nil
	})
}

func readTern(ctx context.Context, q dialect.Querier, name string, a *Applied) error {
	return query(ctx, q, "SELECT version FROM "+name, func(r *sql.Rows) error {
		var v int64
		if err := r.Scan(&v); err != nil {
			return err
		}
		if v > 0 {
			t := ParseVersion(Tern, strconv.FormatInt(v, 10))
			a.Through = &t
		}
		return nil
	})
}

// Imported is one imported revision, as [Match] sees it.
type Imported struct {
	ID      string
	Version Version
	// Source is the original file ("" for a revision known by its id
	// only, such as a ported goose Go migration).
	Source string
}

// ImportedFromHeader reads an "Imported From:" value ("<format> <file>")
// into the format and the version of the file; ok is false when the
// value names another format or a file the format does not read.
func ImportedFromHeader(value string) (f Format, file string, v Version, ok bool) {
	name, file, found := strings.Cut(strings.TrimSpace(value), " ")
	if !found {
		return "", "", Version{}, false
	}
	f, err := ParseFormat(name)
	if err != nil {
		return "", "", Version{}, false
	}
	file = strings.TrimSpace(file)
	base := file[strings.LastIndexByte(file, '/')+1:]
	v, ok = versionOfFile(f, base)
	return f, file, v, ok
}

// VersionOfID reverses [ID] for a numeric version: "v0003" and "00003"
// are version 3. It serves revisions that carry no header, such as Go
// revisions ported from goose.
func VersionOfID(f Format, id string) (Version, bool) {
	t := strings.TrimPrefix(id, "v")
	t = strings.ReplaceAll(t, "_", ".")
	v, ok := numeric(t)
	if !ok || f == SQLMigrate {
		return Version{}, false
	}
	return v, true
}

// Match finds the imported revision a database is at: the one of the
// last applied version. revs are the imported revisions (any order).
// It refuses an applied version the revisions do not have, and a hole:
// a version not applied before one that is (the tool ran them out of
// order), since stamping would then skip it. "" means nothing is
// applied.
func Match(revs []Imported, a *Applied) (string, error) {
	revs = slices.Clone(revs)
	slices.SortStableFunc(revs, func(x, y Imported) int { return x.Version.Compare(y.Version) })
	applied := make([]bool, len(revs))
	var unknown []string
	for _, v := range a.Versions {
		i := slices.IndexFunc(revs, func(r Imported) bool { return r.Version.Same(v) })
		if i < 0 {
			unknown = append(unknown, v.Text)
			continue
		}
		applied[i] = true
	}
	if a.Through != nil {
		found := false
		for i, r := range revs {
			if r.Version.Compare(*a.Through) <= 0 {
				applied[i] = true
			}
			found = found || r.Version.Same(*a.Through)
		}
		if !found {
			unknown = append(unknown, a.Through.Text)
		}
	}
	if len(unknown) > 0 {
		return "", fault.BadInput(fmt.Errorf("%s's table %s records version(s) %s, which the imported revisions do not have: import the %s folder the database was migrated with ('retort import %s DIR'), or apply the missing files with %s, then adopt again",
			a.Format, a.Table, strings.Join(unknown, ", "), a.Format, a.Format, a.Format))
	}
	last := -1
	for i, ok := range applied {
		if ok {
			last = i
		}
	}
	for i := 0; i < last; i++ {
		if !applied[i] {
			return "", fault.BadInput(fmt.Errorf("%s's table %s records version %s as applied but not version %s (%s), which comes before it: stamping would skip it. Apply it with %s first (it was left out of order), then adopt again",
				a.Format, a.Table, revs[last].Version.Text, revs[i].Version.Text, revs[i].Source, a.Format))
		}
	}
	if last < 0 {
		return "", nil
	}
	return revs[last].ID, nil
}
