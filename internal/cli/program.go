package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/retortdb/retort/config"
)

// inProgramEnv is set to "1" in the environment of the program the
// retort command runs for the config's program key, so that a program
// which itself runs the stock command does not delegate again.
const inProgramEnv = "RETORT_IN_PROGRAM"

// noDelegate lists the commands the stock command always runs itself.
var noDelegate = map[string]bool{"init": true, "list-templates": true, "help": true, "retort": true}

// exitStatus ends a run with a delegated program's exit status, printing
// nothing more.
type exitStatus struct{ code int }

func (e *exitStatus) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// runProgram runs the config's program, when there is one, with the
// command's arguments and returns its exit status as an *exitStatus. It
// returns nil, to handle the command here, when the config names no
// program; a config that does not load is left for the command to
// report.
func (a *app) runProgram(ctx context.Context) error {
	cfg, err := a.loadConfig()
	if err != nil || cfg.Program == "" {
		return nil
	}
	bin, err := a.programBinary(ctx, cfg)
	if err != nil {
		return &runError{err}
	}
	cmd := exec.CommandContext(ctx, bin, a.args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = a.stdin, a.stdout, a.stderr
	cmd.Env = append(os.Environ(), inProgramEnv+"=1")
	// On cancel, let the program roll back as on Ctrl-C, then stop it.
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 30 * time.Second
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return &exitStatus{exitOK}
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return &exitStatus{ee.ExitCode()}
	}
	return &runError{fmt.Errorf("program %s (program in %s): %w", bin, cfg.File, err)}
}

// programBinary returns the executable to run for cfg.Program: the file
// itself when it is an executable, else the Go package directory or .go
// file built with the go command.
func (a *app) programBinary(ctx context.Context, cfg *config.Config) (string, error) {
	prog := cfg.Program
	fi, err := os.Stat(prog)
	if err != nil {
		return "", badInput("program %s (program in %s) does not exist: point program at a Go package directory, a .go file or an executable, or remove it to run SQL revisions with the stock command", prog, cfg.File)
	}
	switch {
	case fi.IsDir() || strings.HasSuffix(prog, ".go"):
		return a.buildProgram(ctx, cfg, fi.IsDir())
	case fi.Mode().IsRegular() && (fi.Mode()&0o111 != 0 || runtime.GOOS == "windows" && strings.EqualFold(filepath.Ext(prog), ".exe")):
		return prog, nil
	}
	return "", badInput("program %s (program in %s) is neither a Go package directory, a .go file nor an executable file", prog, cfg.File)
}

// buildProgram builds the Go program of cfg into the user's cache
// directory (the go command relinks only when the program changed) and
// returns the executable's path. The build runs in the program's folder,
// so that its module is found wherever the command was started.
func (a *app) buildProgram(ctx context.Context, cfg *config.Config, isDir bool) (string, error) {
	prog := cfg.Program
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", badInput("program %s (program in %s) is Go source, but the go command is not on PATH: install Go, or build the program and set program to the executable", prog, cfg.File)
	}
	dir, pkg := prog, "."
	if !isDir {
		dir, pkg = filepath.Dir(prog), "./"+filepath.Base(prog)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	sum := sha256.Sum256([]byte(prog))
	outDir := filepath.Join(cache, "retort", "program", hex.EncodeToString(sum[:8]))
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return "", fmt.Errorf("program %s (program in %s): %w", prog, cfg.File, err)
	}
	name := strings.TrimSuffix(filepath.Base(prog), ".go")
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	out := filepath.Join(outDir, name)
	build := exec.CommandContext(ctx, goCmd, "build", "-o", out, pkg)
	build.Dir = dir
	build.Stdout, build.Stderr = a.stderr, a.stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("program %s (program in %s): go build: %w", prog, cfg.File, err)
	}
	return out, nil
}
