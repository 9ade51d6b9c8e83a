package retort

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/usercache"
	"github.com/retortdb/retort/schema"
)

// targetCacheFormat changes whenever what is cached, or how, changes.
const targetCacheFormat = "retort-target-v3"

// cachedTarget returns the target schema read from schema.sql through a
// scratch schema on the server, reusing an earlier result when neither
// schema.sql, the server's version nor the inspection options changed:
// applying a large schema.sql costs seconds of DDL on the server, the
// lookup a hash. The cache lives in the user's cache folder
// (retort/targets); RETORT_CACHE=off (or the older
// RETORT_TARGET_CACHE=off) turns it off. A cache that
// cannot be read or written is ignored.
func (e *Env) cachedTarget(ctx context.Context, src []byte, build func() (*schema.Database, error)) (*schema.Database, error) {
	path := e.targetCachePath(ctx, src)
	if path != "" {
		if data, err := os.ReadFile(path); err == nil {
			var db schema.Database
			if json.Unmarshal(data, &db) == nil {
				return &db, nil
			}
		}
	}
	db, err := build()
	if err != nil || path == "" {
		return db, err
	}
	if data, err := json.Marshal(db); err == nil {
		if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
			tmp := path + "." + randomHex()
			if os.WriteFile(tmp, data, 0o644) == nil {
				_ = os.Rename(tmp, path)
			}
		}
	}
	return db, nil
}

// targetCachePath names the cache entry for src on this server, or ""
// when caching is off or the server's version cannot be read.
func (e *Env) targetCachePath(ctx context.Context, src []byte) string {
	dir := usercache.Dir("targets")
	if dir == "" {
		return ""
	}
	// The server and database count too: schema.sql may use types or
	// extensions that the database provides.
	id, ok := e.dialect.(dialect.ServerIdentifier)
	if !ok {
		return ""
	}
	var server string
	err := e.inTx(ctx, false, func(q dialect.Querier) error {
		var err error
		server, err = id.ServerIdentity(ctx, q)
		return err
	})
	if err != nil {
		return ""
	}
	h := sha256.New()
	for _, part := range []string{targetCacheFormat, e.dialect.Name(), server, strings.Join(e.includeList(), ","), strings.Join(e.cfg.ExcludeTables, ","), strings.Join(e.cfg.ExcludeSchemas, ","), strings.Join(e.cfg.ExcludeKinds, ",")} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(src)
	return filepath.Join(dir, hex.EncodeToString(h.Sum(nil))+".json")
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
