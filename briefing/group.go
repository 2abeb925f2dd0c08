package briefing

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Grouping articles into stories.
//
// An article is described by weighted terms of three kinds: the names it
// mentions (people, organisations, places: capitalised words in its body
// and its speakers), the numbers it gives, and the content words of its
// headline and lead. Names weigh most: two bridge closures in two cities
// share their words ("bridge", "closed", "traffic") but not their names.
// Terms are weighted by how rare they are among the articles in the window
// (inverse document frequency), so that a name every story mentions (a
// country, a weekday) links nothing. An article joins the story of the
// most similar article in the window (cosine over the weighted terms), if
// the similarity passes a threshold and the two share enough names.
//
// The grouper keeps, for each article in the window, its terms; for each
// term, the articles holding it (an inverted index, so an article is only
// compared with those sharing a term) and in how many it occurs. Terms of
// expired articles are dropped: memory is bounded by the articles in the
// window.

// Term kinds and their weights.
const (
	termName   = 'n'
	termNumber = '#'
	termWord   = 'w'

	weightName   = 1.6
	weightNumber = 0.8
	weightWord   = 1.0
)

// storyJoin is the least similarity at which an article joins a story;
// nameJoin the least similarity of their names alone (cosine over the
// name terms), so that events of one kind (two fires, two strikes) told in
// the same words stay apart unless they share who and where. Articles
// without names need sameWords. An article must also be close to the
// story as a whole: on average over the story's articles in the window,
// storyCore.
var (
	storyCore = 0.2
	storyJoin = 0.34
	nameJoin  = 0.2
	sameWords = 0.6
)

// storyTerm is one term of an article and its weight (kind weight times
// 1 + log of its count).
type storyTerm struct {
	key string
	w   float64
}

type gmember struct {
	story string
	sid   int32 // the story's index in the grouper's stories
	at    time.Time
	terms []int32   // ids in the grouper's vocabulary
	raw   []float32 // raw weights of terms
	norm  float64
	names float64 // norm of the name terms
	dead  bool
}

type posting struct {
	slot int32
	w    float32 // raw weight in that member
}

type gterm struct {
	key  string
	df   int32
	post []posting
}

// groupIndex is the grouper's state: members in arrival order, the
// vocabulary of their terms and an inverted index.
type groupIndex struct {
	members []gmember
	live    int
	dead    int
	ids     map[string]int32
	terms   []gterm
	free    []int32
	newest  time.Time
	byAge   []int32 // live members' slots, a min-heap by time
	acc     []float64
	accName []float64
	sids    map[string]int32 // stories with live articles, and their index
	slive   []int32          // live articles of each story index
	sfree   []int32
	sum     []float64 // similarity summed over a story's articles, by story index
	cands   []storyCand
	touched []int32
}

func newGroupIndex() groupIndex {
	return groupIndex{ids: make(map[string]int32, 1024), sids: map[string]int32{}}
}

func (x *groupIndex) idf(df int32) float64 {
	return math.Log(1 + float64(x.live+20)/float64(df+1))
}

// termID returns the id of key, adding it to the vocabulary if add.
func (x *groupIndex) termID(key string, add bool) (int32, bool) {
	if id, ok := x.ids[key]; ok {
		return id, true
	}
	if !add {
		return 0, false
	}
	var id int32
	if n := len(x.free); n > 0 {
		id = x.free[n-1]
		x.free = x.free[:n-1]
		x.terms[id] = gterm{key: key}
	} else {
		id = int32(len(x.terms))
		x.terms = append(x.terms, gterm{key: key})
	}
	x.ids[key] = id
	return id, true
}

// expire drops the members older than the window before now.
func (x *groupIndex) expire(now time.Time, window time.Duration) {
	if now.After(x.newest) {
		x.newest = now
	}
	cut := x.newest.Add(-window)
	for len(x.byAge) > 0 && x.members[x.byAge[0]].at.Before(cut) {
		x.kill(&x.members[x.popOldest()])
	}
	if x.dead > 64 && x.dead > x.live {
		x.compact()
	}
}

// The heap of live members by time.

func (x *groupIndex) older(i, j int) bool {
	a, b := &x.members[x.byAge[i]], &x.members[x.byAge[j]]
	if !a.at.Equal(b.at) {
		return a.at.Before(b.at)
	}
	return x.byAge[i] < x.byAge[j]
}

func (x *groupIndex) pushAge(slot int32) {
	x.byAge = append(x.byAge, slot)
	for i := len(x.byAge) - 1; i > 0; {
		p := (i - 1) / 2
		if !x.older(i, p) {
			break
		}
		x.byAge[i], x.byAge[p] = x.byAge[p], x.byAge[i]
		i = p
	}
}

func (x *groupIndex) popOldest() int32 {
	top := x.byAge[0]
	n := len(x.byAge) - 1
	x.byAge[0] = x.byAge[n]
	x.byAge = x.byAge[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && x.older(l, m) {
			m = l
		}
		if r < n && x.older(r, m) {
			m = r
		}
		if m == i {
			break
		}
		x.byAge[i], x.byAge[m] = x.byAge[m], x.byAge[i]
		i = m
	}
	return top
}

func (x *groupIndex) kill(m *gmember) {
	m.dead = true
	if x.slive[m.sid]--; x.slive[m.sid] == 0 {
		delete(x.sids, m.story)
		x.sfree = append(x.sfree, m.sid)
	}
	x.live--
	x.dead++
	for _, id := range m.terms {
		t := &x.terms[id]
		t.df--
		if t.df == 0 {
			delete(x.ids, t.key)
			x.terms[id] = gterm{}
			x.free = append(x.free, id)
		}
	}
	m.terms, m.raw = nil, nil
}

// compact drops dead members and rebuilds the postings.
func (x *groupIndex) compact() {
	keep := x.members[:0]
	for _, m := range x.members {
		if !m.dead {
			keep = append(keep, m)
		}
	}
	clear(x.members[len(keep):])
	x.members = keep
	x.dead = 0
	for i := range x.terms {
		x.terms[i].post = x.terms[i].post[:0]
	}
	x.byAge = x.byAge[:0]
	for slot, m := range x.members {
		for k, id := range m.terms {
			x.terms[id].post = append(x.terms[id].post, posting{slot: int32(slot), w: m.raw[k]})
		}
		x.pushAge(int32(slot))
	}
	for i := range x.terms {
		if cap(x.terms[i].post) > 2*len(x.terms[i].post)+8 {
			x.terms[i].post = slices.Clip(x.terms[i].post)
		}
	}
}

// match returns the story most similar to terms, or "" if none is similar
// enough.
func (x *groupIndex) match(terms []storyTerm) string {
	if x.live == 0 {
		return ""
	}
	if cap(x.acc) < len(x.members) {
		x.acc = make([]float64, len(x.members)+len(x.members)/2)
		x.accName = make([]float64, len(x.acc))
	}
	acc, accName := x.acc[:len(x.members)], x.accName[:len(x.members)]
	x.touched = x.touched[:0]
	qnorm, qnames := 0.0, 0.0
	for _, t := range terms {
		id, ok := x.termID(t.key, false)
		df := int32(0)
		if ok {
			df = x.terms[id].df
		}
		idf := x.idf(df)
		q := t.w * idf
		qnorm += q * q
		name := t.key[0] == termName
		if name {
			qnames += q * q
		}
		if !ok {
			continue
		}
		// A term in more than a tenth of a full window links little and
		// costs much: it is not looked up.
		if x.live > 200 && int(df)*10 > x.live {
			continue
		}
		for _, p := range x.terms[id].post {
			if x.members[p.slot].dead {
				continue
			}
			if acc[p.slot] == 0 {
				x.touched = append(x.touched, p.slot)
			}
			d := q * float64(p.w) * idf
			acc[p.slot] += d
			if name {
				accName[p.slot] += d
			}
		}
	}
	qnorm, qnames = math.Sqrt(qnorm), math.Sqrt(qnames)
	x.cands = x.cands[:0]
	for _, slot := range x.touched {
		m := &x.members[slot]
		sim, nameSim := 0.0, 0.0
		if qnorm > 0 && m.norm > 0 {
			sim = acc[slot] / (qnorm * m.norm)
		}
		if qnames > 0 && m.names > 0 {
			nameSim = accName[slot] / (qnames * m.names)
		}
		acc[slot], accName[slot] = 0, 0
		x.sum[m.sid] += sim
		if sim < storyJoin || nameSim < nameJoin && (qnames > 0 && m.names > 0 || sim < sameWords) {
			continue
		}
		x.cands = append(x.cands, storyCand{m.story, m.sid, sim})
	}
	// The most similar article's story, if the article is also close
	// enough to the story as a whole (its articles in the window on
	// average): a chain of articles each like the one before does not
	// make one story of a week of campaign news.
	best, bestSim := "", 0.0
	for _, c := range x.cands {
		if x.sum[c.sid]/float64(x.slive[c.sid]) < storyCore {
			continue
		}
		if c.sim > bestSim || c.sim == bestSim && c.story < best {
			best, bestSim = c.story, c.sim
		}
	}
	for _, slot := range x.touched {
		x.sum[x.members[slot].sid] = 0
	}
	return best
}

type storyCand struct {
	story string
	sid   int32
	sim   float64
}

// insert adds an article's terms as a member of story.
func (x *groupIndex) insert(terms []storyTerm, at time.Time, story string) {
	m := gmember{story: story, at: at, terms: make([]int32, len(terms)), raw: make([]float32, len(terms))}
	slot := int32(len(x.members))
	for k, t := range terms {
		id, _ := x.termID(t.key, true)
		x.terms[id].df++
		x.terms[id].post = append(x.terms[id].post, posting{slot: slot, w: float32(t.w)})
		m.terms[k], m.raw[k] = id, float32(t.w)
	}
	x.live++
	for k, id := range m.terms {
		w := float64(m.raw[k]) * x.idf(x.terms[id].df)
		m.norm += w * w
		if terms[k].key[0] == termName {
			m.names += w * w
		}
	}
	m.norm, m.names = math.Sqrt(m.norm), math.Sqrt(m.names)
	sid, ok := x.sids[story]
	if !ok {
		if n := len(x.sfree); n > 0 {
			sid = x.sfree[n-1]
			x.sfree = x.sfree[:n-1]
		} else {
			sid = int32(len(x.slive))
			x.slive = append(x.slive, 0)
			x.sum = append(x.sum, 0)
		}
		x.sids[story] = sid
	}
	x.slive[sid]++
	m.sid = sid
	x.members = append(x.members, m)
	x.pushAge(slot)
}

// storyTerms returns the terms that describe an article for grouping,
// sorted by key.
func storyTerms(an *Analysis) []storyTerm {
	body := an.Article.Body
	var counts termCounts
	// Words capitalised inside a sentence are names wherever they occur;
	// a capitalised first word is a name only if it is one elsewhere or
	// starts a run of capitalised words.
	midCaps := map[string]bool{}
	const maxSents = 12
	sents := an.Sentences
	if len(sents) > maxSents {
		sents = sents[:maxSents]
	}
	// The words of each sentence, split once: sentence i's are
	// sentToks[ends[i-1]:ends[i]].
	var sentToks []gtok
	if n := len(sents); n > 0 {
		sentToks = make([]gtok, 0, max(0, sents[n-1].End-sents[0].Start)/5) // a word and its space
	}
	var endsBuf [maxSents]int
	ends := endsBuf[:0]
	for _, s := range sents {
		first := len(sentToks)
		sentToks = groupTokens(s.Text(body), sentToks)
		for i, t := range sentToks[first:] {
			if i > 0 && t.cap && !t.allCaps {
				midCaps[t.low] = true
			}
		}
		ends = append(ends, len(sentToks))
	}
	// The outlet's own name (in a dateline, "told the Gazette") is no
	// part of the event.
	outlet := map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(an.Article.Source)) {
		outlet[w] = true
	}
	isName := func(toks []gtok, i int) bool {
		t := toks[i]
		return t.cap && !t.allCaps && !outlet[t.low] && t.nameToken() &&
			(i > 0 || midCaps[t.low] || i+1 < len(toks) && toks[i+1].cap && !toks[i+1].allCaps)
	}
	var key [80]byte // a term's key, built here: the map copies it only when new
	addWords := func(toks []gtok, words bool) {
		for i, t := range toks {
			// Two names in a row are also one term: a full name
			// ("Dana Whitlock") says more than each of its words.
			if i > 0 && toks[i-1].end == t.start-1 && isName(toks, i-1) && isName(toks, i) {
				k := append(append(append(append(key[:0], termName), toks[i-1].low...), '_'), t.low...)
				counts.add(k, weightName)
			}
			switch {
			case outlet[t.low]:
			case t.num != "":
				counts.add(append(append(key[:0], termNumber), t.num...), weightNumber)
			case t.cap && !t.allCaps && t.nameToken() && (i > 0 || midCaps[t.low] || i+1 < len(toks) && toks[i+1].cap && !toks[i+1].allCaps):
				counts.add(append(append(key[:0], termName), t.low...), weightName)
			case words && len(t.low) > 2 && t.plainWord():
				k := append(append(key[:0], termWord), t.low...)
				k = append(k[:1], stem(k[1:])...)
				counts.add(k, weightWord)
			}
		}
	}
	// Speakers, as the engine resolved them ("he" is the minister named
	// before): who speaks is much of what an event is.
	var toks []gtok
	for _, c := range an.Claims {
		if c.Speaker == "" || c.SpeakerUnsure {
			continue
		}
		toks = groupTokens(c.Speaker, toks[:0])
		for _, t := range toks {
			if t.cap && !t.allCaps && t.nameToken() && !outlet[t.low] {
				counts.add(append(append(key[:0], termName), t.low...), weightName/2)
			}
		}
	}
	addWords(groupTokens(an.Briefing.Headline, toks[:0]), true)
	first := 0
	for i, end := range ends {
		addWords(sentToks[first:end], i < 4)
		first = end
	}
	terms := make([]storyTerm, len(counts.keys))
	for i, k := range counts.keys {
		// Repetition counts, with diminishing returns.
		unit := weightWord
		switch k[0] {
		case termName:
			unit = weightName
		case termNumber:
			unit = weightNumber
		}
		terms[i] = storyTerm{key: k, w: unit * (1 + math.Log(counts.sums[i]/unit))}
	}
	slices.SortFunc(terms, func(a, b storyTerm) int { return strings.Compare(a.key, b.key) })
	return terms
}

// termCounts sums the weights of an article's terms (storyTerms), each
// term's in the order they are added.
type termCounts struct {
	index map[string]int // key → its place in keys and sums
	keys  []string
	sums  []float64
}

// add adds w to the term k, whose bytes it keeps only if k is new.
func (c *termCounts) add(k []byte, w float64) {
	if i, ok := c.index[string(k)]; ok {
		c.sums[i] += w
		return
	}
	if c.index == nil {
		c.index = map[string]int{}
	}
	key := string(k)
	c.index[key] = len(c.keys)
	c.keys = append(c.keys, key)
	c.sums = append(c.sums, w)
}

// nameToken reports whether a capitalised word can be part of a name: not
// a function word, a weekday, a month or a title.
func (t gtok) nameToken() bool { return len(t.low) > 1 && t.lists == 0 }

// plainWord reports whether the word can be a term of its own: not a
// function word, a weekday or a month.
func (t gtok) plainWord() bool { return t.lists&(inStopwords|inDayNames|inMonthNames) == 0 }

// groupLists holds, for each word of the lists storyTerms asks about, the
// lists it is on, so that groupTokens looks a word up once, not five times.
var groupLists = func() map[string]uint8 {
	m := map[string]uint8{}
	for bit, set := range []map[string]bool{stopwords, dayNames, monthNames, titleWords, honorifics} {
		for w := range set {
			m[w] |= 1 << bit
		}
	}
	return m
}()

// The bits of groupLists, in the order of its lists.
const (
	inStopwords = 1 << iota
	inDayNames
	inMonthNames
	inTitleWords
	inHonorifics
)

type gtok struct {
	start   int // offset in the text
	end     int
	low     string
	num     string // the number's value without separators, if a number
	cap     bool
	allCaps bool
	lists   uint8 // the word lists low is on (groupLists)
}

// upperAlready reports whether strings.ToUpper(w) == w, without making
// the upper-case copy.
func upperAlready(w string) bool {
	for i := 0; i < len(w); {
		if c := w[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		if r == utf8.RuneError && size == 1 || unicode.ToUpper(r) != r {
			return false // ToUpper writes an invalid byte as U+FFFD
		}
		i += size
	}
	return true
}

// groupTokens appends the words and numbers of text to out.
func groupTokens(text string, out []gtok) []gtok {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if unicode.IsLetter(r2) || unicode.IsDigit(r2) || r2 == '-' {
				j += s2
				continue
			}
			// "14,000", "2.1": a separator between digits.
			if (r2 == ',' || r2 == '.') && j+1 < len(text) && isDigitByte(text[j+1]) && j > i && isDigitByte(text[j-1]) {
				j += s2
				continue
			}
			break
		}
		w := strings.TrimRight(text[i:j], "-")
		if w == "" {
			i = j + 1
			continue
		}
		t := gtok{start: i, end: i + len(w), low: strings.ToLower(w)}
		t.lists = groupLists[t.low]
		if isDigitByte(w[0]) {
			t.num = strings.ReplaceAll(w, ",", "")
		} else {
			t.cap = unicode.IsUpper(r)
			t.allCaps = t.cap && len(w) > 1 && upperAlready(w)
			// "Hamas’s": the possessive is not part of the word.
			if j+3 <= len(text) && (strings.HasPrefix(text[j:], "’s") || strings.HasPrefix(text[j:], "'s")) {
				if strings.HasPrefix(text[j:], "'s") {
					j += 2
				} else {
					j += len("’s")
				}
			}
		}
		out = append(out, t)
		i = j
	}
	return out
}
