package store

// Search: the index gives candidates for a question's words (fts.go), and
// they are ranked here, in Go, with no SQL.

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// Hit is a claim found by a search, with the article it comes from.
type Hit struct {
	Index   int // the claim's index in its article's claims
	Claim   briefing.Claim
	Article ArticleInfo
	Speaker bool // the question names the claim's speaker

	claimID           int64
	score             float64 // the ranking: BM25 × boosts × recency, higher is better
	bm25              float64 // FTS5's bm25 with the column weights, negated: higher is better
	coverage          float64 // the part of the question's topic words the claim matches, 0 to 1
	relevant          bool    // good enough to answer with (see Search)
	sentence, context string  // the claim's sentence(s), and those around them
}

// ArticleInfo is what a hit says about its article.
type ArticleInfo struct {
	ID, Name, Title, Headline, Source, URL string
	Published                              time.Time // zero if unknown
	IngestedAt                             time.Time
	Seq                                    int64
}

// SearchOptions tune a search.
type SearchOptions struct {
	Space      string    // whose articles: the space's own and the global ones (see spaces.go)
	Limit      int       // relevant hits to return; 0 means 3
	Attributed bool      // only claims with a speaker (not the article's own voice)
	Now        time.Time // for recency; zero means time.Now
}

// SearchResult is the answer to a search.
type SearchResult struct {
	Hits []Hit // relevant hits, best first, at most Limit
	Near []Hit // when there are no relevant hits, the closest ones (at most 5)
}

// Ranking parameters (and bm25Weights, the index's column weights).
const (
	candidateLimit = 40   // FTS5 candidates re-ranked per search
	rankBudget     = 1200 // most matches ranked by BM25 in one search (see candidates): 0.6 to 3 µs of CPU each on SQLite
	recentPool     = 400  // matches ranked when there are too many: the newest

	// minCoverage is the relevance threshold: a claim answers a question
	// when it matches at least this part of the question's topic words,
	// weighted by how rare each word is in the index (a word no article
	// has weighs the most), and matches one in the claim itself.
	minCoverage = 0.5

	// minRelativeScore keeps an answer to the claims that bear on the
	// question about as much as the best one: a relevant hit scoring
	// below this part of the first one's score is left out.
	minRelativeScore = 0.35
)

// Search finds the claims that bear on question among the claims of the
// articles opt.Space sees (its own and the global ones): the FTS5 index
// gives candidates ranked by BM25 over the question's words, and each
// candidate is scored
//
//	score = bm25 × (1 + 0.5 speaker + 0.25 role + 0.15 entities) × (0.5 + coverage) × recency
//
// where speaker is 1 when the question names the claim's speaker, role
// when it names a word of the speaker's role ("Hamas" for a "Hamas
// Political Bureau member"), entities counts (up to 2) names written with a
// capital in the question that the claim itself mentions, coverage is the
// share of the question's topic words the claim matches (each weighted by
// its IDF; a word matched only in the headline or surrounding sentences
// counts half), and recency = 1 + 0.1 / (1 + age/30 days) gently favours
// newer articles. Hits whose coverage is below minCoverage, or that match
// no topic word in the claim, its sentence or its speaker, are not
// relevant, and neither are those scoring below minRelativeScore of the
// best. Of claims whose spans overlap in one article, only the best is
// kept.
func (s *Store) Search(ctx context.Context, question string, opt SearchOptions) (*SearchResult, error) {
	if opt.Limit <= 0 {
		opt.Limit = 3
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	terms := parseQuestion(question)
	res := &SearchResult{}
	if len(terms) == 0 {
		return res, nil
	}
	if err := s.weigh(ctx, terms); err != nil {
		return nil, fmt.Errorf("store: search %q: %w", question, err)
	}
	hits, err := s.candidates(ctx, opt.Space, terms, opt.Attributed)
	if err != nil {
		return nil, fmt.Errorf("store: search %q: %w", question, err)
	}
	sc := newHitScorer(terms)
	for i := range hits {
		sc.score(&hits[i], opt.Now)
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		if hits[i].Article.Seq != hits[j].Article.Seq {
			return hits[i].Article.Seq > hits[j].Article.Seq
		}
		return hits[i].claimID < hits[j].claimID
	})
	hits = dropOverlaps(hits)
	for _, h := range hits {
		if len(res.Hits) == opt.Limit {
			break
		}
		if h.relevant && (len(res.Hits) == 0 || h.score >= minRelativeScore*res.Hits[0].score) {
			res.Hits = append(res.Hits, h)
		}
	}
	if len(res.Hits) == 0 {
		for _, h := range hits {
			if len(res.Near) == 5 {
				break
			}
			res.Near = append(res.Near, h)
		}
	}
	return res, nil
}

// weigh sets each term's document frequency among the claims, and its
// weight: its IDF, none for a soft word. Frequencies are counted over the
// whole index, every space's claims included, as over a background
// corpus: one count per word, and no text of another space in the answer.
func (s *Store) weigh(ctx context.Context, terms []qterm) error {
	n, err := s.docFreqs(ctx, terms)
	if err != nil {
		return err
	}
	for i := range terms {
		terms[i].idf = idf(n, terms[i].df)
		if !terms[i].soft {
			terms[i].weight = terms[i].idf
		}
	}
	return nil
}

func idf(n, df float64) float64 {
	return math.Log(1 + (max(n, df)-df+0.5)/(df+0.5))
}

// candidates returns the claims a search re-ranks, at most candidateLimit
// of them, with their articles: the best FTS5 matches by BM25 of the
// question's words, as many of them as keeps the rows to rank within
// rankBudget, rarest first (a claim that answers the question has its
// rare words, which weigh the most), and soft words only if no topic word
// is among them (a claim with none of the topic words in it cannot
// answer). When even the rarest topic word is in
// more claims than that, the candidates are the newest claims with all
// the topic words, else with any of them, ranked by BM25.
func (s *Store) candidates(ctx context.Context, space string, terms []qterm, attributed bool) ([]Hit, error) {
	byDF := make([]qterm, 0, len(terms))
	for _, t := range terms {
		if t.df > 0 {
			byDF = append(byDF, t)
		}
	}
	if len(byDF) == 0 {
		return nil, nil
	}
	sort.SliceStable(byDF, func(i, j int) bool {
		if byDF[i].soft != byDF[j].soft {
			return !byDF[i].soft
		}
		return byDF[i].df < byDF[j].df
	})
	if byDF[0].soft || byDF[0].df <= rankBudget {
		var core []qterm
		sum := 0.0
		for _, t := range byDF {
			if len(core) > 0 && (sum+t.df > rankBudget || t.soft && !core[0].soft) {
				continue
			}
			core = append(core, t)
			sum += t.df
		}
		return s.matches(ctx, space, matchCore(core, terms), false, attributed)
	}
	var topic []qterm
	for _, t := range byDF {
		if !t.soft {
			topic = append(topic, t)
		}
	}
	var hits []Hit
	if len(topic) > 1 {
		var err error
		if hits, err = s.matches(ctx, space, matchAll(topic), true, attributed); err != nil || len(hits) >= candidateLimit/2 {
			return hits, err
		}
	}
	more, err := s.matches(ctx, space, matchAny(topic), true, attributed)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, h := range hits {
		seen[h.claimID] = true
	}
	for _, h := range more {
		if !seen[h.claimID] && len(hits) < candidateLimit {
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// hitScorer scores the hits of one search. What a text holds of the
// question is a set of the terms, one bit each (maxTerms of them at most),
// and the terms each word matches are found once per search (the hits of
// an article share their title, headline and sentences). Only the words
// that begin as a term's stem does are looked at: a Porter stem begins
// with its word's first letter (TestPorterStemKeepsFirstByte), so no other
// word can match a term.
type hitScorer struct {
	terms  []qterm
	byWord map[string]termSet // word, folded, to the terms its stem matches
	first  [256]bool          // the first bytes of the terms' stems
	buf    []byte
}

// termSet is a set of a search's terms: bit i is terms[i].
type termSet uint16

const _ = uint(16 - maxTerms) // a termSet holds every term

func newHitScorer(terms []qterm) *hitScorer {
	sc := &hitScorer{terms: terms, byWord: map[string]termSet{}}
	for _, t := range terms {
		for _, stem := range append([]string{t.stem}, t.fstems...) {
			if stem != "" {
				sc.first[stem[0]] = true
			}
		}
	}
	return sc
}

// termsIn returns the terms the texts hold: those t for which
// t.in(stems(texts...)).
func (sc *hitScorer) termsIn(texts ...string) termSet {
	var in termSet
	for _, s := range texts {
		sc.buf = foldedWordsFrom(s, sc.buf, &sc.first, func(word []byte) {
			m, ok := sc.byWord[string(word)]
			if !ok {
				w := string(word)
				stem := porterStem(w)
				for i, t := range sc.terms {
					if t.matches(stem) {
						m |= 1 << i
					}
				}
				sc.byWord[w] = m
			}
			in |= m
		})
	}
	return in
}

// score computes h's coverage, boosts, relevance and score (see Search);
// terms are those of newHitScorer.
func (sc *hitScorer) score(h *Hit, now time.Time) {
	c := h.Claim
	primary := sc.termsIn(c.Text, h.sentence, c.Via, h.Article.Source)
	speaker := sc.termsIn(c.Speaker)
	role := sc.termsIn(c.SpeakerRole)
	secondary := sc.termsIn(h.Article.Title, h.Article.Headline, h.context)
	var total, matched float64
	strong, speakerHit, roleHit, entities := false, false, false, 0
	for i, t := range sc.terms {
		bit := termSet(1) << i
		total += t.weight
		inSpeaker, inRole, inPrimary := speaker&bit != 0, role&bit != 0, primary&bit != 0
		switch {
		case inSpeaker:
			speakerHit = speakerHit || !t.soft
		case inRole:
			roleHit = roleHit || !t.soft
		}
		switch {
		case inPrimary || inSpeaker || inRole:
			matched += t.weight
			strong = strong || !t.soft
			if t.proper && inPrimary {
				entities++
			}
		case secondary&bit != 0:
			matched += t.weight / 2
		}
	}
	if total > 0 {
		h.coverage = matched / total
	}
	boost := 1 + 0.15*float64(min(entities, 2))
	if speakerHit {
		boost += 0.5
	} else if roleHit {
		boost += 0.25
	}
	h.Speaker = speakerHit || roleHit
	when := h.Article.Published
	if when.IsZero() {
		when = h.Article.IngestedAt
	}
	age := max(0, now.Sub(when).Hours()/24)
	recency := 1 + 0.1/(1+age/30)
	h.score = h.bm25 * boost * (0.5 + h.coverage) * recency
	h.relevant = strong && h.coverage >= minCoverage
}

// dropOverlaps keeps, of hits whose spans overlap in one article, the
// first (best) one.
func dropOverlaps(hits []Hit) []Hit {
	out := hits[:0]
	for _, h := range hits {
		dup := false
		for i := range out { // by index: a Hit is large to copy, and out is compared with every hit
			k := &out[i]
			if h.Claim.Start < k.Claim.End && k.Claim.Start < h.Claim.End && k.Article.ID == h.Article.ID {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, h)
		}
	}
	return out
}
