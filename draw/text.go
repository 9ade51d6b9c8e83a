package draw

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// DOT writes the picture as a Graphviz digraph, oldest at the top:
// revises edges solid, depends_on edges dashed, and each node's class
// (see [Node.Class]) in its class attribute, which Graphviz copies into
// its SVG.
func (p *Picture) DOT(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintln(b, "digraph revisions {")
	fmt.Fprintln(b, "\trankdir=TB;")
	fmt.Fprintln(b, "\tnode [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"monospace\", fontsize=12];")
	for _, n := range p.Nodes {
		attrs := fmt.Sprintf("label=%s, class=%s", dotQuote(strings.Join(n.lines(), "\n")), dotQuote(n.Class()))
		if n.Applied != nil && *n.Applied {
			attrs += ", fillcolor=\"#d8f0d8\""
		}
		if n.Current {
			attrs += ", penwidth=3"
		}
		if n.Head {
			attrs += ", peripheries=2"
		}
		fmt.Fprintf(b, "\t%s [%s];\n", dotQuote(n.ID), attrs)
	}
	for _, e := range p.Edges {
		attrs := ""
		if e.Kind == DependsOn {
			attrs = " [style=dashed, color=\"#7a5db0\", label=\"depends_on\", fontsize=10]"
		}
		fmt.Fprintf(b, "\t%s -> %s%s;\n", dotQuote(e.From), dotQuote(e.To), attrs)
	}
	fmt.Fprintln(b, "}")
	return b.Flush()
}

// dotQuote makes s a DOT string: newlines become \n line breaks.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}

// Mermaid writes the picture as a Mermaid flowchart, oldest at the top:
// revises edges solid, depends_on edges dotted, and classDefs for
// applied, unapplied and current. Node names are r0, r1...; the
// revision id is the first line of each node's text.
func (p *Picture) Mermaid(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintln(b, "flowchart TB")
	name := map[string]string{}
	for i, n := range p.Nodes {
		name[n.ID] = fmt.Sprintf("r%d", i)
		fmt.Fprintf(b, "\t%s[\"%s\"]\n", name[n.ID], mermaidText(n.lines()))
	}
	for _, e := range p.Edges {
		arrow := "-->"
		if e.Kind == DependsOn {
			arrow = "-. depends_on .->"
		}
		fmt.Fprintf(b, "\t%s %s %s\n", name[e.From], arrow, name[e.To])
	}
	classes := map[string][]string{}
	var order []string
	for _, n := range p.Nodes {
		for _, c := range strings.Fields(n.Class()) {
			if c != "applied" && c != "unapplied" && c != "current" {
				continue
			}
			if classes[c] == nil {
				order = append(order, c)
			}
			classes[c] = append(classes[c], name[n.ID])
		}
	}
	if len(order) > 0 {
		fmt.Fprintln(b, "\tclassDef applied fill:#d8f0d8,stroke:#2e7d32")
		fmt.Fprintln(b, "\tclassDef unapplied fill:#ffffff,stroke:#888888")
		fmt.Fprintln(b, "\tclassDef current stroke-width:3px")
	}
	for _, c := range order {
		fmt.Fprintf(b, "\tclass %s %s\n", strings.Join(classes[c], ","), c)
	}
	return b.Flush()
}

// mermaidText joins lines with <br/> and escapes what Mermaid reads.
func mermaidText(lines []string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ")
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = r.Replace(l)
	}
	return strings.Join(out, "<br/>")
}

// maxMessage is how many characters of a message a box shows.
const maxMessage = 40

// lines is the text of a node's box: id and roles, message, labels.
func (n *Node) lines() []string {
	first := n.ID
	if r := n.roles(); len(r) > 0 {
		first += " (" + strings.Join(r, ", ") + ")"
	}
	out := []string{first}
	msg := strings.Join(strings.Fields(n.Message), " ")
	if rs := []rune(msg); len(rs) > maxMessage {
		msg = string(rs[:maxMessage-1]) + "…"
	}
	if msg != "" {
		out = append(out, msg)
	}
	if len(n.Labels) > 0 {
		out = append(out, "@"+strings.Join(n.Labels, " @"))
	}
	return out
}
