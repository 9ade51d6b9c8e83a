package appdb

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net"
	"net/http"

	"github.com/retortdb/retort/dialect"
)

type txKey struct{}

// Tx returns the request's transaction, opened by Middleware; nil
// outside it.
func Tx(ctx context.Context) *sql.Tx {
	tx, _ := ctx.Value(txKey{}).(*sql.Tx)
	return tx
}

// Middleware gives every request a transaction on db, which handlers
// get with Tx(r.Context()). The transaction ends when the handler
// decides the response's status, before a byte of it is sent: a status
// below 400 commits, any other rolls back; so does a handler that
// returns without writing (200, commit) and one that panics before
// writing (rollback, then the panic goes on). A client is therefore
// never told of success that was not committed: when the commit fails,
// the response is 500 instead. The transaction is over once the
// status is written; do the database work first.
//
// A request whose transaction cannot begin is answered 503.
func Middleware(db *sql.DB) func(http.Handler) http.Handler {
	return middleware(db, dialectOf(db))
}

// Middleware is the package's Middleware on the Manager's database.
func (m *Manager) Middleware(next http.Handler) http.Handler {
	return middleware(m.db, m.dialect)(next)
}

func middleware(db *sql.DB, d dialect.Dialect) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				http.Error(w, "database unavailable", http.StatusServiceUnavailable)
				return
			}
			ctx = context.WithValue(ctx, txKey{}, tx)
			if d != nil {
				ctx = WithDialect(ctx, d)
			}
			tw := &txWriter{ResponseWriter: w, tx: tx}
			defer func() {
				if p := recover(); p != nil {
					if !tw.ended {
						tw.ended = true
						_ = tx.Rollback()
					}
					panic(p)
				}
				if !tw.wrote {
					tw.WriteHeader(http.StatusOK)
				}
			}()
			next.ServeHTTP(tw, r.WithContext(ctx))
		})
	}
}

// txWriter ends the transaction when the status is decided.
type txWriter struct {
	http.ResponseWriter
	tx     *sql.Tx
	ended  bool // the transaction is committed or rolled back
	wrote  bool // the final status is written
	failed bool // the commit failed: the handler's body is dropped
}

func (w *txWriter) WriteHeader(code int) {
	if w.wrote {
		return
	}
	if code < 200 { // informational: not the final status
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.wrote = true
	if !w.ended {
		w.ended = true
		if code < 400 {
			if err := w.tx.Commit(); err != nil {
				w.failed = true
				http.Error(w.ResponseWriter, "database commit failed", http.StatusInternalServerError)
				return
			}
		} else {
			_ = w.tx.Rollback()
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

// errCommitFailed is what writes return after a failed commit.
var errCommitFailed = errors.New("appdb: the transaction's commit failed; the response is 500")

func (w *txWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if w.failed {
		return 0, errCommitFailed
	}
	return w.ResponseWriter.Write(b)
}

// Flush decides the status (200) before flushing.
func (w *txWriter) Flush() {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok && !w.failed {
		f.Flush()
	}
}

// Hijack hands the connection over; the transaction rolls back first.
func (w *txWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	if !w.ended {
		w.ended, w.wrote = true, true
		_ = w.tx.Rollback()
	}
	return h.Hijack()
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *txWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Health is the JSON body of HealthHandler.
type Health struct {
	// Status is a State's String ("up_to_date", ...) or "error".
	Status  string   `json:"status"`
	Current []string `json:"current"`
	Latest  []string `json:"latest"`
	// Error says why the status could not be read.
	Error string `json:"error,omitempty"`
}

// HealthHandler answers with the database's Status as JSON, {"status":
// "up_to_date", "current": [...], "latest": [...]}: 200 when the database
// is up to date, 503 otherwise (no version table, upgrade available,
// database ahead, or unreachable: then status is "error" and error says
// why), so that a readiness probe keeps traffic away until Sync is done.
func HealthHandler(m *Manager) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := Health{Current: []string{}, Latest: []string{}}
		code := http.StatusServiceUnavailable
		st, err := m.Status(r.Context())
		if err != nil {
			h.Status, h.Error = "error", err.Error()
		} else {
			h.Status = st.State.String()
			if st.Current != nil {
				h.Current = st.Current
			}
			if st.Latest != nil {
				h.Latest = st.Latest
			}
			if st.State == UpToDate {
				code = http.StatusOK
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(h)
	})
}
