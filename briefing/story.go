package briefing

import (
	"sort"
	"strings"
	"time"
)

// This file is the contract between the story engine and its users (store,
// bot, the stories command). The implementation here is a first, naive one:
// grouping by headline and gist similarity, claims merged when their text is
// the same, no disputes or discrepancies yet.

// StoryOptions tune how articles are grouped into stories.
type StoryOptions struct {
	Window time.Duration // an article joins a story only if the story had an article this recent; 0 means 72h
}

func (o StoryOptions) withDefaults() StoryOptions {
	if o.Window <= 0 {
		o.Window = 72 * time.Hour
	}
	return o
}

// Grouper assigns analysed articles to stories as they arrive. It keeps only
// the articles within the window of the newest one it has seen, so its memory
// is bounded by the window. It is not safe for concurrent use. See group.go
// for how articles are compared.
type Grouper struct {
	opt StoryOptions
	idx groupIndex
}

// NewGrouper returns an empty grouper.
func NewGrouper(opt StoryOptions) *Grouper {
	return &Grouper{opt: opt.withDefaults(), idx: newGroupIndex()}
}

// Add places an article in a story and returns the story's ID: the ID of an
// existing story if the article reports the same event and the story had an
// article within the window before at, otherwise a new story's ID, which is
// the article's ID. at is when the article was published (or arrived, if its
// publication time is unknown). The result depends only on the articles added
// before, in order.
func (g *Grouper) Add(an *Analysis, at time.Time) string {
	terms := storyTerms(an)
	g.idx.expire(at, g.opt.Window)
	best := g.idx.match(terms)
	if best == "" {
		best = an.Article.ID
	}
	g.idx.insert(terms, at, best)
	return best
}

// Restore adds an article whose story is already known (read back from the
// store after a restart), so that later articles can join that story.
func (g *Grouper) Restore(an *Analysis, at time.Time, story string) {
	terms := storyTerms(an)
	g.idx.expire(at, g.opt.Window)
	g.idx.insert(terms, at, story)
}

// Len reports how many articles the grouper holds (those within the window).
func (g *Grouper) Len() int { return g.idx.live }

// StoryBrief is the briefing of one story told by one or more articles.
type StoryBrief struct {
	ID            string         `json:"id"`
	Headline      string         `json:"headline"`
	Articles      []StoryArticle `json:"articles"`
	Lead          string         `json:"lead"`   // the lead fact, as most outlets report it
	Claims        []StoryClaim   `json:"claims"` // key claims merged across outlets, most corroborated first
	Disputes      []Dispute      `json:"disputes"`
	Discrepancies []Discrepancy  `json:"discrepancies"`
}

// StoryArticle is one article of a story.
type StoryArticle struct {
	ArticleID string    `json:"id"`
	File      string    `json:"file"` // the article's Name
	Outlet    string    `json:"outlet"`
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published,omitzero"`
}

// Carrier is where one article carries a story's claim: the article (an
// index into StoryBrief.Articles), the claim's index in that article's
// claims, and its span in the article's body.
type Carrier struct {
	Article int `json:"article"`
	Claim   int `json:"claim"`
	Start   int `json:"start"`
	End     int `json:"end"`
}

// StoryClaim is a claim merged across the articles that carry it.
type StoryClaim struct {
	Text     string    `json:"text"`
	Speaker  string    `json:"speaker"`
	Kind     Kind      `json:"kind"`
	Verbatim bool      `json:"verbatim"`
	Line     string    `json:"bullet"`  // as posted, with its attribution and outlets
	Outlets  []string  `json:"outlets"` // every outlet that carries it
	Sources  []Carrier `json:"sources"` // every article and span that carries it
}

// Dispute is a claim of the story that another party denies or rejects.
type Dispute struct {
	Claim  int     `json:"claim"` // index into StoryBrief.Claims
	By     string  `json:"by"`
	Words  string  `json:"words"`
	Source Carrier `json:"source"`
}

// Discrepancy is a fact that outlets report differently.
type Discrepancy struct {
	What   string             `json:"what"`
	Values []DiscrepancyValue `json:"values"`
}

// DiscrepancyValue is one of the values outlets give for a fact.
type DiscrepancyValue struct {
	Value   string    `json:"value"`
	Outlets []string  `json:"outlets"`
	Sources []Carrier `json:"sources"`
}

// BriefStory builds the briefing of story id from its articles' analyses
// (any order; the result depends only on the set).
func BriefStory(id string, ans []*Analysis, opt Options) StoryBrief {
	ans = append([]*Analysis(nil), ans...)
	sort.SliceStable(ans, func(i, j int) bool {
		a, b := ans[i].Article, ans[j].Article
		if !a.Published.Equal(b.Published) {
			return a.Published.Before(b.Published)
		}
		return a.ID < b.ID
	})
	sb := StoryBrief{ID: id}
	byText := map[string]int{}
	for ai, an := range ans {
		a := an.Article
		sb.Articles = append(sb.Articles, StoryArticle{ArticleID: a.ID, File: a.Name, Outlet: a.Source, URL: a.URL, Published: a.Published})
		if ai == 0 {
			sb.Headline = an.Briefing.Headline
			sb.Lead = an.Briefing.Gist
		}
		for _, b := range an.Briefing.Bullets {
			key := strings.ToLower(b.Text)
			k, ok := byText[key]
			if !ok {
				k = len(sb.Claims)
				byText[key] = k
				sb.Claims = append(sb.Claims, StoryClaim{Text: b.Text, Speaker: b.Speaker, Kind: b.Kind, Verbatim: b.Verbatim, Line: b.Line})
			}
			c := &sb.Claims[k]
			c.Sources = append(c.Sources, Carrier{Article: ai, Claim: b.Index, Start: b.Start, End: b.End})
			if a.Source != "" && !containsString(c.Outlets, a.Source) {
				c.Outlets = append(c.Outlets, a.Source)
			}
		}
	}
	sort.SliceStable(sb.Claims, func(i, j int) bool { return len(sb.Claims[i].Outlets) > len(sb.Claims[j].Outlets) })
	return sb
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
