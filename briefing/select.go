package briefing

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The lead and the bullets of a briefing: the gist is the story's lead,
// its first news sentences in the author's voice; the bullets are the
// claims that add most to it, with their sources, within a word budget.

// The gist: the lead sentence, then up to gistMaxSentences-1 more sentences
// in the author's voice among the gistSpan news sentences after it, within
// gistMaxWords words. The gist reads no further than the story's first
// three news sentences, the lead as news writing has it: a sentence past
// them is background, and past attributed ones it tells less of the news
// than their claims do as bullets (on CNN/DailyMail's highlights: ROUGE-1
// 39.76 with two, 39.45 with three); the words allow three sentences, and
// leave room for the bullets that carry the sources.
const (
	gistMaxWords     = 75
	gistMaxSentences = 3
	gistSpan         = 2
)

// Bullets come from the first maxBulletSentence news sentences: further
// down, the weight of position leaves a claim worth under a thousandth of
// one in the lead, and a long article costs no more than a short one.
const maxBulletSentence = 100

// How bullets are chosen; see chooseBullets.
const (
	priorExponent   = 1.5  // a claim's value is divided by (1 + news sentences before it) to this power
	attributedBonus = 14.0 // an attributed claim's value is multiplied by this
	quoteFactor     = 0.15 // and a quotation's by this as well: quotes give color more than news
	// A paraphrase longer than paraphraseWords words is worth
	// paraphraseWords/words of its value per word: a source's point is
	// in its first clause, and what runs on is circumstance.
	paraphraseWords = 12
	stopRatio       = 0.02 // no bullet worth less than this share of the first one
	authorRatio     = 0.5  // nor, in the author's voice, less than this share
	// nor worth less than this at all: the centrality of the terms it adds
	// per word (the sentences' centrality is at most 1), by position and
	// kind as above. A bullet worth less adds fewer of the story's words
	// than it dilutes the briefing with.
	minValue = 0.025
)

// leadSentences returns the sentences of the gist. The lead is the first
// sentence of the story that is news (not a byline, caption, heading or
// navigation), in the author's voice (not a quotation, not a question),
// whole (not opening with "And" or a lower-case word) and long enough to
// say something. The sentences after it that read the same way join it, up
// to gistMaxSentences sentences and gistMaxWords words, from the gistSpan
// news sentences that follow it; a sentence that attributes what it says
// to someone is left to the bullets, which show its source, and one that
// gives a poll's figures is left out. It skips the sentences a derived
// headline shows whole (title).
func (an *analysisView) leadSentences(title []bool) []int {
	body, sents, roles, claims := an.a.Body, an.sents, an.roles, an.claims
	var lead []int
	words, after := 0, 0 // after: news sentences looked at after the lead
	for i := 0; i < len(sents) && i < 12 && after < gistSpan && len(lead) < gistMaxSentences; i++ {
		if roles[i] != roleNews || title[i] {
			continue
		}
		if len(lead) > 0 {
			after++
		}
		text := leadText(body, sents[i])
		n := fieldCount(text)
		first, _, _ := strings.Cut(text, " ")
		if n < 8 || strings.HasSuffix(text, "?") || startsWithQuote(text) || an.quoted[i] || mostlyQuoted(claims, sents[i]) ||
			!wholeStatement(text) && !joiners[first] || len(lead) == 0 && joiners[first] ||
			len(lead) > 0 && (an.attributes(i) || an.pollFigures(i) || words+n > gistMaxWords) {
			continue
		}
		lead = append(lead, i)
		words += n
	}
	return lead
}

// attributes reports whether sentence i holds a claim with a speaker that
// a bullet can show, or a part of one that started in the sentence before.
// A sentence whose claims no bullet can show (its speaker is in doubt, or
// the claim is no whole statement) may join the gist, which shows it as the
// article wrote it, source and all.
func (an *analysisView) attributes(i int) bool {
	s := an.sents[i]
	k := sort.Search(len(an.claims), func(k int) bool { return an.claims[k].Sentence >= i-1 })
	for ; k < len(an.claims) && an.claims[k].Start < s.End; k++ {
		if c := an.claims[k]; c.End > s.Start && c.Attributed() && c.Speaker != "" && (c.Start < s.Start || an.showable(k)) {
			return true
		}
	}
	return false
}

// showable reports whether claim ci can be a bullet with its speaker: the
// speaker is certain and the claim reads as a whole statement.
func (an *analysisView) showable(ci int) bool {
	c := an.claims[ci]
	if !an.usable(c) || an.twoSources(ci) {
		return false
	}
	_, _, ok := an.bulletText(c)
	return ok
}

// Of a lead sentence that gives a source's words ("Gordon Brown has warned
// that …", "…, officials said"), the attribution is at most leadCueWords
// words.
const leadCueWords = 10

// sourcedLead returns the claim of lead sentence i that a bullet shows rather
// than the gist, or -1. A lead that is a source's paraphrase, most of the
// sentence, its attribution around it and short, is news the story carries
// on that source's word: as a bullet it shows the source. A sentence that
// reports what someone did ("X urged …", "X admitted to …"), with the
// speaker inside the claim, stays in the gist, and so does a quotation. A
// claim right after its verb, with no "that", must open with a clause of
// its own ("revealed Karim Benzema will miss …"): "It revealed real flaws
// in …" gives a thing, not a statement.
func (an *analysisView) sourcedLead(i int) int {
	s := an.sents[i]
	n := wordCount(s.Text(an.a.Body))
	k := sort.Search(len(an.claims), func(k int) bool { return an.claims[k].Sentence >= i })
	for ; k < len(an.claims) && an.claims[k].Sentence == i; k++ {
		c := an.claims[k]
		if !c.Attributed() || c.Kind == Direct || c.Speaker == "" || c.SpeakerUnsure {
			continue
		}
		w := wordCount(c.Text)
		if 2*w < n || n-w > leadCueWords || opensWith(c.Text, c.Speaker) || !an.showable(k) {
			continue
		}
		if opensStatement(an.a.Body, s, c) {
			return k
		}
	}
	return -1
}

// opensStatement reports whether claim c of sentence s reads as a statement
// by where it starts: at the start of the sentence ("The plan will fail,
// officials said"), after "that", or after its verb with a subject and verb
// of its own ("revealed Karim Benzema will miss …"), not an object ("It
// revealed real flaws in …").
func opensStatement(body string, s Sentence, c Claim) bool {
	before := strings.TrimRight(body[s.Start:max(s.Start, min(c.Start, s.End))], " ")
	prev := before[strings.LastIndexByte(before, ' ')+1:]
	return prev == "" || prev == "that" || newClauseAt(strings.Fields(c.Text), 0)
}

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
// come (news puts what matters first), within opt.MaxWords words of gist
// and claim text together and opt.MaxBullets bullets. Attributed claims
// are preferred, so the news carries its sources, and quotations least of
// those; a claim in the author's voice needs to add about as much as the
// first bullet. A bullet that adds much less than the first, or little
// at all (minValue), is left out: a briefing says less rather than pad. The bullets come back in article
// order.
func chooseBullets(an *analysisView, opt Options) []Bullet {
	sel := an.newSelection()
	cands := sel.candidates(opt.MaxWords - sel.gistWords)
	var chosen []candidate
	words := 0
	used := make([]bool, len(cands))
	first := 0.0 // the value of the first bullet
	if ci := an.leadClaim; ci >= 0 {
		// The lead's claim comes first, whatever it is worth: it is the
		// gist's news, with its source. The bullets after it are measured
		// by one another.
		shown, c, _ := an.bulletText(an.claims[ci])
		cd := candidate{ci: ci, c: c, shown: shown, words: max(wordCount(c.Text), 1), v: an.voc.terms(c.Text, false)}
		chosen = append(chosen, cd)
		words += cd.words
		for _, id := range cd.v.ids {
			sel.covered[id] = true
		}
		for k := range cands {
			used[k] = used[k] || cands[k].ci == ci
		}
	}
	for len(chosen) < opt.MaxBullets {
		best, bestVal := -1, 0.0
		for k, cd := range cands {
			if used[k] || sel.gistWords+words+cd.words > opt.MaxWords {
				continue
			}
			// The author's voice, with no source to show: only if it adds
			// about as much as the first bullet.
			if val := sel.value(cd); val > bestVal && (sel.sourced(cd.c) || len(chosen) == 0 || val >= authorRatio*first) &&
				!clashes(cd, chosen) {
				best, bestVal = k, val
			}
		}
		if best < 0 || bestVal < minValue || len(chosen) > 0 && bestVal < stopRatio*first {
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
	slices.SortStableFunc(out, func(x, y Bullet) int { return cmp.Compare(x.Start, y.Start) })
	return out
}

// selection is the state of choosing bullets: how much each term of the
// article weighs, and which terms the gist and the bullets chosen so far
// cover.
type selection struct {
	*analysisView
	weight    []float64
	covered   []bool
	gistWords int
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
		sel.gistWords += wordCount(leadText(an.a.Body, an.sents[i]))
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
	val := gain / float64(cd.words) * cd.prior
	if sel.sourced(cd.c) {
		val *= attributedBonus
	}
	switch {
	case cd.c.Kind == Direct:
		val *= quoteFactor
	case cd.c.Attributed() && cd.words > paraphraseWords:
		val *= paraphraseWords / float64(cd.words)
	}
	return val
}

// sourced reports whether a claim is shown with its source: an attributed
// claim, or the author's voice of an opinion piece, attributed to them.
func (an *analysisView) sourced(c Claim) bool { return c.Attributed() || an.opinion != "" }

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
	a         *Article
	sents     []Sentence
	roles     []sentRole
	claims    []Claim
	scores    []float64
	vecs      []vec
	voc       *vocab
	lead      []int
	leadClaim int             // the claim of the lead sentence a bullet shows instead of the gist, or -1
	skip      []bool          // sentences no bullet may come from: the gist and a headline shown whole
	quoted    []bool          // sentences that start inside a quotation
	solid     map[string]bool // speakers solidSpeaker has judged
	speakers  map[string]bool // the last words of the article's speakers, once sourceActs needs them
	opinion   string          // the opinion label of the article, if any
	author    string          // who wrote an opinion piece, if known
}

// candidates returns the claims that may be bullets, as bullets, for room
// words. A claim is examined only if it could be chosen: worth at least
// stopRatio of the best candidate that fits found so far (with room to
// spare, since the bullet may show fewer words), or authorRatio of it in
// the author's voice.
func (sel *selection) candidates(room int) []candidate {
	an := sel.analysisView
	news := make([]int, len(an.sents)) // news sentences before each sentence
	for i := 1; i < len(an.sents); i++ {
		news[i] = news[i-1]
		if an.roles[i-1] == roleNews {
			news[i]++
		}
	}
	var out []candidate
	best := 0.0
	for ci, c := range an.claims {
		if news[c.Sentence] >= maxBulletSentence {
			break // claims are in body order
		}
		if !an.newsClaim(c) {
			continue
		}
		// News puts what matters first.
		cd := candidate{ci: ci, c: c, words: max(wordCount(c.Text), 1), prior: math.Pow(1+float64(news[c.Sentence]), -priorExponent)}
		if c.Kind == Unattributed {
			// A sentence in the author's voice has its terms already; it
			// can only be chosen if it is worth authorRatio of the first
			// bullet, who is worth best at least, or sourced.
			cd.v = an.vecs[c.Sentence]
			low := stopRatio / 2
			if !sel.sourced(c) {
				low = authorRatio
			}
			if sel.value(cd) < max(low*best, minValue) || !an.usable(c) {
				continue
			}
		} else {
			// What its sentence is worth bounds what it is worth (its
			// terms are among its sentence's), then whose it is: both are
			// cheaper than its terms. The bound counts the words a bullet
			// cut after a clause may show.
			bound := cd
			bound.words = min(cd.words, bulletClauseWords)
			low := max(stopRatio*best, minValue) / 2
			if c.End <= an.sents[c.Sentence].End {
				if bound.v = an.vecs[c.Sentence]; sel.value(bound) < low {
					continue
				}
			}
			if !an.usable(c) || an.twoSources(ci) {
				continue
			}
			cd.v = an.voc.terms(c.Text, false)
			if bound.v = cd.v; sel.value(bound) < low {
				continue
			}
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
		if sel.value(cd) < minValue {
			continue // it can only be worth less once bullets are chosen
		}
		if cd.words <= room {
			best = max(best, sel.value(cd))
		}
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
		first, rest := nextWord(text[trimLead(text, 0, len(text)):])
		if r, _ := utf8.DecodeRuneInString(first); unicode.IsLower(r) || first == "" {
			return false // a piece of a sentence broken over lines: "on Thursday the 39-year-old paid …"
		}
		second, _ := nextWord(rest) // "Ben Carson struggled …": the name's last word
		afterFirst := rest
		subject := first // the subject, past a short opening phrase: "Last year, he …"
		for k, w := 0, first; k < 5 && rest != ""; k++ {
			if strings.HasSuffix(w, ",") {
				subject, _ = nextWord(rest)
				break
			}
			w, rest = nextWord(rest)
		}
		// "It comes after …", "She cannot …", "Last year, he was …": who is
		// meant is not shown (in an opinion piece, "I" and "we" are its
		// authors).
		for _, w := range [2]string{first, subject} {
			w = strings.ToLower(trimPossessive(strings.SplitN(w, "’", 2)[0]))
			w = strings.SplitN(w, "'", 2)[0]
			if leadPronouns[w] && !(an.opinion != "" && firstPerson[w]) {
				return false
			}
		}
		if lowerKey(determiners, subject) {
			// "The bill would put …", "Specifically, the bureau is looking
			// into …": the noun.
			after := rest // the words after the determiner
			if subject == first {
				after = afterFirst
			} else {
				_, after = nextWord(rest)
			}
			subject, after = nextWord(after)
			verb, _ := nextWord(after)
			// "The bill would put a measure on the ballot …": what a
			// document would do is what it says.
			if lowerKey(proposalNouns, subject) && lowerKey(modalWords, verb) {
				return false
			}
			return authorVoice(text, an.opinion != "") && !an.quoted[c.Sentence] && !an.pollFigures(c.Sentence) &&
				!an.speakerWord(strings.Trim(trimPossessive(subject), ",.’'"))
		}
		return authorVoice(text, an.opinion != "") && !an.quoted[c.Sentence] && !an.pollFigures(c.Sentence) && !an.sourceActs(subject) &&
			!(subject == first && an.sourceActs(second))
	}
	solid, ok := an.solid[c.Speaker]
	if !ok {
		solid = solidSpeaker(c.Speaker) && !truncatedName(an.a.Body, c.Speaker)
		an.solid[c.Speaker] = solid
	}
	return solid && !c.SpeakerUnsure && an.speakerNearby(c) &&
		(c.Verbatim || !endsInCue(c.Text) && !citesOther(c) && !isCueClause(c))
}

// sourceActs reports whether a sentence's subject is one of the article's
// speakers ("Carson further lambasted the media's behavior …", "Trump has
// complimented the moderator …"): what a source does in a story about
// what sources say is most often their stance, close to a claim.
func (an *analysisView) sourceActs(subject string) bool {
	subject = strings.Trim(trimPossessive(subject), ",.’'")
	if r, _ := utf8.DecodeRuneInString(subject); !unicode.IsUpper(r) || len(subject) < 3 {
		return false
	}
	return an.speakerWord(subject)
}

// speakerWord reports whether w is the last word of one of the article's
// speakers.
func (an *analysisView) speakerWord(w string) bool {
	if an.speakers == nil {
		an.speakers = map[string]bool{}
		for _, d := range an.claims {
			if d.Attributed() && d.Speaker != "" && !d.SpeakerUnsure {
				an.speakers[lastWord(d.Speaker)] = true
			}
		}
	}
	return an.speakers[w]
}

// nextWord returns the first word of s, as strings.Fields splits, and
// what follows it.
func nextWord(s string) (word, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// pollFigures reports whether sentence i, in the author's voice, gives
// shares ("Carson trails them at 13 percent") right after a poll, survey
// or study was cited: its figures are the poll's.
func (an *analysisView) pollFigures(i int) bool {
	text := an.sents[i].Text(an.a.Body)
	if !strings.Contains(text, "percent") && !strings.Contains(text, "%") && !strings.Contains(text, "per cent") {
		return false
	}
	k := sort.Search(len(an.claims), func(k int) bool { return an.claims[k].Sentence >= i-3 })
	for ; k < len(an.claims) && an.claims[k].Sentence < i; k++ {
		if d := an.claims[k]; d.Attributed() && docHeaded(d.Speaker) {
			return true
		}
	}
	return false
}

// docHeaded reports whether a speaker is a poll, survey or study.
func docHeaded(sp string) bool {
	l := strings.ToLower(sp)
	return strings.Contains(l, "poll") || strings.Contains(l, "survey") || strings.Contains(l, "study")
}

// citesOther reports whether a paraphrase reports someone's speech itself
// ("The port authority said …", "… rights groups warned that …", "X
// scolded him: “…”") without naming its speaker: the words may be someone
// else's than the speaker found.
func citesOther(c Claim) bool {
	at := -1 // where the reporting word is
	if i := strings.Index(c.Text, ": “"); i >= 0 {
		at = i // "X scolded him: “…”"
	} else if i := strings.Index(c.Text, `: "`); i >= 0 {
		at = i
	}
	for _, w := range citingWords {
		if at >= 0 {
			break
		}
		if i := strings.Index(c.Text, w); i >= 0 && (i == 0 || c.Text[i-1] == ' ') &&
			(i+len(w) == len(c.Text) || !isWordByte(c.Text[i+len(w)])) {
			at = i
		}
	}
	// "… and rights groups warned that …"
	for i := strings.Index(c.Text, " that "); i > 0 && at < 0; {
		before := c.Text[:i]
		if k := strings.LastIndexByte(before, ' '); reportingWords[strings.ToLower(before[k+1:])] {
			at = k + 1
			break
		}
		j := strings.Index(c.Text[i+1:], " that ")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if at < 0 {
		return false
	}
	// The speaker reports it: "Hamas officials said …", "Kline, the
	// mayor, told …". Named only elsewhere in the text, the speaker is
	// not the one who reports it: "Kaine described himself as …, the
	// Huffington Post reported".
	before := c.Text[:at]
	if n := strings.Count(before, " "); n > 8 {
		k := len(before)
		for range 8 {
			k = strings.LastIndexByte(before[:k], ' ')
		}
		before = before[k+1:]
	}
	for w := range strings.FieldsSeq(c.Speaker) {
		if len(w) > 2 && strings.Contains(before, strings.Trim(w, ",.")) {
			return false
		}
	}
	return true
}

// isCueClause reports whether a paraphrase is its own attribution rather
// than what was said: "The Washington Post reported ten days ago", where
// the speaker and the verb are followed by a few words at most.
func isCueClause(c Claim) bool {
	if c.Verb == "" {
		return false
	}
	i := strings.Index(c.Text, " "+c.Verb)
	if i < 0 || !strings.Contains(c.Text[:i], lastWord(c.Speaker)) {
		return false
	}
	return wordCount(c.Text[i+1+len(c.Verb):]) < 5
}

// isWordByte reports whether c is an ASCII letter or digit.
func isWordByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigitByte(c) }

// endsInCue reports whether a paraphrase ends with a reporting word
// ("…, records show", "…, Fox found"), not one that "than" or "as" makes a
// comparison: an attribution inside what was taken as the claim, so the
// speaker found for it is in doubt.
func endsInCue(text string) bool {
	text = strings.TrimRight(text, " .,;:”\"'’")
	i := strings.LastIndexByte(text, ' ')
	if i < 0 || !reportingWords[strings.ToLower(text[i+1:])] {
		return false
	}
	// "… faster than expected", "… as reported": a comparison, not a cue.
	prev := text[strings.LastIndexByte(text[:i], ' ')+1 : i]
	return prev != "than" && prev != "as"
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
	// A claim in two parts around its attribution: "… and, according to
	// its founders, encourages …".
	span := ""
	if c.Start < c.End && c.End <= len(body) && body[c.Start:c.End] != c.Text {
		span = body[c.Start:c.End]
	}
	prev := ""
	if k := c.Sentence - 1; k >= 0 && an.sents[c.Sentence].Para-an.sents[k].Para <= 1 {
		prev = an.sents[k].Text(body)
	}
	for w := range strings.FieldsSeq(c.Speaker) {
		w = strings.Trim(w, ",.")
		if len(w) > 2 && !lowerKey(determiners, w) &&
			(strings.Contains(before, w) || strings.Contains(after, w) || strings.Contains(prev, w) ||
				strings.Contains(span, w) && !strings.Contains(c.Text, w)) {
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

// twoSources reports whether the claim ci may be someone else's than its
// speaker's: its sentence attributes words to another source as well, in
// a way that may cover it. That is an "according to" of another source
// ("“…,” Sanders said, according to CNN"; "Bloomberg reports that X,
// according to the Roper Center"), another speaker's claim overlapping
// it, or, for a quotation that no cue of its own introduces, any other
// speaker's claim in its sentence ("“…,” director Kendall Fells told Fox
// News 6"). A quotation that continues an earlier one is as sure as that
// one.
func (an *analysisView) twoSources(ci int) bool {
	c := an.claims[ci]
	if c.Kind != AccordingTo && an.relayed(c) {
		return true
	}
	other := func(d Claim) bool {
		return d.Attributed() && (d.Speaker != c.Speaker || d.SpeakerUnsure) &&
			(d.Kind == AccordingTo || c.Kind == AccordingTo || c.Verb == "" || d.Start < c.End && c.Start < d.End)
	}
	for k := ci - 1; k >= 0 && an.claims[k].Sentence == c.Sentence; k-- {
		if other(an.claims[k]) {
			return true
		}
	}
	for k := ci + 1; k < len(an.claims) && an.claims[k].Sentence == c.Sentence; k++ {
		if other(an.claims[k]) {
			return true
		}
	}
	if c.Kind == Direct && c.Verb == "" {
		for k := ci - 1; k >= 0 && k >= ci-8; k-- {
			if d := an.claims[k]; d.Attributed() && d.Speaker == c.Speaker && d.Verb != "" {
				return an.twoSources(k)
			}
		}
	}
	return false
}

// relayed reports whether the sentences of a claim hold an "according to"
// outside it: a claim passed on by a second source.
func (an *analysisView) relayed(c Claim) bool {
	body := an.a.Body
	to := c.Sentence
	for to+1 < len(an.sents) && an.sents[to+1].Start < c.End {
		to++
	}
	return containsFold(body[an.sents[c.Sentence].Start:c.Start], "according to") ||
		containsFold(body[c.End:an.sents[to].End], "according to")
}

// containsFold reports whether s holds the lower-case ASCII word sub in any case.
func containsFold(s, sub string) bool {
	c := sub[0]
	for i := 0; i+len(sub) <= len(s); i++ {
		if lowerByte(s[i]) == c && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
