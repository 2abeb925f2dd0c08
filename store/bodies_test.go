package store

import (
	"context"
	"testing"
)

// Bodies reads the bodies of the articles asked for, in one query, and
// leaves out the IDs it does not know.
func TestBodies(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		a, b := qatar(""), qatar(" The talks resumed on Sunday.")
		if _, err := s.PutArticle(ctx, "seeds/a.txt", a, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutArticle(ctx, "seeds/b.txt", b, t0); err != nil {
			t.Fatal(err)
		}
		got, err := s.Bodies(ctx, []string{b.Article.ID, "no-such-article", a.Article.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[a.Article.ID] != a.Article.Body || got[b.Article.ID] != b.Article.Body {
			t.Errorf("bodies: %d of them, %q", len(got), got)
		}
		if got, err := s.Bodies(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("no IDs: %v, %v", got, err)
		}
	})
}
