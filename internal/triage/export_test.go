package triage

import (
	"context"
	"testing"
)

// NewFixtureOptions builds the end-to-end fixture and returns options that
// triage it into out, for the report tests of package triage_test.
func NewFixtureOptions(t *testing.T, out string) (seizureDir string, opt Options) {
	fx := newFixture(t)
	return fx.dir, fx.options(out)
}

// Collected is a Result with its streams read into memory, for tests.
type Collected struct {
	*Result
	Files       []*File
	Groups      []*Group
	ReviewOrder []string
}

// RunCollected runs a triage and reads its streams; the result is closed
// when the test ends.
func RunCollected(t testing.TB, ctx context.Context, opt Options) (*Collected, error) {
	t.Helper()
	res, err := Run(ctx, opt)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { res.Close() })
	c := &Collected{Result: res}
	err = res.EachFile(ctx, func(f *File, _ int) error { c.Files = append(c.Files, f); return nil })
	if err == nil {
		err = res.EachGroup(ctx, 1, 0, func(g *Group) error { c.Groups = append(c.Groups, g); return nil })
	}
	if err == nil {
		err = res.EachReview(ctx, func(p string) error { c.ReviewOrder = append(c.ReviewOrder, p); return nil })
	}
	if err != nil {
		t.Fatalf("read result: %v", err)
	}
	return c, nil
}

// NewVideoFixture builds the videos of TestVideos (skipping without
// ffmpeg) and returns options that triage them into out.
func NewVideoFixture(t *testing.T) (out string, opt Options) {
	ffmpegOrSkip(t)
	_, out, opt = videoFixture(t)
	return out, opt
}
