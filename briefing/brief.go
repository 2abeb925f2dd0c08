package briefing

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot/internal/textutil"
)

func (o Options) withDefaults() Options {
	if o.MaxWords <= 0 {
		o.MaxWords = 100
	}
	if o.MaxBullets <= 0 {
		o.MaxBullets = 5
	}
	return o
}

// Longest claim text a bullet shows, in words; a longer quotation is cut
// after one of its sentences, a longer claim at the end of a whole main
// clause (see clauseEnd), and one with no such place is not shown.
const maxBulletTextWords = 35

// An attributed claim longer than bulletClauseWords words is shown up to
// the end of its last main clause that fits, if one ends after
// minClauseWords words and clauseEnd finds the cut safe: what follows the
// first clause of a claim (a circumstance, a second point) is seldom its
// news, and the briefing's word budget is better spent on another claim.
// Where the cut is doubtful the whole claim is shown.
const (
	bulletClauseWords = 15
	minClauseWords    = 6
)

// brief composes the briefing of an article: its headline, a gist (the
// lead: the story's first news sentence, whole), and the claims that add
// most to it, each with its attribution.
func brief(a *Article, sents []Sentence, claims []Claim, opt Options) Briefing {
	opt = opt.withDefaults()
	b := Briefing{ArticleID: a.ID, Article: a.Name, Headline: a.Title, Source: a.Source, URL: a.URL, Published: a.Published}
	if b.Headline == "" {
		b.Headline = DeriveHeadline(a.Body)
	}
	if len(sents) == 0 {
		return b
	}
	an := newView(a, sents, claims, b.Headline)
	defer an.voc.release()
	// Sentences a derived headline shows whole are not shown again.
	title := make([]bool, len(sents))
	if a.Derived {
		if first, last, whole := headlineSentences(a.Body, sents, an.roles); whole {
			for i := first; i <= last; i++ {
				title[i] = true
			}
		}
	}
	an.lead = an.leadSentences(title)
	parts := make([]string, len(an.lead))
	for k, i := range an.lead {
		parts[k] = oneLine(leadText(a.Body, sents[i]))
		an.skip[i] = true
	}
	b.Gist = strings.Join(parts, " ")
	// A lead that is a source's claim is a bullet, with its source, if the
	// gist has more to say: a sentence that can open it.
	if len(an.lead) > 1 && !joiners[strings.TrimRight(firstWord(parts[1]), ",")] {
		if ci := an.sourcedLead(an.lead[0]); ci >= 0 {
			an.leadClaim, an.skip[an.lead[0]] = ci, false
			an.lead = an.lead[1:]
			b.Gist = strings.Join(parts[1:], " ")
		}
	}
	for i, t := range title {
		an.skip[i] = an.skip[i] || t
	}
	if an.opinion = opinionLabel(a, sents); an.opinion != "" {
		an.author = authorOf(a, sents, an.roles)
		b.Headline = labelHeadline(an.opinion, b.Headline)
	}
	b.Bullets = chooseBullets(an, opt)
	b.Score = importance(an.scores, claims)
	return b
}

// newView gathers what choosing the gist and the bullets needs to know of
// an article: what each sentence is to a briefing, how central it is, its
// terms. A derived headline is the lede: similarity to it is still a
// signal.
func newView(a *Article, sents []Sentence, claims []Claim, headline string) *analysisView {
	scores, vecs, voc := rankSentences(a.Body, sents, headline)
	return &analysisView{a: a, sents: sents, roles: markSentences(a.Body, sents), claims: claims, scores: scores, leadClaim: -1,
		vecs: vecs, voc: voc, skip: make([]bool, len(sents)), quoted: quotedStarts(a.Body, sents), solid: map[string]bool{}}
}

// labelHeadline puts an opinion label in front of a headline, unless it
// is there already: "Opinion: …", "Letter to the editor: …".
func labelHeadline(label, h string) string {
	if hasPrefixFold(h, label) || hasPrefixFold(h, "letter") {
		return h
	}
	return label + ": " + h
}

// importance is how much an article matters in a digest: how central its
// best sentences are and how much attributed reporting it carries.
func importance(scores []float64, claims []Claim) float64 {
	top := append([]float64(nil), scores...)
	slices.SortFunc(top, func(x, y float64) int { return cmp.Compare(y, x) }) // highest first
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

// bulletText returns claim c as a bullet shows it: a whole statement (the
// text, capitalized, with a leading pronoun that certainly names the
// speaker replaced, an attributed claim cut after its first clauses if it
// is long, and "…" if it was cut) and the claim narrowed to what
// is shown (Text, and Start and End where they are body offsets). It
// reports false if the claim does not read as a whole statement.
func (an *analysisView) bulletText(c Claim) (string, Claim, bool) {
	body := an.a.Body
	if c.Kind == Unattributed {
		// Not a dateline or a joining word: "WASHINGTON — The …", "But the …".
		c.Start = trimLead(body, c.Start, c.End)
		c.Text = strings.TrimRight(body[c.Start:c.End], " .")
		if endsWithAbbrev(body[c.Start:c.End]) {
			c.Text = body[c.Start:c.End]
		}
	}
	if n := datelineLen(c.Text); n > 0 && !c.Verbatim && c.Kind != Unattributed {
		// A lead's claim: "WASHINGTON (Reuters) - … , officials said".
		if c.Start+len(c.Text) <= len(body) && body[c.Start:c.Start+len(c.Text)] == c.Text {
			c.Start += n
		}
		c.Text = c.Text[n:]
	}
	if c.Attributed() && !c.Verbatim && closesUnopened(c.Text) {
		return "", c, false
	}
	text, cut := c.Text, false
	switch {
	case c.Verbatim:
		c.End, cut = an.quoteEnd(c)
		c.Text = body[c.Start:c.End]
		text = c.Text
		if wordCount(text) > maxBulletTextWords {
			return "", c, false // no sentence or whole clause fits
		}
	case wordCount(c.Text) > maxBulletTextWords:
		// Only where what is kept is a whole clause (see clauseEnd).
		k, ok := clauseEnd(c.Text, 10, maxBulletTextWords)
		if !ok || !quotesPaired(c.Text[:k]) || strings.Count(c.Text[:k], "(") != strings.Count(c.Text[:k], ")") {
			return "", c, false
		}
		c.Text, text, cut = c.Text[:k], c.Text[:k], true
	}
	if c.Kind != Unattributed {
		if k, ok := clauseEnd(c.Text, minClauseWords, bulletClauseWords); ok && quotesPaired(c.Text[:k]) &&
			strings.Count(c.Text[:k], "(") == strings.Count(c.Text[:k], ")") {
			c.Text, text, cut = c.Text[:k], c.Text[:k], true
			if c.Verbatim {
				c.End = c.Start + k
			}
		}
	}
	if !c.Verbatim {
		text = textutil.UpperFirst(replaceLeadingPronoun(text, c))
	}
	if !wholeStatement(text) || c.Kind != Unattributed && !c.Verbatim && (boundBefore(body, c) || smallClauseAfter(body, c)) ||
		!c.Verbatim && wordCount(text) <= 8 && !verbLike(text) {
		return "", c, false
	}
	// Not a piece of a sentence: a cue's object, a clause cut where it goes
	// on (see pieceOfSentence). Quoted words need no verb ("“A disgrace”")
	// but may not stop on "and"; a sentence in the author's voice is the
	// article's whole sentence (see usable).
	var room [64]string
	if c.Verbatim && hangingEnd(appendFields(room[:0], text)) || c.Attributed() && !c.Verbatim && pieceOfSentence(text) {
		return "", c, false
	}
	if cut && !endsSentence(text) {
		text += "…"
	}
	if c.Verbatim && strings.Contains(text, "\n\n") {
		return "", c, false // a quotation the article broke over paragraphs
	}
	// A sentence the article broke over lines (see Segment) reads as one,
	// in the bullet and in its claim.
	c.Text = oneLine(c.Text)
	return oneLine(text), c, true
}

// firstWord returns the first word of s.
func firstWord(s string) string {
	w, _, _ := strings.Cut(s, " ")
	return w
}

// oneLine returns text with each run of white space that holds a line
// break made one space: a sentence the article broke over lines (see
// Segment) reads as one.
func oneLine(text string) string {
	if strings.IndexByte(text, '\n') < 0 {
		return text
	}
	return textutil.OneLine(text)
}

// boundBefore reports whether a paraphrase that is a span of the body
// starts in the middle of a phrase: the word before it is an article,
// a possessive or a preposition ("later in the | day that he was home").
func boundBefore(body string, c Claim) bool {
	if c.Start < 1 || c.Start+len(c.Text) > len(body) || body[c.Start:c.Start+len(c.Text)] != c.Text {
		return false
	}
	before := strings.TrimRight(body[max(0, c.Start-20):c.Start], " ")
	return lowerKey(boundWords, before[strings.LastIndexAny(before, " \n")+1:])
}

// smallClauseAfter reports whether a paraphrase that is a span of the body
// follows "found" or "showed" with no clause of its own ("A poll found |
// Mr. Trump about even with Mrs. Clinton" gives an object and what it was
// found to be), or follows "asked" ("asking | Rubio why he decided …":
// whom, and a question), or follows "rejected that" ("that" a determiner:
// "rejected that | argument in a ruling"): no statement.
func smallClauseAfter(body string, c Claim) bool {
	if c.Start < 1 || c.Start+len(c.Text) > len(body) || body[c.Start:c.Start+len(c.Text)] != c.Text {
		return false
	}
	before := strings.TrimRight(body[max(0, c.Start-20):c.Start], " ")
	prev := strings.ToLower(before[strings.LastIndexAny(before, " \n")+1:])
	if prev == "that" && !newClauseAt(strings.Fields(c.Text), 0) {
		// "rejected that | argument in a ruling …": a determiner, and
		// the verb's object.
		b := strings.TrimRight(before[:len(before)-len(prev)], " ")
		switch strings.ToLower(b[strings.LastIndexAny(b, " \n")+1:]) {
		case "rejected", "rejects", "denied", "denies", "dismissed", "dismisses", "disputed", "disputes", "refuted",
			"questioned", "challenged", "echoed", "repeated", "accepted", "welcomed":
			prev = "found"
		}
	}
	switch prev {
	case "found", "finds", "find", "showed", "shows", "show":
	case "asked", "asks", "ask", "asking":
		return true // "asking | Rubio why he decided …": whom, and a question
	default:
		return false
	}
	// A finite verb of its own in its first words, before a comma or a
	// relative clause: "Most of the hours logged were for …" (not a
	// participle: "Clinton leading Sanders by seven points").
	words := strings.Fields(c.Text)
	for j := 0; j < len(words) && j < 10; j++ {
		w := strings.ToLower(strings.Trim(words[j], ",;:.!?\"'“”‘’()"))
		if w == "that" || w == "who" || w == "which" {
			break
		}
		if finiteForms[w] {
			return false
		}
		if strings.HasSuffix(words[j], ",") {
			break
		}
	}
	return true
}

// makeBullet renders claim c, narrowed by bulletText to shown, in the house
// style: the statement, then its attribution in parentheses. Quotation
// marks appear only around verbatim words of the article. ci is the
// claim's index in the article's claims.
func (an *analysisView) makeBullet(ci int, c Claim, shown string) Bullet {
	line := shown
	if c.Verbatim {
		line = "“" + shown + "”"
	}
	attr := Attribution(asWritten(an.a.Body, func() []Sentence { return an.sents }, c))
	if c.Kind == Unattributed && an.opinion != "" {
		attr = opinionAttribution(an.opinion, an.author, an.a.Source)
	}
	return Bullet{Claim: c, Line: line + " (" + attr + ")", Attribution: attr, Shown: shown, Index: ci}
}

// quoteEnd returns where a verbatim bullet of a long quotation ends: after
// the last of its sentences that fits in maxBulletTextWords words, or at
// the end of a whole main clause if the first sentence is too long (else
// it ends where the quotation does); and whether it
// was cut.
func (an *analysisView) quoteEnd(c Claim) (int, bool) {
	if wordCount(c.Text) <= maxBulletTextWords {
		return c.End, false
	}
	body := an.a.Body
	end := -1
	for k := c.Sentence; k < len(an.sents) && an.sents[k].End < c.End; k++ {
		if e := an.sents[k].End; e > c.Start && wordCount(body[c.Start:e]) <= maxBulletTextWords {
			end = e
		}
	}
	if end > 0 {
		return end, true
	}
	k, ok := clauseEnd(c.Text, 10, maxBulletTextWords)
	if !ok {
		return c.End, false
	}
	return c.Start + k, true
}

// trimLead returns where the statement in body[start:end] begins, past a
// dateline ("WASHINGTON —", "(CNN)") and a joining conjunction ("And", "But").
func trimLead(body string, start, end int) int {
	start += datelineLen(body[start:end])
	first, rest, ok := strings.Cut(body[start:end], " ")
	if joiners[strings.TrimRight(first, ",")] && ok && rest != "" {
		start = end - len(rest)
	}
	return start
}

// cutPrefixFold is strings.CutPrefix ignoring case, and the typographic
// apostrophe for the straight one.
func cutPrefixFold(s, prefix string) (string, bool) {
	s2 := strings.Replace(s, "’", "'", 1)
	if !hasPrefixFold(s2, prefix) {
		return s, false
	}
	return s2[len(prefix):], true
}

// isName reports whether s is two to four capitalized words.
func isName(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 4 {
		return false
	}
	for _, w := range words {
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// opinionAttribution says whose view the author's voice of an opinion
// piece is ("opinion of Jane Doe, the author"), or whose word that of a
// press release ("press release from Pellham Foods").
func opinionAttribution(label, author, outlet string) string {
	switch {
	case label == labelRelease && outlet != "":
		return "press release from " + outlet
	case label == labelRelease:
		return "the press release"
	case label == labelEditorial && outlet != "":
		return "editorial opinion of " + outlet
	case label == labelEditorial:
		return "the publication's editorial opinion"
	case label == labelLetter && author != "":
		return "opinion of " + author + ", the letter's writer"
	case label == labelLetter:
		return "the letter writer's opinion"
	case author != "":
		return "opinion of " + author + ", the author"
	}
	return "the author's opinion"
}

// authorOf returns who wrote an article: its author field, the names of a
// byline ("By Jane Doe"), or the person an editor's note presents ("Editor's
// note: Jane Doe is a historian …").
func authorOf(a *Article, sents []Sentence, roles []sentRole) string {
	if a.Author != "" {
		return a.Author
	}
	for i, s := range sents {
		if i > 5 && i < len(sents)-3 {
			continue
		}
		text := s.Text(a.Body)
		if roles[i] == roleBoilerplate && isByline(text) {
			name := strings.TrimSpace(strings.Trim(text[3:], ". "))
			if k := strings.IndexAny(name, ",|"); k > 0 {
				name = strings.TrimSpace(name[:k])
			}
			return name
		}
		if note, ok := cutPrefixFold(text, "editor's note: "); ok {
			if name, _, ok := strings.Cut(note, " is "); ok && isName(name) {
				return name
			}
		}
	}
	return ""
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
	if c.SpeakerRole != "" && wordCount(c.SpeakerRole) <= 6 && !strings.Contains(c.Speaker, c.SpeakerRole) && !lowerKey(pictureWords, c.SpeakerRole) {
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
	for _, w := range anonymityWords {
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
	case strings.HasPrefix(l, "the ") && len(via) > 4 && unicode.IsUpper([]rune(via[4:])[0]):
		return "via " + via // "the People's Daily Online"
	case strings.HasPrefix(l, "the "):
		return "in " + via // "the statement"
	case via != "" && unicode.IsLower([]rune(via)[0]):
		if strings.HasPrefix(l, "social media") || strings.HasSuffix(l, "radio") || strings.HasSuffix(l, "television") || strings.HasSuffix(l, " tv") {
			return "on " + via // "on local radio", "on state television"
		}
		return "in a " + via
	}
	return "via " + via
}

// replaceLeadingPronoun turns "he will work ..." into "Trump will work ..."
// when the pronoun certainly is the speaker: the speaker is a person named
// in full whose first name says he or she, as the pronoun does. Otherwise
// the text stays as written.
func replaceLeadingPronoun(text string, c Claim) string {
	sp := strings.IndexByte(text, ' ')
	if sp < 0 || c.Speaker == "" || c.Kind == Direct {
		return text
	}
	first := strings.ToLower(text[:sp])
	if first != "he" && first != "she" {
		return text
	}
	f := strings.Fields(c.Speaker)
	if len(f) < 2 || !unicode.IsUpper([]rune(f[0])[0]) || !unicode.IsUpper([]rune(f[len(f)-1])[0]) {
		return text
	}
	last := strings.ToLower(f[len(f)-1])
	if orgSuffixes[last] || orgNameWords[last] || outletNameEnds[last] {
		return text
	}
	if g := genderOfFirstName(strings.ToLower(f[0])); g == 0 || (g == 'm') != (first == "he") {
		return text
	}
	return f[len(f)-1] + text[sp:]
}

// closesUnopened reports whether a paraphrase holds a single quotation mark
// that closes a quotation after a comma or a full stop ("He has a good
// technique,' Reed said") with no mark opening one before it: the claim
// runs from inside a quotation on into its cue, and is no one's statement
// as it stands.
func closesUnopened(text string) bool {
	open := 0
	prev := ' '
	for i, r := range text {
		switch {
		case (r == '\'' || r == '‘') && (unicode.IsSpace(prev) || prev == ':') && i == 0:
			open++
		case (r == '\'' || r == '‘') && (unicode.IsSpace(prev) || prev == ':'):
			if next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):]); unicode.IsLetter(next) {
				open++
			}
		case (r == '\'' || r == '’') && strings.ContainsRune(",.!?", prev):
			if next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):]); next == ' ' || next == utf8.RuneError {
				if open == 0 {
					return true
				}
				open--
			}
		}
		prev = r
	}
	return false
}

// wordCount counts the words of s.
func wordCount(s string) int {
	n := 0
	in := uint8(0) // 1 inside a word
	for i := 0; i < len(s); i++ {
		k := wordClass[s[i]]
		if k == classNonASCII {
			return n + wordCountRunes(s[i:], in == 1)
		}
		// Without branches: a start byte outside a word opens one, a
		// space closes it, any other byte leaves it as it is.
		n += int(k & 1 &^ in)
		in = in&(k>>1) | k&1
	}
	return n
}

// The byte classes of wordCount: bit 0 opens a word (outside one), bit 1
// keeps one open; classNonASCII sends the rest to wordCountRunes. The
// field splitters (appendFields) use classSpace, which is the ASCII white
// space of unicode.IsSpace, and classNonASCII.
const (
	classSpace    = 0b00 // ASCII white space: closes a word
	classOther    = 0b10 // punctuation: neither opens nor closes
	classStart    = 0b11 // a letter, digit, '"', '(' or '$': opens a word
	classNonASCII = 0b100
)

var wordClass = func() (t [256]uint8) {
	for c := range 256 {
		switch b := byte(c); {
		case b >= utf8.RuneSelf:
			t[c] = classNonASCII
		case b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\v' || b == '\f':
			t[c] = classSpace
		case isWordByte(b) || b == '"' || b == '(' || b == '$':
			t[c] = classStart
		default:
			t[c] = classOther
		}
	}
	return t
}()

// wordCountRunes is wordCount for text that is not all ASCII; inWord says
// whether s starts inside a word.
func wordCountRunes(s string, inWord bool) int {
	n := 0
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

// clauseEnd returns where text can be cut so that what is kept is a
// complete main clause, ending within its first max words and after at
// least from words. It reports false if text has max words or fewer, or if
// no such cut exists: a doubtful cut is no cut.
//
// The kept text needs a subject and a finite verb of its own before any
// relative or subordinate opener (a relative set off by commas and closed
// again, "The bridge, which …, will", does not count). A cut is made only
// before a non-restrictive relative (", which", ", who"), a temporal or
// causal clause (", after", ", when", ", because", "because"), a
// participial add-on (", saying", ", adding", ", including", ", leaving")
// or a coordinated clause with a subject and verb of its own ("and they
// met"). It is never made inside a relative, subordinate or wh- clause,
// quotation marks, brackets or a dash aside, after a word that leaves the
// clause hanging, nor when the rest holds a condition or a contrast ("if",
// "unless", "but", ", only"): dropping it would change the claim. The
// caller checks the double quotation marks and brackets again.
func clauseEnd(text string, from, max int) (int, bool) {
	if !moreFieldsThan(text, max) {
		return 0, false // most texts: no need to split them
	}
	var room [64]string
	words := appendFields(room[:0], text)
	verb := -1    // index of the main clause's finite verb
	blocked := -1 // index of the first word that opens a clause the cut may not end in
	relOpen := -1 // a relative set off by a comma is open since this index
	single, double, paren, dashes := 0, 0, 0, 0
	cut := -1
	var lower [32]byte
	for i := 0; i < len(words) && i <= max; i++ {
		w := words[i]
		bare := trimBare(w, bareCutWide)
		if needsLower(bare) {
			bare = string(appendToLower(lower[:0], bare))
		}
		bits := clauseBits(bare)
		prev := ""
		if i > 0 {
			prev = words[i-1]
		}
		// A boundary before words[i], keeping words[:i].
		if i >= from && verb >= 0 && i > verb+1 && blocked < 0 && relOpen < 0 &&
			single == 0 && double%2 == 0 && paren == 0 && dashes%2 == 0 &&
			clauseBoundary(words, i) && !keepsHanging(prev) && !holdsCondition(words[i:]) {
			cut = i
		}
		// The state after words[i].
		switch {
		case relOpen >= 0 && i > relOpen && strings.HasSuffix(prev, ",") && isFiniteVerb(words, i):
			// "The bridge, which carries …, will": the relative is closed.
			relOpen = -1
			if verb < 0 {
				verb = i
			}
		case relOpen < 0 && blocked < 0 && bits&cbRelativeOpener != 0 && strings.HasSuffix(prev, ",") && verb < 0:
			relOpen = i
		case blocked < 0 && relOpen < 0 && i > 0 && opensEmbedded(words, i):
			blocked = i
		case blocked < 0 && relOpen < 0 && verb < 0 && i > 0 && isFiniteVerb(words, i):
			verb = i
		case i == 0 && bits&(cbSubordinator|cbRelativeOpener|cbWh) != 0:
			blocked = 0
		}
		for _, r := range w {
			switch r {
			case '(', '[':
				paren++
			case ')', ']':
				paren--
			case '"', '“', '”':
				double++
			case '—', '–':
				dashes++
			}
		}
		if w == "-" || w == "--" {
			dashes++
		}
		if strings.HasPrefix(w, "'") || strings.HasPrefix(w, "‘") {
			single++
		}
		t := w // w without its closing punctuation: most words end in a letter
		if n := len(w); n > 0 && strings.IndexByte(",.;:!?", w[n-1]) >= 0 {
			t = strings.TrimRight(w, ",.;:!?")
		}
		if len(t) > 1 && (strings.HasSuffix(t, "'") || strings.HasSuffix(t, "’")) {
			single--
		}
	}
	if cut < 0 {
		return 0, false
	}
	end := 0 // where words[cut-1] ends in text
	for _, w := range words[:cut] {
		end += strings.Index(text[end:], w) + len(w)
	}
	return len(strings.TrimRight(text[:end], " \n\t,;:—–-")), true
}

// clauseBoundary reports whether a main clause may end before words[i]
// (see clauseEnd).
func clauseBoundary(words []string, i int) bool {
	var lower [32]byte
	prev, next := words[i-1], words[i]
	if needsLower(next) {
		next = string(appendToLower(lower[:0], next))
	}
	comma := strings.HasSuffix(prev, ",")
	switch {
	case comma && (next == "which" || next == "who" || timeCauseOpeners[next] || addOnParticiples[next]):
		return !endsList(words[:i])
	case next == "because":
		return true
	case next == "and":
		return newClauseAt(words, i+1)
	}
	return false
}

// endsList reports whether kept, which ends with a comma, ends with an
// item of a list: a short phrase after an earlier comma ("shouting at
// night, slamming doors,").
func endsList(kept []string) bool {
	for j := len(kept) - 2; j >= 0 && j >= len(kept)-4; j-- {
		if strings.HasSuffix(kept[j], ",") {
			return true
		}
	}
	return false
}

// newClauseAt reports whether a clause with a subject and finite verb of
// its own starts at words[i]: "they got", "the club has", "Smith said".
func newClauseAt(words []string, i int) bool {
	if i >= len(words) {
		return false
	}
	var lower [32]byte
	first := trimBare(words[i], ",\"'“‘")
	if needsLower(first) {
		first = string(appendToLower(lower[:0], first))
	}
	switch {
	case subjectPronouns[first]:
		for j := i + 1; j < len(words) && j <= i+2; j++ {
			if isFiniteVerb(words, j) {
				return true
			}
			if !lowerKey(clauseAdverbs, words[j]) {
				return false
			}
		}
	case subjectDeterminers[first], isCapitalized(words[i]) && !lowerKey(danglingWords, first):
		for j := i + 1; j < len(words) && j <= i+3; j++ {
			if strings.HasSuffix(words[j-1], ",") {
				return false
			}
			if isFiniteVerb(words, j) {
				return true
			}
		}
	}
	return false
}

// isCapitalized reports whether w starts with an upper-case letter.
func isCapitalized(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// isFiniteVerb reports whether words[i] is likely a finite verb: an
// auxiliary or modal, a common irregular past or present form, or a word
// in -ed that does not follow an article or preposition ("the injured").
// It errs towards false.
func isFiniteVerb(words []string, i int) bool {
	var lower, lowerPrev [32]byte
	w := trimBare(words[i], bareCut)
	if needsLower(w) {
		w = string(appendToLower(lower[:0], w))
	}
	wb := clauseBits(w)
	if wb&cbFinite != 0 || wb&cbTailCue != 0 && !strings.HasSuffix(w, "s") {
		return true
	}
	if i == 0 {
		return false
	}
	// prev is in lower case already: its bits are lowerKey's.
	prev := trimBare(words[i-1], "\"'“”‘’(")
	if needsLower(prev) {
		prev = string(appendToLower(lowerPrev[:0], prev))
	}
	pb := clauseBits(prev)
	if wb&cbTailCue != 0 && (isCapitalized(words[i-1]) || prev == "he" || prev == "she" || prev == "it") {
		return true // "Smith claims", not "travel claims"
	}
	if strings.HasSuffix(words[i-1], ",") || pb&(cbDangling|cbSubjectDeterminer) != 0 || prev == "been" || prev == "being" {
		return false
	}
	if len(w) > 4 && strings.HasSuffix(w, "ed") && wb&cbParticipleAdjective == 0 {
		return true
	}
	// "she wants", "it means": an -s form after a subject pronoun.
	return len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		(prev == "he" || prev == "she" || prev == "it")
}

// opensEmbedded reports whether words[i] opens a relative, subordinate or
// wh- clause that a cut may not end in: "a system where", "to explain
// why", "bamboo that was", "as he".
func opensEmbedded(words []string, i int) bool {
	var lower [32]byte
	w := trimBare(words[i], bareCut)
	if needsLower(w) {
		w = string(appendToLower(lower[:0], w))
	}
	switch {
	case clauseBits(w)&(cbRelativeOpener|cbWh|cbSubordinator) != 0:
		return true
	case w == "that":
		// After a verb, "that" opens what is said ("admitted that");
		// after a noun it opens a relative clause.
		return !isFiniteVerb(words, i-1) && !isVerbLike(words[i-1])
	case w == "as" && i+1 < len(words):
		return lowerKey(subjectPronouns, words[i+1])
	}
	return false
}

// isVerbLike reports whether w may be a verb that takes a "that" clause.
func isVerbLike(word string) bool {
	var lower [32]byte
	w := strings.Trim(word, ",;:")
	if needsLower(w) {
		w = string(appendToLower(lower[:0], w))
	}
	return tailCues[w] || finiteForms[w] || strings.HasSuffix(w, "ed") || w == "say" || w == "think" || w == "believe" || w == "know"
}

// keepsHanging reports whether a clause ending in w is left hanging: a
// preposition, article, conjunction, pronoun subject, wh- word or
// auxiliary.
func keepsHanging(w string) bool {
	w = strings.TrimRight(w, ",;:-–—")
	return lowerKey(danglingWords, w) || lowerKey(hangingWords, w) || lowerKey(subjectPronouns, w) ||
		lowerKey(whWords, w) || lowerKey(relativeOpeners, w) || lowerKey(finiteForms, w)
}

// holdsCondition reports whether the words a cut would drop hold a
// condition or a contrast, which would change the claim if dropped: "if",
// "unless", "but"; "only" or "without" starting a phrase after a comma.
func holdsCondition(rest []string) bool {
	var lower [32]byte
	for j, w := range rest {
		bare := trimBare(w, bareCut)
		if needsLower(bare) {
			bare = string(appendToLower(lower[:0], bare))
		}
		if conditionWords[bare] {
			return true
		}
		if (bare == "only" || bare == "without" || bare == "except") && (j == 0 || strings.HasSuffix(rest[j-1], ",")) {
			return true
		}
	}
	return false
}
