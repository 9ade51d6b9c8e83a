package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"
)

// fallbackEditors are tried, in order, when neither $EDITOR nor $VISUAL
// names one.
var fallbackEditors = []string{"sensible-editor", "editor", "nano", "vim", "vi"}

func (a *app) editCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "edit REV",
		Short: "Open the file of revision REV ('current' for the database's) in $EDITOR",
		Args:  args(1, 1),
		RunE: run(func(ctx context.Context, args []string) error {
			env, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer env.Close()
			revs, err := a.resolveSymbol(ctx, env, args[0])
			if err != nil {
				return err
			}
			if len(revs) == 0 {
				if args[0] == "current" {
					return badInput("No current revisions")
				}
				return badInput("No revision files indicated by symbol '%s'", args[0])
			}
			files := []string{}
			for _, r := range revs {
				if env.Script(r.ID) == nil {
					return badInput("revision %s is written in Go (%s); open that file in your editor", r.ID, r.Source)
				}
				p := revisionPath(env, r)
				if err := a.openEditor(ctx, p); err != nil {
					return err
				}
				files = append(files, p)
			}
			a.result(editJSON{Files: files}, nil)
			return nil
		}),
	}
}

// editJSON is edit's data: the files opened.
type editJSON struct {
	Files []string `json:"files"`
}

// editor finds the editor to run: $EDITOR, $VISUAL (a path or a command
// with arguments), then the first of fallbackEditors on PATH.
func editor() ([]string, error) {
	for _, v := range []string{"EDITOR", "VISUAL"} {
		if f := strings.Fields(os.Getenv(v)); len(f) > 0 {
			if _, err := exec.LookPath(f[0]); err != nil {
				return nil, badInput("$%s names %s, which is not an executable file: %v", v, f[0], err)
			}
			return f, nil
		}
	}
	for _, e := range fallbackEditors {
		if p, err := exec.LookPath(e); err == nil {
			return []string{p}, nil
		}
	}
	return nil, badInput("No suitable editor found. Please set the \"EDITOR\" or \"VISUAL\" environment variables")
}

func (a *app) openEditor(ctx context.Context, path string) error {
	ed, err := editor()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, ed[0], append(ed[1:], path)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = a.stdin, a.info(), a.stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("Error executing editor (%s): %v", ed[0], err)
		}
		return fmt.Errorf("Error executing editor (%s): %w", ed[0], err)
	}
	return nil
}
