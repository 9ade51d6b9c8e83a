package cli

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort/script"
)

// templates holds the project templates of `retort init`: one folder per
// template with a README (its first line is the synopsis) and files
// written into the new folder; retort.toml.tmpl becomes the config file,
// other *.tmpl files are rendered, the rest copied.
//
//go:embed templates
var templates embed.FS

// templateNames lists the templates in the order list-templates shows them.
var templateNames = []string{"generic", "multidb", "embed", "go"}

func (a *app) listTemplatesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list-templates",
		Short: "List the templates of the init command",
		Args:  args(0, 0),
		RunE: run(func(context.Context, []string) error {
			data := templatesJSON{Templates: []templateJSON{}}
			for _, name := range templateNames {
				readme, err := templates.ReadFile(path.Join("templates", name, "README"))
				if err != nil {
					return err
				}
				first, _, _ := strings.Cut(string(readme), "\n")
				data.Templates = append(data.Templates, templateJSON{Name: name, Description: first})
			}
			a.result(data, func(w io.Writer) {
				fmt.Fprintf(w, "Available templates:\n\n")
				for _, t := range data.Templates {
					fmt.Fprintf(w, "%s - %s\n", t.Name, t.Description)
				}
				fmt.Fprintf(w, "\nTemplates are used via the 'init' command, e.g.:\n\n  retort init --template generic ./migrations\n")
			})
			return nil
		}),
	}
}

// templatesJSON is list-templates' data.
type templatesJSON struct {
	Templates []templateJSON `json:"templates"`
}

type templateJSON struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// initJSON is init's data: the folder, template and config file, and
// every folder and file it created or left alone.
type initJSON struct {
	Directory string   `json:"directory"`
	Template  string   `json:"template"`
	Config    string   `json:"config"`
	Created   []string `json:"created"`
	Skipped   []string `json:"skipped"`
}

func (a *app) initCmd() *cobra.Command {
	var tmpl string
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Create a migration environment: DIR, DIR/versions and retort.toml",
		Args:  args(1, 1),
		RunE: run(func(_ context.Context, args []string) error {
			data := &initJSON{Template: tmpl, Created: []string{}, Skipped: []string{}}
			err := a.initDir(args[0], tmpl, data)
			if err == nil {
				a.result(data, nil)
			}
			return err
		}),
	}
	cmd.Flags().StringVarP(&tmpl, "template", "t", "generic", "template: "+strings.Join(templateNames, ", ")+" (see list-templates)")
	return cmd
}

// templateData is what the templates see.
type templateData struct {
	// ScriptLocation is DIR relative to the config file's folder, with
	// slashes; Engine1 and Engine2 are the multidb folders.
	ScriptLocation   string
	Engine1, Engine2 string
	// Package is the Go package name of the embed template, and of the
	// versions package of the go template.
	Package string
	// VersionsImport is the import path of the go template's versions
	// package.
	VersionsImport string
}

func (a *app) initDir(dir, tmpl string, res *initJSON) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return badInput("Directory %s already exists and is not empty", dir)
	}
	root := path.Join("templates", tmpl)
	if _, err := fs.Stat(templates, path.Join(root, "README")); err != nil {
		return badInput("No such template %q; see 'retort list-templates'", tmpl)
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	cfgFile, err := filepath.Abs(a.configFile)
	if err != nil {
		return err
	}
	loc, err := filepath.Rel(filepath.Dir(cfgFile), absDir)
	if err != nil {
		loc = absDir
	}
	loc = filepath.ToSlash(loc)
	res.Directory, res.Config = absDir, cfgFile
	data := templateData{
		ScriptLocation: loc,
		Engine1:        path.Join(loc, "engine1"),
		Engine2:        path.Join(loc, "engine2"),
		Package:        script.PackageName(filepath.Base(absDir)),
	}
	if tmpl == "go" {
		data.Package = "versions"
		if data.VersionsImport, err = importPath(filepath.Join(absDir, "versions")); err != nil {
			return err
		}
	}

	mkdir := func(d string) error {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		a.status("Creating directory " + d)
		res.Created = append(res.Created, d)
		return nil
	}
	if _, err := os.Stat(absDir); errors.Is(err, fs.ErrNotExist) {
		if err := mkdir(absDir); err != nil {
			return err
		}
	}
	versions := []string{filepath.Join(absDir, "versions")}
	if tmpl == "multidb" {
		versions = []string{filepath.Join(absDir, "engine1", "versions"), filepath.Join(absDir, "engine2", "versions")}
	}
	for _, v := range versions {
		if err := mkdir(v); err != nil {
			return err
		}
	}

	t, err := template.New("").Funcs(template.FuncMap{"toml": tomlString}).
		ParseFS(templates, "templates/common/*.tmpl", path.Join(root, "*.tmpl"))
	if err != nil {
		return err
	}
	entries, err := templates.ReadDir(root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case name == "retort.toml.tmpl":
			if _, err := os.Stat(cfgFile); err == nil {
				a.warn("File %s already exists, skipping", cfgFile)
				res.Skipped = append(res.Skipped, cfgFile)
				continue
			}
			if err := a.writeTemplate(t, name, cfgFile, data); err != nil {
				return err
			}
			res.Created = append(res.Created, cfgFile)
		case strings.HasSuffix(name, ".tmpl"):
			out := templateOut(tmpl, name, absDir, filepath.Dir(cfgFile))
			if _, err := os.Stat(out); err == nil {
				a.warn("File %s already exists, skipping", out)
				res.Skipped = append(res.Skipped, out)
				continue
			}
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return err
			}
			if err := a.writeTemplate(t, name, out, data); err != nil {
				return err
			}
			res.Created = append(res.Created, out)
		default:
			b, err := templates.ReadFile(path.Join(root, name))
			if err != nil {
				return err
			}
			out := filepath.Join(absDir, name)
			if err := os.WriteFile(out, b, 0o644); err != nil {
				return err
			}
			a.status("Generating " + out)
			res.Created = append(res.Created, out)
		}
	}
	a.msg("Please edit configuration/connection settings in '%s' before proceeding.", a.configFile)
	if tmpl == "go" {
		a.msg("Run 'go mod tidy' so that go.mod requires github.com/retortdb/retort.")
	}
	return nil
}

// templateOut is where a rendered template file goes: into DIR, except
// for the go template's program (cmd/migrate beside the config file, as
// its program key says) and versions package (DIR/versions).
func templateOut(tmpl, name, dir, cfgDir string) string {
	name = strings.TrimSuffix(name, ".tmpl")
	if tmpl == "go" {
		switch name {
		case "main.go":
			return filepath.Join(cfgDir, "cmd", "migrate", name)
		case "versions.go":
			return filepath.Join(dir, "versions", name)
		}
	}
	return filepath.Join(dir, name)
}

// importPath returns the Go import path of the package in folder dir,
// from the module path of the nearest go.mod above it.
func importPath(dir string) (string, error) {
	for root := dir; ; {
		b, err := os.ReadFile(filepath.Join(root, "go.mod"))
		if err == nil {
			mod := modulePath(b)
			if mod == "" {
				return "", badInput("%s has no module line; fix it or run 'go mod init MODULE'", filepath.Join(root, "go.mod"))
			}
			rel, err := filepath.Rel(root, dir)
			if err != nil {
				return "", err
			}
			return path.Join(mod, filepath.ToSlash(rel)), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(root)
		if parent == root {
			return "", badInput("init -t go: no go.mod in %s or a folder above it; run 'go mod init MODULE' first (the program imports the versions package by its module path)", dir)
		}
		root = parent
	}
}

// modulePath returns the module path of a go.mod file, or "".
func modulePath(gomod []byte) string {
	for line := range strings.Lines(string(gomod)) {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "module" {
			if p, err := strconv.Unquote(f[1]); err == nil {
				return p
			}
			return f[1]
		}
	}
	return ""
}

func (a *app) writeTemplate(t *template.Template, name, out string, data templateData) error {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return fmt.Errorf("template %s: %w", name, err)
	}
	if err := os.WriteFile(out, tidy(b.Bytes()), 0o644); err != nil {
		return err
	}
	a.status("Generating " + out)
	return nil
}

// tidy drops trailing blank lines and ends the file with one newline.
func tidy(b []byte) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		out.WriteString(strings.TrimRight(sc.Text(), " \t") + "\n")
	}
	return append(bytes.TrimRight(out.Bytes(), "\n"), '\n')
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	return strconv.Quote(s)
}
