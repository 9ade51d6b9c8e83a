package script

import (
	"errors"
	"strings"
	"testing"

	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/sqlsplit"
)

// FuzzParse checks that Parse never panics, that its errors are
// *ParseError values pointing inside the file, and that what it accepts
// is consistent: a valid id, sections inside the file, splittable or
// failing cleanly.
func FuzzParse(f *testing.F) {
	seeds := []string{
		customer,
		"",
		"SELECT 1;",
		"-- only a description\n--\n-- more\n",
		"-- revision id: a\n",
		"-- +retort upgrade\n",
		"-- Revision ID: a\n",
		"-- Revision ID: a-b\n-- Revises:\n",
		"-- Revision ID: a\n-- Revises: b,\n",
		"-- Revision ID: a\n-- Revises: b, c\n-- Branch Labels: x\n-- Depends On: y\n-- Create Date: 2026-11-21 10:00:00\n-- +retort upgrade\n",
		"-- Revision ID: a\n-- Revises:\n-- Create Date: nope\n",
		"-- Revision ID: a\n-- Revises:\n-- Bogus: 1\n",
		"-- Revision ID: a\n-- Revises:\n-- Imported From: goose 001_a.sql\n\n-- +retort no-transaction\n-- +retort upgrade\nA;\n",
		"-- Revision ID: a\n-- Revises:\n-- Imported From:\n-- Imported From: x\n",
		"-- Revision ID: a\n-- Revises:\nSELECT 1;\n",
		"-- Revision ID: a\n-- Revises:\n\n-- free\nSELECT 1;\n",
		"-- Revision ID: a\n-- Revises:\n\n-- +retort no-transaction\n-- +retort upgrade\nA;\n-- +retort downgrade\nB;\n",
		"-- Revision ID: a\n-- Revises:\n-- +retort upgrade\n-- +retort upgrade\n",
		"-- Revision ID: a\n-- Revises:\n-- +retort upgrade\n-- +retort no-transaction\n",
		"-- Revision ID: a\n-- Revises:\n-- +retort frobnicate\n",
		"-- Revision ID: a\n-- Revises:\n-- +retort\n",
		"\ufeff-- x\r\n-- Revision ID: a\r\n-- Revises:\r\n-- +retort upgrade\r\nSELECT $$;\r\n",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse("f.sql", []byte(src))
		lines := strings.Count(src, "\n") + 1
		if err != nil {
			var pe *ParseError
			if s != nil || !errors.As(err, &pe) || pe.File != "f.sql" || pe.Line < 0 || pe.Line > lines {
				t.Fatalf("bad error %#v for a script %v", err, s)
			}
			return
		}
		if s.ImportedFrom != "" && (len(strings.Fields(s.ImportedFrom)) < 2 || !strings.Contains(src, s.ImportedFrom)) {
			t.Fatalf("accepted Imported From %q", s.ImportedFrom)
		}
		if !revision.ValidID(s.Rev.ID) || s.Rev.Source.Line < 1 || s.Rev.Source.Line > lines {
			t.Fatalf("accepted %+v", s.Rev)
		}
		if s.Upgrade.Line < 2 || s.Upgrade.Line > lines+1 || !strings.Contains(src, s.Upgrade.SQL) {
			t.Fatalf("bad upgrade section %+v", s.Upgrade)
		}
		if s.HasDowngrade && (s.Downgrade.Line < 2 || !strings.Contains(src, s.Downgrade.SQL)) {
			t.Fatalf("bad downgrade section %+v", s.Downgrade)
		}
		stmts, err := s.UpgradeStatements(sqlsplit.Postgres)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < s.Upgrade.Line || pe.Line > lines {
				t.Fatalf("bad statement error %v", err)
			}
		}
		for _, st := range stmts {
			if st.Line < s.Upgrade.Line || st.Line > lines {
				t.Fatalf("statement %+v outside the upgrade section from line %d", st, s.Upgrade.Line)
			}
		}
	})
}
