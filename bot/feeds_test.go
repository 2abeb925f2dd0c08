package bot

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/feeds"
	"github.com/briefbot/briefbot/store"
)

// fakeFeeds is a feed manager in memory: its feeds, each global or of
// one space.
type fakeFeeds struct {
	list  []feeds.FeedState
	space map[string]string // URL -> the space whose feed it is, for the non-global ones
}

func (f *fakeFeeds) Add(ctx context.Context, u string, owner store.FeedOwner) (feeds.FeedState, bool, error) {
	if strings.Contains(u, "127.0.0.1") {
		return feeds.FeedState{}, false, fmt.Errorf("%s is a loopback address: %w", u, feeds.ErrForbiddenAddress)
	}
	for _, st := range f.list {
		if st.URL == u && (st.Global || f.space[u] == owner.Space) {
			return st, false, nil
		}
	}
	st := feeds.FeedState{URL: u, Global: owner.Space == store.Global}
	f.list = append(f.list, st)
	if f.space == nil {
		f.space = map[string]string{}
	}
	f.space[u] = owner.Space
	return st, true, nil
}

func (f *fakeFeeds) Remove(ctx context.Context, u, space string) error {
	for i, st := range f.list {
		if st.URL == u && (space == store.Global && st.Global || !st.Global && f.space[u] == space) {
			f.list = append(f.list[:i], f.list[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("%s is not a followed feed: %w", u, fs.ErrNotExist)
}

func (f *fakeFeeds) List(ctx context.Context, space string) ([]feeds.FeedState, error) {
	var out []feeds.FeedState
	for _, st := range f.list {
		if st.Global || f.space[st.URL] == space {
			out = append(out, st)
		}
	}
	return out, nil
}

func TestFeedsCommand(t *testing.T) {
	ff := &fakeFeeds{}
	tb := newTestBot(t, "", Config{Feeds: ff})

	if m := tb.ask("feeds", "list", false); !strings.Contains(m.Text, "no feeds yet") {
		t.Errorf("empty list: %+v", m)
	}
	if m := tb.ask("feeds", "add https://news.example.org/rss", false); m.Kind != KindError || !strings.Contains(m.Text, "manage the channel") {
		t.Errorf("non-admin add: %+v", m)
	}
	if len(ff.list) != 0 {
		t.Fatal("non-admin added a feed")
	}
	if m := tb.ask("feeds", "add https://news.example.org/rss", true); m.Kind != KindInfo || !strings.Contains(m.Text, "Following https://news.example.org/rss") {
		t.Errorf("add: %+v", m)
	}
	if m := tb.ask("feeds", "add http://127.0.0.1/feed", true); m.Kind != KindError || !strings.Contains(m.Text, "loopback") {
		t.Errorf("private add: %+v", m)
	}
	if m := tb.ask("feeds", "add", true); m.Kind != KindError || !strings.Contains(m.Text, "/feeds add https://") {
		t.Errorf("add without URL: %+v", m)
	}
	ff.list[0].Title = "Example News"
	ff.list[0].LastFetch = tb.clock.Now().Add(-5 * time.Minute)
	ff.list[0].Items = 12
	ff.list = append(ff.list, feeds.FeedState{URL: "https://broken.example/feed", Failures: 10, LastError: "HTTP 500", Paused: true, PauseReason: "10 failures in a row", Global: true})
	m := tb.ask("feeds", "", false)
	for _, want := range []string{"This space reads 2 feeds", "Example News — https://news.example.org/rss", "last fetched 5 min ago; 12 articles",
		"PAUSED: 10 failures in a row", "last error: HTTP 500 (10 in a row)"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("list lacks %q:\n%s", want, m.Text)
		}
	}
	if m := tb.ask("feeds", "remove https://nope.example/rss", true); !strings.Contains(m.Text, "This space does not follow https://nope.example/rss") {
		t.Errorf("remove unknown: %+v", m)
	}
	if m := tb.ask("feeds", "remove https://news.example.org/rss", true); !strings.Contains(m.Text, "Stopped following") {
		t.Errorf("remove: %+v", m)
	}
	if m := tb.ask("feeds", "frob", true); m.Kind != KindError || !strings.Contains(m.Text, "/feeds list") {
		t.Errorf("unknown action: %+v", m)
	}
	if m := newTestBot(t, "", Config{}).ask("feeds", "list", true); !strings.Contains(m.Text, "not enabled") {
		t.Errorf("without a manager: %+v", m)
	}
}
