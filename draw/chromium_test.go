package draw

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// chromium finds Debian's chromium, skipping the test without it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (scripts/test.sh installs Debian's chromium)")
	return ""
}

// runChromium runs headless chromium with a fresh profile and returns
// its stdout.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(),
	}
	// A guard against a browser that never exits, not a timing check.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// TestHTMLInChromium opens the HTML page in headless chromium: the
// screenshot is not blank and the DOM holds one node per revision with
// the right applied or unapplied class.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	g := sample(t)
	rows := []string{"b2"}
	applied, err := g.Applied(rows)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a1": "applied", "b2": "applied", "c3": "unapplied", "d4": "unapplied", "e5": "unapplied", "f6": "unapplied"}
	dir := t.TempDir()
	page := filepath.Join(dir, "graph.html")
	var b bytes.Buffer
	if err := New(g, g.Revisions(), WithDatabase(rows, applied)).HTML(&b, "revisions"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + page

	shot := filepath.Join(dir, "shot.png")
	runChromium(t, bin, "--window-size=1000,800", "--hide-scrollbars", "--screenshot="+shot, url)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	colours := map[[4]uint32]bool{}
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y && len(colours) < 2; y += 2 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
			r, g, b, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, b, a}] = true
		}
	}
	if len(colours) < 2 {
		t.Errorf("screenshot %dx%d is one colour: the page drew nothing", bounds.Dx(), bounds.Dy())
	}

	dom := runChromium(t, bin, "--dump-dom", url)
	re := regexp.MustCompile(`<g id="rev-([^"]+)" class="([^"]*)"`)
	found := map[string]int{}
	for _, m := range re.FindAllSubmatch(dom, -1) {
		id, class := string(m[1]), string(m[2])
		found[id]++
		classes := regexp.MustCompile(`\b(un)?applied\b`).FindAllString(class, -1)
		if len(classes) != 1 || classes[0] != want[id] {
			t.Errorf("node %s has class %q, want one of applied/unapplied: %s", id, class, want[id])
		}
	}
	for id := range want {
		if found[id] != 1 {
			t.Errorf("DOM holds %d nodes for revision %s, want 1", found[id], id)
		}
	}
	if len(found) != len(want) {
		t.Errorf("DOM holds nodes for %d revisions, want %d: %v", len(found), len(want), found)
	}
}
