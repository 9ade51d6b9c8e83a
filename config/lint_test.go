package config_test

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/lint"
)

// TestLintKeys: check_lint, lint_large_table_rows and the lint table,
// with an environment's rules set over [retort]'s.
func TestLintKeys(t *testing.T) {
	t.Parallel()
	const file = `[retort]
url = ""
check_lint = true
lint_large_table_rows = 5000

[retort.lint]
drop-table = "warning"
rename = "off"

[env.prod]
lint = { rename = "error", drop-column = "Warning" }
`
	for _, c := range []struct {
		name, env string
		check     bool
		rows      int64
		levels    map[string]lint.Level
	}{
		{"retort", "", true, 5000, map[string]lint.Level{"drop-table": lint.Warning, "rename": lint.Off}},
		{"env", "prod", true, 5000, map[string]lint.Level{"drop-table": lint.Warning, "rename": lint.Error, "drop-column": lint.Warning}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte(file), "", config.WithName(c.env))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.CheckLint != c.check || cfg.LintLargeTableRows != c.rows || !maps.Equal(cfg.LintLevels, c.levels) {
				t.Errorf("check_lint %v, rows %d, levels %v; want %v, %d, %v", cfg.CheckLint, cfg.LintLargeTableRows, cfg.LintLevels, c.check, c.rows, c.levels)
			}
		})
	}
	cfg, err := config.Parse([]byte("[retort]\nurl = \"\"\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CheckLint || cfg.LintLargeTableRows != lint.DefaultLargeRows || cfg.LintLevels != nil {
		t.Errorf("defaults: %v %d %v", cfg.CheckLint, cfg.LintLargeTableRows, cfg.LintLevels)
	}
}

func TestLintKeyErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, data, want string }{
		{"unknown rule", "[retort]\nurl = \"\"\n[retort.lint]\ndrop-tabel = \"off\"\n", `retort.toml:4: [retort.lint]: unknown lint rule "drop-tabel" (did you mean "drop-table"?)`},
		{"bad level", "[retort]\nurl = \"\"\nlint = { rename = \"loud\" }\n", `retort.toml:3: [retort.lint]: rename: "loud" is not a lint level; use off, warning or error`},
		{"rows", "[retort]\nurl = \"\"\nlint_large_table_rows = 0\n", `retort.toml:3: [retort] lint_large_table_rows: 0 is not a row count above 0`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := config.Parse([]byte(c.data), "")
			if !errors.Is(err, fault.ErrBadInput) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err %v, want bad input containing %q", err, c.want)
			}
		})
	}
}
