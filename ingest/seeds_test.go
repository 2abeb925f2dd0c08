package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/store"
)

// Invented news items, each with a quote and its attribution. The %s at
// the end takes a detail that changes the content (and so the article ID)
// without touching the rest.
var stories = []string{
	`---
title: Marlow library to stay open late on weekdays
source: Marlow Weekly
published: 2026-02-10
---
The Marlow public library will stay open until 9 p.m. on weekdays from next month, the town council said on Monday.

"Students kept telling us they had nowhere quiet to work after school," said Priya Okafor, who chairs the council's culture committee.

The longer hours will cost about $40,000 a year, according to a budget note seen by the Weekly.%s
`,
	`# Harbor ferry adds a late sailing

The Westport ferry will run a 10 p.m. crossing to Gull Island from June, the harbor authority announced on Tuesday.

"Evening demand has roughly doubled since last spring," Tomas Reyes, the authority's operations director, told reporters.

Island shop owners said the change was overdue.%s
`,
	`{"title": "Bakery cooperative opens second shop", "source": "Eastside Courier", "url": "https://example.org/eastside/bakery", "body": "The Rye and Barley cooperative opened a second bakery on Canal Street on Saturday.\n\n\"We sold out of sourdough by ten in the morning,\" said Lena Fischer, one of the cooperative's founders.\n\nThe cooperative plans to hire six more bakers this year, according to its newsletter.%s"}
`,
}

// story returns invented article n (of any number) with a detail.
func story(n int, detail string) string {
	if detail != "" {
		detail = " " + detail
	}
	if n < len(stories) {
		return fmt.Sprintf(stories[n], detail)
	}
	return fmt.Sprintf(`---
title: Council item %d
source: Marlow Weekly
---
The Marlow council approved item %d of its spring programme on Wednesday, a spokesperson said.

"Item %d was the least contested part of the plan," said councillor Ada Mensah after the vote.

Work is expected to start in %d weeks, according to the minutes.%s
`, n, n, n, n%50+2, detail)
}

// counts counts the files a Seeds read and analyzed.
type counts struct{ loads, analyses atomic.Int64 }

var ctx = context.Background()

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "briefbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newSeeds returns a Seeds on dir and st that logs to its own buffer and
// counts its work.
func newSeeds(dir string, st *store.Store) (*Seeds, *testutil.Buffer, *counts) {
	lb := &testutil.Buffer{}
	c := &counts{}
	s := &Seeds{
		Dir:   dir,
		Store: st,
		Log:   slog.New(slog.NewTextHandler(lb, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:   func() time.Time { return time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC) },
	}
	s.loadFile = func(path string, opt briefing.LoadOptions) (*briefing.Article, error) {
		c.loads.Add(1)
		return briefing.LoadFile(path, opt)
	}
	s.analyze = func(a *briefing.Article, opt briefing.Options) *briefing.Analysis {
		c.analyses.Add(1)
		return briefing.Analyze(a, opt)
	}
	return s, lb, c
}

func write(t testing.TB, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func sync1(t testing.TB, s *Seeds) Result {
	t.Helper()
	res, err := s.Sync(ctx)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return res
}

func wantResult(t testing.TB, got, want Result) {
	t.Helper()
	if got != want {
		t.Fatalf("Sync = %+v, want %+v", got, want)
	}
}

func keys(t testing.TB, st *store.Store) map[string]string {
	t.Helper()
	k, err := st.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func maxSeq(t testing.TB, st *store.Store) int64 {
	t.Helper()
	seq, err := st.MaxSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

func active(t testing.TB, st *store.Store, id string) bool {
	t.Helper()
	a, err := st.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Active
}

func reported(t testing.TB, st *store.Store) map[string]string {
	t.Helper()
	v, err := st.GetState(ctx, reportedStateKey)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}
	}
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		t.Fatalf("%s = %q: %v", reportedStateKey, v, err)
	}
	return m
}

// putFeedArticle stores an article under a URL key, as a feed would.
func putFeedArticle(t testing.TB, st *store.Store) (key, id string) {
	t.Helper()
	a, err := briefing.Parse("feed.txt", []byte(story(1, "From the wire.")))
	if err != nil {
		t.Fatal(err)
	}
	key = "https://example.org/westport/ferry"
	if _, err := st.PutArticle(ctx, key, briefing.Analyze(a, briefing.Options{}), time.Now()); err != nil {
		t.Fatal(err)
	}
	return key, a.ID
}

func TestSyncAdds(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "library.txt", story(0, ""))
	write(t, dir, "harbor/ferry.md", story(1, ""))
	write(t, dir, "harbor/README.md", "Notes for editors, not an article.")
	write(t, dir, "README", "Not an article either.")
	write(t, dir, ".draft.txt", story(2, ""))
	write(t, dir, ".trash/old.txt", story(3, ""))
	write(t, dir, "z/bakery.json", story(2, ""))
	st := openStore(t)
	feedKey, feedID := putFeedArticle(t, st)

	s, lb, c := newSeeds(dir, st)
	wantResult(t, sync1(t, s), Result{Added: 3})
	if n := c.analyses.Load(); n != 3 {
		t.Errorf("analyzed %d articles, want 3", n)
	}
	got := keys(t, st)
	for _, k := range []string{"seeds/library.txt", "seeds/harbor/ferry.md", "seeds/z/bakery.json", feedKey} {
		if got[k] == "" {
			t.Errorf("no key %q in %v", k, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("keys = %v, want 4", got)
	}
	if got[feedKey] != feedID {
		t.Errorf("feed key changed: %v", got)
	}
	a, err := st.Article(ctx, got["seeds/library.txt"])
	if err != nil {
		t.Fatal(err)
	}
	if !a.Active || a.Path != filepath.Join(dir, "library.txt") || a.Source != "Marlow Weekly" || len(a.Briefing.Bullets) == 0 {
		t.Errorf("stored article = %+v", a)
	}
	if n := lb.Count("seeds: synced"); n != 1 {
		t.Errorf("logged %d sync lines, want 1:\n%s", n, lb)
	}
	if !strings.Contains(lb.String(), "added=3 changed=0 removed=0") {
		t.Errorf("log lacks the counts:\n%s", lb)
	}
}

func TestSyncUnchangedAnalyzesNothing(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "library.txt", story(0, ""))
	write(t, dir, "harbor/ferry.md", story(1, ""))
	st := openStore(t)
	s, lb, c := newSeeds(dir, st)
	wantResult(t, sync1(t, s), Result{Added: 2})
	seq := maxSeq(t, st)
	before := keys(t, st)

	wantResult(t, sync1(t, s), Result{Unchanged: 2})
	if n := c.analyses.Load(); n != 2 {
		t.Errorf("analyzed %d articles in all, want the first sync's 2", n)
	}
	if got := maxSeq(t, st); got != seq {
		t.Errorf("MaxSeq moved from %d to %d", seq, got)
	}
	if got := keys(t, st); !reflect.DeepEqual(got, before) {
		t.Errorf("keys changed: %v, then %v", before, got)
	}
	if n := lb.Count("seeds: synced"); n != 1 {
		t.Errorf("logged %d sync lines, want 1 (none for a sync that changed nothing):\n%s", n, lb)
	}

	// A restart: a new Seeds reads every file but analyzes none.
	s2, _, c2 := newSeeds(dir, st)
	wantResult(t, sync1(t, s2), Result{Unchanged: 2})
	if l, a := c2.loads.Load(), c2.analyses.Load(); l != 2 || a != 0 {
		t.Errorf("after a restart: read %d files and analyzed %d, want 2 and 0", l, a)
	}
	if got := maxSeq(t, st); got != seq {
		t.Errorf("MaxSeq moved from %d to %d", seq, got)
	}
}

func TestSyncSkipsReadingUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for i, name := range []string{"a.txt", "b.md", "c.json"} {
		p := write(t, dir, name, story(i, ""))
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	st := openStore(t)
	s, _, c := newSeeds(dir, st)
	wantResult(t, sync1(t, s), Result{Added: 3})
	c.loads.Store(0)
	wantResult(t, sync1(t, s), Result{Unchanged: 3})
	if n := c.loads.Load(); n != 0 {
		t.Errorf("read %d files whose size and time did not change, want 0", n)
	}

	// The key was removed behind the Seeds' back: the file is read
	// (and, as the store no longer has it, stored) again.
	if err := st.RemoveKey(ctx, "seeds/b.md"); err != nil {
		t.Fatal(err)
	}
	wantResult(t, sync1(t, s), Result{Added: 1, Unchanged: 2})
	if n := c.loads.Load(); n != 1 {
		t.Errorf("read %d files, want 1", n)
	}

	// A file rewritten within its time stamp's tick keeps its size and
	// time; as its time is recent, it is read again and the change found.
	p := write(t, dir, "d.txt", story(3, "Version A."))
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	wantResult(t, sync1(t, s), Result{Added: 1, Unchanged: 3})
	write(t, dir, "d.txt", story(3, "Version B."))
	if err := os.Chtimes(p, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	wantResult(t, sync1(t, s), Result{Changed: 1, Unchanged: 3})
}

func TestSyncChanged(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "library.txt", story(0, ""))
	write(t, dir, "ferry.md", story(1, ""))
	st := openStore(t)
	s, lb, c := newSeeds(dir, st)
	sync1(t, s)
	oldID := keys(t, st)["seeds/library.txt"]

	write(t, dir, "library.txt", story(0, "The first late evening is on March 2."))
	wantResult(t, sync1(t, s), Result{Changed: 1, Unchanged: 1})
	newID := keys(t, st)["seeds/library.txt"]
	if newID == oldID || newID == "" {
		t.Fatalf("key holds %q, was %q", newID, oldID)
	}
	if active(t, st, oldID) {
		t.Errorf("the old article is still active")
	}
	if !active(t, st, newID) {
		t.Errorf("the new article is not active")
	}
	if n := c.analyses.Load(); n != 3 {
		t.Errorf("analyzed %d articles, want 3", n)
	}
	if !strings.Contains(lb.String(), "added=0 changed=1 removed=0") {
		t.Errorf("log lacks the counts:\n%s", lb)
	}
}

func TestSyncRemoved(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "library.txt", story(0, ""))
	write(t, dir, "harbor/ferry.md", story(1, ""))
	write(t, dir, "harbor/bakery.json", story(2, ""))
	st := openStore(t)
	feedKey, feedID := putFeedArticle(t, st)
	// Another folder's key that merely looks similar is not ours either.
	other := "seedsX/library.txt"
	a, _ := briefing.Parse("x.txt", []byte(story(4, "")))
	if _, err := st.PutArticle(ctx, other, briefing.Analyze(a, briefing.Options{}), time.Now()); err != nil {
		t.Fatal(err)
	}
	s, lb, _ := newSeeds(dir, st)
	sync1(t, s)
	k := keys(t, st)

	if err := os.Remove(filepath.Join(dir, "library.txt")); err != nil {
		t.Fatal(err)
	}
	wantResult(t, sync1(t, s), Result{Removed: 1, Unchanged: 2})
	if _, err := st.ArticleID(ctx, "seeds/library.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ArticleID of the removed file: %v, want not found", err)
	}
	if active(t, st, k["seeds/library.txt"]) {
		t.Errorf("the removed file's article is still active")
	}
	if !strings.Contains(lb.String(), "added=0 changed=0 removed=1") {
		t.Errorf("log lacks the counts:\n%s", lb)
	}

	// A whole subfolder.
	if err := os.RemoveAll(filepath.Join(dir, "harbor")); err != nil {
		t.Fatal(err)
	}
	wantResult(t, sync1(t, s), Result{Removed: 2})
	got := keys(t, st)
	want := map[string]string{feedKey: feedID, other: a.ID}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %v, want only the others' %v", got, want)
	}
	// The same holds for a restart that finds files gone.
	write(t, dir, "library.txt", story(0, ""))
	sync1(t, s)
	os.Remove(filepath.Join(dir, "library.txt"))
	s2, _, _ := newSeeds(dir, st)
	wantResult(t, sync1(t, s2), Result{Removed: 1})
	if got := keys(t, st); !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
}

func TestBadFileReportedOnce(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "library.txt", story(0, ""))
	bad := write(t, dir, "empty.txt", "")
	st := openStore(t)
	s, lb, _ := newSeeds(dir, st)

	wantResult(t, sync1(t, s), Result{Added: 1, Bad: 1})
	wantResult(t, sync1(t, s), Result{Unchanged: 1, Bad: 1})
	if n := lb.Count("seeds: skipped bad file"); n != 1 {
		t.Fatalf("bad file reported %d times in two syncs, want once:\n%s", n, lb)
	}
	if !strings.Contains(lb.String(), "level=WARN") || !strings.Contains(lb.String(), "file="+bad) ||
		!strings.Contains(lb.String(), `reason="empty file"`) {
		t.Errorf("report lacks level, file or reason:\n%s", lb)
	}
	if r := reported(t, st); len(r) != 1 || r["seeds/empty.txt"] == "" {
		t.Errorf("reported state = %v", r)
	}

	// A restart: a new Seeds on the same store does not report it again.
	s2, lb2, _ := newSeeds(dir, st)
	wantResult(t, sync1(t, s2), Result{Unchanged: 1, Bad: 1})
	if n := lb2.Count("seeds: skipped bad file"); n != 0 {
		t.Errorf("reported again after a restart:\n%s", lb2)
	}

	// Changed, still bad, even for the same reason: reported again, once.
	write(t, dir, "empty.txt", "  \n\n")
	sync1(t, s2)
	sync1(t, s2)
	if n := lb2.Count("seeds: skipped bad file"); n != 1 {
		t.Errorf("changed bad file reported %d times, want once:\n%s", n, lb2)
	}

	// Fixed: stored and forgotten.
	write(t, dir, "empty.txt", story(1, ""))
	wantResult(t, sync1(t, s2), Result{Added: 1, Unchanged: 1})
	if r := reported(t, st); len(r) != 0 {
		t.Errorf("reported state after the fix = %v, want empty", r)
	}

	// Bad again (a good file gone bad loses its article), then removed:
	// forgotten too.
	id := keys(t, st)["seeds/empty.txt"]
	write(t, dir, "empty.txt", "\x00\x01\x02 binary")
	wantResult(t, sync1(t, s2), Result{Removed: 1, Unchanged: 1, Bad: 1})
	if active(t, st, id) {
		t.Errorf("the article of a file gone bad is still active")
	}
	if n := lb2.Count("seeds: skipped bad file"); n != 2 {
		t.Errorf("reported %d times in all, want 2:\n%s", n, lb2)
	}
	write(t, dir, "notes.docx", "Minutes of the library committee.")
	wantResult(t, sync1(t, s2), Result{Unchanged: 1, Bad: 2})
	if r := reported(t, st); len(r) != 2 {
		t.Errorf("reported state = %v, want 2 files", r)
	}
	os.Remove(filepath.Join(dir, "empty.txt"))
	wantResult(t, sync1(t, s2), Result{Unchanged: 1, Bad: 1})
	if r := reported(t, st); len(r) != 1 || r["seeds/notes.docx"] == "" {
		t.Errorf("reported state = %v, want only notes.docx", r)
	}
	// Reported again when it comes back after being forgotten.
	write(t, dir, "empty.txt", "")
	sync1(t, s2)
	if n := lb2.Count("seeds: skipped bad file"); n != 4 {
		t.Errorf("reported %d times in all, want 4:\n%s", n, lb2)
	}
}

func TestUnreadableSubfolder(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a file system that enforces permissions")
	}
	dir := t.TempDir()
	write(t, dir, "library.txt", story(0, ""))
	write(t, dir, "locked/ferry.md", story(1, ""))
	st := openStore(t)
	s, lb, _ := newSeeds(dir, st)
	wantResult(t, sync1(t, s), Result{Added: 2})

	locked := filepath.Join(dir, "locked")
	if err := os.Chmod(locked, 0o000); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	// Its files cannot be seen, so their keys are kept.
	wantResult(t, sync1(t, s), Result{Unchanged: 1, Bad: 1})
	wantResult(t, sync1(t, s), Result{Unchanged: 1, Bad: 1})
	if keys(t, st)["seeds/locked/ferry.md"] == "" {
		t.Errorf("the key of a file in an unreadable folder was removed")
	}
	if n := lb.Count("seeds: skipped bad file"); n != 1 {
		t.Errorf("unreadable folder reported %d times, want once:\n%s", n, lb)
	}
	os.Chmod(locked, 0o755)
	wantResult(t, sync1(t, s), Result{Unchanged: 2})
	if r := reported(t, st); len(r) != 0 {
		t.Errorf("reported state = %v, want empty", r)
	}
}

func TestAnalysisPanicIsABadFile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "library.txt", story(0, ""))
	st := openStore(t)
	s, lb, _ := newSeeds(dir, st)
	s.analyze = func(*briefing.Article, briefing.Options) *briefing.Analysis { panic("boom") }
	wantResult(t, sync1(t, s), Result{Bad: 1})
	wantResult(t, sync1(t, s), Result{Bad: 1})
	if n := lb.Count("seeds: skipped bad file"); n != 1 || !strings.Contains(lb.String(), "analysis failed: boom") {
		t.Errorf("want one report of the failed analysis:\n%s", lb)
	}
}

func TestMissingFolder(t *testing.T) {
	st := openStore(t)
	s, _, _ := newSeeds(filepath.Join(t.TempDir(), "nowhere"), st)
	if _, err := s.Sync(ctx); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Sync of a missing folder: %v, want not found", err)
	}

	file := write(t, t.TempDir(), "library.txt", story(0, ""))
	s.Dir = file
	if _, err := s.Sync(ctx); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("Sync of a file: %v, want not a folder", err)
	}

	// A folder that goes away (unmounted, renamed) removes nothing.
	dir := t.TempDir()
	write(t, dir, "library.txt", story(0, ""))
	s, _, _ = newSeeds(filepath.Join(dir), st)
	sync1(t, s)
	before := keys(t, st)
	moved := dir + ".moved"
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(moved) })
	if _, err := s.Sync(ctx); err == nil {
		t.Errorf("Sync of a folder gone: no error")
	}
	if got := keys(t, st); !reflect.DeepEqual(got, before) {
		t.Errorf("keys = %v, want %v kept", got, before)
	}
}

func TestWatch(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "library.txt", story(0, ""))
	st := openStore(t)
	s, _, _ := newSeeds(dir, st)
	s.Interval = 20 * time.Millisecond

	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Watch(wctx) }()

	has := func(key string) func() bool {
		return func() bool {
			_, err := st.ArticleID(ctx, key)
			return err == nil
		}
	}
	testutil.WaitFor(t, 5*time.Second, "the first sync", has("seeds/library.txt"))
	write(t, dir, "harbor/ferry.md", story(1, ""))
	// A sync of its own meanwhile (a reload command, say) is safe.
	if _, err := s.Sync(ctx); err != nil {
		t.Error(err)
	}
	write(t, dir, "bakery.json", story(2, ""))
	testutil.WaitFor(t, 5*time.Second, "a file added while watching", has("seeds/bakery.json"))
	if !has("seeds/harbor/ferry.md")() {
		t.Errorf("ferry.md not stored")
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Watch = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Watch did not return after cancellation")
	}
}

func TestWatchLogsErrorsOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "seeds")
	st := openStore(t)
	s, lb, _ := newSeeds(dir, st)
	s.Interval = time.Millisecond
	var fails, oks atomic.Int64
	s.afterSync = func(err error) {
		if err != nil {
			fails.Add(1)
		} else {
			oks.Add(1)
		}
	}
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Watch(wctx) }()

	testutil.WaitFor(t, 5*time.Second, "failing syncs", func() bool { return fails.Load() >= 5 })
	if n := lb.Count("seeds: sync failed"); n != 1 {
		t.Errorf("logged %d failures in %d syncs, want 1:\n%s", n, fails.Load(), lb)
	}
	if !strings.Contains(lb.String(), "level=ERROR") || !strings.Contains(lb.String(), "no such file") {
		t.Errorf("failure log lacks level or reason:\n%s", lb)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, 5*time.Second, "a good sync", func() bool { return oks.Load() >= 3 })
	if n := lb.Count("seeds: sync recovered"); n != 1 {
		t.Errorf("logged %d recoveries, want 1:\n%s", n, lb)
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	f := fails.Load()
	testutil.WaitFor(t, 5*time.Second, "failing syncs", func() bool { return fails.Load() >= f+3 })
	if n := lb.Count("seeds: sync failed"); n != 2 {
		t.Errorf("logged %d failures, want 2 (once more after the recovery):\n%s", n, lb)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Watch = %v", err)
	}
}

// TestListMatchesLoadPaths checks that a folder is walked with the rules
// of briefing.LoadPaths: the same files, in the same order.
func TestListMatchesLoadPaths(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{
		"a.txt", "b-c.txt", "b/c.md", "b/README.txt", "b/readme-2.md", ".h.txt", ".hid/x.txt",
		"README.md", "Readme", "notes.docx", "z/y/x.json", "z/a.htm", "B.txt",
	} {
		write(t, dir, name, story(0, name))
	}
	if runtime.GOOS != "windows" {
		if err := os.Symlink(filepath.Join(dir, "b"), filepath.Join(dir, "link")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(dir, "a.txt"), filepath.Join(dir, "m.txt")); err != nil {
			t.Fatal(err)
		}
	}
	files, dirErrs, err := listSeeds(dir)
	if err != nil || len(dirErrs) != 0 {
		t.Fatal(err, dirErrs)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.path)
		if want := KeyPrefix + filepath.ToSlash(strings.TrimPrefix(f.path, dir+string(filepath.Separator))); f.key != want {
			t.Errorf("key of %s = %q, want %q", f.path, f.key, want)
		}
	}
	arts, errs := briefing.LoadPaths([]string{dir}, briefing.LoadOptions{})
	var loaded, failed []string
	for _, a := range arts {
		loaded = append(loaded, a.Path)
	}
	for _, e := range errs {
		failed = append(failed, e.Path)
	}
	var gotLoaded, gotFailed []string
	for _, p := range got {
		if _, err := briefing.LoadFile(p, briefing.LoadOptions{}); err == nil {
			gotLoaded = append(gotLoaded, p)
		} else {
			gotFailed = append(gotFailed, p)
		}
	}
	if !reflect.DeepEqual(gotLoaded, loaded) || !reflect.DeepEqual(gotFailed, failed) {
		t.Errorf("listed %q\nLoadPaths loaded %q and failed %q", got, loaded, failed)
	}
	if len(failed) == 0 || len(loaded) < 5 {
		t.Errorf("the folder does not test much: loaded %q, failed %q", loaded, failed)
	}
}

// benchFolder writes n articles, last changed an hour ago, and syncs them
// into a new store.
func benchFolder(b *testing.B, n int) (string, *store.Store) {
	dir := b.TempDir()
	old := time.Now().Add(-time.Hour)
	for i := range n {
		p := write(b, dir, fmt.Sprintf("%02d/%04d.txt", i/100, i), story(i+len(stories), ""))
		if err := os.Chtimes(p, old, old); err != nil {
			b.Fatal(err)
		}
	}
	st := openStore(b)
	s := &Seeds{Dir: dir, Store: st, Log: slog.New(slog.DiscardHandler)}
	wantResult(b, sync1(b, s), Result{Added: n})
	return dir, st
}

// BenchmarkSyncUnchanged is a poll of a 1,000-file folder already in the
// store, with no change.
func BenchmarkSyncUnchanged(b *testing.B) {
	dir, st := benchFolder(b, 1000)
	s, _, c := newSeeds(dir, st)
	sync1(b, s)
	c.loads.Store(0)
	for b.Loop() {
		wantResult(b, sync1(b, s), Result{Unchanged: 1000})
	}
	if c.loads.Load() != 0 || c.analyses.Load() != 0 {
		b.Fatalf("read %d files and analyzed %d", c.loads.Load(), c.analyses.Load())
	}
}

// BenchmarkSyncRestart is the first sync after a start, of a 1,000-file
// folder already in the store: every file is read, none analyzed.
func BenchmarkSyncRestart(b *testing.B) {
	dir, st := benchFolder(b, 1000)
	for b.Loop() {
		s, _, c := newSeeds(dir, st)
		wantResult(b, sync1(b, s), Result{Unchanged: 1000})
		if c.analyses.Load() != 0 {
			b.Fatal("analyzed")
		}
	}
}

// TestLinkOutsideFolder: a symbolic link in the folder that points out of
// it (to /etc/passwd, say) is not briefed, and is reported once; a link
// to a file inside the folder is.
func TestLinkOutsideFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	root := t.TempDir()
	dir := filepath.Join(root, "seeds")
	secret := write(t, root, "private/secret.txt", story(1, "outside"))
	write(t, dir, "a.txt", story(0, ""))
	if err := os.Symlink(secret, filepath.Join(dir, "passwd.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.txt", filepath.Join(dir, "alias.txt")); err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	s, lb, _ := newSeeds(dir, st)
	wantResult(t, sync1(t, s), Result{Added: 2, Bad: 1})
	k := keys(t, st)
	if _, ok := k[KeyPrefix+"passwd.txt"]; ok || len(k) != 2 {
		t.Errorf("keys = %v", k)
	}
	wantResult(t, sync1(t, s), Result{Unchanged: 2, Bad: 1})
	if n := lb.Count("seeds: skipped bad file"); n != 1 || !strings.Contains(lb.String(), "outside the folder") {
		t.Errorf("reported %d times:\n%s", n, lb)
	}
	// A restart does not report it again either.
	s2, lb2, _ := newSeeds(dir, st)
	wantResult(t, sync1(t, s2), Result{Unchanged: 2, Bad: 1})
	if n := lb2.Count("seeds: skipped bad file"); n != 0 {
		t.Errorf("reported again after a restart:\n%s", lb2)
	}
}

// A batch too slow to commit (here: any of more than 3 articles fails, as
// one that outlasts its lease on a loaded machine does) gives way to
// smaller batches: the next syncs store every file, and the batches grow
// again after.
func TestFailedBatchesShrink(t *testing.T) {
	dir := t.TempDir()
	const n = 10
	for i := range n {
		write(t, dir, fmt.Sprintf("item%02d.txt", i), story(i, ""))
	}
	st := openStore(t)
	s, _, _ := newSeeds(dir, st)
	tooSlow := errors.New("the batch outlasted its lease")
	var sizes []int
	slow := true
	s.putArticles = func(ctx context.Context, puts []store.ArticlePut) ([]bool, error) {
		sizes = append(sizes, len(puts))
		if slow && len(puts) > 3 {
			return nil, tooSlow
		}
		return st.PutArticles(ctx, puts)
	}
	var failed int
	for range 10 {
		if _, err := s.Sync(ctx); err != nil {
			if !errors.Is(err, tooSlow) {
				t.Fatalf("Sync: %v", err)
			}
			failed++
			continue
		}
		break
	}
	if got := len(keys(t, st)); got != n {
		t.Fatalf("%d files stored after %d failed syncs, want %d (batch sizes %v)", got, failed, n, sizes)
	}
	if failed > 3 {
		t.Errorf("%d failed syncs before the batches were small enough (sizes %v)", failed, sizes)
	}
	// The load gone, the batches grow again.
	slow = false
	for i := n; i < 3*n; i++ {
		write(t, dir, fmt.Sprintf("item%02d.txt", i), story(i, ""))
	}
	before := len(sizes)
	sync1(t, s)
	if later := sizes[before:]; slices.Max(later) <= 3 {
		t.Errorf("the batches stay small once they commit again: %v", later)
	}
}

// The search index is merged (by Watch, after each sync) once syncs have
// stored a batch of articles, and not before.
func TestMergeIndexAfterABatch(t *testing.T) {
	dir := t.TempDir()
	for i := range putBatch - 1 {
		write(t, dir, fmt.Sprintf("item%03d.md", i), story(100+i, ""))
	}
	st := openStore(t)
	s, lb, _ := newSeeds(dir, st)
	wantResult(t, sync1(t, s), Result{Added: putBatch - 1})
	s.mergeIndex(ctx)
	if s.unmerged != putBatch-1 {
		t.Fatalf("unmerged %d after %d articles; want them left for later", s.unmerged, putBatch-1)
	}
	write(t, dir, "item999.md", story(999, ""))
	wantResult(t, sync1(t, s), Result{Added: 1, Unchanged: putBatch - 1})
	s.mergeIndex(ctx)
	if s.unmerged != 0 {
		t.Errorf("unmerged %d after a batch; want the index merged", s.unmerged)
	}
	if strings.Contains(lb.String(), "merging") {
		t.Errorf("log:\n%s", lb.String())
	}
	if res, err := st.Search(ctx, "What did councillor Ada Mensah say about item 150?", store.SearchOptions{Attributed: true}); err != nil || len(res.Hits) == 0 {
		t.Errorf("search after merging: %+v, %v", res, err)
	}
}
