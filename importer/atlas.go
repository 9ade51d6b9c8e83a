package importer

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"path"
	"strings"
)

// atlasSumFile is the integrity file of an Atlas migration folder.
const atlasSumFile = "atlas.sum"

// AtlasSum computes the atlas.sum of the named files (base names, in
// Atlas's order: by name) with their contents: the first line "h1:" and
// the hash of the lines after it, then "<file> h1:<hash>" for each file,
// each hash taken over the names and contents of that file and every
// file before it.
func AtlasSum(names []string, contents [][]byte) string {
	h := sha256.New()
	var lines strings.Builder
	total := sha256.New()
	for i, n := range names {
		h.Write([]byte(n))
		h.Write(contents[i])
		sum := base64.StdEncoding.EncodeToString(h.Sum(nil))
		lines.WriteString(n + " h1:" + sum + "\n")
		total.Write([]byte(n))
		total.Write([]byte(sum))
	}
	return "h1:" + base64.StdEncoding.EncodeToString(total.Sum(nil)) + "\n" + lines.String()
}

// checkAtlasSum checks atlas.sum against the folder's files, as Atlas
// does before it runs anything.
func checkAtlasSum(fsys fs.FS, dir string, files []string, c *collector) {
	sum, err := fs.ReadFile(fsys, path.Join(dir, atlasSumFile))
	if err != nil {
		c.fatal(atlasSumFile, 0, "no atlas.sum in the folder: Atlas refuses to run it too",
			"run 'atlas migrate hash' in the folder, check the result, and import again")
		return
	}
	var names []string
	var contents [][]byte
	for _, f := range files {
		if !strings.HasSuffix(f, ".sql") || strings.Contains(f, "/") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, f))
		if err != nil {
			c.fatal(f, 0, "cannot read: "+err.Error(), "check the file")
			return
		}
		names, contents = append(names, f), append(contents, b)
	}
	want := map[string]string{}
	var wantOrder []string
	sc := bufio.NewScanner(strings.NewReader(string(sum)))
	n := 0
	for sc.Scan() {
		n++
		l := strings.TrimSpace(sc.Text())
		if n == 1 || l == "" {
			continue
		}
		i := strings.LastIndex(l, " h1:")
		if i < 0 {
			c.fatal(atlasSumFile, n, "cannot read this line", "it should be '<file> h1:<hash>'; run 'atlas migrate hash'")
			return
		}
		want[l[:i]] = l[i+4:]
		wantOrder = append(wantOrder, l[:i])
	}
	got := AtlasSum(names, contents)
	if got == string(sum) || got == strings.ReplaceAll(string(sum), "\r\n", "\n") {
		return
	}
	gotLines := strings.Split(strings.TrimSpace(got), "\n")[1:]
	for _, l := range gotLines {
		i := strings.LastIndex(l, " h1:")
		name, hash := l[:i], l[i+4:]
		w, ok := want[name]
		switch {
		case !ok:
			c.fatal(name, 0, "not listed in atlas.sum: Atlas refuses the folder until it is",
				"run 'atlas migrate hash' if the file belongs there, or remove it")
			return
		case w != hash:
			c.fatal(name, 0, "does not match its hash in atlas.sum: this file (or one before it) changed after atlas.sum was written",
				"restore the file, or run 'atlas migrate hash' if the change is wanted, and import again")
			return
		}
	}
	for _, name := range wantOrder {
		if !strings.Contains(got, name+" h1:") {
			c.fatal(atlasSumFile, 0, "lists "+name+", which is not in the folder", "restore the file, or run 'atlas migrate hash'")
			return
		}
	}
	c.fatal(atlasSumFile, 1, "the folder's total hash does not match the first line of atlas.sum", "run 'atlas migrate hash' and import again")
}
