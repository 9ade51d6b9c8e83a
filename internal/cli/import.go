package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/importer"
)

// formatList names the formats for help texts.
func formatList() string {
	var names []string
	for _, f := range importer.Formats() {
		names = append(names, f.String())
	}
	return strings.Join(names, ", ")
}

// importJSON is the data of import.
type importJSON struct {
	Format    string               `json:"format"`
	Source    string               `json:"source"`
	Directory string               `json:"directory"`
	DryRun    bool                 `json:"dry_run"`
	Revisions []importRevisionJSON `json:"revisions"`
	Existing  []string             `json:"existing"`
	Problems  []problemJSON        `json:"problems"`
	Warnings  []problemJSON        `json:"warnings"`
}

type importRevisionJSON struct {
	Revision      string `json:"revision"`
	Revises       string `json:"revises"`
	Message       string `json:"message"`
	From          string `json:"from"`
	DownFrom      string `json:"down_from"`
	File          string `json:"file"`
	NoTransaction bool   `json:"no_transaction"`
	Downgrade     bool   `json:"downgrade"`
	Go            bool   `json:"go"`
	// Content is the file's text, in a dry run only.
	Content string `json:"content,omitempty"`
}

type problemJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

func problems(ps []importer.Problem) []problemJSON {
	out := []problemJSON{}
	for _, p := range ps {
		out = append(out, problemJSON{p.File, p.Line, p.Msg, p.Hint})
	}
	return out
}

func (a *app) importCmd() *cobra.Command {
	var req retort.ImportRequest
	cmd := &cobra.Command{
		Use:   "import FORMAT SRC_DIR",
		Short: "Write revisions from another tool's migration folder (" + formatList() + ")",
		Long: "Convert the migration folder of goose, golang-migrate, dbmate, sql-migrate, Flyway, Atlas or tern\n" +
			"into retort revision files in the version location: one revision per version, a linear chain\n" +
			"in the tool's order, each with '-- Imported From: <format> <file>'. Then run 'retort adopt FORMAT'\n" +
			"on each database the tool manages.",
		Args: args(2, 2),
		RunE: run(func(ctx context.Context, args []string) error {
			f, err := importer.ParseFormat(args[0])
			if err != nil {
				return err
			}
			req.Format, req.Dir = f, args[1]
			return a.runImport(ctx, req)
		}),
	}
	fl := cmd.Flags()
	fl.BoolVar(&req.DryRun, "dry-run", false, "show what would be written, and write nothing")
	fl.StringVar(&req.VersionPath, "version-path", "", "version location to write the files in")
	return cmd
}

func (a *app) runImport(ctx context.Context, req retort.ImportRequest) error {
	env, err := a.open(ctx)
	if err != nil {
		return err
	}
	defer env.Close()
	p := a.progress("file")
	defer p.stop()
	var started time.Time
	req.Progress = func(n, total int, path string, done bool, err error) {
		if !done {
			started = time.Now()
			p.begin(n, total, "write "+path)
			return
		}
		p.end(n, total, "write "+path, time.Since(started), err)
	}
	res, err := env.Import(ctx, req)
	if res != nil && len(res.Written) > 0 {
		p.summary("Wrote", len(res.Written))
	}
	data := importJSON{Format: req.Format.String(), Source: req.Dir, DryRun: req.DryRun,
		Revisions: []importRevisionJSON{}, Existing: []string{}, Problems: []problemJSON{}, Warnings: []problemJSON{}}
	var ie *importer.Error
	if errors.As(err, &ie) {
		data.Problems = problems(ie.Problems)
	}
	if res != nil {
		data.Directory = res.Dir
		data.Existing = nonNil(res.Existing)
		if res.Result != nil {
			data.Warnings = problems(res.Warnings)
			for _, r := range res.Revisions {
				rj := importRevisionJSON{Revision: r.ID, Revises: r.Revises, Message: r.Message, From: r.Source, DownFrom: r.DownSource,
					File: r.File, NoTransaction: r.NoTransaction, Downgrade: r.HasDowngrade, Go: r.Go}
				if req.DryRun && err == nil {
					rj.Content = string(r.Content)
				}
				data.Revisions = append(data.Revisions, rj)
			}
		}
	}
	if err != nil {
		if ie != nil {
			a.result(data, nil)
		}
		return err
	}
	for _, w := range res.Warnings {
		a.warn("%s", w)
	}
	a.result(data, func(w io.Writer) {
		verb := "Wrote"
		if req.DryRun {
			verb = "Would write"
		}
		for _, r := range data.Revisions {
			marks := ""
			if r.NoTransaction {
				marks += " [no-transaction]"
			}
			if !r.Downgrade {
				marks += " [no downgrade]"
			}
			if r.Go {
				marks += " [Go scaffold: port by hand]"
			}
			fmt.Fprintf(w, "%s %s/%s  (revision %s, from %s%s)\n", verb, res.Dir, r.File, r.Revision, r.From, marks)
		}
		if len(res.Existing) > 0 {
			fmt.Fprintf(w, "Already imported: %s\n", strings.Join(res.Existing, ", "))
		}
		if len(data.Revisions) == 0 {
			fmt.Fprintln(w, "Nothing new to import.")
		} else if !req.DryRun {
			fmt.Fprintf(w, "Next: 'retort adopt %s' on each database %s manages.\n", req.Format, req.Format)
		}
	})
	return nil
}

// adoptJSON is the data of adopt.
type adoptJSON struct {
	Format   string   `json:"format"`
	Table    string   `json:"table"`
	Applied  []string `json:"applied"`
	Through  string   `json:"through"`
	Revision string   `json:"revision"`
	Stamped  bool     `json:"stamped"`
	Dropped  bool     `json:"dropped"`
	DryRun   bool     `json:"dry_run"`
}

func (a *app) adoptCmd() *cobra.Command {
	var (
		req   retort.AdoptRequest
		table string
	)
	cmd := &cobra.Command{
		Use:   "adopt FORMAT",
		Short: "Stamp a database another tool managed at the matching imported revision",
		Long: "Read the old tool's version table (" + formatList() + ") in the configured database\n" +
			"and stamp the version table at the imported revision of its last applied version, in one\n" +
			"transaction, so that 'retort upgrade head' runs only what the old tool had not.",
		Args: args(1, 1),
		RunE: run(func(ctx context.Context, args []string) error {
			f, err := importer.ParseFormat(args[0])
			if err != nil {
				return err
			}
			req.Format = f
			if table != "" {
				schema, name, ok := strings.Cut(table, ".")
				if !ok {
					schema, name = "", table
				}
				if name == "" {
					return badInput("--table %q: give NAME or SCHEMA.NAME", table)
				}
				req.Table = dialect.Ident{Schema: schema, Name: name}
			}
			return a.runAdopt(ctx, req)
		}),
	}
	fl := cmd.Flags()
	fl.BoolVar(&req.DropOldTable, "drop-old-table", false, "drop the old tool's table in the same transaction (by default it stays, so you can go back)")
	fl.BoolVar(&req.DryRun, "dry-run", false, "read and match, change nothing")
	fl.StringVar(&table, "table", "", "the old tool's version table, NAME or SCHEMA.NAME, when not its default")
	return cmd
}

func (a *app) runAdopt(ctx context.Context, req retort.AdoptRequest) error {
	env, err := a.open(ctx)
	if err != nil {
		return err
	}
	defer env.Close()
	res, err := env.Adopt(ctx, req)
	if err != nil {
		return err
	}
	data := adoptJSON{Format: req.Format.String(), Table: res.Table.String(), Applied: nonNil(res.Applied), Through: res.Through,
		Revision: res.Revision, Stamped: res.Stamped, Dropped: res.Dropped, DryRun: req.DryRun}
	a.result(data, func(w io.Writer) {
		switch {
		case res.Through != "" && len(res.Applied) == 0:
			fmt.Fprintf(w, "%s table %s: applied through version %s\n", req.Format, data.Table, res.Through)
		default:
			fmt.Fprintf(w, "%s table %s: %d version(s) applied", req.Format, data.Table, len(res.Applied))
			if res.Through != "" {
				fmt.Fprintf(w, ", and every version through %s", res.Through)
			}
			fmt.Fprintln(w)
		}
		switch {
		case res.Revision == "":
			fmt.Fprintln(w, "Nothing applied: nothing to stamp; 'retort upgrade head' runs every imported revision.")
		case res.Stamped:
			fmt.Fprintf(w, "Stamped the version table at %s.\n", res.Revision)
		case req.DryRun:
			fmt.Fprintf(w, "Would stamp the version table at %s.\n", res.Revision)
		default:
			fmt.Fprintf(w, "The version table is already at %s.\n", res.Revision)
		}
		if res.Dropped {
			fmt.Fprintf(w, "Dropped %s.\n", data.Table)
		}
	})
	return nil
}
