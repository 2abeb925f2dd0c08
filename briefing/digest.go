package briefing

import (
	"math"
	"sort"
	"time"
)

// DigestOptions bound a digest of several articles.
type DigestOptions struct {
	MaxArticles       int // most stories shown in full; 0 means 10
	MaxWords          int // most words across the stories shown; 0 means 600
	BulletsPerArticle int // most bullets per story; 0 means 3
}

func (o DigestOptions) withDefaults() DigestOptions {
	if o.MaxArticles <= 0 {
		o.MaxArticles = 10
	}
	if o.MaxWords <= 0 {
		o.MaxWords = 600
	}
	if o.BulletsPerArticle <= 0 {
		o.BulletsPerArticle = 3
	}
	return o
}

// Digest is several briefings grouped by story, most important first.
type Digest struct {
	Stories []Story
	Omitted []Briefing // stories left out for size, most important first
}

// Story is one news story: the briefing of its most important article,
// and other articles that tell the same story.
type Story struct {
	Briefing
	Related []Briefing
}

// Articles counts every article in the digest, shown or omitted.
func (d Digest) Articles() int {
	n := len(d.Omitted)
	for _, s := range d.Stories {
		n += 1 + len(s.Related)
	}
	return n
}

// MakeDigest groups briefings into stories (articles whose headline and gist
// say much the same thing), orders the stories by importance (the
// briefing's score, plus a bonus for the most recent articles), and keeps as
// many as fit the options. The result depends only on the input.
func MakeDigest(bs []Briefing, opt DigestOptions) Digest {
	opt = opt.withDefaults()
	if len(bs) == 0 {
		return Digest{}
	}
	var newest time.Time
	for _, b := range bs {
		if b.Published.After(newest) {
			newest = b.Published
		}
	}
	rank := make([]float64, len(bs))
	for i, b := range bs {
		rank[i] = b.Score
		if !b.Published.IsZero() {
			age := newest.Sub(b.Published).Hours() / 24
			rank[i] += 0.2 * math.Exp(-age/2)
		}
	}
	order := make([]int, len(bs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := order[x], order[y]
		if rank[a] != rank[b] {
			return rank[a] > rank[b]
		}
		if !bs[a].Published.Equal(bs[b].Published) {
			return bs[a].Published.After(bs[b].Published)
		}
		return bs[a].ArticleID < bs[b].ArticleID
	})

	// Group articles on the same story under the most important one.
	voc := newVocab()
	vecs := make([]vec, len(bs))
	for i, b := range bs {
		vecs[i] = voc.terms(b.Headline+" "+b.Gist, true)
	}
	var stories []Story
	var leads []int
	for _, i := range order {
		joined := false
		for k, l := range leads {
			if cosine(vecs[i], vecs[l]) > 0.45 {
				stories[k].Related = append(stories[k].Related, bs[i])
				joined = true
				break
			}
		}
		if !joined {
			leads = append(leads, i)
			stories = append(stories, Story{Briefing: bs[i]})
		}
	}

	var d Digest
	words := 0
	for _, s := range stories {
		if len(s.Bullets) > opt.BulletsPerArticle {
			s.Bullets = s.Bullets[:opt.BulletsPerArticle]
		}
		n := wordCount(s.Headline)
		for _, bl := range s.Bullets {
			n += wordCount(bl.Line)
		}
		if len(d.Stories) >= opt.MaxArticles || len(d.Stories) > 0 && words+n > opt.MaxWords {
			d.Omitted = append(d.Omitted, s.Briefing)
			d.Omitted = append(d.Omitted, s.Related...)
			continue
		}
		words += n
		d.Stories = append(d.Stories, s)
	}
	return d
}
