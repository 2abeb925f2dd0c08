package bot

// Questions and source lookups: /ask, /source, /claims, and the mentions
// "@briefbot source?", "@briefbot source 2", "@briefbot who said “…”?" and
// "@briefbot <question>". Every answer is made of stored claims, each with
// its speaker, how it was said and its article; when the articles do not
// cover a question the answer says so.

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

const (
	maxQuestion    = 1000 // characters of a question, a phrase or a name
	maxClaimsShown = 10   // claims /claims lists
	maxAnswerWords = 60   // words of a claim an answer shows
)

// checkText validates what someone typed after a command: valid UTF-8, not
// empty, at most maxQuestion characters, with words to search for. usage
// is the reply to an empty text.
func checkText(text, usage string) (string, *Message) {
	return checkWords(text, usage, store.HasQueryTerms)
}

// checkWords is checkText with the function that tells whether a text has
// words to search for.
func checkWords(text, usage string, searchable func(string) bool) (string, *Message) {
	if !utf8.ValidString(text) {
		return "", &Message{Kind: KindError, Text: "I couldn't read that: it contains bytes that are not valid text (UTF-8). Please type it again."}
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return "", &Message{Kind: KindError, Text: usage}
	}
	if n := utf8.RuneCountInString(text); n > maxQuestion {
		return "", &Message{Kind: KindError, Text: fmt.Sprintf(
			"That is too long for me (%d characters); please keep it under %s characters, a sentence or two.", n, "1,000")}
	}
	if !searchable(text) {
		return "", &Message{Kind: KindError, Text: fmt.Sprintf(
			"I need a name, a place or a topic to look for, and “%s” has none. %s", clip(text, 80), usage)}
	}
	return text, nil
}

const askUsage = "Ask me about the news, for example: /ask what did Hamas say about the election?"

// cmdAsk answers /ask <question>.
func (b *Bot) cmdAsk(ctx context.Context, req Request) Message {
	space, _ := req.space()
	return b.answer(ctx, space, req.Args)
}

// answer answers a question with up to three attributed claims from the
// articles the space sees, most relevant first, or says that they do not
// cover it and names what they do cover.
func (b *Bot) answer(ctx context.Context, space, question string) Message {
	q, bad := checkText(question, askUsage)
	if bad != nil {
		return *bad
	}
	res, err := b.store.Search(ctx, q, store.SearchOptions{Space: space, Limit: 3, Attributed: true, Now: b.cfg.Now()})
	if err != nil {
		b.log.Error("bot: ask", "question", q, "err", err)
		return errorMessage("I could not search my articles just now. Please try again in a moment.")
	}
	if len(res.Hits) == 0 {
		return b.notInSources(ctx, space, "I don't have that in my sources.", res.Near)
	}
	bodies := b.citedBodies(ctx, res.Hits)
	claims := make(map[Carrier]briefing.Claim, len(res.Hits))
	for _, h := range res.Hits {
		claims[Carrier{h.Article.ID, h.Index}] = h.Claim
	}
	stories := b.withOutlets(ctx, space, storiesOf(res.Hits, func(h store.Hit) Bullet {
		return answerBullet(h, bodies[h.Article.ID])
	}), claims)
	return Message{
		Kind:    KindAnswer,
		Title:   "Q: " + clip(textutil.OneLine(q), 200),
		Text:    "From my sources, most relevant first:",
		Stories: numberBullets(stories),
		Footer:  "Reply “source 1” (or another number) for the exact sentence and what the article says around it.",
	}
}

// notInSources says honestly that the articles do not answer, and lists
// the closest topics they do have: the articles of the nearest claims,
// else the newest articles, with who speaks in them.
func (b *Bot) notInSources(ctx context.Context, space, text string, near []store.Hit) Message {
	type topic struct {
		headline string
		speakers []string
	}
	var topics []*topic
	byID := map[string]*topic{}
	for _, h := range near {
		t := byID[h.Article.ID]
		if t == nil {
			if len(topics) == 3 {
				continue
			}
			t = &topic{headline: headlineOf(h.Article)}
			byID[h.Article.ID] = t
			topics = append(topics, t)
		}
		if sp := h.Claim.Speaker; sp != "" && !h.Claim.SpeakerUnsure && !slices.Contains(t.speakers, sp) && len(t.speakers) < 3 {
			t.speakers = append(t.speakers, sp)
		}
	}
	if len(topics) == 0 {
		recent, err := b.store.LatestHeadlines(ctx, space, 3)
		if err != nil {
			b.log.Error("bot: recent articles", "err", err)
		}
		for _, h := range recent {
			topics = append(topics, &topic{headline: h})
		}
	}
	if len(topics) == 0 {
		return Message{Kind: KindInfo, Text: text + " I have no articles yet."}
	}
	lines := []string{text, "", "The closest topics I do have:"}
	for _, t := range topics {
		line := "• " + t.headline
		if len(t.speakers) > 0 {
			line += " (speakers: " + strings.Join(t.speakers, ", ") + ")"
		}
		lines = append(lines, line)
	}
	return Message{Kind: KindInfo, Text: strings.Join(lines, "\n")}
}

func headlineOf(a store.ArticleInfo) string {
	if a.Headline != "" {
		return a.Headline
	}
	if a.Title != "" {
		return a.Title
	}
	return a.Name
}

// storiesOf groups hits into stories, one per run of hits from the same
// article, keeping their order.
func storiesOf(hits []store.Hit, bullet func(store.Hit) Bullet) []Story {
	var stories []Story
	for _, h := range hits {
		if n := len(stories); n > 0 && stories[n-1].ArticleID == h.Article.ID {
			stories[n-1].Bullets = append(stories[n-1].Bullets, bullet(h))
			continue
		}
		s := Story{ArticleID: h.Article.ID, Headline: headlineOf(h.Article), URL: h.Article.URL,
			Source: h.Article.Source, Published: h.Article.Published}
		if s.URL == "" {
			s.File = h.Article.Name
		}
		s.Bullets = []Bullet{bullet(h)}
		stories = append(stories, s)
	}
	return stories
}

// citedBodies reads, in one query, the bodies of the articles of the hits
// whose attribution names a speaker, for the speaker as written; on an
// error it logs it and returns none (the bare speaker is shown).
func (b *Bot) citedBodies(ctx context.Context, hits []store.Hit) map[string]string {
	var ids []string
	for _, h := range hits {
		if h.Claim.Attributed() && (h.Claim.Speaker != "" || h.Claim.SpeakerRole != "") && !slices.Contains(ids, h.Article.ID) {
			ids = append(ids, h.Article.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	bodies, err := b.store.Bodies(ctx, ids)
	if err != nil {
		b.log.Warn("bot: the bodies of cited articles", "err", err)
	}
	return bodies
}

// answerBullet shows a claim in an answer: its text, in quotation marks
// only if verbatim, and who said it, how; with the article's text (body,
// if not empty) the speaker as the article wrote it, as its briefing has it.
func answerBullet(h store.Hit, body string) Bullet {
	return Bullet{Text: claimText(h.Claim, maxAnswerWords), Quoted: h.Claim.Verbatim,
		Attribution: kindAttribution(h.Claim, briefing.AttributionIn(body, h.Claim)), ArticleID: h.Article.ID, ClaimIndex: h.Index}
}

// kindAttribution is the house-style attribution and whether the claim is
// quoted or paraphrased: "Basem Naim, Hamas Political Bureau member, via
// Newsweek; quoted". a is the claim's attribution.
func kindAttribution(c briefing.Claim, a string) string {
	switch {
	case !c.Attributed():
		return a
	case c.Verbatim:
		return a + "; quoted"
	case c.Kind == briefing.Direct:
		return a + "; quoted, but the words do not match the article exactly"
	default:
		return a + "; paraphrased"
	}
}

// claimText is a claim as a bullet shows it, without quotation marks: a
// verbatim claim exactly as written (cut to a prefix ending in "…" if
// longer than maxWords), a paraphrase with a capital and "he" or "she"
// at its start replaced by the speaker's surname.
func claimText(c briefing.Claim, maxWords int) string {
	text := strings.TrimSpace(c.Text)
	if !c.Verbatim {
		if first, rest, ok := strings.Cut(text, " "); ok && (strings.EqualFold(first, "he") || strings.EqualFold(first, "she")) && c.Speaker != "" && !c.SpeakerUnsure {
			f := strings.Fields(c.Speaker)
			if len(f) > 1 && startsUpper(f[0]) && startsUpper(f[len(f)-1]) {
				text = f[len(f)-1] + " " + rest
			}
		}
		if r, size := utf8.DecodeRuneInString(text); size > 0 && unicode.IsLower(r) {
			text = string(unicode.ToUpper(r)) + text[size:]
		}
	}
	words := strings.Fields(text)
	if len(words) > maxWords {
		cut := 0
		for i := 0; i < maxWords; i++ {
			cut = strings.Index(text[cut:], words[i]) + cut + len(words[i])
		}
		text = strings.TrimRight(text[:cut], " ,;:—–") + "…"
	}
	return text
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// clip shortens s to at most n characters, between words, ending in "…"
// if cut.
func clip(s string, n int) string { return textutil.Clip(s, n, textutil.Runes) }

// ---- /source ----

const sourceUsage = "Tell me which claim: /source 2 for bullet 2 of my last briefing here, or /source followed by a few words of the claim."

var bulletRef = regexp.MustCompile(`(?i)^(?:(?:bullet|number|no\.?|#)\s*)?#?(\d{1,6})\s*[.?!]*$`)

// cmdSource answers /source [bullet number or text]: with no argument the
// sources of every bullet of the briefing referred to (the one replied to,
// else the latest with bullets in the channel), with a number the source
// of that bullet, with text the source of the claim that best matches it.
func (b *Bot) cmdSource(ctx context.Context, req Request) Message {
	if !utf8.ValidString(req.Args) {
		_, bad := checkText(req.Args, sourceUsage)
		return *bad
	}
	arg := strings.TrimSpace(req.Args)
	if arg == "" || strings.Trim(arg, "?!. ") == "" {
		return b.sourcesOfPost(ctx, req, 0)
	}
	if m := bulletRef.FindStringSubmatch(arg); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n == 0 {
			return errorMessage("Bullets are numbered from 1. " + sourceUsage)
		}
		return b.sourcesOfPost(ctx, req, n)
	}
	return b.sourceOfText(ctx, req, arg)
}

// referencedPost is the post a source request refers to: the message it
// replies to, else the latest post with bullets in its thread, else in its
// channel. nil if there is none.
func (b *Bot) referencedPost(ctx context.Context, req Request) (*store.Post, error) {
	if req.ReplyTo != "" {
		p, err := b.store.PostByMessage(ctx, req.Platform, req.Channel, req.ReplyTo)
		switch {
		case err == nil && len(p.Bullets) > 0:
			return p, nil
		case err != nil && !isNotExist(err):
			return nil, err
		}
		p, err = b.store.LatestBulletPost(ctx, req.Platform, req.Channel, req.ReplyTo)
		switch {
		case err == nil:
			return p, nil
		case !isNotExist(err):
			return nil, err
		}
	}
	p, err := b.store.LatestBulletPost(ctx, req.Platform, req.Channel, "")
	if isNotExist(err) {
		return nil, nil
	}
	return p, err
}

// sourcesOfPost answers with the source of bullet n of the post referred
// to, or of all its bullets if n is 0.
func (b *Bot) sourcesOfPost(ctx context.Context, req Request, n int) Message {
	p, err := b.referencedPost(ctx, req)
	if err != nil {
		b.log.Error("bot: source", "channel", req.Destination().Key(), "err", err)
		return errorMessage("I could not look up my earlier messages just now. Please try again.")
	}
	if p == nil {
		return Message{Kind: KindInfo, Text: "I haven't posted a briefing with numbered bullets here yet, so I don't know which claim you mean. " +
			"Ask for one with /briefing, or use /source followed by a few words of the claim."}
	}
	what := "that " + postNoun(p.Kind)
	bullets := p.Bullets
	if n > 0 {
		var found []store.PostedBullet
		for _, pb := range p.Bullets {
			if pb.N == n {
				found = append(found, pb)
			}
		}
		if len(found) == 0 {
			return errorMessage(fmt.Sprintf("%s has %d %s, so there is no bullet %d. Ask for source 1 to %d.",
				textutil.UpperFirst(what), len(p.Bullets), textutil.Plural(len(p.Bullets), "bullet", "bullets"), n, len(p.Bullets)))
		}
		bullets = found
	}
	return b.sourcesMessage(ctx, what, bullets, n)
}

// sourcesMessage answers with the sources of bullets of the post named
// what ("that digest"): of bullet n alone if n > 0. A bullet whose article
// is gone says so.
func (b *Bot) sourcesMessage(ctx context.Context, what string, bullets []store.PostedBullet, n int) Message {
	var stories []Story
	var all []store.PostedBullet // each bullet, then the other articles that carry it
	for _, pb := range bullets {
		all = append(all, pb)
		for _, c := range pb.Also {
			all = append(all, store.PostedBullet{N: pb.N, ArticleID: c.ArticleID, ClaimIndex: c.ClaimIndex})
		}
	}
	for _, pb := range all {
		st, err := b.sourceStory(ctx, pb.ArticleID, pb.ClaimIndex, pb.N)
		if err != nil {
			if isNotExist(err) {
				stories = append(stories, Story{Headline: "(an article I no longer have)", Bullets: []Bullet{{N: pb.N,
					Text: "I no longer have the article this bullet came from."}}})
				continue
			}
			b.log.Error("bot: source", "article", pb.ArticleID, "claim", pb.ClaimIndex, "err", err)
			return errorMessage("I could not read that article just now. Please try again.")
		}
		if k := len(stories); k > 0 && stories[k-1].ArticleID == st.ArticleID && st.ArticleID != "" {
			stories[k-1].Bullets = append(stories[k-1].Bullets, st.Bullets...)
			stories[k-1].Context = ""
			continue
		}
		stories = append(stories, st)
	}
	m := Message{Kind: KindSources, Stories: stories}
	if n > 0 {
		m.Title = fmt.Sprintf("Source of bullet %d of %s", n, what)
	} else {
		m.Title = fmt.Sprintf("Sources of the %d %s of %s", len(bullets), textutil.Plural(len(bullets), "bullet", "bullets"), what)
		m.Footer = "Reply “source N” for one bullet with what the article says around it."
	}
	return m
}

func postNoun(kind string) string {
	switch Kind(kind) {
	case KindDigest:
		return "digest"
	case KindAnswer:
		return "answer"
	case KindBriefing:
		return "briefing"
	}
	return "message"
}

// sourceStory is the source of claim idx of the article: the article, the
// claim with its attribution and exact source sentence (sliced from the
// stored body at the claim's stored offsets), and the sentences before and
// after it as context.
func (b *Bot) sourceStory(ctx context.Context, articleID string, idx, n int) (Story, error) {
	art, err := b.store.Article(ctx, articleID)
	if err != nil {
		return Story{}, err
	}
	c, err := b.store.Claim(ctx, articleID, idx)
	if err != nil {
		return Story{}, err
	}
	sentence, before, after := store.ClaimSentences(art.Body, c.Start, c.End)
	st := Story{ArticleID: art.ID, Headline: art.Briefing.Headline, URL: art.URL, Source: art.Source, Published: art.Published}
	if st.Headline == "" {
		st.Headline = art.Title
	}
	if st.URL == "" {
		st.File = art.Name
	}
	st.Bullets = []Bullet{{N: n, Text: claimText(c, 1000), Quoted: c.Verbatim, Attribution: sourceAttribution(art.Body, c),
		ArticleID: art.ID, ClaimIndex: idx, Sentence: textutil.OneLine(sentence)}}
	if before == "" {
		before = "(the article starts with this sentence)"
	}
	if after == "" {
		after = "(the article ends with this sentence)"
	}
	st.Context = "Before: " + textutil.OneLine(before) + " After: " + textutil.OneLine(after)
	return st, nil
}

// sourceAttribution says everything known of where a claim comes from: the
// speaker and role, the verb, the outlet or channel, and whether the words
// are verbatim. body is the article's text, for the speaker as the
// article wrote it ("the survey"); it may be empty.
func sourceAttribution(body string, c briefing.Claim) string {
	if !c.Attributed() {
		return "not attributed to anyone: the article's own reporting"
	}
	var parts []string
	switch {
	case c.SpeakerUnsure && c.Speaker != "":
		parts = append(parts, "speaker: unclear (perhaps “"+c.Speaker+"”, but not for certain)")
	case c.SpeakerUnsure || c.Speaker == "":
		parts = append(parts, "speaker: unclear (someone's words, but whose is not certain)")
	default:
		who := "speaker: " + speakerIn(body, c)
		if c.Anonymous {
			who += " (unnamed)"
		}
		parts = append(parts, who)
		if c.SpeakerRole != "" {
			parts = append(parts, "role: "+c.SpeakerRole)
		}
	}
	if c.Verb != "" {
		parts = append(parts, "verb: "+c.Verb)
	}
	if c.Via != "" {
		parts = append(parts, "via: "+c.Via)
	}
	switch {
	case c.Verbatim:
		parts = append(parts, "quoted verbatim")
	case c.Kind == briefing.Direct:
		parts = append(parts, "quoted, but not word for word as the article has it")
	case c.Kind == briefing.AccordingTo:
		parts = append(parts, "paraphrased (“according to”), not verbatim")
	default:
		parts = append(parts, "paraphrased, not verbatim")
	}
	return strings.Join(parts, "; ")
}

// speakerIn is c's speaker as the article (body) wrote it, as its
// briefing names it ([briefing.SpeakerIn]).
func speakerIn(body string, c briefing.Claim) string {
	if body == "" || c.Anonymous {
		return c.Speaker // shown with "(unnamed)"
	}
	return briefing.SpeakerIn(body, c)
}

// sourceOfText answers with the source of the claim that best matches the
// text, among the articles the request's space sees.
func (b *Bot) sourceOfText(ctx context.Context, req Request, text string) Message {
	space, _ := req.space()
	phrase, bad := checkText(unquote(text), sourceUsage)
	if bad != nil {
		return *bad
	}
	res, err := b.store.Search(ctx, phrase, store.SearchOptions{Space: space, Limit: 1, Now: b.cfg.Now()})
	if err != nil {
		b.log.Error("bot: source", "text", phrase, "err", err)
		return errorMessage("I could not search my articles just now. Please try again in a moment.")
	}
	if len(res.Hits) == 0 {
		return b.notInSources(ctx, space, fmt.Sprintf("I can't find “%s” in my sources.", clip(textutil.OneLine(phrase), 120)), res.Near)
	}
	h := res.Hits[0]
	st, err := b.sourceStory(ctx, h.Article.ID, h.Index, 1)
	if err != nil {
		b.log.Error("bot: source", "article", h.Article.ID, "claim", h.Index, "err", err)
		return errorMessage("I could not read that article just now. Please try again.")
	}
	return Message{Kind: KindSources, Title: fmt.Sprintf("Source of “%s”", clip(textutil.OneLine(phrase), 120)), Stories: []Story{st}}
}

// unquote strips quotation marks around text.
func unquote(text string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(text), "\"“”„'‘’«»?!. "))
}

// ---- /claims ----

const claimsUsage = "Tell me whose claims to list, for example: /claims Naim, or /claims Hamas officials."

// cmdClaims answers /claims <speaker>: what the speaker said, across all
// articles, newest article first. A name matches speakers whose name holds
// all its words (so a surname finds the full name), then speakers whose
// role does ("Hamas" finds "Hamas officials", then Basem Naim, "Hamas
// Political Bureau member").
func (b *Bot) cmdClaims(ctx context.Context, req Request) Message {
	name, bad := checkWords(unquote(req.Args), claimsUsage, func(name string) bool { return len(store.NameTerms(name)) > 0 })
	if bad != nil {
		return *bad
	}
	space, _ := req.space()
	hits, total, err := b.store.ClaimsBySpeaker(ctx, space, name, maxClaimsShown)
	if err != nil {
		b.log.Error("bot: claims", "speaker", name, "err", err)
		return errorMessage("I could not search my articles just now. Please try again in a moment.")
	}
	if total == 0 {
		text := fmt.Sprintf("I have no claims by “%s” in my sources.", clip(textutil.OneLine(name), 80))
		if speakers, err := b.store.Speakers(ctx, space, 8); err == nil && len(speakers) > 0 {
			text += " People and groups I do have claims from: " + strings.Join(speakers, "; ") + "."
		}
		return Message{Kind: KindInfo, Text: text}
	}
	var names, roles []string
	for _, h := range hits {
		if !h.Speaker && !slices.Contains(roles, h.Claim.Speaker) {
			roles = append(roles, h.Claim.Speaker)
		} else if h.Speaker && !slices.Contains(names, h.Claim.Speaker) {
			names = append(names, h.Claim.Speaker)
		}
	}
	bodies := b.citedBodies(ctx, hits)
	m := Message{
		Kind:    KindAnswer,
		Title:   fmt.Sprintf("What %s said", clip(textutil.OneLine(name), 80)),
		Stories: numberBullets(storiesOf(hits, func(h store.Hit) Bullet { return answerBullet(h, bodies[h.Article.ID]) })),
	}
	if len(roles) > 0 {
		m.Text = fmt.Sprintf("Including speakers whose role mentions “%s”: %s.", clip(textutil.OneLine(name), 80), strings.Join(roles, ", "))
	}
	footer := []string{}
	if total > len(hits) {
		footer = append(footer, fmt.Sprintf("Showing %d of %d claims; %d more not shown.", len(hits), total, total-len(hits)))
	}
	footer = append(footer, "Reply “source N” for the exact sentence of claim N.")
	m.Footer = strings.Join(footer, " ")
	return m
}

// ---- Mentions ----

var (
	sourcesMention = regexp.MustCompile(`(?i)^(?:the\s+)?sources?(?:\s+(?:please|pls))?\s*[?!.]*$`)
	sourceNMention = regexp.MustCompile(`(?i)^(?:the\s+)?sources?\s*(?:(?:of|for|on)\s+)?(?:(?:bullet|number|no\.?)\s*)?#?(\d{1,6})\s*[?!.]*$`)
	whoSaidMention = regexp.MustCompile(`(?is)^(?:who|where)\s+(?:said|says|claimed|wrote|did\s+say)\s*:?\s*(.*)$`)
)

// mentionSource answers the source requests a mention can make: "source?",
// "sources", "source 2", who said "<phrase>", and "more 2" (the whole
// story of bullet 2). ok is false for any other text.
func (b *Bot) mentionSource(ctx context.Context, req Request, text string) (Message, bool) {
	switch {
	case sourcesMention.MatchString(text):
		return b.sourcesOfPost(ctx, req, 0), true
	case sourceNMention.MatchString(text):
		n, _ := strconv.Atoi(sourceNMention.FindStringSubmatch(text)[1])
		if n == 0 {
			return errorMessage("Bullets are numbered from 1. " + sourceUsage), true
		}
		return b.sourcesOfPost(ctx, req, n), true
	case whoElseMention.MatchString(text):
		num := whoElseMention.FindStringSubmatch(text)[1]
		n, _ := strconv.Atoi(num)
		if num != "" && n == 0 {
			return errorMessage("Bullets are numbered from 1: “who else reports 1?” is about the story of bullet 1."), true
		}
		return b.whoElse(ctx, req, n), true
	case moreMention.MatchString(text):
		num := moreMention.FindStringSubmatch(text)[1]
		n, _ := strconv.Atoi(num)
		if num != "" && n == 0 {
			return errorMessage("Bullets are numbered from 1: “more 1” is the whole story of bullet 1."), true
		}
		return b.moreOfPost(ctx, req, n), true
	}
	if m := whoSaidMention.FindStringSubmatch(text); m != nil && isQuoted(m[1]) {
		return b.sourceOfText(ctx, req, m[1]), true
	}
	return Message{}, false
}

// isQuoted reports whether s is a phrase in quotation marks (a question
// mark may follow).
func isQuoted(s string) bool {
	s = strings.TrimRight(strings.TrimSpace(s), "?!. ")
	if s == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("\"“„'‘«", first) && strings.ContainsRune("\"”“'’»", last) && utf8.RuneCountInString(s) > 2
}
