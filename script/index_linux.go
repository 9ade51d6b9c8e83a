//go:build linux

package script

import "syscall"

// statOS stamps the file at path with size, mtime, inode and ctime.
func statOS(path string) (fileStamp, bool) {
	var st syscall.Stat_t
	for {
		err := syscall.Stat(path, &st)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return fileStamp{}, false
		}
		break
	}
	return fileStamp{
		Size:    st.Size,
		MtimeNs: st.Mtim.Nano(),
		Ino:     int64(st.Ino),
		CtimeNs: st.Ctim.Nano(),
	}, true
}
