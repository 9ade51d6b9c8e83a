package appdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/schema"
)

// Querier is what the model helpers run on: the request's *sql.Tx (see
// Tx), or a *sql.DB or *sql.Conn.
type Querier = dialect.Querier

// ErrNotFound is matched (errors.Is) by a *NotFoundError; ErrMultiple by
// a *MultipleError.
var (
	ErrNotFound = errors.New("no row found")
	ErrMultiple = errors.New("more than one row found")
)

// Filter is one condition of Get: Column = Value (IS NULL for a nil
// Value).
type Filter struct {
	Column string
	Value  any
}

// Eq is the filter column = value.
func Eq(column string, value any) Filter { return Filter{Column: column, Value: value} }

// NotFoundError reports that no row of Table matched Filters.
type NotFoundError struct {
	Table   string
	Filters []Filter
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no %s row where %s", e.Table, describe(e.Filters))
}

// Is matches ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// MultipleError reports that several rows of Table matched Filters
// where one was expected.
type MultipleError struct {
	Table   string
	Filters []Filter
}

func (e *MultipleError) Error() string {
	return fmt.Sprintf("more than one %s row where %s; filter on a unique key", e.Table, describe(e.Filters))
}

// Is matches ErrMultiple.
func (e *MultipleError) Is(target error) bool { return target == ErrMultiple }

func describe(fs []Filter) string {
	if len(fs) == 0 {
		return "(no filter)"
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		v := f.Value
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
			v = rv.Elem().Interface()
		}
		if v == nil {
			parts[i] = f.Column + " IS NULL"
		} else {
			parts[i] = fmt.Sprintf("%s = %#v", f.Column, v)
		}
	}
	return strings.Join(parts, " AND ")
}

var mappings sync.Map // reflect.Type -> *schema.Mapping

// mappingOf returns the cached mapping of T.
func mappingOf[T any]() (*schema.Mapping, error) {
	t := reflect.TypeFor[T]()
	if m, ok := mappings.Load(t); ok {
		return m.(*schema.Mapping), nil
	}
	m, err := schema.MapStruct(t)
	if err != nil {
		return nil, badInput(err)
	}
	mappings.Store(t, m)
	return m, nil
}

type dialectKey struct{}

// WithDialect returns ctx carrying d, the dialect the model helpers
// quote names with. Manager.Middleware and Middleware set it; without
// it the helpers ask a *sql.DB or *sql.Conn for its driver and fall back
// to standard SQL quoting ("name"), which PostgreSQL and SQLite share.
func WithDialect(ctx context.Context, d dialect.Dialect) context.Context {
	return context.WithValue(ctx, dialectKey{}, d)
}

func dialectFor(ctx context.Context, q Querier) dialect.Dialect {
	if d, ok := ctx.Value(dialectKey{}).(dialect.Dialect); ok && d != nil {
		return d
	}
	if d := dialectOf(q); d != nil {
		return d
	}
	return postgres.New()
}

// dialectOf tells the dialect of a *sql.DB or *sql.Conn from its
// driver (see dialect.Detect); a *sql.Tx cannot tell.
func dialectOf(q any) dialect.Dialect {
	if e, ok := dialect.Detect(q); ok && e.New != nil {
		return e.New()
	}
	return nil
}

var errNoRows = sql.ErrNoRows

// query builds SQL for one mapped table.
type query struct {
	d dialect.Dialect
	m *schema.Mapping
	b strings.Builder
	a []any
}

func (q *query) table() string {
	t := q.m.Table
	if t.Schema != "" {
		return q.d.QuoteIdent(t.Schema) + "." + q.d.QuoteIdent(t.Name)
	}
	return q.d.QuoteIdent(t.Name)
}

func (q *query) columns() string {
	cols := make([]string, len(q.m.Fields))
	for i, f := range q.m.Fields {
		cols[i] = q.d.QuoteIdent(f.Column)
	}
	return strings.Join(cols, ", ")
}

func (q *query) arg(v any) string {
	q.a = append(q.a, v)
	return q.d.Caps().Placeholders.Arg(len(q.a))
}

// where writes the conditions, checking each column is mapped.
func (q *query) where(fs []Filter) error {
	for i, f := range fs {
		if q.m.Field(f.Column) == nil {
			return badInput(fmt.Errorf("table %s (%s) has no column %q", q.m.Table.Name, q.m.Type, f.Column))
		}
		if i == 0 {
			q.b.WriteString(" WHERE ")
		} else {
			q.b.WriteString(" AND ")
		}
		if isNil(f.Value) {
			q.b.WriteString(q.d.QuoteIdent(f.Column) + " IS NULL")
			continue
		}
		q.b.WriteString(q.d.QuoteIdent(f.Column) + " = " + q.arg(f.Value))
	}
	return nil
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// Get returns the one row of T's table matching every filter: a
// *NotFoundError (ErrNotFound) when none does, a *MultipleError
// (ErrMultiple) when several do.
func Get[T any](ctx context.Context, q Querier, filters ...Filter) (*T, error) {
	m, err := mappingOf[T]()
	if err != nil {
		return nil, err
	}
	b := &query{d: dialectFor(ctx, q), m: m}
	b.b.WriteString("SELECT " + b.columns() + " FROM " + b.table())
	if err := b.where(filters); err != nil {
		return nil, err
	}
	b.b.WriteString(" LIMIT 2")
	rows, err := q.QueryContext(ctx, b.b.String(), b.a...)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", m.Table.Name, err)
	}
	defer rows.Close()
	var v T
	n := 0
	for rows.Next() {
		if n++; n > 1 {
			return nil, &MultipleError{Table: m.Table.Name, Filters: filters}
		}
		if err := rows.Scan(scanTargets(m, reflect.ValueOf(&v).Elem())...); err != nil {
			return nil, fmt.Errorf("get %s: %w", m.Table.Name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("get %s: %w", m.Table.Name, err)
	}
	if n == 0 {
		return nil, &NotFoundError{Table: m.Table.Name, Filters: filters}
	}
	return &v, nil
}

// GetByPK returns the row of T's table whose primary key is pk (one
// value per key column, in key order), or a *NotFoundError.
func GetByPK[T any](ctx context.Context, q Querier, pk ...any) (*T, error) {
	m, err := mappingOf[T]()
	if err != nil {
		return nil, err
	}
	cols := m.Table.PrimaryKey.Columns
	if len(pk) != len(cols) {
		return nil, badInput(fmt.Errorf("table %s has a primary key of %d column(s) (%s), got %d value(s)", m.Table.Name, len(cols), strings.Join(cols, ", "), len(pk)))
	}
	fs := make([]Filter, len(cols))
	for i, c := range cols {
		fs[i] = Eq(c, pk[i])
	}
	return Get[T](ctx, q, fs...)
}

// insertColumns returns the fields an insert of v writes: every mapped
// field except generated ones (identity, server default) left at their
// zero value, which the database fills.
func insertColumns(m *schema.Mapping, v reflect.Value) []schema.Field {
	var out []schema.Field
	for _, f := range m.Fields {
		if f.Generated && v.FieldByIndex(f.Index).IsZero() {
			continue
		}
		out = append(out, f)
	}
	return out
}

// insert writes INSERT INTO t (...) VALUES (...) for v.
func (q *query) insert(v reflect.Value) []schema.Field {
	fields := insertColumns(q.m, v)
	q.b.WriteString("INSERT INTO " + q.table())
	if len(fields) == 0 {
		if q.d.Caps().Upsert == dialect.OnDuplicateKey {
			q.b.WriteString(" () VALUES ()") // MySQL has no DEFAULT VALUES
		} else {
			q.b.WriteString(" DEFAULT VALUES")
		}
		return fields
	}
	cols := make([]string, len(fields))
	vals := make([]string, len(fields))
	for i, f := range fields {
		cols[i] = q.d.QuoteIdent(f.Column)
		vals[i] = q.arg(v.FieldByIndex(f.Index).Interface())
	}
	q.b.WriteString(" (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(vals, ", ") + ")")
	return fields
}

// Insert inserts v into T's table and reads the row back into v, so that
// generated columns (id, defaults) are filled.
func Insert[T any](ctx context.Context, q Querier, v *T) error {
	m, err := mappingOf[T]()
	if err != nil {
		return err
	}
	b := &query{d: dialectFor(ctx, q), m: m}
	rv := reflect.ValueOf(v).Elem()
	b.insert(rv)
	if b.d.Caps().Upsert == dialect.OnDuplicateKey {
		return insertThenRead(ctx, q, b, rv)
	}
	b.b.WriteString(" RETURNING " + b.columns())
	if err := q.QueryRowContext(ctx, b.b.String(), b.a...).Scan(scanTargets(m, rv)...); err != nil {
		return fmt.Errorf("insert into %s: %w", m.Table.Name, err)
	}
	return nil
}

// keyFilters returns the filters key = v.key, checking the columns.
func keyFilters(m *schema.Mapping, v reflect.Value, key []string) ([]Filter, error) {
	if len(key) == 0 {
		return nil, badInput(fmt.Errorf("table %s: name the key column(s) the row is found by, e.g. \"email\"", m.Table.Name))
	}
	fs := make([]Filter, len(key))
	for i, c := range key {
		f := m.Field(c)
		if f == nil {
			return nil, badInput(fmt.Errorf("table %s (%s) has no column %q", m.Table.Name, m.Type, c))
		}
		fs[i] = Eq(c, v.FieldByIndex(f.Index).Interface())
	}
	return fs, nil
}

func (q *query) onConflict(key []string) {
	cols := make([]string, len(key))
	for i, c := range key {
		cols[i] = q.d.QuoteIdent(c)
	}
	q.b.WriteString(" ON CONFLICT (" + strings.Join(cols, ", ") + ")")
}

// conflictError explains the usual reason an ON CONFLICT fails.
func conflictError(op string, m *schema.Mapping, key []string, err error) error {
	return fmt.Errorf("%s %s by (%s): %w (ON CONFLICT needs a primary key or unique constraint on exactly these columns)",
		op, m.Table.Name, strings.Join(key, ", "), err)
}

// GetOrCreate finds the row of T's table whose key columns equal v's
// and reads it into v, or inserts v (its other fields are the defaults
// of the new row) and reads the inserted row back; created reports
// which. It is one INSERT ... ON CONFLICT (key) DO NOTHING RETURNING,
// then, when another row holds the key, a SELECT of that row: two
// requests racing for the same key get the same row, never a duplicate
// or a unique violation. The key columns need a primary key or unique
// constraint. Run it at READ COMMITTED (the default): at a stricter
// isolation level PostgreSQL reports a serialization failure to retry.
func GetOrCreate[T any](ctx context.Context, q Querier, v *T, key ...string) (created bool, err error) {
	m, err := mappingOf[T]()
	if err != nil {
		return false, err
	}
	rv := reflect.ValueOf(v).Elem()
	fs, err := keyFilters(m, rv, key)
	if err != nil {
		return false, err
	}
	d := dialectFor(ctx, q)
	b := &query{d: d, m: m}
	b.insert(rv)
	if d.Caps().Upsert == dialect.OnDuplicateKey {
		k := d.QuoteIdent(key[0])
		return upsertThenRead[T](ctx, q, b, rv, " ON DUPLICATE KEY UPDATE "+k+" = "+k, key, fs)
	}
	b.onConflict(key)
	b.b.WriteString(" DO NOTHING RETURNING " + b.columns())
	var row T
	err = q.QueryRowContext(ctx, b.b.String(), b.a...).Scan(scanTargets(m, reflect.ValueOf(&row).Elem())...)
	switch {
	case err == nil:
		*v = row
		return true, nil
	case !errors.Is(err, errNoRows):
		return false, conflictError("get or create", m, key, err)
	}
	got, err := Get[T](WithDialect(ctx, d), q, fs...)
	if err != nil {
		return false, fmt.Errorf("get or create %s: the key's row disappeared after the insert found it: %w", m.Table.Name, err)
	}
	*v = *got
	return false, nil
}

// UpdateOrCreate inserts v into T's table or, when a row with the same
// key columns exists, updates that row's other columns (primary key and
// generated columns left at their zero value excepted) to v's; v is then
// the row as stored, and created reports whether it was inserted. Like
// GetOrCreate it never checks before inserting: it is INSERT ... ON
// CONFLICT (key) DO NOTHING RETURNING, then UPDATE ... RETURNING on the
// row that holds the key, so racing requests neither duplicate the row
// nor fail on the unique key.
func UpdateOrCreate[T any](ctx context.Context, q Querier, v *T, key ...string) (created bool, err error) {
	m, err := mappingOf[T]()
	if err != nil {
		return false, err
	}
	rv := reflect.ValueOf(v).Elem()
	fs, err := keyFilters(m, rv, key)
	if err != nil {
		return false, err
	}
	d := dialectFor(ctx, q)
	if d.Caps().Upsert == dialect.OnDuplicateKey {
		b := &query{d: d, m: m}
		fields := b.insert(rv)
		var sets []string
		for _, f := range fields {
			if !f.PrimaryKey && !slices.Contains(key, f.Column) {
				c := d.QuoteIdent(f.Column)
				sets = append(sets, c+" = VALUES("+c+")")
			}
		}
		if len(sets) == 0 {
			k := d.QuoteIdent(key[0])
			sets = []string{k + " = " + k}
		}
		return upsertThenRead[T](ctx, q, b, rv, " ON DUPLICATE KEY UPDATE "+strings.Join(sets, ", "), key, fs)
	}
	for range 3 {
		b := &query{d: d, m: m}
		fields := b.insert(rv)
		b.onConflict(key)
		b.b.WriteString(" DO NOTHING RETURNING " + b.columns())
		var row T
		err = q.QueryRowContext(ctx, b.b.String(), b.a...).Scan(scanTargets(m, reflect.ValueOf(&row).Elem())...)
		if err == nil {
			*v = row
			return true, nil
		}
		if !errors.Is(err, errNoRows) {
			return false, conflictError("update or create", m, key, err)
		}
		u := &query{d: d, m: m}
		var sets []string
		for _, f := range fields {
			if f.PrimaryKey || slices.Contains(key, f.Column) {
				continue
			}
			sets = append(sets, d.QuoteIdent(f.Column)+" = "+u.arg(rv.FieldByIndex(f.Index).Interface()))
		}
		if len(sets) == 0 {
			// Nothing to change: the existing row is the answer.
			got, err := Get[T](WithDialect(ctx, d), q, fs...)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return false, err
			}
			*v = *got
			return false, nil
		}
		u.b.WriteString("UPDATE " + u.table() + " SET " + strings.Join(sets, ", "))
		if err := u.where(fs); err != nil {
			return false, err
		}
		u.b.WriteString(" RETURNING " + u.columns())
		err = q.QueryRowContext(ctx, u.b.String(), u.a...).Scan(scanTargets(m, reflect.ValueOf(&row).Elem())...)
		if err == nil {
			*v = row
			return false, nil
		}
		if !errors.Is(err, errNoRows) {
			return false, fmt.Errorf("update or create %s: %w", m.Table.Name, err)
		}
		// The row was deleted between the two statements: insert again.
	}
	return false, fmt.Errorf("update or create %s where %s: the row kept disappearing; retry the transaction", m.Table.Name, describe(fs))
}

// upsertThenRead runs b's INSERT with the ON DUPLICATE KEY UPDATE clause
// dup (MySQL, which has no RETURNING) and reads the row back: the
// inserted row by its primary key, else the row holding the key. The
// affected-row count tells which happened: 1 for an insert, 2 for an
// update, 0 for a row left as it was (with clientFoundRows off, the
// driver's default).
func upsertThenRead[T any](ctx context.Context, q Querier, b *query, rv reflect.Value, dup string, key []string, fs []Filter) (bool, error) {
	if !uniqueKey(&b.m.Table, key) {
		// ON DUPLICATE KEY fires on any unique key and checks none:
		// refuse what ON CONFLICT (key) would refuse.
		return false, badInput(fmt.Errorf("%s by (%s): the model declares no primary key or unique constraint on exactly these columns, which ON DUPLICATE KEY needs",
			b.m.Table.Name, strings.Join(key, ", ")))
	}
	b.b.WriteString(dup)
	res, err := q.ExecContext(ctx, b.b.String(), b.a...)
	if err != nil {
		return false, fmt.Errorf("%s by (%s): %w (ON DUPLICATE KEY needs a primary key or unique index on these columns)",
			b.m.Table.Name, strings.Join(key, ", "), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("%s: %w", b.m.Table.Name, err)
	}
	if n == 1 {
		return true, readBack(ctx, q, b, rv, res)
	}
	got, err := Get[T](WithDialect(ctx, b.d), q, fs...)
	if err != nil {
		return false, fmt.Errorf("%s: the key's row disappeared after the insert found it: %w", b.m.Table.Name, err)
	}
	rv.Set(reflect.ValueOf(got).Elem())
	return false, nil
}

// insertThenRead runs b's INSERT and reads the new row back into rv.
func insertThenRead(ctx context.Context, q Querier, b *query, rv reflect.Value) error {
	res, err := q.ExecContext(ctx, b.b.String(), b.a...)
	if err != nil {
		return fmt.Errorf("insert into %s: %w", b.m.Table.Name, err)
	}
	if err := readBack(ctx, q, b, rv, res); err != nil {
		return fmt.Errorf("insert into %s: %w", b.m.Table.Name, err)
	}
	return nil
}

// readBack reads the row just inserted into rv, found by its primary
// key: rv's, or the AUTO_INCREMENT value the insert generated.
func readBack(ctx context.Context, q Querier, b *query, rv reflect.Value, res sql.Result) error {
	var fs []Filter
	for _, f := range b.m.Fields {
		if !f.PrimaryKey {
			continue
		}
		v := rv.FieldByIndex(f.Index).Interface()
		if f.Generated && rv.FieldByIndex(f.Index).IsZero() {
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			v = id
		}
		fs = append(fs, Eq(f.Column, v))
	}
	if len(fs) == 0 {
		return fmt.Errorf("table %s has no primary key to read the inserted row back by", b.m.Table.Name)
	}
	r := &query{d: b.d, m: b.m}
	r.b.WriteString("SELECT " + r.columns() + " FROM " + r.table())
	if err := r.where(fs); err != nil {
		return err
	}
	return q.QueryRowContext(ctx, r.b.String(), r.a...).Scan(scanTargets(b.m, rv)...)
}

// uniqueKey reports whether t declares a primary key, unique
// constraint or unique index on exactly the columns key.
func uniqueKey(t *schema.Table, key []string) bool {
	same := func(cols []string) bool {
		return len(cols) == len(key) && !slices.ContainsFunc(cols, func(c string) bool { return !slices.Contains(key, c) })
	}
	if t.PrimaryKey != nil && same(t.PrimaryKey.Columns) {
		return true
	}
	for _, u := range t.Uniques {
		if same(u.Columns) {
			return true
		}
	}
	for _, ix := range t.Indexes {
		if ix.Unique && ix.Where == "" && same(ix.Columns()) {
			return true
		}
	}
	return false
}
