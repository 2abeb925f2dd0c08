package bot

// Buttons and menus under the bot's posts ("controls"): Sources, More on
// this, Stop these and a link to the article. The bot decides which a
// message gets ([Controls]); each adapter lays them out within its
// platform's limits, and decodes a click into a [Request] whose Click is
// the clicked choice's ID. Clicks go through the one request lifecycle
// ([Handler.Serve]) like commands, need the right of the command they
// stand for, and are answered privately.
//
// A click ID carries everything needed to answer it, so that clicks on
// old posts keep working after restarts and updates, with nothing held in
// memory: the bullet's article and claim, or the story's article. Its
// grammar, version 1:
//
//	bb1:src:<post kind>:<bullet number>:<article ID>:<claim index>
//	bb1:more:<article ID>
//	bb1:stop            (asks to confirm)
//	bb1:stop:yes        (confirmed: unsubscribes, as /unsubscribe)
//	bb1:stop:no         (kept)
//
// where the post kind is b (briefing), d (digest) or a (answer). A later
// grammar gets a new version prefix; the bot keeps reading this one.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/briefbot/briefbot/internal/textutil"
	"github.com/briefbot/briefbot/store"
)

// MaxClickID is the longest click ID the bot makes: Discord's limit on a
// custom_id and on a menu option's value (Slack allows more).
const MaxClickID = 100

// Controls are the buttons and menus under a message. Adapters lay them
// out: buttons where they are few, menus where they are many.
type Controls struct {
	Sources []Choice // one per bullet: its source, as /source N gives it
	More    []Choice // one per story: its fuller briefing
	Links   []Choice // one per story with a link: the article's page (URL set, no ID)
	Stop    *Choice  // on scheduled posts: stop them, after a confirmation
	Confirm []Choice // the answers to a confirmation, the first the one that acts
}

// Choice is one button, or one option of a menu.
type Choice struct {
	Label  string // a button's text: "Source 2", "More on this"
	Detail string // a menu option's text: the bullet, the headline
	ID     string // what a click sends back: a click ID (see above)
	URL    string // a link's address, instead of an ID
	Danger bool   // it stops something: shown as such
}

const (
	clickPrefix = "bb1:"
	stopAsk     = clickPrefix + "stop"
	stopYes     = stopAsk + ":yes"
	stopNo      = stopAsk + ":no"
)

// kindCodes are the post kinds a source click names, by one letter.
var kindCodes = map[Kind]string{KindBriefing: "b", KindDigest: "d", KindAnswer: "a"}

// articleIDRE is what an article ID in a click may be: the content hashes
// of briefing.ContentID, with room to spare.
var articleIDRE = regexp.MustCompile(`^[0-9A-Za-z_-]{1,64}$`)

// controlsOf gives a message the bot posts its controls: under briefings,
// digests and answers, Sources for their bullets, More on this and a link
// for their stories; under scheduled digests, Stop these. Other messages
// get none.
func controlsOf(m Message) *Controls {
	code, ok := kindCodes[m.Kind]
	if !ok {
		return nil
	}
	c := &Controls{}
	for _, s := range m.Stories {
		if !articleIDRE.MatchString(s.ArticleID) {
			continue
		}
		for _, bl := range s.Bullets {
			id := fmt.Sprintf("%ssrc:%s:%d:%s:%d", clickPrefix, code, bl.N, bl.ArticleID, bl.ClaimIndex)
			if bl.N > 0 && bl.ClaimIndex >= 0 && articleIDRE.MatchString(bl.ArticleID) && len(id) <= MaxClickID {
				c.Sources = append(c.Sources, Choice{Label: fmt.Sprintf("Source %d", bl.N), Detail: fmt.Sprintf("%d. %s", bl.N, bl.Line()), ID: id})
			}
		}
		c.More = append(c.More, Choice{Label: "More on this", Detail: storyName(s), ID: clickPrefix + "more:" + s.ArticleID})
		if s.URL != "" {
			c.Links = append(c.Links, Choice{Label: "Read the article", Detail: storyName(s), URL: s.URL})
		}
	}
	if m.Kind == KindDigest {
		c.Stop = &Choice{Label: "Stop these", ID: stopAsk, Danger: true}
	}
	if len(c.Sources) == 0 && len(c.More) == 0 && len(c.Links) == 0 && c.Stop == nil {
		return nil
	}
	return c
}

// withControls gives m its controls, unless it has some already.
func withControls(m Message) Message {
	if m.Controls == nil {
		m.Controls = controlsOf(m)
	}
	return m
}

func storyName(s Story) string {
	if s.Headline != "" {
		return textutil.OneLine(s.Headline)
	}
	return s.File
}

// click is a decoded click ID.
type click struct {
	action  string // "src", "more" or "stop"
	kind    Kind   // src: the kind of post the bullet was in
	n       int    // src: the bullet's number in that post
	article string // src and more
	claim   int    // src: the claim's index in the article
	answer  string // stop: "" (ask), "yes" or "no"
}

var errClick = errors.New("not a click ID of this bot")

func parseClick(id string) (click, error) {
	rest, ok := strings.CutPrefix(id, clickPrefix)
	if !ok || len(id) > MaxClickID {
		return click{}, errClick
	}
	f := strings.Split(rest, ":")
	num := func(s string, lo, hi int) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && n >= lo && n <= hi && strconv.Itoa(n) == s
	}
	switch {
	case f[0] == "src" && len(f) == 5:
		c := click{action: "src", article: f[3]}
		for k, code := range kindCodes {
			if code == f[1] {
				c.kind = k
			}
		}
		var okN, okClaim bool
		c.n, okN = num(f[2], 1, 1<<20)
		c.claim, okClaim = num(f[4], 0, 1<<30)
		if c.kind != "" && okN && okClaim && articleIDRE.MatchString(c.article) {
			return c, nil
		}
	case f[0] == "more" && len(f) == 2 && articleIDRE.MatchString(f[1]):
		return click{action: "more", article: f[1]}, nil
	case f[0] == "stop" && len(f) == 1:
		return click{action: "stop"}, nil
	case f[0] == "stop" && len(f) == 2 && (f[1] == "yes" || f[1] == "no"):
		return click{action: "stop", answer: f[1]}, nil
	}
	return click{}, errClick
}

// rightOfClick is the right a click needs, the right of the command it
// stands for (Stop these is /unsubscribe; Keep them needs none), and how a
// refusal names it.
func rightOfClick(id string) (Right, string) {
	c, err := parseClick(id)
	if err != nil || c.action != "stop" || c.answer == "no" {
		return Anyone, ""
	}
	cmd, _ := Lookup("unsubscribe")
	return cmd.Right, "“Stop these”"
}

// onClick answers a click, privately: the source of a bullet, the fuller
// briefing of a story, or stopping the channel's digests (asked to confirm
// first, then as /unsubscribe). An ID that does not parse gets a clear
// answer.
func (b *Bot) onClick(ctx context.Context, req Request) Message {
	m := b.answerClick(ctx, req)
	m.Private = true
	return m
}

func (b *Bot) answerClick(ctx context.Context, req Request) Message {
	c, err := parseClick(req.Click)
	if err != nil {
		b.log.Info("bot: click not understood", append([]any{"id", clip(req.Click, 120)}, req.logAttrs()...)...)
		return errorMessage("I can't read that button: it may come from an older version of me, or it was not mine. " +
			"Ask again with /briefing, or use /source followed by a few words of the claim.")
	}
	if why := b.refusal(ctx, req); why != "" {
		b.log.Info("bot: refused", append([]any{"click", req.Click, "dm", req.DM}, req.logAttrs()...)...)
		return Message{Kind: KindError, Text: why}
	}
	if c.article != "" { // a story of the asker's space, now or before: never another space's
		space, _ := req.space()
		seen, err := b.store.SeenIn(ctx, space, c.article)
		switch {
		case err != nil:
			b.log.Error("bot: click", "article", c.article, "err", err)
			return errorMessage("I could not read that article just now. Please try again.")
		case !seen:
			// Answered as an article the bot does not have: whether
			// another space has it is none of this one's business.
			b.log.Info("bot: a click on a story this space never had", append([]any{"click", req.Click}, req.logAttrs()...)...)
			c.article = ""
		}
	}
	switch c.action {
	case "src":
		bullets := []store.PostedBullet{{N: c.n, ArticleID: c.article, ClaimIndex: c.claim}}
		if c.article != "" {
			bullets[0].Also = b.alsoCarried(ctx, req, c)
		}
		return b.sourcesMessage(ctx, "that "+postNoun(string(c.kind)), bullets, c.n)
	case "more":
		space, _ := req.space()
		return b.moreOn(ctx, space, c.article)
	}
	switch c.answer {
	case "yes":
		return b.cmdUnsubscribe(ctx, req)
	case "no":
		return Message{Kind: KindInfo, Text: "Kept: this channel keeps getting its digests or live posts."}
	}
	return Message{
		Kind: KindInfo,
		Text: "Stop the scheduled digests in this channel (or its live posts), for everyone here? /subscribe starts them again.",
		Controls: &Controls{Confirm: []Choice{
			{Label: "Yes, stop them", ID: stopYes, Danger: true},
			{Label: "Keep them", ID: stopNo},
		}},
	}
}

// alsoCarried are the other articles that carry the clicked bullet, as
// the post clicked recorded them (a story's claim told by several
// outlets), those the asker's space sees.
func (b *Bot) alsoCarried(ctx context.Context, req Request, c click) []store.PostedCarrier {
	if req.ReplyTo == "" {
		return nil
	}
	p, err := b.store.PostByMessage(ctx, req.Platform, req.Channel, req.ReplyTo)
	if err != nil {
		return nil
	}
	space, _ := req.space()
	var out []store.PostedCarrier
	for _, pb := range p.Bullets {
		if pb.N != c.n || pb.ArticleID != c.article || pb.ClaimIndex != c.claim {
			continue
		}
		for _, a := range pb.Also {
			if seen, err := b.store.SeenIn(ctx, space, a.ArticleID); err == nil && seen {
				out = append(out, a)
			}
		}
	}
	return out
}

// moreOn answers More on this: the story of the article, as every outlet
// the space sees tells it, if it has several; else the whole briefing of
// the article, with all its bullets, its gist and its link, and Sources
// for its bullets.
func (b *Bot) moreOn(ctx context.Context, space, articleID string) Message {
	if _, arts, err := b.storyArticles(ctx, space, articleID); err == nil && len(arts) > 1 {
		m := b.storyView(ctx, space, articleID, "")
		m.Title = "More on this story: " + strings.TrimPrefix(m.Title, "Story: ")
		m.Controls = controlsOf(m)
		if m.Controls != nil {
			m.Controls.More = nil
		}
		return m
	}
	art, err := b.store.Article(ctx, articleID)
	switch {
	case isNotExist(err):
		return Message{Kind: KindInfo, Text: "I no longer have the article this story came from, so I can't say more about it."}
	case err != nil:
		b.log.Error("bot: more on a story", "article", articleID, "err", err)
		return errorMessage("I could not read that article just now. Please try again.")
	}
	m := Message{Kind: KindBriefing, Title: "More on this story", Stories: numberBullets([]Story{storyOf(art.Briefing, 0)})}
	if !art.Active {
		m.Text = "This article is no longer in my sources (its file or feed was removed); this is what I kept of it."
	}
	m.Controls = controlsOf(m)
	if m.Controls != nil {
		m.Controls.More = nil // this is the whole story
	}
	return m
}

var moreMention = regexp.MustCompile(`(?i)^more(?:\s+(?:on|about))?(?:\s+(?:bullet|number|no\.?|story))?\s*#?(\d{1,6})?\s*[?!.]*$`)

// moreOfPost answers "more N", the console's More on this: the whole
// story of bullet N of the post referred to ("more" alone, of its only
// story).
func (b *Bot) moreOfPost(ctx context.Context, req Request, n int) Message {
	space, _ := req.space()
	p, err := b.referencedPost(ctx, req)
	if err != nil {
		b.log.Error("bot: more", "channel", req.Destination().Key(), "err", err)
		return errorMessage("I could not look up my earlier messages just now. Please try again.")
	}
	if p == nil {
		return Message{Kind: KindInfo, Text: "I haven't posted a briefing with numbered bullets here yet. Ask for one with /briefing."}
	}
	stories, err := b.store.StoryIDs(ctx, postArticles(p))
	if err != nil {
		b.log.Error("bot: more", "channel", req.Destination().Key(), "err", err)
		return errorMessage("I could not look up my earlier messages just now. Please try again.")
	}
	article, story := "", ""
	for _, pb := range p.Bullets {
		sid := stories[pb.ArticleID]
		if sid == "" {
			sid = pb.ArticleID
		}
		switch {
		case n > 0 && pb.N == n:
			return b.moreOn(ctx, space, pb.ArticleID)
		case n == 0 && story != "" && sid != story:
			return errorMessage("That " + postNoun(p.Kind) + " has several stories: say which with a bullet number, such as “more 2”.")
		}
		if article == "" {
			article, story = pb.ArticleID, sid
		}
	}
	if n > 0 {
		return errorMessage(fmt.Sprintf("That %s has %d %s, so there is no bullet %d.", postNoun(p.Kind), len(p.Bullets), textutil.Plural(len(p.Bullets), "bullet", "bullets"), n))
	}
	return b.moreOn(ctx, space, article)
}
