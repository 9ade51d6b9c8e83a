package script

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/retortdb/retort/internal/fault"
)

// NewFile describes a revision file to write.
type NewFile struct {
	// ID is the new revision's id; see [NewID].
	ID string
	// Revises lists the parent ids; none makes a base.
	Revises []string
	// BranchLabels lists the labels the revision declares.
	BranchLabels []string
	// DependsOn lists the revisions or labels it depends on.
	DependsOn []string
	// Message describes the revision; it may span several lines and
	// paragraphs. Empty renders as "empty message", as Alembic does.
	Message string
	// CreateDate is written as the "Create Date:"; zero leaves it empty.
	CreateDate time.Time
	// Upgrade and Downgrade are the SQL bodies of the sections; either
	// may be empty.
	Upgrade, Downgrade string
	// NoDowngrade leaves the downgrade section out, so the revision
	// cannot be downgraded (an imported up-only migration).
	NoDowngrade bool
	// NoTransaction writes "-- +retort no-transaction".
	NoTransaction bool
	// ImportedFrom, when set, is written as the "Imported From:" header
	// line: "<format> <original file>".
	ImportedFrom string
}

// CreateDateLayout is how "Create Date:" is written, as Alembic writes a
// zone-aware date.
const CreateDateLayout = "2006-01-02 15:04:05.000000-07:00"

// RenderSQL renders f as a SQL revision file that [Parse] reads back.
func RenderSQL(f NewFile) []byte {
	var b strings.Builder
	msg := strings.TrimSpace(strings.ReplaceAll(f.Message, "\r\n", "\n"))
	if msg == "" {
		msg = "empty message"
	}
	for line := range strings.SplitSeq(msg, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			b.WriteString("--\n")
		} else {
			b.WriteString("-- " + line + "\n")
		}
	}
	b.WriteString("--\n")
	header := func(key, value string) {
		b.WriteString("-- " + key + ":")
		if value != "" {
			b.WriteString(" " + value)
		}
		b.WriteString("\n")
	}
	header(keyID, f.ID)
	header(keyRevises, strings.Join(f.Revises, ", "))
	header(keyLabels, strings.Join(f.BranchLabels, ", "))
	header(keyDependsOn, strings.Join(f.DependsOn, ", "))
	date := ""
	if !f.CreateDate.IsZero() {
		date = f.CreateDate.Format(CreateDateLayout)
	}
	header(keyDate, date)
	if f.ImportedFrom != "" {
		header(keyImported, f.ImportedFrom)
	}
	if f.NoTransaction {
		b.WriteString("\n-- +retort " + markNoTransaction + "\n")
	}
	section := func(word, body string) {
		b.WriteString("\n-- +retort " + word + "\n")
		if body = strings.TrimSpace(body); body != "" {
			b.WriteString(body + "\n")
		}
	}
	section(markUpgrade, f.Upgrade)
	if !f.NoDowngrade {
		section(markDowngrade, f.Downgrade)
	}
	return []byte(b.String())
}

// FileName expands a file_template for f and appends ".sql". Tokens are
// {rev}, {slug} (see [Slug]; truncate is passed on), {epoch}, {year}, and
// the two-digit {month}, {day}, {hour}, {minute} and {second} of
// f.CreateDate. An unknown or unclosed token is an error naming it.
func FileName(template string, f NewFile, truncate int) (string, error) {
	var b strings.Builder
	rest := template
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", fault.BadInput(fmt.Errorf("file_template %q: %q is not closed; write tokens as {rev}", template, rest[i:]))
		}
		token := rest[i+1 : i+j]
		value, err := expand(token, f, truncate)
		if err != nil {
			return "", fault.BadInput(fmt.Errorf("file_template %q: %w", template, err))
		}
		b.WriteString(value)
		rest = rest[i+j+1:]
	}
	return b.String() + ".sql", nil
}

func expand(token string, f NewFile, truncate int) (string, error) {
	d := f.CreateDate
	two := func(n int) string { return fmt.Sprintf("%02d", n) }
	switch token {
	case "rev":
		return f.ID, nil
	case "slug":
		return Slug(f.Message, truncate), nil
	case "epoch":
		return strconv.FormatInt(d.Unix(), 10), nil
	case "year":
		return strconv.Itoa(d.Year()), nil
	case "month":
		return two(int(d.Month())), nil
	case "day":
		return two(d.Day()), nil
	case "hour":
		return two(d.Hour()), nil
	case "minute":
		return two(d.Minute()), nil
	case "second":
		return two(d.Second()), nil
	}
	return "", fmt.Errorf("unknown token {%s}; use {rev}, {slug}, {epoch}, {year}, {month}, {day}, {hour}, {minute} or {second}", token)
}

// DefaultSlugLength is the slug length [Slug] uses when given none, as
// Alembic's truncate_slug_length.
const DefaultSlugLength = 40

// Slug makes the file-name slug of a message as Alembic does: its runs of
// letters, digits and '_' joined with '_' and lowercased. A slug longer
// than truncate characters (DefaultSlugLength when truncate <= 0) is cut
// to truncate characters and then back to just after its last '_'.
func Slug(message string, truncate int) string {
	if truncate <= 0 {
		truncate = DefaultSlugLength
	}
	var b strings.Builder
	inWord := false
	for _, r := range message {
		if r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) {
			if !inWord && b.Len() > 0 {
				b.WriteByte('_')
			}
			inWord = true
			b.WriteRune(r)
		} else {
			inWord = false
		}
	}
	slug := strings.ToLower(b.String())
	if utf8.RuneCountInString(slug) <= truncate {
		return slug
	}
	cut := slug
	for i := range slug { // i walks rune starts; stop at the truncate'th
		if truncate == 0 {
			cut = slug[:i]
			break
		}
		truncate--
	}
	if i := strings.LastIndexByte(cut, '_'); i >= 0 {
		cut = cut[:i]
	}
	return cut + "_"
}

// NewID returns a new random revision id: 12 lowercase hex characters.
func NewID() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
