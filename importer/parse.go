package importer

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/retortdb/retort/sqlsplit"
)

// section is the SQL of one direction, as lines of the file it came
// from, so that problems point at the original line.
type section struct {
	file  string
	lines []line
	// regions are the tool's "one statement" blocks (StatementBegin ..
	// StatementEnd), by their first and last file line.
	regions [][2]int
}

type line struct {
	n    int
	text string
}

func (s *section) add(n int, text string) { s.lines = append(s.lines, line{n, text}) }

// sql is the section's text for the new revision file.
func (s *section) sql() string {
	var b strings.Builder
	for _, l := range s.lines {
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return strings.TrimSpace(b.String())
}

// padded is the section's text with every line at its file line, blank
// lines elsewhere, so the splitter's line numbers are the file's.
func (s *section) padded(from, to int) string {
	var b strings.Builder
	n := 1
	for _, l := range s.lines {
		if l.n < from || to > 0 && l.n > to {
			continue
		}
		for ; n < l.n; n++ {
			b.WriteByte('\n')
		}
		b.WriteString(l.text)
	}
	return b.String()
}

func (s *section) empty() bool { return strings.TrimSpace(s.sql()) == "" }

// parsed is one migration file (or pair of files) read.
type parsed struct {
	up, down *section
	noTx     bool
}

// parser reads one file's lines; problems go to the conversion.
type parser struct {
	file string
	c    *collector
}

func splitLines(src string) []string {
	src = strings.TrimPrefix(src, "\ufeff")
	ls := strings.Split(src, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimSuffix(l, "\r")
	}
	if len(ls) > 0 && ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// annotation reports whether l is "-- +<tool> words" and returns the
// words.
func annotation(l, tool string) ([]string, bool) {
	t := strings.TrimSpace(l)
	rest, ok := strings.CutPrefix(t, "--")
	if !ok {
		return nil, false
	}
	rest = strings.TrimSpace(rest)
	rest, ok = strings.CutPrefix(rest, "+"+tool)
	if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil, false
	}
	return strings.Fields(rest), true
}

func isComment(t string) bool {
	t = strings.TrimSpace(t)
	return t == "" || strings.HasPrefix(t, "--")
}

// parseMarked reads goose's and sql-migrate's files: "-- +goose Up",
// "-- +goose Down", "StatementBegin/End", and the tool's no-transaction
// annotation.
func (p *parser) parseMarked(src, tool string) parsed {
	out := parsed{up: &section{file: p.file}}
	var cur *section
	upAt, begin := 0, 0
	for i, l := range splitLines(src) {
		n := i + 1
		words, ok := annotation(l, tool)
		if !ok {
			switch {
			case cur != nil:
				cur.add(n, l)
			case !isComment(l):
				p.c.fatal(p.file, n, "SQL before '-- +"+tool+" Up'", tool+" reads no SQL there: move it under '-- +"+tool+" Up' or remove it")
			}
			continue
		}
		cmd := strings.ToLower(strings.Join(words, " "))
		switch {
		case cmd == "up" || tool == "migrate" && strings.HasPrefix(cmd, "up "):
			if upAt > 0 {
				p.c.fatal(p.file, n, fmt.Sprintf("a second '-- +%s Up'; the first is at line %d", tool, upAt), "keep one")
			}
			upAt, cur = n, out.up
			if strings.HasSuffix(cmd, " notransaction") {
				out.noTx = true
			}
		case cmd == "down" || tool == "migrate" && strings.HasPrefix(cmd, "down "):
			if out.down == nil {
				out.down = &section{file: p.file}
			}
			cur = out.down
		case cmd == "statementbegin":
			if begin > 0 {
				p.c.fatal(p.file, n, fmt.Sprintf("StatementBegin inside the StatementBegin of line %d", begin), "add the missing StatementEnd")
			}
			begin = n
		case cmd == "statementend":
			if begin == 0 {
				p.c.fatal(p.file, n, "StatementEnd without StatementBegin", "add the StatementBegin or remove this line")
			} else if cur != nil {
				cur.regions = append(cur.regions, [2]int{begin, n})
			}
			begin = 0
		case tool == "goose" && cmd == "no transaction":
			out.noTx = true
		case tool == "goose" && (cmd == "envsub on" || cmd == "envsub off"):
			if cmd == "envsub on" {
				p.c.fatal(p.file, n, "goose ENVSUB region: goose substitutes environment variables in the SQL below, retort substitutes none",
					"write the values into the SQL (or run that part from a Go migration that reads the environment), then remove the ENVSUB lines")
			}
		default:
			p.c.fatal(p.file, n, fmt.Sprintf("unknown annotation '-- +%s %s'", tool, strings.Join(words, " ")), "retort does not know what "+tool+" does with it; remove it or convert it by hand")
		}
	}
	if begin > 0 {
		p.c.fatal(p.file, begin, "StatementBegin without StatementEnd", "add '-- +"+tool+" StatementEnd' after the statement")
	}
	if upAt == 0 {
		p.c.fatal(p.file, 0, "no '-- +"+tool+" Up' annotation", tool+" refuses such a file too: add '-- +"+tool+" Up' above the SQL")
	}
	return out
}

var dbmateMarker = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^--\s*migrate:(up|down)\b(.*)$`) })

// parseDbmate reads a dbmate file: "-- migrate:up" and "-- migrate:down",
// each with options such as "transaction:false".
func (p *parser) parseDbmate(src string) parsed {
	out := parsed{up: &section{file: p.file}}
	var cur *section
	upAt := 0
	downNoTx := false
	for i, l := range splitLines(src) {
		n := i + 1
		m := dbmateMarker().FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			switch {
			case cur != nil:
				cur.add(n, l)
			case !isComment(l):
				p.c.fatal(p.file, n, "SQL before '-- migrate:up'", "move it under '-- migrate:up' or remove it")
			}
			continue
		}
		noTx := false
		for _, opt := range strings.Fields(m[2]) {
			k, v, _ := strings.Cut(opt, ":")
			if k == "transaction" && v == "false" {
				noTx = true
			} else if k != "transaction" {
				p.c.warn(p.file, n, fmt.Sprintf("dbmate option %q is not carried over", opt), "check what it did and do it by hand")
			}
		}
		if m[1] == "up" {
			if upAt > 0 {
				p.c.fatal(p.file, n, fmt.Sprintf("a second '-- migrate:up'; the first is at line %d", upAt), "keep one")
			}
			upAt, cur, out.noTx = n, out.up, noTx
			continue
		}
		if out.down == nil {
			out.down = &section{file: p.file}
		}
		cur, downNoTx = out.down, noTx
		if downNoTx != out.noTx && upAt > 0 {
			p.c.warn(p.file, n, "the down section's transaction:false differs from the up section's",
				"a retort revision runs in a transaction or not as a whole; it follows the up section")
		}
	}
	if upAt == 0 {
		p.c.fatal(p.file, 0, "no '-- migrate:up' line", "dbmate refuses such a file too: add '-- migrate:up' above the SQL")
	}
	return out
}

// whole reads a file that is one direction's SQL (golang-migrate,
// Flyway, Atlas).
func (p *parser) whole(src string) *section {
	s := &section{file: p.file}
	for i, l := range splitLines(src) {
		s.add(i+1, l)
	}
	return s
}

var atlasDirective = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^--\s*atlas:(\w+)\s*(.*)$`) })

// parseAtlas reads an Atlas file; its directives ("-- atlas:txmode none")
// stand at the top, before a blank line.
func (p *parser) parseAtlas(src string) parsed {
	out := parsed{up: &section{file: p.file}}
	top := true
	for i, l := range splitLines(src) {
		n := i + 1
		if top && strings.TrimSpace(l) == "" {
			top = false
		}
		if m := atlasDirective().FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			switch {
			case m[1] == "txmode" && strings.TrimSpace(m[2]) == "none" && top:
				out.noTx = true
				continue
			case m[1] == "txmode" || m[1] == "sum":
				continue
			case m[1] == "delimiter":
				p.c.fatal(p.file, n, "atlas:delimiter directive: Atlas cuts this file at "+m[2]+", retort's splitter at ';'",
					"rewrite the statements with ';' ends (retort's splitter knows function bodies and BEGIN ... END), then remove the directive")
			default:
				p.c.warn(p.file, n, "Atlas directive atlas:"+m[1]+" is not carried over", "check what it did and do it by hand")
			}
		}
		out.up.add(n, l)
	}
	return out
}

// parseTern reads a tern file: the down part below
// "---- create above / drop below ----", and "---- tern: disable-tx ----".
func (p *parser) parseTern(src string) parsed {
	out := parsed{up: &section{file: p.file}}
	cur := out.up
	for i, l := range splitLines(src) {
		n := i + 1
		t := strings.ToLower(strings.Join(strings.Fields(l), " "))
		switch t {
		case "---- create above / drop below ----":
			if out.down != nil {
				p.c.fatal(p.file, n, "a second '---- create above / drop below ----'", "keep one")
			}
			out.down = &section{file: p.file}
			cur = out.down
			continue
		case "---- tern: disable-tx ----":
			out.noTx = true
			continue
		}
		cur.add(n, l)
	}
	return out
}

var (
	templateRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{.*?\}\}`) })
	placeholderRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{[^}]*\}`) })
)

// checkSection reports template placeholders and SQL the splitter
// cannot cut, by file line.
func (c *collector) checkSection(f Format, s *section, opts *sqlsplit.Options) {
	if s == nil {
		return
	}
	for _, l := range s.lines {
		if m := templateRe().FindString(l.text); m != "" {
			c.fatal(s.file, l.n, "template placeholder "+m+": "+string(f)+" fills it in before running the SQL, retort does not",
				"write the value into the SQL, or make this migration a Go migration")
		}
		if f == Flyway {
			if m := placeholderRe().FindString(l.text); m != "" {
				c.fatal(s.file, l.n, "Flyway placeholder "+m+": Flyway replaces it before running the SQL, retort does not",
					"write the value into the SQL")
			}
		}
	}
	if opts == nil {
		return
	}
	if _, err := sqlsplit.Split(s.padded(0, 0), *opts); err != nil {
		var se *sqlsplit.SyntaxError
		if errors.As(err, &se) {
			c.fatal(s.file, se.Line, "the statements do not split cleanly: "+se.Msg,
				"fix the SQL so that each statement ends with ';' outside quotes and comments")
		} else {
			c.fatal(s.file, 0, "the statements do not split cleanly: "+err.Error(), "fix the SQL")
		}
		return
	}
	for _, r := range s.regions {
		stmts, err := sqlsplit.Split(s.padded(r[0], r[1]), *opts)
		if err == nil && len(stmts) > 1 {
			c.warn(s.file, r[0], fmt.Sprintf("the block from StatementBegin (line %d) to StatementEnd (line %d) splits into %d statements (lines %s); %s sent it as one",
				r[0], r[1], len(stmts), stmtLines(stmts), f),
				"check that running them one by one does the same")
		}
	}
}

func stmtLines(stmts []sqlsplit.Statement) string {
	ls := make([]string, len(stmts))
	for i, s := range stmts {
		ls[i] = fmt.Sprint(s.Line)
	}
	return strings.Join(ls, ", ")
}
