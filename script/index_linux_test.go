//go:build linux

package script

import (
	"os"
	"path/filepath"
	"testing"
)

// TestStatxStampsAsStat pins that a file stamped through statx (the fast
// path) has the stamp stat gives it (the fallback where statx is
// missing), so that neither makes the other read every file again.
func TestStatxStampsAsStat(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "versions"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(root, "versions", "a1_first.sql")
	if err := os.WriteFile(file, []byte("-- Revision ID: a1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st := newStatter(root)
	defer st.close()
	st.open("versions")
	var buf []byte
	fast, ok := st.stat("versions/a1_first.sql", &buf)
	if !ok {
		t.Fatal("statx failed")
	}
	slow, ok := statOS(file)
	if !ok || fast != slow {
		t.Errorf("statx stamp %+v, stat stamp %+v", fast, slow)
	}
	if fast.Ino == 0 || fast.CtimeNs == 0 || fast.Size != 19 {
		t.Errorf("stamp %+v lacks inode, ctime or size", fast)
	}
	if _, ok := st.stat("versions/missing.sql", &buf); ok {
		t.Error("a missing file was stamped")
	}
	st.noStatx.Store(true)
	if again, ok := st.stat("versions/a1_first.sql", &buf); !ok || again != fast {
		t.Errorf("without statx: %+v, want %+v", again, fast)
	}
}
