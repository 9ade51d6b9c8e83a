package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/retortdb/retort"
)

// This file is the one progress reporter of long operations: upgrades,
// downgrades and stamps today; fleets, imports and the like later. A
// command makes one for its items and tells it as each starts and ends:
//
//	p := a.progress("revision")
//	defer p.stop()
//	p.begin(n, total, "upgrade aaaa -> bbbb, add email")
//	p.end(n, total, "upgrade aaaa -> bbbb, add email", took, err)
//	p.summary("Applied", count) // "Applied 2,000 revisions in 2.2 s"
//
// (retort runs report through p.stepEvents, given to retort.WithProgress.)
// On a terminal it keeps one line up to date on stderr, "[  12/2000]
// 0.4 s  upgrade aaaa -> bbbb, add email", prints a line with each item's
// duration under -v, and ends with the summary line. When stderr is not
// a terminal, or with -q, it prints nothing at all: logs are then the
// record of the run. Log lines written while the line is shown clear it
// first (see [app.logger]), so the two never garble each other.

// redrawEvery bounds how often the live line is drawn: thousands of quick
// items would otherwise spend their time on the terminal.
const redrawEvery = 50 * time.Millisecond

// reporter is the progress of one operation. A nil *reporter, or one
// that is not live, does nothing.
type reporter struct {
	mu      sync.Mutex
	w       io.Writer
	width   int // terminal columns, 0 when unknown
	verbose bool
	noun    string
	start   time.Time
	drawn   time.Time
	shown   bool // the live line is on the screen
	line    string
	n       int
}

// terminal reports whether w is a terminal, and its width.
func terminal(w io.Writer) (bool, int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false, 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		width = 0
	}
	return true, width
}

// progress returns the reporter for an operation on items called noun
// ("revision"): live when stderr is a terminal (or a.terminal says so)
// and -q is not given.
func (a *app) progress(noun string) *reporter {
	live, width := a.terminal, a.width
	if !live {
		live, width = terminal(a.stderr)
	}
	p := &reporter{w: a.stderr, width: width, verbose: a.verbose, noun: noun, start: time.Now()}
	if !live || a.quiet {
		return nil
	}
	a.live = p
	return p
}

// begin tells that item n of total started.
func (p *reporter) begin(n, total int, what string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	p.line = fmt.Sprintf("[%*d/%d] %s  %s", len(strconv.Itoa(total)), n, total, seconds(now.Sub(p.start)), what)
	if p.shown && now.Sub(p.drawn) < redrawEvery {
		return
	}
	p.draw(now)
}

// end tells that item n ended after took; err is its failure.
func (p *reporter) end(n, total int, what string, took time.Duration, err error) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err == nil {
		p.n++
	}
	if !p.verbose {
		return
	}
	p.clear()
	status := ""
	if err != nil {
		status = "  FAILED"
	}
	fmt.Fprintf(p.w, "%9s  %s%s\n", millisText(took), what, status)
	p.draw(time.Now())
}

// summary ends the operation: the live line goes, and one line says
// what was done, "Applied 2,000 revisions in 2.2 s".
func (p *reporter) summary(verb string, count int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	noun := p.noun
	if count != 1 {
		noun += "s"
	}
	fmt.Fprintf(p.w, "%s %s %s in %s\n", verb, thousands(count), noun, seconds(time.Since(p.start)))
}

// stop takes the live line away (a failed or cancelled run).
func (p *reporter) stop() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

// stepEvents adapts the reporter to retort.WithProgress.
func (p *reporter) stepEvents() func(retort.StepEvent) {
	return func(ev retort.StepEvent) {
		if ev.Done {
			p.end(ev.N, ev.Total, ev.Step.String(), ev.Duration, ev.Err)
		} else {
			p.begin(ev.N, ev.Total, ev.Step.String())
		}
	}
}

// hide clears the live line before a log line is written, and show puts
// it back after (see logWriter).
func (p *reporter) hide() {
	p.mu.Lock()
	p.clear()
}

func (p *reporter) show() {
	if p.line != "" {
		p.draw(time.Now())
	}
	p.mu.Unlock()
}

// draw shows the live line, cut to the terminal's width. p.mu is held.
func (p *reporter) draw(now time.Time) {
	line := p.line
	if p.width > 1 && len([]rune(line)) > p.width-1 {
		line = string([]rune(line)[:p.width-2]) + "…"
	}
	fmt.Fprint(p.w, "\r\x1b[K"+line)
	p.shown, p.drawn = true, now
}

// clear removes the live line. p.mu is held.
func (p *reporter) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// logWriter writes log lines around a live progress line.
type logWriter struct {
	a *app
}

func (w logWriter) Write(b []byte) (int, error) {
	if p := w.a.live; p != nil {
		p.hide()
		defer p.show()
	}
	return w.a.stderr.Write(b)
}

// seconds prints a duration as people read it: "0.4 s", "2.2 s", "1 min 5 s".
func seconds(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
}

// millisText prints a step's duration: "0.4 ms", "12 ms", "1.5 s".
func millisText(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	case d < time.Second:
		return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// thousands writes n with comma separators: 2000 -> "2,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
