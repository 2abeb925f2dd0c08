package store

// The sentences a claim lies in, and those around it: what the index
// holds for each claim (fts.go) and what /source shows. Pure functions.

import (
	"sort"
	"strings"
	"sync"

	"github.com/briefbot/briefbot/briefing"
)

// segmentCache keeps the sentences of the last body segmented: the
// migration asks for every claim of an article in turn.
var segmentCache struct {
	sync.Mutex
	body  string
	sents []briefing.Sentence
}

func segment(body string) []briefing.Sentence {
	segmentCache.Lock()
	defer segmentCache.Unlock()
	if body != segmentCache.body || segmentCache.sents == nil {
		segmentCache.body, segmentCache.sents = body, briefing.Segment(body)
	}
	return segmentCache.sents
}

// ClaimSentences returns, for the span body[start:end] of a claim, the
// sentence (or sentences, for a span that runs over several) holding it,
// exactly as written in the body, and the sentence just before and just
// after it ("" at the start or end of the body). Offsets out of range are
// clamped; a span in no sentence gives the span itself.
func ClaimSentences(body string, start, end int) (sentence, before, after string) {
	return claimSentences(body, segment(body), start, end)
}

// claimSentences is ClaimSentences with the body's sentences given. It
// finds them by binary search, so a claim costs the same in a body of any
// length.
func claimSentences(body string, sents []briefing.Sentence, start, end int) (sentence, before, after string) {
	start = max(0, min(start, len(body)))
	end = max(start, min(end, len(body)))
	// sents[first:stop] overlap the span; an empty span is in at most one.
	first := sort.Search(len(sents), func(i int) bool { return sents[i].End > start })
	stop := sort.Search(len(sents), func(i int) bool { return sents[i].Start >= end })
	if start == end {
		stop = sort.Search(len(sents), func(i int) bool { return sents[i].Start > start })
	}
	if first >= stop {
		return strings.TrimSpace(body[start:end]), "", ""
	}
	last := stop - 1
	sentence = body[sents[first].Start:sents[last].End]
	if first > 0 {
		before = sents[first-1].Text(body)
	}
	if last+1 < len(sents) {
		after = sents[last+1].Text(body)
	}
	return sentence, before, after
}
