// Package revision owns the revision graph: [Revision] values (an id,
// the ids it revises, branch labels, depends-on), the [Graph] built
// from them and checked once (unknown parents, cycles, duplicate ids or
// labels fail in [New]), Alembic's target grammar, and the plans that
// move a database from its version-table rows to a target. It does not
// read files, talk to a database or run anything: package script loads
// revision files, package runner executes plans, package retort puts
// them together.
//
// # Graph
//
// A revision that revises nothing is a base; one that nothing revises is
// a head; one revised by several is a branch point; one that revises
// several is a merge point. [Graph.Heads], [Graph.Bases],
// [Graph.History] and [Graph.Info] answer what Alembic's heads, history
// and show commands print.
//
// # Targets
//
// [Graph.Resolve] reads Alembic's grammar: "head", "heads", "base", a
// full id or any unique prefix of one, "+N" and "-N", "REV+N", "REV-N",
// "LABEL@head", "LABEL@base", "LABEL@REV", "heads-N". An unknown or
// ambiguous name is a [*ResolutionError]; several heads where one is
// needed a [*MultipleHeadsError]; a step past base or head a
// [*RangeError]. All of them match fault.ErrBadInput (retort.ErrBadInput).
//
// # Plans
//
// [Graph.Upgrade], [Graph.Downgrade] and [Graph.Stamp] take the version
// table's rows and a target and return a [Plan]: the [Step] values in
// order, each with the [RowChange] values the version table needs, so
// that a runner only executes what the plan says:
//
//	plan, err := g.Upgrade([]string{"aaaa1111"}, "head")
//	for _, s := range plan.Steps {
//		fmt.Println(s) // upgrade aaaa1111 -> bbbb2222, add email
//	}
package revision
