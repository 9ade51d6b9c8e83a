package retort_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/ops"
)

// CreateRole is a custom operation: a value with a description, a
// reverse, and its SQL per dialect.
type CreateRole struct{ Name string }

// Describe says what it does, for logs and errors.
func (o CreateRole) Describe() string { return "create role " + o.Name }

// Reverse drops the role.
func (o CreateRole) Reverse() (ops.Operation, error) { return DropRole(o), nil }

// RenderSQL renders it for d; a dialect without roles says so.
func (o CreateRole) RenderSQL(d dialect.Dialect) ([]string, error) {
	if d.Name() != "postgres" {
		return nil, &dialect.UnsupportedError{Op: o.Describe(), Dialect: d.Name(), Hint: "it has no roles"}
	}
	return []string{"CREATE ROLE " + d.QuoteIdent(o.Name)}, nil
}

// DropRole drops a role.
type DropRole struct{ Name string }

// Describe says what it does.
func (o DropRole) Describe() string { return "drop role " + o.Name }

// Reverse creates the role again.
func (o DropRole) Reverse() (ops.Operation, error) { return CreateRole(o), nil }

// RenderSQL renders it for d.
func (o DropRole) RenderSQL(d dialect.Dialect) ([]string, error) {
	if d.Name() != "postgres" {
		return nil, &dialect.UnsupportedError{Op: o.Describe(), Dialect: d.Name(), Hint: "it has no roles"}
	}
	return []string{"DROP ROLE " + d.QuoteIdent(o.Name)}, nil
}

// GrantSelect lets a role read a table; its reverse revokes that.
type GrantSelect struct {
	Table, Role string
	// Revoke turns the grant into its reverse.
	Revoke bool
}

// Describe says what it does.
func (o GrantSelect) Describe() string {
	if o.Revoke {
		return "revoke select on " + o.Table + " from " + o.Role
	}
	return "grant select on " + o.Table + " to " + o.Role
}

// Reverse revokes what it grants, and the other way round.
func (o GrantSelect) Reverse() (ops.Operation, error) {
	o.Revoke = !o.Revoke
	return o, nil
}

// RenderSQL renders it for d.
func (o GrantSelect) RenderSQL(d dialect.Dialect) ([]string, error) {
	if d.Name() != "postgres" {
		return nil, &dialect.UnsupportedError{Op: o.Describe(), Table: o.Table, Dialect: d.Name(), Hint: "it has no privileges"}
	}
	if o.Revoke {
		return []string{"REVOKE SELECT ON " + d.QuoteIdent(o.Table) + " FROM " + d.QuoteIdent(o.Role)}, nil
	}
	return []string{"GRANT SELECT ON " + d.QuoteIdent(o.Table) + " TO " + d.QuoteIdent(o.Role)}, nil
}

// A migration runs operations of its own as it runs the built-ins, with
// op.Run; op.Revert runs their reverses, last first, for the downgrade.
// Here the scripts are rendered offline (--sql) for PostgreSQL.
func Example_customOperation() {
	changes := ops.Sequence{
		CreateRole{Name: "reporting"},
		GrantSelect{Table: "customer", Role: "reporting"},
	}
	var registry retort.Registry
	registry.Add(retort.Migration{
		Revision: "1a2b3c4d5e6f",
		Message:  "reporting role",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			if err := op.Exec("CREATE TABLE customer (id bigint PRIMARY KEY)"); err != nil {
				return err
			}
			return op.Run(changes)
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error {
			if err := op.Revert(changes...); err != nil {
				return err
			}
			return op.Exec("DROP TABLE customer")
		},
	})

	dir, err := os.MkdirTemp("", "retort")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	if err := os.Mkdir(filepath.Join(dir, "versions"), 0o755); err != nil {
		panic(err)
	}
	file := filepath.Join(dir, "retort.toml")
	toml := "[retort]\nscript_location = \".\"\nurl = \"postgresql://app@db.example.com/app\"\n"
	if err := os.WriteFile(file, []byte(toml), 0o644); err != nil {
		panic(err)
	}
	cfg, err := config.Load(file)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	env, err := retort.Open(ctx, cfg, retort.WithRegistry(&registry))
	if err != nil {
		panic(err)
	}
	defer env.Close()

	for _, req := range []struct {
		req   retort.Request
		start []string
	}{
		{retort.Request{Kind: retort.Upgrade, Target: "head"}, nil},
		{retort.Request{Kind: retort.Downgrade, Target: "base"}, []string{"1a2b3c4d5e6f"}},
	} {
		var script bytes.Buffer
		if _, err := env.SQL(ctx, &script, req.req, req.start); err != nil {
			panic(err)
		}
		for line := range strings.Lines(script.String()) {
			if strings.HasPrefix(line, "-- Running") || strings.Contains(line, "customer") || strings.Contains(line, "ROLE") {
				fmt.Print(line)
			}
		}
	}
	// Output:
	// -- Running upgrade  -> 1a2b3c4d5e6f, reporting role
	// CREATE TABLE customer (id bigint PRIMARY KEY);
	// CREATE ROLE "reporting";
	// GRANT SELECT ON "customer" TO "reporting";
	// -- Running downgrade 1a2b3c4d5e6f -> , reporting role
	// REVOKE SELECT ON "customer" FROM "reporting";
	// DROP ROLE "reporting";
	// DROP TABLE customer;
}
