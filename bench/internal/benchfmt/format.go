package benchfmt

import (
	"fmt"
	"math"
)

// Duration writes a time given in seconds for a table cell: one decimal
// of seconds from ten seconds ("12.3 s"), two from one second ("1.23 s"),
// whole milliseconds down to fine seconds ("456 ms") and milliseconds
// with one decimal below fine ("4.6 ms"); fine 0 keeps whole milliseconds
// all the way down. The size of s picks the unit, so a negative
// difference is written like a positive one ("-1.23 s").
func Duration(s, fine float64) string {
	switch a := math.Abs(s); {
	case a >= 10:
		return fmt.Sprintf("%.1f s", s)
	case a >= 1:
		return fmt.Sprintf("%.2f s", s)
	case a >= fine:
		return fmt.Sprintf("%.0f ms", s*1000)
	default:
		return fmt.Sprintf("%.1f ms", s*1000)
	}
}

// Ratio writes a's median over b's with two decimals ("1.25×"), or ""
// when either row is missing or b's median is zero.
func Ratio(a, b *Result) string {
	if a == nil || b == nil || b.Median == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f×", a.Median/b.Median)
}

// Verdict writes a goal's verdict: "met", or "**not met**" in bold.
func Verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}
