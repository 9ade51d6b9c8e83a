// Package mysql registers MySQL and MariaDB with retort's engine
// registry: the URL schemes (mysql://, mariadb:// and SQLAlchemy's other
// spellings) and the go-sql-driver/mysql database/sql driver. Its dialect
// is not written yet, so a MySQL URL parses and then fails with
// [dialect.ErrNotAvailable] naming the engines that work.
package mysql

import (
	_ "github.com/go-sql-driver/mysql" // registers the "mysql" driver

	"github.com/retortdb/retort/dialect"
)

// Engine is MySQL's entry in the engine registry (MariaDB is MySQL),
// registered when the package is imported.
var Engine = dialect.Engine{
	Name:    "mysql",
	Product: "MySQL",
	Schemes: []string{
		"mysql", "mysql+pymysql", "mysql+mysqldb", "mysql+aiomysql", "mysql+asyncmy",
		"mysql+mysqlconnector", "mariadb", "mariadb+pymysql", "mariadb+mysqldb",
		"mariadb+mariadbconnector",
	},
	Driver:         "mysql",
	DriverPackages: []string{"github.com/go-sql-driver/mysql"},
}

func init() { dialect.Register(Engine) }
