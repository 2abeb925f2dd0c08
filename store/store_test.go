package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

var t0 = time.Date(2024, 11, 8, 14, 0, 0, 0, time.UTC)

func testPath(t testing.TB) string { return filepath.Join(t.TempDir(), "briefbot.db") }

func openTest(t testing.TB, path string) *Store {
	t.Helper()
	s, err := openAt(context.Background(), path, len(migrations))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newTestStore(t testing.TB) *Store { return openTest(t, testPath(t)) }

const qatarBody = `According to anonymous Biden administration officials, the Qatari government has told Hamas leaders hiding in Qatar that they must prepare to leave the country.

"After rejecting repeated proposals to release hostages, its leaders should no longer be welcome in the capitals of any American partner," the official told Reuters, speaking on the condition of anonymity.

Hamas officials disputed the White House source's narrative, stating that Qatar never told Hamas leaders they were no longer welcome in the country.

This report dropped Friday amidst a flurry of activity in the Hamas-Israel conflict.`

// qatar returns a hand-made analysis of a news article; edit changes its
// content (and so its ID).
func qatar(edit string) *briefing.Analysis {
	body := qatarBody + edit
	a := &briefing.Article{
		Name:      "000_d0f21df6df0c1ae4.txt",
		Path:      "seeds/000_d0f21df6df0c1ae4.txt",
		Title:     "Qatar tells Hamas leaders to prepare to leave",
		Source:    "Newsweek",
		URL:       "https://www.newsweek.com/qatar-hamas-leaders-leave-1982345",
		Published: time.Date(2024, 11, 8, 9, 30, 0, 0, time.FixedZone("EST", -5*3600)),
		Author:    "Jane Doe",
		Body:      body,
	}
	a.ID = briefing.ContentID(a.Title, a.Source, a.URL, a.Published, a.Author, a.Body)
	span := func(s string) (int, int) {
		i := strings.Index(body, s)
		if i < 0 {
			panic("no " + s)
		}
		return i, i + len(s)
	}
	var claims []briefing.Claim
	add := func(c briefing.Claim, span0 string, sentence int) {
		c.Start, c.End = span(span0)
		c.Sentence = sentence
		claims = append(claims, c)
	}
	add(briefing.Claim{
		Text:    "The Qatari government has told Hamas leaders hiding in Qatar that they must prepare to leave the country.",
		Speaker: "Biden administration officials", Kind: briefing.AccordingTo, Anonymous: true,
	}, "According to anonymous Biden administration officials, the Qatari government has told Hamas leaders hiding in Qatar that they must prepare to leave the country.", 0)
	add(briefing.Claim{
		Text:    "After rejecting repeated proposals to release hostages, its leaders should no longer be welcome in the capitals of any American partner,",
		Speaker: "the official", SpeakerRole: "Biden administration official", Kind: briefing.Direct,
		Verb: "told", Via: "Reuters", Anonymous: true, Verbatim: true,
	}, "After rejecting repeated proposals to release hostages, its leaders should no longer be welcome in the capitals of any American partner,", 1)
	add(briefing.Claim{
		Text:    "Qatar never told Hamas leaders they were no longer welcome in the country.",
		Speaker: "Hamas officials", Kind: briefing.Indirect, Verb: "disputed",
	}, "Hamas officials disputed the White House source's narrative, stating that Qatar never told Hamas leaders they were no longer welcome in the country.", 2)
	add(briefing.Claim{
		Text: "This report dropped Friday amidst a flurry of activity in the Hamas-Israel conflict.",
		Kind: briefing.Unattributed,
	}, "This report dropped Friday amidst a flurry of activity in the Hamas-Israel conflict.", 3)

	b0 := briefing.Bullet{Claim: claims[0],
		Line:        "Qatar told Hamas leaders to prepare to leave the country, according to anonymous Biden administration officials.",
		Attribution: "anonymous Biden administration officials"}
	b1 := briefing.Bullet{Claim: claims[1],
		Line:        `Hamas leaders "should no longer be welcome in the capitals of any American partner," an anonymous official told Reuters.`,
		Attribution: "an anonymous Biden administration official, via Reuters"}
	b2 := briefing.Bullet{Claim: claims[2],
		Line:        "Hamas officials disputed that Qatar told them they were no longer welcome.",
		Attribution: "Hamas officials"}
	return &briefing.Analysis{
		Article: a,
		Claims:  claims,
		Briefing: briefing.Briefing{
			ArticleID: a.ID, Article: a.Name, Source: a.Source, URL: a.URL, Published: a.Published,
			Headline: "Qatar tells Hamas leaders to leave, U.S. officials say",
			Gist:     "Qatar has told Hamas's political leaders to prepare to leave Doha, U.S. officials say; Hamas denies it.",
			Bullets:  []briefing.Bullet{b0, b1, b2},
		},
	}
}

// numbered returns a distinct hand-made analysis, for filling stores.
func numbered(i int) *briefing.Analysis {
	an := qatar(fmt.Sprintf("\n\nUpdate %d: talks continued on Election Day.", i))
	a := *an.Article
	a.Name = fmt.Sprintf("%03d_article.txt", i)
	a.Path = "seeds/" + a.Name
	a.Title = fmt.Sprintf("Story %d: %s", i, a.Title)
	a.ID = briefing.ContentID(a.Title, a.Source, a.URL, a.Published, a.Author, a.Body)
	an.Article = &a
	an.Briefing.ArticleID, an.Briefing.Article = a.ID, a.Name
	return an
}

func mustPut(t testing.TB, s *Store, key string, an *briefing.Analysis, now time.Time) bool {
	t.Helper()
	added, err := s.PutArticle(context.Background(), key, an, now)
	if err != nil {
		t.Fatal(err)
	}
	return added
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// sameTime checks *got == want and clears both so DeepEqual can compare
// what holds them.
func sameTime(t *testing.T, what string, got, want *time.Time) {
	t.Helper()
	if !got.Equal(*want) {
		t.Errorf("%s = %v, want %v", what, *got, *want)
	}
	*got, *want = time.Time{}, time.Time{}
}

func TestOpenPragmas(t *testing.T) {
	ctx := context.Background()
	// A path with characters that mean something in a URI.
	path := filepath.Join(t.TempDir(), "brief bot?x=1#frag%20.db")
	s := openTest(t, path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %q: %v", path, err)
	}
	// Hold several connections at once so the pool opens new ones; each
	// must be configured.
	var conns []interface{ Close() error }
	for i := 0; i < 3; i++ {
		c, err := s.db.sql.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		for pragma, want := range map[string]string{
			"journal_mode": "wal", "busy_timeout": "5000", "foreign_keys": "1", "synchronous": "1",
		} {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("conn %d: PRAGMA %s = %s, want %s", i, pragma, got, want)
			}
		}
	}
	for _, c := range conns {
		c.Close()
	}
	// Foreign keys are enforced.
	_, err := s.db.ExecContext(ctx, `INSERT INTO sources (key, article_id, updated_at) VALUES ('k', 'nope', 0)`)
	if err == nil {
		t.Error("inserting a source for a missing article succeeded")
	}
}

func TestOpenConcurrently(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		// Several stores create and migrate the same new file at once.
		path := db.fresh(t)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := openAt(context.Background(), path, len(migrations))
				if err != nil {
					t.Error(err)
					return
				}
				defer s.Close()
				if err := s.SetState(context.Background(), fmt.Sprint("opener ", i), "ok"); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		s := openTest(t, path)
		if v := userVersion(t, s); v != len(migrations) {
			t.Errorf("user_version = %d, want %d", v, len(migrations))
		}
	})
}

func TestImmediateTransactions(t *testing.T) {
	// A transaction holds the write lock from its start: a second one, on
	// another connection, waits (here: gives up when its context ends).
	ctx := context.Background()
	s := newTestStore(t)
	tx, err := s.db.sql.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ctx2, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if tx2, err := s.db.sql.BeginTx(ctx2, nil); err == nil {
		tx2.Rollback()
		t.Fatal("second transaction began while the first held the write lock")
	}
}

func userVersion(t *testing.T, s *Store) int {
	t.Helper()
	var v int
	q := "PRAGMA user_version"
	if s.Postgres() {
		q = "SELECT version FROM schema_version"
	}
	if err := s.db.QueryRow(q).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// putVersion1 writes an article with the SQL a version-1 binary ran,
// before later migrations added columns.
func putVersion1(t *testing.T, s *Store, key string, an *briefing.Analysis, now time.Time) {
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
			ingested_at, headline, gist, bullets, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.Name, a.Path, a.Title, boolInt(a.Derived), a.Source, a.URL, a.Published.Format(time.RFC3339Nano),
			a.Author, nanos(now), an.Briefing.Headline, an.Briefing.Gist, bullets, a.Body); err != nil {
			return err
		}
		if err := insertVersion1Claims(ctx, tx, a.ID, an.Claims); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sources (key, article_id, updated_at) VALUES (?, ?, ?)`, key, a.ID, nanos(now))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// insertVersion1Claims writes claims with the columns of version 1, before
// speaker_unsure.
func insertVersion1Claims(ctx context.Context, tx *tx, articleID string, claims []briefing.Claim) error {
	for i, c := range claims {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO claims (article_id, idx, text, speaker, speaker_role, kind, verb, via,
				anonymous, verbatim, span_start, span_end, sentence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, articleID, i, c.Text, c.Speaker, c.SpeakerRole, string(c.Kind),
			c.Verb, c.Via, boolInt(c.Anonymous), boolInt(c.Verbatim), c.Start, c.End, c.Sentence); err != nil {
			return err
		}
	}
	return nil
}

func TestMigrateFromVersion1(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		path := db.fresh(t)
		old, err := openAt(ctx, path, 1)
		if err != nil {
			t.Fatal(err)
		}
		if v := userVersion(t, old); v != 1 {
			t.Fatalf("user_version = %d, want 1", v)
		}
		if _, err := old.Subscriptions(ctx); err == nil {
			t.Fatal("version 1 has subscriptions")
		}
		an := qatar("")
		putVersion1(t, old, "seeds/a.txt", an, t0)
		if err := old.SetState(ctx, "reported", "seeds/bad.txt"); err != nil {
			t.Fatal(err)
		}
		old.Close()

		for round := range 2 { // the second Open has nothing to do
			s, err := openAt(ctx, path, len(migrations))
			if err != nil {
				t.Fatal(err)
			}
			if v := userVersion(t, s); v != len(migrations) {
				t.Errorf("user_version = %d, want %d", v, len(migrations))
			}
			sa, err := s.Article(ctx, an.Article.ID)
			if err != nil {
				t.Fatal(err)
			}
			if sa.Seq != 1 || sa.Body != an.Article.Body || !sa.Active || len(sa.Briefing.Bullets) != 3 {
				t.Errorf("article after upgrade: %+v", sa)
			}
			if claims, err := s.Claims(ctx, an.Article.ID); err != nil || len(claims) != 4 {
				t.Errorf("Claims = %d claims, %v; want 4", len(claims), err)
			}
			if v, err := s.GetState(ctx, "reported"); v != "seeds/bad.txt" || err != nil {
				t.Errorf("GetState = %q, %v", v, err)
			}
			// The new tables work.
			if err := s.Subscribe(ctx, Subscription{Platform: "slack", Channel: "C1", Spec: "0 8 * * *", TZ: "UTC"}); err != nil {
				t.Fatal(err)
			}
			ok, err := s.ReserveSlot(ctx, "slack", "C1", t0, "test", t0)
			if err != nil || ok != (round == 0) { // the second round finds it taken
				t.Errorf("round %d: ReserveSlot = %v, %v", round, ok, err)
			}
			s.Close()
		}
		s := openTest(t, path)
		if subs, err := s.Subscriptions(ctx); err != nil || len(subs) != 1 {
			t.Errorf("Subscriptions = %v, %v", subs, err)
		}
	})
}

func TestNewerSchemaRefused(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		path := db.fresh(t)
		s := openTest(t, path)
		setVersion(t, s, len(migrations)+1)
		s.Close()
		if s, err := openAt(ctx, path, len(migrations)); err == nil {
			s.Close()
			t.Fatal("opened a database with a newer schema")
		}
	})
}

func TestPutArticle(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		an := qatar("")
		id := an.Article.ID

		if _, err := s.ArticleID(ctx, "seeds/a.txt"); !isNotExist(err) {
			t.Errorf("ArticleID before put: %v", err)
		}
		if _, err := s.Article(ctx, id); !isNotExist(err) {
			t.Errorf("Article before put: %v", err)
		}
		if _, err := s.Claims(ctx, id); !isNotExist(err) {
			t.Errorf("Claims before put: %v", err)
		}
		if seq, err := s.MaxSeq(ctx); seq != 0 || err != nil {
			t.Errorf("MaxSeq of empty store = %d, %v", seq, err)
		}

		if !mustPut(t, s, "seeds/a.txt", an, t0) {
			t.Error("first put: added = false")
		}
		if got, err := s.ArticleID(ctx, "seeds/a.txt"); got != id || err != nil {
			t.Errorf("ArticleID = %q, %v; want %q", got, err, id)
		}
		sa, err := s.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := StoredArticle{Article: *an.Article, Seq: 1, IngestedAt: t0, Active: true, Briefing: an.Briefing}
		sameTime(t, "Published", &sa.Published, &want.Published)
		sameTime(t, "Briefing.Published", &sa.Briefing.Published, &want.Briefing.Published)
		sameTime(t, "IngestedAt", &sa.IngestedAt, &want.IngestedAt)
		if !reflect.DeepEqual(*sa, want) {
			t.Errorf("Article =\n%+v\nwant\n%+v", *sa, want)
		}

		claims, err := s.Claims(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(claims, an.Claims) {
			t.Errorf("Claims =\n%+v\nwant\n%+v", claims, an.Claims)
		}
		for i, c := range an.Claims {
			if got, err := s.Claim(ctx, id, i); err != nil || got != c {
				t.Errorf("Claim(%d) = %+v, %v; want %+v", i, got, err, c)
			}
		}
		if _, err := s.Claim(ctx, id, len(an.Claims)); !isNotExist(err) {
			t.Errorf("Claim past the end: %v", err)
		}
		if _, err := s.Claim(ctx, "0000000000000000", 0); !isNotExist(err) {
			t.Errorf("Claim of a missing article: %v", err)
		}

		// The same analysis again changes nothing.
		if mustPut(t, s, "seeds/a.txt", qatar(""), t0.Add(time.Hour)) {
			t.Error("second put: added = true")
		}
		sa, _ = s.Article(ctx, id)
		if sa.Seq != 1 || !sa.IngestedAt.Equal(t0) {
			t.Errorf("after second put: Seq %d, IngestedAt %v", sa.Seq, sa.IngestedAt)
		}
		if seq, _ := s.MaxSeq(ctx); seq != 1 {
			t.Errorf("MaxSeq = %d, want 1", seq)
		}
		if claims, _ := s.Claims(ctx, id); len(claims) != len(an.Claims) {
			t.Errorf("%d claims after second put, want %d", len(claims), len(an.Claims))
		}

		// An article without claims or bullets.
		bare := &briefing.Article{Name: "bare.txt", Title: "Bare", Body: "Nothing to see."}
		bare.ID = briefing.ContentID(bare.Title, "", "", time.Time{}, "", bare.Body)
		mustPut(t, s, "seeds/bare.txt", &briefing.Analysis{Article: bare}, t0)
		if claims, err := s.Claims(ctx, bare.ID); len(claims) != 0 || err != nil {
			t.Errorf("Claims of bare article = %v, %v", claims, err)
		}
		sa, err = s.Article(ctx, bare.ID)
		if err != nil || !sa.Published.IsZero() || sa.Briefing.Bullets != nil || sa.Seq != 2 {
			t.Errorf("bare article = %+v, %v", sa, err)
		}

		// Bad input.
		if _, err := s.PutArticle(ctx, "", an, t0); err == nil {
			t.Error("put with no key succeeded")
		}
		if _, err := s.PutArticle(ctx, "k", &briefing.Analysis{}, t0); err == nil {
			t.Error("put with no article succeeded")
		}
		wrong := qatar("")
		wrong.Briefing.ArticleID = "ffffffffffffffff"
		if _, err := s.PutArticle(ctx, "k", wrong, t0); err == nil {
			t.Error("put with another article's briefing succeeded")
		}
	})
}

func keys(t *testing.T, s *Store) map[string]string {
	t.Helper()
	k, err := s.Keys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func activeIDs(t *testing.T, s *Store, after int64, limit int) []string {
	t.Helper()
	list, err := s.ActiveArticles(context.Background(), after, limit)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, sa := range list {
		ids = append(ids, sa.ID)
	}
	return ids
}

func TestKeyChangesContent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		v1, v2 := qatar(""), qatar("\n\nThis story has been updated.")
		mustPut(t, s, "seeds/a.txt", v1, t0)
		if !mustPut(t, s, "seeds/a.txt", v2, t0.Add(time.Minute)) {
			t.Fatal("new content: added = false")
		}
		if got, want := keys(t, s), map[string]string{"seeds/a.txt": v2.Article.ID}; !reflect.DeepEqual(got, want) {
			t.Errorf("Keys = %v, want %v", got, want)
		}
		old, err := s.Article(ctx, v1.Article.ID)
		if err != nil || old.Active || old.Seq != 1 {
			t.Errorf("old article = %+v, %v; want inactive, seq 1", old, err)
		}
		cur, err := s.Article(ctx, v2.Article.ID)
		if err != nil || !cur.Active || cur.Seq != 2 {
			t.Errorf("new article = %+v, %v; want active, seq 2", cur, err)
		}
		if got := activeIDs(t, s, 0, 0); !reflect.DeepEqual(got, []string{v2.Article.ID}) {
			t.Errorf("active = %v", got)
		}
		// The old article's claims are kept, for old posts.
		if _, err := s.Claim(ctx, v1.Article.ID, 1); err != nil {
			t.Error(err)
		}
		// Going back to the old content re-activates the old article, keeping
		// its Seq.
		if !mustPut(t, s, "seeds/a.txt", v1, t0.Add(2*time.Minute)) {
			t.Error("back to old content: added = false")
		}
		if got := activeIDs(t, s, 0, 0); !reflect.DeepEqual(got, []string{v1.Article.ID}) {
			t.Errorf("active = %v", got)
		}
		if seq, _ := s.MaxSeq(ctx); seq != 2 {
			t.Errorf("MaxSeq = %d, want 2", seq)
		}
	})
}

func TestRemoveKey(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		an := qatar("")
		id := an.Article.ID
		mustPut(t, s, "seeds/a.txt", an, t0)
		// The same content under a second key is not stored twice.
		if !mustPut(t, s, "https://example.com/a", an, t0) {
			t.Error("second key: added = false")
		}
		if seq, _ := s.MaxSeq(ctx); seq != 1 {
			t.Errorf("MaxSeq = %d, want 1", seq)
		}
		if got, want := keys(t, s), map[string]string{"seeds/a.txt": id, "https://example.com/a": id}; !reflect.DeepEqual(got, want) {
			t.Errorf("Keys = %v, want %v", got, want)
		}

		if err := s.RemoveKey(ctx, "seeds/a.txt"); err != nil {
			t.Fatal(err)
		}
		if sa, _ := s.Article(ctx, id); !sa.Active {
			t.Error("article inactive while another key holds it")
		}
		if _, err := s.ArticleID(ctx, "seeds/a.txt"); !isNotExist(err) {
			t.Errorf("ArticleID of removed key: %v", err)
		}
		if err := s.RemoveKey(ctx, "https://example.com/a"); err != nil {
			t.Fatal(err)
		}
		sa, err := s.Article(ctx, id)
		if err != nil || sa.Active || sa.Body != an.Article.Body {
			t.Errorf("removed article = %+v, %v; want kept, inactive", sa, err)
		}
		if len(keys(t, s)) != 0 || len(activeIDs(t, s, 0, 0)) != 0 {
			t.Error("removed article still listed")
		}
		if err := s.RemoveKey(ctx, "seeds/a.txt"); !isNotExist(err) {
			t.Errorf("removing a missing key: %v", err)
		}
		// The file comes back.
		if !mustPut(t, s, "seeds/a.txt", an, t0) {
			t.Error("key back: added = false")
		}
		if sa, _ := s.Article(ctx, id); !sa.Active || sa.Seq != 1 {
			t.Errorf("article back = %+v", sa)
		}
	})
}

func TestActiveArticles(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		var ids []string
		for i := range 5 {
			an := numbered(i)
			mustPut(t, s, an.Article.Path, an, t0.Add(time.Duration(i)*time.Minute))
			ids = append(ids, an.Article.ID)
		}
		if err := s.RemoveKey(ctx, numbered(3).Article.Path); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			after int64
			limit int
			want  []string
		}{
			{0, 0, []string{ids[4], ids[2], ids[1], ids[0]}},
			{0, 2, []string{ids[4], ids[2]}},
			{2, 0, []string{ids[4], ids[2]}},
			{2, -1, []string{ids[4], ids[2]}},
			{5, 0, nil},
		} {
			if got := activeIDs(t, s, tc.after, tc.limit); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ActiveArticles(%d, %d) = %v, want %v", tc.after, tc.limit, got, tc.want)
			}
		}
		list, err := s.ActiveArticles(ctx, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		sa, want := list[0], numbered(4)
		if sa.Body != "" {
			t.Error("ActiveArticles loaded the body")
		}
		if sa.Seq != 5 || !sa.Active || sa.Title != want.Article.Title || !sa.IngestedAt.Equal(t0.Add(4*time.Minute)) {
			t.Errorf("ActiveArticles()[0] = %+v", sa)
		}
		sameTime(t, "Briefing.Published", &sa.Briefing.Published, &want.Briefing.Published)
		if !reflect.DeepEqual(sa.Briefing, want.Briefing) {
			t.Errorf("briefing =\n%+v\nwant\n%+v", sa.Briefing, want.Briefing)
		}
	})
}

func TestFindArticles(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		a0, a1, a2 := numbered(0), numbered(1), numbered(2)
		a2.Article.Source = "Reuters"
		a2.Article.ID = briefing.ContentID(a2.Article.Title, a2.Article.Source, a2.Article.URL, a2.Article.Published, a2.Article.Author, a2.Article.Body)
		a2.Briefing.ArticleID = a2.Article.ID
		for _, an := range []*briefing.Analysis{a0, a1, a2} {
			mustPut(t, s, an.Article.Path, an, t0)
		}
		gone := qatar("\n\nRemoved later.")
		gone.Article.Title = "Story 1 retracted"
		gone.Article.ID = "1" + a1.Article.ID[1:] // shares a prefix with a1's ID
		gone.Briefing.ArticleID = gone.Article.ID
		mustPut(t, s, "gone.txt", gone, t0)
		s.RemoveKey(ctx, "gone.txt")

		find := func(q string, limit int) []string {
			list, err := s.FindArticles(ctx, Global, q, limit)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, sa := range list {
				if sa.Body != "" {
					t.Error("FindArticles loaded the body")
				}
				ids = append(ids, sa.ID)
			}
			return ids
		}
		id0, id1, id2 := a0.Article.ID, a1.Article.ID, a2.Article.ID
		for _, tc := range []struct {
			q     string
			limit int
			want  []string
		}{
			{"QATAR", 0, []string{id2, id1, id0}},
			{"qatar", 2, []string{id2, id1}},
			{"story 1", 0, []string{id1}},
			{"  reuters ", 0, []string{id2}},
			{"newsweek", 0, []string{id1, id0}},
			{"001_article", 0, []string{id1}},
			{"001_article.txt", 0, []string{id1}},
			{id1[:6], 0, []string{id1}},
			{strings.ToUpper(id1[:6]), 0, []string{id1}},
			{id1, 0, []string{id1}},
			{a0.Article.URL, 0, []string{id2, id1, id0}},
			{"%", 0, nil},
			{"story_", 0, nil},
			{"nothing like this", 0, nil},
			{"", 0, nil},
		} {
			if got := find(tc.q, tc.limit); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("FindArticles(%q, %d) = %v, want %v", tc.q, tc.limit, got, tc.want)
			}
		}
		// Exact matches of the ID or name come first.
		a3 := numbered(3)
		a3.Article.Title = "On " + a0.Article.Name
		a3.Article.ID = briefing.ContentID(a3.Article.Title, a3.Article.Source, a3.Article.URL, a3.Article.Published, a3.Article.Author, a3.Article.Body)
		a3.Briefing.ArticleID = a3.Article.ID
		mustPut(t, s, "a3", a3, t0)
		if got, want := find(a0.Article.Name, 0), []string{id0, a3.Article.ID}; !reflect.DeepEqual(got, want) {
			t.Errorf("FindArticles(name) = %v, want %v", got, want)
		}
	})
}

func TestSubscriptions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		if _, err := s.Subscription(ctx, "slack", "C1"); !isNotExist(err) {
			t.Errorf("Subscription before subscribing: %v", err)
		}
		if err := s.Unsubscribe(ctx, "slack", "C1"); !isNotExist(err) {
			t.Errorf("Unsubscribe before subscribing: %v", err)
		}
		if err := s.PauseSubscription(ctx, "slack", "C1", "x"); !isNotExist(err) {
			t.Errorf("PauseSubscription before subscribing: %v", err)
		}
		if subs, err := s.Subscriptions(ctx); len(subs) != 0 || err != nil {
			t.Errorf("Subscriptions = %v, %v", subs, err)
		}
		if err := s.Subscribe(ctx, Subscription{Channel: "C1"}); err == nil {
			t.Error("subscribed without a platform")
		}

		s1 := Subscription{Platform: "slack", Channel: "C1", Spec: "0 8 * * 1-5", TZ: "Europe/Berlin", CreatedAt: t0}
		s2 := Subscription{Platform: "discord", Channel: "123", Spec: "30 7 * * *", TZ: "America/New_York", CreatedAt: t0}
		s3 := Subscription{Platform: "slack", Channel: "A9", Spec: "0 18 * * *", TZ: "UTC", CreatedAt: t0}
		for _, sub := range []Subscription{s1, s2, s3} {
			if err := s.Subscribe(ctx, sub); err != nil {
				t.Fatal(err)
			}
		}
		subs, err := s.Subscriptions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := []Subscription{s2, s3, s1}; !reflect.DeepEqual(subs, want) {
			t.Errorf("Subscriptions =\n%+v\nwant\n%+v", subs, want)
		}

		if err := s.PauseSubscription(ctx, "slack", "C1", "channel_not_found"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Subscription(ctx, "slack", "C1")
		if err != nil || !got.Paused || got.PauseReason != "channel_not_found" {
			t.Errorf("paused subscription = %+v, %v", got, err)
		}
		// Subscribing again changes the schedule, un-pauses and keeps CreatedAt.
		again := Subscription{Platform: "slack", Channel: "C1", Spec: "0 9 * * *", TZ: "UTC", CreatedAt: t0.Add(time.Hour)}
		if err := s.Subscribe(ctx, again); err != nil {
			t.Fatal(err)
		}
		got, err = s.Subscription(ctx, "slack", "C1")
		if want := (Subscription{Platform: "slack", Channel: "C1", Spec: "0 9 * * *", TZ: "UTC", CreatedAt: t0}); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("re-subscribed = %+v, %v; want %+v", got, err, want)
		}

		if err := s.Unsubscribe(ctx, "slack", "C1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Subscription(ctx, "slack", "C1"); !isNotExist(err) {
			t.Errorf("Subscription after unsubscribing: %v", err)
		}
		if subs, _ := s.Subscriptions(ctx); len(subs) != 2 {
			t.Errorf("%d subscriptions left, want 2", len(subs))
		}
	})
}

func TestLedger(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		slot1, slot2 := t0, t0.Add(24*time.Hour)
		if _, err := s.LastDelivery(ctx, "slack", "C1"); !isNotExist(err) {
			t.Errorf("LastDelivery with none: %v", err)
		}
		if err := s.CompleteSlot(ctx, "slack", "C1", slot1, []string{"m"}, 1, t0); !isNotExist(err) {
			t.Errorf("completing an unreserved slot: %v", err)
		}
		if err := s.FailSlot(ctx, "slack", "C1", slot1, "x", t0); !isNotExist(err) {
			t.Errorf("failing an unreserved slot: %v", err)
		}

		reserve := func(slot time.Time, owner string) bool {
			t.Helper()
			ok, err := s.ReserveSlot(ctx, "slack", "C1", slot, owner, t0)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !reserve(slot1, "host:1") {
			t.Fatal("first reservation refused")
		}
		// The same instant in another zone is the same slot.
		if reserve(slot1.In(time.FixedZone("CET", 3600)), "host:2") {
			t.Error("slot reserved twice")
		}
		if ok, _ := s.ReserveSlot(ctx, "slack", "C2", slot1, "host:1", t0); !ok {
			t.Error("another channel's slot refused")
		}
		pending, err := s.PendingSlots(ctx)
		if err != nil || len(pending) != 2 || pending[0].Channel != "C1" || pending[0].Owner != "host:1" ||
			pending[0].State != slotPending || !pending[0].Time.Equal(slot1) {
			t.Errorf("PendingSlots = %+v, %v", pending, err)
		}

		done := t0.Add(time.Minute)
		if err := s.CompleteSlot(ctx, "slack", "C1", slot1, []string{"1731070800.0001", "1731070800.0002"}, 42, done); err != nil {
			t.Fatal(err)
		}
		if err := s.CompleteSlot(ctx, "slack", "C1", slot1, nil, 43, done); err == nil || isNotExist(err) {
			t.Errorf("completing twice: %v", err)
		}
		if reserve(slot1, "host:2") {
			t.Error("delivered slot reserved again")
		}
		last, err := s.LastDelivery(ctx, "slack", "C1")
		want := Slot{Platform: "slack", Channel: "C1", Time: slot1, State: slotDelivered, Owner: "host:1",
			MessageIDs: []string{"1731070800.0001", "1731070800.0002"}, LastSeq: 42, UpdatedAt: done}
		if err != nil || !reflect.DeepEqual(last, want) {
			t.Errorf("LastDelivery =\n%+v, %v\nwant\n%+v", last, err, want)
		}

		// A failed slot is taken too, and is not the last delivery.
		if !reserve(slot2, "host:2") {
			t.Fatal("second slot refused")
		}
		if err := s.FailSlot(ctx, "slack", "C1", slot2, "rate limited", done); err != nil {
			t.Fatal(err)
		}
		if err := s.CompleteSlot(ctx, "slack", "C1", slot2, nil, 50, done); err == nil {
			t.Error("completed a failed slot")
		}
		if reserve(slot2, "host:1") {
			t.Error("failed slot reserved again")
		}
		if last, _ := s.LastDelivery(ctx, "slack", "C1"); !last.Time.Equal(slot1) {
			t.Errorf("LastDelivery = %v, want %v", last.Time, slot1)
		}
		// A later delivery becomes the last one.
		slot3 := slot2.Add(24 * time.Hour)
		reserve(slot3, "host:1")
		if err := s.CompleteSlot(ctx, "slack", "C1", slot3, nil, 50, done); err != nil {
			t.Fatal(err)
		}
		if last, _ := s.LastDelivery(ctx, "slack", "C1"); !last.Time.Equal(slot3) || last.LastSeq != 50 || last.MessageIDs != nil {
			t.Errorf("LastDelivery = %+v", last)
		}
		if pending, _ := s.PendingSlots(ctx); len(pending) != 1 || pending[0].Channel != "C2" {
			t.Errorf("PendingSlots = %+v", pending)
		}
	})
}

func TestReserveSlotRace(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		path := db.fresh(t)
		stores := []*Store{openTest(t, path), openTest(t, path)}
		for round := range 50 {
			slot := t0.Add(time.Duration(round) * time.Hour)
			var (
				wg    sync.WaitGroup
				mu    sync.Mutex
				wins  int
				start = make(chan struct{})
			)
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					ok, err := stores[g%2].ReserveSlot(ctx, "discord", "123", slot, fmt.Sprint("g", g), t0)
					if err != nil {
						t.Error(err)
					}
					if ok {
						mu.Lock()
						wins++
						mu.Unlock()
					}
				}()
			}
			close(start)
			wg.Wait()
			if wins != 1 {
				t.Fatalf("round %d: %d reservations succeeded, want 1", round, wins)
			}
		}
	})
}

// Helper process for the tests below, run as a separate process.
const (
	helperEnv   = "BRIEFBOT_STORE_HELPER"
	helperDBEnv = "BRIEFBOT_STORE_HELPER_DB"
	raceSlots   = 1000
)

// reserveAll tries to reserve raceSlots slots of the channel for owner,
// forward or backward, and returns how many it got.
func reserveAll(s *Store, channel, owner string, backward bool) (int, error) {
	n := 0
	for i := range raceSlots {
		if backward {
			i = raceSlots - 1 - i
		}
		ok, err := s.ReserveSlot(context.Background(), "slack", channel, t0.Add(time.Duration(i)*time.Minute), owner, time.Now())
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("run by other tests as a separate process")
	}
	ctx := context.Background()
	s, err := openAt(ctx, os.Getenv(helperDBEnv), len(migrations))
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case "reserve": // on each "go CHANNEL" line, race the parent for the channel's slots
		fmt.Println("ready")
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			channel, ok := strings.CutPrefix(in.Text(), "go ")
			if !ok {
				t.Fatalf("got %q, want go CHANNEL", in.Text())
			}
			n, err := reserveAll(s, channel, "child", true)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Printf("reserved %d\n", n)
		}
		s.Close()
	case "crash": // reserve a slot, then die without closing the store
		if ok, err := s.ReserveSlot(ctx, "slack", "C1", t0, "child", t0); !ok || err != nil {
			t.Fatalf("ReserveSlot = %v, %v", ok, err)
		}
		os.Exit(0)
	default:
		t.Fatalf("unknown mode %q", mode)
	}
}

func helper(t *testing.T, mode, path string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperDBEnv+"="+path)
	cmd.Stderr = os.Stderr
	return cmd
}

// TestReserveSlotTwoProcesses races another process for slots: this one
// reserves them in order, the other in reverse, so they meet somewhere in
// the middle. Every slot must be reserved by exactly one of them. A round
// in which one process finished before the other started proves nothing;
// it is repeated.
func TestReserveSlotTwoProcesses(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		path := db.fresh(t)
		s := openTest(t, path)

		cmd := helper(t, "reserve", path)
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Wait()
		defer stdin.Close()
		out := bufio.NewScanner(stdout)
		if !out.Scan() || out.Text() != "ready" {
			t.Fatalf("helper said %q, %v", out.Text(), out.Err())
		}

		overlapped := false
		for round := 0; round < 5 && !overlapped; round++ {
			channel := fmt.Sprint("C", round)
			fmt.Fprintln(stdin, "go", channel)
			mine, err := reserveAll(s, channel, "parent", false)
			if err != nil {
				t.Fatal(err)
			}
			if !out.Scan() {
				t.Fatalf("helper quit: %v", out.Err())
			}
			n, ok := strings.CutPrefix(out.Text(), "reserved ")
			theirs, err := strconv.Atoi(n)
			if !ok || err != nil {
				t.Fatalf("helper said %q", out.Text())
			}
			t.Logf("round %d: this process reserved %d slots, the other %d", round, mine, theirs)
			if mine+theirs != raceSlots {
				t.Errorf("round %d: the processes reserved %d + %d slots of %d", round, mine, theirs, raceSlots)
			}
			// The ledger agrees: one row per slot, owned by whoever was told ok.
			var parent, child, slots int
			err = s.db.QueryRow(`SELECT COUNT(*) FILTER (WHERE owner = 'parent'), COUNT(*) FILTER (WHERE owner = 'child'),
			COUNT(DISTINCT slot) FROM deliveries WHERE channel = ?`, channel).Scan(&parent, &child, &slots)
			if err != nil {
				t.Fatal(err)
			}
			if parent != mine || child != theirs || slots != raceSlots {
				t.Errorf("round %d: ledger has %d slots, %d owned by this process, %d by the other", round, slots, parent, child)
			}
			overlapped = mine > 0 && theirs > 0
		}
		if !overlapped {
			t.Error("the two processes never reserved slots at the same time")
		}
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper: %v", err)
		}
	})
}

func TestPendingSlotAfterCrash(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		check := func(t *testing.T, path, owner string) {
			s := openTest(t, path)
			pending, err := s.PendingSlots(ctx)
			if err != nil || len(pending) != 1 || pending[0].Owner != owner || !pending[0].Time.Equal(t0) {
				t.Fatalf("PendingSlots = %+v, %v", pending, err)
			}
			if ok, err := s.ReserveSlot(ctx, "slack", "C1", t0, "restarted", t0); ok || err != nil {
				t.Errorf("ReserveSlot after crash = %v, %v; want false", ok, err)
			}
			// The bot may then write it off.
			if err := s.FailSlot(ctx, "slack", "C1", t0, "interrupted", t0); err != nil {
				t.Fatal(err)
			}
			if pending, _ := s.PendingSlots(ctx); len(pending) != 0 {
				t.Errorf("still pending: %+v", pending)
			}
		}
		t.Run("close", func(t *testing.T) {
			path := db.fresh(t)
			s, err := openAt(ctx, path, len(migrations))
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := s.ReserveSlot(ctx, "slack", "C1", t0, "me", t0); !ok || err != nil {
				t.Fatalf("ReserveSlot = %v, %v", ok, err)
			}
			s.Close()
			check(t, path, "me")
		})
		t.Run("exit", func(t *testing.T) {
			path := db.fresh(t)
			if out, err := helper(t, "crash", path).Output(); err != nil {
				t.Fatalf("helper: %v; output %q", err, out)
			}
			check(t, path, "child")
		})
	})
}

func TestPosts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		if _, err := s.PostByMessage(ctx, "slack", "C1", "m1"); !isNotExist(err) {
			t.Errorf("PostByMessage with none: %v", err)
		}
		if _, err := s.latestPost(ctx, "slack", "C1", ""); !isNotExist(err) {
			t.Errorf("latestPost with none: %v", err)
		}
		if err := s.RecordPost(ctx, Post{Platform: "slack", Channel: "C1"}); err == nil {
			t.Error("recorded a post without a message ID")
		}

		id := qatar("").Article.ID
		bullets := []PostedBullet{{N: 1, ArticleID: id, ClaimIndex: 0}, {N: 2, ArticleID: id, ClaimIndex: 1}, {N: 3, ArticleID: id, ClaimIndex: 2}}
		// A digest split over two messages, then a briefing, at the same time.
		digest := Post{Platform: "slack", Channel: "C1", MessageID: "m1", Kind: "digest", Bullets: bullets, PostedAt: t0}
		for _, m := range []string{"m1", "m2"} {
			p := digest
			p.MessageID = m
			if err := s.RecordPost(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		brief := Post{Platform: "slack", Channel: "C1", MessageID: "m3", ThreadID: "m0", Kind: "briefing", Bullets: bullets[:1], PostedAt: t0}
		if err := s.RecordPost(ctx, brief); err != nil {
			t.Fatal(err)
		}
		other := Post{Platform: "discord", Channel: "C1", MessageID: "m9", Kind: "digest", PostedAt: t0.Add(time.Hour)}
		if err := s.RecordPost(ctx, other); err != nil {
			t.Fatal(err)
		}

		p, err := s.PostByMessage(ctx, "slack", "C1", "m2")
		want := digest
		want.MessageID = "m2"
		if err != nil || !reflect.DeepEqual(*p, want) {
			t.Errorf("PostByMessage(m2) = %+v, %v; want %+v", p, err, want)
		}
		if _, err := s.PostByMessage(ctx, "slack", "C2", "m2"); !isNotExist(err) {
			t.Errorf("PostByMessage in another channel: %v", err)
		}
		for _, tc := range []struct{ kind, want string }{{"", "m3"}, {"briefing", "m3"}, {"digest", "m2"}} {
			p, err := s.latestPost(ctx, "slack", "C1", tc.kind)
			if err != nil || p.MessageID != tc.want {
				t.Errorf("latestPost(%q) = %+v, %v; want %s", tc.kind, p, err, tc.want)
			}
		}
		if p, _ := s.latestPost(ctx, "slack", "C1", "briefing"); !reflect.DeepEqual(*p, brief) {
			t.Errorf("latestPost = %+v, want %+v", *p, brief)
		}
		if _, err := s.latestPost(ctx, "slack", "C1", "reply"); !isNotExist(err) {
			t.Errorf("latestPost of a missing kind: %v", err)
		}
		// Posting time comes before recording order.
		late := Post{Platform: "slack", Channel: "C1", MessageID: "m4", Kind: "digest", PostedAt: t0.Add(time.Minute)}
		early := Post{Platform: "slack", Channel: "C1", MessageID: "m5", Kind: "digest", PostedAt: t0.Add(-time.Minute)}
		s.RecordPost(ctx, late)
		s.RecordPost(ctx, early)
		if p, _ := s.latestPost(ctx, "slack", "C1", ""); p.MessageID != "m4" || p.Bullets != nil {
			t.Errorf("latestPost = %+v, want m4 without bullets", p)
		}
	})
}

func TestState(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		if _, err := s.GetState(ctx, "reported"); !isNotExist(err) {
			t.Errorf("GetState of a missing key: %v", err)
		}
		for _, v := range []string{"a.txt", "a.txt\nb.txt", ""} {
			if err := s.SetState(ctx, "reported", v); err != nil {
				t.Fatal(err)
			}
			if got, err := s.GetState(ctx, "reported"); got != v || err != nil {
				t.Errorf("GetState = %q, %v; want %q", got, err, v)
			}
		}
	})
}

func TestCanceledContext(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		s := db.store(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.PutArticle(ctx, "k", qatar(""), t0); !errors.Is(err, context.Canceled) {
			t.Errorf("PutArticle with a canceled context: %v", err)
		}
		if _, err := s.ActiveArticles(ctx, 0, 0); err == nil {
			t.Error("ActiveArticles with a canceled context succeeded")
		}
	})
}

func fill(b *testing.B, s *Store, n int) {
	b.Helper()
	for i := range n {
		an := numbered(i)
		if _, err := s.PutArticle(context.Background(), an.Article.Path, an, t0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkActiveArticles(b *testing.B) {
	ctx := context.Background()
	s := newTestStore(b)
	fill(b, s, 1000)
	for b.Loop() {
		list, err := s.ActiveArticles(ctx, 0, 0)
		if err != nil {
			b.Fatal(err)
		}
		if len(list) != 1000 || len(list[0].Briefing.Bullets) != 3 {
			b.Fatalf("%d articles", len(list))
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	ctx := context.Background()
	path := testPath(b)
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	fill(b, s, 10000)
	s.Close()
	for b.Loop() {
		s, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// A briefing's score and each bullet's claim index survive the round trip.
func TestBriefingScoreAndIndexStored(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := openTest(t, db.fresh(t))
		an := qatar("")
		an.Briefing.Score = 0.75
		an.Briefing.Bullets[1].Index = 3
		an.Briefing.Bullets[1].Shown = "shown text"
		mustPut(t, s, "seeds/a.txt", an, t0)
		sa, err := s.Article(ctx, an.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sa.Briefing.Score != 0.75 || sa.Briefing.Bullets[1].Index != 3 || sa.Briefing.Bullets[1].Shown != "shown text" {
			t.Errorf("score %v, bullet %+v", sa.Briefing.Score, sa.Briefing.Bullets[1])
		}
		list, err := s.ActiveArticles(ctx, 0, 0)
		if err != nil || len(list) != 1 || list[0].Briefing.Score != 0.75 {
			t.Errorf("ActiveArticles: %v, %+v", err, list)
		}
	})
}
