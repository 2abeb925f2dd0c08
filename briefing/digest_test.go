package briefing

import (
	"reflect"
	"testing"
	"time"
)

func TestMakeDigest(t *testing.T) {
	day := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	bullet := func(s string) Bullet { return Bullet{Line: s + " (someone)"} }
	bs := []Briefing{
		{ArticleID: "a", Headline: "Council approves new bus lanes on Main Street", Gist: "The city council voted to add bus lanes.", Score: 0.5, Published: day,
			Bullets: []Bullet{bullet("one"), bullet("two"), bullet("three"), bullet("four")}},
		{ArticleID: "b", Headline: "Hospital opens night clinic in Eastvale", Gist: "A walk-in clinic will stay open late.", Score: 0.9, Published: day},
		{ArticleID: "c", Headline: "Bus lanes on Main Street approved by council", Gist: "Council voted for bus lanes on Main Street.", Score: 0.4, Published: day},
		{ArticleID: "d", Headline: "Storm knocks out power to 4,000 homes", Gist: "Crews worked through the night.", Score: 0.5, Published: day.Add(48 * time.Hour)},
	}
	d := MakeDigest(bs, DigestOptions{})
	var order []string
	for _, s := range d.Stories {
		order = append(order, s.ArticleID)
	}
	// Importance first (b), then a recency bonus lifts the newest article
	// (d) above an equal score two days older (a); the two bus-lane
	// articles are one story, under the more important one.
	if want := []string{"b", "d", "a"}; !reflect.DeepEqual(order, want) {
		t.Fatalf("order %v, want %v", order, want)
	}
	if r := d.Stories[2].Related; len(r) != 1 || r[0].ArticleID != "c" {
		t.Errorf("related %+v, want c", r)
	}
	if n := len(d.Stories[2].Bullets); n != 3 {
		t.Errorf("%d bullets, want at most 3 per story", n)
	}
	if d.Articles() != 4 {
		t.Errorf("Articles() = %d", d.Articles())
	}

	// Size limits leave the rest out, most important first.
	small := MakeDigest(bs, DigestOptions{MaxArticles: 2})
	if len(small.Stories) != 2 || len(small.Omitted) != 2 || small.Omitted[0].ArticleID != "a" {
		t.Errorf("limited digest: %d stories, omitted %+v", len(small.Stories), small.Omitted)
	}

	// The same input gives the same digest.
	for i := range 10 {
		if again := MakeDigest(bs, DigestOptions{}); !reflect.DeepEqual(again, d) {
			t.Fatalf("run %d differs", i)
		}
	}
	if empty := MakeDigest(nil, DigestOptions{}); len(empty.Stories) != 0 {
		t.Errorf("empty: %+v", empty)
	}
}
