package bot

// Stories in chat: digests, live posts and briefings post one entry per
// story (the articles of one event, grouped by the store as they arrive;
// see store/stories.go), briefed across the articles the channel's space
// sees with briefing.BriefStory: the outlets that report it, its claims
// merged across outlets (each with every outlet that carries it), the
// disputes beside the claims they dispute, where outlets differ.
//
// A channel's digests and live posts remember which articles of each story
// they showed (store.RecordStoriesShown): a story that grows is not posted
// as new again; the next digest (or live post) says what is new in it,
// once, and a story with nothing new is not posted at all.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/textutil"
	"github.com/briefbot/briefbot/store"
)

// storyGroup is a story of a digest: its articles the space sees, which of
// them are new in this digest, and which the channel was shown before.
type storyGroup struct {
	id    string
	arts  []*store.StoredArticle // every article of the story the space sees, in the order they joined
	fresh []*store.StoredArticle // those new in this digest, newest arrival first
	shown []string               // IDs of its articles the channel was shown before
	score float64                // the highest score of its new articles
	seq   int64                  // the latest arrival of its new articles
}

// news are the articles of the story the channel was not shown.
func (g *storyGroup) news() []*store.StoredArticle {
	var out []*store.StoredArticle
	for _, a := range g.arts {
		if !slices.Contains(g.shown, a.ID) {
			out = append(out, a)
		}
	}
	return out
}

// update reports whether the channel was shown the story before: its
// entry says what is new.
func (g *storyGroup) update() bool { return len(g.shown) > 0 }

// outletsOf are the outlets of the articles, each once, in order (an
// article with no outlet counts by its file or item name).
func outletsOf(arts []*store.StoredArticle) []string {
	var out []string
	for _, a := range arts {
		o := outletName(a.Source, a.Name)
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

func outletName(source, name string) string {
	if s := strings.TrimSpace(source); s != "" {
		return s
	}
	return name
}

// groupStories groups the new articles arts into their stories, with the
// articles of each story the space sees (of the feeds rt chose, if it
// chose some) and, if d is not nil, what d's channel was shown of each. Stories with nothing the channel was not
// shown are left out. The stories come most reported first, then most
// important, then newest.
func (b *Bot) groupStories(ctx context.Context, space string, d *Destination, rt *route, arts []*store.StoredArticle) ([]*storyGroup, error) {
	if len(arts) == 0 {
		return nil, nil
	}
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	storyOfArt, err := b.store.StoryIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]*storyGroup{}
	var groups []*storyGroup
	for _, a := range arts {
		sid := storyOfArt[a.ID]
		if sid == "" {
			sid = a.ID
		}
		g := byID[sid]
		if g == nil {
			g = &storyGroup{id: sid, score: a.Briefing.Score, seq: a.Seq}
			byID[sid] = g
			groups = append(groups, g)
		}
		g.fresh = append(g.fresh, a)
		g.score, g.seq = max(g.score, a.Briefing.Score), max(g.seq, a.Seq)
	}
	sids := make([]string, len(groups))
	for i, g := range groups {
		sids[i] = g.id
	}
	members, err := b.store.StoryMembers(ctx, space, sids)
	if err != nil {
		return nil, err
	}
	if rt != nil && len(rt.feeds) > 0 { // the channel chose feeds: its stories are told by them only
		for id, list := range members {
			if members[id], err = b.fromChosenFeeds(ctx, rt, list); err != nil {
				return nil, err
			}
		}
	}
	var shown map[string][]string
	if d != nil {
		if shown, err = b.store.StoriesShown(ctx, d.Platform, d.Channel, sids); err != nil {
			return nil, err
		}
	}
	out := groups[:0]
	for _, g := range groups {
		g.arts = members[g.id]
		for _, a := range g.fresh { // one the store does not list yet (or any more) still counts
			if !slices.ContainsFunc(g.arts, func(x *store.StoredArticle) bool { return x.ID == a.ID }) {
				g.arts = append(g.arts, a)
			}
		}
		g.shown = shown[g.id]
		if len(g.news()) == 0 {
			continue // nothing the channel was not shown
		}
		out = append(out, g)
	}
	slices.SortStableFunc(out, func(x, y *storyGroup) int {
		if c := cmp.Compare(len(outletsOf(y.arts)), len(outletsOf(x.arts))); c != 0 {
			return c
		}
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		return cmp.Compare(y.seq, x.seq)
	})
	return out, nil
}

// fromChosenFeeds are the articles of arts from a feed rt chose, in order.
func (b *Bot) fromChosenFeeds(ctx context.Context, rt *route, arts []*store.StoredArticle) ([]*store.StoredArticle, error) {
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	routes, err := b.store.Routes(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []*store.StoredArticle
	for _, a := range arts {
		if r := routes[a.ID]; r != nil && rt.fromFeeds(&story{r: r}) {
			out = append(out, a)
		}
	}
	return out, nil
}

// storyDigest is the digest of the new articles arts (their stories, see
// groupStories) within opt's limits, and what it shows of each story, by
// story ID, for store.RecordStoriesShown.
func (b *Bot) storyDigest(ctx context.Context, space string, d *Destination, rt *route, arts []*store.StoredArticle, opt briefing.DigestOptions) (Message, map[string][]string, error) {
	groups, err := b.groupStories(ctx, space, d, rt, arts)
	if err != nil {
		return Message{}, nil, err
	}
	opt = opt.WithDefaults()
	maxStories, maxWords, perStory := opt.MaxArticles, opt.MaxWords, opt.BulletsPerArticle
	var stories []Story
	shown := map[string][]string{}
	words := 0
	var omitted []*storyGroup
	for _, g := range groups {
		if len(stories) == maxStories || len(stories) > 0 && words >= maxWords {
			omitted = append(omitted, g)
			continue
		}
		s, err := b.storyEntry(ctx, g, perStory)
		if err != nil {
			return Message{}, nil, err
		}
		w := storyWords(s)
		if len(stories) > 0 && words+w > maxWords {
			omitted = append(omitted, g)
			continue
		}
		words += w
		stories = append(stories, s)
		for _, a := range g.arts {
			shown[g.id] = append(shown[g.id], a.ID)
		}
	}
	m := Message{Stories: numberBullets(stories)}
	if n := len(omitted); n > 0 {
		var hs []string
		for i, g := range omitted {
			if i == 3 {
				hs = append(hs, "…")
				break
			}
			hs = append(hs, g.fresh[0].Briefing.Headline)
		}
		m.Footer = fmt.Sprintf("%d more %s: %s", n, textutil.Plural(n, "story", "stories"), strings.Join(hs, "; "))
	}
	return m, shown, nil
}

// storyWords counts the words an entry shows: its headline, gist and
// bullets.
func storyWords(s Story) int {
	n := len(strings.Fields(s.Headline)) + len(strings.Fields(s.Gist))
	for _, bl := range s.Bullets {
		n += len(strings.Fields(bl.Text))
	}
	return n
}

// storyEntry briefs one story across its articles: a new story with its
// outlets, its claims most corroborated first (at most maxClaims, each
// followed by its disputes) and where outlets differ; a story the channel
// was shown before, with what is new in it only.
func (b *Bot) storyEntry(ctx context.Context, g *storyGroup, maxClaims int) (Story, error) {
	var ids []string
	for _, a := range briefed(g.arts, g.fresh) {
		ids = append(ids, a.ID)
	}
	ans, err := b.store.Analyses(ctx, ids)
	if err != nil {
		return Story{}, err
	}
	sb := briefing.BriefStory(g.id, ans, b.cfg.Brief)
	s := storyFromBrief(sb, ans, maxClaims, nil)
	if !g.update() {
		return s, nil
	}
	// An update: what the channel was not shown.
	news := g.news()
	newIDs := make([]string, len(news))
	for i, a := range news {
		newIDs[i] = a.ID
	}
	only := func(c briefing.StoryClaim) bool { // carried by new articles only
		for _, src := range c.Sources {
			if !slices.Contains(newIDs, sb.Articles[src.Article].ArticleID) {
				return false
			}
		}
		return true
	}
	u := storyFromBrief(sb, ans, maxClaims, only)
	// The newest report this digest (or live post) brings leads the update.
	latest := news[len(news)-1]
	for _, a := range g.fresh {
		if !slices.Contains(g.shown, a.ID) {
			latest = a
			break
		}
	}
	u.ArticleID, u.Headline, u.Gist = latest.ID, latest.Briefing.Headline, latest.Briefing.Gist
	u.URL, u.Source, u.Published, u.File = latest.URL, latest.Source, latest.Published, ""
	if u.URL == "" {
		u.File = latest.Name
	}
	told := outletsOf(news)
	if len(u.Notes) > 0 && strings.HasPrefix(u.Notes[0], "Reported by ") {
		u.Notes = u.Notes[1:] // said in the update's line
	}
	u.Notes = append([]string{fmt.Sprintf("Update to a story posted here before: now reported by %d %s; new: %s.",
		len(outletsOf(g.arts)), textutil.Plural(len(outletsOf(g.arts)), "outlet", "outlets"), strings.Join(told, ", "))}, u.Notes...)
	return u, nil
}

// maxBriefed is the most articles of one story a post briefs: a story of
// hundreds of reports (a week of a big event) is briefed from its first
// and its latest ones; its outlets are counted from all.
const maxBriefed = 30

// briefed are the articles of a story (in the order they joined it) that
// its entry briefs: all, or the first, the fresh ones and the latest, at
// most maxBriefed, in the same order.
func briefed(arts, fresh []*store.StoredArticle) []*store.StoredArticle {
	if len(arts) <= maxBriefed {
		return arts
	}
	keep := map[string]bool{arts[0].ID: true}
	for _, a := range fresh {
		if len(keep) < maxBriefed {
			keep[a.ID] = true
		}
	}
	for i := len(arts) - 1; i >= 0 && len(keep) < maxBriefed; i-- {
		keep[arts[i].ID] = true
	}
	var out []*store.StoredArticle
	for _, a := range arts {
		if keep[a.ID] {
			out = append(out, a)
		}
	}
	return out
}

// storyFromBrief makes a message's story of a story's briefing: its lead
// article's headline and link, the lead fact as gist, the claims that
// keep passes (nil: all) most corroborated first, at most maxClaims (0:
// all), each followed by the disputes of it, and notes on its outlets and
// on where they differ.
func storyFromBrief(sb briefing.StoryBrief, ans []*briefing.Analysis, maxClaims int, keep func(briefing.StoryClaim) bool) Story {
	byID := make(map[string]*briefing.Analysis, len(ans))
	for _, an := range ans {
		byID[an.Article.ID] = an
	}
	s := Story{StoryID: sb.ID, Headline: sb.Headline, Gist: sb.Lead}
	var outlets []string
	for i, a := range sb.Articles {
		if i == 0 {
			s.ArticleID, s.URL, s.Source, s.Published = a.ArticleID, a.URL, a.Outlet, a.Published
			if a.URL == "" {
				s.File = a.File
			}
		}
		if o := outletName(a.Outlet, a.File); !slices.Contains(outlets, o) {
			outlets = append(outlets, o)
		}
	}
	multi := len(outlets) > 1
	if multi {
		s.Notes = append(s.Notes, fmt.Sprintf("Reported by %d outlets: %s.", len(outlets), strings.Join(outlets, ", ")))
	}
	shownClaims := 0
	for ci, c := range sb.Claims {
		if len(c.Sources) == 0 || keep != nil && !keep(c) {
			continue
		}
		if maxClaims > 0 && shownClaims == maxClaims {
			break
		}
		shownClaims++
		s.Bullets = append(s.Bullets, claimBullet(sb, c, byID, multi))
		for _, dp := range sb.Disputes {
			if dp.Claim == ci {
				s.Bullets = append(s.Bullets, disputeBullet(sb, dp, byID))
			}
		}
	}
	for _, dc := range sb.Discrepancies {
		var vals []string
		for _, v := range dc.Values {
			vals = append(vals, fmt.Sprintf("%s (%s)", v.Value, strings.Join(v.Outlets, ", ")))
		}
		if len(vals) > 1 {
			s.Notes = append(s.Notes, fmt.Sprintf("Outlets differ on %s: %s.", dc.What, strings.Join(vals, "; ")))
		}
	}
	return s
}

// carrierClaim is the claim and briefing bullet (if the article's
// briefing has it) where an article carries a story's claim.
func carrierClaim(sb briefing.StoryBrief, c briefing.Carrier, byID map[string]*briefing.Analysis) (string, *briefing.Claim, *briefing.Bullet) {
	if c.Article < 0 || c.Article >= len(sb.Articles) {
		return "", nil, nil
	}
	id := sb.Articles[c.Article].ArticleID
	an := byID[id]
	if an == nil {
		return id, nil, nil
	}
	var cl *briefing.Claim
	if c.Claim >= 0 && c.Claim < len(an.Claims) {
		cl = &an.Claims[c.Claim]
	}
	for i := range an.Briefing.Bullets {
		if an.Briefing.Bullets[i].Index == c.Claim {
			return id, cl, &an.Briefing.Bullets[i]
		}
	}
	return id, cl, nil
}

// claimBullet is a story's claim as a bullet: its text and attribution as
// its first article has them, and, in a story of several outlets, the
// outlets that carry it ("reported by A and B", or "only in A"). Its
// other carriers are its Also, for "source N".
func claimBullet(sb briefing.StoryBrief, c briefing.StoryClaim, byID map[string]*briefing.Analysis, multi bool) Bullet {
	first := c.Sources[0]
	id, cl, bl := carrierClaim(sb, first, byID)
	b := Bullet{Text: c.Text, Quoted: c.Verbatim, ArticleID: id, ClaimIndex: first.Claim}
	switch {
	case bl != nil:
		b.Text, b.Attribution = shownText(*bl), bl.Attribution
	case cl != nil:
		b.Text, b.Attribution = claimText(*cl, maxAnswerWords), briefing.Attribution(*cl)
		if an := byID[id]; an != nil && an.Article != nil {
			b.Attribution = an.AttributionOf(*cl) // the speaker as the article wrote it, as in its briefing
		}
	}
	if multi {
		switch n := len(c.Outlets); {
		case n > 1:
			b.Attribution = joinAttribution(b.Attribution, fmt.Sprintf("reported by %d outlets: %s", n, strings.Join(c.Outlets, ", ")))
		case n == 1:
			b.Attribution = joinAttribution(b.Attribution, "only in "+c.Outlets[0])
		}
	}
	for _, src := range c.Sources[1:] {
		if src.Article >= 0 && src.Article < len(sb.Articles) {
			aid := sb.Articles[src.Article].ArticleID
			if aid != id && !slices.ContainsFunc(b.Also, func(x Carrier) bool { return x.ArticleID == aid }) {
				b.Also = append(b.Also, Carrier{ArticleID: aid, ClaimIndex: src.Claim})
			}
		}
	}
	return b
}

// disputeBullet is a dispute as a bullet, after the claim it disputes:
// "Ridgeline Works disputes this: …", from the article that carries it.
func disputeBullet(sb briefing.StoryBrief, dp briefing.Dispute, byID map[string]*briefing.Analysis) Bullet {
	id, cl, bl := carrierClaim(sb, dp.Source, byID)
	by := strings.TrimSpace(dp.By)
	if by == "" {
		by = "Someone"
	}
	b := Bullet{Prefix: by + " disputes this:", Text: dp.Words, ArticleID: id, ClaimIndex: dp.Source.Claim}
	switch {
	case bl != nil:
		b.Text, b.Quoted = shownText(*bl), bl.Verbatim
	case cl != nil:
		b.Text, b.Quoted = claimText(*cl, maxAnswerWords), cl.Verbatim
	}
	if dp.DeniedThat && !b.Quoted {
		// What the party denies, never shown alone as if it said it.
		from := ""
		if an := byID[id]; an != nil && cl != nil && cl.Start >= 0 && cl.Start <= len(an.Article.Body) {
			from = an.Article.Body[cl.Start:]
		}
		b.Text = briefing.DeniedThatText(dp.Verb, b.Text, from)
	}
	if dp.Source.Article >= 0 && dp.Source.Article < len(sb.Articles) {
		a := sb.Articles[dp.Source.Article]
		b.Attribution = "in " + outletName(a.Outlet, a.File)
	}
	return b
}

// joinAttribution joins an attribution and what follows it with "; ".
func joinAttribution(a, more string) string {
	if a == "" {
		return more
	}
	return a + "; " + more
}
