// Package benchfmt owns what the benchmark report programs under bench/
// (report.go, startupreport.go, fleetreport.go, agreport.go) share:
// reading hyperfine's JSON exports into [Result] rows, reading the
// peak-memory files the suites write ([LoadMemory]), and writing the
// cells of their markdown tables ([Duration], [Ratio], [Verdict]).
//
// It does not run benchmarks, choose which rows a report compares, or
// lay out a report: each program keeps its own tables and goals.
package benchfmt
