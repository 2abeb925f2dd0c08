package briefing

import (
	"bytes"
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Extract returns the claims of an article body: one for each attributed
// statement (a quotation, a paraphrase, an "according to") and one for each
// sentence in the author's own voice, in body order.
func Extract(body string) []Claim { return extract(body, Segment(body)) }

func extract(body string, sents []Sentence) []Claim {
	x := &extractor{body: body, sents: sents, labels: -1}
	sc := getScratch()
	sc.lend(x)
	x.prepare()
	x.claims = slices.Grow(x.claims[:0], len(sents)+len(x.quotes))
	for i := range sents {
		x.sentence(i)
	}
	x.attributeLeftoverQuotes()
	x.nameDescriptions()
	x.doubtSpeakers()
	sortClaims(x.claims)
	// The claims are made in the scratch's slice, with room for the most
	// an article can have, and returned in one of their own number.
	claims := make([]Claim, len(x.claims))
	copy(claims, x.claims)
	putToks(x.toks)
	sc.keep(x)
	return claims
}

// doubtSpeakers marks unsure the speakers of claims that cannot be theirs
// as found: a photo caption run into the text of the claim ("the affair
// with his wife Natasha, right, was ..."), whose words are nobody's; a
// cue told to "me" ("They told me I have got to ...", "Seamus tells me
// ..."), which is inside another person's quotation, who reports it.
func (x *extractor) doubtSpeakers() {
	for i := range x.claims {
		c := &x.claims[i]
		if c.Kind == Unattributed || c.SpeakerUnsure || c.Speaker == "" {
			continue
		}
		if captionIn(c.Text) || c.Kind != Direct && (toMe(x.body[:c.Start]) || asideText(c.Text)) || x.namesItsSpeaker(c) ||
			c.Kind == Direct && x.quotedByAnother(c) || x.pluralCueOfOne(c) || c.Kind == Direct && x.bareWho(c) || x.headlessParticiple(c) {
			c.SpeakerUnsure = true
		}
	}
}

// namesItsSpeaker reports whether a paraphrase or a quotation cued by a
// pronoun ("while he admitted Ramsey may prefer ...", "He said: 'Ramsey
// would reply …'") opens with the name of the speaker the pronoun was
// taken for: a "he" does not report himself by name, so the pronoun means
// someone else.
func (x *extractor) namesItsSpeaker(c *Claim) bool {
	if c.Sentence >= len(x.sents) {
		return false
	}
	if c.Start < x.sents[c.Sentence].Start {
		return false
	}
	var last [4]string // the cue's subject: "while he admitted"
	pre := lastFields(x.body[x.sents[c.Sentence].Start:c.Start], last[:])
	if !slices.ContainsFunc(pre, isHeOrShe) && !(c.Kind == Direct && x.pronounCueAfter(c)) {
		return false
	}
	name := trimPossessive(lastWord(c.Speaker))
	raw := x.body[c.Start:c.End]
	head := raw[:min(len(raw), len(name)+24)]
	k := strings.Index(head, name)
	return len(name) > 1 && k >= 0 && strings.IndexByte(head[:k], ',') < 0 &&
		(k+len(name) == len(head) || !isWordByte(head[k+len(name)]))
}

// isHeOrShe reports whether w is the pronoun "he" or "she", in any case.
func isHeOrShe(w string) bool { return strings.EqualFold(w, "he") || strings.EqualFold(w, "she") }

// pronounCueAfter reports whether a quotation is cued by a pronoun after
// it in its sentence ("'…,' he said"): one of the first three words after
// its closing mark is "he" or "she".
func (x *extractor) pronounCueAfter(c *Claim) bool {
	end := x.sents[c.Sentence].End
	if c.End >= end {
		return false
	}
	n := 0
	for w := range strings.FieldsSeq(x.body[c.End:min(end, c.End+24)]) {
		if isHeOrShe(strings.Trim(w, ",.;:'\"‘’“”")) {
			return true
		}
		if n++; n == 3 {
			break
		}
	}
	return false
}

// quotedByAnother reports whether a quotation credited to a cue after it
// ("…', the website states") was brought in by another cue before it in
// its sentence ("Ms Kunis confessed and told her '…'"): the words are that
// other person's, as the later source relays them, and the sentence does
// not name the later speaker before the quotation.
func (x *extractor) quotedByAnother(c *Claim) bool {
	if c.Sentence >= len(x.sents) {
		return false
	}
	s := x.sents[c.Sentence]
	if c.Start < s.Start || c.End > s.End {
		return false
	}
	pre := strings.TrimRight(x.body[s.Start:c.Start], " \n'\"‘“:,")
	var last [2]string
	words := lastFields(pre, last[:])
	if len(words) < 2 {
		return false
	}
	k := len(words) - 1
	if anyFold(words[k], "her", "him", "them", "me", "us") {
		k--
	}
	if !anyFold(words[k], "told", "tells", "telling", "asked", "asks", "said", "says", "saying", "confessed", "added") {
		return false
	}
	post := strings.TrimLeft(x.body[c.End:s.End], " '\"’”.!?")
	if !strings.HasPrefix(post, ",") || len(strings.Fields(post)) < 2 {
		return false // "… told her: '…'" and nothing after: the quotation is the cue's
	}
	return !strings.Contains(pre, trimPossessive(lastWord(c.Speaker)))
}

// pluralCueOfOne reports whether a claim credited to one person was cued
// by a plural verb ("Joshua Burns and his wife, Brenda Burns, say ..."):
// the speakers are two or more, of whom the one named is only a part.
func (x *extractor) pluralCueOfOne(c *Claim) bool {
	if !slices.Contains([]string{"say", "claim", "insist", "allege", "argue", "believe", "deny", "admit", "maintain"}, c.Verb) ||
		c.Sentence >= len(x.sents) || c.Start < x.sents[c.Sentence].Start {
		return false
	}
	first, _, ok := strings.Cut(c.Speaker, " ")
	if !ok || genderOfFirstName(x.lower(first)) == 0 {
		return false // not one person's name
	}
	var last [4]string // the cue and the word before it, among the last four
	pre := lastFields(x.body[x.sents[c.Sentence].Start:c.Start], last[:])
	for k := len(pre) - 1; k > 0; k-- {
		if strings.EqualFold(strings.Trim(pre[k], ","), c.Verb) {
			prev := x.lower(strings.Trim(pre[k-1], ","))
			return !slices.Contains([]string{"to", "did", "do", "will", "would", "could", "can", "may", "might", "should", "must",
				"didn't", "don't", "won't", "not", "i", "we", "you", "they"}, prev)
		}
	}
	return false
}

// headlessParticiple reports whether a claim cued by a participle
// ("…, telling O'Sullivan he had noticed …") sits in a sentence that opens
// in lower case: copy broken over a blank line ("Marteel\n\napproached
// O'Sullivan …") lost the main clause's subject, the one the participle
// belongs to, and the name found instead is its object or a caption's.
func (x *extractor) headlessParticiple(c *Claim) bool {
	if !strings.HasSuffix(c.Verb, "ing") || c.Sentence >= len(x.sents) {
		return false
	}
	s := x.sents[c.Sentence]
	if c.Start < s.Start {
		return false
	}
	part := x.body[s.Start:c.Start]
	if k := strings.LastIndex(part, "\n"); k >= 0 {
		part = strings.TrimLeft(part[k:], "\n ") // the sentence's part after a break: "approached O'Sullivan …"
	}
	r, _ := utf8.DecodeRuneInString(part)
	return unicode.IsLower(r)
}

// bareWho reports whether a quotation's speaker is only "the man" or "the
// woman" (as the sentence says it): a reference the engine could not follow back to anyone, which
// tells a reader of the briefing nothing and may mean someone else than
// the person the article last called so.
// "A woman who has accused the senator said" describes her: that stays.
func (x *extractor) bareWho(c *Claim) bool {
	w := strings.TrimPrefix(strings.TrimPrefix(c.Speaker, "the "), "The ")
	if c.SpeakerRole != "" || !strings.EqualFold(w, "man") && !strings.EqualFold(w, "woman") || c.Sentence >= len(x.sents) {
		return false
	}
	w = strings.ToLower(w)
	sent := strings.ToLower(x.body[x.sents[c.Sentence].Start:x.sents[c.Sentence].End])
	return hasWord(sent, "the "+w) && !hasWord(sent, "a "+w)
}

// asideText reports whether a paraphrase is the writer's aside after a
// cue rather than what was said: "…, told NBC News, apparently referring
// to the animals".
func asideText(text string) bool {
	var f [2]string
	n := 0
	for w := range strings.FieldsSeq(text) {
		f[n] = w
		if n++; n == len(f) {
			break
		}
	}
	if n < 2 {
		return false
	}
	return strings.EqualFold(f[0], "referring") ||
		len(f[0]) >= 2 && strings.EqualFold(f[0][len(f[0])-2:], "ly") && strings.EqualFold(f[1], "referring")
}

// captionIn reports whether text has a photo caption's marks in it
// (captionMarks, and ", left," and the like), in any case.
func captionIn(text string) bool {
	for i := 0; i < len(text); i++ {
		// Every mark starts with '(', ',' or 'p' (TestCaptionMarkStarts):
		// the bytes in between are skipped eight at a time.
		if i = indexAny4(text, i, len(text), '(', ',', 'p', 'P'); i == len(text) {
			break
		}
		for _, m := range captionMarksAt[lowerByte(text[i])] {
			// The second byte first (every mark is ASCII and lower case,
			// so EqualFold matches it only by an ASCII byte), then the rest.
			if i+1 < len(text) && lowerByte(text[i+1]) == m[1] && hasPrefixFold(text[i:], m) {
				return true
			}
		}
	}
	return false
}

// captionMarksAt are the marks captionIn looks for, by their first byte.
var captionMarksAt = func() (at [256][]string) {
	for _, m := range slices.Concat(captionMarks, []string{", left,", ", right,", ", left;", ", right;", ", left:", ", right:", ", pictured,"}) {
		at[m[0]] = append(at[m[0]], m)
	}
	return at
}()

// lastFields fills out with the last len(out) words of s (as
// strings.Fields splits it), in order, and returns the part of out it
// filled: fewer if s has fewer words.
func lastFields(s string, out []string) []string {
	n := 0
	end := len(s)
	for end > 0 && n < len(out) {
		for end > 0 { // skip the spaces before end
			r, size := utf8.DecodeLastRuneInString(s[:end])
			if !unicode.IsSpace(r) {
				break
			}
			end -= size
		}
		start := end
		for start > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:start])
			if unicode.IsSpace(r) {
				break
			}
			start -= size
		}
		if start == end {
			break
		}
		n++
		out[len(out)-n] = s[start:end]
		end = start
	}
	return out[len(out)-n:]
}

// anyFold reports whether w is one of words, in any case.
func anyFold(w string, words ...string) bool {
	for _, v := range words {
		if strings.EqualFold(w, v) {
			return true
		}
	}
	return false
}

// toMe reports whether the text before a claim ends in a cue told to
// "me": "told me", "tells me that".
func toMe(before string) bool {
	before = strings.TrimRight(before, " \n")
	before = strings.TrimSuffix(before, " that")
	for _, v := range []string{" told me", " tells me", " telling me", " tell me", " told us", " tells us"} {
		if strings.HasSuffix(before, v) {
			return true
		}
	}
	return false
}

// sortClaims sorts claims by Start, stably. They come nearly in order (a
// quotation attributed after its sentence's claims is the most often out
// of place), so an insertion sort moves a few of them, and hands over to
// slices.SortStableFunc if it would move many (stable too, so the order
// of equal claims is the one they came in).
func sortClaims(c []Claim) {
	moves := 0
	for i := 1; i < len(c); i++ {
		if c[i].Start >= c[i-1].Start {
			continue
		}
		v := c[i]
		j := i
		for j > 0 && c[j-1].Start > v.Start {
			c[j] = c[j-1]
			j--
		}
		c[j] = v
		if moves += i - j; moves > 4*len(c) {
			slices.SortStableFunc(c, func(a, b Claim) int { return cmp.Compare(a.Start, b.Start) })
			return
		}
	}
}

// scratch is what an extractor needs only while it runs: its maps and
// slices, kept from one article for the next (sync.Pool) rather than made
// anew and grown for each.
type scratch struct {
	names, orgs            map[string][]string
	roles, lowered         map[string]string
	genders, surnameGender map[string]byte
	nameCount              map[string]int
	writtenAs              [2]map[string]bool
	ents                   []entity
	quotes                 []quote
	marks                  [][2]int
	sentToks               []int
	headline, done         []bool
	firsts                 []byte
	quoteBy                []attribution
	claims                 []Claim
}

var scratches sync.Pool

func getScratch() *scratch {
	if sc, ok := scratches.Get().(*scratch); ok {
		return sc
	}
	return &scratch{
		names: map[string][]string{}, orgs: map[string][]string{}, roles: map[string]string{}, lowered: map[string]string{},
		genders: map[string]byte{}, surnameGender: map[string]byte{}, nameCount: map[string]int{},
		writtenAs: [2]map[string]bool{{}, {}},
	}
}

// lend gives x the scratch's maps, empty, and its slices, of length 0.
func (sc *scratch) lend(x *extractor) {
	x.names, x.orgs, x.roles, x.lowered = sc.names, sc.orgs, sc.roles, sc.lowered
	x.genders, x.surnameGender, x.nameCount, x.writtenAs = sc.genders, sc.surnameGender, sc.nameCount, sc.writtenAs
	x.ents, x.quotes, x.marks, x.sentToks = sc.ents[:0], sc.quotes[:0], sc.marks[:0], sc.sentToks[:0]
	x.headline, x.done, x.quoteBy, x.firsts = sc.headline[:0], sc.done[:0], sc.quoteBy[:0], sc.firsts[:0]
	x.claims = sc.claims[:0]
}

// keep takes back from x what it lent and what x grew, emptied so that it
// holds on to no article, and puts it back in the pool unless an article
// made it very large.
func (sc *scratch) keep(x *extractor) {
	const most = 1 << 12
	sc.ents, sc.quotes, sc.marks, sc.sentToks = x.ents, x.quotes, x.marks, x.sentToks
	sc.headline, sc.done, sc.quoteBy, sc.firsts = x.headline, x.done, x.quoteBy, x.firsts
	sc.claims = x.claims
	if len(x.nameCount) > most || len(x.lowered) > most || len(x.writtenAs[0])+len(x.writtenAs[1]) > most ||
		len(x.names) > most || len(x.orgs) > most || len(x.roles) > most || len(x.genders) > most || len(x.surnameGender) > most ||
		cap(sc.ents) > most || cap(sc.quotes) > most || cap(sc.sentToks) > most || cap(sc.quoteBy) > most || cap(sc.claims) > most {
		return
	}
	clear(sc.names)
	clear(sc.orgs)
	clear(sc.roles)
	clear(sc.lowered)
	clear(sc.genders)
	clear(sc.surnameGender)
	clear(sc.nameCount)
	clear(sc.writtenAs[0])
	clear(sc.writtenAs[1])
	clear(sc.ents[:cap(sc.ents)])
	clear(sc.quoteBy[:cap(sc.quoteBy)])
	clear(sc.claims) // let go of the article's strings
	scratches.Put(sc)
}

// boolsOf returns a slice of n false, from b's memory if it has room.
func boolsOf(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// extractor holds what is known about one article while its sentences are
// read in order.
type extractor struct {
	body     string
	sents    []Sentence
	toks     []tok // every token of the body
	sentToks []int // sentToks[i] is the index of sentence i's first token; one more entry at the end
	quotes   []quote
	quoteBy  []attribution // the attribution each quote got, if done
	done     []bool
	names    map[string][]string // last word of a name (lower case) -> full names in the article
	roles    map[string]string   // full name -> role given somewhere in the article
	genders  map[string]byte     // full name -> 'f' or 'm'
	// surname (lower case) -> 'f' or 'm', from "Mr. X", "Ms. X"
	surnameGender map[string]byte
	nameCount     map[string]int      // full name -> how often the article writes it
	lowered       map[string]string   // see lower
	writtenAs     [2]map[string]bool  // see written: in lower case, capitalized
	orgs          map[string][]string // first word of an organization's name (lower case) -> its names
	polls         []mention           // polls and surveys named so far
	labels        int                 // paragraphs opened by a speaker's label in capitals ("TAPPER:"), -1 until counted
	headline      []bool              // headline[i]: sentence i is written like a headline
	colonCues     []colonCue          // "X said:" with the quotation to follow
	ents          []entity            // people, groups and organizations, in the order they appear
	claims        []Claim
	marks         [][2]int // the quotation marks of the body
	firsts        []byte   // firsts[i] is the first byte of toks[i].low for a word, 0 for punctuation
	clauseMemo    clauseMemo
}

// entity is someone or something that can speak, and be referred to later
// by a pronoun ("she") or a noun ("the company").
type entity struct {
	name      string // as a speaker is shown: "Basem Naim", "Hamas officials"
	role      string
	head      string // singular lower-case head noun of a descriptive phrase: "official", "company"
	plural    bool
	person    bool
	org       bool
	outlet    bool
	maybe     bool // a name that may be a person or an organization
	place     bool // named after "in", "at", "to": a place, not a speaker
	subject   bool // the subject of a sentence
	spoke     bool // the speaker of a claim
	anonymous bool
	gender    byte
	at        int // body offset of the mention
}

// colonCue is an attribution that ends its sentence with a colon ("Stated
// Stone:"), for the quotation that follows.
type colonCue struct {
	end int
	a   attribution
}

// mention is something named at an offset of the body.
type mention struct {
	name string
	at   int
}

// attribution is who a claim comes from and how.
type attribution struct {
	speaker, role string
	unsure        bool // the speaker is a guess, or empty: no one could be named for certain
	anonymous     bool
	verb, via     string
	kind          Kind
	ent           entity
}

func (x *extractor) prepare() {
	var marks [][2]int
	x.quotes, marks = findQuotes(x.body, x.sents, x.quotes, x.marks)
	x.marks = marks
	x.toks = getToks(len(x.body) / 4) // a token for every 5 or 6 bytes of news, with room to spare
	x.sentToks = slices.Grow(x.sentToks[:0], len(x.sents)+1)
	lowBody := asciiLower(x.body)
	for _, s := range x.sents {
		x.sentToks = append(x.sentToks, len(x.toks))
		x.toks = tokenize(x.body, lowBody, s.Start, s.End, x.toks, marks)
	}
	x.sentToks = append(x.sentToks, len(x.toks))
	x.firsts = slices.Grow(x.firsts[:0], len(x.toks))[:len(x.toks)]
	x.headline = boolsOf(x.headline, len(x.sents))
	x.done = boolsOf(x.done, len(x.quotes))
	if cap(x.quoteBy) >= len(x.quotes) {
		x.quoteBy = x.quoteBy[:len(x.quotes)] // cleared when kept
	} else {
		x.quoteBy = make([]attribution, len(x.quotes))
	}
	// One pass over each sentence's tokens: whether each can be part of a
	// name, its first byte, whether the sentence is a headline (titleCase
	// judged before any token is marked quoted, as it always was), then
	// which of its tokens are quoted. isNameTok reads no token's quoted.
	qi := 0
	for si := range x.sents {
		first := x.sentToks[si]
		t := x.toks[first:x.sentToks[si+1]]
		for i := range t {
			k := &t[i]
			k.name = isNameTok(t, i)
			x.firsts[first+i] = 0
			if k.word {
				x.firsts[first+i] = k.low[0]
			}
		}
		x.headline[si] = titleCase(t)
		for i := range t {
			k := &t[i]
			for qi < len(x.quotes) && x.quotes[qi].close < k.start {
				qi++
			}
			if qi < len(x.quotes) && k.start >= x.quotes[qi].open && k.start <= x.quotes[qi].close {
				k.quoted = true
				k.closes = k.mark && x.quotes[qi].closed && k.start == x.quotes[qi].close
			}
		}
	}
	x.indexNames()
}

// indexNames records every multi-word name of the article, so that a
// speaker called "Naim" is shown as the fullest name the article gives.
func (x *extractor) indexNames() {
	for si := range x.sents {
		t := x.toks[x.sentToks[si]:x.sentToks[si+1]]
		if x.headline[si] {
			continue // a headline: its capitals are no names
		}
		for i := 0; i < len(t); {
			if !t[i].name { // isNameTok(t, i)
				i++
				continue
			}
			j := i
			for j < len(t) && t[j].name && !(j > i && t[j].lineStart) && !(j > i && t[j].in(lexArticles)) {
				j++ // a capital "The" inside a run opens the next sentence: a lost full stop
			}
			// Drop sentence-initial words and titles in front of the name.
			lo, _ := nameStart(t, i, j, true)
			// "Mr. Trump", "Ms. Kline": the surname's gender, for "he" and "she".
			if lo > i && lo < j && t[lo-1].in(lexHonorifics) {
				if g := genderOf(t[lo-1].low); g != 0 {
					x.surnameGender[t[j-1].bare()] = g
				}
				if g := honorificGender(t[lo-1].low); g != 0 {
					x.surnameGender[honorificsKey+t[j-1].bare()] |= honorificBit(g)
				}
			}
			if j-lo == 2 && t[lo].low == "miss" {
				x.surnameGender[honorificsKey+t[j-1].bare()] |= 2 // "Miss Robertson", read as a name
			}
			if ofTitle(t, 0, i, j) {
				lo = max(i+1, j-2)
			}
			if j-lo >= 2 && t[j-1].bareIn(lexOrgSuffixes|lexOrgNameWords) {
				first := t[lo].low // strings.ToLower(t[lo].text)
				x.orgs[first] = appendUnique(x.orgs[first], x.span(t[lo].start, nameEnd(&t[j-1])))
			}
			if j-lo >= 2 && !t[j-1].bareIn(lexOrgSuffixes) {
				full := x.span(t[lo].start, nameEnd(&t[j-1]))
				last := t[j-1].bare()
				x.names[last] = appendUnique(x.names[last], full)
				x.nameCount[full]++
				if g := genderOfFirstTok(&t[lo]); g != 0 {
					x.genders[full] = g
				}
				if lo > i && t[lo-1].in(lexHonorifics) {
					x.genders[full] = genderOf(t[lo-1].low)
				}
				if role := x.roleBefore(t, i, lo); role != "" && x.roles[full] == "" {
					x.roles[full] = role
				}
				if role := x.appositiveAfter(t, j); role != "" && x.roles[full] == "" {
					x.roles[full] = role
				}
			}
			i = j
		}
	}
}

// titleCase reports whether a sentence is written like a headline: five
// words or more, nearly all capitalized.
func titleCase(t []tok) bool {
	words, caps := 0, 0
	for ri := range t {
		k := &t[ri]
		if k.word && !k.quoted && !isNumberTok(k) {
			words++
			if k.cap {
				caps++
			}
		}
	}
	return words >= 5 && caps*10 >= words*8
}

// written reports whether the article writes the word w (lower case)
// capitalized inside a sentence (capital true) or in lower case (false).
// Called only for a lone capitalized word opening a sentence, and
// remembered, so a scan of the tokens per word asked is cheap enough.
func (x *extractor) written(w string, capital bool) bool {
	c := 0
	if capital {
		c = 1
	}
	if v, ok := x.writtenAs[c][w]; ok {
		return v
	}
	found := false
	if w != "" {
		// Only the words that start with w's first byte: found in firsts,
		// a byte per token, rather than by reading every token.
		for i := 0; i < len(x.firsts); i++ {
			j := bytes.IndexByte(x.firsts[i:], w[0])
			if j < 0 {
				break
			}
			i += j
			if k := &x.toks[i]; k.word && k.cap == capital && strings.HasPrefix(k.low, w) && k.bare() == w && (!capital || !x.startsSentence(i)) {
				found = true
				break
			}
		}
	}
	if x.writtenAs[c] == nil {
		x.writtenAs[c] = map[string]bool{}
	}
	x.writtenAs[c][w] = found
	return found
}

// startsSentence reports whether token i opens its sentence, or follows an
// opening mark or bracket.
func (x *extractor) startsSentence(i int) bool {
	si := sort.Search(len(x.sentToks)-1, func(s int) bool { return x.sentToks[s+1] > i })
	if i == x.sentToks[si] {
		return true
	}
	p := &x.toks[i-1]
	return p.mark && x.toks[i].quoted || p.text == "(" || p.text == ":"
}

// maxNameVariants bounds the names recorded under one word (full names
// with the same last word, organizations with the same first word), so
// that looking a name up costs the same in an article of any length. Real
// articles have a handful.
const maxNameVariants = 64

func appendUnique(list []string, s string) []string {
	for _, v := range list {
		if v == s {
			return list
		}
	}
	if len(list) == maxNameVariants {
		return list
	}
	return append(list, s)
}

// nameEnd is the end offset of a name token without its possessive.
func nameEnd(t *tok) int { return t.start + len(trimPossessive(t.text)) }

// isNameTok reports whether t[i] can be part of a proper name.
func isNameTok(t []tok, i int) bool {
	k := &t[i]
	if k.text == "&" {
		return i > 0 && i+1 < len(t) && t[i-1].cap && t[i+1].cap // "Carver & Lowe"
	}
	if !k.word {
		return false
	}
	if k.cap {
		// "That’s", "It’s", "THE": a capitalized function word is no name,
		// unless it is one next to another ("Will Doyle").
		if len(k.text) >= 6 && isAllCaps(k.text) {
			return false // "THE BORROWING", "BREAKING": a heading shouted, not an acronym
		}
		if len(k.low) > 10 {
			return true
		}
		return !k.bareIn(lexFunctionWords) || isNameWord(t, i)
	}
	if len(k.text) > 4 && (k.text[:3] == "al-" || k.text[:3] == "el-") && 'A' <= k.text[3] && k.text[3] <= 'Z' {
		return i > 0 && t[i-1].cap && t[i-1].word // "Raed al-Jabouri": an Arabic surname with its article
	}
	if len(k.low) > 3 || i == 0 || i+1 >= len(t) || !t[i-1].word && t[i-1].text != "&" {
		return false // (k is a word, not "&"); the words below are of two or three letters
	}
	prev, next := &t[i-1], &t[i+1]
	switch k.low {
	case "de", "van", "von", "bin", "al", "da", "del", "la", "le", "di", "der", "ibn", "dos", "du":
		// Particles inside names: "Charles de Gaulle", "Mohammed bin Salman".
		return prev.cap && next.cap
	case "of":
		// "Department of Health", "University of the West Indies".
		return prev.cap && prev.bareIn(lexOrgSuffixes) && (next.cap || next.low == "the" && i+2 < len(t) && t[i+2].cap)
	case "to", "for":
		// "Alliance to Reclaim Our Schools", "Committee to Protect
		// Journalists", "Center for Responsive Politics".
		return prev.cap && prev.bareIn(lexOrgSuffixes) && next.cap && !next.bareIn(lexFunctionWords)
	case "the":
		return prev.low == "of" && isNameTok(t, i-1) && next.cap
	case "and":
		// "National Oceanic and Atmospheric Administration".
		if !prev.cap || !next.cap {
			return false
		}
		for j := i + 1; j < len(t) && j < i+5 && t[j].cap; j++ {
			if t[j].bareIn(lexOrgSuffixes) {
				return true
			}
		}
	}
	return false
}

// maxPhraseBytes bounds the phrases read from the body as names, roles,
// channels and speakers' descriptions. Real ones are far shorter (at most
// 150 bytes in the 1,012 articles of the PolNeAR corpus); a run of
// capitalized words or a noun phrase longer than that is no name, and the
// bound keeps a claim's attribution, and the work on it, small however the
// body is written.
const maxPhraseBytes = 256

// span returns the phrase body[start:end]; of a phrase longer than
// maxPhraseBytes, its last words that fit.
func (x *extractor) span(start, end int) string {
	s := x.body[start:end]
	if len(s) <= maxPhraseBytes {
		return s
	}
	s = s[len(s)-maxPhraseBytes:]
	if i := strings.IndexAny(s, " \t\n"); i >= 0 {
		return s[i+1:]
	}
	for len(s) > 0 && !utf8.RuneStart(s[0]) {
		s = s[1:]
	}
	return s
}

// roleBefore returns the role written before a name ("Hamas Political
// Bureau member", "Fire Chief") from tokens t[from:nameLo].
func (x *extractor) roleBefore(t []tok, from, nameLo int) string {
	lo := nameLo
	for lo > 0 && lo > nameLo-6 {
		w := &t[lo-1]
		if w.is("of") && lo-2 >= 0 && lo < nameLo && !t[lo-2].quoted && (t[lo-2].bareIn(lexTitleWords) || isRoleTok(&t[lo-2])) {
			lo-- // "former secretary of state Hillary Clinton": the office's own "of"
			continue
		}
		if !w.word || w.quoted || w.in(lexNpStop) || w.in(lexDeterminers) || w.in(lexNpPreps) || w.in(lexPlacePreps) {
			break // "a spokesman for Sen. Rubio": the role is "Sen." only
		}
		lo--
	}
	if lo == nameLo {
		return ""
	}
	words := t[lo:nameLo]
	// Skip honorifics: they are not roles.
	for len(words) > 0 && words[len(words)-1].in(lexHonorifics) {
		words = words[:len(words)-1]
	}
	// A role opens with a capital, a role or a word that qualifies one:
	// not "ask former senator", "grabbing reporter".
	for len(words) > 0 && (starters[words[0].text] && words[0].cap && words[0].start == t[0].start ||
		!words[0].cap && !isRoleWord(words[0].bare()) && !words[0].bareIn(lexTitleWords) && !roleModifiers[words[0].low] && !orgNouns[words[0].low] &&
			!nounBeforeRole(words)) {
		words = words[1:]
	}
	// A capital after a plain lower-case noun opens the role anew: a full
	// stop was lost before it ("in the Tyne-Wear derby Head coach John
	// Carver": the role is "Head coach").
	for k := len(words) - 1; k > 0; k-- {
		if p := &words[k-1]; words[k].cap && !p.cap && p.word && isLowerWord(p.low) && !isRoleWord(p.low) &&
			!p.in(lexTitleWords) && !roleModifiers[p.low] && !orgNouns[p.low] {
			words = words[k:]
			break
		}
	}
	if len(words) == 0 || !isRoleLike(words) {
		return ""
	}
	return x.span(words[0].start, words[len(words)-1].end)
}

// nounBeforeRole reports whether words open with a noun that qualifies the
// role word after it: "fire" in "fire chief", "campaign" in "campaign
// manager"; not a verb or an adverb ("grabbing reporter", "ask former
// senator").
func nounBeforeRole(words []tok) bool {
	if len(words) < 2 || !(isRoleWord(words[1].bare()) || words[1].bareIn(lexTitleWords)) {
		return false
	}
	w := &words[0]
	return len(w.low) > 2 && !w.quoted && isLowerWord(w.low) && !w.in(lexCueVerbs) && !isAdverb(w) && !w.in(lexFiniteWords) &&
		!w.in(lexAuxWords) && !strings.HasSuffix(w.low, "ing") && !strings.HasSuffix(w.low, "ed") && !strings.HasSuffix(w.low, "ly")
}

func isLowerWord(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// appositiveAfter returns the role in ", the city's chief engineer," after
// a name that ends at t[j-1].
func (x *extractor) appositiveAfter(t []tok, j int) string {
	if j >= len(t) || t[j].text != "," || j+1 >= len(t) {
		return ""
	}
	k := j + 1
	end := k
	for end < len(t) && t[end].text != "," && t[end].text != "." && t[end].text != ";" && !t[end].mark && end-k < 16 {
		if isVerbInPhrase(&t[end]) {
			return ""
		}
		end++
	}
	words := t[k:end]
	// Not a relative clause about the role: "a reef ecologist ... who was not involved".
	for i := range words {
		w := &words[i]
		if w.in(lexRelatives) {
			words = words[:i]
			break
		}
	}
	if len(words) == 0 || !isRoleLike(words) || !(words[0].is("the", "a", "an") || t[k].cap) {
		return ""
	}
	if words[0].is("the", "a", "an") {
		words = words[1:]
	}
	if len(words) == 0 {
		return ""
	}
	return lowerLead(&words[0], x.span(words[0].start, words[len(words)-1].end))
}

// isRoleLike reports whether words describe a person's position.
func isRoleLike(words []tok) bool {
	for ri := range words {
		w := &words[ri]
		if w.bareIn(lexTitleWords) || isRoleTok(w) {
			return true
		}
	}
	return false
}

func isRoleWord(w string) bool { return roleWords()[w] || roleSuffix(w) }

// roleSuffix reports whether w names a profession by its ending:
// "epidemiologist", "politician".
func roleSuffix(w string) bool {
	return len(w) > 6 && (strings.HasSuffix(w, "ologist") || strings.HasSuffix(w, "ician"))
}

// genderOfFirstTok is genderOfFirstName(k.low).
func genderOfFirstTok(k *tok) byte {
	switch {
	case k.in(lexFemaleNames):
		return 'f'
	case k.in(lexMaleNames):
		return 'm'
	}
	return 0
}

func genderOfFirstName(low string) byte {
	switch {
	case femaleNames[low]:
		return 'f'
	case maleNames[low]:
		return 'm'
	}
	return 0
}

func genderOf(w string) byte {
	switch {
	case femaleWords[w]:
		return 'f'
	case maleWords[w]:
		return 'm'
	}
	return 0
}

// honorificsKey prefixes, in surnameGender, the surname whose value tells
// which honorifics the article gives it: bit 1 "Mr", bit 2 "Ms", "Mrs",
// "Miss". Both: two people of one family ("Miss Lane" and her father "Mr
// Lane").
const honorificsKey = "\x01"

// honorificGender is the gender an honorific tells: "Mr", "Ms", "Miss".
func honorificGender(low string) byte {
	if low = strings.TrimSuffix(low, "."); low == "miss" {
		return 'f'
	}
	return genderOf(low)
}

func honorificBit(g byte) byte {
	if g == 'f' {
		return 2
	}
	return 1
}

// maxCueTokens bounds the sentences searched for an attribution. Reading a
// subject tries the openings of the verb's clause, so the work on one
// sentence grows with the square of its length; real sentences are far
// shorter (at most 175 tokens, 82 for 99.9% of them, in PolNeAR), and a
// longer run of text glued without full stops is no one's statement for
// certain.
const maxCueTokens = 256

// sentence finds the claims of sentence i.
func (x *extractor) sentence(i int) {
	s := x.sents[i]
	t := x.toks[x.sentToks[i]:x.sentToks[i+1]]
	if !x.headline[i] {
		x.registerMentions(t)
	}
	x.notePolls(t)
	colons := len(x.colonCues)
	if len(t) <= maxCueTokens {
		if c, ok := x.findCue(i, t); ok {
			// "Obama emphasized that the reforms were not complete, and
			// rights groups warned that ...": the second speaker's words
			// are no part of the first one's claim.
			if v, end := x.secondSpeaker(t, c); v > 0 {
				if c2, ok := x.forwardCue(i, t, v); ok && !c2.unsure && !c2.whole && c2.speaker != c.speaker {
					c.parts[len(c.parts)-1][1] = end
					x.emit(i, t, c)
					x.emit(i, t, c2)
					return
				}
			}
			x.emit(i, t, c)
			return
		}
	}
	if len(x.colonCues) > colons {
		return // "She said:" introduces the quotation that follows; it claims nothing itself
	}
	if x.quoteOnly(t) {
		return // a quotation whose speaker is found later or earlier
	}
	x.claims = append(x.claims, Claim{
		Text: x.cleanText(s.Start, s.End), Kind: Unattributed, Start: s.Start, End: s.End, Sentence: i,
	})
}

// secondSpeaker finds, in the paraphrase of cue c that ends the sentence
// t, the reporting verb of a second clause with a subject of its own:
// after ", and" or ", but" ("..., and human rights groups warned that"),
// or after a full stop that copy lost ("... regional centers The S.E.C.
// said"). It returns the verb's index and where c's words end, or 0.
func (x *extractor) secondSpeaker(t []tok, c cue) (v, end int) {
	if c.whole || c.transcript || len(c.parts) == 0 || c.parts[len(c.parts)-1][1] != x.sents[x.sentenceAt(c.parts[len(c.parts)-1][0])].End {
		return 0, 0
	}
	from := c.parts[len(c.parts)-1][0]
	for j := 1; j+2 < len(t); j++ {
		if t[j].start < from || t[j].quoted {
			continue
		}
		s := 0
		switch {
		case t[j].text == "," && t[j+1].is("and", "but") && !t[j+1].quoted:
			s = j + 2
		case t[j].cap && t[j].is("the") && t[j-1].word && !t[j-1].cap && !t[j-1].quoted:
			s = j
		default:
			continue
		}
		if s >= len(t) || t[s].in(lexPronouns) || !t[s].word || t[s].quoted {
			continue
		}
		e := npEndForward(t, s)
		for e < len(t) && t[e].word && !t[e].quoted && (t[e].in(lexAuxWords) || isAdverb(&t[e])) {
			e++
		}
		if e > s && e < len(t) && t[e].word && !t[e].quoted && !t[e].cap && t[e].in(lexCueVerbs) && !t[e].in(lexBaseForms) && validCue(t, e) {
			return e, t[j-1].end
		}
	}
	return 0, 0
}

// quoteOnly reports whether every word of the sentence is quoted.
func (x *extractor) quoteOnly(t []tok) bool {
	words := 0
	for ri := range t {
		k := &t[ri]
		if k.word {
			if !k.quoted {
				return false
			}
			words++
		}
	}
	return words > 0
}

// cue is an attribution found in a sentence, with where its content is.
type cue struct {
	attribution
	// The content: one or two byte ranges of the body. A direct quote
	// is found inside them.
	parts [][2]int
	// whole: the verb takes an object, so the claim is the clause itself,
	// from subject to end, with the speaker's words as written.
	whole bool
	// weak: the subject is a relative pronoun; the cue serves only when the
	// sentence has no other.
	weak bool
	// transcript: the content is a speaker's words written after a label
	// ("TAPPER: ..."), verbatim though not in quotation marks.
	transcript bool
	subjStart  int // offset of the subject, for whole-clause claims
	subjEnd    int
	verbStart  int
}

// emit turns a cue into claims: one for each direct quotation in its
// content, or one paraphrase.
func (x *extractor) emit(i int, t []tok, c cue) {
	s := x.sents[i]
	if c.whole {
		text := oneLine(x.wholeText(c, s.End))
		x.claims = append(x.claims, c.claim(text, c.subjStart, s.End, i, Indirect))
		x.addEntity(c.ent)
		return
	}
	if c.transcript {
		p := c.parts[0]
		start, end := p[0], len(strings.TrimRight(x.body[:p[1]], " \n.,;:"))
		cl := c.claim(x.body[start:end], start, end, i, Direct)
		cl.Verbatim = true
		x.claims = append(x.claims, cl)
		x.addEntity(c.ent)
		return
	}
	var quoted []int
	var para []int // unquoted parts: one paraphrase, even when the cue splits it
	for _, p := range c.parts {
		qs, words, unq := x.quotesIn(p[0], p[1], t)
		if len(qs) > 0 && unq <= 1 && words > 0 {
			quoted = append(quoted, qs...)
			continue
		}
		if len(qs) > 0 && unq == 0 {
			quoted = append(quoted, qs...)
			continue
		}
		if words == 0 && unq == 0 {
			continue
		}
		para = append(para, p[0], p[1])
	}
	if len(para) > 0 {
		text := x.cleanText(para[0], para[1])
		for k := 2; k < len(para); k += 2 {
			text += " " + x.cleanText(para[k], para[k+1])
		}
		// A sentence the article broke over lines (see Segment) is one line.
		x.claims = append(x.claims, c.claim(oneLine(text), para[0], para[len(para)-1], i, c.kind))
	}
	if len(quoted) == 2 && x.splitQuote(quoted[0], quoted[1], i) {
		x.attributeSplitQuote(quoted[0], quoted[1], i, c.attribution)
		quoted = nil
	}
	for _, qi := range quoted {
		x.attributeQuote(qi, c.attribution)
	}
	x.addEntity(c.ent)
}

// splitQuote reports whether quotes q1 and q2 are one sentence of the
// speaker's split by the attribution: "“Our company, with its workers,” Lee
// said, “builds a lot here.”" Neither half is a statement on its own.
func (x *extractor) splitQuote(q1, q2, si int) bool {
	a, b := x.quotes[q1], x.quotes[q2]
	if a.cont || !a.closed || x.sentenceAt(b.start) != si || x.sentenceAt(a.start) != si {
		return false
	}
	r, _ := utf8.DecodeRuneInString(x.body[b.start:])
	w, _, _ := nextToken(x.body[b.start:b.end], 0)
	// "“Q1,” he said, “but Q2”": a clause of its own after a conjunction.
	return x.body[a.end] == ',' && unicode.IsLower(r) && !clauseOpeners[w]
}

// attributeSplitQuote records one direct claim for a quotation split by its
// attribution: its halves joined by an ellipsis, so not verbatim, and its
// span from the first half to the second.
func (x *extractor) attributeSplitQuote(q1, q2, si int, a attribution) {
	first, second := x.quotes[q1], x.quotes[q2]
	x.done[q1], x.done[q2] = true, true
	x.quoteBy[q1], x.quoteBy[q2] = a, a
	x.claims = append(x.claims, Claim{
		Text: x.body[first.start:first.end] + " … " + x.body[second.start:second.end], Speaker: a.speaker,
		SpeakerRole: a.role, Kind: Direct, Verb: a.verb, Via: a.via, Anonymous: a.anonymous,
		SpeakerUnsure: a.unsure, Start: first.start, End: second.end, Sentence: si,
	})
}

// addEntity records a speaker as someone later words may refer to.
func (x *extractor) addEntity(e entity) {
	if e.name != "" {
		if !e.person && !e.org && isPlaceName(e.name) {
			return // "Capitol Hill" of "Democrats on Capitol Hill, who said": a place, no one to refer back to
		}
		e.spoke = true
		x.ents = append(x.ents, e)
	}
}

// quotesIn returns the quotations that end inside [start, end] and are not
// yet attributed, the number of quoted words, and the number of words
// outside quotations in the range.
func (x *extractor) quotesIn(start, end int, t []tok) (qs []int, quotedWords, unquoted int) {
	for qi := x.quoteClosingFrom(start); qi < len(x.quotes) && x.quotes[qi].open <= end; qi++ {
		if q := x.quotes[qi]; !x.done[qi] && (q.close <= end+3 || !q.closed) {
			qs = append(qs, qi)
		}
	}
	for ri := range t {
		k := &t[ri]
		if k.start < start || k.end > end || !k.word {
			continue
		}
		if k.quoted {
			quotedWords++
		} else if !k.is("that") {
			unquoted++
		}
	}
	return qs, quotedWords, unquoted
}

// attributeQuote records a direct claim for quote qi, and for the earlier
// parts of a quotation that ran over paragraphs. A title in quotation
// marks ("Morning Joe", "State of the Union") is no one's words.
func (x *extractor) attributeQuote(qi int, a attribution) {
	for qi >= 0 && !x.done[qi] {
		q := x.quotes[qi]
		x.done[qi] = true
		x.quoteBy[qi] = a
		if x.isTitle(q) {
			return
		}
		c := Claim{
			Text: x.body[q.start:q.end], Speaker: a.speaker, SpeakerRole: a.role, Kind: Direct,
			Verb: a.verb, Via: a.via, Anonymous: a.anonymous, SpeakerUnsure: a.unsure, Verbatim: true,
			Start: q.start, End: q.end, Sentence: x.sentenceAt(q.start),
		}
		x.claims = append(x.claims, c)
		if !q.cont {
			return
		}
		qi--
	}
}

// isTitle reports whether a quotation is a title rather than someone's
// words: a few words, each capitalized but the small ones, with no
// sentence punctuation.
func (x *extractor) isTitle(q quote) bool {
	words := 0
	for f := range strings.FieldsSeq(x.body[q.start:q.end]) {
		r, _ := utf8.DecodeRuneInString(f)
		if strings.ContainsAny(f, ".,;:!?") || !unicode.IsUpper(r) && !titleSmallWords[f] {
			return false
		}
		words++
	}
	return words >= 2 && words <= 8
}

// quoteClosingFrom returns the index of the first quotation that closes at
// or after off (quotations do not overlap, so they close in order).
func (x *extractor) quoteClosingFrom(off int) int {
	return sort.Search(len(x.quotes), func(i int) bool { return x.quotes[i].close >= off })
}

func (x *extractor) sentenceAt(off int) int {
	return sort.Search(len(x.sents), func(i int) bool { return x.sents[i].End > off })
}

// attributeLeftoverQuotes gives quotations with no cue of their own the
// speaker of the quotation or paraphrase just before them, as news style
// does ("… ," she said. "Second sentence."). A quotation that cannot be
// traced to anyone becomes an unattributed claim: no speaker is guessed.
func (x *extractor) attributeLeftoverQuotes() {
	scan := x.newClaimScan()
	for qi, q := range x.quotes {
		if x.done[qi] {
			continue
		}
		si := x.sentenceAt(q.start)
		if si >= len(x.sents) {
			continue
		}
		n := len(x.claims)
		if a, ok := x.colonSpeaker(q.open); ok {
			x.attributeQuote(qi, a)
			scan.added(n)
			continue
		}
		if a, ok := x.previousSpeaker(scan, q.start, si); ok {
			a.verb = ""
			x.attributeQuote(qi, a)
			scan.added(n)
			continue
		}
		// No one to trace it to. A quotation standing as its own sentence is
		// still someone's words: a direct claim whose speaker is unclear,
		// never the author's voice. One inside the author's sentence is part
		// of that sentence's claim.
		standing := false
		for s := si; s < len(x.sents) && x.sents[s].Start <= q.close; s++ {
			standing = standing || !scan.covered[s] && x.quoteOnly(x.toks[x.sentToks[s]:x.sentToks[s+1]])
		}
		if standing {
			x.attributeQuote(qi, attribution{unsure: true, kind: Direct})
		}
		scan.added(n)
		x.done[qi] = true
	}
}

// nameDescriptions gives a claim credited to a description with no name
// ("a former prime minister has warned") the name of the person the next
// sentence quotes under that title or none ("Gordon Brown said"), as news
// often names the speaker only after describing them.
func (x *extractor) nameDescriptions() {
	// The first attributed claim of each sentence that has one.
	var bySentence map[int]int
	for i := range x.claims {
		c := &x.claims[i]
		if c.Kind == Unattributed || c.SpeakerUnsure || c.Speaker == "" || c.SpeakerRole != "" ||
			strings.ContainsAny(c.Speaker[:1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") || !isRoleWord(strings.ToLower(lastWord(c.Speaker))) ||
			strings.Contains(c.Speaker, " of ") || strings.Contains(c.Speaker, " for ") {
			continue
		}
		// Only a description that introduces someone: "a former prime
		// minister", not "the spokesperson" who was named before.
		st := x.sents[c.Sentence].Text(x.body)
		if !strings.Contains(st, "a "+c.Speaker) && !strings.Contains(st, "an "+c.Speaker) &&
			!strings.Contains(st, "A "+c.Speaker) && !strings.Contains(st, "An "+c.Speaker) ||
			c.Sentence+1 >= len(x.sents) || x.sents[c.Sentence+1].Para != x.sents[c.Sentence].Para {
			continue
		}
		if bySentence == nil {
			bySentence = map[int]int{}
			for j := len(x.claims) - 1; j >= 0; j-- {
				if x.claims[j].Kind != Unattributed {
					bySentence[x.claims[j].Sentence] = j
				}
			}
		}
		j, ok := bySentence[c.Sentence+1]
		if !ok {
			continue
		}
		n := x.claims[j]
		if n.SpeakerUnsure || n.Speaker == "" || !strings.Contains(n.Speaker, " ") || !unicode.IsUpper([]rune(n.Speaker)[0]) {
			continue
		}
		if n.SpeakerRole == "" || containsWord(strings.ToLower(n.SpeakerRole), strings.ToLower(lastWord(c.Speaker))) {
			c.SpeakerRole, c.Speaker = c.Speaker, n.Speaker
		}
	}
}

// colonSpeaker returns the speaker of a cue that ended just before off
// with a colon, with only white space between.
func (x *extractor) colonSpeaker(off int) (attribution, bool) {
	// The cues are in the order of the text: the last one ending before off.
	i := sort.Search(len(x.colonCues), func(i int) bool { return x.colonCues[i].end >= off }) - 1
	if i >= 0 && strings.TrimSpace(x.body[x.colonCues[i].end:off]) == "" {
		return x.colonCues[i].a, true
	}
	return attribution{}, false
}

// claimScan keeps what previousSpeaker asks of the claims found so far,
// for offsets asked in increasing order, so that attributing the leftover
// quotations costs a sort and one pass rather than a pass over the claims
// for each quotation.
type claimScan struct {
	x       *extractor
	sorted  []int  // the claims there were at first, by Start, then index
	next    int    // sorted[:next] were seen: they start before the last offset
	pending []int  // claims added since, not seen yet
	speaker int    // of the claims seen, the attributed one that starts last (the first such), or -1
	author  int    // of the claims seen, the one in the author's voice that starts last, or -1
	covered []bool // covered[s]: a claim overlaps sentence s
	entAt   []int  // the entities, by where they are named; made when first needed
}

func (x *extractor) newClaimScan() *claimScan {
	sc := &claimScan{x: x, speaker: -1, author: -1, covered: make([]bool, len(x.sents))}
	sc.sorted = make([]int, len(x.claims))
	for i := range sc.sorted {
		sc.sorted[i] = i
		sc.cover(i)
	}
	slices.SortFunc(sc.sorted, func(i, j int) int {
		return cmp.Or(cmp.Compare(x.claims[i].Start, x.claims[j].Start), cmp.Compare(i, j))
	})
	return sc
}

// cover marks the sentences claim ci overlaps.
func (sc *claimScan) cover(ci int) {
	c := sc.x.claims[ci]
	for s := sc.x.sentenceAt(c.Start); s < len(sc.x.sents) && sc.x.sents[s].Start < c.End; s++ {
		sc.covered[s] = true
	}
}

// added takes note of the claims appended from index n on.
func (sc *claimScan) added(n int) {
	for ci := n; ci < len(sc.x.claims); ci++ {
		sc.cover(ci)
		sc.pending = append(sc.pending, ci)
	}
}

// before brings speaker and author up to date for the claims that start
// before off, which must not be less than the offset of the last call.
func (sc *claimScan) before(off int) {
	for ; sc.next < len(sc.sorted) && sc.x.claims[sc.sorted[sc.next]].Start < off; sc.next++ {
		sc.see(sc.sorted[sc.next])
	}
	keep := sc.pending[:0]
	for _, ci := range sc.pending {
		if sc.x.claims[ci].Start < off {
			sc.see(ci)
		} else {
			keep = append(keep, ci)
		}
	}
	sc.pending = keep
}

func (sc *claimScan) see(ci int) {
	c := sc.x.claims[ci]
	later := func(best int) bool {
		b := sc.x.claims[best]
		return c.Start > b.Start || c.Start == b.Start && ci < best
	}
	if c.Kind != Unattributed && (sc.speaker < 0 || later(sc.speaker)) {
		sc.speaker = ci
	}
	if c.Kind == Unattributed && (sc.author < 0 || later(sc.author)) {
		sc.author = ci
	}
}

// previousSpeaker finds the speaker of the last claim before off, if it is
// in the same paragraph or the one before and at most two sentences back.
func (x *extractor) previousSpeaker(scan *claimScan, off, si int) (attribution, bool) {
	scan.before(off)
	if scan.speaker < 0 {
		return attribution{}, false
	}
	c := x.claims[scan.speaker]
	last := x.sentenceAt(c.End - 1)
	if si-last > 2 || x.sents[si].Para-x.sents[last].Para > 1 {
		return attribution{}, false
	}
	// Nothing in the author's voice in between.
	if scan.author >= 0 && x.claims[scan.author].Start > c.Start {
		return attribution{}, false
	}
	// Inside the paraphrase, or later in the sentence, someone else's
	// words: "Dale said his daughter told him: 'I want to come home.'",
	// "Cruz accuses Obama of 'X' and Trump says he is 'Y'".
	if c.Start <= off && (off <= c.End || x.sentenceAt(c.Start) == si) && x.otherSpeakerBefore(c, si, off) {
		return attribution{unsure: true, kind: Direct}, true
	}
	// Someone else named in between may have said it.
	if scan.entAt == nil {
		scan.entAt = make([]int, len(x.ents))
		for i := range scan.entAt {
			scan.entAt[i] = i
		}
		for i := 1; i < len(x.ents); i++ {
			if x.ents[i].at < x.ents[i-1].at { // else they are in order already
				slices.SortStableFunc(scan.entAt, func(i, j int) int { return cmp.Compare(x.ents[i].at, x.ents[j].at) })
				break
			}
		}
	}
	from := sort.Search(len(scan.entAt), func(i int) bool { return x.ents[scan.entAt[i]].at > x.sents[last].End })
	for _, i := range scan.entAt[from:] {
		en := x.ents[i]
		if en.at >= off {
			break
		}
		if en.name != c.Speaker && !en.place && !en.outlet && (en.person || en.org) {
			return attribution{unsure: true, kind: Direct}, true
		}
	}
	return attribution{speaker: c.Speaker, role: c.SpeakerRole, anonymous: c.Anonymous, via: c.Via,
		unsure: c.SpeakerUnsure, kind: Direct}, true
}

// otherSpeakerBefore reports whether, in sentence si, between the start of
// the paraphrase c and offset off, a reporting verb has a subject of its
// own other than c's speaker ("his daughter told him", "she wrote"): a
// quotation after it gives that subject's words, which c's speaker only
// reports. A pronoun of the speaker's gender, or the speaker's surname,
// is the speaker telling of himself ("he told reporters").
func (x *extractor) otherSpeakerBefore(c Claim, si, off int) bool {
	t := x.toks[x.sentToks[si]:x.sentToks[si+1]]
	// The last word before the quotation, and the verb that introduces
	// it: at most a few words of object between them ("told him",
	// "begged her parents"), then a colon, a comma or nothing.
	q := 0
	for q < len(t) && t[q].start < off {
		q++
	}
	e := q - 1
	for e >= 0 && t[e].mark {
		e--
	}
	if e >= 0 && (t[e].text == ":" || t[e].text == ",") {
		e--
	}
	v := e
	for v > 0 && v > e-4 && t[v].word && !t[v].quoted && !(t[v].in(lexCueVerbs) || innerCues[t[v].low]) {
		v--
	}
	if v <= 0 || t[v].start < c.Start {
		return false
	}
	k := &t[v]
	if !k.word || k.quoted || k.cap || !(k.in(lexCueVerbs) || innerCues[k.low]) || k.in(lexBaseForms) ||
		strings.HasSuffix(k.low, "ing") || k.low == c.Verb || k.is("found", "finds", "show", "shows", "showed", "reported", "reports", "posted") ||
		t[v-1].in(lexDeterminers) || !validCue(t, v) {
		return false
	}
	for j := v + 1; j <= e; j++ {
		if !t[j].word || t[j].quoted {
			return false
		}
	}
	p := v - 1
	for p > 0 && t[p].word && (t[p].in(lexAuxWords) || isAdverb(&t[p])) {
		p--
	}
	if !t[p].word || t[p].quoted || t[p].start < c.Start || t[p].is("to", "that", "who", "which", "and", "or", "but", "when", "as", "if", "what") {
		return false
	}
	switch g := x.genders[c.Speaker]; {
	case t[p].is("he") && g != 'f', t[p].is("she") && g != 'm', t[p].is("i", "we"):
		return false // the speaker telling of himself: "he told reporters"
	case t[p].cap && t[p].bare() == strings.ToLower(lastWord(c.Speaker)):
		return false
	}
	return true
}

func (c cue) claim(text string, start, end, sent int, kind Kind) Claim {
	return Claim{
		Text: text, Speaker: c.speaker, SpeakerRole: c.role, Kind: kind, Verb: c.verb, Via: c.via,
		Anonymous: c.anonymous, SpeakerUnsure: c.unsure, Start: start, End: end, Sentence: sent,
	}
}

// cleanText returns body[start:end] without surrounding spaces, trailing
// punctuation, and quotation marks that do not pair up inside it.
func (x *extractor) cleanText(start, end int) string {
	// A quotation that opens inside and closes just after: take its mark
	// too, so that no mark dangles ("a “root canal,”" ends "a “root canal”").
	for qi := x.quoteClosingFrom(end); qi < len(x.quotes) && x.quotes[qi].close <= end+3; qi++ {
		if q := x.quotes[qi]; q.closed && q.open >= start && q.open < end {
			_, size := utf8.DecodeRuneInString(x.body[q.close:])
			if x.body[q.close] == '\'' && q.close+1 < len(x.body) && x.body[q.close+1] == '\'' || x.body[q.close] == '`' {
				size = 2
			}
			inner := strings.TrimRight(x.body[start:q.close], " ,.")
			return strings.TrimSpace(inner) + x.body[q.close:q.close+size]
		}
	}
	s := strings.TrimSpace(x.body[start:end])
	for {
		r, size := utf8.DecodeLastRuneInString(s)
		if size == 0 || !(r == '.' || r == ',' || r == ';' || r == ':' || unicode.IsSpace(r) || r == '—' || r == '–') {
			break
		}
		if r == '.' && strings.HasSuffix(s, "..") {
			break
		}
		if r == '.' && endsWithAbbrev(s) {
			break
		}
		s = s[:len(s)-size]
	}
	return s
}

func endsWithAbbrev(s string) bool {
	i := strings.LastIndexAny(s, " \n")
	w := strings.TrimSuffix(s[i+1:], ".") // looked up in lower case
	return strings.Contains(w, ".") || len(w) <= abbrevsMaxLen() && (lowerKey(titleAbbrevs, w) || lowerKey(otherAbbrevs, w) || lowerKey(monthAbbrevs, w))
}

// wholeText builds the claim of an object-taking verb: the subject as
// written (a pronoun replaced by the speaker), the verb and what follows,
// without the channel or time phrases between them.
func (x *extractor) wholeText(c cue, end int) string {
	subj := x.body[c.subjStart:c.subjEnd]
	if low := strings.ToLower(subj); (pronouns[low] || low == "who" || low == "which" || low == "that") && c.speaker != "" {
		subj = c.speaker // never "Who accused ..."
	}
	return subj + " " + x.cleanText(c.verbStart, end)
}
