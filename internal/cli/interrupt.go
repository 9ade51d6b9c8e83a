package cli

import "strings"

// readOnly are the commands that only read and print: stopped by an
// interrupt, they leave nothing to roll back or clean up.
var readOnly = map[string]bool{
	"heads": true, "history": true, "current": true, "branches": true,
	"show": true, "graph": true, "list-templates": true, "help": true,
}

// Interruptible reports whether the command line args (without the
// program name) may run something that an interrupt must stop cleanly
// (a migration, a write, a scratch schema to drop), so that the caller
// turns SIGINT and SIGTERM into a cancelled context. It is false only for
// --version, help and the commands that only read; handling signals
// costs the process a thread at start-up. When in doubt (a flag it does
// not know that takes a value), it says true.
func Interruptible(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return true
		case a == "--version" || a == "-h" || a == "--help":
			continue
		case strings.HasPrefix(a, "-"):
			if valueFlags[a] {
				i++
			}
			continue
		}
		return !readOnly[a]
	}
	return false // --version or help alone
}
