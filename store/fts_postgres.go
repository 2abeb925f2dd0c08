package store

// The search index on PostgreSQL: a table (claims_fts) with two tsvector
// columns generated from its text columns with the text search
// configuration briefbot (made by migration 5: PostgreSQL's parser, the
// unaccent dictionary to fold accents, and the Snowball English stemmer
// without stop words, as FTS5 has none):
//
//   - prim, the primary columns, weighted A (text), B (speaker and role)
//     and C (via and sentence), with a GIN index: what a query matches;
//   - rest, the headline and context, weighted D: only ranked.
//
// A match is ranked like BM25: the sum over the question's words of the
// word's IDF times ts_rank of the word alone, which grows with the word's
// occurrences, less and less, weighted by column, and saturates (its
// normalization 32: rank / (rank + 1), as BM25's term frequency does).
// Unlike BM25 it does not divide by the claim's length: measured on the
// /ask questions (go test ./bot -run TestAskAccuracy -v), dividing by the
// log of the length, or BM25's length ratio, lost two to three tuning
// questions at top-1 whatever the column weights. Everything that speaks
// tsquery is here.

import (
	"context"
	"strconv"
	"strings"
)

// tsWeights are ts_rank's weights of D, C, B and A (see above), in the
// spirit of FTS5's bm25Weights.
const tsWeights = `'{0.1, 0.25, 0.6, 1.0}'`

// tsPhrase is the term as a tsquery: quoted, a prefix query for a name,
// and OR-ed with its other forms. Its words are letters and digits only
// (see token), so they need no escaping.
func (t qterm) tsPhrase(weights string) string {
	p := "'" + t.word + "'"
	if t.prefix {
		p += ":*" + weights
	} else if weights != "" {
		p += ":" + weights
	}
	if len(t.forms) == 0 {
		return p
	}
	for _, f := range t.forms {
		p += " | '" + f + "'"
		if weights != "" {
			p += ":" + weights
		}
	}
	return "(" + p + ")"
}

// tsquery is the query's match as a tsquery of the prim column.
func (q ftsQuery) tsquery() string {
	op := " | "
	if q.all {
		op = " & "
	}
	parts := make([]string, len(q.need))
	for i, t := range q.need {
		parts[i] = t.tsPhrase("")
	}
	return strings.Join(parts, op)
}

// ranked returns the terms that rank the query's matches: those of
// q.also, else of q.need.
func (q ftsQuery) ranked() []qterm {
	if len(q.also) > 0 {
		return q.also
	}
	return q.need
}

// docFreqsPostgres is docFreqs on PostgreSQL, in one query.
func (s *Store) docFreqsPostgres(ctx context.Context, terms []qterm) (n float64, err error) {
	query := `SELECT (SELECT COALESCE(MAX(id), 0) FROM claims)`
	args := make([]any, len(terms))
	dest := []any{&n}
	for i := range terms {
		query += `, (SELECT count(*) FROM claims_fts WHERE prim @@ to_tsquery('briefbot', ?))`
		args[i] = terms[i].tsPhrase("")
		dest = append(dest, &terms[i].df)
	}
	if err := s.db.QueryRowContext(ctx, query, args...).Scan(dest...); err != nil {
		return 0, err
	}
	return n, nil
}

// rankPostgres is the ranking of rankedMatches on PostgreSQL (see the top
// of this file), negated so that lower is better as with bm25, with the
// tsquery for ?1 and, after ?5, each ranked term's IDF and tsquery. The
// matches are read once (OFFSET 0 keeps the planner from folding the
// subquery into the ranking), and the terms' tsqueries made once.
func rankPostgres(q ftsQuery, recent, pooled bool, seen string) (rank string, match any, more []any) {
	from := `claims_fts f JOIN claims k ON k.id = f.rowid`
	if pooled {
		from = `claims_fts f`
	}
	limit := ``
	if recent {
		limit = ` ORDER BY f.rowid DESC LIMIT ?3`
	}
	terms := q.ranked()
	var queries, score []string
	for i, t := range terms {
		n := strconv.Itoa(6 + 2*i)
		queries = append(queries, `to_tsquery('briefbot', ?`+strconv.Itoa(7+2*i)+`) AS q`+n)
		// ts_rank divides by the number of words in the query: a term
		// with other forms counts as one word.
		score = append(score, `CAST(?`+n+` AS double precision) * `+strconv.Itoa(1+len(t.forms))+
			` * ts_rank(`+tsWeights+`, x.d, qs.q`+n+`, 32)`)
		more = append(more, t.idf, t.tsPhrase(""))
	}
	// qs holds the query's constants, ?3 among them (for the cases where
	// nothing else uses it: PostgreSQL wants each parameter's type).
	rank = `WITH qs AS MATERIALIZED (SELECT CAST(?3 AS bigint) AS pool, ` + strings.Join(queries, ", ") + `)
		SELECT x.id, -(` + strings.Join(score, " + ") + `) AS r FROM (
			SELECT f.rowid AS id, f.prim || f.rest AS d FROM ` + from + `
			WHERE f.prim @@ to_tsquery('briefbot', ?1)` + seen + limit + ` OFFSET 0) x, qs
		ORDER BY r LIMIT ?5`
	return rank, q.tsquery(), more
}

// speakerMatchPostgres is the condition of speakerMatches on PostgreSQL,
// with its parameter: every word with the weight of the speaker and role.
func speakerMatchPostgres(words []token) (where string, match any) {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = qterm{word: w.word}.tsPhrase("B")
	}
	return `f.prim @@ to_tsquery('briefbot', ?1)`, strings.Join(parts, " & ")
}
