package briefing

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The lead and the bullets of a briefing: the lead is the story's first
// news sentence in the author's voice; the bullets are the claims that add
// most to it, within a word budget.

// Longest gist, in words: a short lead takes the next news sentence along.
const gistMaxWords = 50

// Bullets come from the first maxBulletSentence news sentences: further
// down, the weight of position leaves a claim worth under a hundredth of
// one in the lead, and a long article costs no more than a short one.
const maxBulletSentence = 100

// How bullets are chosen; see chooseBullets.
const (
	lengthExponent  = 1.0 // a bullet's gain is divided by its length in words to this power
	attributedBonus = 6.0 // an attributed claim's value is multiplied by this
	stopRatio       = 0.3 // no bullet worth less than this share of the first one
)

// leadSentences returns the sentences of the gist: the first sentence of
// the story that is news (not a byline, caption, heading or navigation),
// in the author's voice (not a quotation, not a question), whole (not
// opening with "And" or a lower-case word) and long enough to say
// something; and the next such sentence if both fit in
// gistMaxWords words. It skips the sentences a derived headline shows whole
// (title).
func leadSentences(body string, sents []Sentence, roles []sentRole, claims []Claim, title, quoted []bool) []int {
	var lead []int
	words := 0
	for i := 0; i < len(sents) && i < 12; i++ {
		if roles[i] != roleNews || title[i] {
			continue
		}
		text := leadText(body, sents[i])
		n := len(strings.Fields(text))
		first, _, _ := strings.Cut(text, " ")
		if n < 8 || strings.HasSuffix(text, "?") || startsWithQuote(text) || quoted[i] || mostlyQuoted(claims, sents[i]) ||
			!wholeStatement(text) && !joiners[first] || len(lead) == 0 && joiners[first] {
			if len(lead) > 0 {
				break // the lead's next sentence must follow it
			}
			continue
		}
		if len(lead) > 0 && words+n > gistMaxWords {
			break
		}
		lead = append(lead, i)
		words += n
		if len(lead) == 2 {
			break
		}
	}
	return lead
}

// joiners open a sentence that continues the one before.
var joiners = setOf(`And But Or So Yet Still Plus`)

// startsWithQuote reports whether text opens with a quotation mark.
func startsWithQuote(text string) bool {
	return strings.HasPrefix(text, "“") || strings.HasPrefix(text, "\"") || strings.HasPrefix(text, "‘") ||
		strings.HasPrefix(text, "'") || strings.HasPrefix(text, "``") || strings.HasPrefix(text, "«") ||
		strings.HasPrefix(text, "„")
}

// mostlyQuoted reports whether direct quotations make up at least half of
// a sentence.
func mostlyQuoted(claims []Claim, s Sentence) bool {
	n := 0
	for _, c := range claims {
		if c.Kind == Direct && c.Start < s.End && s.Start < c.End {
			n += min(c.End, s.End) - max(c.Start, s.Start)
		}
	}
	return 2*n >= s.End-s.Start
}

// candidate is a claim that may become a bullet.
type candidate struct {
	ci    int    // the claim's index
	c     Claim  // the claim, narrowed to what the bullet shows
	shown string // its text as shown
	words int
	v     vec
	prior float64 // how early its sentence is
}

// chooseBullets picks the bullets of a briefing: claims that read as whole
// statements with a speaker the engine is sure of (or, in the author's
// voice, that are nobody else's claim), chosen greedily for the concepts of
// the article they add to the gist, per word, weighted by how early they
// come (news puts what matters first), within opt.MaxWords words of claim
// text and opt.MaxBullets bullets. Attributed claims are preferred, so the
// news carries its sources. A bullet that adds much less than the first is
// left out: a briefing says less rather than pad. The bullets come back in
// article order.
func chooseBullets(an *analysisView, opt Options) []Bullet {
	sel := an.newSelection()
	cands := sel.candidates()
	var chosen []candidate
	words := 0
	used := make([]bool, len(cands))
	first := 0.0 // the value of the first bullet
	for len(chosen) < opt.MaxBullets {
		best, bestVal := -1, 0.0
		for k, cd := range cands {
			if used[k] || words+cd.words > opt.MaxWords || clashes(cd, chosen) {
				continue
			}
			if val := sel.value(cd); val > bestVal {
				best, bestVal = k, val
			}
		}
		if best < 0 || len(chosen) > 0 && bestVal < stopRatio*first {
			break
		}
		if len(chosen) == 0 {
			first = bestVal
		}
		used[best] = true
		cd := cands[best]
		chosen = append(chosen, cd)
		words += cd.words
		for _, id := range cd.v.ids {
			sel.covered[id] = true
		}
	}
	out := make([]Bullet, len(chosen))
	for k, cd := range chosen {
		out[k] = an.makeBullet(cd.ci, cd.c, cd.shown)
	}
	sort.SliceStable(out, func(x, y int) bool { return out[x].Start < out[y].Start })
	return out
}

// selection is the state of choosing bullets: how much each term of the
// article weighs, and which terms the gist and the bullets chosen so far
// cover.
type selection struct {
	*analysisView
	weight  []float64
	covered []bool
}

// newSelection weighs the terms: a term counts for every news sentence it
// is in, by how central and early that sentence is. The gist's terms are
// covered.
func (an *analysisView) newSelection() *selection {
	sel := &selection{analysisView: an, weight: make([]float64, len(an.voc.df)), covered: make([]bool, len(an.voc.df))}
	for i, v := range an.vecs {
		if an.roles[i] == roleNews {
			for _, id := range v.ids {
				sel.weight[id] += an.scores[i]
			}
		}
	}
	for _, i := range an.lead {
		for _, id := range an.vecs[i].ids {
			sel.covered[id] = true
		}
	}
	return sel
}

// value is what a candidate adds: the weight of the terms it covers that
// are not covered yet, per word, by its position, more if attributed.
func (sel *selection) value(cd candidate) float64 {
	gain := 0.0
	for _, id := range cd.v.ids {
		if !sel.covered[id] {
			gain += sel.weight[id]
		}
	}
	val := gain / math.Pow(float64(cd.words), lengthExponent) * cd.prior
	if cd.c.Attributed() {
		val *= attributedBonus
	}
	return val
}

// clashes reports whether a candidate repeats a chosen bullet: the same
// words of the article, or much the same terms.
func clashes(cd candidate, chosen []candidate) bool {
	for _, ch := range chosen {
		if cd.c.Start < ch.c.End && ch.c.Start < cd.c.End || cosine(cd.v, ch.v) > 0.5 {
			return true
		}
	}
	return false
}

// analysisView is what choosing bullets needs to know about an article.
type analysisView struct {
	a       *Article
	sents   []Sentence
	roles   []sentRole
	claims  []Claim
	scores  []float64
	vecs    []vec
	voc     *vocab
	lead    []int
	skip    []bool          // sentences no bullet may come from: the gist and a headline shown whole
	quoted  []bool          // sentences that start inside a quotation
	solid   map[string]bool // speakers solidSpeaker has judged
	opinion string          // the opinion label of the article, if any
	author  string          // who wrote an opinion piece, if known
}

// candidates returns the claims that may be bullets, as bullets. A claim
// is valued first, as written, and examined further only if it could be
// chosen: worth at least stopRatio of the best candidate found so far
// (with room to spare, since the bullet may show fewer words).
func (sel *selection) candidates() []candidate {
	an := sel.analysisView
	news := make([]int, len(an.sents)) // news sentences before each sentence
	for i := 1; i < len(an.sents); i++ {
		news[i] = news[i-1]
		if an.roles[i-1] == roleNews {
			news[i]++
		}
	}
	out := make([]candidate, 0, len(an.claims))
	best := 0.0
	for ci, c := range an.claims {
		if news[c.Sentence] >= maxBulletSentence {
			break // claims are in body order
		}
		if !an.newsClaim(c) {
			continue
		}
		// News puts what matters first.
		cd := candidate{ci: ci, c: c, words: max(wordCount(c.Text), 1), prior: 1 / float64(1+news[c.Sentence])}
		if c.Kind == Unattributed {
			cd.v = an.vecs[c.Sentence] // a sentence in the author's voice has its terms already
		} else {
			cd.v = an.voc.terms(c.Text, false)
		}
		if sel.value(cd) < stopRatio*best/2 || !an.usable(c) {
			continue
		}
		shown, narrowed, ok := an.bulletText(c)
		if !ok {
			continue
		}
		if narrowed.Text != c.Text {
			cd.words = max(wordCount(narrowed.Text), 1)
			if c.Kind != Unattributed {
				cd.v = an.voc.terms(narrowed.Text, false)
			}
		}
		cd.c, cd.shown = narrowed, shown
		best = max(best, sel.value(cd))
		out = append(out, cd)
	}
	return out
}

// newsClaim reports whether a claim's sentences are news (or, for an
// attributed claim, someone's words) and not already shown.
func (an *analysisView) newsClaim(c Claim) bool {
	for k := c.Sentence; k < len(an.sents) && an.sents[k].Start < c.End; k++ {
		// A transcript's or a signed comment's words are someone's: a
		// claim there may be a bullet, with its speaker.
		speech := an.roles[k] == roleSpeech && c.Attributed()
		if an.roles[k] != roleNews && !speech || an.skip[k] {
			return false
		}
	}
	return true
}

// usable reports whether a claim's source is certain: a speaker the engine
// is sure of, or for the author's voice, nobody else's words.
func (an *analysisView) usable(c Claim) bool {
	if c.Kind == Unattributed {
		text := an.a.Body[c.Start:c.End]
		first, _, _ := strings.Cut(text[trimLead(text, 0, len(text)):], " ")
		first = strings.ToLower(trimPossessive(strings.SplitN(first, "’", 2)[0]))
		first = strings.SplitN(first, "'", 2)[0]
		// "It comes after …", "She cannot …": who is meant is not shown
		// (in an opinion piece, "I" and "we" are its authors).
		if leadPronouns[first] && !(an.opinion != "" && firstPerson[first]) {
			return false
		}
		return authorVoice(text, an.opinion != "") && !an.quoted[c.Sentence]
	}
	solid, ok := an.solid[c.Speaker]
	if !ok {
		solid = solidSpeaker(c.Speaker) && !truncatedName(an.a.Body, c.Speaker)
		an.solid[c.Speaker] = solid
	}
	return solid && !c.SpeakerUnsure && an.speakerNearby(c) && (c.Verbatim || !endsInCue(c.Text) && !citesOther(c))
}

// citesOther reports whether a paraphrase reports someone's speech itself
// ("The port authority said …", "… rights groups warned that …", "X
// scolded him: “…”") without naming its speaker: the words may be someone
// else's than the speaker found.
func citesOther(c Claim) bool {
	cue := strings.Contains(c.Text, ": “") || strings.Contains(c.Text, `: "`) // "X scolded him: “…”"
	for _, w := range []string{"said", "says", "told", "according"} {
		if i := strings.Index(c.Text, w); i >= 0 && (i == 0 || c.Text[i-1] == ' ') &&
			(i+len(w) == len(c.Text) || !isWordByte(c.Text[i+len(w)])) {
			cue = true
			break
		}
	}
	// "… and rights groups warned that …"
	for i := strings.Index(c.Text, " that "); i > 0 && !cue; {
		before := c.Text[:i]
		cue = reportingWords[strings.ToLower(before[strings.LastIndexByte(before, ' ')+1:])]
		j := strings.Index(c.Text[i+1:], " that ")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if !cue {
		return false
	}
	for w := range strings.FieldsSeq(c.Speaker) {
		if len(w) > 2 && strings.Contains(c.Text, strings.Trim(w, ",.")) {
			return false
		}
	}
	return true
}

// isWordByte reports whether c is an ASCII letter or digit.
func isWordByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigitByte(c) }

// endsInCue reports whether a paraphrase ends with a reporting word
// ("…, records show", "…, Fox found"): an attribution inside what was
// taken as the claim, so the speaker found for it is in doubt.
func endsInCue(text string) bool {
	text = strings.TrimRight(text, " .,;:”\"'’")
	i := strings.LastIndexByte(text, ' ')
	return i >= 0 && reportingWords[strings.ToLower(text[i+1:])]
}

// truncatedName reports whether a capitalized speaker is the end of a
// longer name in the body: "Responsive Politics" of "the Center for
// Responsive Politics", "Development" of "the Organization for Economic
// Cooperation and Development". Such a speaker is a misreading.
func truncatedName(body, speaker string) bool {
	if r, _ := utf8.DecodeRuneInString(speaker); !unicode.IsUpper(r) {
		return false
	}
	i := strings.Index(body, speaker)
	if i < 0 {
		return false
	}
	before := strings.TrimRight(body[max(0, i-40):i], " ")
	k := strings.LastIndexByte(before, ' ')
	link := before[k+1:]
	prev := strings.TrimRight(before[:max(k, 0)], " ")
	prev = prev[strings.LastIndexByte(prev, ' ')+1:]
	switch link {
	case "of", "for": // "the Center for …", but not "Jan Holm of …"
		return orgSuffixes[strings.ToLower(prev)]
	case "and", "&": // "Cooperation and Development", but not "Foods and Dana Ruiz"
		r, _ := utf8.DecodeRuneInString(prev)
		return unicode.IsUpper(r) && !strings.Contains(speaker, " ")
	}
	return false
}

// speakerNearby reports whether the claim's own sentence names the speaker
// or refers to them with a pronoun, outside the claim's words, or the
// sentence before it (in the same or the previous paragraph) names them,
// or the claim is a clause that opens with them ("Hamas officials called
// for …"). A speaker carried over from further away is a guess.
func (an *analysisView) speakerNearby(c Claim) bool {
	if !c.Verbatim && opensWith(c.Text, c.Speaker) {
		return true
	}
	body := an.a.Body
	to := c.Sentence
	for to+1 < len(an.sents) && an.sents[to+1].Start < c.End {
		to++
	}
	before, after := body[an.sents[c.Sentence].Start:c.Start], body[c.End:an.sents[to].End]
	prev := ""
	if k := c.Sentence - 1; k >= 0 && an.sents[c.Sentence].Para-an.sents[k].Para <= 1 {
		prev = an.sents[k].Text(body)
	}
	for w := range strings.FieldsSeq(c.Speaker) {
		w = strings.Trim(w, ",.")
		if len(w) > 2 && !determiners[strings.ToLower(w)] &&
			(strings.Contains(before, w) || strings.Contains(after, w) || strings.Contains(prev, w)) {
			return true
		}
	}
	return hasPronoun(before) || hasPronoun(after)
}

// opensWith reports whether text opens with the speaker's name: its last
// word is among text's first four words.
func opensWith(text, speaker string) bool {
	last := speaker[strings.LastIndexByte(speaker, ' ')+1:]
	n := 0
	for w := range strings.FieldsSeq(text) {
		if strings.Trim(trimPossessive(w), ",.") == last {
			return true
		}
		if n++; n == 4 {
			break
		}
	}
	return false
}

// hasPronoun reports whether text holds a personal or relative pronoun
// that can stand for a speaker.
func hasPronoun(text string) bool {
	found := false
	forEachWordBytes(text, func(w []byte) {
		if pronouns[string(w)] || string(w) == "who" || string(w) == "which" {
			found = true
		}
	})
	return found
}

// leadPronouns open sentences whose subject is somewhere else.
var leadPronouns = setOf(`he she it they we i you his her its their this these those that there such`)
