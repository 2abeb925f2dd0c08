package briefing

import (
	"github.com/briefbot/briefbot/internal/textutil"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The briefing of a story told by several articles: the lead most outlets
// give, the claims merged across outlets (the same speaker saying the same
// thing), the denials beside the claims they answer, and the numbers
// outlets give differently for the same fact.

// Most claims a story briefing lists.
const maxStoryClaims = 12

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
	sb := StoryBrief{ID: id, Claims: []StoryClaim{}, Disputes: []Dispute{}, Discrepancies: []Discrepancy{}}
	for _, an := range ans {
		a := an.Article
		sb.Articles = append(sb.Articles, StoryArticle{ArticleID: a.ID, File: a.Name, Outlet: a.Source, URL: a.URL, Published: a.Published})
	}
	if len(ans) == 0 {
		return sb
	}
	storyLead(&sb, ans)
	clusters := clusterClaims(ans)
	disputes := findDisputes(ans, clusters)
	sb.Claims, sb.Disputes = keyClaims(ans, clusters, disputes)
	sb.Discrepancies = findDiscrepancies(ans)
	return sb
}

// storyLead picks the headline and the lead most outlets give: those of the
// article whose headline and gist share most with the others'.
func storyLead(sb *StoryBrief, ans []*Analysis) {
	voc := newVocab()
	heads := make([]vec, len(ans))
	gists := make([]vec, len(ans))
	for i, an := range ans {
		heads[i] = voc.terms(an.Briefing.Headline+" "+an.Briefing.Gist, true)
		gists[i] = voc.terms(an.Briefing.Gist, true)
	}
	h := central(heads, func(i int) float64 {
		// A headline in capitals or with an exclamation (a tabloid's) is
		// not the story's.
		if h := ans[i].Briefing.Headline; strings.ToUpper(h) == h || strings.Contains(h, "!") || strings.Contains(h, ": ") && strings.ToUpper(h[:strings.Index(h, ": ")]) == h[:strings.Index(h, ": ")] {
			return 0.5
		}
		return 1
	})
	sb.Headline = ans[h].Briefing.Headline
	g := central(gists, func(i int) float64 { return 1 })
	sb.Lead = ans[g].Briefing.Gist
	sb.LeadArticle = g
	for i, an := range ans {
		if i == g || cosine(gists[g], gists[i]) >= 0.3 {
			sb.LeadOutlets = appendOutlet(sb.LeadOutlets, an.Article.Source)
		}
	}
}

// central returns the index of the vector most similar to the others
// (summed cosine, times factor), the first of equals.
func central(vecs []vec, factor func(int) float64) int {
	best, bestScore := 0, -1.0
	for i := range vecs {
		s := 0.0
		for j := range vecs {
			if i != j {
				s += cosine(vecs[i], vecs[j])
			}
		}
		s *= factor(i)
		if s > bestScore+1e-9 {
			best, bestScore = i, s
		}
	}
	return best
}

// A claim of one article, as a member of a merged claim.
type claimRef struct {
	art, claim int
	words      map[string]bool
	speaker    []string // normalised speaker words; nil for the article's own voice
	role       []string // normalised words of the speaker's role ("trust's chief executive")
}

type claimCluster struct {
	members []claimRef
	dispute bool
}

// clusterClaims merges the claims of a story's articles: the same speaker
// (or the outlets' own voice) saying much the same thing.
func clusterClaims(ans []*Analysis) []*claimCluster {
	var clusters []*claimCluster
	for ai, an := range ans {
		chosen := make(map[int]bool, len(an.Briefing.Bullets))
		for _, b := range an.Briefing.Bullets {
			chosen[b.Index] = true
		}
		for ci, c := range an.Claims {
			if ci >= storyClaims && !chosen[ci] {
				continue
			}
			r := claimRef{art: ai, claim: ci, words: contentWords(c.Text), speaker: speakerKey(c)}
			if r.speaker != nil && c.SpeakerRole != "" {
				r.role = speakerKey(Claim{Kind: c.Kind, Speaker: c.SpeakerRole})
			}
			if len(r.words) == 0 {
				continue
			}
			var best *claimCluster
			bestSim := 0.0
			for _, cl := range clusters {
				same := sameSpeaker(cl.members[0].speaker, r.speaker)
				for _, m := range cl.members {
					s := claimSimilarity(m.words, r.words)
					// The same words quoted are the same claim, whoever
					// an outlet says spoke them ("the manager said").
					if !same && !(s >= 0.9 && c.Kind == Direct && ans[m.art].Claims[m.claim].Kind == Direct) {
						continue
					}
					if s > bestSim {
						best, bestSim = cl, s
					}
				}
			}
			if best != nil && bestSim >= 0.5 {
				best.members = append(best.members, r)
				continue
			}
			clusters = append(clusters, &claimCluster{members: []claimRef{r}})
		}
	}
	return clusters
}

// A story reads at most the first storyClaims claims of each article
// (and those its briefing chose) and the numbers of its first
// storySentences sentences: the news is at the top, and claims are
// compared with every other, so that a story with a long article (a
// report of a megabyte) costs no more than one of news articles.
const (
	storyClaims    = 60
	storySentences = 80
)

// containment is the share of a's words that b holds.
func containment(a, b map[string]bool) float64 {
	if len(a) == 0 {
		return 0
	}
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// trimTagDateline drops an outlet's tag opening a text: "(Meridian Wire) -
// Kingsbridge Rovers sacked …".
func trimTagDateline(text string) string {
	if !strings.HasPrefix(text, "(") {
		return text
	}
	end := strings.IndexByte(text, ')')
	if end < 0 || end > 40 {
		return text
	}
	rest := strings.TrimLeft(text[end+1:], " ")
	for _, dash := range []string{"- ", "— ", "– "} {
		if r, ok := strings.CutPrefix(rest, dash); ok {
			return textutil.UpperFirst(r)
		}
	}
	return text
}

// claimSimilarity is the share of the shorter claim's content words that
// the other has, 0 if they share fewer than two (three for long claims).
func claimSimilarity(a, b map[string]bool) float64 {
	n, shorter := overlap(a, b)
	if n < 2 || n < 3 && shorter > 4 {
		return 0
	}
	return float64(n) / float64(shorter)
}

// overlap counts the words a and b share, and the size of the
// smaller.
func overlap(a, b map[string]bool) (n, shorter int) {
	if len(a) > len(b) {
		a, b = b, a
	}
	for w := range a {
		if b[w] {
			n++
		}
	}
	return n, len(a)
}

// contentWords returns the stemmed content words of s.
func contentWords(s string) map[string]bool {
	out := map[string]bool{}
	forEachWordBytes(s, func(w []byte) {
		if len(w) < 3 && !isDigitByte(w[0]) || stopwords[string(w)] {
			return
		}
		out[string(stem(w))] = true
	})
	return out
}

// speakerKey normalises a claim's speaker: lower-case words without titles
// and "anonymous"; nil for the article's own voice or an unsure speaker.
func speakerKey(c Claim) []string {
	if c.Kind == Unattributed || c.Speaker == "" || c.SpeakerUnsure {
		return nil
	}
	var out []string
	for _, w := range strings.Fields(strings.ToLower(c.Speaker)) {
		w = strings.Trim(w, ".,'’")
		if w == "" || titleWords[w] || honorifics[w] || determiners[w] || w == "anonymous" || w == "unnamed" {
			continue
		}
		w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = w[:len(w)-1]
		}
		out = append(out, w)
	}
	if len(out) == 0 {
		out = []string{strings.ToLower(c.Speaker)}
	}
	return out
}

// sameSpeaker reports whether two normalised speakers are the same party:
// the same last word ("Dana Whitlock", "Whitlock"; "US officials",
// "officials"), or one's words all in the other's. The outlets' own voice
// is the same as itself only.
func sameSpeaker(a, b []string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if a[len(a)-1] == b[len(b)-1] {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	for _, w := range a {
		found := false
		for _, x := range b {
			if x == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Cue verbs of a denial, and words that make a statement one.
var (
	denialVerbs = setOf(`deny denies denied denying dispute disputes disputed disputing reject rejects rejected
rejecting rebut rebuts rebutted refute refutes refuted contest contests contested dismiss dismisses dismissed`)
	denialWords = []string{"false", "untrue", "not true", "baseless", "unfounded", "no truth"}
)

// isDenial reports whether claim c denies or rejects something.
func isDenial(c Claim) bool {
	if c.Kind == Unattributed || c.Speaker == "" {
		return false
	}
	if denialVerbs[strings.ToLower(c.Verb)] {
		return true
	}
	// Whole words only: "allies" holds no "lies".
	l := " " + strings.Join(strings.FieldsFunc(strings.ToLower(c.Text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}), " ") + " "
	for _, w := range denialWords {
		if strings.Contains(l, " "+w+" ") {
			return true
		}
	}
	return false
}

type foundDispute struct {
	cluster int // the denial
	target  int // the cluster it answers
}

// findDisputes finds the denials among the clusters and the claim each
// answers: the nearest claim before it in its article by another party
// when it points back ("…," the chief executive said. The union disputed
// that.), else the claim of another party that shares most of its words.
func findDisputes(ans []*Analysis, clusters []*claimCluster) []foundDispute {
	where := map[[2]int]int{} // (article, claim) -> cluster
	for k, cl := range clusters {
		for _, m := range cl.members {
			where[[2]int{m.art, m.claim}] = k
		}
	}
	for _, cl := range clusters {
		for _, m := range cl.members {
			if isDenial(ans[m.art].Claims[m.claim]) {
				cl.dispute = true
				break
			}
		}
	}
	var out []foundDispute
	for k, cl := range clusters {
		if !cl.dispute {
			continue
		}
		by := cl.members[0]
		best, bestSim := -1, 0.0
		anaphoric := -1
		for i, m := range cl.members {
			if c := ans[m.art].Claims[m.claim]; anaphoric < 0 && isDenial(c) && anaphoricDenial(ans[m.art], c) {
				anaphoric = i
			}
		}
		for j, other := range clusters {
			if j == k || other.dispute || sameParty(other.members[0], by) {
				continue
			}
			for _, m := range cl.members {
				if !isDenial(ans[m.art].Claims[m.claim]) {
					continue
				}
				for _, o := range other.members {
					if s := denialSimilarity(denialContent(m.words), o.words); s > bestSim+1e-9 {
						best, bestSim = j, s
					}
				}
			}
		}
		if bestSim < 0.3 {
			best = -1
		}
		// "… disputes this": the claim just before, by another party.
		if anaphoric >= 0 {
			m := cl.members[anaphoric]
			for ci := m.claim - 1; ci >= 0; ci-- {
				c := ans[m.art].Claims[ci]
				j, ok := where[[2]int{m.art, ci}]
				if ok && c.Kind != Unattributed && !clusters[j].dispute && !sameParty(clusters[j].members[0], by) {
					best = j
					break
				}
			}
		}
		// A denial whose claim cannot be told is left out.
		if best < 0 {
			continue
		}
		// One party's denials of one claim are one dispute.
		merged := false
		for i, d := range out {
			if d.target == best && sameParty(clusters[d.cluster].members[0], by) {
				clusters[d.cluster].members = append(clusters[d.cluster].members, cl.members...)
				out[i] = d
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, foundDispute{cluster: k, target: best})
		}
	}
	return out
}

// deniedObject reports whether a denial's text is what its cue denies
// ("… denied that wards were unsafe"), not what the party said instead
// ("… rejected that, saying the offer undervalues the company").
func deniedObject(body string, c Claim) bool {
	v := strings.ToLower(c.Verb)
	if !denialVerbs[v] || c.Start < len(v) || c.Start > len(body) {
		return false
	}
	before := strings.ToLower(strings.TrimRight(body[max(0, c.Start-len(v)-8):c.Start], " "))
	return strings.HasSuffix(before, v+" that") || strings.HasSuffix(before, v)
}

// anaphoricDenial reports whether a denial's sentence points back at what
// it denies: "disputes this", "rejected that".
func anaphoricDenial(an *Analysis, c Claim) bool {
	if c.Sentence < 0 || c.Sentence >= len(an.Sentences) {
		return false
	}
	words := strings.Fields(strings.ToLower(an.Sentences[c.Sentence].Text(an.Article.Body)))
	for i := 0; i+1 < len(words); i++ {
		if denialVerbs[words[i]] {
			switch strings.Trim(words[i+1], ",.;:") {
			case "this", "that", "it", "the claim", "these":
				return true
			}
		}
	}
	return false
}

// sameParty reports whether two claims' speakers are one party: the same
// speaker, or one speaks for the other ("Graham Osei, the trust's chief
// executive" and "the Ashgrove Health Trust").
func sameParty(a, b claimRef) bool {
	if sameSpeaker(a.speaker, b.speaker) {
		return true
	}
	if a.speaker == nil || b.speaker == nil {
		return false
	}
	return containsString(b.role, a.speaker[len(a.speaker)-1]) || containsString(a.role, b.speaker[len(b.speaker)-1])
}

// denialSimilarity is the share of the shorter's content words the other
// has, 0 if they share fewer than two: a denial restates little of what
// it denies ("every trip included campaign events").
func denialSimilarity(a, b map[string]bool) float64 {
	n, shorter := overlap(a, b)
	if n < 2 {
		return 0
	}
	return float64(n) / float64(shorter)
}

// denialContent drops the words of the denial itself from a claim's words.
func denialContent(ws map[string]bool) map[string]bool {
	out := make(map[string]bool, len(ws))
	for w := range ws {
		if !denialVerbs[w] && w != "false" && w != "claim" && w != "allegation" && w != "accusation" {
			out[w] = true
		}
	}
	return out
}

// keyClaims chooses the claims a story briefing lists: those an article's
// briefing chose and those more than one outlet carries, most outlets
// first, and every claim a denial answers; then the disputes, pointing
// into the list.
func keyClaims(ans []*Analysis, clusters []*claimCluster, disputes []foundDispute) ([]StoryClaim, []Dispute) {
	bullet := map[[2]int]int{} // (article, claim) -> bullet index
	for ai, an := range ans {
		for bi, b := range an.Briefing.Bullets {
			bullet[[2]int{ai, b.Index}] = bi
		}
	}
	disputed := map[int]bool{}
	for _, d := range disputes {
		disputed[d.target] = true
	}
	type cand struct {
		k       int
		outlets []string
		bullets int
		direct  bool
	}
	var cands []cand
	for k, cl := range clusters {
		if cl.dispute {
			continue
		}
		c := cand{k: k}
		for _, m := range cl.members {
			c.outlets = appendOutlet(c.outlets, ans[m.art].Article.Source)
			if _, ok := bullet[[2]int{m.art, m.claim}]; ok {
				c.bullets++
			}
		}
		// The outlets' own voice counts if a briefing chose it or
		// outlets agree on it; anything attributed counts if it reads as
		// a whole statement.
		first := ans[cl.members[0].art].Claims[cl.members[0].claim]
		if c.bullets == 0 && !disputed[k] && (len(c.outlets) < 2 && first.Kind == Unattributed || !first.Verbatim && !wholeStatement(textutil.UpperFirst(trimTagDateline(first.Text[datelineLen(first.Text):])))) {
			continue
		}
		c.direct = first.Kind == Direct
		cands = append(cands, c)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if len(a.outlets) != len(b.outlets) {
			return len(a.outlets) > len(b.outlets)
		}
		if (a.bullets > 0) != (b.bullets > 0) {
			return a.bullets > 0
		}
		return a.direct && !b.direct
	})
	var claims []StoryClaim
	index := map[int]int{}
	for _, c := range cands {
		if len(claims) >= maxStoryClaims && !disputed[c.k] {
			continue
		}
		index[c.k] = len(claims)
		claims = append(claims, storyClaim(ans, clusters[c.k], bullet))
	}
	out := []Dispute{}
	for _, d := range disputes {
		target, ok := index[d.target]
		if !ok {
			continue
		}
		out = append(out, storyDispute(ans, clusters[d.cluster], target, claims[target]))
	}
	if claims == nil {
		claims = []StoryClaim{}
	}
	return claims, out
}

// storyClaim renders a merged claim: the text of the best-told version (a
// verbatim quotation if one outlet has it, else a briefing's bullet, else
// the first), its speaker's attribution, and every outlet that carries it.
func storyClaim(ans []*Analysis, cl *claimCluster, bullet map[[2]int]int) StoryClaim {
	// The wording most outlets share: the version whose words the most
	// others hold ("I have unfinished business here", not one outlet's
	// longer quotation), then a briefing's bullet, then a verbatim one.
	rep, repScore := cl.members[0], -1
	for _, m := range cl.members {
		c := ans[m.art].Claims[m.claim]
		s := 0
		for _, o := range cl.members {
			if o.art != m.art && containment(m.words, o.words) >= 0.9 {
				s += 4
			}
		}
		if _, ok := bullet[[2]int{m.art, m.claim}]; ok {
			s += 2
		}
		if c.Verbatim {
			s++
		}
		if s > repScore {
			rep, repScore = m, s
		}
	}
	c := ans[rep.art].Claims[rep.claim]
	text := c.Text
	if bi, ok := bullet[[2]int{rep.art, rep.claim}]; ok {
		text = ans[rep.art].Briefing.Bullets[bi].Shown
	} else if !c.Verbatim {
		// Not a dateline: "ASHGROVE (Meridian Wire) - About 900 …".
		text = textutil.UpperFirst(text[datelineLen(text):])
	}
	text = trimTagDateline(text)
	// The speaker most outlets name (a quotation one outlet credits to
	// "the manager" is the manager's named elsewhere), in the fullest
	// name any of them gives.
	who, whoCount := rep, 0
	for _, m := range cl.members {
		n := 0
		for _, o := range cl.members {
			if sameSpeaker(o.speaker, m.speaker) {
				n++
			}
		}
		if n > whoCount {
			who, whoCount = m, n
		}
	}
	if w := ans[who.art].Claims[who.claim]; !sameSpeaker(who.speaker, rep.speaker) {
		c.Speaker, c.SpeakerRole, c.Kind, c.Anonymous, c.SpeakerUnsure = w.Speaker, w.SpeakerRole, w.Kind, w.Anonymous, w.SpeakerUnsure
		if c.Verbatim {
			c.Kind = Direct
		}
	}
	for _, m := range cl.members {
		o := ans[m.art].Claims[m.claim]
		if len(o.Speaker) > len(c.Speaker) && sameSpeaker(m.speaker, who.speaker) && !o.SpeakerUnsure {
			c.Speaker, c.SpeakerRole = o.Speaker, o.SpeakerRole
		}
	}
	sc := StoryClaim{Text: text, Speaker: c.Speaker, Kind: c.Kind, Verbatim: c.Verbatim}
	for _, m := range cl.members {
		o := ans[m.art].Claims[m.claim]
		sc.Outlets = appendOutlet(sc.Outlets, ans[m.art].Article.Source)
		sc.Sources = append(sc.Sources, Carrier{Article: m.art, Claim: m.claim, Start: o.Start, End: o.End})
	}
	sc.SingleOutlet = len(sc.Outlets) < 2
	sc.Line = storyLine(text, c, sc.Outlets)
	return sc
}

// storyLine renders a merged claim: "Qatar told Hamas leaders to leave
// (anonymous US officials, via Reuters, CNN and Newsweek)"; a claim one
// outlet carries says so ("via Reuters only").
func storyLine(text string, c Claim, outlets []string) string {
	line := wireQuotes.Replace(text)
	if c.Verbatim {
		line = "“" + text + "”"
	}
	via := joinAnd(outlets)
	if len(outlets) == 1 {
		via += " only"
	}
	if c.Kind == Unattributed || c.Speaker == "" {
		if via == "" {
			return line + " (unattributed)"
		}
		return line + " (reported by " + via + ")"
	}
	c.Via = ""
	attr := Attribution(c)
	if via == "" {
		return line + " (" + attr + ")"
	}
	return line + " (" + attr + ", via " + via + ")"
}

// storyDispute renders a denial of claim target.
func storyDispute(ans []*Analysis, cl *claimCluster, target int, answered StoryClaim) Dispute {
	// The denial to show: a verbatim one of some length, else the
	// fullest.
	m, best := cl.members[0], -1
	for _, o := range cl.members {
		oc := ans[o.art].Claims[o.claim]
		if !isDenial(oc) {
			continue // a claim merged with the denial, not the denial
		}
		score := len(o.words)
		switch {
		case oc.Verbatim && wordCount(oc.Text) >= 5:
			score += 100
		case !denialVerbs[strings.ToLower(oc.Verb)]:
			// The denial in its own words, not only what it denies.
			score += 50
		}
		if score > best {
			m, best = o, score
		}
	}
	c := ans[m.art].Claims[m.claim]
	by := c.Speaker
	for _, o := range cl.members {
		if s := ans[o.art].Claims[o.claim].Speaker; len(s) > len(by) {
			by = s
		}
	}
	d := Dispute{Claim: target, By: by, Words: c.Text, Verbatim: c.Verbatim, Verb: c.Verb,
		Source: Carrier{Article: m.art, Claim: m.claim, Start: c.Start, End: c.End}}
	for _, o := range cl.members {
		oc := ans[o.art].Claims[o.claim]
		d.Outlets = appendOutlet(d.Outlets, ans[o.art].Article.Source)
		d.Sources = append(d.Sources, Carrier{Article: o.art, Claim: o.claim, Start: oc.Start, End: oc.End})
	}
	words := d.Words
	switch {
	case d.Verbatim:
		words = "“" + words + "”"
	case deniedObject(ans[m.art].Article.Body, c):
		// The text is what is denied: "denied that wards were unsafe".
		d.DeniedThat = true
		words = DeniedThatText(d.Verb, words, ans[m.art].Article.Body[c.Start:])
	}
	d.Line = by + " disputes this: " + wireQuotes.Replace(words) + " (via " + joinAnd(d.Outlets) + ")"
	_ = answered
	return d
}

// DeniedThatText shows what a party denies after its cue: "denied that
// wards were unsafe". text is the claim's text and from the body where
// the claim starts; the claim's first letter, capitalised by the
// extractor, is lowered again where the body has it lower case.
func DeniedThatText(verb, text, from string) string {
	if r, size := utf8.DecodeRuneInString(text); size > 0 && unicode.IsUpper(r) {
		if b, _ := utf8.DecodeRuneInString(from); unicode.IsLower(b) {
			text = string(unicode.ToLower(r)) + text[size:]
		}
	}
	return strings.ToLower(verb) + " that " + text
}

// wireQuotes turns wire copy's “…” into curly quotation marks.
var wireQuotes = strings.NewReplacer("``", "“", "''", "”")

func appendOutlet(outlets []string, o string) []string {
	if o == "" || containsString(outlets, o) {
		return outlets
	}
	return append(outlets, o)
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
