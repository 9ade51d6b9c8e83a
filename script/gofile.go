package script

import (
	"bytes"
	"fmt"
	"go/format"
	goparser "go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"unicode"

	"github.com/retortdb/retort/internal/fault"
)

// goRevision is the Go revision file RenderGo writes, parsed when first
// used (not at every start of the command).
var goRevision = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Parse(goRevisionText))
})

const goRevisionText = `{{range .Comment}}//{{if .}} {{.}}{{end}}
{{end}}//
// Revision ID: {{.ID}}
// Revises:{{with .RevisesList}} {{.}}{{end}}
// Branch Labels:{{with .LabelsList}} {{.}}{{end}}
// Depends On:{{with .DependsList}} {{.}}{{end}}
// Create Date:{{with .Date}} {{.}}{{end}}

package {{.Package}}

import (
	"context"

	"github.com/retortdb/retort"
{{- range .Imports}}
	{{printf "%q" .}}
{{- end}}
)

func init() {
	Registry.Add(retort.Migration{
		Revision: {{printf "%q" .ID}},
		{{- with .Revises}}
		Revises: {{.}},{{end}}
		{{- with .BranchLabels}}
		BranchLabels: {{.}},{{end}}
		{{- with .DependsOn}}
		DependsOn: {{.}},{{end}}
		Message: {{printf "%q" .Message}},
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			{{.Upgrade}}
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error {
			{{.Downgrade}}
		},
	})
}
`

// GoCode is the Go of a revision's functions, as autogenerate renders
// them: the bodies of Upgrade and Downgrade and the packages they use.
type GoCode struct {
	Upgrade, Downgrade string
	Imports            []string
}

// RenderGo renders nf as a gofmt'd Go revision file of package pkg: a
// header comment as in an SQL file, then an init function registering
// the migration on the package's Registry. The functions return nil
// unless code gives their bodies.
func RenderGo(nf NewFile, pkg string, code *GoCode) ([]byte, error) {
	msg := strings.TrimSpace(strings.ReplaceAll(nf.Message, "\r\n", "\n"))
	if msg == "" {
		msg = "empty message"
	}
	var comment []string
	for line := range strings.SplitSeq(msg, "\n") {
		comment = append(comment, strings.TrimSpace(line))
	}
	date := ""
	if !nf.CreateDate.IsZero() {
		date = nf.CreateDate.Format(CreateDateLayout)
	}
	data := map[string]any{
		"Comment": comment, "ID": nf.ID, "Package": pkg, "Date": date,
		"RevisesList": strings.Join(nf.Revises, ", "),
		"LabelsList":  strings.Join(nf.BranchLabels, ", "),
		"DependsList": strings.Join(nf.DependsOn, ", "),
		"Revises":     goStrings(nf.Revises), "BranchLabels": goStrings(nf.BranchLabels),
		"DependsOn": goStrings(nf.DependsOn), "Message": msg,
		"Upgrade": "return nil", "Downgrade": "return nil",
	}
	if code != nil {
		data["Upgrade"], data["Downgrade"], data["Imports"] = code.Upgrade, code.Downgrade, code.Imports
	}
	var b bytes.Buffer
	if err := goRevision().Execute(&b, data); err != nil {
		return nil, err
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("the new Go revision does not parse (a bug): %w", err)
	}
	return src, nil
}

// goStrings writes ss as a Go []string literal, or "" when empty.
func goStrings(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}

// GoPackage returns the package name of the Go files in dir (the first
// non-test file's package clause), or one made from the folder's name
// (see [PackageName]).
func GoPackage(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return "", err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || ignoredGoName(name) {
			continue
		}
		file := filepath.Join(dir, name)
		f, err := goparser.ParseFile(token.NewFileSet(), file, nil, goparser.PackageClauseOnly)
		if err != nil {
			return "", fault.BadInput(fmt.Errorf("%s: %v; fix its package clause, the new revision joins that package", file, err))
		}
		return f.Name.Name, nil
	}
	return PackageName(filepath.Base(dir)), nil
}

// PackageName makes a Go package name of a folder name: lower case,
// letters, digits and '_' only, never starting with a digit.
func PackageName(base string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		if r == '_' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	name := b.String()
	if name == "" || unicode.IsDigit(rune(name[0])) {
		name = "migrations" + name
	}
	return name
}

// GoFileName turns the SQL file name of file_template into a Go one the
// go command will compile: a name it would skip (leading '_' or '.') or
// build only for tests or one platform (a _test, _linux or _amd64
// suffix) gets a "_rev" suffix or an "r" prefix.
func GoFileName(sqlName string) string {
	dir, base := filepath.Split(strings.TrimSuffix(sqlName, ".sql"))
	if strings.HasPrefix(base, "_") || strings.HasPrefix(base, ".") {
		base = "r" + base
	}
	if ignoredGoName(base + ".go") {
		base += "_rev"
	}
	return dir + base + ".go"
}

// ignoredGoName reports whether the go command leaves a file of this
// name out of an ordinary build on some platform.
func ignoredGoName(name string) bool {
	stem := strings.TrimSuffix(name, ".go")
	if strings.HasPrefix(stem, "_") || strings.HasPrefix(stem, ".") {
		return true
	}
	parts := strings.Split(stem, "_")
	if len(parts) < 2 {
		return false
	}
	last := parts[len(parts)-1]
	return last == "test" || slices.Contains(knownOS, last) || slices.Contains(knownArch, last)
}

// knownOS and knownArch are the GOOS and GOARCH values a file-name
// suffix restricts a build to (go/build's lists).
var (
	knownOS = []string{"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
		"linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"}
	knownArch = []string{"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64",
		"mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le",
		"riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm"}
)
