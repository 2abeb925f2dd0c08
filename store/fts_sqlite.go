package store

// The search index on SQLite: an FTS5 table (claims_fts) with the
// tokenizer 'porter unicode61 remove_diacritics 2', ranked by BM25 with
// a weight per column. Everything that speaks FTS5 is here.

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"modernc.org/sqlite"
)

// The SQL functions the migration that creates claims_fts uses to find the
// sentences of the claims stored before it in their articles' bodies. They
// are registered with the driver for every connection. (PutArticle finds
// their spans in Go, before its transaction: see newIndexRow.)
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("briefbot_sentence", 3, sqlSentences(false))
	sqlite.MustRegisterDeterministicScalarFunction("briefbot_context", 3, sqlSentences(true))
	sqlite.MustRegisterDeterministicScalarFunction("briefbot_spans", 4, sqlSpans)
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

// sqlSpans implements briefbot_spans(body, start, end, i), for the
// migration that keeps the claims' claimSpans: the ith of the six offsets
// (the sentence's start and end, the sentence before's, the sentence
// after's).
func sqlSpans(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	body, _ := args[0].(string)
	if b, ok := args[0].([]byte); ok {
		body = string(b)
	}
	start, _ := args[1].(int64)
	end, _ := args[2].(int64)
	i, _ := args[3].(int64)
	sp := spansOf(body, segment(body), int(start), int(end))
	all := [...]int{sp.sentence[0], sp.sentence[1], sp.before[0], sp.before[1], sp.after[0], sp.after[1]}
	if i < 0 || int(i) >= len(all) {
		return nil, fmt.Errorf("briefbot_spans: no offset %d", i)
	}
	return int64(all[i]), nil
}

// primaryCols restricts an FTS5 query to the primary columns (see fts.go).
const primaryCols = "{text speaker role via sentence} : "

// bm25Weights are the column weights of bm25, in the order of the columns:
// text, speaker, role, via, headline, sentence, context. The context is
// UNINDEXED since migration 12 (not searched; since migration 13 not
// stored either: a search cuts it out of the body): it keeps its place
// in the list, but its weight no longer counts.
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

// fts5 is the query as an FTS5 MATCH expression. The part for q.also adds
// every term's matches in every column to BM25, and matches whatever the
// first part matches.
func (q ftsQuery) fts5() string {
	op := "OR"
	if q.all {
		op = "AND"
	}
	m := primaryCols + "(" + joinPhrases(q.need, op) + ")"
	if len(q.also) > 0 {
		m += " AND (" + joinPhrases(q.also, "OR") + ")"
	}
	return m
}

// rankSQLite is the ranking of rankedMatches by FTS5's bm25 (negative:
// lower is better), with the MATCH expression for ?1. pooled: the best
// matches of every space are ranked, and the space is checked after;
// else each match is checked as it is read (seen).
func rankSQLite(q ftsQuery, recent, pooled bool, seen string) (rank string, match any, more []any) {
	from := `claims_fts f JOIN claims k ON k.id = f.rowid`
	if pooled {
		from = `claims_fts f`
	}
	rank = `SELECT f.rowid AS id, bm25(claims_fts, ` + bm25Weights + `) AS r FROM ` + from + `
			WHERE claims_fts MATCH ?1` + seen + ` ORDER BY r LIMIT ?5`
	if recent {
		rank = `SELECT id, r FROM (SELECT f.rowid AS id, bm25(claims_fts, ` + bm25Weights + `) AS r FROM ` + from + `
			WHERE claims_fts MATCH ?1` + seen + ` ORDER BY f.rowid DESC LIMIT ?3) ORDER BY r LIMIT ?5`
	}
	return rank, q.fts5(), nil
}

// speakerMatchSQLite is the condition of speakerMatches on FTS5, with its
// parameter: every word in the speaker or role column.
func speakerMatchSQLite(words []token) (where string, match any) {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = `{speaker role} : "` + w.word + `"`
	}
	return `claims_fts MATCH ?1`, strings.Join(parts, " AND ")
}

// MergeSearchIndex merges the segments of the search index on SQLite into
// one, so that a search reads each of its terms from one place rather than
// from every batch that added to it (FTS5 keeps a segment per write and
// merges them only in part as it goes). A store of 100,000 claims written
// in batches of 200 articles answers /ask about 10% faster merged, and is
// merged in about 0.7 s. The work is done a few hundred pages per
// write transaction, so that other writers wait for one step at most.
// PostgreSQL's index needs no merging: it does nothing there.
func (s *Store) MergeSearchIndex(ctx context.Context) error {
	if s.db.d.postgres {
		return nil
	}
	for step := 0; step < maxMergeSteps; step++ {
		more := false
		err := s.db.write(ctx, func(tx *tx) error {
			tx.noteIndexWrite(ctx, nil) // what the index holds stays the same
			var before, after int64
			if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
				return err
			}
			// A negative number of pages: merge segments of any levels
			// until there is one (FTS5's incremental optimize).
			if _, err := tx.ExecContext(ctx, `INSERT INTO claims_fts (claims_fts, rank) VALUES ('merge', -500)`); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
				return err
			}
			// The merge command counts as one change; more is work done.
			more = after-before > 1
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: merge the search index: %w", err)
		}
		if !more {
			break
		}
	}
	return nil
}

// maxMergeSteps bounds the steps of MergeSearchIndex (500 pages each),
// should writers keep adding to the index while it merges.
const maxMergeSteps = 1000
