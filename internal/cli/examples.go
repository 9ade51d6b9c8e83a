package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// examples are the Example sections of the commands' help, by command
// path after "retort". Every command has one (TestHelpExamples).
var examples = map[string]string{
	"": `  retort init migrations            # start a project (SQLite by default)
  retort revision -m "create customer"
  retort upgrade head
  retort history`,
	"init": `  retort init migrations
  retort init -t go migrations      # Go migrations, with cmd/migrate
  retort init -t multidb databases
  retort -c db/retort.toml init db/migrations`,
	"list-templates": `  retort list-templates`,
	"revision": `  retort revision -m "add customer email"
  retort revision --autogenerate -m "sync with schema.sql"
  retort revision -m "reporting base" --head base --branch-label reporting
  retort revision -m "fix" --head 1a2b3c --splice
  retort revision -m "needs users" --depends-on users@head`,
	"merge": `  retort merge heads -m "merge feature branches"
  retort merge 1a2b3c 4d5e6f -m "merge"`,
	"upgrade": `  retort upgrade head
  retort upgrade +1                 # one step
  retort upgrade 1a2b               # up to a revision (any unique prefix)
  retort upgrade reporting@head     # one branch
  retort upgrade head --sql > upgrade.sql
  retort upgrade 1a2b:head --sql    # the script from 1a2b on
  retort --format json upgrade head # the steps run, in one JSON document`,
	"downgrade": `  retort downgrade -1
  retort downgrade base
  retort downgrade reporting@-1     # one step on one branch
  retort downgrade 4d5e:1a2b --sql > downgrade.sql`,
	"stamp": `  retort stamp head                 # record the heads, run nothing
  retort stamp --purge 1a2b         # replace every row with 1a2b
  retort stamp base:head --sql`,
	"check": `  retort check                      # exit 1 when behind or drifted
  retort --format json check        # the differences, as JSON`,
	"current": `  retort current
  retort current -v
  retort --format json current`,
	"graph": `  retort graph > revisions.dot       # Graphviz DOT
  retort graph --format mermaid      # for Markdown pages that render Mermaid
  retort graph --format html -o graph.html
  retort graph --format svg -r 1a2b:head --offline
  retort graph --branch reporting --format svg -o reporting.svg`,
	"history": `  retort history
  retort history -r base:head -v
  retort history -r current:       # what is not applied yet
  retort history -i                # mark the database's revisions
  retort history --applied         # what ran on this database, and when`,
	"heads": `  retort heads
  retort heads -v --resolve-dependencies`,
	"branches": `  retort branches
  retort branches -v`,
	"show": `  retort show head
  retort show 1a2b
  retort show current`,
	"edit": `  retort edit head
  EDITOR="code --wait" retort edit 1a2b`,
	"test": `  retort test
  retort test --url postgres://localhost/postgres
  retort test --include single_head_revision,upgrade
  retort --format json test`,
	"sync": `  retort sync
  DATABASE_URL=postgres://app@db/app retort sync`,
	"inspect": `  retort inspect
  retort inspect customer purchase --format go
  retort inspect --format json`,
	"checksum": `  retort checksum                   # the applied revisions whose files changed
  retort checksum --accept 1a2b     # record 1a2b's file as it is now`,
	"import": `  retort import goose db/migrations --dry-run   # what would be written
  retort import goose db/migrations
  retort import golang-migrate ./migrations
  retort import flyway src/main/resources/db/migration`,
	"adopt": `  retort adopt goose --dry-run      # the revision the database is at
  retort adopt goose                # stamp it; goose_db_version stays
  retort adopt flyway --drop-old-table
  retort adopt golang-migrate --table app.schema_migrations`,
	"lint": `  retort lint                       # the revisions the database has not applied
  retort lint base:heads            # every revision
  retort lint 1a2b:head             # those after 1a2b
  retort lint -v                    # also the findings silenced with lint-ignore
  retort --format json lint         # the findings, as JSON (exit 1 on errors)`,
	"help": `  retort help upgrade
  retort upgrade --help`,
	"completion": `  retort completion bash > /etc/bash_completion.d/retort
  retort completion zsh > "${fpath[1]}/_retort"
  retort completion fish > ~/.config/fish/completions/retort.fish`,
	"completion bash": `  source <(retort completion bash)
  retort completion bash > /etc/bash_completion.d/retort`,
	"completion zsh":        `  retort completion zsh > "${fpath[1]}/_retort"`,
	"completion fish":       `  retort completion fish > ~/.config/fish/completions/retort.fish`,
	"completion powershell": `  retort completion powershell | Out-String | Invoke-Expression`,
}

// addExamples sets the Example of root and of every command under it,
// cobra's help and completion commands included.
func addExamples(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		name := strings.TrimPrefix(strings.TrimPrefix(cmd.CommandPath(), root.Name()), " ")
		if ex, ok := examples[name]; ok {
			cmd.Example = ex
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
