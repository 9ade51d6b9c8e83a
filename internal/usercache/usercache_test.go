package usercache

import (
	"path/filepath"
	"testing"
)

func TestOffAndDir(t *testing.T) {
	base := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", base)
	t.Setenv("HOME", base)
	tests := []struct {
		name, all, target, kind string
		off                     bool
	}{
		{"default", "", "", "targets", false},
		{"RETORT_CACHE=off", "off", "", "targets", true},
		{"RETORT_CACHE=OFF any kind", "OFF", "", "graphs", true},
		{"legacy target switch", "", "off", "targets", true},
		{"legacy switch leaves other kinds", "", "off", "graphs", false},
		{"other value", "on", "", "graphs", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("RETORT_CACHE", tt.all)
			t.Setenv("RETORT_TARGET_CACHE", tt.target)
			if got := Off(tt.kind); got != tt.off {
				t.Errorf("Off(%q) = %v, want %v", tt.kind, got, tt.off)
			}
			dir := Dir(tt.kind)
			if tt.off && dir != "" {
				t.Errorf("Dir(%q) = %q while off", tt.kind, dir)
			}
			if !tt.off && filepath.Base(dir) != tt.kind {
				t.Errorf("Dir(%q) = %q", tt.kind, dir)
			}
		})
	}
}
