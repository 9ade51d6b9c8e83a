package importer

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/script"
	"github.com/retortdb/retort/sqlsplit"
)

// Options says how [Convert] checks and writes the revisions.
type Options struct {
	// Split, when set, are the database engine's splitter options: every
	// file's SQL is split with them, and SQL that does not split cleanly
	// is a problem. Nil skips that check (a warning says so).
	Split *sqlsplit.Options
	// FileTemplate names the new files, as retort.toml's file_template
	// ("" = "{rev}_{slug}"); TruncateSlug is truncate_slug_length.
	FileTemplate string
	TruncateSlug int
	// Revises is the revision the first imported one revises; "" makes
	// it a base.
	Revises string
	// GoPackage is the package clause of the Go scaffolds written for
	// goose's Go migrations ("" = "migrations").
	GoPackage string
}

// Revision is one migration of the old tool, converted.
type Revision struct {
	// ID is the new revision's id (see [ID]); Revises its parent.
	ID      string
	Revises string
	// Message comes from the file name.
	Message string
	// Version is the old tool's version.
	Version Version
	// Source is the original file, relative to the folder read;
	// DownSource the separate down (or undo) file, if any.
	Source, DownSource string
	// NoTransaction carries the tool's no-transaction marker over.
	NoTransaction bool
	// HasDowngrade reports a down section or file.
	HasDowngrade bool
	// Go reports a goose Go migration: File is then a Go scaffold to
	// port by hand.
	Go bool
	// File is the new file's name; Content what it holds.
	File    string
	Content []byte

	up, down string // the SQL of each direction
}

// Problem is something found in the old tool's folder, by file and line
// (0: the whole file).
type Problem struct {
	File string
	Line int
	Msg  string
	Hint string
}

// String renders the problem as "file:line: msg; hint".
func (p Problem) String() string {
	s := p.File
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
	}
	if s != "" {
		s += ": "
	}
	s += p.Msg
	if p.Hint != "" {
		s += "; " + p.Hint
	}
	return s
}

// Result is a conversion: the revisions in the tool's order, and what
// needs a hand.
type Result struct {
	Format Format
	// Revisions are the new revisions, a linear chain in the tool's
	// version order.
	Revisions []Revision
	// Warnings are things converted that need a look (Go migrations
	// written as scaffolds, repeatable Flyway files left out, ...).
	Warnings []Problem
}

// Error is a folder that cannot be converted: every problem found, by
// file and line. It matches fault.ErrBadInput (retort.ErrBadInput).
type Error struct {
	Format   Format
	Dir      string
	Problems []Problem
}

// Error lists the problems, one a line.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cannot import %s folder %s: %d problem(s); fix them in the original files and import again", e.Format, e.Dir, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

// Unwrap makes the error match fault.ErrBadInput.
func (e *Error) Unwrap() error { return fault.ErrBadInput }

// collector gathers problems.
type collector struct {
	fatals, warnings []Problem
}

func (c *collector) fatal(file string, line int, msg, hint string) {
	c.fatals = append(c.fatals, Problem{file, line, msg, hint})
}

func (c *collector) warn(file string, line int, msg, hint string) {
	c.warnings = append(c.warnings, Problem{file, line, msg, hint})
}

// migration is one version's files.
type migration struct {
	version  Version
	desc     string
	up, down string // paths
	goFile   bool
}

// Convert reads the migration folder dir of fsys, written for format f,
// and returns the equivalent retort revisions. Nothing is written: the
// caller writes each Revision's Content to its File. Problems that make
// the folder unsafe to convert (a version present twice, a gap tern
// refuses, a template placeholder, a goose ENVSUB region, SQL that does
// not split, an atlas.sum that does not match) are returned together as
// an [*Error].
func Convert(fsys fs.FS, dir string, f Format, opts Options) (*Result, error) {
	if _, err := ParseFormat(string(f)); err != nil {
		return nil, err
	}
	c := &collector{}
	files, err := listFiles(fsys, dir, f == Flyway)
	if err != nil {
		return nil, fault.BadInput(fmt.Errorf("read %s folder %s: %w", f, dir, err))
	}
	migs := group(f, files, c)
	if f == Atlas {
		checkAtlasSum(fsys, dir, files, c)
	}
	if f == Tern {
		checkTernSequence(migs, c)
	}
	if len(migs) == 0 && len(c.fatals) == 0 {
		c.fatal(dir, 0, "no "+string(f)+" migration files", "check the folder and the format")
	}
	if opts.Split == nil {
		c.warn(dir, 0, "no database engine configured: the SQL was not checked with retort's splitter", "set url in retort.toml and import again to check it")
	}
	res := &Result{Format: f}
	prev := opts.Revises
	ids := map[string]string{}
	for _, m := range migs {
		r, ok := convertOne(fsys, dir, f, m, opts, c)
		if !ok {
			continue
		}
		if first, dup := ids[r.ID]; dup {
			c.fatal(r.Source, 0, "its revision id "+r.ID+" is also the id of "+first, "rename one of the files so their versions differ")
			continue
		}
		ids[r.ID] = r.Source
		r.Revises = prev
		prev = r.ID
		res.Revisions = append(res.Revisions, r)
	}
	res.Warnings = c.warnings
	if len(c.fatals) > 0 {
		return res, &Error{Format: f, Dir: dir, Problems: c.fatals}
	}
	return res, Render(res.Revisions, f, opts)
}

// Render (re)writes the File and Content of revs, chained in order from
// opts.Revises: [Convert] calls it, and a caller that drops revisions
// (already imported ones) calls it again on the rest.
func Render(revs []Revision, f Format, opts Options) error {
	prev := opts.Revises
	for i := range revs {
		revs[i].Revises = prev
		prev = revs[i].ID
		if err := render(&revs[i], f, opts); err != nil {
			return err
		}
	}
	return nil
}

// listFiles returns the regular files of dir (and its subfolders when
// deep), relative to dir, in name order.
func listFiles(fsys fs.FS, dir string, deep bool) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && !deep {
				return fs.SkipDir
			}
			return nil
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, dir), "/")
		if dir == "." {
			rel = p
		}
		out = append(out, rel)
		return nil
	})
	slices.Sort(out)
	return out, err
}

// group sorts the files into migrations by version, in the tool's order.
func group(f Format, files []string, c *collector) []*migration {
	var migs []*migration
	find := func(v Version) *migration {
		for _, m := range migs {
			if m.version.Same(v) {
				return m
			}
		}
		return nil
	}
	for _, file := range files {
		base := path.Base(file)
		n, ok := name(f, base)
		if !ok {
			if strings.HasSuffix(base, ".sql") {
				c.warn(file, 0, "not a "+string(f)+" migration name; left out, as "+string(f)+" leaves it", "rename it if it is a migration")
			}
			continue
		}
		switch n.kind {
		case "repeatable":
			c.warn(file, 0, "repeatable Flyway migration left out: retort has no repeatable migrations",
				"put its SQL in a new revision ('retort revision -m ...') each time it changes, or run it from your deployment")
			continue
		case "down", "undo":
			m := find(n.version)
			if m == nil {
				m = &migration{version: n.version, desc: n.desc}
				migs = append(migs, m)
			}
			if m.down != "" {
				c.fatal(file, 0, "version "+n.version.Text+" has a second "+n.kind+" file; the first is "+m.down, "keep one")
				continue
			}
			m.down = file
			continue
		}
		m := find(n.version)
		switch {
		case m == nil:
			migs = append(migs, &migration{version: n.version, desc: n.desc, up: file, goFile: n.kind == "go"})
		case m.up != "":
			c.fatal(file, 0, "version "+n.version.Text+" is present twice: also "+m.up, string(f)+" refuses a folder like this too: give one of them a new version")
		default:
			m.up, m.desc, m.goFile = file, n.desc, n.kind == "go"
		}
	}
	migs = slices.DeleteFunc(migs, func(m *migration) bool {
		if m.up == "" {
			c.fatal(m.down, 0, "a down file without its up file", "add the up file of version "+m.version.Text+" or remove this one")
			return true
		}
		return false
	})
	slices.SortStableFunc(migs, func(a, b *migration) int { return a.version.Compare(b.version) })
	return migs
}

// checkTernSequence reports what tern refuses: versions that do not run
// 1, 2, 3, ... without a gap.
func checkTernSequence(migs []*migration, c *collector) {
	for i, m := range migs {
		want := Version{Text: fmt.Sprint(i + 1)}
		want, _ = numeric(want.Text)
		if m.version.Compare(want) != 0 {
			c.fatal(m.up, 0, fmt.Sprintf("tern needs migration %d here, found version %s", i+1, m.version.Text),
				"tern numbers migrations 1, 2, 3, ... without gaps and refuses this folder too: renumber the files")
			return
		}
	}
}

func readText(fsys fs.FS, dir, file string) (string, error) {
	b, err := fs.ReadFile(fsys, path.Join(dir, file))
	return string(b), err
}

// convertOne reads one migration's files.
func convertOne(fsys fs.FS, dir string, f Format, m *migration, opts Options, c *collector) (Revision, bool) {
	r := Revision{ID: ID(m.version), Message: message(m.desc), Version: m.version, Source: m.up, DownSource: m.down, Go: m.goFile}
	if m.goFile {
		c.warn(m.up, 0, "goose Go migration: written as a Go scaffold to port by hand",
			"write its Up and Down in the scaffold, with op.Exec or op's operations; retort runs Go revisions from a Go environment (retort init -t go)")
		r.HasDowngrade = true
		return r, true
	}
	src, err := readText(fsys, dir, m.up)
	if err != nil {
		c.fatal(m.up, 0, "cannot read: "+err.Error(), "check the file")
		return r, false
	}
	p := &parser{file: m.up, c: c}
	var pd parsed
	switch f {
	case Goose:
		pd = p.parseMarked(src, "goose")
	case SQLMigrate:
		pd = p.parseMarked(src, "migrate")
	case Dbmate:
		pd = p.parseDbmate(src)
	case Atlas:
		pd = p.parseAtlas(src)
	case Tern:
		pd = p.parseTern(src)
	default: // golang-migrate, flyway
		pd.up = p.whole(src)
	}
	if f == Flyway {
		pd.noTx = flywayNoTx(fsys, dir, m.up, c)
	}
	if m.down != "" {
		dsrc, err := readText(fsys, dir, m.down)
		if err != nil {
			c.fatal(m.down, 0, "cannot read: "+err.Error(), "check the file")
			return r, false
		}
		pd.down = (&parser{file: m.down, c: c}).whole(dsrc)
	}
	c.checkSection(f, pd.up, opts.Split)
	c.checkSection(f, pd.down, opts.Split)
	if pd.up.empty() {
		c.warn(m.up, 0, "the up part is empty", "the revision is kept, so the chain matches the old tool's versions")
	}
	if (f == GolangMigrate || f == Flyway) && !pd.noTx {
		if n := concurrently(pd.up); n > 0 {
			// golang-migrate runs files outside a transaction, and Flyway
			// sees CONCURRENTLY and does the same: so must retort.
			pd.noTx = true
			c.warn(m.up, n, "CREATE/DROP INDEX CONCURRENTLY: marked '-- +retort no-transaction', as "+string(f)+" ran it outside a transaction",
				"keep other statements out of this revision, or run them in a revision of their own")
		}
	}
	r.NoTransaction = pd.noTx
	r.HasDowngrade = pd.down != nil
	r.up = pd.up.sql()
	if pd.down != nil {
		r.down = pd.down.sql()
	}
	return r, true
}

var concurrentlyRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^\s*(create|drop)\b.*\bindex\b.*\bconcurrently\b|^\s*(create|drop)\s+(unique\s+)?index\s+concurrently\b`)
})

// concurrently returns the line of the first CREATE/DROP INDEX
// CONCURRENTLY of s, or 0.
func concurrently(s *section) int {
	for _, l := range s.lines {
		if concurrentlyRe().MatchString(l.text) {
			return l.n
		}
	}
	return 0
}

// flywayNoTx reads Flyway's per-script config file (V1__x.sql.conf) for
// executeInTransaction=false.
func flywayNoTx(fsys fs.FS, dir, file string, c *collector) bool {
	conf, err := readText(fsys, dir, file+".conf")
	if err != nil {
		return false
	}
	for i, l := range splitLines(conf) {
		k, v, ok := strings.Cut(strings.TrimSpace(l), "=")
		if !ok || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		switch strings.TrimSpace(k) {
		case "executeInTransaction":
			return strings.TrimSpace(v) == "false"
		default:
			c.warn(file+".conf", i+1, "Flyway script setting "+strings.TrimSpace(k)+" is not carried over", "check what it did and do it by hand")
		}
	}
	return false
}

// render writes r's new file.
func render(r *Revision, f Format, opts Options) error {
	nf := script.NewFile{ID: r.ID, Message: r.Message, NoTransaction: r.NoTransaction,
		ImportedFrom: string(f) + " " + r.Source, NoDowngrade: !r.HasDowngrade}
	if r.Revises != "" {
		nf.Revises = []string{r.Revises}
	}
	tmpl := opts.FileTemplate
	if tmpl == "" {
		tmpl = "{rev}_{slug}"
	}
	name, err := script.FileName(tmpl, nf, opts.TruncateSlug)
	if err != nil {
		return err
	}
	if r.Go {
		pkg := opts.GoPackage
		if pkg == "" {
			pkg = "migrations"
		}
		fail := func(dir string) string {
			return fmt.Sprintf("// Port %s of goose's %s here.\nreturn errors.New(%q)", dir, r.Source,
				"revision "+r.ID+": the "+dir+" of goose Go migration "+r.Source+" is not ported yet")
		}
		src, err := script.RenderGo(nf, pkg, &script.GoCode{Upgrade: fail("Up"), Downgrade: fail("Down"), Imports: []string{"errors"}})
		if err != nil {
			return err
		}
		r.File, r.Content = strings.TrimSuffix(name, ".sql")+".go", src
		return nil
	}
	nf.Upgrade, nf.Downgrade = r.up, r.down
	r.File, r.Content = name, script.RenderSQL(nf)
	return nil
}
