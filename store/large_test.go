package store

import (
	"context"
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
		// The last claim's row holds its sentence and those around it.
		last := an.Claims[len(an.Claims)-1]
		sentence, before, _ := ClaimSentences(an.Article.Body, last.Start, last.End)
		var gotSentence, gotContext string
		err := s.db.QueryRow(`SELECT f.sentence, f.context FROM claims_fts f JOIN claims c ON c.id = f.rowid
		WHERE c.article_id = ? AND c.idx = ?`, an.Article.ID, len(an.Claims)-1).Scan(&gotSentence, &gotContext)
		if err != nil || gotSentence != sentence || !strings.HasPrefix(gotContext, before) {
			t.Errorf("last claim indexed with sentence %q, context %q (%v); want %q, %q…", gotSentence, gotContext, err, sentence, before)
		}
	})
}

// The index rows PutArticle prepares in Go are those the SQL of the
// migration that created the index computes from the stored claims, for
// new articles and for articles stored again after none of their keys was
// left.
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

	rows, err := s.db.Query(`SELECT f.rowid, f.text = c.text, f.speaker = c.speaker, f.role = c.speaker_role,
			f.via = TRIM(c.via || ' ' || a.source),
			f.headline = CASE WHEN a.headline = a.title THEN a.title ELSE TRIM(a.title || ' ' || a.headline) END,
			f.sentence = briefbot_sentence(a.body, c.span_start, c.span_end),
			f.context = briefbot_context(a.body, c.span_start, c.span_end)
		FROM claims_fts f JOIN claims c ON c.id = f.rowid JOIN articles a ON a.id = c.article_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		same := make([]bool, 7)
		if err := rows.Scan(&id, &same[0], &same[1], &same[2], &same[3], &same[4], &same[5], &same[6]); err != nil {
			t.Fatal(err)
		}
		for i, ok := range same {
			if !ok {
				t.Errorf("claim %d: column %d of its index row differs from the migration's", id, i+1)
			}
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := len(seedAnalysis(t).Claims) + len(bridgeAnalysis(t).Claims) + len(long.Claims) + len(qatar("").Claims); n != want {
		t.Errorf("%d rows in the index, want %d", n, want)
	}
}
