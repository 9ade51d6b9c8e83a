package retort_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/config"
)

// BenchmarkOpenHeads5000 loads 5,000 SQL revision files from disk into
// the graph and computes the heads: what `retort heads` does before it
// prints.
func BenchmarkOpenHeads5000(b *testing.B) {
	dir := b.TempDir()
	vdir := filepath.Join(dir, "migrations", "versions")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		b.Fatal(err)
	}
	prev := ""
	for i := range 5000 {
		id := fmt.Sprintf("%012x", i+1)
		src := fmt.Sprintf("-- create table t%d\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Branch Labels:\n-- Depends On:\n-- Create Date: 2026-11-21 10:00:00.000000+00:00\n\n-- +retort upgrade\nCREATE TABLE t%d (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\n-- +retort downgrade\nDROP TABLE t%d;\n", i, id, prev, i, i)
		if err := os.WriteFile(filepath.Join(vdir, id+"_t.sql"), []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
		prev = id
	}
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte("[retort]\nurl = \"sqlite:///bench.db\"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "retort.toml"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		env, err := retort.Open(b.Context(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		if h := env.Graph().Heads(); len(h) != 1 {
			b.Fatalf("heads = %v", h)
		}
	}
}
