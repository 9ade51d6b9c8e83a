package appdb

import (
	"fmt"

	"github.com/spf13/cobra"
)

// SyncCommand returns the "syncdb" command, to mount in the
// application's own cobra CLI (sqlalchemy-helpers' syncdb): it runs
// m.Sync and prints "Database created.", "Database upgraded." or
// "Database already up-to-date.".
func SyncCommand(m *Manager) *cobra.Command {
	return &cobra.Command{
		Use:   "syncdb",
		Short: "Create the database, or upgrade it to the latest revision",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := m.Sync(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), res.Message())
			return nil
		},
	}
}
