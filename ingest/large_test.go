package ingest

import (
	"strings"
	"testing"
)

// A seed larger than MAX_ARTICLE_BYTES (Load.MaxBytes) is reported as a
// bad file, with the limit, and never analyzed or stored; the other seeds
// are.
func TestSeedOverTheSizeLimit(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "library.txt", story(0, ""))
	write(t, dir, "huge.txt", story(1, strings.Repeat("More detail. ", 400)))
	s, lb, c := newSeeds(dir, openStore(t))
	s.Load.MaxBytes = 4096
	wantResult(t, sync1(t, s), Result{Added: 1, Bad: 1})
	if !strings.Contains(lb.String(), `reason="larger than 4096 bytes"`) || !strings.Contains(lb.String(), "huge.txt") {
		t.Errorf("the large seed is not reported with the limit:\n%s", lb)
	}
	if n := c.analyses.Load(); n != 1 {
		t.Errorf("%d analyses, want 1: only the seed within the limit", n)
	}
	if k := keys(t, s.Store); len(k) != 1 || k["seeds/library.txt"] == "" {
		t.Errorf("stored keys %v, want only seeds/library.txt", k)
	}
}
