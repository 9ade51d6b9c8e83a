package dialecttest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
)

// GoldenCase is one version table whose rendered SQL [Golden] checks.
type GoldenCase struct {
	// Name names the golden file: testdata/<test>/<Name>.<dialect>.sql.
	Name string
	// Table is the version table.
	Table dialect.Ident
}

// GoldenCases are the version tables every dialect renders: Alembic's
// default, a name that needs quoting, and a schema-qualified table.
var GoldenCases = []GoldenCase{
	{Name: "default", Table: dialect.Ident{Name: "alembic_version"}},
	{Name: "odd_name", Table: dialect.Ident{Name: `we"ird version`}},
	{Name: "schema", Table: dialect.Ident{Schema: "Ops Schema", Name: "alembic_version"}},
}

// RenderVersionSQL renders every statement of t's version store, one per
// line with a terminating ';', in a fixed order.
func RenderVersionSQL(d dialect.Dialect, t dialect.Ident) string {
	vs := d.VersionStore(t)
	stmts := []string{
		vs.CreateTable(),
		vs.Insert("1a2b3c4d5e6f"),
		vs.Update("1a2b3c4d5e6f", "ab12cd34ef56"),
		vs.Delete("ab12cd34ef56"),
		vs.DeleteAll(),
		vs.DropTable(),
	}
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString(s)
		b.WriteString(";\n")
	}
	return b.String()
}

// Golden compares RenderVersionSQL for each of [GoldenCases] with
// testdata/<t.Name()>/<case>.<dialect>.sql in the current directory,
// rewriting the files when update is set (the caller's -update flag).
func Golden(t *testing.T, d dialect.Dialect, update bool) {
	t.Helper()
	for _, c := range GoldenCases {
		t.Run(c.Name, func(t *testing.T) {
			got := []byte(RenderVersionSQL(d, c.Table))
			path := filepath.Join("testdata", strings.SplitN(t.Name(), "/", 2)[0], c.Name+"."+d.Name()+".sql")
			GoldenFile(t, path, got, update)
		})
	}
}

// GoldenFile compares got with the file at path, or writes got there
// when update is set (the caller's -update flag).
func GoldenFile(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	golden(t, path, got, update, bytes.Equal)
}

// GoldenText is [GoldenFile] for text whose leading and trailing white
// space does not matter.
func GoldenText(t testing.TB, path, got string, update bool) {
	t.Helper()
	golden(t, path, []byte(got), update, func(a, b []byte) bool {
		return bytes.Equal(bytes.TrimSpace(a), bytes.TrimSpace(b))
	})
}

func golden(t testing.TB, path string, got []byte, update bool, same func(got, want []byte) bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !same(got, want) {
		t.Errorf("%s differs (run go test -update if the change is intended)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
