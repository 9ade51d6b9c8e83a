package script_test

import (
	"fmt"
	"testing/fstest"
	"time"

	"github.com/retortdb/retort/script"
	"github.com/retortdb/retort/sqlsplit"
)

func ExampleLoad() {
	base := script.NewFile{ID: "0f9e8d7c6b5a", Message: "create customer table",
		Upgrade:   "CREATE TABLE customer (id INT);",
		Downgrade: "DROP TABLE customer;"}
	next := script.NewFile{ID: "1a2b3c4d5e6f", Revises: []string{base.ID}, Message: "add name",
		Upgrade: "ALTER TABLE customer ADD name TEXT;\nCREATE INDEX ix ON customer (name);"}
	fsys := fstest.MapFS{}
	for _, f := range []script.NewFile{base, next} {
		name, _ := script.FileName("{rev}_{slug}", f, 0)
		fsys["migrations/versions/"+name] = &fstest.MapFile{Data: script.RenderSQL(f)}
	}
	scripts, err := script.Load(fsys, []string{"migrations/versions"}, script.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range scripts {
		stmts, _ := s.UpgradeStatements(sqlsplit.Postgres)
		fmt.Println(s.Path, s.Rev.Revises, len(stmts), "statements, downgrade:", s.HasDowngrade)
	}
	// Output:
	// migrations/versions/0f9e8d7c6b5a_create_customer_table.sql [] 1 statements, downgrade: true
	// migrations/versions/1a2b3c4d5e6f_add_name.sql [0f9e8d7c6b5a] 2 statements, downgrade: true
}

func ExampleRenderSQL() {
	fmt.Printf("%s", script.RenderSQL(script.NewFile{
		ID:         "1a2b3c4d5e6f",
		Revises:    []string{"0f9e8d7c6b5a"},
		Message:    "create customer table",
		CreateDate: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC),
		Upgrade:    "CREATE TABLE customer (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);",
		Downgrade:  "DROP TABLE customer;",
	}))
	// Output:
	// -- create customer table
	// --
	// -- Revision ID: 1a2b3c4d5e6f
	// -- Revises: 0f9e8d7c6b5a
	// -- Branch Labels:
	// -- Depends On:
	// -- Create Date: 2026-11-21 10:00:00.000000+00:00
	//
	// -- +retort upgrade
	// CREATE TABLE customer (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);
	//
	// -- +retort downgrade
	// DROP TABLE customer;
}

func ExampleSlug() {
	fmt.Println(script.Slug("Add user.email column & index (v2) -- part of the new onboarding flow", 0))
	// Output: add_user_email_column_index_v2_part_of_
}
