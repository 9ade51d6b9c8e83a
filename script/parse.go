package script

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/revision"
)

// Script is one SQL revision file, parsed.
type Script struct {
	// Rev is the revision the header declares; Rev.Source names the file
	// and the line of its "Revision ID:".
	Rev *revision.Revision
	// Path is the file's path in the fs.FS it was read from.
	Path string
	// Upgrade is the "-- +retort upgrade" section. A script that [Load]
	// took from the graph index (LoadOptions.Lazy) has only its Line until
	// [Script.UpgradeStatements] or [Script.DowngradeStatements] reads the
	// file.
	Upgrade Section
	// Downgrade is the "-- +retort downgrade" section, if HasDowngrade;
	// read when asked for, as Upgrade.
	Downgrade Section
	// HasDowngrade reports that the file has a downgrade section. Without
	// one, the revision cannot be downgraded.
	HasDowngrade bool
	// Warnings are problems that do not stop the file from loading, such
	// as bytes that are not UTF-8, each naming the file and line.
	Warnings []string
	// ImportedFrom is the header's "Imported From:" value, "<format>
	// <original file>", written by 'retort import' (package importer) and
	// read by 'retort adopt'; "" when the header has none.
	ImportedFrom string

	// lazy, when set, reads Upgrade and Downgrade from the file the
	// first time they are needed (the header came from the graph index).
	lazy *lazyBody
	// ref is the graph index the script was loaded with; sum its
	// checksum under sumKey, kept beside that index or set by
	// SetChecksum (guarded by ref.mu).
	ref         *indexRef
	sumKey, sum string
}

// Section is the SQL under one "-- +retort" marker.
type Section struct {
	// SQL is the text from the line after the marker to the next marker
	// or the end of the file, without trailing white space.
	SQL string
	// Line is the 1-based line in the file of the first line of SQL,
	// the one after the marker.
	Line int
}

// Header keys, as they must be written.
const (
	keyID        = "Revision ID"
	keyRevises   = "Revises"
	keyLabels    = "Branch Labels"
	keyDependsOn = "Depends On"
	keyDate      = "Create Date"
	keyImported  = "Imported From"
)

var headerKeys = [...]string{keyID, keyRevises, keyLabels, keyDependsOn, keyDate, keyImported}

// The markers, without their "-- +retort " prefix.
const (
	markUpgrade       = "upgrade"
	markDowngrade     = "downgrade"
	markNoTransaction = "no-transaction"
	markCommitBefore  = "commit-before"
)

// Create Date layouts; a fraction of a second is accepted after the
// seconds in all of them.
var dateLayouts = [...]string{
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05-0700",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05",
}

type parseState int

const (
	inDescription parseState = iota // before "Revision ID:"
	inHeader                        // from "Revision ID:" to a blank line
	betweenParts                    // after the header, before a section
	inSection                       // in a section
)

// parser holds the state of one Parse call.
type parser struct {
	file  string
	src   string
	state parseState
	s     *Script
	desc  []string // description lines; "" separates paragraphs

	keyLine  [len(headerKeys)]int // line of each header key seen, or 0
	noTxAt   int                  // line of the no-transaction marker
	commitAt int                  // line of the commit-before marker
	upAt     int                  // line of the upgrade marker
	downAt   int                  // line of the downgrade marker

	cur      *Section // the section being read
	curStart int      // offset where its SQL starts
}

// Parse reads the revision file at path (used in errors and as
// Script.Path) from src. Errors are [*ParseError] values that also match
// fault.ErrBadInput.
func Parse(path string, src []byte) (*Script, error) {
	p := &parser{
		file: path,
		src:  strings.TrimPrefix(string(src), "\ufeff"),
		s: &Script{
			Rev:  &revision.Revision{Source: revision.Source{File: path}},
			Path: path,
		},
	}
	if err := p.parse(); err != nil {
		return nil, fault.BadInput(err)
	}
	if w := nonUTF8(path, src); w != "" {
		p.s.Warnings = append(p.s.Warnings, w)
	}
	return p.s, nil
}

// nonUTF8 describes the lines of src that are not valid UTF-8, or
// returns "" when it all is.
func nonUTF8(path string, src []byte) string {
	if utf8.Valid(src) {
		return ""
	}
	var bad []int
	for i, line := range bytes.Split(src, []byte("\n")) {
		if !utf8.Valid(line) {
			bad = append(bad, i+1)
		}
	}
	msg := fmt.Sprintf("%s:%d: bytes that are not UTF-8", path, bad[0])
	if len(bad) > 1 {
		msg += fmt.Sprintf(" (and on %d more lines)", len(bad)-1)
	}
	return msg + "; retort sends them to the database as they are: save the file as UTF-8"
}

func (p *parser) parse() error {
	n := 0
	for start := 0; start < len(p.src); {
		end := len(p.src)
		next := end
		if i := strings.IndexByte(p.src[start:], '\n'); i >= 0 {
			end, next = start+i, start+i+1
		}
		n++
		if err := p.line(n, strings.TrimSpace(p.src[start:end]), start, next); err != nil {
			return err
		}
		start = next
	}
	p.closeSection(len(p.src))
	return p.finish(n)
}

// line takes line n, trimmed to t, which spans src[start:next].
func (p *parser) line(n int, t string, start, next int) error {
	body, comment := strings.CutPrefix(t, "--")
	body = strings.TrimSpace(body)
	if comment {
		if words, ok := markerWords(body); ok {
			return p.marker(n, words, start, next)
		}
	}
	switch p.state {
	case inDescription:
		return p.description(n, t, body, comment)
	case inHeader:
		if t == "" {
			p.state = betweenParts
			return nil
		}
		if !comment {
			return p.errorf(n, "SQL inside the header",
				"end the header with a blank line and put SQL under '-- +retort upgrade'")
		}
		if key, value, ok := headerKey(body); ok {
			return p.header(n, key, value)
		}
	case betweenParts:
		if t != "" && !comment {
			return p.errorf(n, "SQL outside a section",
				"put it under '-- +retort upgrade' or '-- +retort downgrade'")
		}
	}
	return nil
}

func (p *parser) description(n int, t, body string, comment bool) error {
	switch {
	case t == "":
		p.desc = append(p.desc, "")
		return nil
	case !comment:
		return p.errorf(n, "SQL before the header",
			"start the file with the '-- "+keyID+":' header that 'retort revision' writes, and put SQL under '-- +retort upgrade'")
	}
	key, value, ok := headerKey(body)
	switch {
	case ok && key == keyID:
		p.state = inHeader
		p.s.Rev.Source.Line = n
		return p.header(n, key, value)
	case ok && strings.EqualFold(key, keyID):
		return p.errorf(n, "header key "+strconv.Quote(key)+" is misspelt",
			"write it as "+strconv.Quote(keyID)+" (keys are case-sensitive)")
	}
	p.desc = append(p.desc, body)
	return nil
}

// header applies the header line "key: value" at line n.
func (p *parser) header(n int, key, value string) error {
	k := -1
	for i, known := range headerKeys {
		if key == known {
			k = i
		}
	}
	if k < 0 {
		hint := "the keys are " + strings.Join(headerKeys[:], ", ") +
			"; put other comments after the blank line that ends the header"
		for _, known := range headerKeys {
			if strings.EqualFold(key, known) {
				hint = "did you mean " + strconv.Quote(known) + "? (keys are case-sensitive)"
			}
		}
		return p.errorf(n, "unknown header key "+strconv.Quote(key), hint)
	}
	if first := p.keyLine[k]; first > 0 {
		return p.errorf(n, "duplicate header key "+strconv.Quote(key)+"; the first is at line "+strconv.Itoa(first),
			"keep one of them")
	}
	p.keyLine[k] = n
	rev := p.s.Rev
	var err error
	switch key {
	case keyID:
		if !revision.ValidID(value) {
			return p.errorf(n, "invalid revision id "+strconv.Quote(value),
				"use one or more letters, digits and underscores")
		}
		rev.ID = value
	case keyRevises:
		rev.Revises, err = p.list(n, key, value, revision.ValidID)
	case keyLabels:
		rev.BranchLabels, err = p.list(n, key, value, validLabel)
	case keyDependsOn:
		rev.DependsOn, err = p.list(n, key, value, validLabel)
	case keyDate:
		rev.CreateDate, err = p.date(n, value)
	case keyImported:
		if len(strings.Fields(value)) < 2 {
			return p.errorf(n, keyImported+" "+strconv.Quote(value)+" does not name a format and a file",
				"write it as '-- "+keyImported+": goose 00001_create_users.sql', or remove the line")
		}
		p.s.ImportedFrom = value
	}
	return err
}

// list reads a comma-separated list of the header key at line n.
func (p *parser) list(n int, key, value string, valid func(string) bool) ([]string, error) {
	if value == "" {
		return nil, nil
	}
	items := strings.Split(value, ",")
	for i, item := range items {
		item = strings.TrimSpace(item)
		switch {
		case item == "":
			return nil, p.errorf(n, "empty item in "+strconv.Quote(key), "remove the extra comma")
		case !valid(item):
			return nil, p.errorf(n, "invalid item "+strconv.Quote(item)+" in "+strconv.Quote(key),
				"use letters, digits and underscores, separated by commas")
		}
		for _, prev := range items[:i] {
			if prev == item {
				return nil, p.errorf(n, strconv.Quote(item)+" is listed twice in "+strconv.Quote(key), "list it once")
			}
		}
		items[i] = item
	}
	return items, nil
}

func (p *parser) date(n int, value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, nil
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, value); err == nil {
			return t, nil
		}
	}
	return time.Time{}, p.errorf(n, "cannot read "+keyDate+" "+strconv.Quote(value),
		"write it as 2026-11-21 10:00:00.000000+00:00, or leave it empty")
}

// marker handles "-- +retort <words>" at line n, spanning src[start:next].
func (p *parser) marker(n int, words []string, start, next int) error {
	const hint = "write '-- +retort upgrade', '-- +retort downgrade', '-- +retort no-transaction' or '-- +retort commit-before' on a line of its own"
	switch {
	case len(words) == 0:
		return p.errorf(n, "'-- +retort' without a directive", hint)
	case len(words) > 1:
		return p.errorf(n, "unexpected "+strconv.Quote(strings.Join(words[1:], " "))+" after '-- +retort "+words[0]+"'", hint)
	}
	word := words[0]
	var at *int
	switch word {
	case markUpgrade:
		at = &p.upAt
	case markDowngrade:
		at = &p.downAt
	case markNoTransaction:
		at = &p.noTxAt
	case markCommitBefore:
		at = &p.commitAt
	default:
		return p.errorf(n, "unknown directive "+strconv.Quote(word)+" in '-- +retort "+word+"'", hint)
	}
	if p.state == inDescription {
		return p.errorf(n, "'-- +retort "+word+"' before the header",
			"put the '-- "+keyID+":' header first")
	}
	if *at > 0 {
		return p.errorf(n, "duplicate '-- +retort "+word+"'; the first is at line "+strconv.Itoa(*at),
			"keep one of them")
	}
	*at = n
	if word == markNoTransaction || word == markCommitBefore {
		if p.state == inSection {
			return p.errorf(n, "'-- +retort "+word+"' inside a section",
				"move it above the first '-- +retort' section")
		}
		if word == markNoTransaction {
			p.s.Rev.NoTransaction = true
		} else {
			p.s.Rev.CommitBefore = true
		}
		p.state = betweenParts
		return nil
	}
	p.closeSection(start)
	p.cur = &p.s.Upgrade
	if word == markDowngrade {
		p.cur = &p.s.Downgrade
		p.s.HasDowngrade = true
	}
	p.cur.Line = n + 1
	p.curStart = next
	p.state = inSection
	return nil
}

func (p *parser) closeSection(end int) {
	if p.cur != nil {
		p.cur.SQL = strings.TrimRight(p.src[p.curStart:end], " \t\r\n\f\v")
		p.cur = nil
	}
}

// finish checks the whole file, n lines long, once read.
func (p *parser) finish(n int) error {
	if p.state == inDescription {
		return p.errorf(0, "no '-- "+keyID+":' header",
			"start the file with the header that 'retort revision' writes")
	}
	if p.keyLine[slices.Index(headerKeys[:], keyRevises)] == 0 {
		return p.errorf(p.s.Rev.Source.Line, "no '-- "+keyRevises+":' line in the header",
			"add '-- "+keyRevises+": <parent id>', or '-- "+keyRevises+":' with nothing for a base revision")
	}
	if p.upAt == 0 {
		return p.errorf(0, "no '-- +retort upgrade' section",
			"add a line '-- +retort upgrade' followed by the upgrade SQL")
	}
	p.s.Rev.Message, p.s.Rev.Doc = describe(p.desc)
	return nil
}

// describe turns description lines into the message (the first
// paragraph, on one line) and the doc (all paragraphs).
func describe(lines []string) (message, doc string) {
	var paras [][]string
	para := []string(nil)
	for _, l := range lines {
		if l != "" {
			para = append(para, l)
			continue
		}
		if para != nil {
			paras = append(paras, para)
			para = nil
		}
	}
	if para != nil {
		paras = append(paras, para)
	}
	if len(paras) == 0 {
		return "", ""
	}
	docs := make([]string, len(paras))
	for i, para := range paras {
		docs[i] = strings.Join(para, "\n")
	}
	return strings.Join(paras[0], " "), strings.Join(docs, "\n\n")
}

// markerWords reports whether a comment body is a "+retort" marker and
// returns the words after "+retort".
func markerWords(body string) ([]string, bool) {
	rest, ok := strings.CutPrefix(body, "+retort")
	if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil, false
	}
	return strings.Fields(rest), true
}

// headerKey splits a comment body shaped like "Key Words: value". A key
// starts with a letter and has letters, digits, spaces, '-' and '_'.
func headerKey(body string) (key, value string, ok bool) {
	i := strings.IndexByte(body, ':')
	if i <= 0 || i > 40 {
		return "", "", false
	}
	key = body[:i]
	for j := 0; j < len(key); j++ {
		c := key[j]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if j == 0 && !letter || !letter && !(c >= '0' && c <= '9' || c == ' ' || c == '-' || c == '_') {
			return "", "", false
		}
	}
	return strings.TrimRight(key, " "), strings.TrimSpace(body[i+1:]), true
}

// validLabel reports whether s can be a branch label or a Depends On
// item: letters, digits, '_', '-' and '.', not starting with '-'.
func validLabel(s string) bool {
	if s == "" || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func (p *parser) errorf(line int, msg, hint string) error {
	return &ParseError{File: p.file, Line: line, Msg: msg, Hint: hint}
}
