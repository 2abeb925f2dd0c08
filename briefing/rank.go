package briefing

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// vec is a sparse term vector: term ids in increasing order with weights.
type vec struct {
	ids []int32
	w   []float64
}

func (a vec) dot(b vec) float64 {
	s := 0.0
	i, j := 0, 0
	for i < len(a.ids) && j < len(b.ids) {
		switch {
		case a.ids[i] < b.ids[j]:
			i++
		case a.ids[i] > b.ids[j]:
			j++
		default:
			s += a.w[i] * b.w[j]
			i++
			j++
		}
	}
	return s
}

func (a vec) norm() float64 {
	s := 0.0
	for _, w := range a.w {
		s += w * w
	}
	return math.Sqrt(s)
}

func cosine(a, b vec) float64 {
	na, nb := a.norm(), b.norm()
	if na == 0 || nb == 0 {
		return 0
	}
	return a.dot(b) / (na * nb)
}

// vocab maps the content words of one article to ids.
type vocab struct {
	ids map[string]int32
	df  []int // in how many sentences each term occurs

	lowBody string    // asciiLower of the body the terms come from, if known: new terms are its spans
	word    []byte    // the word being read
	scratch []int32   // the term ids of a text being counted
	idSlab  []int32   // the ids of the vectors to come
	wSlab   []float64 // their weights
}

func newVocab() *vocab { return &vocab{ids: make(map[string]int32, 256)} }

// vocabs are the vocabularies of articles briefed, for the next ones: their
// maps and buffers keep their room.
var vocabs = sync.Pool{New: func() any { return newVocab() }}

// getVocab returns an empty vocabulary from the pool; release gives it
// back when nothing uses it or the vectors it made any more.
func getVocab() *vocab { return vocabs.Get().(*vocab) }

func (v *vocab) release() {
	if len(v.ids) > 4096 {
		return // a very long article's: let it go
	}
	clear(v.ids)
	v.df = v.df[:0]
	v.lowBody = ""
	v.scratch = v.scratch[:0]
	vocabs.Put(v)
}

// alloc returns room for a vector of n terms, from slabs shared by the
// vectors of the vocabulary: a few allocations per article rather than two
// per sentence. The slices' capacity is n, so that an append copies them.
func (v *vocab) alloc(n int) vec {
	if len(v.idSlab) < n {
		size := max(n, 512)
		v.idSlab, v.wSlab = make([]int32, size), make([]float64, size)
	}
	out := vec{ids: v.idSlab[:n:n], w: v.wSlab[:n:n]}
	v.idSlab, v.wSlab = v.idSlab[n:], v.wSlab[n:]
	return out
}

// terms returns the term counts of text as a vector of raw counts, adding
// new terms to the vocabulary.
func (v *vocab) terms(text string, add bool) vec { return v.termsAt(text, -1, add) }

// termsAt is terms of text, which is v.lowBody[at:at+len(text)] in lower
// case when at >= 0: a new term of ASCII letters is then a span of
// v.lowBody, not a new string.
func (v *vocab) termsAt(text string, at int, add bool) vec {
	ids := v.scratch[:0]
	buf := v.word
	for i := 0; ; {
		var w []byte
		var start int
		if w, start, i = nextWordBytes(text, i, buf); start < 0 {
			break
		}
		buf = w
		if len(w) < 2 || stopwords[string(w)] {
			continue
		}
		w = stem(w)
		id, ok := v.ids[string(w)]
		if !ok {
			if !add {
				continue
			}
			id = int32(len(v.df))
			key := ""
			if at >= 0 && at+start+len(w) <= len(v.lowBody) && v.lowBody[at+start:at+start+len(w)] == string(w) {
				key = v.lowBody[at+start : at+start+len(w)]
			} else {
				key = string(w)
			}
			v.ids[key] = id
			v.df = append(v.df, 0)
		}
		ids = append(ids, id)
	}
	v.word = buf[:0]
	v.scratch = ids
	if len(ids) == 0 {
		return vec{}
	}
	slices.Sort(ids)
	// Collapse duplicates into counts.
	n := 1
	for i := 1; i < len(ids); i++ {
		if ids[i] != ids[i-1] {
			n++
		}
	}
	out := v.alloc(n)
	k := -1
	for i, id := range ids {
		if i > 0 && id == ids[i-1] {
			out.w[k]++
			continue
		}
		k++
		out.ids[k] = id
		out.w[k] = 1
	}
	return out
}

// forEachWordBytes calls f with each lower-case word of text, in a buffer
// that the next word overwrites: looking it up in a map as string(w) costs
// no allocation.
func forEachWordBytes(text string, f func([]byte)) {
	var buf []byte // each word's bytes, which the next word overwrites
	for i := 0; ; {
		w, start, next := nextWordBytes(text, i, buf)
		if start < 0 {
			return
		}
		f(w)
		buf, i = w, next
	}
}

// wordLower maps an ASCII letter or digit to itself in lower case, and
// every other byte to 0.
var wordLower = func() (t [256]byte) {
	for c := range 128 {
		if isWordByte(byte(c)) {
			t[c] = lowerByte(byte(c))
		}
	}
	return t
}()

// nextWordBytes reads the first word of text[i:]: a run of letters and
// digits, in lower case, written over buf (grown as needed), a possessive
// "'s" or "’s" after it passed over ("Hamas’s" counts as "hamas"). It
// returns the word, where it starts in text and where reading goes on;
// start is -1 if no word is left.
func nextWordBytes(text string, i int, buf []byte) (w []byte, start, next int) {
	if cap(buf) < 64 {
		buf = make([]byte, 0, 64)
	}
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf { // ASCII, most text: no decoding
			if wordLower[c] != 0 {
				break
			}
			i++
		} else if r, size := utf8.DecodeRuneInString(text[i:]); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += size
		} else {
			break
		}
	}
	if i == len(text) {
		return buf[:0], -1, i
	}
	j := i
	b := buf[:0]
	for j < len(text) {
		c := text[j]
		if l := wordLower[c]; l != 0 {
			b = append(b, l)
			j++
			continue
		}
		// An ASCII byte that is no letter or digit ends the word as the
		// rune it is would; only the apostrophe needs a look beyond.
		r2, s2 := rune(c), 1
		if c >= utf8.RuneSelf {
			r2, s2 = utf8.DecodeRuneInString(text[j:])
			if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
				b = utf8.AppendRune(b, unicode.ToLower(r2))
				j += s2
				continue
			}
		}
		if (r2 == '\'' || r2 == '’') && j+s2 < len(text) {
			// "Hamas’s" counts as "hamas".
			if rest := text[j+s2:]; strings.HasPrefix(rest, "s") && (len(rest) == 1 || !unicode.IsLetter(rune(rest[1]))) {
				j += s2 + 1
			}
		}
		break
	}
	return b, i, j
}

// stem strips common English inflections so "officials" matches
// "official". It may change w's bytes.
func stem(w []byte) []byte {
	switch n := len(w); {
	case n > 5 && string(w[n-3:]) == "ing":
		return w[:n-3]
	case n > 4 && string(w[n-3:]) == "ies":
		return append(w[:n-3], 'y')
	case n > 4 && string(w[n-2:]) == "ed":
		return w[:n-2]
	case n > 3 && w[n-1] == 's' && w[n-2] != 's' && w[n-2] != 'u':
		return w[:n-1]
	}
	return w
}

// rankSentences scores each sentence of an article: centrality (LexRank
// over TF-IDF vectors), position (news puts what matters first) and overlap
// with the headline. Scores are in [0, 1]. It also returns the TF-IDF
// vectors, for duplicate checks.
func rankSentences(body string, sents []Sentence, headline string) ([]float64, []vec, *vocab) {
	n := len(sents)
	v := getVocab()
	v.lowBody = asciiLower(body)
	vecs := make([]vec, n)
	for i, s := range sents {
		vecs[i] = v.termsAt(s.Text(body), s.Start, true)
		for _, id := range vecs[i].ids {
			v.df[id]++
		}
	}
	// TF-IDF weights. A term's idf is the same in every sentence, and most
	// counts are small: both are worked out once, with the same math.Log.
	idf := make([]float64, len(v.df))
	for id, df := range v.df {
		idf[id] = math.Log(float64(n+1) / float64(df+1))
	}
	for i := range vecs {
		for k, id := range vecs[i].ids {
			vecs[i].w[k] = (1 + logCount(vecs[i].w[k])) * (idf[id] + 0.1)
		}
	}
	central := lexRank(vecs[:min(n, maxRanked)])
	if n > maxRanked {
		central = centralityBeyond(vecs, central, len(v.df))
	}
	head := v.terms(headline, false)
	for k := range head.w {
		head.w[k] = 1
	}
	scores := make([]float64, n)
	maxC := 0.0
	for _, c := range central {
		maxC = math.Max(maxC, c)
	}
	for i := range sents {
		c := 0.0
		if maxC > 0 {
			c = central[i] / maxC
		}
		pos := 1 / math.Sqrt(1+float64(i))
		h := 0.0
		if len(head.ids) > 0 {
			h = cosine(vecs[i], head)
		}
		scores[i] = 0.35*c + 0.4*pos + 0.25*h
	}
	return scores, vecs, v
}

// logCount is math.Log(c) for a term count c (a whole number), from a
// table for the small ones.
func logCount(c float64) float64 {
	if c < float64(len(smallLogs)) {
		return smallLogs[int(c)]
	}
	return math.Log(c)
}

var smallLogs = func() (t [32]float64) {
	for c := range t {
		t[c] = math.Log(float64(c))
	}
	return t
}()

// maxRanked is the most sentences of an article that LexRank compares
// pairwise: its cost grows with the square of their number. It covers any
// real news article (the longest of the 1,012 articles of the PolNeAR
// corpus has 377 sentences, 99% have under 150); the sentences after it
// are scored by centralityBeyond, in linear time.
const maxRanked = 500

// centralityBeyond extends the LexRank centrality of the first
// len(central) sentences to all of vecs, in one pass: a later sentence is
// as central as its similarity to the centroid of the ranked sentences,
// weighted by their centrality, on LexRank's scale (the ranked sentence
// most similar to that centroid maps to the highest centrality, and no
// later sentence goes above it). terms is the size of the vocabulary.
func centralityBeyond(vecs []vec, central []float64, terms int) []float64 {
	centroid := make([]float64, terms)
	for i, c := range central {
		if nv := vecs[i].norm(); nv > 0 {
			for k, id := range vecs[i].ids {
				centroid[id] += c * vecs[i].w[k] / nv
			}
		}
	}
	toCentroid := func(v vec) float64 {
		nv := v.norm()
		if nv == 0 {
			return 0
		}
		s := 0.0
		for k, id := range v.ids {
			s += v.w[k] * centroid[id]
		}
		return s / nv
	}
	maxC, maxS := 0.0, 0.0
	for i, c := range central {
		maxC = math.Max(maxC, c)
		maxS = math.Max(maxS, toCentroid(vecs[i]))
	}
	out := make([]float64, len(vecs))
	copy(out, central)
	if maxS == 0 {
		return out
	}
	for i := len(central); i < len(vecs); i++ {
		out[i] = math.Min(maxC, toCentroid(vecs[i])*maxC/maxS)
	}
	return out
}

// lexRank computes the stationary distribution of a random walk over the
// sentence similarity graph (continuous LexRank, damping 0.85).
func lexRank(vecs []vec) []float64 {
	n := len(vecs)
	if n == 0 {
		return nil
	}
	norms := make([]float64, n)
	for i, v := range vecs {
		norms[i] = v.norm()
	}
	// The similarity of two sentences is over the terms they share: rather
	// than merging the vectors of every pair, each row adds up, term by
	// term in increasing id order, what the other sentences holding the
	// term contribute (postings). Each sum takes its products in the same
	// order as vec.dot does, and x*y is y*x, so the similarities, row sums
	// and their order are bit for bit those of comparing every pair.
	post := newPostings(vecs)
	acc := make([]float64, n) // the dot products of row i
	rowSum := make([]float64, n)
	rowStart := make([]int32, n+1)
	cols := make([]int32, 0, 8*n) // room for a typical article's similarities
	vals := make([]float64, 0, 8*n)
	for i := 0; i < n; i++ {
		a := vecs[i]
		for k, id := range a.ids {
			lo, hi := post.start[id], post.start[id+1]
			for q, j := range post.sent[lo:hi] {
				acc[j] += a.w[k] * post.w[lo+int32(q)]
			}
		}
		// The non-zero similarities of the row, in order: the walk below
		// adds only those, in the same order as over the whole row. A
		// sentence is not compared with itself.
		for j, dot := range acc {
			if dot == 0 || j == i {
				continue
			}
			acc[j] = 0
			if norms[i] == 0 || norms[j] == 0 {
				continue
			}
			s := dot / (norms[i] * norms[j])
			if s != 0 {
				cols = append(cols, int32(j))
				vals = append(vals, s)
			}
			rowSum[i] += s
		}
		acc[i] = 0
		rowStart[i+1] = int32(len(cols))
	}
	p := make([]float64, n)
	next := make([]float64, n)
	for i := range p {
		p[i] = 1 / float64(n)
	}
	const d = 0.85
	for iter := 0; iter < 50; iter++ {
		for j := range next {
			next[j] = (1 - d) / float64(n)
		}
		dangling := 0.0
		for i := 0; i < n; i++ {
			if rowSum[i] == 0 {
				dangling += p[i]
				continue
			}
			f := d * p[i] / rowSum[i]
			lo, hi := rowStart[i], rowStart[i+1]
			rowCols, rowVals := cols[lo:hi], vals[lo:hi]
			rowVals = rowVals[:len(rowCols)] // one bounds check for the row, not one per entry
			for k, j := range rowCols {
				next[j] += f * rowVals[k]
			}
		}
		delta := 0.0
		for j := range next {
			next[j] += d * dangling / float64(n)
			delta += math.Abs(next[j] - p[j])
		}
		p, next = next, p
		if delta < 1e-6 {
			break
		}
	}
	return p
}

// postings lists, for each term of a set of vectors, the vectors that hold
// it in increasing order, with the term's weight in each: the vectors of
// term id are sent[start[id]:start[id+1]].
type postings struct {
	start []int32
	sent  []int32
	w     []float64
}

func newPostings(vecs []vec) postings {
	terms, total := 0, 0
	for _, v := range vecs {
		if k := len(v.ids); k > 0 {
			terms = max(terms, int(v.ids[k-1])+1)
			total += k
		}
	}
	p := postings{start: make([]int32, terms+1), sent: make([]int32, total), w: make([]float64, total)}
	for _, v := range vecs {
		for _, id := range v.ids {
			p.start[id+1]++
		}
	}
	for id := 1; id <= terms; id++ {
		p.start[id] += p.start[id-1]
	}
	next := append([]int32(nil), p.start[:terms]...)
	for j, v := range vecs {
		for k, id := range v.ids {
			p.sent[next[id]], p.w[next[id]] = int32(j), v.w[k]
			next[id]++
		}
	}
	return p
}
