//go:build !linux

package script

import "os"

// statOS stamps the file at path with its size and mtime; the racy
// rule covers an edit that keeps both.
func statOS(path string) (fileStamp, bool) {
	info, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, false
	}
	return fileStamp{Size: info.Size(), MtimeNs: info.ModTime().UnixNano()}, true
}
