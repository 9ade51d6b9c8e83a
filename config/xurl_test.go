package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckURLValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		value  string
		sqlite bool
		ok     bool
	}{
		{"name", "acme", false, true},
		{"letters digits and punctuation", "Tenant_01-eu.b", false, true},
		{"dots alone", "..", false, false},
		{"one dot", ".", false, false},
		{"dots in a name", "a..b", false, true},
		{"sqlite relative path", "data/tenants/acme.db", true, true},
		{"sqlite absolute path", "/var/lib/app/acme.db", true, true},
		{"sqlite dot segment", "./acme.db", true, true},
		{"empty", "", false, false},
		{"query", "x?host=evil", false, false},
		{"slash outside a path", "a/b", false, false},
		{"sqlite parent segment", "../secret.db", true, false},
		{"sqlite inner parent segment", "a/../../b.db", true, false},
		{"sqlite trailing parent segment", "a/..", true, false},
		{"percent", "a%2Fb", true, false},
		{"overlong name", strings.Repeat("a", 256), false, false},
		{"longest name", strings.Repeat("a", 255), false, true},
		{"overlong path", strings.Repeat("a/", 513), true, false},
		{"unicode letter", "café", false, false},
		{"invalid utf-8", "a\xffb", false, false},
		{"control", "a\x00b", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckURLValue("url", "tenant", tt.value, tt.sqlite)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckURLValue(%q, sqlite=%v) = %v, want ok=%v", tt.value, tt.sqlite, err, tt.ok)
			}
			var ue *URLValueError
			if err != nil && (!errors.As(err, &ue) || ue.Name != "tenant" || ue.Key != "url") {
				t.Fatalf("error %v is not a *URLValueError naming url and tenant", err)
			}
		})
	}
}

func TestFillURLXSQLitePathOnlyBeforeQuery(t *testing.T) {
	t.Parallel()
	x := map[string]string{"t": "a/b"}
	if got, err := fillURLX("url", "sqlite:///data/{x.t}.db", x); err != nil || got != "sqlite:///data/a/b.db" {
		t.Fatalf("path placeholder: %q, %v", got, err)
	}
	if _, err := fillURLX("url", "sqlite:///data/app.db?vfs={x.t}", x); err == nil {
		t.Fatal("a '/' in a query parameter of an SQLite URL was accepted")
	}
	if _, err := fillURLX("url", "postgresql://db/{x.t}", x); err == nil {
		t.Fatal("a '/' in a PostgreSQL database name was accepted")
	}
}

func TestLoadRefusesURLValueThatChangesTheHost(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "retort.toml", "[retort]\nurl = \"postgresql://app:pw@db/{x.db}?sslmode=disable\"\n")
	_, err := Load(path, WithXArgs(map[string]string{"db": "x?host=evil.example&x="}))
	if err == nil {
		t.Fatal("Load accepted a -x value that moves the URL to another host")
	}
	for _, want := range []string{"-x db", "{x.db}", "url", `'?'`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if strings.Contains(err.Error(), "evil") || strings.Contains(err.Error(), "pw") {
		t.Errorf("error %q repeats the value or the password", err)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
