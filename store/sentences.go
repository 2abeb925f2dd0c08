package store

// The sentences a claim lies in, and those around it: what the index
// holds for each claim (fts.go) and what /source shows. Pure functions.

import (
	"sort"
	"strings"
	"sync"
	"unicode"

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
	start, end, first, stop := spanSentences(body, sents, start, end)
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

// spanSentences clamps the span [start, end) to the body and returns it
// with the sentences that overlap it, sents[first:stop] (an empty span is
// in at most one), found by binary search.
func spanSentences(body string, sents []briefing.Sentence, start, end int) (int, int, int, int) {
	start = max(0, min(start, len(body)))
	end = max(start, min(end, len(body)))
	first := sort.Search(len(sents), func(i int) bool { return sents[i].End > start })
	stop := sort.Search(len(sents), func(i int) bool { return sents[i].Start >= end })
	if start == end {
		stop = sort.Search(len(sents), func(i int) bool { return sents[i].Start > start })
	}
	return start, end, first, stop
}

// claimSpans are where claimSentences finds a claim's sentence(s) and the
// sentences before and after them in its article's body: byte offsets,
// each [start, end), in the body's order. An empty before is at the
// sentence's start, an empty after at its end, so that before[0] to
// after[1] is the piece of the body that holds all three. The store keeps
// them with the claim (the columns sent_start to next_end of claims, on
// SQLite) and cuts the texts out of the body when a search reads the
// claim (cut).
type claimSpans struct {
	sentence, before, after [2]int
}

// spansOf returns the claimSpans of the span body[start:end] of a claim,
// with the body's sentences given: the texts claimSentences returns are
// their cut.
func spansOf(body string, sents []briefing.Sentence, start, end int) claimSpans {
	start, end, first, stop := spanSentences(body, sents, start, end)
	var sp claimSpans
	if first >= stop {
		// The span itself, trimmed of spaces as by strings.TrimSpace.
		span := body[start:end]
		rest := strings.TrimLeftFunc(span, unicode.IsSpace)
		at := start + len(span) - len(rest)
		sp.sentence = [2]int{at, at + len(strings.TrimRightFunc(rest, unicode.IsSpace))}
	} else {
		sp.sentence = [2]int{sents[first].Start, sents[stop-1].End}
	}
	sp.before = [2]int{sp.sentence[0], sp.sentence[0]}
	sp.after = [2]int{sp.sentence[1], sp.sentence[1]}
	if first < stop && first > 0 {
		sp.before = [2]int{sents[first-1].Start, sents[first-1].End}
	}
	if first < stop && stop < len(sents) {
		sp.after = [2]int{sents[stop].Start, sents[stop].End}
	}
	return sp
}

// cut returns the texts of the spans in piece, the body from
// sp.before[0] on (at least to sp.after[1]): the sentence, and its
// context (the sentences before and after, joined by a space), as
// claimSentences gives them and PostgreSQL's search index holds them.
// Spans that do not fit the piece (a damaged row) cut nothing, rather
// than panic.
func (sp claimSpans) cut(piece string) (sentence, context string) {
	return sp.sentenceIn(piece), strings.TrimSpace(sp.textIn(piece, sp.before) + " " + sp.textIn(piece, sp.after))
}

// sentenceIn is cut's sentence alone, for where the context is not
// wanted (SQLite's index row): no context is joined for nothing.
func (sp claimSpans) sentenceIn(piece string) string { return sp.textIn(piece, sp.sentence) }

// textIn returns the text of the span r in piece (see cut), or "" if it
// does not fit.
func (sp claimSpans) textIn(piece string, r [2]int) string {
	at := sp.before[0]
	if r[0] < at || r[1] < r[0] || r[1]-at > len(piece) {
		return ""
	}
	return piece[r[0]-at : r[1]-at]
}
