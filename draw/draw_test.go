package draw

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/retortdb/retort/revision"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// sample is a small graph with a branch point, a merge, a branch label,
// a depends_on edge and two heads.
func sample(t *testing.T) *revision.Graph {
	t.Helper()
	g, err := revision.New([]*revision.Revision{
		{ID: "a1", Message: "create users"},
		{ID: "b2", Revises: []string{"a1"}, Message: "add email"},
		{ID: "c3", Revises: []string{"a1"}, Message: "add \"quoted\" <tags>"},
		{ID: "d4", Revises: []string{"b2", "c3"}, Message: "merge"},
		{ID: "e5", Message: "audit base", BranchLabels: []string{"audit"}},
		{ID: "f6", Revises: []string{"e5"}, DependsOn: []string{"d4"}, Message: "audit users"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what was drawn:\n%s", path, got)
	}
}

func TestGoldens(t *testing.T) {
	g := sample(t)
	applied, err := g.Applied([]string{"b2"})
	if err != nil {
		t.Fatal(err)
	}
	pictures := []struct {
		name string
		pic  *Picture
	}{
		{"all", New(g, g.Revisions())},
		{"applied", New(g, g.Revisions(), WithDatabase([]string{"b2"}, applied))},
	}
	for _, p := range pictures {
		for _, f := range []struct {
			ext  string
			draw func(*Picture, *bytes.Buffer) error
		}{
			{"dot", func(p *Picture, b *bytes.Buffer) error { return p.DOT(b) }},
			{"mmd", func(p *Picture, b *bytes.Buffer) error { return p.Mermaid(b) }},
		} {
			t.Run(p.name+"."+f.ext, func(t *testing.T) {
				var b bytes.Buffer
				if err := f.draw(p.pic, &b); err != nil {
					t.Fatal(err)
				}
				golden(t, p.name+"."+f.ext, b.Bytes())
			})
		}
	}
}

func TestPart(t *testing.T) {
	g := sample(t)
	p := New(g, []*revision.Revision{g.Get("f6"), g.Get("e5")})
	if len(p.Nodes) != 2 || p.Nodes[0].ID != "e5" {
		t.Fatalf("nodes %v, want e5 then f6", p.Nodes)
	}
	if len(p.Edges) != 1 || p.Edges[0] != (Edge{From: "e5", To: "f6", Kind: Revises}) {
		t.Errorf("edges %v, want only e5 -> f6", p.Edges)
	}
}

// svgDoc is the part of the SVG the geometry check reads.
type svgDoc struct {
	Width  string `xml:"width,attr"`
	Groups []struct {
		ID    string `xml:"id,attr"`
		Class string `xml:"class,attr"`
		Rect  struct {
			X, Y, W, H float64
			RawX       string `xml:"x,attr"`
			RawY       string `xml:"y,attr"`
			RawW       string `xml:"width,attr"`
			RawH       string `xml:"height,attr"`
		} `xml:"rect"`
		Texts []struct {
			Size string `xml:"font-size,attr"`
			Text string `xml:",chardata"`
		} `xml:"text"`
	} `xml:"g"`
}

// bigGraph makes n revisions: a trunk with a side branch every 10
// revisions that merges back 3 later, a labelled second base every 50
// whose revision depends on the trunk.
func bigGraph(t testing.TB, n int) *revision.Graph {
	t.Helper()
	var revs []*revision.Revision
	id := func(i int) string { return fmt.Sprintf("r%04d", i) }
	trunk := ""
	var open []string // side branches waiting to merge
	for i := range n {
		r := &revision.Revision{ID: id(i), Message: fmt.Sprintf("step %d of the big graph", i)}
		switch {
		case i > 0 && i%50 == 0:
			r.BranchLabels = []string{fmt.Sprintf("lib%d", i)}
			r.DependsOn = []string{trunk}
			revs = append(revs, r)
			continue
		case i%10 == 5 && trunk != "":
			r.Revises = []string{trunk}
			open = append(open, r.ID)
			revs = append(revs, r)
			continue
		case i%10 == 8 && len(open) > 0:
			r.Revises = append([]string{trunk}, open...)
			open = nil
		case trunk != "":
			r.Revises = []string{trunk}
		}
		trunk = r.ID
		revs = append(revs, r)
	}
	g, err := revision.New(revs)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestReadableAt500 draws 500 revisions as SVG and checks its geometry:
// one box per revision, no two boxes overlap, every label at least 10 px
// high in an SVG whose size is its CSS size (so 100% zoom).
func TestReadableAt500(t *testing.T) {
	g := bigGraph(t, 500)
	var b bytes.Buffer
	if err := New(g, g.Revisions()).SVG(&b); err != nil {
		t.Fatal(err)
	}
	var doc svgDoc
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Groups) != 500 {
		t.Fatalf("%d revision groups, want 500", len(doc.Groups))
	}
	num := func(s string) float64 {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("number %q: %v", s, err)
		}
		return f
	}
	minFont := 1e9
	for i := range doc.Groups {
		r := &doc.Groups[i].Rect
		r.X, r.Y, r.W, r.H = num(r.RawX), num(r.RawY), num(r.RawW), num(r.RawH)
		if r.W <= 0 || r.H <= 0 {
			t.Errorf("%s: empty box", doc.Groups[i].ID)
		}
		for _, tx := range doc.Groups[i].Texts {
			minFont = min(minFont, num(tx.Size))
		}
	}
	if minFont < 10 {
		t.Errorf("smallest label %.1f px, want >= 10", minFont)
	}
	overlaps := 0
	for i := range doc.Groups {
		a := doc.Groups[i].Rect
		for j := i + 1; j < len(doc.Groups); j++ {
			c := doc.Groups[j].Rect
			if a.X < c.X+c.W && c.X < a.X+a.W && a.Y < c.Y+c.H && c.Y < a.Y+a.H {
				overlaps++
				if overlaps < 5 {
					t.Errorf("%s overlaps %s", doc.Groups[i].ID, doc.Groups[j].ID)
				}
			}
		}
	}
	t.Logf("500 revisions: %d boxes, %d overlapping pairs, smallest label %.0f px, svg width %s px, %d bytes",
		len(doc.Groups), overlaps, minFont, doc.Width, b.Len())
}
