package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/retorttest"
)

// Shell completion: `retort completion bash|zsh|fish|powershell` prints
// the script (cobra's); the functions here complete what only retort
// knows: environment names for --name, and revision ids, branch labels
// and Alembic's symbols for targets, read from the config and the
// scripts the command line names (-c, --name). They never touch the
// database, and a config or script that does not load completes
// nothing rather than failing.

// targetSymbols are the words each kind of target takes besides ids.
var (
	upSymbols    = []string{"head", "heads"}
	downSymbols  = []string{"base"}
	showSymbols  = []string{"current", "head", "heads", "base"}
	stampSymbols = []string{"head", "heads", "base"}
)

// completeRevisions completes a target: symbols, every revision id
// (with its message) and LABEL@suffix for each branch label.
func (a *app) completeRevisions(symbols []string, labelSuffix string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		out := append([]cobra.Completion(nil), symbols...)
		env, err := a.open(cmd.Context())
		if err != nil {
			return out, cobra.ShellCompDirectiveNoFileComp
		}
		defer env.Close()
		labels := map[string]bool{}
		for _, r := range env.Graph().Revisions() {
			out = append(out, cobra.CompletionWithDesc(r.ID, r.Message))
			for _, l := range r.BranchLabels {
				labels[l] = true
			}
		}
		if labelSuffix != "" {
			for l := range labels {
				out = append(out, l+labelSuffix)
			}
		}
		return filterPrefix(out, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeEnvNames completes --name with the config's [env.NAME] tables.
func (a *app) completeEnvNames(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	names, err := config.EnvNames(a.configFile)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return filterPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
}

func filterPrefix(list []string, prefix string) []string {
	var out []string
	for _, c := range list {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// fixed completes a flag with a fixed list of values.
func fixed(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}

// addCompletions registers the completion functions on the commands of
// root.
func (a *app) addCompletions(root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("name", a.completeEnvNames)
	_ = root.RegisterFlagCompletionFunc("format", fixed("text", "json"))
	for _, cmd := range root.Commands() {
		switch cmd.Name() {
		case "upgrade":
			cmd.ValidArgsFunction = a.completeRevisions(upSymbols, "@head")
		case "downgrade":
			cmd.ValidArgsFunction = a.completeRevisions(downSymbols, "@base")
		case "stamp":
			cmd.ValidArgsFunction = a.completeRevisions(stampSymbols, "@head")
		case "show", "edit":
			cmd.ValidArgsFunction = a.completeRevisions(showSymbols, "@head")
		case "checksum":
			cmd.ValidArgsFunction = a.completeRevisions(nil, "")
		case "merge":
			cmd.ValidArgsFunction = a.completeRevisions([]string{"heads"}, "@head")
		case "revision":
			_ = cmd.RegisterFlagCompletionFunc("head", a.completeRevisions([]string{"head", "base"}, "@head"))
			_ = cmd.RegisterFlagCompletionFunc("depends-on", a.completeRevisions(nil, ""))
			_ = cmd.RegisterFlagCompletionFunc("version-path", cobra.FixedCompletions(nil, cobra.ShellCompDirectiveFilterDirs))
		case "init":
			_ = cmd.RegisterFlagCompletionFunc("template", fixed(templateNames...))
			cmd.ValidArgsFunction = cobra.FixedCompletions(nil, cobra.ShellCompDirectiveFilterDirs)
		case "inspect":
			_ = cmd.RegisterFlagCompletionFunc("format", fixed("sql", "go", "json"))
		case "test":
			_ = cmd.RegisterFlagCompletionFunc("include", fixed(retorttest.Tests()...))
			_ = cmd.RegisterFlagCompletionFunc("exclude", fixed(retorttest.Tests()...))
		case "graph":
			_ = cmd.RegisterFlagCompletionFunc("format", fixed(graphFormats...))
			_ = cmd.RegisterFlagCompletionFunc("rev-range", a.completeRevisions([]string{"base:", ":head"}, ""))
			_ = cmd.RegisterFlagCompletionFunc("branch", a.completeLabels)
		case "history":
			_ = cmd.RegisterFlagCompletionFunc("rev-range", a.completeRevisions([]string{"base:", ":head", "current:"}, ""))
		}
		if cmd.ValidArgsFunction == nil && cmd.Args != nil {
			cmd.ValidArgsFunction = cobra.NoFileCompletions
		}
	}
}
