package triage

import "testing"

// NewFixtureOptions builds the end-to-end fixture and returns options that
// triage it into out, for the report tests of package triage_test.
func NewFixtureOptions(t *testing.T, out string) (seizureDir string, opt Options) {
	fx := newFixture(t)
	return fx.dir, fx.options(out)
}
