package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// A batch that fails in the middle of its transaction stores nothing of
// it: no key, no article, no claim, no row of the search index; put again,
// all of it is stored once.
//
// So too with puts prepared ahead (ArticlePut.Prepared, as a seeds sync
// makes them on its workers): the failed attempt leaves them as they were,
// and the same Prepared values are put again.
func TestPutArticlesAllOrNothing(t *testing.T) {
	for _, prepared := range []bool{false, true} {
		t.Run(fmt.Sprintf("prepared=%v", prepared), func(t *testing.T) { testPutArticlesAllOrNothing(t, prepared) })
	}
}

func testPutArticlesAllOrNothing(t *testing.T, prepared bool) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		mustPut(t, s, "seeds/before.txt", numbered(0), t0)
		var puts []ArticlePut
		for i := 1; i <= 6; i++ {
			puts = append(puts, ArticlePut{Key: fmt.Sprintf("seeds/%d.txt", i), Analysis: numbered(i), Now: t0.Add(time.Duration(i) * time.Second)})
			if prepared {
				p, err := Prepare(puts[i-1].Analysis)
				if err != nil {
					t.Fatal(err)
				}
				puts[i-1].Prepared = p
			}
		}
		failAt := errors.New("the process dies here")
		putArticlesHook = func(i int) error {
			if i == 4 {
				return failAt
			}
			return nil
		}
		_, err := s.PutArticles(ctx, puts)
		putArticlesHook = nil
		if !errors.Is(err, failAt) {
			t.Fatalf("PutArticles: %v, want the failure", err)
		}
		count := func(table string) int {
			var n int
			if err := s.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		claimsPer := len(numbered(0).Claims)
		if keys, _ := s.Keys(ctx); len(keys) != 1 || count("articles") != 1 || count("claims") != claimsPer || count("claims_fts") != claimsPer {
			t.Fatalf("after the failed batch: %d keys, %d articles, %d claims, %d index rows; want only the first article's",
				len(keys), count("articles"), count("claims"), count("claims_fts"))
		}

		added, err := s.PutArticles(ctx, puts)
		if err != nil || slices.Contains(added, false) {
			t.Fatalf("PutArticles again: %v, %v", added, err)
		}
		if keys, _ := s.Keys(ctx); len(keys) != 7 || count("articles") != 7 || count("claims") != 7*claimsPer || count("claims_fts") != 7*claimsPer {
			t.Fatalf("after the batch: %d keys, %d articles, %d claims, %d index rows", len(keys), count("articles"), count("claims"), count("claims_fts"))
		}
		res, err := s.Search(ctx, "Qatar Hamas leaders", SearchOptions{})
		if err != nil || res == nil || len(res.Hits) == 0 {
			t.Fatalf("search after the batch: %+v, %v", res, err)
		}
	})
}

// A batch stores what the same puts one at a time store, in the same
// arrival order: new articles, an article stored before under another
// key, a key that moves to another article, the same article twice.
func TestPutArticlesAsOneAtATime(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		puts := []ArticlePut{
			{Key: "seeds/a.txt", Analysis: numbered(1)},
			{Key: "seeds/b.txt", Analysis: numbered(2)},
			{Key: "seeds/c.txt", Analysis: numbered(0)}, // stored before, under old.txt, no longer active
			{Key: "seeds/d.txt", Analysis: numbered(3)},
			{Key: "seeds/e.txt", Analysis: numbered(3)}, // the same article again
			{Key: "seeds/moved.txt", Analysis: numbered(4)},
			{Key: "seeds/a.txt", Analysis: numbered(1)}, // unchanged
		}
		for i := range puts {
			puts[i].Now = t0.Add(time.Duration(i) * time.Second)
		}
		state := func(s *Store) string {
			keys, err := s.Keys(ctx)
			if err != nil {
				t.Fatal(err)
			}
			arts, err := s.VisibleArticles(ctx, "", 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			var order []string
			for _, a := range arts {
				order = append(order, a.Name)
			}
			claims, index := countRows(t, s, "claims"), countRows(t, s, "claims_fts")
			var rows []string
			if s.Postgres() {
				rows, err = queryRows(ctx, s.db, func(row scanner) (string, error) {
					var r indexRow
					var context string
					err := row.Scan(&r.text, &r.speaker, &r.role, &r.via, &r.headline, &r.sentence, &context)
					return fmt.Sprintf("%q", []string{r.text, r.speaker, r.role, r.via, r.headline, r.sentence, context}), err
				}, `SELECT f.text, f.speaker, f.role, f.via, f.headline, f.sentence, f.context
				FROM claims_fts f JOIN claims c ON c.id = f.rowid ORDER BY c.article_id, c.idx`)
				if err != nil {
					t.Fatal(err)
				}
			} else { // contentless: what it indexed, and what a search reads
				rows = append(indexedTermsOf(t, s), claimTexts(t, s)...)
			}
			return fmt.Sprintf("keys %v\narrivals %v\n%d claims, %d index rows\nindex %v\n%s", keys, order, claims, index, rows, storiesAndSpaces(t, s))
		}
		prepare := func() *Store {
			s := db.store(t)
			mustPut(t, s, "seeds/old.txt", numbered(0), t0)
			mustPut(t, s, "seeds/moved.txt", numbered(5), t0)
			if err := s.RemoveKey(ctx, "seeds/old.txt"); err != nil {
				t.Fatal(err)
			}
			return s
		}
		one := prepare()
		var want []bool
		for _, p := range puts {
			added, err := one.PutArticle(ctx, p.Key, p.Analysis, p.Now)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, added)
		}
		batch := prepare()
		got, err := batch.PutArticles(ctx, puts)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("added %v, one at a time %v", got, want)
		}
		if g, w := state(batch), state(one); g != w {
			t.Errorf("batch:\n%s\none at a time:\n%s", g, w)
		}

		// Prepared ahead, and one of them prepared of another analysis
		// (left aside: the put is prepared again).
		for i := range puts {
			an := puts[i].Analysis
			if i == 1 {
				an = numbered(7)
			}
			p, err := Prepare(an)
			if err != nil {
				t.Fatal(err)
			}
			puts[i].Prepared = p
		}
		ahead := prepare()
		if got, err = ahead.PutArticles(ctx, puts); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("prepared ahead: added %v, one at a time %v", got, want)
		}
		if g, w := state(ahead), state(one); g != w {
			t.Errorf("prepared ahead:\n%s\none at a time:\n%s", g, w)
		}
	})
}

// A batch that puts a key twice, to one new article then to another,
// leaves only the second in the search index, as two batches would: the
// first is no longer active.
func TestPutArticlesKeyTwice(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		_, err := s.PutArticles(ctx, []ArticlePut{
			{Key: "seeds/k.txt", Analysis: numbered(1), Now: t0},
			{Key: "seeds/k.txt", Analysis: numbered(2), Now: t0.Add(time.Second)},
		})
		if err != nil {
			t.Fatal(err)
		}
		var rows, claims int
		if err := s.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if err := s.db.QueryRow(`SELECT count(*) FROM claims WHERE article_id = ?`, numbered(2).Article.ID).Scan(&claims); err != nil {
			t.Fatal(err)
		}
		if rows != claims || claims == 0 {
			t.Errorf("%d rows in the search index, want the second article's %d", rows, claims)
		}
	})
}

// A batch whose context ends in the middle of its transaction (a seeds
// sync that lost its lease) stores nothing of it, though its statements
// are not each watched for the context's end, and its error says why the
// context ended.
func TestPutArticlesContextEnds(t *testing.T) {
	// Ended before the third article's put, or before the last one's:
	// then no check of the loop sees it, and the rollback that
	// database/sql makes when ctx ends is what undoes the batch.
	for _, at := range []int{2, 4} {
		t.Run(fmt.Sprintf("at=%d", at), func(t *testing.T) { testPutArticlesContextEnds(t, at) })
	}
}

func testPutArticlesContextEnds(t *testing.T, at int) {
	forEachDB(t, func(t *testing.T, db testDB) {
		s := db.store(t)
		lost := errors.New("the lease was lost")
		ctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		putArticlesHook = func(i int) error {
			if i == at {
				cancel(lost)
			}
			return nil
		}
		defer func() { putArticlesHook = nil }()
		var puts []ArticlePut
		for i := 1; i <= 5; i++ {
			puts = append(puts, ArticlePut{Key: fmt.Sprintf("seeds/%d.txt", i), Analysis: numbered(i), Now: t0})
		}
		if _, err := s.PutArticles(ctx, puts); !errors.Is(err, lost) {
			t.Fatalf("PutArticles = %v; want the context's cause, %v", err, lost)
		}
		bg := context.Background()
		keys, err := s.Keys(bg)
		if err != nil {
			t.Fatal(err)
		}
		var claims, index int
		if err := s.db.QueryRow(`SELECT count(*) FROM claims`).Scan(&claims); err != nil {
			t.Fatal(err)
		}
		if err := s.db.QueryRow(`SELECT count(*) FROM claims_fts`).Scan(&index); err != nil {
			t.Fatal(err)
		}
		if len(keys) != 0 || claims != 0 || index != 0 {
			t.Errorf("after the batch: keys %v, %d claims, %d index rows; want none", keys, claims, index)
		}
		if _, err := s.PutArticles(bg, puts); err != nil {
			t.Fatal(err)
		}
		if keys, _ := s.Keys(bg); len(keys) != len(puts) {
			t.Errorf("put again: %d keys, want %d", len(keys), len(puts))
		}
	})
}

// storiesAndSpaces describes the store's story of each article and its
// rows of space_articles, in order: what tests comparing two ways of
// storing the same articles compare besides the articles.
func storiesAndSpaces(t *testing.T, s *Store) string {
	t.Helper()
	ctx := context.Background()
	stories, err := queryRows(ctx, s.db, func(row scanner) (string, error) {
		var a, st string
		err := row.Scan(&a, &st)
		return a + " in " + st, err
	}, `SELECT article_id, story FROM article_stories ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	spaces, err := queryRows(ctx, s.db, func(row scanner) (string, error) {
		var sp, a string
		var active int
		err := row.Scan(&sp, &a, &active)
		return fmt.Sprintf("%q %s %d", sp, a, active), err
	}, `SELECT space, article_id, active FROM space_articles ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("stories %v\nspaces %v", stories, spaces)
}

// countRows counts the rows of the table.
func countRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
