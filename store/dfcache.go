package store

// The counts of the search's terms on SQLite (docFreqsSQLite), kept
// between searches (dfCache) for as long as they are those of the index:
// counting a common word's claims walks its whole list of matches (a word
// in 6,000 claims costs about 0.4 ms), and common words are those most
// questions share.
//
// The counts are of one version of the index, named by FTS5's structure
// record (row 10 of claims_fts_data), which changes with every write to
// the index, whoever makes it. A search of another version counts again.
// But this process's own writes do not make the counts go: a write
// transaction that adds rows to the index (insertIndexRows) notes the
// version before it and after it, and once it is committed the counts kept
// are moved to the version after it, each raised by the rows added that
// match its term. That is done only when the change is known to be exactly
// those rows: FTS5's totals (its row 1: the rows, and the words of each
// column) moved by as many rows and words as the rows hold, counted in Go
// as FTS5 counts them; and every letter and digit of the rows is ASCII, for
// which the Go side's words and stems (query.go, porter.go) are FTS5's.
// Anything else (a row with an accent, rows taken out of the index, another
// process's write in between) leaves the counts at their version, to be
// counted again by the next search.

import (
	"bytes"
	"context"
	"sync"
	"unicode/utf8"
)

// docFreqsSQLite is docFreqs on FTS5, in one query, with the counts kept in
// s.dfs.
func (s *Store) docFreqsSQLite(ctx context.Context, terms []qterm) (n float64, err error) {
	// The structure record is read in the statement that counts, so that
	// the counts are those of the version it names.
	query := `SELECT (SELECT COALESCE(MAX(id), 0) FROM claims), (SELECT block FROM claims_fts_data WHERE id = 10)`
	var version []byte
	dest := []any{&n, &version}
	phrases := make([]string, len(terms))
	var args []any
	var missed []int
	kept := s.dfs.lookup(func(get func(string) (float64, bool)) {
		for i := range terms {
			phrases[i] = primaryCols + terms[i].phrase()
			if df, ok := get(phrases[i]); ok { // checked against the index's version below
				terms[i].df = df
				continue
			}
			missed = append(missed, i)
		}
	})
	for _, i := range missed {
		query += `, (SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?)`
		args = append(args, phrases[i])
		dest = append(dest, &terms[i].df)
	}
	if err := s.db.QueryRowContext(ctx, query, args...).Scan(dest...); err != nil {
		return 0, err
	}
	if len(missed) < len(terms) && !bytes.Equal(kept, version) {
		// The index changed since the counts kept were made: count
		// every term again, and keep the new counts only.
		query = `SELECT (SELECT block FROM claims_fts_data WHERE id = 10)`
		args, dest = args[:0], []any{&version}
		missed = missed[:0]
		for i := range terms {
			missed = append(missed, i)
			query += `, (SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?)`
			args = append(args, phrases[i])
			dest = append(dest, &terms[i].df)
		}
		if err := s.db.QueryRowContext(ctx, query, args...).Scan(dest...); err != nil {
			return 0, err
		}
	}
	for _, i := range missed {
		s.dfs.put(version, phrases[i], terms[i], terms[i].df)
	}
	return n, nil
}

// dfCache keeps the document frequencies docFreqsSQLite counted, for one
// version of the index (its structure record): a search of another
// version empties it; this process's own writes move it to the version
// they make (see the top of this file).
type dfCache struct {
	mu  sync.Mutex
	ver []byte
	dfs map[string]*dfEntry // the MATCH expression of a term → its count

	// The entries by the stems that match them, for advance: exactly
	// (a term's stem, and its other forms' stems), and as a prefix (a
	// name's stem).
	byStem, byPrefix map[string][]*dfEntry
	row              int // the row advance is at, for dfEntry.row
}

// dfEntry is a term's count; byStem and byPrefix find it from what matches
// the term.
type dfEntry struct {
	df  float64
	row int // the last row advance counted in df
}

// maxCachedDFs bounds the counts a dfCache keeps: past it, it starts again.
const maxCachedDFs = 20000

// lookup calls f with the counts kept, and returns the version they are
// of (nil if none). f must not call c.
func (c *dfCache) lookup(f func(get func(phrase string) (float64, bool))) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(func(phrase string) (float64, bool) {
		if c.ver == nil {
			return 0, false
		}
		e, ok := c.dfs[phrase]
		if !ok {
			return 0, false
		}
		return e.df, true
	})
	return c.ver
}

// kept reports whether the cache holds counts of some version.
func (c *dfCache) kept() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ver != nil
}

// put keeps the count of the phrase, of the term t, in that version of
// the index, forgetting the counts of any other version.
func (c *dfCache) put(version []byte, phrase string, t qterm, df float64) {
	if version == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !bytes.Equal(c.ver, version) || len(c.dfs) >= maxCachedDFs {
		c.ver, c.dfs = bytes.Clone(version), map[string]*dfEntry{}
		c.byStem, c.byPrefix = map[string][]*dfEntry{}, map[string][]*dfEntry{}
	}
	if e, ok := c.dfs[phrase]; ok {
		e.df = df
		return
	}
	e := &dfEntry{df: df, row: -1}
	c.dfs[phrase] = e
	if t.prefix {
		c.byPrefix[t.stem] = append(c.byPrefix[t.stem], e)
	} else {
		c.byStem[t.stem] = append(c.byStem[t.stem], e)
	}
	for _, f := range t.fstems {
		if f != t.stem {
			c.byStem[f] = append(c.byStem[f], e)
		}
	}
}

// indexState is what says which version of the index it is, and what it
// holds: FTS5's structure record, and its totals (row 1 of
// claims_fts_data: the rows, then the words of each column, as varints).
type indexState struct {
	structure, totals []byte
}

func readIndexState(ctx context.Context, t *tx) (indexState, error) {
	var st indexState
	err := t.QueryRowContext(ctx, `SELECT (SELECT block FROM claims_fts_data WHERE id = 10),
		(SELECT block FROM claims_fts_data WHERE id = 1)`).Scan(&st.structure, &st.totals)
	return st, err
}

// indexWrite is what a write transaction did to the search index, for its
// store's dfCache.
type indexWrite struct {
	skip          bool // nothing to keep, or the change cannot be known
	before, after indexState
	rows          []indexRow // the rows added
}

// maxAdvanceRows bounds the rows a write may add for the counts kept to
// follow it: past it, the terms of the next searches are counted again,
// which costs less than matching the rows against every term kept.
const maxAdvanceRows = 2000

// noteIndexWrite records that the transaction adds the rows to the search
// index (none: it changes the index, not what it holds, as a merge does),
// for its store's dfCache. The first call reads the index's version.
func (t *tx) noteIndexWrite(ctx context.Context, rows []indexRow) {
	if t.c.dfs == nil || t.c.d.postgres {
		return
	}
	if t.index == nil {
		t.index = &indexWrite{skip: !t.c.dfs.kept()}
		if !t.index.skip {
			st, err := readIndexState(ctx, t)
			t.index.before, t.index.skip = st, err != nil
		}
	}
	w := t.index
	if w.skip {
		return
	}
	if len(w.rows)+len(rows) > maxAdvanceRows {
		w.skip, w.rows = true, nil
		return
	}
	w.rows = append(w.rows, rows...)
}

// endIndexWrite, before the transaction commits, has FTS5 write what it
// holds in memory (it would at the commit) and reads the version of the
// index the transaction makes.
func (t *tx) endIndexWrite(ctx context.Context) {
	w := t.index
	if w == nil || w.skip {
		return
	}
	var err error
	if _, err = t.ExecContext(ctx, `INSERT INTO claims_fts (claims_fts) VALUES ('flush')`); err == nil {
		w.after, err = readIndexState(ctx, t)
	}
	w.skip = err != nil
}

// indexWritten, once the transaction has committed, moves its store's
// counts to the version of the index it made.
func (t *tx) indexWritten() {
	if w := t.index; w != nil && !w.skip {
		t.c.dfs.advance(w)
	}
	t.index = nil
}

// advance moves the counts kept from the version before the write to the
// one after it, if they are of the version before and the write is known
// to have added exactly its rows (see the top of this file).
func (c *dfCache) advance(w *indexWrite) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ver == nil || !bytes.Equal(c.ver, w.before.structure) || w.after.structure == nil {
		return
	}
	if bytes.Equal(w.before.structure, w.after.structure) {
		return // FTS5 said nothing of the change: its version is not known
	}
	matched := map[string][]*dfEntry{} // a word, folded, to the entries it matches
	match := func(word string) []*dfEntry {
		if es, ok := matched[word]; ok {
			return es
		}
		stem := porterStem(word)
		es := c.byStem[stem]
		if len(c.byPrefix) > 0 {
			for k := min(len(stem), 64); k >= 1; k-- {
				es = append(es[:len(es):len(es)], c.byPrefix[stem[:k]]...)
			}
		}
		matched[word] = es
		return es
	}
	var words [len(indexedCols)]int64
	var buf []byte
	ok := true
	var hits []*dfEntry
	for _, r := range w.rows {
		hits = hits[:0]
		for col, text := range r.indexed() {
			if !asciiWords(text) {
				ok = false
				break
			}
			buf = foldedWords(text, buf, func(word []byte) {
				words[col]++
				if primaryCol[col] {
					for _, e := range match(string(word)) {
						if e.row != c.row {
							e.row = c.row
							hits = append(hits, e)
						}
					}
				}
			})
		}
		if !ok {
			break
		}
		for _, e := range hits {
			e.df++
		}
		c.row++
	}
	nb, before := totals(w.before.totals)
	na, after := totals(w.after.totals)
	if ok && nb >= 0 && na-nb == int64(len(w.rows)) && len(before) == len(after) && len(after) >= len(words) {
		for i := range words {
			ok = ok && after[i]-before[i] == words[i]
		}
		for i := len(words); i < len(after); i++ {
			ok = ok && after[i] == before[i]
		}
	} else {
		ok = false
	}
	if !ok {
		// The rows may have been counted in part: forget every count.
		c.ver, c.dfs, c.byStem, c.byPrefix = nil, nil, nil, nil
		return
	}
	c.ver = bytes.Clone(w.after.structure)
}

// indexedCols are the columns of claims_fts that FTS5 indexes, in order;
// primaryCol, whether each is a primary column (those docFreqs counts).
var (
	indexedCols = [...]string{"text", "speaker", "role", "via", "headline", "sentence"}
	primaryCol  = [len(indexedCols)]bool{true, true, true, true, false, true}
)

// indexed returns the texts of the row's indexed columns, as indexedCols.
func (r *indexRow) indexed() [len(indexedCols)]string {
	return [...]string{r.text, r.speaker, r.role, r.via, r.headline, r.sentence}
}

// asciiWords reports whether every letter, digit and mark of s is ASCII
// (and s is valid UTF-8): s holds the words FTS5 finds in it, and no
// other, when split and folded as foldedWords does (see the top of this
// file). Quotation marks, dashes and other punctuation may be anything.
func asciiWords(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || !nonWordRune(r) {
			return false
		}
		i += size
	}
	return true
}

// nonWordRune reports whether r, not ASCII, is punctuation or a space of
// the kinds news text has, which both FTS5 and foldedWords take for a
// separator in any version of Unicode.
func nonWordRune(r rune) bool {
	switch {
	case r >= 0x2000 && r <= 0x206F: // general punctuation: spaces, dashes, quotation marks, …
		return true
	case r == 0xA0 || r == 0xAB || r == 0xBB || r == 0xB7 || r == 0xA3 || r == 0xA7 || r == 0xA9 || r == 0xAE || r == 0xB0 || r == 0xB1:
		return true // no-break space, « », ·, £, §, ©, ®, °, ±
	case r == 0x20AC || r == 0x3000: // €, ideographic space
		return true
	}
	return false
}

// totals returns the rows and the words of each column of FTS5's totals
// record; rows is -1 if it cannot be read.
func totals(rec []byte) (rows int64, words []int64) {
	rows = -1
	for i := 0; len(rec) > 0; i++ {
		v, n := sqliteVarint(rec)
		if n == 0 {
			return -1, nil
		}
		rec = rec[n:]
		if i == 0 {
			rows = v
		} else {
			words = append(words, v)
		}
	}
	return rows, words
}

// sqliteVarint decodes SQLite's varint (big-endian, 7 bits a byte, the
// ninth byte whole) at the start of b, and its length: 0 if b is cut short.
func sqliteVarint(b []byte) (int64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 9; i++ {
		if i == 8 {
			return int64(v<<8 | uint64(b[i])), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return int64(v), i + 1
		}
	}
	return 0, 0
}
