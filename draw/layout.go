package draw

import (
	"slices"
	"unicode/utf8"
)

// Sizes of the SVG drawing, in CSS pixels.
const (
	// FontSize is the height of the text in every box.
	FontSize   = 12
	charWidth  = 7.3 // a generous width of one 12 px monospace glyph
	lineHeight = 16
	padX       = 10
	padY       = 8
	gapX       = 24 // between boxes of a layer
	gapY       = 44 // between layers
	margin     = 16
)

// Box is where a node is drawn: its top-left corner and size.
type Box struct {
	X, Y, W, H float64
}

// layout is the position of every node.
type layout struct {
	boxes  map[string]Box
	width  float64
	height float64
}

// layOut places the nodes in layers: a node's layer is one below its
// lowest parent's (then a node is pulled down to just above its highest
// child), the order within a layer follows the mean order of
// each node's parents (barycentre sweeps), and the layers are stacked
// with boxes side by side, so no two boxes overlap.
func (p *Picture) layOut() layout {
	ups := map[string][]string{}
	for _, e := range p.Edges {
		ups[e.To] = append(ups[e.To], e.From)
	}
	layer := map[string]int{}
	for _, n := range p.Nodes { // parents come first
		for _, u := range ups[n.ID] {
			layer[n.ID] = max(layer[n.ID], layer[u]+1)
		}
	}
	// Pull a node down to just above its highest child, so that a second
	// base sits beside what it joins rather than at the top.
	downs := map[string][]string{}
	for _, e := range p.Edges {
		downs[e.From] = append(downs[e.From], e.To)
	}
	for i := len(p.Nodes) - 1; i >= 0; i-- {
		n := p.Nodes[i]
		if len(downs[n.ID]) == 0 {
			continue
		}
		l := -1
		for _, d := range downs[n.ID] {
			if l < 0 || layer[d]-1 < l {
				l = layer[d] - 1
			}
		}
		layer[n.ID] = max(layer[n.ID], l)
	}
	var layers [][]*Node
	for _, n := range p.Nodes {
		l := layer[n.ID]
		for len(layers) <= l {
			layers = append(layers, nil)
		}
		layers[l] = append(layers[l], n)
	}
	pos := map[string]float64{}
	for _, row := range layers {
		for i, n := range row {
			pos[n.ID] = float64(i)
		}
	}
	for range 4 {
		for _, row := range layers {
			bary := map[string]float64{}
			for _, n := range row {
				us := ups[n.ID]
				if len(us) == 0 {
					bary[n.ID] = pos[n.ID]
					continue
				}
				s := 0.0
				for _, u := range us {
					s += pos[u]
				}
				bary[n.ID] = s / float64(len(us))
			}
			slices.SortStableFunc(row, func(a, b *Node) int {
				switch {
				case bary[a.ID] < bary[b.ID]:
					return -1
				case bary[a.ID] > bary[b.ID]:
					return 1
				}
				return 0
			})
			for i, n := range row {
				pos[n.ID] = float64(i)
			}
		}
	}
	lay := layout{boxes: map[string]Box{}}
	y := float64(margin)
	var rowWidths []float64
	for _, row := range layers {
		w, h := 0.0, 0.0
		for _, n := range row {
			b := n.size()
			w += b.W
			h = max(h, b.H)
		}
		w += gapX * float64(max(len(row)-1, 0))
		rowWidths = append(rowWidths, w)
		lay.width = max(lay.width, w)
		_ = h
	}
	for i, row := range layers {
		x := margin + (lay.width-rowWidths[i])/2
		h := 0.0
		for _, n := range row {
			b := n.size()
			b.X, b.Y = x, y
			lay.boxes[n.ID] = b
			x += b.W + gapX
			h = max(h, b.H)
		}
		y += h + gapY
	}
	lay.width += 2 * margin
	lay.height = y - gapY + margin
	return lay
}

// size is the width and height of a node's box.
func (n *Node) size() Box {
	lines := n.lines()
	longest := 0
	for _, l := range lines {
		longest = max(longest, utf8.RuneCountInString(l))
	}
	return Box{W: float64(longest)*charWidth + 2*padX, H: float64(len(lines))*lineHeight + 2*padY}
}
