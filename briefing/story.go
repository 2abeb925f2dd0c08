package briefing

import (
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
	return g.AddTerms(TermsOf(an), at)
}

// StoryTerms are what a Grouper compares of an article: TermsOf computes
// them, the costly part of Add, so that a caller can compute them ahead
// (on other goroutines: it only reads the analysis) and hand them to
// AddTerms, which a Grouper runs one at a time.
type StoryTerms struct {
	id    string // the article's ID
	terms []storyTerm
}

// TermsOf returns the terms of an analysed article for AddTerms.
func TermsOf(an *Analysis) *StoryTerms {
	return &StoryTerms{id: an.Article.ID, terms: storyTerms(an)}
}

// AddTerms is Add for an article's terms (TermsOf): the same story as Add
// of the analysis gives.
func (g *Grouper) AddTerms(t *StoryTerms, at time.Time) string {
	g.idx.expire(at, g.opt.Window)
	best := g.idx.match(t.terms)
	if best == "" {
		best = t.id
	}
	g.idx.insert(t.terms, at, best)
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
	Lead          string         `json:"lead"`         // the lead fact, as most outlets report it
	LeadArticle   int            `json:"lead_article"` // the article whose lead it is (index into Articles)
	LeadOutlets   []string       `json:"lead_outlets"` // the outlets whose lead says much the same
	Claims        []StoryClaim   `json:"claims"`       // key claims merged across outlets, most corroborated first
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
	// SingleOutlet: only one outlet carries the claim (uncorroborated).
	SingleOutlet bool `json:"single_outlet"`
}

// Dispute is a claim of the story that another party denies or rejects.
type Dispute struct {
	Claim    int    `json:"claim"` // index into StoryBrief.Claims
	By       string `json:"by"`
	Words    string `json:"words"`    // the denial as the article gives it
	Verbatim bool   `json:"verbatim"` // Words are the disputing party's own
	Verb     string `json:"verb"`     // the cue ("denied", "rejected"), if any
	// DeniedThat: Words are what the party denies, not its own words
	// ("wards were unsafe" from "denied that wards were unsafe"), so they
	// must be shown after the cue, never alone.
	DeniedThat bool      `json:"denied_that"`
	Line       string    `json:"line"`    // as posted beside the claim: "Hamas officials dispute this: …"
	Source     Carrier   `json:"source"`  // the first article and span that carries it
	Outlets    []string  `json:"outlets"` // every outlet that carries the denial
	Sources    []Carrier `json:"sources"` // every article and span that carries it
}

// Discrepancy is a fact that outlets report differently.
type Discrepancy struct {
	What   string             `json:"what"` // the unit of the fact: "deaths", "vehicles", "amount" (of money)
	Values []DiscrepancyValue `json:"values"`
	Line   string             `json:"line"` // "deaths: at least 12 (Meridian Wire), 13 (Coastline Herald)"
}

// DiscrepancyValue is one of the values outlets give for a fact.
type DiscrepancyValue struct {
	Value   string    `json:"value"`  // as the first outlet writes it, with its qualifier ("at least 12")
	Number  float64   `json:"number"` // its value (12)
	Outlets []string  `json:"outlets"`
	Sources []Carrier `json:"sources"`
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
