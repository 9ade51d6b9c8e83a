package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/retortdb/retort/dialect"
)

// TestTemplateAcrossProcesses makes the same template from four pools at
// once, as four test processes would (each has its own sync.Once): the
// advisory lock lets one make it and the others find it made.
func TestTemplateAcrossProcesses(t *testing.T) {
	raw := os.Getenv("RETORT_TEST_POSTGRES_URL")
	if raw == "" {
		t.Skip("set RETORT_TEST_POSTGRES_URL (or run ./scripts/test.sh) to run PostgreSQL tests")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	setup := []string{fmt.Sprintf("SELECT 1 -- %s", hex.EncodeToString(b))}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	var first *sql.DB
	for i := range errs {
		admin, err := sql.Open("pgx", raw)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Close() })
		if first == nil {
			first = admin
		}
		open := func(name string) (*sql.DB, error) {
			u, err := url.Parse(raw)
			if err != nil {
				return nil, errors.New("RETORT_TEST_POSTGRES_URL does not parse as a URL")
			}
			u.Path, u.RawPath = "/"+name, ""
			return sql.Open("pgx", u.String())
		}
		s := &testServer{srv: dialect.Server{Admin: admin, Open: open}, templates: map[string]*templateOnce{}}
		wg.Go(func() { _, errs[i] = s.template(t.Context(), setup) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	if _, err := first.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+Dialect{}.QuoteIdent(TemplateName(setup))+" WITH (FORCE)"); err != nil {
		t.Errorf("drop template: %v", err)
	}
}
