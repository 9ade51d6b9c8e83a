package lint

// RulesOf is rulesOf for the tests of package lint_test.
var RulesOf = rulesOf
