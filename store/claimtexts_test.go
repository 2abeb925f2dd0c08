package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// TestClaimTexts checks that ClaimTexts reads the speakers and texts of
// what Claims reads, article by article, in one list of IDs longer than a query binds (routeChunk),
// leaving out unknown articles and those without claims, and reading an
// article given twice once.
func TestClaimTexts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		a, b := qatar(""), qatar(" The talks resumed on Sunday.")
		bare := &briefing.Article{Name: "bare.txt", Title: "Bare", Body: "Nothing to see."}
		bare.ID = briefing.ContentID(bare.Title, "", "", time.Time{}, "", bare.Body)
		mustPut(t, s, "seeds/a.txt", a, t0)
		mustPut(t, s, "seeds/b.txt", b, t0)
		mustPut(t, s, "seeds/bare.txt", &briefing.Analysis{Article: bare}, t0)

		ids := []string{b.Article.ID}
		for i := range routeChunk {
			ids = append(ids, fmt.Sprintf("no-such-article-%d", i))
		}
		ids = append(ids, a.Article.ID, bare.ID, b.Article.ID) // in the second chunk, b again: read once
		got, err := s.ClaimTexts(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Errorf("claims of %d articles, want 2", len(got))
		}
		for _, id := range []string{a.Article.ID, b.Article.ID} {
			claims, err := s.Claims(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var want []ClaimText
			for _, c := range claims {
				want = append(want, ClaimText{Speaker: c.Speaker, Text: c.Text})
			}
			if len(want) == 0 || !reflect.DeepEqual(got[id], want) {
				t.Errorf("ClaimTexts(%s) =\n%+v\nwant\n%+v", id, got[id], want)
			}
		}
		if got, err := s.ClaimTexts(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("no IDs: %v, %v", got, err)
		}
	})
}
