package revision_test

import (
	"fmt"

	"github.com/retortdb/retort/revision"
)

func ExampleNew() {
	g, err := revision.New([]*revision.Revision{
		{ID: "1a2b3c4d5e6f", Message: "create customer table"},
		{ID: "2b3c4d5e6f70", Revises: []string{"1a2b3c4d5e6f"}, Message: "add email"},
		{ID: "3c4d5e6f7081", Revises: []string{"1a2b3c4d5e6f"}, BranchLabels: []string{"billing"}, Message: "create invoice table"},
		{ID: "4d5e6f708192", Revises: []string{"2b3c4d5e6f70", "3c4d5e6f7081"}, Message: "merge billing"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range g.Heads() {
		in, _ := g.Info(r.ID)
		fmt.Println("head:", r.ID, in.Labels)
	}
	// Output:
	// head: 4d5e6f708192 [billing]
}

func ExampleGraph_Upgrade() {
	g, err := revision.New([]*revision.Revision{
		{ID: "1a2b3c4d5e6f", Message: "create customer table"},
		{ID: "2b3c4d5e6f70", Revises: []string{"1a2b3c4d5e6f"}, Message: "add email"},
		{ID: "3c4d5e6f7081", Revises: []string{"1a2b3c4d5e6f"}, BranchLabels: []string{"billing"}, Message: "create invoice table"},
		{ID: "4d5e6f708192", Revises: []string{"2b3c4d5e6f70", "3c4d5e6f7081"}, Message: "merge billing"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The database is at the first revision; bring it to the head.
	plan, err := g.Upgrade([]string{"1a2b3c4d5e6f"}, "head")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range plan.Steps {
		fmt.Println(s)
		for _, row := range s.Rows {
			switch row.Kind {
			case revision.Insert:
				fmt.Println("  insert", row.To)
			case revision.Update:
				fmt.Println("  update", row.From, "->", row.To)
			case revision.Delete:
				fmt.Println("  delete", row.From)
			}
		}
	}
	fmt.Println("version table:", plan.Heads)
	// Output:
	// upgrade 1a2b3c4d5e6f -> 3c4d5e6f7081, create invoice table
	//   update 1a2b3c4d5e6f -> 3c4d5e6f7081
	// upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70, add email
	//   insert 2b3c4d5e6f70
	// upgrade 2b3c4d5e6f70, 3c4d5e6f7081 -> 4d5e6f708192, merge billing
	//   delete 2b3c4d5e6f70
	//   update 3c4d5e6f7081 -> 4d5e6f708192
	// version table: [4d5e6f708192]
}

func ExampleGraph_Downgrade() {
	g, _ := revision.New([]*revision.Revision{
		{ID: "1a2b3c4d5e6f", Message: "create customer table"},
		{ID: "2b3c4d5e6f70", Revises: []string{"1a2b3c4d5e6f"}, Message: "add email"},
	})
	plan, err := g.Downgrade([]string{"2b3c4d5e6f70"}, "-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range plan.Steps {
		fmt.Println(s)
	}
	_, err = g.Downgrade(plan.Heads, "-2")
	fmt.Println(err)
	// Output:
	// downgrade 2b3c4d5e6f70 -> 1a2b3c4d5e6f, add email
	// -2: relative revision -2 didn't produce 2 migrations: -2 counts 2 steps down from the database's revision 1a2b3c4d5e6f, and only 1 exists on the way to base; use -1, or 'retort downgrade base'
}
