package store

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot/briefing"
)

func TestClaimSentences(t *testing.T) {
	body := seedAnalysis(t).Article.Body
	i := strings.Index(body, "The election of Trump")
	sent, before, after := ClaimSentences(body, i, i+20)
	if !strings.HasPrefix(sent, "“The election of Trump") || !strings.HasSuffix(sent, "Jerusalem as its capital.”") {
		t.Errorf("sentence %q", sent)
	}
	if !strings.HasPrefix(before, "The official made no mention") || !strings.HasPrefix(after, "Egyptian sources told") {
		t.Errorf("before %q, after %q", before, after)
	}
	if s, b, _ := ClaimSentences(body, 0, 10); !strings.HasPrefix(s, "Qatar has reportedly") || b != "" {
		t.Errorf("first: %q, before %q", s, b)
	}
	for _, r := range [][2]int{{-5, 3}, {len(body) - 2, len(body) + 10}, {len(body) + 5, len(body) + 9}, {20, 10}} {
		ClaimSentences(body, r[0], r[1]) // no panic
	}
	if s, _, _ := ClaimSentences("", 0, 0); s != "" {
		t.Errorf("empty body: %q", s)
	}
}

// ClaimSentences finds a span's sentences by binary search: the same as
// a scan over the sentences would, for every span of a short body.
func TestClaimSentencesEverySpan(t *testing.T) {
	body := "First one.  Second “quoted” one!\n\nThird, in a new paragraph. Fourth."
	sents := briefing.Segment(body)
	scan := func(start, end int) (string, string, string) {
		first, last := -1, -1
		for i, s := range sents {
			if s.End <= start && !(s.Start == start && start == end) {
				continue
			}
			if s.Start >= end && !(start == end && s.Start == start) {
				break
			}
			if first < 0 {
				first = i
			}
			last = i
		}
		if first < 0 {
			return strings.TrimSpace(body[start:end]), "", ""
		}
		var before, after string
		if first > 0 {
			before = sents[first-1].Text(body)
		}
		if last+1 < len(sents) {
			after = sents[last+1].Text(body)
		}
		return body[sents[first].Start:sents[last].End], before, after
	}
	for start := 0; start <= len(body); start++ {
		for end := start; end <= len(body); end++ {
			s, b, a := ClaimSentences(body, start, end)
			ws, wb, wa := scan(start, end)
			if s != ws || b != wb || a != wa {
				t.Fatalf("[%d:%d]: got %q, %q, %q; want %q, %q, %q", start, end, s, b, a, ws, wb, wa)
			}
		}
	}
}
