package store

// The search index and its queries. What a question's words are
// (query.go) and how the candidates are ranked (rank.go, speakers.go) do
// not depend on the database; what each database's index is and how it is
// queried is in fts_sqlite.go (FTS5) and fts_postgres.go (tsvector). This
// file holds what they share.
//
// The index (claims_fts) has one row per claim of every active article,
// kept in step with the sources table, with the claim's ID as its rowid.
// Each row holds, in separate columns, the claim's text, its speaker, the
// speaker's role, the channel and the article's outlet (via), the article's
// title and headline, the source sentence(s) the claim's span lies in, and
// the sentences just before and after them (context). Case and accents are
// folded and English words are stemmed ("elections" finds "election").
// The text, speaker, role, via and sentence are its primary columns: a
// claim is found by them, not by its article's headline or the sentences
// around it (the headline only adds to its rank; both add to its coverage,
// see hitScorer.score). On SQLite the context is not indexed (UNINDEXED,
// migration 12), and the index keeps none of its columns' text
// (contentless, migration 13): what a search reads of a claim's sentence
// and context it cuts out of the article's body, where the claim's
// claimSpans say they are. PostgreSQL's index keeps the text its tsvectors
// are made of, and a search reads them from it.
//
// The index holds only active articles: PutArticle indexes the article a
// key now points at (insertIndexRows, indexStoredClaims), and triggers
// remove an article's rows when the last key pointing at it is deleted or
// re-pointed, and a claim's row when the claim is deleted.
//
// Queries are built of a question's words (qterm), each made of letters
// and digits only, so no text a user types reaches the index as query
// syntax. Candidates come ranked by the index (BM25 in FTS5, an
// IDF-weighted ts_rank in PostgreSQL) and are re-ranked by Search.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// indexRow is the row of the search index for a claim.
type indexRow struct {
	id                                           int64 // the rowid: the claim's
	text, speaker, role, via, headline, sentence string
	spans                                        claimSpans // where sentence and context are in the body
	body                                         string     // the article's, which context cuts from
}

// context is the row's context column: the sentences around the claim's,
// which only PostgreSQL's index holds (SQLite's drops it: contentless), so
// it is cut only when that index is written.
func (r *indexRow) context() string {
	_, context := r.spans.cut(r.body[r.spans.before[0]:])
	return context
}

// newIndexRow makes the index row of claim c of an article with the body
// and its sentences, outlet, and headline as indexed (indexHeadline).
func newIndexRow(body string, sents []briefing.Sentence, c briefing.Claim, source, headline string) indexRow {
	spans := spansOf(body, sents, c.Start, c.End)
	sentence := spans.sentenceIn(body[spans.before[0]:])
	via := strings.Trim(source, " ") // what Trim gives with an empty c.Via, without a new string
	if c.Via != "" {
		via = strings.Trim(c.Via+" "+source, " ")
	}
	r := indexRow{
		text: c.Text, speaker: c.Speaker, role: c.SpeakerRole, via: via,
		headline: headline, sentence: sentence, spans: spans, body: body,
	}
	if c.SpeakerUnsure {
		r.speaker, r.role = "", "" // nobody is found as the one who said it
	}
	return r
}

// indexHeadline is the headline column of an article's index rows: its
// title and headline, as the migration that made the index writes it.
// It is made once an article, for all its claims' rows.
func indexHeadline(title, headline string) string {
	if headline != title {
		headline = strings.Trim(title+" "+headline, " ")
	}
	return headline
}

// insertIndexRows adds rows to the search index. On SQLite they are added
// one at a time, by one statement compiled once (tx.prepared), one after
// the other: FTS5 writes what it holds in memory when a statement opens a
// statement journal (any statement that may write several rows, such as
// an INSERT of many VALUES, or one that fires a trigger), so rows added
// one at a time between other statements would each be a segment of the
// index to merge later, but a run of single-row INSERTs is held in memory
// and written at the commit as one segment, as one statement of many rows
// was, without compiling a statement of thousands of parameters for each
// batch. On PostgreSQL many rows go in one statement (fewer round trips).
func insertIndexRows(ctx context.Context, tx *tx, rows []indexRow) error {
	const cols = `INSERT INTO claims_fts (rowid, text, speaker, role, via, headline, sentence, context) VALUES `
	if len(rows) > 0 {
		tx.noteIndexWrite(ctx, rows) // for the counts of terms kept (dfcache.go)
	}
	if !tx.c.d.postgres && len(rows) > 0 {
		// The context is neither indexed nor kept (contentless): left
		// out, it is NULL, with one value less to bind per row.
		stmt, err := tx.prepared(ctx, `INSERT INTO claims_fts (rowid, text, speaker, role, via, headline, sentence) VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		for _, r := range rows {
			if _, err := stmt.ExecContext(ctx, r.id, r.text, r.speaker, r.role, r.via, r.headline, r.sentence); err != nil {
				return fmt.Errorf("search index: %w", err)
			}
		}
		return nil
	}
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), indexChunk)]
		rows = rows[len(chunk):]
		stmt, err := tx.prepared(ctx, cols+strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", "))
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		args := make([]any, 0, 8*len(chunk))
		for _, r := range chunk {
			args = append(args, r.id, r.text, r.speaker, r.role, r.via, r.headline, r.sentence, r.context())
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// indexChunk is the most rows insertIndexRows adds in one statement on
// PostgreSQL (SQLite's rows go in one at a time): 32,000 parameters, a
// batch of a few hundred articles in one or two round trips.
const indexChunk = 4000

// indexStoredClaims adds the claims of a stored article that are not in
// the search index to it: all of them when a key points at the article
// again after none did. body and sents are the article's. PutArticle calls
// it in its transaction.
func indexStoredClaims(ctx context.Context, tx *tx, articleID, body string, sents []briefing.Sentence) error {
	return indexClaimsOf(ctx, tx, articleID, body, sents, "c.speaker_unsure")
}

// indexClaimsOf is indexStoredClaims, with unsure the SQL of a claim's
// speaker_unsure: "0" before the column existed (the migration that made
// PostgreSQL's index).
func indexClaimsOf(ctx context.Context, tx *tx, articleID, body string, sents []briefing.Sentence, unsure string) error {
	index, err := queryRows(ctx, tx, func(row scanner) (indexRow, error) {
		var (
			id                      int64
			c                       briefing.Claim
			source, title, headline string
		)
		if err := row.Scan(&id, &c.Text, &c.Speaker, &c.SpeakerRole, &c.Via, &c.Start, &c.End, &c.SpeakerUnsure, &source, &title, &headline); err != nil {
			return indexRow{}, err
		}
		r := newIndexRow(body, sents, c, source, indexHeadline(title, headline))
		r.id = id
		return r, nil
	}, `SELECT c.id, c.text, c.speaker, c.speaker_role, c.via,
			c.span_start, c.span_end, `+unsure+`, a.source, a.title, a.headline
		FROM claims c JOIN articles a ON a.id = c.article_id
		WHERE c.article_id = ? AND NOT EXISTS (SELECT 1 FROM claims_fts f WHERE f.rowid = c.id)
		ORDER BY c.idx`, articleID)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if !tx.c.d.postgres {
		// A search shows and scores the claim's sentence by its spans:
		// those of the sentence indexed now, should the article have been
		// stored by a program that split its sentences otherwise.
		stmt, err := tx.prepared(ctx, `UPDATE claims SET sent_start = ?, sent_end = ?,
			prev_start = ?, prev_end = ?, next_start = ?, next_end = ? WHERE id = ?`)
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		for _, r := range index {
			sp := r.spans
			if _, err := stmt.ExecContext(ctx, sp.sentence[0], sp.sentence[1], sp.before[0], sp.before[1], sp.after[0], sp.after[1], r.id); err != nil {
				return fmt.Errorf("search index: %w", err)
			}
		}
	}
	return insertIndexRows(ctx, tx, index)
}

// ftsQuery is what a search asks of the index: the claims with any of the
// terms need (all of them if all) in a primary column, ranked by the
// terms need and also in any column.
type ftsQuery struct {
	need []qterm
	all  bool
	also []qterm
}

// matchAny matches the claims with any of the terms in a primary column;
// matchAll, with all of them; matchCore, with any of the core terms, ranked
// by all the terms.
func matchAny(terms []qterm) ftsQuery        { return ftsQuery{need: terms} }
func matchAll(terms []qterm) ftsQuery        { return ftsQuery{need: terms, all: true} }
func matchCore(core, terms []qterm) ftsQuery { return ftsQuery{need: core, also: terms} }

// most returns the most claims the query can match: those with a term
// it needs in a primary column (each term's df).
func (q ftsQuery) most() float64 {
	n := 0.0
	for i, t := range q.need {
		switch {
		case !q.all:
			n += t.df
		case i == 0 || t.df < n:
			n = t.df
		}
	}
	return n
}

// docFreqs sets each term's document frequency: how many claims have it in
// a primary column (rarity among the claims themselves: a word of a
// headline is in every claim of its article). It returns how many claims
// there are (the highest claim ID), for the terms' IDF.
func (s *Store) docFreqs(ctx context.Context, terms []qterm) (n float64, err error) {
	if s.db.d.postgres {
		return s.docFreqsPostgres(ctx, terms)
	}
	return s.docFreqsSQLite(ctx, terms)
}

// matches returns the best candidateLimit matches of the query by the
// index's rank among the claims of the articles the space sees: among all
// matches or, if recent, among the newest recentPool.
//
// Most of the best matches are of articles every space sees. So the best
// matches of every space are ranked first, twice as many as needed, and
// those the space sees kept; only when too few are left is the ranking
// done again with every match checked against the space (two index
// lookups each: see visibleIn). The newest recentPool are checked as they
// are read.
func (s *Store) matches(ctx context.Context, space string, q ftsQuery, recent, attributed bool) ([]Hit, error) {
	limit := candidateLimit
	if attributed { // some of the best matches will be left out
		limit = candidateLimit * 3 / 2
	}
	var hits []Hit
	var err error
	if !recent {
		hits, err = s.rankedMatches(ctx, space, q, false, limit, 2*limit)
	}
	// When the pool held every match, every match the space sees is in
	// hits already.
	if err == nil && len(hits) < limit && (recent || q.most() > float64(2*limit)) {
		hits, err = s.rankedMatches(ctx, space, q, recent, limit, 0)
	}
	if err != nil {
		return nil, err
	}
	if attributed {
		hits = slices.DeleteFunc(hits, func(h Hit) bool { return h.Claim.Kind == briefing.Unattributed })
	}
	return hits, nil
}

// rankedMatches returns the best limit matches of the query by the index's
// rank among the claims of the articles the space sees: of the best pool
// matches of every space if pool > 0, else of all matches or, if recent,
// of the newest recentPool. The ranking (rankSQLite, rankPostgres) is a
// query of the matches' IDs and ranks, lower first, with the parameters
// ?1 (the match), ?3 (recentPool), ?4 (the space), ?5 (how many to rank),
// and its own after them.
func (s *Store) rankedMatches(ctx context.Context, space string, q ftsQuery, recent bool, limit, pool int) ([]Hit, error) {
	seen, outer := ` AND `+visibleIn("k.article_id", "?4"), ``
	if pool > 0 {
		seen, outer = ``, `WHERE `+visibleIn("c.article_id", "?4")
	}
	rank, match, more := rankSQLite(q, recent, pool > 0, seen)
	index := `` // SQLite's index row holds nothing a hit reads
	if s.db.d.postgres {
		rank, match, more = rankPostgres(q, recent, pool > 0, seen)
		index = `JOIN claims_fts f ON f.rowid = m.id`
	}
	return s.queryHits(ctx, true, limit, `
		SELECT m.r, `+s.hitCols()+`
		FROM (`+rank+`) m
		JOIN claims c ON c.id = m.id
		JOIN articles a ON a.id = c.article_id
		`+index+`
		`+outer+`
		ORDER BY m.r LIMIT ?2`, append([]any{match, limit, recentPool, space, max(pool, limit)}, more...)...)
}

// speakerMatches returns the attributed claims of the articles the space
// sees whose speaker and role hold all the words between them, newest
// article first and in article order.
func (s *Store) speakerMatches(ctx context.Context, space string, words []token) ([]Hit, error) {
	where, match := speakerMatchSQLite(words)
	if s.db.d.postgres {
		where, match = speakerMatchPostgres(words)
	}
	return s.queryHits(ctx, false, 0, `
		SELECT `+s.hitCols()+`
		FROM claims_fts f
		JOIN claims c ON c.id = f.rowid
		JOIN articles a ON a.id = c.article_id
		WHERE `+where+` AND c.kind <> 'unattributed' AND `+visibleIn("a.id", "?2")+`
		ORDER BY a.seq DESC, c.idx`, match, space)
}

// hitCols are the columns a query of hits (queryHits) selects: of the
// claim (c), its article (a) and, on PostgreSQL, its index row (f). The
// claim's sentence and context are, on SQLite, the piece of the body that
// holds them and the claim's claimSpans (see fts.go's top); on PostgreSQL,
// the index row's.
func (s *Store) hitCols() string {
	if s.db.d.postgres {
		return hitColsPostgres
	}
	return hitColsSQLite
}

var (
	hitColsSQLite = `c.id, c.idx, ` + prefixed("c.", claimCols) + `,
			substr(CAST(a.body AS BLOB), c.prev_start + 1, c.next_end - c.prev_start),
			c.sent_start, c.sent_end, c.prev_start, c.prev_end, c.next_start, c.next_end, ` + articleInfoCols
	hitColsPostgres = `c.id, c.idx, ` + prefixed("c.", claimCols) + `, f.sentence, f.context, ` + articleInfoCols
	articleInfoCols = `a.id, a.name, a.title, a.headline, a.source, a.url, a.published, a.ingested_at, a.seq`
)

// prefixed returns the comma-separated columns cols, each prefixed with p.
func prefixed(p, cols string) string {
	f := strings.Split(cols, ",")
	for i := range f {
		f[i] = p + strings.TrimSpace(f[i])
	}
	return strings.Join(f, ", ")
}

// queryHits runs a query of hitCols (after the BM25 rank if ranked) and
// reads its hits, in a list with room for n of them: each row is scanned
// into its place in the list, through one list of destinations for all.
func (s *Store) queryHits(ctx context.Context, ranked bool, n int, query string, args ...any) ([]Hit, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := make([]Hit, 0, n)
	sc := hitScan{postgres: s.db.d.postgres}
	for rows.Next() {
		list = append(list, Hit{})
		if err := sc.read(rows, &list[len(list)-1], ranked); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return list, nil
}

// hitScan reads the rows of a query of hitCols into hits.
type hitScan struct {
	postgres            bool
	dest                []any
	published           string
	ingested            int64
	r                   float64
	sentence, surrounds sql.NullString // PostgreSQL's
	piece               sql.RawBytes   // SQLite's (the driver's copy), and its spans
	sp                  claimSpans
}

// read scans the row into h, and its BM25 rank if ranked.
func (sc *hitScan) read(row scanner, h *Hit, ranked bool) error {
	c, a := &h.Claim, &h.Article
	sc.dest = append(sc.dest[:0], &sc.r, &h.claimID, &h.Index)
	sc.dest = appendClaimDest(sc.dest, c)
	if sc.postgres {
		sc.dest = append(sc.dest, &sc.sentence, &sc.surrounds)
	} else {
		sp := &sc.sp
		sc.dest = append(sc.dest, &sc.piece, &sp.sentence[0], &sp.sentence[1], &sp.before[0], &sp.before[1], &sp.after[0], &sp.after[1])
	}
	sc.dest = append(sc.dest, &a.ID, &a.Name, &a.Title, &a.Headline, &a.Source, &a.URL, &sc.published, &sc.ingested, &a.Seq)
	dest := sc.dest
	if !ranked {
		dest = dest[1:]
	}
	if err := row.Scan(dest...); err != nil {
		return err
	}
	sureOrNot(c)
	h.bm25 = -sc.r
	if sc.postgres {
		h.sentence, h.context = sc.sentence.String, sc.surrounds.String
	} else {
		h.sentence, h.context = sc.sp.cut(string(sc.piece))
	}
	if sc.published != "" {
		if t, err := time.Parse(time.RFC3339Nano, sc.published); err == nil {
			a.Published = t
		}
	}
	a.IngestedAt = fromNanos(sc.ingested)
	return nil
}
