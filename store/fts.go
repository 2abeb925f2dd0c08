package store

// The search index and its queries: everything that speaks SQLite's FTS5
// is here. What a question's words are (query.go) and how the candidates
// are ranked (rank.go, speakers.go) do not depend on it.
//
// The index is an FTS5 table (claims_fts) with one row per claim of every
// active article, kept in step with the sources table.
//
// Each row holds, in separate columns, the claim's text, its speaker, the
// speaker's role, the channel and the article's outlet (via), the article's
// title and headline, the source sentence(s) the claim's span lies in, and
// the sentences just before and after them (context). The tokenizer is
// 'porter unicode61 remove_diacritics 2': case and accents are folded and
// English words are stemmed ("elections" finds "election").
//
// The index holds only active articles: PutArticle indexes the article a
// key now points at (insertIndexRows, indexStoredClaims), and triggers
// remove an article's rows when the last key pointing at it is deleted or
// re-pointed, and a claim's row when the claim is deleted.
//
// Queries are built of a question's words (qterm), each made of letters
// and digits only and quoted, so no text a user types reaches FTS5 as
// query syntax. Candidates come from FTS5's BM25 and are re-ranked by
// Search.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"time"

	"modernc.org/sqlite"

	"github.com/briefbot/briefbot/briefing"
)

// The SQL functions the migration that creates claims_fts uses to find the
// sentences of the claims stored before it in their articles' bodies. They
// are registered with the driver for every connection. (PutArticle finds
// them in Go, before its transaction: see newIndexRow.)
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("briefbot_sentence", 3, sqlSentences(false))
	sqlite.MustRegisterDeterministicScalarFunction("briefbot_context", 3, sqlSentences(true))
}

// sqlSentences implements briefbot_sentence(body, start, end), the source
// sentences of a span, and briefbot_context(body, start, end), the
// sentences around them.
func sqlSentences(around bool) func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
	return func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		body, _ := args[0].(string)
		if b, ok := args[0].([]byte); ok {
			body = string(b)
		}
		start, _ := args[1].(int64)
		end, _ := args[2].(int64)
		sentence, before, after := ClaimSentences(body, int(start), int(end))
		if !around {
			return sentence, nil
		}
		return strings.TrimSpace(before + " " + after), nil
	}
}

// indexRow is the row of the search index for a claim.
type indexRow struct {
	id                                                    int64 // the rowid: the claim's
	text, speaker, role, via, headline, sentence, context string
}

// newIndexRow makes the index row of claim c of an article with the body
// and its sentences, outlet, title and headline.
func newIndexRow(body string, sents []briefing.Sentence, c briefing.Claim, source, title, headline string) indexRow {
	sentence, before, after := claimSentences(body, sents, c.Start, c.End)
	if headline != title { // as the migration that made the index writes it
		headline = strings.Trim(title+" "+headline, " ")
	}
	r := indexRow{
		text: c.Text, speaker: c.Speaker, role: c.SpeakerRole, via: strings.Trim(c.Via+" "+source, " "),
		headline: headline, sentence: sentence, context: strings.TrimSpace(before + " " + after),
	}
	if c.SpeakerUnsure {
		r.speaker, r.role = "", "" // nobody is found as the one who said it
	}
	return r
}

// insertIndexRows adds rows to the search index.
func insertIndexRows(ctx context.Context, tx *sql.Tx, rows []indexRow) error {
	if len(rows) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO claims_fts (rowid, text, speaker, role, via, headline, sentence, context)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, r.id, r.text, r.speaker, r.role, r.via, r.headline, r.sentence, r.context); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// indexStoredClaims adds the claims of a stored article that are not in
// the search index to it: all of them when a key points at the article
// again after none did. body and sents are the article's. PutArticle calls
// it in its transaction.
func indexStoredClaims(ctx context.Context, tx *sql.Tx, articleID, body string, sents []briefing.Sentence) error {
	index, err := queryRows(ctx, tx, func(row scanner) (indexRow, error) {
		var (
			id                      int64
			c                       briefing.Claim
			source, title, headline string
		)
		if err := row.Scan(&id, &c.Text, &c.Speaker, &c.SpeakerRole, &c.Via, &c.Start, &c.End, &c.SpeakerUnsure, &source, &title, &headline); err != nil {
			return indexRow{}, err
		}
		r := newIndexRow(body, sents, c, source, title, headline)
		r.id = id
		return r, nil
	}, `SELECT c.id, c.text, c.speaker, c.speaker_role, c.via,
			c.span_start, c.span_end, c.speaker_unsure, a.source, a.title, a.headline
		FROM claims c JOIN articles a ON a.id = c.article_id
		WHERE c.article_id = ? AND NOT EXISTS (SELECT 1 FROM claims_fts f WHERE f.rowid = c.id)
		ORDER BY c.idx`, articleID)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return insertIndexRows(ctx, tx, index)
}

// primaryCols restricts an FTS5 query to the columns about the claim
// itself: a claim is found by its text, speaker, role, outlet or sentence,
// not by its article's headline or the sentences around it (those only
// add to its coverage; see scoreHit).
const primaryCols = "{text speaker role via sentence} : "

// bm25Weights are the column weights of bm25, in the order of the columns:
// text, speaker, role, via, headline, sentence, context.
const bm25Weights = "4.0, 3.0, 1.5, 1.0, 0.5, 1.0, 0.3"

// phrase is the term as an FTS5 query: quoted, a prefix query for a name,
// and OR-ed with its other forms.
func (t qterm) phrase() string {
	p := `"` + t.word + `"`
	if t.prefix {
		p += "*"
	}
	if len(t.forms) == 0 {
		return p
	}
	return "(" + p + ` OR "` + strings.Join(t.forms, `" OR "`) + `")`
}

// joinPhrases joins the terms' phrases with the operator (AND, OR).
func joinPhrases(terms []qterm, op string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.phrase()
	}
	return strings.Join(parts, " "+op+" ")
}

// matchAny matches the claims with any of the terms in a primary column;
// matchAll, with all of them.
func matchAny(terms []qterm) string { return primaryCols + "(" + joinPhrases(terms, "OR") + ")" }
func matchAll(terms []qterm) string { return primaryCols + "(" + joinPhrases(terms, "AND") + ")" }

// matchCore matches the claims with any of the core terms in a primary
// column. The second part adds every term's matches in every column to
// BM25, and matches whatever the first part matches.
func matchCore(core, terms []qterm) string {
	return matchAny(core) + " AND (" + joinPhrases(terms, "OR") + ")"
}

// docFreqs sets each term's document frequency: how many claims have it in
// a primary column (rarity among the claims themselves: a word of a
// headline is in every claim of its article). It returns how many claims
// there are (the highest claim ID), for the terms' IDF.
func (s *Store) docFreqs(ctx context.Context, terms []qterm) (n float64, err error) {
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM claims`).Scan(&n); err != nil {
		return 0, err
	}
	for i := range terms {
		err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?`,
			primaryCols+terms[i].phrase()).Scan(&terms[i].df)
		if err != nil {
			return 0, err
		}
	}
	return n, nil
}

// matches runs the FTS5 query and returns the best candidateLimit matches
// by BM25 among the claims of the articles the space sees: among all
// matches or, if recent, among the newest recentPool.
//
// Most of the best matches are of articles every space sees. So the best
// matches of every space are ranked first, twice as many as needed, and
// those the space sees kept; only when too few are left is the ranking
// done again with every match checked against the space (two index
// lookups each: see visibleIn). The newest recentPool are checked as they
// are read.
func (s *Store) matches(ctx context.Context, space, query string, recent, attributed bool) ([]Hit, error) {
	limit := candidateLimit
	if attributed { // some of the best matches will be left out
		limit = candidateLimit * 3 / 2
	}
	var hits []Hit
	var err error
	if !recent {
		hits, err = s.rankedMatches(ctx, space, query, false, limit, 2*limit)
	}
	if err == nil && len(hits) < limit {
		hits, err = s.rankedMatches(ctx, space, query, recent, limit, 0)
	}
	if err != nil {
		return nil, err
	}
	if attributed {
		hits = slices.DeleteFunc(hits, func(h Hit) bool { return h.Claim.Kind == briefing.Unattributed })
	}
	return hits, nil
}

// rankedMatches returns the best limit matches of the FTS5 query by BM25
// among the claims of the articles the space sees: of the best pool
// matches of every space if pool > 0, else of all matches or, if recent,
// of the newest recentPool.
func (s *Store) rankedMatches(ctx context.Context, space, query string, recent bool, limit, pool int) ([]Hit, error) {
	from, seen, outer := `claims_fts f JOIN claims k ON k.id = f.rowid`, ` AND `+visibleIn("k.article_id", "?4"), ``
	if pool > 0 {
		from, seen, outer = `claims_fts f`, ``, `WHERE `+visibleIn("c.article_id", "?4")
	}
	inner := `SELECT f.rowid AS id, bm25(claims_fts, ` + bm25Weights + `) AS r FROM ` + from + `
			WHERE claims_fts MATCH ?1` + seen + ` ORDER BY r LIMIT ?5`
	if recent {
		inner = `SELECT id, r FROM (SELECT f.rowid AS id, bm25(claims_fts, ` + bm25Weights + `) AS r FROM ` + from + `
			WHERE claims_fts MATCH ?1` + seen + ` ORDER BY f.rowid DESC LIMIT ?3) ORDER BY r LIMIT ?5`
	}
	return queryRows(ctx, s.db, scanRankedHit, `
		SELECT m.r, `+hitCols+`
		FROM (`+inner+`) m
		JOIN claims c ON c.id = m.id
		JOIN articles a ON a.id = c.article_id
		JOIN claims_fts f ON f.rowid = m.id
		`+outer+`
		ORDER BY m.r LIMIT ?2`, query, limit, recentPool, space, max(pool, limit))
}

// speakerMatches returns the attributed claims of the articles the space
// sees whose speaker and role hold all the words between them, newest
// article first and in article order.
func (s *Store) speakerMatches(ctx context.Context, space string, words []token) ([]Hit, error) {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = `{speaker role} : "` + w.word + `"`
	}
	return queryRows(ctx, s.db, scanHit, `
		SELECT `+hitCols+`
		FROM claims_fts f
		JOIN claims c ON c.id = f.rowid
		JOIN articles a ON a.id = c.article_id
		WHERE claims_fts MATCH ? AND c.kind <> 'unattributed' AND `+visibleIn("a.id", "?")+`
		ORDER BY a.seq DESC, c.idx`, strings.Join(parts, " AND "), space)
}

// hitCols are the columns scanHit reads: of the claim (c), its index row
// (f) and its article (a).
var hitCols = `c.id, c.idx, ` + prefixed("c.", claimCols) + `, f.sentence, f.context,
			a.id, a.name, a.title, a.headline, a.source, a.url, a.published, a.ingested_at, a.seq`

// prefixed returns the comma-separated columns cols, each prefixed with p.
func prefixed(p, cols string) string {
	f := strings.Split(cols, ",")
	for i := range f {
		f[i] = p + strings.TrimSpace(f[i])
	}
	return strings.Join(f, ", ")
}

// scanHit scans a hit; scanRankedHit, its BM25 rank and the hit.
func scanHit(row scanner) (Hit, error)       { return readHit(row, false) }
func scanRankedHit(row scanner) (Hit, error) { return readHit(row, true) }

func readHit(row scanner, ranked bool) (Hit, error) {
	var (
		h                   Hit
		c                   = &h.Claim
		a                   = &h.Article
		published           string
		ingested            int64
		r                   float64
		sentence, surrounds sql.NullString
	)
	dest := append([]any{&h.claimID, &h.Index}, claimDest(c)...)
	dest = append(dest, &sentence, &surrounds,
		&a.ID, &a.Name, &a.Title, &a.Headline, &a.Source, &a.URL, &published, &ingested, &a.Seq)
	if ranked {
		dest = append([]any{&r}, dest...)
	}
	if err := row.Scan(dest...); err != nil {
		return h, err
	}
	sureOrNot(c)
	h.bm25 = -r
	h.sentence, h.context = sentence.String, surrounds.String
	if published != "" {
		if t, err := time.Parse(time.RFC3339Nano, published); err == nil {
			a.Published = t
		}
	}
	a.IngestedAt = fromNanos(ingested)
	return h, nil
}
