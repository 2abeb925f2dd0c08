package bot

// /story, "@briefbot who else reports this?", and the outlets of an
// answer's claims: a story as every outlet the space sees tells it.

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/textutil"
	"github.com/briefbot/briefbot/store"
)

const storyUsage = "Tell me which story: /story 2 for the story of bullet 2 of my last post here, or /story followed by words of its headline."

// maxStoryArticles is the most articles /story shows one by one.
const maxStoryArticles = 10

// cmdStory answers /story [bullet number or words]: the story of the
// bullet of the post referred to (the one replied to, else the latest with
// bullets here; with no argument, its first story), or of the newest
// article matching the words, as each outlet tells it.
func (b *Bot) cmdStory(ctx context.Context, req Request) Message {
	space, _ := req.space()
	if !utf8.ValidString(req.Args) {
		_, bad := checkText(req.Args, storyUsage)
		return *bad
	}
	arg := strings.TrimSpace(req.Args)
	if arg == "" || bulletRef.MatchString(arg) {
		n := 0
		if arg != "" {
			n, _ = strconv.Atoi(bulletRef.FindStringSubmatch(arg)[1])
			if n == 0 {
				return errorMessage("Bullets are numbered from 1. " + storyUsage)
			}
		}
		id, bad := b.postArticle(ctx, req, n, "story")
		if bad != nil {
			if arg == "" && bad.Kind == KindInfo { // nothing posted here yet: the newest story
				arts, err := b.store.LatestArticles(ctx, space, 1)
				if err != nil || len(arts) == 0 {
					return *bad
				}
				return b.storyView(ctx, space, arts[0].ID, "")
			}
			return *bad
		}
		return b.storyView(ctx, space, id, "")
	}
	words, bad := checkText(arg, storyUsage)
	if bad != nil {
		return *bad
	}
	arts, err := b.store.FindArticles(ctx, space, words, 1)
	if err != nil {
		b.log.Error("bot: story", "words", words, "err", err)
		return errorMessage("I could not read my articles just now. Please try again in a moment.")
	}
	if len(arts) == 0 {
		return b.noMatch(ctx, space, words)
	}
	return b.storyView(ctx, space, arts[0].ID, "")
}

// postArticle is the article of bullet n of the post req refers to (n = 0:
// its only story's; with several, the first bullet's for /story), or a
// message saying why there is none. what names the request in that
// message ("story", "who else reports").
func (b *Bot) postArticle(ctx context.Context, req Request, n int, what string) (string, *Message) {
	p, err := b.referencedPost(ctx, req)
	if err != nil {
		b.log.Error("bot: "+what, "channel", req.Destination().Key(), "err", err)
		m := errorMessage("I could not look up my earlier messages just now. Please try again.")
		return "", &m
	}
	if p == nil || len(p.Bullets) == 0 {
		return "", &Message{Kind: KindInfo, Text: "I haven't posted a briefing with numbered bullets here yet. Ask for one with /briefing, or name the story: /story followed by words of its headline."}
	}
	if n == 0 {
		if what != "story" {
			stories, err := b.store.StoryIDs(ctx, postArticles(p))
			if err == nil && len(distinctValues(stories, postArticles(p))) > 1 {
				m := errorMessage("That " + postNoun(p.Kind) + " has several stories: say which with a bullet number, such as “who else reports 2?”")
				return "", &m
			}
		}
		return p.Bullets[0].ArticleID, nil
	}
	for _, pb := range p.Bullets {
		if pb.N == n {
			return pb.ArticleID, nil
		}
	}
	m := errorMessage(fmt.Sprintf("That %s has %d %s, so there is no bullet %d.", postNoun(p.Kind), len(p.Bullets), textutil.Plural(len(p.Bullets), "bullet", "bullets"), n))
	return "", &m
}

// postArticles are the articles of a post's bullets, each once, in order.
func postArticles(p *store.Post) []string {
	var ids []string
	for _, pb := range p.Bullets {
		if !slices.Contains(ids, pb.ArticleID) {
			ids = append(ids, pb.ArticleID)
		}
	}
	return ids
}

// distinctValues are the values of m at keys, each once.
func distinctValues(m map[string]string, keys []string) []string {
	var out []string
	for _, k := range keys {
		if v, ok := m[k]; ok && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// storyArticles are the articles of the story of the article that the
// space sees, in the order they joined it; none if the space does not see
// the article.
func (b *Bot) storyArticles(ctx context.Context, space, articleID string) (string, []*store.StoredArticle, error) {
	seen, err := b.store.SeenIn(ctx, space, articleID)
	if err != nil || !seen {
		return "", nil, err
	}
	ids, err := b.store.StoryIDs(ctx, []string{articleID})
	if err != nil {
		return "", nil, err
	}
	sid := ids[articleID]
	if sid == "" {
		return "", nil, nil
	}
	members, err := b.store.StoryArticles(ctx, space, []string{sid})
	if err != nil {
		return "", nil, err
	}
	arts := members[sid]
	sortByPublication(arts)
	return sid, arts, nil
}

// sortByPublication sorts a story's articles in the order its briefing
// lists them: by publication.
func sortByPublication(arts []*store.StoredArticle) {
	slices.SortStableFunc(arts, func(x, y *store.StoredArticle) int {
		if c := x.Published.Compare(y.Published); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
}

// storyView is a story as each outlet the space sees tells it: its
// outlets, where they differ and who disputes what, then each article's
// headline, gist and claims, numbered for "source N". title, if not "",
// replaces the story's headline as the title.
func (b *Bot) storyView(ctx context.Context, space, articleID, title string) Message {
	sid, arts, err := b.storyArticles(ctx, space, articleID)
	if err != nil {
		b.log.Error("bot: story", "article", articleID, "err", err)
		return errorMessage("I could not read that story just now. Please try again.")
	}
	if len(arts) == 0 {
		return Message{Kind: KindInfo, Text: "I don't have that story in my sources (any more)."}
	}
	var ids []string
	for _, a := range briefed(arts, nil) {
		ids = append(ids, a.ID)
	}
	ans, err := b.store.Analyses(ctx, ids)
	if err != nil {
		b.log.Error("bot: story", "story", sid, "err", err)
		return errorMessage("I could not read that story just now. Please try again.")
	}
	sb := briefing.BriefStory(sid, ans, b.cfg.Brief)
	whole := storyFromBrief(sb, ans, 0, nil)
	if title == "" {
		title = "Story: " + sb.Headline
	}
	var lines []string
	outlets := outletsOf(arts)
	if len(outlets) == 1 {
		lines = append(lines, "Reported by one outlet so far: "+outlets[0]+".")
	}
	lines = append(lines, whole.Notes...)
	for _, bl := range whole.Bullets {
		if bl.Prefix != "" {
			lines = append(lines, bl.Line())
		}
	}
	byID := map[string]*store.StoredArticle{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	var stories []Story
	for _, a := range sb.Articles {
		if len(stories) == maxStoryArticles {
			break
		}
		if sa := byID[a.ArticleID]; sa != nil {
			stories = append(stories, storyOf(sa.Briefing, 3))
		}
	}
	m := Message{Kind: KindBriefing, Title: title, Text: strings.Join(lines, "\n"), Stories: numberBullets(stories)}
	if n := len(arts) - len(stories); n > 0 {
		m.Footer = fmt.Sprintf("%d more %s on this story.", n, textutil.Plural(n, "article", "articles"))
	} else {
		m.Footer = "Reply “source N” for where bullet N comes from."
	}
	return m
}

var whoElseMention = regexp.MustCompile(`(?i)^(?:and\s+)?who\s+else\s+(?:reports?|reported|is\s+reporting|has|covers?|covered|carries|says?)(?:\s+(?:on\s+)?(?:this|it|that|the\s+story|this\s+story))?(?:\s+(?:bullet|number|no\.?|story)?\s*#?(\d{1,6}))?\s*[?!.]*$`)

// whoElse answers "who else reports this?" in reply to a posted story:
// the articles of its story that the space sees other than the one its
// first bullet (bullet n, if n > 0) comes from.
func (b *Bot) whoElse(ctx context.Context, req Request, n int) Message {
	space, _ := req.space()
	id, bad := b.postArticle(ctx, req, n, "who else reports")
	if bad != nil {
		return *bad
	}
	_, arts, err := b.storyArticles(ctx, space, id)
	if err != nil {
		b.log.Error("bot: who else reports", "article", id, "err", err)
		return errorMessage("I could not read that story just now. Please try again.")
	}
	if len(arts) == 0 {
		return Message{Kind: KindInfo, Text: "I don't have that story in my sources (any more)."}
	}
	var headline string
	var others []Story
	for _, a := range arts {
		if headline == "" {
			headline = a.Briefing.Headline
		}
		if a.ID != id && len(others) < maxStoryArticles {
			others = append(others, storyOf(a.Briefing, 2))
		}
	}
	outlets := outletsOf(arts)
	if len(others) == 0 {
		return Message{Kind: KindInfo, Text: fmt.Sprintf("No one else, so far: %s %s the only %s I have on “%s”.",
			strings.Join(outlets, ", "), textutil.Plural(len(outlets), "is", "are"), textutil.Plural(len(outlets), "outlet", "outlets"), headline)}
	}
	return Message{
		Kind:    KindBriefing,
		Title:   "Who else reports “" + clip(textutil.OneLine(headline), 150) + "”",
		Text:    fmt.Sprintf("Reported by %d %s: %s.", len(outlets), textutil.Plural(len(outlets), "outlet", "outlets"), strings.Join(outlets, ", ")),
		Stories: numberBullets(others),
		Footer:  "Reply “source N” for where bullet N comes from, or /story for how each outlet tells it.",
	}
}

// withOutlets cites, on each bullet of an answer, every outlet the space
// sees that carries the same claim: the same speaker saying the same
// thing in another article of its story. The other articles become the
// bullet's Also, for "source N". The bullets cite hits of a search of the
// space, whose articles it sees; claims holds the claims they cite, if
// known (else they are read).
func (b *Bot) withOutlets(ctx context.Context, space string, stories []Story, claims map[Carrier]briefing.Claim) []Story {
	var ids []string
	for _, s := range stories {
		for _, bl := range s.Bullets {
			if !slices.Contains(ids, bl.ArticleID) {
				ids = append(ids, bl.ArticleID)
			}
		}
	}
	// On a database error, arts or others is empty and no bullet of the
	// answer gets its outlets (one query reads them for all); the answer
	// still goes out.
	arts, err := b.storiesOfArticles(ctx, space, ids)
	if err != nil {
		b.log.Error("bot: the stories of an answer's articles; every bullet goes out without its other outlets", "err", err)
	}
	others, err := b.otherKeys(ctx, stories, arts)
	if err != nil {
		b.log.Error("bot: the claims of the other articles of an answer's stories; every bullet goes out without its other outlets", "err", err)
	}
	for i := range stories {
		for j := range stories[i].Bullets {
			bl := &stories[i].Bullets[j]
			outlets, also, err := b.carriers(ctx, bl.ArticleID, bl.ClaimIndex, arts[bl.ArticleID], claims, others)
			if err != nil {
				b.log.Warn("bot: the outlets of a claim", "article", bl.ArticleID, "err", err)
				continue
			}
			if len(also) == 0 {
				continue
			}
			bl.Also = also
			bl.Attribution = joinAttribution(bl.Attribution, fmt.Sprintf("reported by %d outlets: %s", len(outlets), strings.Join(outlets, ", ")))
		}
	}
	// A claim found in several articles of a story is cited once, with
	// all its outlets.
	cited := map[Carrier]bool{}
	out := stories[:0]
	for _, s := range stories {
		kept := s.Bullets[:0]
		for _, bl := range s.Bullets {
			if cited[Carrier{bl.ArticleID, bl.ClaimIndex}] {
				continue
			}
			cited[Carrier{bl.ArticleID, bl.ClaimIndex}] = true
			for _, c := range bl.Also {
				cited[c] = true
			}
			kept = append(kept, bl)
		}
		if s.Bullets = kept; len(kept) > 0 {
			out = append(out, s)
		}
	}
	return numberBullets(out)
}

// storiesOfArticles returns the articles of the story of each of the
// articles (by ID), among those the space sees, as storyOf does, for
// articles the space sees: in one query for them all (store.StoriesOf).
func (b *Bot) storiesOfArticles(ctx context.Context, space string, ids []string) (map[string][]*store.StoredArticle, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := b.store.StoriesOf(ctx, space, ids)
	if err != nil {
		return nil, err
	}
	for _, arts := range out {
		sortByPublication(arts)
	}
	return out, nil
}

// otherKeys reads, in one query, the speakers and texts of the claims of
// every article that a bullet's claim may be found in (the other articles
// of its story, in arts), and returns each one's claims' sameClaimKey, in
// order, by article ID: each key made once, however many bullets look for
// theirs.
func (b *Bot) otherKeys(ctx context.Context, stories []Story, arts map[string][]*store.StoredArticle) (map[string][]string, error) {
	var ids []string
	for _, s := range stories {
		for _, bl := range s.Bullets {
			if story := arts[bl.ArticleID]; len(story) >= 2 {
				for _, a := range story {
					if a.ID != bl.ArticleID && !slices.Contains(ids, a.ID) {
						ids = append(ids, a.ID)
					}
				}
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	claims, err := b.store.ClaimTexts(ctx, ids)
	if err != nil {
		return nil, err
	}
	keys := make(map[string][]string, len(claims))
	var buf []byte
	for id, list := range claims {
		ks := make([]string, len(list))
		for k, c := range list {
			buf = appendSameClaimKey(buf[:0], c.Speaker, c.Text)
			ks[k] = string(buf)
		}
		keys[id] = ks
	}
	return keys, nil
}

// carriers are the outlets (the article's own first) and the other
// articles of the article's story, arts, that carry claim idx of the
// article: the same speaker, the same words. claims holds claims known
// (the claim is read if it is not among them); others, the sameClaimKey
// of each claim of the other articles (otherKeys).
func (b *Bot) carriers(ctx context.Context, articleID string, idx int, arts []*store.StoredArticle,
	claims map[Carrier]briefing.Claim, others map[string][]string) ([]string, []Carrier, error) {
	if len(arts) < 2 {
		return nil, nil, nil
	}
	c, ok := claims[Carrier{articleID, idx}]
	if !ok {
		var err error
		if c, err = b.store.Claim(ctx, articleID, idx); err != nil {
			return nil, nil, err
		}
	}
	key := sameClaimKey(c)
	var outlets []string
	var also []Carrier
	for _, a := range arts {
		if a.ID == articleID {
			outlets = append([]string{outletName(a.Source, a.Name)}, outlets...)
			continue
		}
		for k, other := range others[a.ID] {
			if other == key {
				also = append(also, Carrier{ArticleID: a.ID, ClaimIndex: k})
				if o := outletName(a.Source, a.Name); !slices.Contains(outlets, o) {
					outlets = append(outlets, o)
				}
				break
			}
		}
	}
	return outlets, also, nil
}

// sameClaimKey is what two claims share when they are the same: the
// speaker and the words, in lower case, without punctuation: each one's
// words (runs of letters and digits) joined by spaces, the two apart by a
// NUL.
func sameClaimKey(c briefing.Claim) string { return string(appendSameClaimKey(nil, c.Speaker, c.Text)) }

// appendSameClaimKey appends to buf sameClaimKey of a claim of the speaker
// and text.
func appendSameClaimKey(buf []byte, speaker, text string) []byte {
	buf = appendWords(buf, speaker)
	buf = append(buf, 0)
	return appendWords(buf, text)
}

// appendWords appends the words of s in lower case, joined by spaces: the
// runs of letters and digits of strings.ToLower(s), each rune lowered by
// unicode.ToLower as ToLower lowers it (a byte that is not UTF-8 is
// U+FFFD there, which is neither, as here).
func appendWords(buf []byte, s string) []byte {
	start, space := len(buf), false
	for _, r := range s {
		r = unicode.ToLower(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space = true
			continue
		}
		if space && len(buf) > start {
			buf = append(buf, ' ')
		}
		space = false
		buf = utf8.AppendRune(buf, r)
	}
	return buf
}
