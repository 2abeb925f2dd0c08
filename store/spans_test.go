package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/longarticle"
)

// spansCorpus is articles to check claims' sentences on: the seeds, the
// test articles of bot and briefing, articles generated as the benchmarks
// generate them, a long one and the Qatar story.
func spansCorpus(t testing.TB) []*briefing.Analysis {
	t.Helper()
	var files []string
	for _, glob := range []string{"../seeds/*.txt", "../bot/testdata/*.txt", "../briefing/testdata/eval/*/*.txt"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("only %d test articles: %v", len(files), files)
	}
	var list []*briefing.Analysis
	add := func(name string, data []byte) {
		a, err := briefing.Parse(name, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		list = append(list, briefing.Analyze(a, briefing.Options{}))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		add(filepath.Base(f), data)
	}
	for i := range 40 {
		add(fmt.Sprintf("article_%04d.txt", i), []byte(longarticle.Article(uint64(5000+i), 330)))
	}
	return append(list, longAnalysis(t, 50_000), qatar(""))
}

// The texts a claim's spans cut, and its index row holds, are those
// claimSentences finds, for every
// claim of the corpus and every span of a short body (empty ones, ones
// between sentences, ones over several).
func TestSpansCutClaimSentences(t *testing.T) {
	check := func(what, body string, sents []briefing.Sentence, start, end int) {
		t.Helper()
		sentence, before, after := claimSentences(body, sents, start, end)
		context := strings.TrimSpace(before + " " + after)
		sp := spansOf(body, sents, start, end)
		if sp.before[0] > sp.before[1] || sp.before[1] > sp.sentence[0] || sp.sentence[0] > sp.sentence[1] ||
			sp.sentence[1] > sp.after[0] || sp.after[0] > sp.after[1] || sp.after[1] > len(body) {
			t.Fatalf("%s [%d, %d): spans %v out of order", what, start, end, sp)
		}
		if s, c := sp.cut(body[sp.before[0]:sp.after[1]]); s != sentence || c != context {
			t.Fatalf("%s [%d, %d): cut %q, %q; claimSentences %q, %q", what, start, end, s, c, sentence, context)
		}
		// And the index row's, its context cut only for PostgreSQL.
		if r := newIndexRow(body, sents, briefing.Claim{Start: start, End: end}, "", ""); r.sentence != sentence || r.context() != context {
			t.Fatalf("%s [%d, %d): index row %q, %q; claimSentences %q, %q", what, start, end, r.sentence, r.context(), sentence, context)
		}
	}
	n := 0
	for _, an := range spansCorpus(t) {
		body := an.Article.Body
		sents := briefing.Segment(body)
		for _, c := range an.Claims {
			check(an.Article.Name, body, sents, c.Start, c.End)
			n++
		}
	}
	if n < 1000 {
		t.Errorf("only %d claims checked", n)
	}
	for _, body := range []string{"First one.  Second “quoted” one!\n\nThird, in a new paragraph. Fourth.",
		"  \u00a0Lead space. No end", "", " \n "} {
		sents := briefing.Segment(body)
		for start := -1; start <= len(body)+1; start++ {
			for end := start - 1; end <= len(body)+1; end++ {
				check(fmt.Sprintf("%q", body), body, sents, start, end)
			}
		}
	}
}

// putVersion12 stores an article with the SQL of a version-12 program,
// before claims kept their spans: the article, its claims, its key, the
// spaces that see it, and its claims' rows in the search index, with
// their sentence and context (SQLite's index kept them).
func putVersion12(t *testing.T, s *Store, key string, an *briefing.Analysis, now time.Time) {
	t.Helper()
	ctx := context.Background()
	a := an.Article
	bullets, err := encodeBullets(an.Briefing.Bullets)
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.write(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `
		INSERT INTO articles (id, name, path, title, derived, source, url, published, author,
			ingested_at, headline, gist, bullets, score, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.Name, a.Path, a.Title, boolInt(a.Derived), a.Source, a.URL, a.Published.Format(time.RFC3339Nano),
			a.Author, nanos(now), an.Briefing.Headline, an.Briefing.Gist, bullets, an.Briefing.Score, a.Body); err != nil {
			return err
		}
		for i, c := range an.Claims {
			if _, err := tx.ExecContext(ctx, `
			INSERT INTO claims (article_id, idx, text, speaker, speaker_role, kind, verb, via,
				anonymous, verbatim, span_start, span_end, sentence, speaker_unsure)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, i, c.Text, c.Speaker, c.SpeakerRole, string(c.Kind),
				c.Verb, c.Via, boolInt(c.Anonymous), boolInt(c.Verbatim), c.Start, c.End, c.Sentence, boolInt(c.SpeakerUnsure)); err != nil {
				return err
			}
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM claims WHERE article_id = ? AND idx = ?`, a.ID, i).Scan(&id); err != nil {
				return err
			}
			r := newIndexRow(a.Body, briefing.Segment(a.Body), c, a.Source, indexHeadline(a.Title, an.Briefing.Headline))
			sentence, before, after := ClaimSentences(a.Body, c.Start, c.End)
			if _, err := tx.ExecContext(ctx, `INSERT INTO claims_fts (rowid, text, speaker, role, via, headline, sentence, context)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, r.text, r.speaker, r.role, r.via, r.headline,
				sentence, strings.TrimSpace(before+" "+after)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sources (key, article_id, updated_at) VALUES (?, ?, ?)`, key, a.ID, nanos(now)); err != nil {
			return err
		}
		return refreshArticles(ctx, tx, []string{a.ID})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// claimTexts returns the sentence and context a search reads of each
// claim of the articles (all of them if none), in the order of their
// articles and indexes, each as "article idx: sentence | context".
func claimTexts(t testing.TB, s *Store, articles ...string) []string {
	t.Helper()
	join := `JOIN articles a ON a.id = c.article_id`
	if s.Postgres() {
		join += ` JOIN claims_fts f ON f.rowid = c.id` // its claims in the index only
	}
	where := ``
	if len(articles) > 0 {
		where = `WHERE c.article_id IN ('` + strings.Join(articles, `', '`) + `')`
	}
	hits, err := s.queryHits(context.Background(), false, 0,
		`SELECT `+s.hitCols()+` FROM claims c `+join+` `+where+` ORDER BY c.article_id, c.idx`)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%s %d: %s | %s", h.Article.ID, h.Index, h.sentence, h.context))
	}
	return out
}

// wantTexts is claimTexts as ClaimSentences finds them, sorted.
func wantTexts(list []*briefing.Analysis) []string {
	var out []string
	for _, an := range list {
		for i, c := range an.Claims {
			sentence, before, after := ClaimSentences(an.Article.Body, c.Start, c.End)
			out = append(out, fmt.Sprintf("%s %d: %s | %s", an.Article.ID, i, sentence, strings.TrimSpace(before+" "+after)))
		}
	}
	slices.Sort(out)
	return out
}

// What a search reads of a stored claim's sentence and context is, byte
// for byte, what claimSentences finds in its article (what the index held
// before migration 13), for every claim of the corpus, put in a batch.
func TestHitSentencesAsClaimSentences(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		s := db.store(t)
		list := spansCorpus(t)
		var puts []ArticlePut
		for _, an := range list {
			puts = append(puts, ArticlePut{Key: "k/" + an.Article.ID, Analysis: an, Now: t0})
		}
		if _, err := s.PutArticles(context.Background(), puts); err != nil {
			t.Fatal(err)
		}
		got, want := claimTexts(t, s), wantTexts(list)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Fatalf("%d claims, want %d; first difference:\n%s\nwant\n%s", len(got), len(want), got[i], want[i])
				}
			}
			t.Fatalf("%d claims, want %d", len(got), len(want))
		}
	})
}

// Migration 13 makes SQLite's index contentless and keeps each claim's
// spans: FTS5 ranks every match as before it, the claims indexed before it
// are found as a fresh store finds them, with the sentences and contexts
// the index held, an article no longer active gets its spans too and is
// indexed as it was when a key points at it again, and the triggers still
// take rows out of the index (on PostgreSQL the step changes nothing).
func TestContentlessIndexMigration(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		path := db.fresh(t)
		ctx := context.Background()
		old, err := openAt(ctx, path, 12) // the version before the contentless index
		if err != nil {
			t.Fatal(err)
		}
		list := spansCorpus(t)
		gone := list[len(list)-1] // stored, then its key removed
		for _, an := range list {
			putVersion12(t, old, "k/"+an.Article.ID, an, t0)
		}
		if _, err := old.db.Exec(`DELETE FROM sources WHERE key = ?`, "k/"+gone.Article.ID); err != nil {
			t.Fatal(err)
		}
		var rows int
		if err := old.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&rows); err != nil || rows != claimsOf(list)-len(gone.Claims) {
			t.Fatalf("%d rows indexed before the migration: %v", rows, err)
		}
		indexed, err := queryRows(ctx, old.db, func(row scanner) (string, error) {
			var id, sentence, context string
			var idx int
			err := row.Scan(&id, &idx, &sentence, &context)
			return fmt.Sprintf("%s %d: %s | %s", id, idx, sentence, context), err
		}, `SELECT c.article_id, c.idx, f.sentence, f.context FROM claims_fts f JOIN claims c ON c.id = f.rowid ORDER BY c.article_id, c.idx`)
		if err != nil {
			t.Fatal(err)
		}
		// FTS5's ranks of some matches, for SQLite.
		matches := []string{primaryCols + `("hamas" OR "qatar*")`, `"bridge" AND "close"`, `{speaker role} : "mayor"`, `"said"`, `"the" OR "lanes"`}
		ranks := func(s *Store) []string {
			if s.Postgres() {
				return nil
			}
			var out []string
			for _, m := range matches {
				list, err := queryRows(ctx, s.db, func(row scanner) (string, error) {
					var id int64
					var r float64
					err := row.Scan(&id, &r)
					return fmt.Sprint(m, id, r), err
				}, `SELECT rowid, bm25(claims_fts, `+bm25Weights+`) FROM claims_fts WHERE claims_fts MATCH ? ORDER BY rowid`, m)
				if err != nil || len(list) == 0 {
					t.Fatalf("%s: %d matches, %v", m, len(list), err)
				}
				out = append(out, list...)
			}
			return out
		}
		oldRanks := ranks(old)
		old.Close()

		s := openTest(t, path)
		if got := ranks(s); !slices.Equal(got, oldRanks) {
			t.Errorf("FTS5's ranks after the migration differ (%d matches, %d before)", len(got), len(oldRanks))
		}
		if !s.Postgres() {
			var schema string
			if err := s.db.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'claims_fts'`).Scan(&schema); err != nil ||
				!strings.Contains(schema, "content = ''") || !strings.Contains(schema, "context UNINDEXED") {
				t.Errorf("claims_fts after the migration: %q, %v", schema, err)
			}
			var content int
			if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name IN ('claims_fts_content', 'claims_fts_copy')`).Scan(&content); err != nil || content != 0 {
				t.Errorf("%d tables of the old index left: %v", content, err)
			}
		}
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&n); err != nil || n != rows {
			t.Errorf("%d rows indexed after the migration, %d before: %v", n, rows, err)
		}
		var active []string
		for _, an := range list[:len(list)-1] {
			active = append(active, an.Article.ID)
		}
		if got := claimTexts(t, s, active...); !slices.Equal(got, indexed) {
			t.Errorf("sentences after the migration differ from those indexed before (%d claims, %d before)", len(got), len(indexed))
		}
		if !s.Postgres() { // every claim has its spans, indexed or not
			got := claimTexts(t, s)
			slices.Sort(got)
			if want := wantTexts(list); !slices.Equal(got, want) {
				t.Errorf("sentences of every claim after the migration differ from claimSentences' (%d claims, want %d)", len(got), len(want))
			}
		}

		fresh := db.store(t) // as old was, its claims with the same IDs
		for _, an := range list {
			mustPut(t, fresh, "k/"+an.Article.ID, an, t0)
		}
		if err := fresh.RemoveKey(ctx, "k/"+gone.Article.ID); err != nil {
			t.Fatal(err)
		}
		questions := []string{"who said Qatar told Hamas to leave?", "what did Hamas say about the election?",
			"when does the bridge close?", "Egypt talks?", "what did the council say about bus lanes?",
			"who won the chess championship?", "what did the minister say about the budget?"}
		found := 0
		same := func(s *Store, questions []string) {
			t.Helper()
			for _, q := range questions {
				got, want := search(t, s, q), search(t, fresh, q)
				if !slices.Equal(texts(got.Hits), texts(want.Hits)) || !slices.Equal(texts(got.Near), texts(want.Near)) {
					t.Errorf("%q: %v (near %v) after the migration; %v (near %v) in a fresh store", q,
						texts(got.Hits), texts(got.Near), texts(want.Hits), texts(want.Near))
					continue
				}
				for j, h := range got.Hits {
					found++
					w := want.Hits[j]
					if h.sentence != w.sentence || h.context != w.context || h.bm25 != w.bm25 {
						t.Errorf("%q, hit %d: sentence %q, context %q, bm25 %v after the migration; %q, %q, %v in a fresh store", q, j,
							h.sentence, h.context, h.bm25, w.sentence, w.context, w.bm25)
					}
				}
			}
		}
		same(s, questions)
		if found == 0 {
			t.Fatal("no hits to compare")
		}

		// The article no longer active is indexed again from its stored
		// claims.
		mustPut(t, s, "again", gone, t0)
		mustPut(t, fresh, "again", gone, t0)
		if got, want := claimTexts(t, s, gone.Article.ID), wantTexts([]*briefing.Analysis{gone}); !slices.Equal(slices.Sorted(slices.Values(got)), want) {
			t.Errorf("sentences of the article stored again: %q, want %q", got, want)
		}
		same(s, []string{"who said Qatar told Hamas to leave?"})

		// The triggers still take an article's rows out of the index.
		keys, err := s.Keys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for k := range keys {
			if err := s.RemoveKey(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d rows in the index with no article active, %v", n, err)
		}
	})
}

// claimsOf returns how many claims the analyses have.
func claimsOf(list []*briefing.Analysis) int {
	n := 0
	for _, an := range list {
		n += len(an.Claims)
	}
	return n
}

// claimHit returns the claim of the article with the index as a search
// reads it.
func claimHit(t testing.TB, s *Store, articleID string, idx int) Hit {
	t.Helper()
	join := ``
	if s.Postgres() {
		join = ` JOIN claims_fts f ON f.rowid = c.id`
	}
	hits, err := s.queryHits(context.Background(), false, 0, `SELECT `+s.hitCols()+`
		FROM claims c JOIN articles a ON a.id = c.article_id`+join+` WHERE c.article_id = ? AND c.idx = ?`, articleID, idx)
	if err != nil || len(hits) != 1 {
		t.Fatalf("claim %d of article %s: %d hits, %v", idx, articleID, len(hits), err)
	}
	return hits[0]
}

// indexedTerms returns what the FTS5 index table (in the schema: main,
// temp) holds of each claim, in the order of their articles and indexes:
// the claim, then each term with its column and position, in order
// (FTS5's instances, read with fts5vocab, which a contentless index has as
// any other). conn is a connection of the store (temp is its own).
func indexedTerms(t testing.TB, conn *sql.Conn, schema, table string) []string {
	t.Helper()
	ctx := context.Background()
	vocab := "temp." + table + "_instances"
	if _, err := conn.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS `+vocab+` USING fts5vocab(`+schema+`, `+table+`, instance)`); err != nil {
		t.Fatal(err)
	}
	list, err := queryRows(ctx, conn, func(row scanner) (string, error) {
		var id, terms string
		var idx int
		err := row.Scan(&id, &idx, &terms)
		return fmt.Sprintf("%s %d: %s", id, idx, terms), err
	}, `SELECT c.article_id, c.idx, x.terms
		FROM (SELECT doc, group_concat(term || ' ' || col || ' ' || offset, ' ' ORDER BY col, offset, term) AS terms
			FROM `+vocab+` GROUP BY doc) x
		JOIN claims c ON c.id = x.doc ORDER BY c.article_id, c.idx`)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// indexedTermsOf is indexedTerms of the store's search index.
func indexedTermsOf(t testing.TB, s *Store) []string {
	t.Helper()
	conn, err := s.db.sql.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	return indexedTerms(t, conn, "main", "claims_fts")
}

// An article indexed again (a key points at it after none did) shows the
// sentences it is indexed on now, even if the program that first stored it
// split them otherwise (its spans here made wrong by hand).
func TestReindexedArticleTakesNewSpans(t *testing.T) {
	s := openTest(t, testPath(t))
	ctx := context.Background()
	list := spansCorpus(t)[:3]
	for _, an := range list {
		if _, err := s.PutArticle(ctx, "k/"+an.Article.ID, an, t0); err != nil {
			t.Fatal(err)
		}
	}
	old := list[0].Article.ID
	if err := s.RemoveKey(ctx, "k/"+old); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE claims SET sent_start = 0, sent_end = 1, prev_start = 0, prev_end = 0, next_start = 1, next_end = 1 WHERE article_id = ?`, old); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutArticle(ctx, "k/again", list[0], t0); err != nil {
		t.Fatal(err)
	}
	got, want := claimTexts(t, s, old), wantTexts(list[:1])
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("texts of the article indexed again:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
