package dialect

import (
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// Engine registers a database engine with retort: the URL schemes that
// select it, the database/sql driver that opens it, and its [Dialect].
// Each engine package registers one in its init function, so importing
// the package is what makes the engine available; the one table of
// engines lives here, and nothing outside package dialect chooses an
// engine by name.
type Engine struct {
	// Name is the dialect's name, as its Dialect.Name returns it:
	// "postgres", "sqlite", "mysql". It is what config.URL.Dialect and
	// retort.WithDialect hold.
	Name string
	// Product names the engine in messages: "PostgreSQL".
	Product string
	// Schemes are the URL schemes, in lower case and in SQLAlchemy's
	// spellings ("postgresql+psycopg2"), that select the engine.
	Schemes []string
	// Driver is the database/sql driver name retort opens the engine's
	// URLs with ("pgx"); the engine's package imports the driver.
	Driver string
	// DriverPackages are the import paths of the database/sql drivers
	// whose *sql.DB or *sql.Conn belongs to the engine, to tell the
	// engine of a caller's connection ([Detect]).
	DriverPackages []string
	// New returns the engine's dialect. It is nil for an engine whose
	// URLs are known but whose dialect is not written yet: [New] then
	// fails with an error that says so.
	New func() Dialect
}

var (
	registryMu sync.RWMutex
	engines    []Engine
)

// Register adds an engine to the registry. It is meant for an engine
// package's init function; it panics when the engine has no name or
// New, or when its name or one of its schemes is already registered,
// as database/sql.Register does for drivers: both are programming
// errors found the first time the program starts.
func Register(e Engine) {
	if e.Name == "" {
		panic("dialect.Register: an engine needs a Name")
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, o := range engines {
		if o.Name == e.Name {
			panic("dialect.Register: engine " + e.Name + " registered twice")
		}
		for _, s := range e.Schemes {
			if slices.Contains(o.Schemes, strings.ToLower(s)) {
				panic("dialect.Register: URL scheme " + s + " of " + e.Name + " is already " + o.Name + "'s")
			}
		}
	}
	e.Schemes = slices.Clone(e.Schemes)
	for i, s := range e.Schemes {
		e.Schemes[i] = strings.ToLower(s)
	}
	if e.Product == "" {
		e.Product = e.Name
	}
	engines = append(engines, e)
}

// Engines returns the registered engines, sorted by name.
func Engines() []Engine {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := slices.Clone(engines)
	slices.SortFunc(out, func(a, b Engine) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Names returns the names of the registered engines, sorted.
func Names() []string {
	var out []string
	for _, e := range Engines() {
		out = append(out, e.Name)
	}
	return out
}

// Schemes returns every URL scheme of the registered engines, sorted.
func Schemes() []string {
	var out []string
	for _, e := range Engines() {
		out = append(out, e.Schemes...)
	}
	slices.Sort(out)
	return out
}

// ErrUnknownEngine is matched (errors.Is) by the errors of [Lookup] and
// [New] for a name no imported engine package registered.
var ErrUnknownEngine = errors.New("unknown database engine")

// Lookup returns the engine registered under name.
func Lookup(name string) (Engine, error) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	for _, e := range engines {
		if e.Name == name {
			return e, nil
		}
	}
	return Engine{}, fmt.Errorf("%w %q; registered engines: %s", ErrUnknownEngine, name, strings.Join(namesLocked(), ", "))
}

func namesLocked() []string {
	var out []string
	for _, e := range engines {
		out = append(out, e.Name)
	}
	slices.Sort(out)
	return out
}

// ErrNotAvailable is matched (errors.Is) by the error of [New] for an
// engine whose URLs are known but which has no dialect yet.
var ErrNotAvailable = errors.New("database engine not available")

// New returns the dialect of the engine registered under name.
func New(name string) (Dialect, error) {
	e, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	if e.New == nil {
		return nil, fmt.Errorf("%w: retort does not run on %s yet; use %s", ErrNotAvailable, e.Product, strings.Join(available(), " or "))
	}
	return e.New(), nil
}

// available lists the products of the engines that have a dialect.
func available() []string {
	var out []string
	for _, e := range Engines() {
		if e.New != nil {
			out = append(out, e.Product)
		}
	}
	return out
}

// ForScheme returns the engine a URL scheme selects (case-insensitive).
func ForScheme(scheme string) (Engine, bool) {
	scheme = strings.ToLower(scheme)
	registryMu.RLock()
	defer registryMu.RUnlock()
	for _, e := range engines {
		if slices.Contains(e.Schemes, scheme) {
			return e, true
		}
	}
	return Engine{}, false
}

// Detect returns the engine behind a *sql.DB or *sql.Conn, told from
// the package of its database/sql driver. It reports false for a
// *sql.Tx (which cannot tell), for any other value, and for a driver no
// registered engine names (a wrapping driver, say): the caller must
// then be told the engine.
func Detect(q any) (Engine, bool) {
	var d any
	switch q := q.(type) {
	case *sql.DB:
		d = q.Driver()
	case *sql.Conn:
		_ = q.Raw(func(c any) error { d = c; return nil })
	default:
		return Engine{}, false
	}
	t := reflect.TypeOf(d)
	if t == nil {
		return Engine{}, false
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	pkg := t.PkgPath()
	registryMu.RLock()
	defer registryMu.RUnlock()
	for _, e := range engines {
		if slices.Contains(e.DriverPackages, pkg) {
			return e, true
		}
	}
	return Engine{}, false
}
