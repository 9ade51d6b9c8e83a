// Package usercache says whether, and where, retort keeps what it caches
// between runs in the user's cache folder.
package usercache

import (
	"os"
	"path/filepath"
	"strings"
)

// Off reports whether the user turned caching off: RETORT_CACHE=off
// turns off every cache of retort; the older RETORT_TARGET_CACHE=off
// still turns off the target cache, which passes kind "targets".
func Off(kind string) bool {
	if strings.EqualFold(os.Getenv("RETORT_CACHE"), "off") {
		return true
	}
	return kind == "targets" && strings.EqualFold(os.Getenv("RETORT_TARGET_CACHE"), "off")
}

// Dir returns the folder of the cache kind (os.UserCacheDir()/retort/kind),
// or "" when caching is off or the user has no cache folder.
func Dir(kind string) string {
	if Off(kind) {
		return ""
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "retort", kind)
}
