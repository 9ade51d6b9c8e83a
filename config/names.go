package config

import (
	"fmt"
	"os"
	"slices"

	"github.com/BurntSushi/toml"

	"github.com/retortdb/retort/internal/fault"
)

// EnvNames returns the names of the [env.NAME] tables of the config file
// at path, sorted, without expanding or checking any value (shell
// completion of --name lists them even when the variables the
// environments use are not set).
func EnvNames(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Env map[string]toml.Primitive `toml:"env"`
	}
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return nil, fault.BadInput(fmt.Errorf("%s: %w", path, err))
	}
	names := make([]string, 0, len(doc.Env))
	for name := range doc.Env {
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}
