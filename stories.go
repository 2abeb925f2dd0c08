package main

import (
	"context"
	"flag"
	"sort"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// cmdStories groups the given articles into stories (in order of
// publication, within a window) and prints each story's briefing: one JSON
// object per line with --json (the documented contract), else as text.
func cmdStories(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("stories", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "one JSON object per story and line")
	window := fs.Duration("window", 72*time.Hour, "an article joins a story whose last article is this recent")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *window <= 0 {
		return usageErr("stories: --window must be positive, not %s", *window)
	}
	cfg, arts, err := loadArticles(env, paths)
	if err != nil {
		return err
	}
	// Articles arrive in order of publication; those without a date come
	// last, in the order they were loaded, as if they arrived then.
	sort.SliceStable(arts, func(i, j int) bool {
		a, b := arts[i].Published, arts[j].Published
		if a.IsZero() || b.IsZero() {
			return !a.IsZero() && b.IsZero()
		}
		return a.Before(b)
	})
	opt := briefing.Options{MaxWords: cfg.BriefingMaxWords}
	g := briefing.NewGrouper(briefing.StoryOptions{Window: *window})
	var order []string
	members := map[string][]*briefing.Analysis{}
	var last time.Time
	r := newRunner(func(a *briefing.Article) *briefing.Analysis { return briefing.Analyze(a, opt) })
	defer r.stop()
	for i, a := range arts {
		an, ok := r.analyze(ctx, a)
		if !ok {
			return stopped(ctx, i, len(arts))
		}
		at := a.Published
		if at.IsZero() {
			at = last
		}
		last = at
		id := g.Add(an, at)
		if _, ok := members[id]; !ok {
			order = append(order, id)
		}
		members[id] = append(members[id], an)
	}
	out := newOutput(env.stdout)
	for i, id := range order {
		sb := briefing.BriefStory(id, members[id], opt)
		if *asJSON {
			out.json(storyJSON(sb))
		} else {
			if i > 0 {
				out.w.WriteByte('\n')
			}
			out.w.WriteString(briefing.StoryText(sb))
		}
		if out.article() != nil {
			break
		}
	}
	return out.done(nil)
}

// storyLine is one line of `briefbot stories --json`: the documented
// contract (README, "Stories").
type storyLine struct {
	ID            string            `json:"id"`
	Headline      string            `json:"headline"`
	Lead          string            `json:"lead"`
	LeadOutlets   []string          `json:"lead_outlets"`
	Articles      []storyArticle    `json:"articles"`
	Claims        []storyClaim      `json:"claims"`
	Disputes      []storyDispute    `json:"disputes"`
	Discrepancies []storyDifference `json:"discrepancies"`
}

type storyArticle struct {
	ID        string `json:"id"`
	File      string `json:"file"`
	Outlet    string `json:"outlet"`
	URL       string `json:"url"`
	Published string `json:"published"` // RFC 3339, or "" if unknown
}

// storySpan is where an article carries something: the article's index in
// the story's articles and its file, the claim's index among that
// article's claims (as `claims --json` lists them; -1 if none), and byte
// offsets in the article's body.
type storySpan struct {
	Article int    `json:"article"`
	File    string `json:"file"`
	Claim   int    `json:"claim"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

type storyClaim struct {
	Text         string        `json:"text"`
	Speaker      string        `json:"speaker"`
	Kind         briefing.Kind `json:"kind"`
	Verbatim     bool          `json:"verbatim"`
	Bullet       string        `json:"bullet"`
	Outlets      []string      `json:"outlets"`
	SingleOutlet bool          `json:"single_outlet"`
	Articles     []storySpan   `json:"articles"`
}

type storyDispute struct {
	Claim     int         `json:"claim"`      // index into claims
	ClaimText string      `json:"claim_text"` // that claim's text
	By        string      `json:"by"`
	Words     string      `json:"words"`
	Verbatim  bool        `json:"verbatim"`
	Denied    bool        `json:"denied_that"` // words are what is denied, to be shown after the cue
	Line      string      `json:"line"`
	Outlets   []string    `json:"outlets"`
	Articles  []storySpan `json:"articles"`
}

type storyDifference struct {
	What   string       `json:"what"`
	Line   string       `json:"line"`
	Values []storyValue `json:"values"`
}

type storyValue struct {
	Value    string      `json:"value"`
	Number   float64     `json:"number"`
	Outlets  []string    `json:"outlets"`
	Articles []storySpan `json:"articles"`
}

func storyJSON(sb briefing.StoryBrief) storyLine {
	spans := func(cs []briefing.Carrier) []storySpan {
		out := make([]storySpan, len(cs))
		for i, c := range cs {
			out[i] = storySpan{Article: c.Article, File: sb.Articles[c.Article].File, Claim: c.Claim, Start: c.Start, End: c.End}
		}
		return out
	}
	nonNil := func(xs []string) []string {
		if xs == nil {
			return []string{}
		}
		return xs
	}
	l := storyLine{ID: sb.ID, Headline: sb.Headline, Lead: sb.Lead, LeadOutlets: nonNil(sb.LeadOutlets),
		Articles: []storyArticle{}, Claims: []storyClaim{}, Disputes: []storyDispute{}, Discrepancies: []storyDifference{}}
	for _, a := range sb.Articles {
		sa := storyArticle{ID: a.ArticleID, File: a.File, Outlet: a.Outlet, URL: a.URL}
		if !a.Published.IsZero() {
			sa.Published = a.Published.UTC().Format(time.RFC3339)
		}
		l.Articles = append(l.Articles, sa)
	}
	for _, c := range sb.Claims {
		l.Claims = append(l.Claims, storyClaim{Text: c.Text, Speaker: c.Speaker, Kind: c.Kind, Verbatim: c.Verbatim, Bullet: c.Line,
			Outlets: nonNil(c.Outlets), SingleOutlet: c.SingleOutlet, Articles: spans(c.Sources)})
	}
	for _, d := range sb.Disputes {
		l.Disputes = append(l.Disputes, storyDispute{Claim: d.Claim, ClaimText: sb.Claims[d.Claim].Text, By: d.By, Words: d.Words,
			Verbatim: d.Verbatim, Denied: d.DeniedThat, Line: d.Line, Outlets: nonNil(d.Outlets), Articles: spans(d.Sources)})
	}
	for _, d := range sb.Discrepancies {
		sd := storyDifference{What: d.What, Line: d.Line, Values: []storyValue{}}
		for _, v := range d.Values {
			sd.Values = append(sd.Values, storyValue{Value: v.Value, Number: v.Number, Outlets: nonNil(v.Outlets), Articles: spans(v.Sources)})
		}
		l.Discrepancies = append(l.Discrepancies, sd)
	}
	return l
}
