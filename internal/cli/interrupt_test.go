package cli

import "testing"

func TestInterruptible(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want bool
	}{
		{"version", []string{"--version"}, false},
		{"help", []string{"--help"}, false},
		{"nothing", nil, false},
		{"heads", []string{"heads"}, false},
		{"history with flags", []string{"-c", "other.toml", "history", "-r", "base:head"}, false},
		{"current verbose", []string{"--format", "json", "current", "-v"}, false},
		{"upgrade", []string{"upgrade", "head"}, true},
		{"upgrade after a config flag", []string{"-c", "heads", "upgrade", "head"}, true},
		{"check", []string{"check"}, true},
		{"version flag before a command", []string{"--version", "upgrade"}, true},
		{"unknown flag with a value", []string{"--fleet", "prod", "current"}, true},
		{"after --", []string{"--", "heads"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Interruptible(tt.args); got != tt.want {
				t.Errorf("Interruptible(%q) = %v, want %v", tt.args, got, tt.want)
			}
		})
	}
}
