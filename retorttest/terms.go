package retorttest

// Terms are the words the kit's messages use for the settings a user
// changes, so that each audience reads its own: [GoTerms] (the default)
// names the fields of [Config] for go test users; [CLITerms] names the
// config keys and flags of `retort test`.
type Terms struct {
	// Target is where the target schema is set.
	Target string
	// Models is where the models' tables are set.
	Models string
	// Data is where data fixtures are set.
	Data string
	// MinimumDowngradeRevision is where downgrades are stopped.
	MinimumDowngradeRevision string
	// URL is where the server to test on is named.
	URL string
}

// GoTerms name the fields of [Config].
var GoTerms = Terms{
	Target:                   "Config.Target (the *schema.Database the migrations must produce)",
	Models:                   "Config.Models (the tables the application's structs map to)",
	Data:                     "Config.BeforeRevisionData or Config.AtRevisionData",
	MinimumDowngradeRevision: "Config.MinimumDowngradeRevision",
	URL:                      "Config.URL",
}

// CLITerms name the retort.toml keys and flags of `retort test`.
var CLITerms = Terms{
	Target:                   "target_schema in retort.toml (a schema.sql the migrations must produce)",
	Models:                   "retorttest.Config.Models in a Go test (retort test has no models)",
	Data:                     "retorttest.Config.BeforeRevisionData or AtRevisionData in a Go test (retort test has no data fixtures)",
	MinimumDowngradeRevision: "--minimum-downgrade-revision",
	URL:                      "--url",
}

// terms returns the words for c's audience.
func (c *Config) terms() Terms {
	if c.Terms != nil {
		return *c.Terms
	}
	return GoTerms
}
