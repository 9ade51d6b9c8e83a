package runner

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/retortdb/retort/sqlsplit"
)

// ChecksumPrefix starts every revision checksum; it names the
// algorithm and the canonical form, so a later form can be told apart.
const ChecksumPrefix = "sha256:"

// Summer accumulates a revision's checksum: the canonical form of each
// statement (its tokens without comments or white space, see
// [sqlsplit.Canonical]), the section it belongs to, and the revision's
// no-transaction marker.
type Summer struct {
	opts sqlsplit.Options
	buf  []byte
}

// NewSummer starts a checksum for a revision split with opts.
func NewSummer(opts sqlsplit.Options, noTransaction bool) *Summer {
	s := &Summer{opts: opts, buf: []byte("retort checksum 1\n")}
	if noTransaction {
		s.buf = append(s.buf, "no-transaction\n"...)
	}
	return s
}

// Section starts a section ("upgrade", "downgrade").
func (s *Summer) Section(name string) { s.buf = append(s.buf, "-- "+name+"\n"...) }

// Statement adds one statement.
func (s *Summer) Statement(sql string) {
	s.buf = append(s.buf, canonical(sql, s.opts)...)
	s.buf = append(s.buf, '\n')
}

// Sum returns the checksum, ChecksumPrefix and 64 hex digits.
func (s *Summer) Sum() string {
	h := sha256.Sum256(s.buf)
	return ChecksumPrefix + hex.EncodeToString(h[:])
}

// StatementChecksum returns the checksum of one statement as recorded
// for a no-transaction revision's committed statements: 16 hex digits
// of the SHA-256 of its canonical form.
func StatementChecksum(sql string, opts sqlsplit.Options) string {
	h := sha256.Sum256([]byte(canonical(sql, opts)))
	return hex.EncodeToString(h[:8])
}

// canonical is sqlsplit.Canonical, falling back to the text itself for
// SQL the lexer rejects (a Go migration's raw Exec can hold anything).
func canonical(sql string, opts sqlsplit.Options) string {
	c, err := sqlsplit.Canonical(sql, opts)
	if err != nil {
		return sql
	}
	return c
}
