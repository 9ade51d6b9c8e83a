//go:build ignore

// atlasinspect stands in for `atlas schema inspect -u URL` in the
// autogenerate benchmark (bench/run.sh autogenerate): the atlas CLI module
// (ariga.io/atlas/cmd/atlas) is not on the Go module proxy this machine
// reaches (`go install ariga.io/atlas/cmd/atlas@latest` fails: "module
// ariga.io/atlas@latest found, but does not contain package
// ariga.io/atlas/cmd/atlas"), but the ariga.io/atlas library is. This does
// what the CLI's `schema inspect` does at its core, with the same library:
// open the database with lib/pq (the CLI's PostgreSQL driver), inspect the
// realm (every schema but the system ones), and marshal it to Atlas HCL on
// standard output. It lacks the CLI's own start-up (flag parsing, config,
// cloud client), so its time is a lower bound for the CLI's.
//
// run.sh builds it in bench/out/atlasinspect, a module of its own, so that
// retort's go.mod never requires atlas:
//
//	go mod init atlasinspect
//	go get ariga.io/atlas@v0.32.1-0.20250325101103-175b25e1c1b9 github.com/lib/pq@v1.12.3
//	go mod tidy && go build
//
//	atlasinspect URL > schema.hcl
package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"

	"ariga.io/atlas/sql/postgres"
	_ "github.com/lib/pq"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("atlasinspect: ")
	if len(os.Args) != 2 {
		log.Fatal("usage: atlasinspect postgres://…")
	}
	db, err := sql.Open("postgres", os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	drv, err := postgres.Open(db)
	if err != nil {
		log.Fatal(err)
	}
	realm, err := drv.InspectRealm(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	spec, err := postgres.MarshalHCL(realm)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := os.Stdout.Write(spec); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintln(os.Stderr, "atlasinspect:", len(realm.Schemas), "schemas")
}
