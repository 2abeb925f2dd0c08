package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// The driver is built with FTS5, and the porter tokenizer with it.
func TestFTS5Available(t *testing.T) {
	s := newTestStore(t)
	var used int
	if err := s.db.QueryRow(`SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&used); err != nil || used != 1 {
		t.Fatalf("ENABLE_FTS5: %d, %v", used, err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM claims_fts WHERE claims_fts MATCH '"elections"'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
}

func seedAnalysis(t testing.TB) *briefing.Analysis {
	t.Helper()
	data, err := os.ReadFile("../seeds/000_d0f21df6df0c1ae4.txt")
	if err != nil {
		t.Fatal(err)
	}
	a, err := briefing.Parse("000_d0f21df6df0c1ae4.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	return briefing.Analyze(a, briefing.Options{})
}

const bridgeText = `---
title: Riverside bridge to close for six months
source: Valley Courier
url: https://example.org/news/riverside-bridge
published: 2024-11-01
---
The Riverside Avenue bridge will close for six months from January, the city's public works department said on Monday.

"The deck is cracking faster than we expected," said Maria Lopez, the department's chief engineer. Lopez said drivers would be sent over the Mill Street crossing.

Shop owners on Riverside Avenue said they feared losing customers.`

func bridgeAnalysis(t testing.TB) *briefing.Analysis {
	t.Helper()
	a, err := briefing.Parse("bridge.txt", []byte(bridgeText))
	if err != nil {
		t.Fatal(err)
	}
	return briefing.Analyze(a, briefing.Options{})
}

func search(t *testing.T, s *Store, q string) *SearchResult {
	t.Helper()
	res, err := s.Search(context.Background(), q, SearchOptions{Attributed: true, Now: t0})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return res
}

func TestSearchSeed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		s := db.store(t)
		mustPut(t, s, "seeds/seed", seedAnalysis(t), t0)
		mustPut(t, s, "seeds/bridge", bridgeAnalysis(t), t0)
		for _, tt := range []struct {
			q, text, speaker string
		}{
			{"what did Hamas say about the election?", "The election of Trump", "Basem Naim"},
			{"who said Qatar told Hamas to leave?", "prepare to leave the country", "anonymous Biden administration officials"},
			{"what is Trump's position on Gaza?", "end the war in Gaza", "Donald Trump"},
			{"when does the bridge close?", "bridge will close", "city's public works department"},
			{"what did the engineer say about the deck?", "cracking", "Maria Lopez"},
		} {
			res := search(t, s, tt.q)
			if len(res.Hits) == 0 {
				t.Errorf("%q: no hits (near %v)", tt.q, texts(res.Near))
				continue
			}
			h := res.Hits[0]
			if !strings.Contains(h.Claim.Text, tt.text) || h.Claim.Speaker != tt.speaker {
				t.Errorf("%q: first hit %q by %q; want %q by %q (all: %v)", tt.q, h.Claim.Text, h.Claim.Speaker, tt.text, tt.speaker, texts(res.Hits))
			}
			if h.Article.Headline == "" || h.Article.ID == "" {
				t.Errorf("%q: hit without its article: %+v", tt.q, h.Article)
			}
		}
		// Accents and case are folded, and names match the words they begin.
		found := false
		for _, h := range search(t, s, "ÉLECTION of the 47th président?").Hits {
			found = found || strings.HasPrefix(h.Claim.Text, "The election of Trump")
		}
		if !found {
			t.Errorf("ÉLECTION of Trump: Naim's quote not found")
		}
		if res := search(t, s, "Egypt talks?"); len(res.Hits) == 0 || res.Hits[0].Claim.Speaker != "Egyptian sources" {
			t.Errorf("Egypt talks: %v", texts(res.Hits))
		}
		for _, q := range []string{
			"what did the mayor say about the volcano eruption?",
			"who won the chess championship?",
			"bitcoin price forecast",
		} {
			if res := search(t, s, q); len(res.Hits) != 0 {
				t.Errorf("%q: hits %v; want none", q, texts(res.Hits))
			}
		}
	})
}

func texts(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Claim.Speaker+": "+h.Claim.Text)
	}
	return out
}

// Nothing a user types reaches FTS5 as syntax.
func TestSearchNeutralizesSyntax(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		s := db.store(t)
		mustPut(t, s, "seeds/seed", seedAnalysis(t), t0)
		for _, q := range []string{
			`"`, `"Hamas`, `Hamas*`, `NEAR(Hamas Qatar)`, `Hamas AND`, `OR Qatar`, `NOT`, `(Qatar`, `Qatar)`,
			`speaker:Trump`, `{speaker}: Trump`, `^Trump`, `Hamas + - Qatar`, `'; DROP TABLE claims; --`,
			"\xff\xfeHamas", "", "?!?...", strings.Repeat("Qatar ", 500), `text:"Hamas" NEAR/2`,
		} {
			if _, err := s.Search(context.Background(), q, SearchOptions{Now: t0}); err != nil {
				t.Errorf("search %q: %v", q, err)
			}
			if _, _, err := s.ClaimsBySpeaker(context.Background(), Global, q, 10); err != nil {
				t.Errorf("claims by %q: %v", q, err)
			}
		}
		if got := queryTerms(`What did "Hamas*" say (NEAR Qatar) AND about speaker:Trump's ^position?`); strings.Join(got, " ") != "hamas qatar trump position" {
			t.Errorf("terms: %q", got)
		}
		for q, want := range map[string]string{
			`text:Hamas`:                          "hamas",
			`-speaker: Trump OR {text role}:Gaza`: "trump gaza",
			`NEAR(Hamas Qatar, 5) NEAR/3`:         "hamas qatar",
			`Trump: position 2024?`:               "trump position 2024",
		} {
			if got := strings.Join(queryTerms(q), " "); got != want {
				t.Errorf("terms of %q: %q; want %q", q, got, want)
			}
		}
		if got := queryTerms("what did they say?"); len(got) != 0 {
			t.Errorf("terms of a question with no topic: %q", got)
		}
	})
}

// Only active articles are found: removing the last key of an article, or
// pointing it at another article, takes the claims out of the index, and
// storing it again brings them back.
func TestSearchFollowsActiveArticles(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		s := db.store(t)
		ctx := context.Background()
		seed := seedAnalysis(t)
		mustPut(t, s, "seeds/seed", seed, t0)
		mustPut(t, s, "feed/seed", seed, t0) // the same article from another key
		q := "what did Hamas say about the election?"
		if len(search(t, s, q).Hits) == 0 {
			t.Fatal("no hits")
		}
		if err := s.RemoveKey(ctx, "seeds/seed"); err != nil {
			t.Fatal(err)
		}
		if len(search(t, s, q).Hits) == 0 {
			t.Fatal("no hits while another key holds the article")
		}
		mustPut(t, s, "feed/seed", bridgeAnalysis(t), t0) // the key moves to another article
		if res := search(t, s, q); len(res.Hits) != 0 || len(res.Near) != 0 {
			t.Fatalf("inactive article found: %v %v", texts(res.Hits), texts(res.Near))
		}
		if hits, n, err := s.ClaimsBySpeaker(ctx, Global, "Naim", 10); err != nil || n != 0 || len(hits) != 0 {
			t.Fatalf("claims of an inactive article: %v, %d, %v", texts(hits), n, err)
		}
		if len(search(t, s, "bridge deck cracking").Hits) == 0 {
			t.Fatal("new article not indexed")
		}
		mustPut(t, s, "seeds/seed", seed, t0)
		if len(search(t, s, q).Hits) == 0 {
			t.Fatal("article stored again is not found")
		}
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&n); err != nil || n != len(seed.Claims)+len(bridgeAnalysis(t).Claims) {
			t.Errorf("%d rows in the index, %v", n, err)
		}
		if err := s.RemoveKey(ctx, "seeds/seed"); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveKey(ctx, "feed/seed"); err != nil {
			t.Fatal(err)
		}
		if err := s.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d rows in the index with no article active, %v", n, err)
		}
	})
}

// The migration indexes the claims stored before it, of active articles
// only.
func TestSearchMigrationBackfills(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		path := db.fresh(t)
		ctx := context.Background()
		old, err := openAt(ctx, path, 4) // the version before the search index
		if err != nil {
			t.Fatal(err)
		}
		seed := seedAnalysis(t)
		for _, an := range []*briefing.Analysis{seed, bridgeAnalysis(t)} {
			if _, err := old.db.ExecContext(ctx, `INSERT INTO articles (id, name, path, title, derived, source, url,
			published, author, ingested_at, headline, gist, bullets, body) VALUES (?, ?, '', ?, 0, ?, '', '', '', 0, ?, '', '[]', ?)`,
				an.Article.ID, an.Article.Name, an.Article.Title, an.Article.Source, an.Briefing.Headline, an.Article.Body); err != nil {
				t.Fatal(err)
			}
			if err := old.db.write(ctx, func(tx *tx) error {
				return insertVersion1Claims(ctx, tx, an.Article.ID, an.Claims)
			}); err != nil {
				t.Fatal(err)
			}
		}
		// Only the seed is active.
		if _, err := old.db.ExecContext(ctx, `INSERT INTO sources (key, article_id, updated_at) VALUES ('seeds/seed', ?, 0)`, seed.Article.ID); err != nil {
			t.Fatal(err)
		}
		old.Close()

		s := openTest(t, path)
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&n); err != nil || n != len(seed.Claims) {
			t.Fatalf("%d rows indexed, want %d: %v", n, len(seed.Claims), err)
		}
		res := search(t, s, "who said Qatar told Hamas to leave?")
		if len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Claim.Text, "prepare to leave") {
			t.Errorf("after the migration: %v", texts(res.Hits))
		}
		// The source sentence and its context were filled in by Go.
		h := res.Hits[0]
		if !strings.HasPrefix(h.sentence, "According to anonymous Biden administration officials") ||
			!strings.Contains(h.context, "Qatar has reportedly begun") || !strings.Contains(h.context, "Qatar has been a key player") {
			t.Errorf("sentence %q, context %q", h.sentence, h.context)
		}
	})
}

func TestClaimsBySpeaker(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		s := db.store(t)
		ctx := context.Background()
		mustPut(t, s, "seeds/seed", seedAnalysis(t), t0)
		mustPut(t, s, "seeds/bridge", bridgeAnalysis(t), t0.Add(time.Hour))
		for _, tt := range []struct {
			name     string
			speakers []string
		}{
			{"Naim", []string{"Basem Naim", "Basem Naim"}},
			{"basem naim", []string{"Basem Naim", "Basem Naim"}},
			{"NAÏM", []string{"Basem Naim", "Basem Naim"}},
			{"Hamas officials", []string{"Hamas officials", "Hamas officials"}},
			{"Hamas official", []string{"Hamas officials", "Hamas officials"}},
			{"Hamas", []string{"Hamas officials", "Hamas officials", "Basem Naim", "Basem Naim"}},
			{"Trump", []string{"Donald Trump", "Donald Trump", "Donald Trump"}},
			{"Lopez", []string{"Maria Lopez", "Maria Lopez"}},
			{"Ms. Maria Lopez", []string{"Maria Lopez", "Maria Lopez"}},
			{"Biden administration", []string{"anonymous Biden administration officials", "anonymous Biden administration official"}},
			{"Putin", nil},
			{"the", nil},
			{"May", nil},
		} {
			hits, n, err := s.ClaimsBySpeaker(ctx, Global, tt.name, 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.Claim.Speaker)
			}
			if strings.Join(got, "|") != strings.Join(tt.speakers, "|") || n != len(tt.speakers) {
				t.Errorf("%q: %d %q; want %q", tt.name, n, got, tt.speakers)
			}
		}
		if got := NameTerms("May"); len(got) != 1 || got[0] != "may" {
			t.Errorf("NameTerms(May) = %q", got)
		}
		if got := NameTerms("Dr. Hannah of the Lowe"); strings.Join(got, " ") != "hannah lowe" {
			t.Errorf("NameTerms = %q", got)
		}
		hits, n, err := s.ClaimsBySpeaker(ctx, Global, "Hamas", 1)
		if err != nil || len(hits) != 1 || n != 4 {
			t.Errorf("limited: %d of %d, %v", len(hits), n, err)
		}
	})
}

// A claim whose speaker is unsure keeps the mark in the store: Claims,
// Claim and the search read it back, and it is nobody's in /claims and the
// list of speakers.
func TestSpeakerUnsureStored(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	a, err := briefing.Parse("poll.txt", []byte("The county released its survey of 900 renters on Monday.\n\n"+
		"Twenty-four percent said their rent had doubled since the mill closed in the spring."))
	if err != nil {
		t.Fatal(err)
	}
	an := briefing.Analyze(a, briefing.Options{})
	idx := -1
	for i, c := range an.Claims {
		if strings.Contains(c.Text, "rent had doubled") && c.Attributed() {
			idx = i
		}
	}
	if idx < 0 || !an.Claims[idx].SpeakerUnsure {
		t.Fatalf("the engine does not mark the share's claim unsure: %+v", an.Claims)
	}
	mustPut(t, s, "seeds/poll", an, t0)
	claims, err := s.Claims(ctx, a.ID)
	if err != nil || !claims[idx].SpeakerUnsure {
		t.Errorf("Claims lost speaker_unsure: %+v, %v", claims, err)
	}
	if c, err := s.Claim(ctx, a.ID, idx); err != nil || !c.SpeakerUnsure {
		t.Errorf("Claim lost speaker_unsure: %+v, %v", c, err)
	}
	res, err := s.Search(ctx, "rent doubled mill closed", SearchOptions{Attributed: true, Now: t0})
	if err != nil || len(res.Hits) == 0 || !res.Hits[0].Claim.SpeakerUnsure {
		t.Errorf("the search lost speaker_unsure: %+v, %v", res, err)
	}
	if hits, total, err := s.ClaimsBySpeaker(ctx, Global, "Twenty-four percent", 0); err != nil || total != 0 {
		t.Errorf("ClaimsBySpeaker credits an unsure speaker: %+v, %d, %v", hits, total, err)
	}
	if sp, err := s.Speakers(ctx, Global, 10); err != nil || slices.Contains(sp, an.Claims[idx].Speaker) && an.Claims[idx].Speaker != "" {
		t.Errorf("Speakers lists an unsure speaker: %v, %v", sp, err)
	}
}

// Claims stored before speaker_unsure existed are unsure when they are
// someone's but name no one.
func TestSpeakerUnsureAfterUpgrade(t *testing.T) {
	path := testPath(t)
	ctx := context.Background()
	old, err := openVersion(ctx, path, 7) // the version before speaker_unsure (migration 8)
	if err != nil {
		t.Fatal(err)
	}
	an := qatar("")
	an.Claims[1].Speaker = "" // as an older engine stored a speaker it could not name
	putVersion1(t, old, "seeds/a.txt", an, t0)
	old.Close()
	s := openTest(t, path)
	claims, err := s.Claims(ctx, an.Article.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !claims[1].SpeakerUnsure || claims[0].SpeakerUnsure || claims[3].SpeakerUnsure {
		t.Errorf("after the upgrade: %+v", claims)
	}
}

// Merging the search index changes no search, and leaves the index in one
// segment on SQLite (one per article stored before).
func TestMergeSearchIndex(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		s := db.store(t)
		mustPut(t, s, "seeds/seed", seedAnalysis(t), t0)
		mustPut(t, s, "seeds/bridge", bridgeAnalysis(t), t0)
		questions := []string{"what did Hamas say about the election?", "when does the bridge close?", "Egypt talks?", "who won the chess championship?"}
		var before []*SearchResult
		for _, q := range questions {
			before = append(before, search(t, s, q))
		}
		segments := func() int {
			var n int
			if err := s.db.QueryRow(`SELECT count(DISTINCT segid) FROM claims_fts_idx`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		var n int
		if !s.Postgres() {
			n = segments()
		}
		for range 2 {
			if err := s.MergeSearchIndex(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if !s.Postgres() {
			if m := segments(); m >= n || m != 1 {
				t.Errorf("index rows: %d before, %d after; want 1 after", n, m)
			}
		}
		for i, q := range questions {
			after := search(t, s, q)
			if !slices.Equal(texts(after.Hits), texts(before[i].Hits)) || !slices.Equal(texts(after.Near), texts(before[i].Near)) {
				t.Errorf("%q: %v (near %v) after merging; %v (near %v) before", q,
					texts(after.Hits), texts(after.Near), texts(before[i].Hits), texts(before[i].Near))
			}
		}
	})
}

// The terms' counts follow the index, whoever writes to it: SQLite's are
// kept between searches for as long as the index is the same (dfCache).
func TestDocFreqsFollowTheIndex(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		loc := db.fresh(t)
		s, other := openTest(t, loc), openTest(t, loc) // other: another process
		ctx := context.Background()
		df := func(question string) []float64 { t.Helper(); return docFreqsOf(t, s, question) }
		q := "Hamas election bridge deck"
		if got := df(q); !slices.Equal(got, []float64{0, 0, 0, 0}) {
			t.Fatalf("empty index: %v", got)
		}
		mustPut(t, s, "seeds/seed", seedAnalysis(t), t0)
		seed := df(q)
		if seed[0] == 0 || seed[1] == 0 || seed[2] != 0 || seed[3] != 0 {
			t.Fatalf("with the seed: %v", seed)
		}
		if got := df(q); !slices.Equal(got, seed) {
			t.Fatalf("asked again: %v, want %v", got, seed)
		}
		mustPut(t, other, "feed/bridge", bridgeAnalysis(t), t0)
		both := df(q)
		if !slices.Equal(both[:2], seed[:2]) || both[2] == 0 || both[3] == 0 {
			t.Fatalf("with the bridge stored by another store: %v", both)
		}
		if got := df("bridge deck"); !slices.Equal(got, both[2:]) {
			t.Fatalf("bridge deck: %v, want %v", got, both[2:])
		}
		if err := other.RemoveKey(ctx, "seeds/seed"); err != nil {
			t.Fatal(err)
		}
		if got := df(q); got[0] != 0 || got[1] != 0 || !slices.Equal(got[2:], both[2:]) {
			t.Fatalf("with the seed removed by another store: %v", got)
		}
	})
}

// Migration 12 rebuilds SQLite's index with the context stored but not
// indexed: the claims indexed before it are found as they are in a store
// made at the current version, with their sentence and context, and the
// triggers that take rows out of the index still do (on PostgreSQL the
// step changes nothing). (The articles are written with the SQL of
// version 12: this program's writes need the columns of later steps.)
func TestSearchContextUnindexedMigration(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		path := db.fresh(t)
		ctx := context.Background()
		old, err := openAt(ctx, path, 11) // the version before context UNINDEXED (migration 12)
		if err != nil {
			t.Fatal(err)
		}
		putVersion12(t, old, "seeds/seed", seedAnalysis(t), t0)
		putVersion12(t, old, "seeds/bridge", bridgeAnalysis(t), t0)
		var rows int
		if err := old.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&rows); err != nil || rows == 0 {
			t.Fatalf("%d rows indexed before the migration: %v", rows, err)
		}
		old.Close()
		fresh := db.store(t)
		mustPut(t, fresh, "seeds/seed", seedAnalysis(t), t0)
		mustPut(t, fresh, "seeds/bridge", bridgeAnalysis(t), t0)
		questions := []string{"who said Qatar told Hamas to leave?", "what did Hamas say about the election?",
			"when does the bridge close?", "Egypt talks?", "who won the chess championship?"}
		var before []*SearchResult
		for _, q := range questions {
			before = append(before, search(t, fresh, q))
		}

		s := openTest(t, path)
		if !s.Postgres() {
			var schema string
			if err := s.db.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'claims_fts'`).Scan(&schema); err != nil || !strings.Contains(schema, "context UNINDEXED") {
				t.Errorf("claims_fts after the migration: %q, %v", schema, err)
			}
		}
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&n); err != nil || n != rows {
			t.Errorf("%d rows indexed after the migration, %d before: %v", n, rows, err)
		}
		found := 0
		for i, q := range questions {
			after := search(t, s, q)
			if !slices.Equal(texts(after.Hits), texts(before[i].Hits)) || !slices.Equal(texts(after.Near), texts(before[i].Near)) {
				t.Errorf("%q: %v (near %v) after the migration; %v (near %v) in a new store", q,
					texts(after.Hits), texts(after.Near), texts(before[i].Hits), texts(before[i].Near))
				continue
			}
			for j, h := range after.Hits {
				found++
				if h.sentence != before[i].Hits[j].sentence || h.context != before[i].Hits[j].context {
					t.Errorf("%q, hit %d: sentence %q, context %q after the migration; %q, %q in a new store", q, j,
						h.sentence, h.context, before[i].Hits[j].sentence, before[i].Hits[j].context)
				}
			}
		}
		if found == 0 {
			t.Fatal("no hits to compare")
		}
		// The context is returned with the hit.
		res := search(t, s, questions[0])
		if len(res.Hits) == 0 || !strings.Contains(res.Hits[0].context, "Qatar has reportedly begun") {
			t.Errorf("after the migration: %v, context %q", texts(res.Hits), func() string {
				if len(res.Hits) == 0 {
					return ""
				}
				return res.Hits[0].context
			}())
		}
		// The triggers still take an article's rows out of the index.
		if err := s.RemoveKey(ctx, "seeds/seed"); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveKey(ctx, "seeds/bridge"); err != nil {
			t.Fatal(err)
		}
		if err := s.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d rows in the index with no article active, %v", n, err)
		}
	})
}

// The terms' counts kept on SQLite follow the store's own writes without
// being counted again (the counts kept are moved to the index's new
// version) where the rows added are known to be exactly what changed, and
// are counted again otherwise; on both databases the counts are always
// those of the index.
func TestDocFreqsFollowOwnWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		loc := db.fresh(t)
		s := openTest(t, loc)
		ctx := context.Background()
		// Names (prefixes), an irregular verb's forms, words of the
		// headline only, a word no article has.
		const q = "Hamas officials Riverside deck closing Lopez chose shops Valley Egypt zebra cafe"
		df := func(s *Store) []float64 { t.Helper(); return docFreqsOf(t, s, q) }
		// advanced reports whether the counts kept are of the index as
		// it is, with no search since the write.
		advanced := func() bool {
			if s.db.d.postgres {
				return true
			}
			var ver []byte
			if err := s.db.QueryRow(`SELECT block FROM claims_fts_data WHERE id = 10`).Scan(&ver); err != nil {
				t.Fatal(err)
			}
			return s.dfs.kept() && bytes.Equal(s.dfs.lookup(func(func(string) (float64, bool)) {}), ver)
		}
		article := func(n int, title, body string) *briefing.Analysis {
			t.Helper()
			text := strings.Replace(bridgeText, "title: Riverside bridge to close for six months", "title: "+title, 1)
			text = strings.Replace(text, "riverside-bridge", fmt.Sprintf("story-%d", n), 1)
			if body != "" {
				text += "\n\n" + body
			}
			a, err := briefing.Parse(fmt.Sprintf("story-%d.txt", n), []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			return briefing.Analyze(a, briefing.Options{})
		}
		check := func(step string, wantAdvanced bool) {
			t.Helper()
			if wantAdvanced && !advanced() {
				t.Errorf("%s: the counts kept were not moved to the index's new version", step)
			}
			got, want := df(s), df(openTest(t, loc))
			if !slices.Equal(got, want) {
				t.Errorf("%s: counts %v, want %v", step, got, want)
			}
		}
		mustPut(t, s, "seeds/seed", seedAnalysis(t), t0)
		check("the seed", false)
		mustPut(t, s, "feed/bridge", bridgeAnalysis(t), t0)
		check("an article", true)
		mustPut(t, s, "feed/1", article(1, "Egypt officials chose a new bridge", `"We chose the Egyptian plan," said Hamas official Omar Lopez. Lopez said the closing of shops was "a choice" (Valley Courier).`), t0)
		check("an article with names and an irregular verb", true)
		if _, err := s.PutArticles(ctx, []ArticlePut{
			{Key: "feed/2", Analysis: article(2, "Second bridge story", `"Shops are closing," Hamas officials said.`), Now: t0},
			{Key: "feed/3", Analysis: article(3, "Third bridge story", `"Zebras chose the deck," said Lopezz.`), Now: t0},
		}); err != nil {
			t.Fatal(err)
		}
		check("a batch", true)
		mustPut(t, s, "feed/4", article(4, "Café story", `"The café is closing," said Lopez, the café’s owner.`), t0)
		check("an article with accents", false) // counted again
		df(s)
		mustPut(t, s, "feed/1", article(5, "Another bridge story", `"We chose to stay," said Lopez.`), t0)
		check("a key moved to another article", false)
		if err := s.RemoveKey(ctx, "feed/2"); err != nil {
			t.Fatal(err)
		}
		check("a key removed", false)
		mustPut(t, s, "feed/6", article(6, "Sixth bridge story", `"We will reopen the deck," said Lopez.`), t0)
		check("an article after all that", true)
		if err := s.MergeSearchIndex(ctx); err != nil {
			t.Fatal(err)
		}
		check("the index merged", true)
		mustPut(t, openTest(t, loc), "feed/7", article(7, "Seventh bridge story", `"Hamas chose Egypt," said Lopez.`), t0)
		check("an article stored by another process", false)
	})
}

// docFreqsOf returns the counts of documents s weighs the terms of
// question by, in the question's order.
func docFreqsOf(t *testing.T, s *Store, question string) []float64 {
	t.Helper()
	terms := parseQuestion(question)
	if err := s.weigh(context.Background(), terms); err != nil {
		t.Fatal(err)
	}
	var dfs []float64
	for _, x := range terms {
		dfs = append(dfs, x.df)
	}
	return dfs
}
