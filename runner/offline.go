package runner

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/sqlsplit"
)

// Offline writes the script a run would execute, with no database: the
// version table's DDL when starting from base, each step's statements
// after a "-- Running upgrade A -> B" comment, the version-table changes,
// and BEGIN/COMMIT as the policy and dialect want. start holds the
// revisions the database is assumed to be at (nil = base, and then the
// version table is created first).
func (r *Runner) Offline(ctx context.Context, w io.Writer, req Request, start []string) (*Result, error) {
	if req.Kind == Stamp && req.Purge {
		return nil, &OfflineError{Revision: "stamp", Msg: "--purge needs a live database; drop --sql, or leave out --purge"}
	}
	plan, err := r.plan(start, req, "")
	if err != nil {
		return nil, err
	}
	bodies, err := r.prepare(plan.Steps)
	if err != nil {
		return nil, err
	}
	x := &offlineExec{w: w, split: r.Dialect.SplitOptions()}
	txn := r.Dialect.Begin() != ""
	begin := func() {
		if txn {
			x.emit(r.Dialect.Begin())
		}
	}
	commit := func() {
		if txn {
			x.emit(r.Dialect.Commit())
		}
	}
	if r.Schema != "" {
		stmts, err := r.Dialect.SetSchema(r.Schema)
		if err != nil {
			return nil, err
		}
		for _, s := range stmts {
			x.emit(s)
		}
	}
	perStep := r.perMigration()
	if !perStep {
		begin()
	}
	if len(start) == 0 {
		x.emit(r.store().CreateTable())
	}
	for i, s := range plan.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		nt := noTx(s)
		if i > 0 && !nt && !perStep && s.Revision != nil && s.Revision.CommitBefore {
			commit()
			begin()
		}
		switch {
		case nt && !perStep:
			commit()
		case perStep && !nt:
			begin()
		}
		r.log().Info("Running " + s.String())
		fmt.Fprintf(w, "-- Running %s\n\n", s.String())
		if bodies[i] != nil {
			if err := bodies[i].Run(ctx, x); err != nil {
				return nil, err
			}
		}
		if x.err != nil {
			return nil, x.err
		}
		st := r.store()
		for _, rc := range s.Rows {
			switch rc.Kind {
			case revision.Insert:
				x.emit(st.Insert(rc.To))
			case revision.Update:
				x.emit(st.Update(rc.From, rc.To))
			case revision.Delete:
				x.emit(st.Delete(rc.From))
			}
		}
		switch {
		case nt && !perStep:
			begin()
		case perStep && !nt:
			commit()
		}
	}
	if len(plan.Heads) == 0 && req.Kind != Upgrade && len(plan.Steps) > 0 {
		x.emit(r.store().DropTable())
	}
	if !perStep {
		commit()
	}
	return &Result{Before: nonNil(start), Steps: plan.Steps, Durations: make([]time.Duration, len(plan.Steps)), Heads: plan.Heads}, x.err
}

type offlineExec struct {
	w   io.Writer
	err error
	// split is the dialect's syntax. With DelimiterCommand the script
	// is for a client that reads DELIMITER commands (mysql, mariadb), so
	// a statement with a ';' of its own (a routine or trigger body) is
	// written between DELIMITER lines.
	split sqlsplit.Options
}

func (x *offlineExec) emit(sql string) {
	if x.err != nil {
		return
	}
	sql = strings.TrimSpace(strings.ReplaceAll(sql, "\t", "    "))
	sql = strings.TrimSuffix(sql, ";")
	if d := x.delimiterFor(sql); d != "" {
		_, x.err = fmt.Fprintf(x.w, "DELIMITER %s\n%s%s\nDELIMITER ;\n\n", d, sql, d)
		return
	}
	_, x.err = fmt.Fprintf(x.w, "%s;\n\n", sql)
}

// delimiterFor returns the delimiter to write sql with, when it holds a
// ';' that the mysql client would cut it at, or "".
func (x *offlineExec) delimiterFor(sql string) string {
	if !x.split.DelimiterCommand || !strings.Contains(sql, ";") {
		return ""
	}
	if toks, err := sqlsplit.Tokens(sql, x.split); err == nil && !slices.Contains(toks, ";") {
		return "" // the ';' are inside strings or comments
	}
	for _, d := range []string{"//", "$$", ";;", "%%", "@@@"} {
		if !strings.Contains(sql, d) {
			return d
		}
	}
	return "//" + strings.Repeat("/", strings.Count(sql, "/")+1)
}

func (x *offlineExec) Exec(_ context.Context, sql string) error {
	x.emit(sql)
	return x.err
}

func (x *offlineExec) Querier() dialect.Querier { return nil }
