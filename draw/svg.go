package draw

import (
	"bufio"
	"fmt"
	"html"
	"io"
)

// style is the CSS of the SVG: classes of nodes and edges.
const style = `
.revision rect { fill: #ffffff; stroke: #555555; stroke-width: 1; }
.revision.applied rect { fill: #d8f0d8; stroke: #2e7d32; }
.revision.unapplied rect { fill: #ffffff; stroke: #9e9e9e; stroke-dasharray: 4 2; }
.revision.current rect { stroke-width: 3; }
.revision.head rect { stroke: #1565c0; }
.revision text { font-family: monospace; font-size: 12px; fill: #222222; }
.revision text.id { font-weight: bold; }
.edge { fill: none; stroke: #555555; stroke-width: 1.2; }
.edge.depends_on { stroke: #7a5db0; stroke-dasharray: 6 4; }
`

// SVG writes the picture as a standalone SVG document, laid out in
// layers (see the package doc). Each revision is a <g> with id
// "rev-ID", data-revision="ID" and the class of [Node.Class]; each edge
// a <path> of class "edge revises" or "edge depends_on".
func (p *Picture) SVG(w io.Writer) error {
	b := bufio.NewWriter(w)
	p.writeSVG(b)
	return b.Flush()
}

func (p *Picture) writeSVG(b *bufio.Writer) {
	lay := p.layOut()
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f">`+"\n",
		lay.width, lay.height, lay.width, lay.height)
	fmt.Fprintf(b, "<style>%s</style>\n", style)
	fmt.Fprintln(b, `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555555"/></marker></defs>`)
	// Edges first, under the boxes.
	for _, e := range p.Edges {
		from, to := lay.boxes[e.From], lay.boxes[e.To]
		x1, y1 := from.X+from.W/2, from.Y+from.H
		x2, y2 := to.X+to.W/2, to.Y
		if e.Kind == DependsOn { // apart from a revises edge between the same boxes
			x1 += from.W / 4
			x2 += to.W / 4
		}
		my := (y1 + y2) / 2
		fmt.Fprintf(b, `<path class="edge %s" d="M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" marker-end="url(#arrow)"/>`+"\n",
			e.Kind, x1, y1, x1, my, x2, my, x2, y2)
	}
	for _, n := range p.Nodes {
		bx := lay.boxes[n.ID]
		fmt.Fprintf(b, `<g id="rev-%s" class="%s" data-revision="%s">`, attr(n.ID), n.Class(), attr(n.ID))
		fmt.Fprintf(b, `<title>%s</title>`, html.EscapeString(n.ID+" "+n.Message))
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="4"/>`, bx.X, bx.Y, bx.W, bx.H)
		for i, l := range n.lines() {
			class := ""
			if i == 0 {
				class = ` class="id"`
			}
			fmt.Fprintf(b, `<text%s x="%.1f" y="%.1f" font-size="%d">%s</text>`,
				class, bx.X+padX, bx.Y+padY+float64(i+1)*lineHeight-4, FontSize, html.EscapeString(l))
		}
		fmt.Fprintln(b, "</g>")
	}
	fmt.Fprintln(b, "</svg>")
}

func attr(s string) string { return html.EscapeString(s) }

// HTML writes a standalone HTML page with the SVG inline, a title and a
// legend; it loads nothing from anywhere.
func (p *Picture) HTML(w io.Writer, title string) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n", html.EscapeString(title))
	fmt.Fprintln(b, "<style>body { margin: 0; padding: 12px; background: #fafafa; font-family: sans-serif; } .legend { font-size: 14px; margin-bottom: 8px; } .legend span { margin-right: 16px; }</style>")
	fmt.Fprintln(b, "</head>\n<body>")
	fmt.Fprintf(b, "<h1 style=\"font-size:18px\">%s</h1>\n", html.EscapeString(title))
	fmt.Fprintf(b, "<p class=\"legend\"><span>%d revisions</span><span>solid arrow: revises</span><span>dashed purple arrow: depends_on</span><span>green: applied</span><span>thick border: version table row</span><span>blue border: head</span></p>\n", len(p.Nodes))
	p.writeSVG(b)
	fmt.Fprintln(b, "</body>\n</html>")
	return b.Flush()
}
