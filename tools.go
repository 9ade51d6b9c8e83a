//go:build tools

package retort

import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/rogpeppe/go-internal/testscript"
	_ "github.com/spf13/cobra"
	_ "modernc.org/sqlite"
)
