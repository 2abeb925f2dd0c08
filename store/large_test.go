package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/longarticle"
)

// longAnalysis analyzes a generated article of about size bytes.
func longAnalysis(t testing.TB, size int) *briefing.Analysis {
	t.Helper()
	a, err := briefing.Parse("long.txt", []byte(longarticle.File(size)))
	if err != nil {
		t.Fatal(err)
	}
	return briefing.Analyze(a, briefing.Options{})
}

// Storing a 1 MB article holds the write lock briefly: a writer on
// another connection to the file (another process, or the scheduler
// reserving a slot) gets its turn within the busy timeout, however often
// it writes meanwhile. The article is indexed in full. (With the race
// detector, which slows SQLite about tenfold, the article is 128 KB.)
func TestPutLargeArticleLeavesRoomForWriters(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		if testing.Short() {
			t.Skip("stores a 1 MB article")
		}
		ctx := context.Background()
		path := db.fresh(t)
		s, other := openTest(t, path), openTest(t, path)
		size := 1 << 20
		if raceEnabled {
			size = 128 << 10
		}
		an := longAnalysis(t, size)

		done := make(chan error, 1)
		go func() {
			_, err := s.PutArticle(ctx, "seeds/long.txt", an, t0)
			done <- err
		}()
		writes := 0
		for stored := false; !stored; {
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
				stored = true
			default:
			}
			if err := other.SetState(ctx, "probe", strconv.Itoa(writes)); err != nil {
				t.Fatalf("write %d on another connection while a %d-byte article was stored: %v", writes, size, err)
			}
			writes++
		}
		t.Logf("%d writes on another connection while the article was stored", writes)

		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&n); err != nil || n != len(an.Claims) {
			t.Fatalf("%d claims indexed of %d: %v", n, len(an.Claims), err)
		}
		// A search reads the last claim's sentence and those around it.
		last := an.Claims[len(an.Claims)-1]
		sentence, before, _ := ClaimSentences(an.Article.Body, last.Start, last.End)
		h := claimHit(t, s, an.Article.ID, len(an.Claims)-1)
		if h.sentence != sentence || !strings.HasPrefix(h.context, before) {
			t.Errorf("last claim read with sentence %q, context %q; want %q, %q…", h.sentence, h.context, sentence, before)
		}
	})
}

// The index rows PutArticle prepares in Go are those the SQL of the
// migration that created the index computes from the stored claims, for
// new articles and for articles stored again after none of their keys was
// left: FTS5 indexes the same terms of them, and a search reads the
// sentence and context that SQL finds.
func TestIndexRowsMatchTheMigrationsSQL(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	long := longAnalysis(t, 50_000)
	for _, an := range []*briefing.Analysis{seedAnalysis(t), bridgeAnalysis(t), long, qatar("")} {
		mustPut(t, s, "k/"+an.Article.ID, an, t0)
	}
	if err := s.RemoveKey(ctx, "k/"+long.Article.ID); err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, "again", long, t0) // indexed again from the stored claims

	conn, err := s.db.sql.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{`CREATE VIRTUAL TABLE temp.want_fts USING fts5 (
			text, speaker, role, via, headline, sentence, context UNINDEXED,
			tokenize = 'porter unicode61 remove_diacritics 2')`,
		`INSERT INTO temp.want_fts (rowid, text, speaker, role, via, headline, sentence, context)
		SELECT c.id, c.text, c.speaker, c.speaker_role, TRIM(c.via || ' ' || a.source),
			CASE WHEN a.headline = a.title THEN a.title ELSE TRIM(a.title || ' ' || a.headline) END,
			briefbot_sentence(a.body, c.span_start, c.span_end),
			briefbot_context(a.body, c.span_start, c.span_end)
		FROM claims c JOIN articles a ON a.id = c.article_id
		WHERE c.id IN (SELECT rowid FROM claims_fts)`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	got, want := indexedTermsOf(t, s), indexedTerms(t, conn, "temp", "want_fts")
	if n := len(seedAnalysis(t).Claims) + len(bridgeAnalysis(t).Claims) + len(long.Claims) + len(qatar("").Claims); len(got) != n {
		t.Errorf("%d rows in the index, want %d", len(got), n)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the index's terms differ from those of the migration's SQL (%d rows, want %d)", len(got), len(want))
	}
	sqlTexts, err := queryRows(ctx, conn, func(row scanner) (string, error) {
		var id, sentence, context string
		var idx int
		err := row.Scan(&id, &idx, &sentence, &context)
		return fmt.Sprintf("%s %d: %s | %s", id, idx, sentence, context), err
	}, `SELECT c.article_id, c.idx, briefbot_sentence(a.body, c.span_start, c.span_end), briefbot_context(a.body, c.span_start, c.span_end)
		FROM claims c JOIN articles a ON a.id = c.article_id ORDER BY c.article_id, c.idx`)
	if err != nil {
		t.Fatal(err)
	}
	if texts := claimTexts(t, s); !slices.Equal(texts, sqlTexts) {
		t.Errorf("the sentences a search reads differ from those of the migration's SQL (%d claims, want %d)", len(texts), len(sqlTexts))
	}
}
