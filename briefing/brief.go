package briefing

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

func (o Options) withDefaults() Options {
	if o.MaxWords <= 0 {
		o.MaxWords = 120
	}
	if o.MinBullets <= 0 {
		o.MinBullets = 3
	}
	if o.MaxBullets <= 0 {
		o.MaxBullets = 5
	}
	if o.MinBullets > o.MaxBullets {
		o.MinBullets = o.MaxBullets
	}
	return o
}

// Longest claim text a bullet shows, in words; longer ones are cut at a
// clause boundary and marked with an ellipsis.
const maxBulletTextWords = 32

// brief composes the briefing of an article: its headline, a gist of one
// or two sentences, and 3 to 5 key claims, each with its attribution.
func brief(a *Article, sents []Sentence, claims []Claim, opt Options) Briefing {
	opt = opt.withDefaults()
	b := Briefing{ArticleID: a.ID, Article: a.Name, Headline: a.Title, Source: a.Source, URL: a.URL, Published: a.Published}
	if b.Headline == "" {
		b.Headline = DeriveHeadline(a.Body)
	}
	if len(sents) == 0 {
		return b
	}
	// A derived headline is the lede: similarity to it is still a signal.
	scores, _, voc := rankSentences(a.Body, sents, b.Headline)

	type cand struct {
		i     int
		score float64
		v     vec
	}
	var cands []cand
	for i, c := range claims {
		if c.Kind != Unattributed && c.Speaker == "" || wordCount(c.Text) < 4 {
			continue
		}
		if c.Kind == Unattributed && a.Derived && c.Sentence == 0 {
			continue // it is the headline
		}
		s := 0.0
		for k := c.Sentence; k < len(sents) && sents[k].Start < c.End; k++ {
			s = math.Max(s, scores[k])
		}
		if c.Attributed() {
			s += 0.2
		}
		cands = append(cands, cand{i: i, score: s, v: voc.terms(c.Text, false)})
	}
	sort.SliceStable(cands, func(x, y int) bool { return cands[x].score > cands[y].score })

	var chosen []cand
	words := 0
	for _, cd := range cands {
		if len(chosen) == opt.MaxBullets {
			break
		}
		dup := false
		for _, ch := range chosen {
			c1, c2 := claims[cd.i], claims[ch.i]
			if cosine(cd.v, ch.v) > 0.5 || c1.Start < c2.End && c2.Start < c1.End {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		bl := makeBullet(claims[cd.i])
		bl.Index = cd.i
		n := wordCount(bl.Line)
		if words+n > opt.MaxWords {
			continue
		}
		words += n
		chosen = append(chosen, cd)
		b.Bullets = append(b.Bullets, bl)
	}
	sort.SliceStable(b.Bullets, func(x, y int) bool { return b.Bullets[x].Start < b.Bullets[y].Start })
	b.Gist = gist(a, sents, scores, b.Bullets)
	b.Score = importance(scores, claims)
	return b
}

// gist picks one or two high-ranking sentences near the top of the article
// that the bullets do not already carry, in article order.
func gist(a *Article, sents []Sentence, scores []float64, bullets []Bullet) string {
	type pick struct {
		i int
		s float64
	}
	var picks []pick
	for i := range sents {
		if i >= 6 {
			break
		}
		if i == 0 && a.Derived {
			continue
		}
		used := false
		for _, bl := range bullets {
			if bl.Start < sents[i].End && sents[i].Start < bl.End {
				used = true
			}
		}
		if used || wordCount(sents[i].Text(a.Body)) < 6 {
			continue
		}
		picks = append(picks, pick{i, scores[i]})
	}
	if len(picks) == 0 {
		return ""
	}
	sort.SliceStable(picks, func(x, y int) bool { return picks[x].s > picks[y].s })
	chosen := []int{picks[0].i}
	if len(picks) > 1 && wordCount(sents[picks[0].i].Text(a.Body))+wordCount(sents[picks[1].i].Text(a.Body)) <= 45 {
		chosen = append(chosen, picks[1].i)
	}
	sort.Ints(chosen)
	parts := make([]string, len(chosen))
	for k, i := range chosen {
		parts[k] = sents[i].Text(a.Body)
	}
	return strings.Join(parts, " ")
}

// importance is how much an article matters in a digest: how central its
// best sentences are and how much attributed reporting it carries.
func importance(scores []float64, claims []Claim) float64 {
	top := append([]float64(nil), scores...)
	sort.Sort(sort.Reverse(sort.Float64Slice(top)))
	s := 0.0
	for i := 0; i < len(top) && i < 3; i++ {
		s += top[i] / 3
	}
	n := 0
	for _, c := range claims {
		if c.Attributed() && c.Speaker != "" {
			n++
		}
	}
	return s + 0.05*math.Min(float64(n), 10)
}

// makeBullet renders a claim in the house style: the claim, then its
// attribution in parentheses. Quotation marks appear only around verbatim
// words of the article.
func makeBullet(c Claim) Bullet {
	text := shorten(c.Text, maxBulletTextWords, c.Verbatim)
	if !c.Verbatim {
		text = upperFirst(replaceLeadingPronoun(text, c))
	}
	shown := text
	if c.Verbatim {
		text = "“" + text + "”"
	}
	attr := Attribution(c)
	return Bullet{Claim: c, Line: text + " (" + attr + ")", Attribution: attr, Shown: shown}
}

// Attribution renders who a claim comes from: "Basem Naim, Hamas Political
// Bureau member, via Newsweek"; "according to Egyptian officials";
// "unattributed" for the article's own voice.
func Attribution(c Claim) string {
	if c.SpeakerUnsure && c.Kind != Unattributed {
		return "attribution unclear"
	}
	if c.Kind == Unattributed || c.Speaker == "" {
		return "unattributed: the article's own reporting"
	}
	var sb strings.Builder
	switch {
	case c.Kind == AccordingTo:
		sb.WriteString("according to ")
	case stanceVerbs[c.Verb]:
		// The verb is part of the claim's meaning: "claimed by Donald Trump".
		sb.WriteString(pastTense(c.Verb) + " by ")
	}
	if c.Anonymous && !mentionsAnonymity(c.Speaker) {
		sb.WriteString("anonymous ")
	}
	sb.WriteString(c.Speaker)
	if c.SpeakerRole != "" && wordCount(c.SpeakerRole) <= 6 && !strings.Contains(c.Speaker, c.SpeakerRole) {
		sb.WriteString(", ")
		sb.WriteString(c.SpeakerRole)
	}
	if c.Via != "" {
		sb.WriteString(", ")
		sb.WriteString(viaPhrase(c.Via))
	}
	return sb.String()
}

func pastTense(v string) string {
	if strings.HasSuffix(v, "s") && !strings.HasSuffix(v, "ss") {
		return strings.TrimSuffix(strings.TrimSuffix(v, "s"), "e") + "ed"
	}
	return v
}

func mentionsAnonymity(s string) bool {
	l := strings.ToLower(s)
	for _, w := range []string{"anonymous", "unnamed", "source", "familiar", "people", "person", "insider"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// viaPhrase renders the channel: "via Reuters", "in a statement", "to
// reporters".
func viaPhrase(via string) string {
	l := strings.ToLower(via)
	switch {
	case l == "reporters" || l == "journalists" || strings.HasPrefix(l, "the press") || strings.HasPrefix(l, "the media"):
		return "to " + via
	case strings.HasPrefix(l, "a ") || strings.HasPrefix(l, "an "):
		return "in " + via
	case via != "" && unicode.IsLower([]rune(via)[0]):
		if strings.HasPrefix(l, "social media") {
			return "on " + via
		}
		return "in a " + via
	}
	return "via " + via
}

// replaceLeadingPronoun turns "he will work ..." into "Trump will work ..."
// when the pronoun is the speaker, so the bullet reads on its own.
func replaceLeadingPronoun(text string, c Claim) string {
	sp := strings.IndexByte(text, ' ')
	if sp < 0 || c.Speaker == "" || c.Kind == Direct {
		return text
	}
	first := strings.ToLower(text[:sp])
	if first != "he" && first != "she" {
		return text
	}
	name := c.Speaker
	if f := strings.Fields(name); len(f) > 1 && unicode.IsUpper([]rune(f[0])[0]) && unicode.IsUpper([]rune(f[len(f)-1])[0]) {
		name = f[len(f)-1]
	}
	return name + text[sp:]
}

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// shorten cuts text to at most max words, at the last clause boundary
// (comma, semicolon, dash) if one is in the second half, and adds "…".
// A verbatim quote stays a prefix of the original words.
func shorten(text string, max int, verbatim bool) string {
	words := 0
	inWord := false
	cut := -1
	lastBoundary := -1
	for i, r := range text {
		if unicode.IsSpace(r) {
			if inWord {
				words++
				if words == max {
					cut = i
					break
				}
			}
			inWord = false
			continue
		}
		inWord = true
		if (r == ',' || r == ';' || r == '—' || r == '–') && words >= max/2 {
			lastBoundary = i
		}
	}
	if cut < 0 {
		return text
	}
	if lastBoundary > 0 {
		cut = lastBoundary
	}
	return strings.TrimRight(text[:cut], " ,;—–") + "…"
}

// wordCount counts the words of s.
func wordCount(s string) int {
	n := 0
	inWord := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			inWord = false
			continue
		}
		if !inWord && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '“' || r == '"' || r == '(' || r == '$') {
			n++
			inWord = true
		}
	}
	return n
}
