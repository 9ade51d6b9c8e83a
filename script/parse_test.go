package script

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/sqlsplit"
)

const customer = `-- create customer table
--
-- Revision ID: 1a2b3c4d5e6f
-- Revises: 0f9e8d7c6b5a
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-11-21 10:00:00.000000+00:00

-- +retort upgrade
CREATE TABLE customer (
    id    BIGSERIAL PRIMARY KEY,
    name  TEXT NOT NULL
);

-- +retort downgrade
DROP TABLE customer;
`

func TestParse(t *testing.T) {
	t.Parallel()
	s, err := Parse("versions/1a2b_create_customer.sql", []byte(customer))
	if err != nil {
		t.Fatal(err)
	}
	want := &Script{
		Rev: &revision.Revision{
			ID:         "1a2b3c4d5e6f",
			Revises:    []string{"0f9e8d7c6b5a"},
			Message:    "create customer table",
			Doc:        "create customer table",
			CreateDate: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC),
			Source:     revision.Source{File: "versions/1a2b_create_customer.sql", Line: 3},
		},
		Path:         "versions/1a2b_create_customer.sql",
		Upgrade:      Section{SQL: "CREATE TABLE customer (\n    id    BIGSERIAL PRIMARY KEY,\n    name  TEXT NOT NULL\n);", Line: 10},
		Downgrade:    Section{SQL: "DROP TABLE customer;", Line: 16},
		HasDowngrade: true,
	}
	if !s.Rev.CreateDate.Equal(want.Rev.CreateDate) {
		t.Errorf("CreateDate = %v, want %v", s.Rev.CreateDate, want.Rev.CreateDate)
	}
	s.Rev.CreateDate = want.Rev.CreateDate
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Parse =\n%+v %+v\nwant\n%+v %+v", s, s.Rev, want, want.Rev)
	}
	up, err := s.UpgradeStatements(sqlsplit.Postgres)
	if err != nil || len(up) != 1 || up[0].Line != 10 {
		t.Errorf("UpgradeStatements = %+v, %v", up, err)
	}
	down, err := s.DowngradeStatements(sqlsplit.Postgres)
	if err != nil || len(down) != 1 || down[0] != (sqlsplit.Statement{SQL: "DROP TABLE customer", Line: 16}) {
		t.Errorf("DowngradeStatements = %+v, %v", down, err)
	}
}

func TestParseHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want func(*Script) any
		val  any
	}{
		{"multi-paragraph description", "-- add index\n-- on email\n--\n-- because logins\n-- are slow\n--\n-- Revision ID: a\n-- Revises:\n-- +retort upgrade\n",
			func(s *Script) any { return [2]string{s.Rev.Message, s.Rev.Doc} },
			[2]string{"add index on email", "add index\non email\n\nbecause logins\nare slow"}},
		{"key-like lines in the description", "-- Note: this is slow\n-- Revision ID: a\n-- Revises:\n-- +retort upgrade\n",
			func(s *Script) any { return s.Rev.Message }, "Note: this is slow"},
		{"no description", "-- Revision ID: a\n-- Revises:\n-- +retort upgrade\n",
			func(s *Script) any { return s.Rev.Message }, ""},
		{"merge and lists with spaces", "-- Revision ID: m\n-- Revises: a ,b,  c\n-- Branch Labels: x, feature-y\n-- Depends On: d\n\n-- +retort upgrade\n",
			func(s *Script) any { return [][]string{s.Rev.Revises, s.Rev.BranchLabels, s.Rev.DependsOn} },
			[][]string{{"a", "b", "c"}, {"x", "feature-y"}, {"d"}}},
		{"base", "-- Revision ID: a\n-- Revises:\n-- +retort upgrade\n",
			func(s *Script) any { return s.Rev.Revises == nil }, true},
		{"date without zone", "-- Revision ID: a\n-- Revises:\n-- Create Date: 2026-11-21 10:00:00.123456\n-- +retort upgrade\n",
			func(s *Script) any { return s.Rev.CreateDate.Format(time.RFC3339Nano) }, "2026-11-21T10:00:00.123456Z"},
		{"date without fraction", "-- Revision ID: a\n-- Revises:\n-- Create Date: 2026-11-21 10:00:00+02:00\n-- +retort upgrade\n",
			func(s *Script) any { return s.Rev.CreateDate.Format(time.RFC3339Nano) }, "2026-11-21T10:00:00+02:00"},
		{"empty date", "-- Revision ID: a\n-- Revises:\n-- Create Date:\n-- +retort upgrade\n",
			func(s *Script) any { return s.Rev.CreateDate.IsZero() }, true},
		{"no transaction", "-- Revision ID: a\n-- Revises:\n\n-- +retort no-transaction\n\n-- +retort upgrade\nCREATE INDEX CONCURRENTLY i ON t (a);\n",
			func(s *Script) any { return s.Rev.NoTransaction }, true},
		{"no downgrade", "-- Revision ID: a\n-- Revises:\n-- +retort upgrade\nSELECT 1;\n",
			func(s *Script) any { return s.HasDowngrade }, false},
		{"empty sections", "-- Revision ID: a\n-- Revises:\n-- +retort upgrade\n-- +retort downgrade",
			func(s *Script) any { return []any{s.Upgrade, s.Downgrade, s.HasDowngrade} },
			[]any{Section{Line: 4}, Section{Line: 5}, true}},
		{"downgrade first", "-- Revision ID: a\n-- Revises:\n-- +retort downgrade\nB;\n-- +retort upgrade\nA;\n",
			func(s *Script) any { return []Section{s.Upgrade, s.Downgrade} },
			[]Section{{SQL: "A;", Line: 6}, {SQL: "B;", Line: 4}}},
		{"comments between header and sections", "-- Revision ID: a\n-- Revises:\n\n-- Note: free text\n\n-- +retort upgrade\nA;\n",
			func(s *Script) any { return s.Upgrade }, Section{SQL: "A;", Line: 7}},
		{"free comment in header", "-- Revision ID: a\n--\n-- just words\n-- Revises:\n-- +retort upgrade\n",
			func(s *Script) any { return s.Rev.ID }, "a"},
		{"crlf and bom", "\ufeff-- hello\r\n--\r\n-- Revision ID: a\r\n-- Revises: b\r\n\r\n-- +retort upgrade\r\nA;\r\n",
			func(s *Script) any { return []any{s.Rev.Message, s.Rev.Revises, s.Upgrade} },
			[]any{"hello", []string{"b"}, Section{SQL: "A;", Line: 7}}},
		{"marker with spaces", "-- Revision ID: a\n-- Revises:\n  --   +retort   upgrade  \nA;\n",
			func(s *Script) any { return s.Upgrade }, Section{SQL: "A;", Line: 4}},
		{"imported from", "-- Revision ID: v0001\n-- Revises:\n-- Imported From: golang-migrate 1_create users.up.sql\n\n-- +retort upgrade\n",
			func(s *Script) any { return s.ImportedFrom }, "golang-migrate 1_create users.up.sql"},
		{"no imported from", "-- Revision ID: a\n-- Revises:\n-- +retort upgrade\n",
			func(s *Script) any { return s.ImportedFrom }, ""},
		{"retort-like comment in SQL is not a marker", "-- Revision ID: a\n-- Revises:\n-- +retort upgrade\n-- +retorted\nA;\n",
			func(s *Script) any { return s.Upgrade.SQL }, "-- +retorted\nA;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Parse("v.sql", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.want(s); !reflect.DeepEqual(got, tt.val) {
				t.Errorf("got %#v, want %#v", got, tt.val)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	const head = "-- Revision ID: a\n-- Revises:\n"
	tests := []struct {
		name string
		src  string
		want string // the whole message, "v.sql:line: ..."
	}{
		{"empty file", "", "v.sql: no '-- Revision ID:' header; start the file with the header that 'retort revision' writes"},
		{"SQL before the header", "SELECT 1;\n", "v.sql:1: SQL before the header; start the file"},
		{"misspelt revision id", "-- revision id: a\n", `v.sql:1: header key "revision id" is misspelt; write it as "Revision ID"`},
		{"marker before header", "-- +retort upgrade\n", "v.sql:1: '-- +retort upgrade' before the header"},
		{"invalid id", "-- Revision ID: a-b\n", `v.sql:1: invalid revision id "a-b"`},
		{"empty id", "-- Revision ID:\n", `v.sql:1: invalid revision id ""`},
		{"unknown key", head + "-- Revision: x\n", `v.sql:3: unknown header key "Revision"; the keys are Revision ID, Revises`},
		{"wrong case key", head + "-- branch labels: x\n", `v.sql:3: unknown header key "branch labels"; did you mean "Branch Labels"?`},
		{"duplicate key", head + "-- Revises: b\n", `v.sql:3: duplicate header key "Revises"; the first is at line 2`},
		{"duplicate revision id", head + "-- Revision ID: b\n", `v.sql:3: duplicate header key "Revision ID"`},
		{"missing revises", "-- Revision ID: a\n-- +retort upgrade\n", "v.sql:1: no '-- Revises:' line in the header"},
		{"empty list item", "-- Revision ID: a\n-- Revises: b,\n", `v.sql:2: empty item in "Revises"; remove the extra comma`},
		{"invalid revises", "-- Revision ID: a\n-- Revises: b c\n", `v.sql:2: invalid item "b c" in "Revises"`},
		{"repeated revises", "-- Revision ID: a\n-- Revises: b, b\n", `v.sql:2: "b" is listed twice in "Revises"`},
		{"invalid label", head + "-- Branch Labels: a@b\n", `v.sql:3: invalid item "a@b" in "Branch Labels"`},
		{"bad date", head + "-- Create Date: yesterday\n", `v.sql:3: cannot read Create Date "yesterday"`},
		{"imported from without a file", head + "-- Imported From: goose\n", `v.sql:3: Imported From "goose" does not name a format and a file`},
		{"duplicate imported from", head + "-- Imported From: goose a.sql\n-- Imported From: goose b.sql\n", `v.sql:4: duplicate header key "Imported From"; the first is at line 3`},
		{"SQL in header", head + "SELECT 1;\n", "v.sql:3: SQL inside the header"},
		{"SQL between header and sections", head + "\nSELECT 1;\n-- +retort upgrade\n", "v.sql:4: SQL outside a section; put it under"},
		{"no upgrade", head + "\n-- +retort downgrade\n", "v.sql: no '-- +retort upgrade' section; add a line"},
		{"duplicate upgrade", head + "-- +retort upgrade\nA;\n-- +retort upgrade\n", "v.sql:5: duplicate '-- +retort upgrade'; the first is at line 3"},
		{"duplicate no-transaction", head + "-- +retort no-transaction\n-- +retort no-transaction\n", "v.sql:4: duplicate '-- +retort no-transaction'"},
		{"late no-transaction", head + "-- +retort upgrade\n-- +retort no-transaction\n", "v.sql:4: '-- +retort no-transaction' inside a section"},
		{"unknown directive", head + "-- +retort StatementBegin\n", `v.sql:3: unknown directive "StatementBegin" in '-- +retort StatementBegin'`},
		{"bare directive", head + "-- +retort\n", "v.sql:3: '-- +retort' without a directive"},
		{"extra words", head + "-- +retort upgrade now\n", `v.sql:3: unexpected "now" after '-- +retort upgrade'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Parse("v.sql", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", s)
			}
			if s != nil {
				t.Error("Parse returned a script with its error")
			}
			if !errors.Is(err, fault.ErrBadInput) {
				t.Errorf("error %v is not bad input", err)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "v.sql" {
				t.Errorf("error %T %v is not a *ParseError for v.sql", err, err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error\n %s\nwant prefix\n %s", err, tt.want)
			}
		})
	}
}

func TestStatementsErrors(t *testing.T) {
	t.Parallel()
	src := "-- Revision ID: a\n-- Revises:\n\n-- +retort upgrade\nSELECT 1;\nCREATE FUNCTION f() AS $fn$\nSELECT 2;\n"
	s, err := Parse("versions/a_x.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.UpgradeStatements(sqlsplit.Postgres)
	want := "versions/a_x.sql:6:24: unterminated dollar-quoted string $fn$ opened here; close it with $fn$"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	var se *sqlsplit.SyntaxError
	if !errors.As(err, &se) || se.Line != 6 || !errors.Is(err, fault.ErrBadInput) {
		t.Errorf("error %v does not carry a *sqlsplit.SyntaxError at line 6 and bad input", err)
	}
	_, err = s.DowngradeStatements(sqlsplit.Postgres)
	if !errors.Is(err, ErrNoDowngrade) || !errors.Is(err, fault.ErrBadInput) {
		t.Errorf("DowngradeStatements without a section = %v, want ErrNoDowngrade", err)
	}
}

func TestNonUTF8Warning(t *testing.T) {
	src := "-- x\n--\n-- Revision ID: a1\n-- Revises:\n\n-- +retort upgrade\nINSERT INTO t VALUES ('caf\xe9');\nSELECT 1;\nSELECT '\xff';\n"
	s, err := Parse("versions/a1.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "versions/a1.sql:7: bytes that are not UTF-8 (and on 1 more lines)") {
		t.Fatalf("Warnings = %q", s.Warnings)
	}
	if s, _ := Parse("versions/a1.sql", []byte(strings.ToValidUTF8(src, "é"))); len(s.Warnings) != 0 {
		t.Fatalf("UTF-8 file: Warnings = %q", s.Warnings)
	}
}
