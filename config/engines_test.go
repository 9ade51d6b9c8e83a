package config_test

// The URL schemes ParseURL accepts are those of the registered engines.
import (
	_ "github.com/retortdb/retort/dialect/mysql"
	_ "github.com/retortdb/retort/dialect/postgres"
	_ "github.com/retortdb/retort/dialect/sqlite"
)
