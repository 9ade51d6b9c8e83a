// Package draw makes pictures of a revision graph: Graphviz DOT and
// Mermaid text for other tools, and a standalone SVG (alone or inside an
// HTML page) that it lays out itself, so no external program is needed.
//
// A [Picture] is built from a [revision.Graph] and the revisions to show
// (all, or a part chosen by the caller). Each revision is a box that
// names its id, message, branch labels and role (head, base, merge,
// branch point); revises edges are solid, depends_on edges dashed and
// drawn apart from them. When the caller knows the database's version
// table rows, each box also carries the class applied or unapplied and
// the rows' revisions the class current.
//
// The SVG layout is layered: a revision sits one layer below the lowest
// of the revisions it revises or depends on, revisions within a layer are
// ordered by the mean position of their parents (a few sweeps of the
// barycentre heuristic) and boxes in a layer never overlap. Text is 12 px
// monospace and the SVG's size is its size in CSS pixels, so labels stay
// readable at 100% zoom however many revisions there are.
package draw
