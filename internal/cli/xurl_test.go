package cli

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// hostileURLValues are -x values that would change a database URL's
// structure (host, port, user, options) or escape an SQLite folder if
// they were pasted into it. Every one must be refused before anything
// connects.
var hostileURLValues = []string{
	"x?host=evil.example&x=",
	"x?port=6543",
	"x?user=postgres",
	"x?sslmode=disable",
	"x&host=evil.example",
	"x#frag",
	"evil@127.0.0.2",
	"app:pw@evil.example",
	"x:6543",
	"[::1]",
	"h1,h2",
	"x%3Fhost%3Devil.example",
	"%2e%2e",
	"%252e%252e",
	"x%00",
	"x y",
	"x'y",
	`x"y`,
	"x;DROP TABLE t",
	"x\ny",
	"x\ry",
	"x\ty",
	"x\x00y",
	"x\\y",
	"x$y",
	"x{y}",
	"x+y",
	"x=y",
	"x~y",
	"ｘ",           // fullwidth x
	"аpp",         // Cyrillic a
	"x\u200bx",    // zero-width space
	"x\u2024db",   // one dot leader, a look-alike of '.'
	"x\u2215y",    // division slash
	"x\u0085y",    // next line
	"x\xffy",      // not UTF-8
	"../../etc/x", // '/' outside a path; '..' inside one
	"a/../../b",
	"..",
	"",
	strings.Repeat("a", 5000),
}

// refuseListener accepts TCP connections on loopback and counts them;
// a test that expects nothing to connect fails when the count moves.
func refuseListener(t *testing.T) (port string, count *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	count = new(atomic.Int64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			count.Add(1)
			c.Close()
		}
	}()
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return port, count
}

func TestHostileXValuesNeverReachTheURL(t *testing.T) {
	port, connections := refuseListener(t)
	engines := []struct {
		name string
		url  string
	}{
		{"postgres database", "postgresql://app:s3cret@127.0.0.1:" + port + "/{x.v}?sslmode=disable"},
		{"postgres user", "postgresql://{x.v}:s3cret@127.0.0.1:" + port + "/app?sslmode=disable"},
		{"postgres option", "postgresql://app:s3cret@127.0.0.1:" + port + "/app?application_name={x.v}"},
		{"mysql database", "mysql://app:s3cret@127.0.0.1:" + port + "/{x.v}"},
		{"sqlite path", "sqlite:///tenants/sub/{x.v}.db"},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "migrations", "versions"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(dir, "tenants", "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			cfg := filepath.Join(dir, "retort.toml")
			toml := "[retort]\nscript_location = \"" + filepath.Join(dir, "migrations") + "\"\nurl = \"" + strings.ReplaceAll(e.url, "///", "///"+dir+"/") + "\"\n"
			if err := os.WriteFile(cfg, []byte(toml), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, v := range hostileURLValues {
				var stdout, stderr bytes.Buffer
				code := Main(context.Background(), []string{"-c", cfg, "-x", "v=" + v, "upgrade", "head"}, strings.NewReader(""), &stdout, &stderr)
				if code != 2 {
					t.Errorf("-x v=%q: exit %d, want 2; stderr:\n%s", v, code, stderr.String())
					continue
				}
				msg := stderr.String()
				if !strings.Contains(msg, "-x v") || !strings.Contains(msg, "{x.v}") {
					t.Errorf("-x v=%q: message does not name the argument and placeholder:\n%s", v, msg)
				}
				if strings.Contains(msg, "s3cret") {
					t.Errorf("-x v=%q: message shows the password:\n%s", v, msg)
				}
			}
			if n := connections.Load(); n != 0 {
				t.Fatalf("%d connection(s) reached the listener", n)
			}
			var created []string
			_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && p != cfg {
					created = append(created, p)
				}
				return nil
			})
			if len(created) > 0 {
				t.Fatalf("files were created: %v", created)
			}
		})
	}

	// The listener does see a run whose value is safe, so the silence
	// above means something.
	t.Run("safe value connects", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "versions"), 0o755); err != nil {
			t.Fatal(err)
		}
		cfg := filepath.Join(dir, "retort.toml")
		toml := "[retort]\nscript_location = \"" + dir + "\"\nurl = \"postgresql://app:s3cret@127.0.0.1:" + port + "/{x.v}?sslmode=disable&connect_timeout=2\"\n"
		if err := os.WriteFile(cfg, []byte(toml), 0o644); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		Main(context.Background(), []string{"-c", cfg, "-x", "v=tenant_01", "current"}, strings.NewReader(""), &stdout, &stderr)
		if connections.Load() == 0 {
			t.Fatalf("a safe value did not connect; stderr:\n%s", stderr.String())
		}
		if strings.Contains(stderr.String(), "s3cret") {
			t.Errorf("message shows the password:\n%s", stderr.String())
		}
	})
}
