// Command service is an example HTTP service on retort's appdb: it
// creates or upgrades its database at start-up (Sync), reports the
// database's health at /healthz, and serves a small customer API with a
// transaction per request and the typed model helpers.
//
//	go run ./examples/service                                  # SQLite file app.db
//	DATABASE_URL=postgres://user:pass@host/db go run ./examples/service
//
// ADDR sets the listening address (default 127.0.0.1:8080).
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/retortdb/retort/appdb"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	if err := run(ctx, addr, func(a net.Addr) { log.Printf("listening on http://%s", a) }); err != nil {
		log.Fatal(err)
	}
}

// config is the service's database configuration: the environment
// (DATABASE_URL, ...), the embedded migrations and the models.
func config() (appdb.Config, error) {
	cfg, err := appdb.ConfigFromEnv()
	if err != nil {
		return cfg, err
	}
	cfg.Migrations = migrationFiles
	cfg.MigrationsDir = "migrations/versions"
	cfg.Registry = registry
	cfg.Models = models
	cfg.Logger = slog.Default()
	return cfg, nil
}

// run opens the database, syncs it, and serves on addr until ctx ends.
func run(ctx context.Context, addr string, ready func(net.Addr)) error {
	cfg, err := config()
	if err != nil {
		return err
	}
	m, err := appdb.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	res, err := m.Sync(ctx)
	if err != nil {
		return fmt.Errorf("sync database: %w", err)
	}
	log.Print(res.Message())

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newHandler(m), ReadHeaderTimeout: 10 * time.Second}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
