package benchfmt

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// Result is one command's row of a hyperfine JSON export (--export-json),
// in seconds. Marshalled, it keeps hyperfine's field names and order.
type Result struct {
	Command string    `json:"command"`
	Mean    float64   `json:"mean"`
	Stddev  float64   `json:"stddev"`
	Median  float64   `json:"median"`
	Min     float64   `json:"min"`
	Max     float64   `json:"max"`
	Times   []float64 `json:"times"`
}

// ReadFile reads the results of one hyperfine JSON export. An error
// reading the file is returned as it is (it names the file); one parsing
// it is prefixed with the file's path.
func ReadFile(path string) ([]Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(path, data)
}

// ReadDir reads every *.json export in dir, in name order, and returns
// their results one after the other. A file that does not parse
// (hyperfine still running, or killed) is left out with a line on the
// standard logger, "skipping FILE: ERROR"; a file that cannot be read is
// an error.
func ReadDir(dir string) ([]Result, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var out []Result
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		rows, err := parse(f, data)
		if err != nil {
			log.Printf("skipping %v", err)
			continue
		}
		out = append(out, rows...)
	}
	return out, nil
}

func parse(path string, data []byte) ([]Result, error) {
	var doc struct{ Results []Result }
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc.Results, nil
}

// Find returns the first row whose command starts with prefix, or nil.
func Find(rows []Result, prefix string) *Result {
	for i := range rows {
		if strings.HasPrefix(rows[i].Command, prefix) {
			return &rows[i]
		}
	}
	return nil
}
