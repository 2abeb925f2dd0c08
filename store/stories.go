package store

// Stories: articles about the same event, grouped by briefing.Grouper.
//
// An article's story is decided once, when the article is first stored,
// in the transaction that stores it, and kept in article_stories with the
// time the grouper was given and the order of assignment (its seq). The
// grouper's answer depends only on the articles added before, in order
// (see briefing.Grouper.Add), so the store keeps one grouper per process
// that has seen exactly the assignments up to article_stories' highest
// seq, and the order is the same for every process:
//
//   - Writes of articles are serialised: SQLite's write lock, PostgreSQL's
//     advisory lock (db.go). A transaction that stores a new article first
//     brings the grouper up to date with the assignments other processes
//     (replicas) committed since it last looked, in seq order (Restore:
//     their stories are theirs to decide, never decided again), then adds
//     the article and records its story. So every assignment is made by
//     one process, on the full history before it, and no two processes can
//     assign at once.
//   - At start (the first new article of a process), and whenever a
//     transaction that had added to the grouper did not commit, the grouper
//     is rebuilt from the assignments within the window of the newest one,
//     in seq order, with Restore: before the write transaction, so that
//     other writers do not wait for it, which then takes in what was
//     committed meanwhile. Story IDs never change on restart: they are
//     read back, not recomputed.
//   - Articles stored before stories existed (schema version 10 and
//     older) have no row; each is its own story until a rebuild assigns
//     those stored within the window (then they get a row like any other).
//
// story_posts keeps, for each channel, which articles of each story it
// was shown, so that a story that grows is not posted as new again (see
// bot's digests).

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// storyState is the process's grouper and how far it has seen.
type storyState struct {
	mu    sync.Mutex
	opt   briefing.StoryOptions
	g     *briefing.Grouper
	upTo  int64 // the highest article_stories.seq g holds
	valid bool  // g holds every assignment up to upTo; false: rebuild it first
	dirty bool  // g holds what the write transaction under way assigned: valid only once it commits
	// caughtUp: the write transaction under way has brought g up to date
	// (catchUp); nobody else can commit until it ends (it holds the
	// write lock), so the next articles of its batch need not look again.
	caughtUp bool

	backfilled bool // the articles stored before stories were assigned, by this process
}

// maxBackfill is the most articles stored before stories that a rebuild
// assigns to stories.
const maxBackfill = 10000

// SetStoryOptions sets how articles are grouped into stories (the window);
// the grouper is rebuilt with them before the next article is stored.
func (s *Store) SetStoryOptions(opt briefing.StoryOptions) {
	s.stories.mu.Lock()
	defer s.stories.mu.Unlock()
	s.stories.opt = opt
	s.stories.valid, s.stories.backfilled = false, false
}

// storyWindow is the grouping window in effect.
func (st *storyState) window() time.Duration {
	if st.opt.Window > 0 {
		return st.opt.Window
	}
	return 72 * time.Hour
}

// storyTime is the time an article is grouped at: when it was published,
// unless unknown or in the future (a wrong clock or a wrong feed), then
// when it was stored.
func storyTime(a *briefing.Article, now time.Time) time.Time {
	if now.IsZero() {
		now = time.Now()
	}
	if a.Published.IsZero() || a.Published.After(now.Add(time.Hour)) {
		return now
	}
	return a.Published
}

// assignStory gives the article an, whose terms (briefing.TermsOf) are
// terms, its story, in the caller's write transaction, which stores it
// new. The caller holds st.mu, calls begin
// when the transaction (or its retry) begins, and end when it is over.
// Articles of one transaction (a batch) are assigned in turn: the grouper
// then holds those before, as the transaction sees them.
func (st *storyState) assignStory(ctx context.Context, tx *tx, an *briefing.Analysis, terms *briefing.StoryTerms, at time.Time) error {
	st.dirty = true // whatever the grouper takes in now is the transaction's
	if !st.caughtUp {
		if err := st.catchUp(ctx, tx, an.Article.ID); err != nil {
			return fmt.Errorf("stories: %w", err)
		}
		st.caughtUp = true
	}
	story := st.g.AddTerms(terms, at)
	var seq int64
	var err error
	if tx.c.d.postgres {
		var stmt *sql.Stmt
		stmt, err = tx.prepared(ctx, `INSERT INTO article_stories (article_id, story, at) VALUES (?, ?, ?) RETURNING seq`)
		if err == nil {
			err = stmt.QueryRowContext(ctx, an.Article.ID, story, at.UnixNano()).Scan(&seq)
		}
	} else {
		// The seq is the rowid: no rows to read back.
		var stmt *sql.Stmt
		stmt, err = tx.prepared(ctx, `INSERT INTO article_stories (article_id, story, at) VALUES (?, ?, ?)`)
		var res sql.Result
		if err == nil {
			res, err = stmt.ExecContext(ctx, an.Article.ID, story, at.UnixNano())
		}
		if err == nil {
			seq, err = res.LastInsertId()
		}
	}
	if err != nil {
		return fmt.Errorf("stories: %w", err)
	}
	st.upTo = seq
	return nil
}

// begin starts an attempt of a write transaction that may assign stories:
// what an attempt before it assigned was rolled back, so the grouper that
// took it in is rebuilt.
func (st *storyState) begin() {
	st.caughtUp = false
	if st.dirty {
		st.valid, st.dirty, st.backfilled = false, false, false
	}
}

// end records how the write transaction ended (err nil: committed): the
// grouper holds what it assigned, or is rebuilt before the next.
func (st *storyState) end(err error) {
	if !st.dirty {
		return
	}
	if err != nil {
		st.valid, st.backfilled = false, false
	}
	st.dirty = false
}

// catchUp brings the grouper up to date with the database, in the write
// transaction tx: given the assignments committed since it last looked
// (by other processes), rebuilt first if it is not valid (see prepare),
// and, once per process, the articles stored before stories existed
// assigned. The article being stored, adding, is left to the caller.
func (st *storyState) catchUp(ctx context.Context, tx *tx, adding string) error {
	if !st.valid || st.g == nil {
		if err := st.rebuild(ctx, tx); err != nil {
			return err
		}
	}
	rows, err := assignmentsAfter(ctx, tx, `seq > ?`, st.upTo)
	if err != nil {
		return err
	}
	if err := st.restore(ctx, tx, rows); err != nil {
		return err
	}
	if !st.backfilled {
		if err := st.backfill(ctx, tx, adding); err != nil {
			return err
		}
		st.backfilled = true
	}
	return nil
}

// prepare rebuilds the grouper if it is not valid, before the write
// transaction that stores an article, so that the transaction, which
// holds the database's write lock, has only the assignments committed
// meanwhile to take in (see catchUp).
func (st *storyState) prepare(ctx context.Context, q querier) error {
	if st.valid && st.g != nil {
		return nil
	}
	return st.rebuild(ctx, q)
}

// rebuild makes the grouper anew from the committed assignments within
// the window of the newest, in order.
func (st *storyState) rebuild(ctx context.Context, q querier) error {
	st.g, st.upTo, st.valid = briefing.NewGrouper(st.opt), 0, false
	newest, err := queryRows(ctx, q, func(row scanner) (int64, error) {
		var n int64
		err := row.Scan(&n)
		return n, err
	}, `SELECT COALESCE(MAX(at), 0) FROM article_stories`)
	if err != nil {
		return err
	}
	rows, err := assignmentsAfter(ctx, q, `at >= ?`, newest[0]-int64(st.window()))
	if err != nil {
		return err
	}
	if err := st.restore(ctx, q, rows); err != nil {
		return err
	}
	st.valid = true
	return nil
}

// backfill assigns stories, in tx, to the articles stored before stories
// existed, within the window of now, but adding.
func (st *storyState) backfill(ctx context.Context, tx *tx, adding string) error {
	ids, err := queryRows(ctx, tx, scanString, `
		SELECT a.id FROM articles a
		WHERE a.ingested_at >= ? AND a.id <> ? AND NOT EXISTS (SELECT 1 FROM article_stories st WHERE st.article_id = a.id)
		ORDER BY a.seq LIMIT ?`, time.Now().Add(-st.window()).UnixNano(), adding, maxBackfill)
	if err != nil {
		return err
	}
	for _, id := range ids {
		an, err := loadAnalysis(ctx, tx, id)
		if err != nil {
			return err
		}
		at := storyTime(an.Article, time.Now())
		story := st.g.Add(an, at)
		if err := tx.QueryRowContext(ctx, `INSERT INTO article_stories (article_id, story, at) VALUES (?, ?, ?) RETURNING seq`,
			id, story, at.UnixNano()).Scan(&st.upTo); err != nil {
			return err
		}
	}
	return nil
}

// restore gives the grouper assignments already made, in order.
func (st *storyState) restore(ctx context.Context, q querier, rows []assignment) error {
	for _, r := range rows {
		an, err := loadAnalysis(ctx, q, r.article)
		if err != nil {
			return err
		}
		st.g.Restore(an, fromNanos(r.at), r.story)
		st.upTo = max(st.upTo, r.seq)
	}
	return nil
}

// assignment is a row of article_stories.
type assignment struct {
	seq            int64
	article, story string
	at             int64
}

// assignmentsAfter returns the rows of article_stories that the condition
// (with its one argument) selects, in seq order.
func assignmentsAfter(ctx context.Context, q querier, cond string, arg any) ([]assignment, error) {
	return queryRows(ctx, q, func(row scanner) (assignment, error) {
		var a assignment
		err := row.Scan(&a.seq, &a.article, &a.story, &a.at)
		return a, err
	}, `SELECT seq, article_id, story, at FROM article_stories WHERE `+cond+` ORDER BY seq`, arg)
}

// loadAnalysis reads an article back as the engine analysed it: the
// article with its body, its sentences, its claims and its briefing.
func loadAnalysis(ctx context.Context, q querier, id string) (*briefing.Analysis, error) {
	list, err := queryRows(ctx, q, func(row scanner) (*StoredArticle, error) { return scanArticle(row, true) },
		`SELECT `+articleCols+`, a.body FROM articles a WHERE a.id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", id, err)
	}
	if len(list) == 0 {
		return nil, notFound(sql.ErrNoRows, "article "+id)
	}
	claims, err := queryRows(ctx, q, scanClaim, `SELECT `+claimCols+` FROM claims WHERE article_id = ? ORDER BY idx`, id)
	if err != nil {
		return nil, fmt.Errorf("claims of article %s: %w", id, err)
	}
	a := list[0].Article
	return &briefing.Analysis{Article: &a, Sentences: briefing.Segment(a.Body), Claims: claims, Briefing: list[0].Briefing}, nil
}

// Analyses returns the stored analyses of the articles with the IDs, in
// the same order: what briefing.BriefStory reads.
func (s *Store) Analyses(ctx context.Context, ids []string) ([]*briefing.Analysis, error) {
	out := make([]*briefing.Analysis, 0, len(ids))
	for _, id := range ids {
		an, err := loadAnalysis(ctx, s.db, id)
		if err != nil {
			return nil, fmt.Errorf("store: analyses: %w", err)
		}
		out = append(out, an)
	}
	return out, nil
}

// StoryIDs returns the story of each of the articles with the IDs, by
// article ID. An article stored before stories existed, and not assigned
// since, is its own story; unknown IDs are left out.
func (s *Store) StoryIDs(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for start := 0; start < len(ids); start += routeChunk {
		chunk := ids[start:min(start+routeChunk, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		type pair struct{ id, story string }
		list, err := queryRows(ctx, s.db, func(row scanner) (pair, error) {
			var p pair
			err := row.Scan(&p.id, &p.story)
			return p, err
		}, `SELECT a.id, COALESCE(st.story, a.id) FROM articles a
			LEFT JOIN article_stories st ON st.article_id = a.id WHERE a.id IN `+placeholders(len(chunk)), args...)
		if err != nil {
			return nil, fmt.Errorf("store: stories of articles: %w", err)
		}
		for _, p := range list {
			out[p.id] = p.story
		}
	}
	return out, nil
}

// StoryArticles returns the articles of each of the stories (by story ID)
// that the space sees, in the order they joined it, without their Body.
// An article stored before stories existed is found as the story of its
// own ID.
func (s *Store) StoryArticles(ctx context.Context, space string, stories []string) (map[string][]*StoredArticle, error) {
	return s.storyArticles(ctx, space, stories, articleCols)
}

// StoryMembers is StoryArticles without the articles' bullets (their
// Briefing has its headline, gist and score only): cheaper, for listing
// the members of many stories.
func (s *Store) StoryMembers(ctx context.Context, space string, stories []string) (map[string][]*StoredArticle, error) {
	return s.storyArticles(ctx, space, stories, strings.Replace(articleCols, "a.bullets", "'[]'", 1))
}

// StoriesOf returns, for each of the articles with the IDs, the articles
// of its story that the space sees, in the order they joined it: what
// StoryMembers of StoryIDs reads, by article ID, in one query for up to
// routeChunk IDs instead of three (an answer asks it of its articles
// every time), and of each article only what an answer's outlets need:
// its Seq, ID, Name, Source and Published (the rest is left zero: reading
// it was most of the query's work). Unknown IDs, and articles whose story
// the space sees none of, are left out. An ID given twice is asked once
// (else its articles would be listed twice when it falls in two chunks).
func (s *Store) StoriesOf(ctx context.Context, space string, ids []string) (map[string][]*StoredArticle, error) {
	ids = distinct(ids)
	out := make(map[string][]*StoredArticle, len(ids))
	scan := func(row scanner) (storyMember, error) {
		var (
			m         storyMember
			sa        StoredArticle
			published string
		)
		if err := row.Scan(&m.key, &sa.Seq, &sa.ID, &sa.Name, &sa.Source, &published, &m.joined); err != nil {
			return m, err
		}
		if published != "" { // as scanArticle reads it
			t, err := time.Parse(time.RFC3339Nano, published)
			if err != nil {
				return m, fmt.Errorf("article %s: published: %w", sa.ID, err)
			}
			sa.Published = t
		}
		m.a = &sa
		return m, nil
	}
	const cols = `a.seq, a.id, a.name, a.source, a.published`
	for start := 0; start < len(ids); start += routeChunk {
		chunk := ids[start:min(start+routeChunk, len(ids))]
		in, args := numberedIn([]any{space}, chunk)
		// q is each article's story, as StoryIDs reads it; its members
		// are the articles assigned to it, and the article of its ID if
		// that one was stored before stories and never assigned, as
		// storyArticles reads them.
		list, err := queryRows(ctx, s.db, scan, `WITH q AS (
				SELECT x.id AS id, COALESCE(sx.story, x.id) AS story FROM articles x
				LEFT JOIN article_stories sx ON sx.article_id = x.id WHERE x.id IN `+in+`)
			SELECT q.id, `+cols+`, st.seq FROM q
			JOIN article_stories st ON st.story = q.story
			JOIN articles a ON a.id = st.article_id
			WHERE `+visibleIn("a.id", "?1")+`
			UNION ALL
			SELECT q.id, `+cols+`, 0 FROM q
			JOIN articles a ON a.id = q.story
			WHERE NOT EXISTS (SELECT 1 FROM article_stories st WHERE st.article_id = a.id)
				AND `+visibleIn("a.id", "?1"), args...)
		if err != nil {
			return nil, fmt.Errorf("store: stories of %d articles in space %q: %w", len(ids), space, err)
		}
		sortByJoin(list)
		for _, m := range list {
			out[m.key] = append(out[m.key], m.a)
		}
	}
	return out, nil
}

// distinct returns ids without repeats, in their order: ids itself when
// it has none, the usual case, so that it costs no copy then.
func distinct(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	var out []string // nil until a repeat is found
	for i, id := range ids {
		repeat := seen[id]
		seen[id] = true
		switch {
		case repeat && out == nil:
			out = slices.Clone(ids[:i])
		case !repeat && out != nil:
			out = append(out, id)
		}
	}
	if out == nil {
		return ids
	}
	return out
}

// storyArticles is StoryArticles, reading the columns cols (articleCols,
// or the same with other expressions).
func (s *Store) storyArticles(ctx context.Context, space string, stories []string, cols string) (map[string][]*StoredArticle, error) {
	out := make(map[string][]*StoredArticle, len(stories))
	for start := 0; start < len(stories); start += routeChunk {
		chunk := stories[start:min(start+routeChunk, len(stories))]
		in, args := numberedIn([]any{space}, chunk)
		scan := func(row scanner) (storyMember, error) {
			var m storyMember
			sa, err := scanArticle(rowWith{row, &m.key, &m.joined}, false)
			m.a = sa
			return m, err
		}
		list, err := queryRows(ctx, s.db, scan, `SELECT st.story, `+cols+`, st.seq FROM article_stories st
			JOIN articles a ON a.id = st.article_id
			WHERE st.story IN `+in+` AND `+visibleIn("a.id", "?1"), args...)
		if err != nil {
			return nil, fmt.Errorf("store: articles of stories: %w", err)
		}
		legacy, err := queryRows(ctx, s.db, scan, `SELECT a.id, `+cols+`, 0 FROM articles a
			WHERE a.id IN `+in+` AND NOT EXISTS (SELECT 1 FROM article_stories st WHERE st.article_id = a.id)
				AND `+visibleIn("a.id", "?1"), args...)
		if err != nil {
			return nil, fmt.Errorf("store: articles of stories: %w", err)
		}
		list = append(legacy, list...)
		sortByJoin(list)
		for _, m := range list {
			out[m.key] = append(out[m.key], m.a)
		}
	}
	return out, nil
}

// storyMember is an article of a story as storyArticles and StoriesOf
// read it: under key (the story's ID, or the article asked about), and
// with the order it joined the story in (0 for an article stored before
// stories, its own story).
type storyMember struct {
	key    string
	joined int64
	a      *StoredArticle
}

// sortByJoin sorts stories' members in the order they joined their story
// (an article stored before stories, 0, first), then by Seq, the order
// they were stored in; each key's members stay in that order as they are
// gathered.
func sortByJoin(list []storyMember) {
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].joined != list[j].joined {
			return list[i].joined < list[j].joined
		}
		return list[i].a.Seq < list[j].a.Seq
	})
}

// numberedIn returns the SQL list "(?n, ?n+1, …)" of the ids, numbered on
// from the parameters args already holds, and args with the ids appended:
// for a query whose other parameters (?1 …) come first.
func numberedIn(args []any, ids []string) (string, []any) {
	var sb strings.Builder
	sb.WriteByte('(')
	for i, id := range ids {
		if i > 0 {
			sb.WriteString(", ")
		}
		args = append(args, id)
		sb.WriteByte('?')
		sb.WriteString(strconv.Itoa(len(args)))
	}
	sb.WriteByte(')')
	return sb.String(), args
}

// rowWith scans a story ID before the columns of articleCols, and the
// order it was joined in after them.
type rowWith struct {
	row    scanner
	story  *string
	joined *int64
}

func (r rowWith) Scan(dest ...any) error {
	return r.row.Scan(append(append([]any{r.story}, dest...), r.joined)...)
}

// StoriesShown returns, for each of the stories the channel was shown,
// the IDs of the story's articles it was shown.
func (s *Store) StoriesShown(ctx context.Context, platform, channel string, stories []string) (map[string][]string, error) {
	out := map[string][]string{}
	for start := 0; start < len(stories); start += routeChunk {
		chunk := stories[start:min(start+routeChunk, len(stories))]
		in, args := numberedIn([]any{platform, channel}, chunk)
		type row struct{ story, ids string }
		list, err := queryRows(ctx, s.db, func(r scanner) (row, error) {
			var x row
			err := r.Scan(&x.story, &x.ids)
			return x, err
		}, `SELECT story, article_ids FROM story_posts WHERE platform = ?1 AND channel = ?2 AND story IN `+in, args...)
		if err != nil {
			return nil, fmt.Errorf("store: stories shown in %s/%s: %w", platform, channel, err)
		}
		for _, x := range list {
			var ids []string
			if err := json.Unmarshal([]byte(x.ids), &ids); err != nil {
				return nil, fmt.Errorf("store: stories shown in %s/%s: %w", platform, channel, err)
			}
			out[x.story] = ids
		}
	}
	return out, nil
}

// storyPostsKept is how long a channel's record of a story it was shown
// is kept after the story last grew there: longer than any window.
const storyPostsKept = 60 * 24 * time.Hour

// RecordStoriesShown adds to what the channel was shown of each story
// (story ID → article IDs), and forgets what it was shown of stories that
// have not grown there for long.
func (s *Store) RecordStoriesShown(ctx context.Context, platform, channel string, shown map[string][]string, now time.Time) error {
	if len(shown) == 0 {
		return nil
	}
	stories := make([]string, 0, len(shown))
	for id := range shown {
		stories = append(stories, id)
	}
	sort.Strings(stories)
	err := s.db.write(ctx, func(tx *tx) error {
		for _, story := range stories {
			cur, err := storyShown(ctx, tx, platform, channel, story)
			if err != nil {
				return err
			}
			if err := setStoryShown(ctx, tx, platform, channel, story, cur, shown[story], now); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM story_posts WHERE platform = ? AND channel = ? AND posted_at < ?`,
			platform, channel, nanos(now)-int64(storyPostsKept))
		return err
	})
	if err != nil {
		return wrapOnce(fmt.Sprintf("store: record stories shown in %s/%s", platform, channel), err)
	}
	return nil
}

// storyShown returns the IDs of the articles of the story the channel
// was shown.
func storyShown(ctx context.Context, tx *tx, platform, channel, story string) ([]string, error) {
	var old string
	err := tx.QueryRowContext(ctx, `SELECT article_ids FROM story_posts WHERE platform = ? AND channel = ? AND story = ?`,
		platform, channel, story).Scan(&old)
	if err != nil && err != sql.ErrNoRows {
		return nil, err
	}
	var ids []string
	if old != "" {
		if err := json.Unmarshal([]byte(old), &ids); err != nil {
			return nil, fmt.Errorf("story_posts of %s: %w", story, err)
		}
	}
	return ids, nil
}

// setStoryShown records that the channel, which was shown the articles
// cur of the story, is now also shown add.
func setStoryShown(ctx context.Context, tx *tx, platform, channel, story string, cur, add []string, now time.Time) error {
	merged := slices.Clone(cur)
	for _, id := range add {
		if !slices.Contains(merged, id) {
			merged = append(merged, id)
		}
	}
	data, err := json.Marshal(merged)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO story_posts (platform, channel, story, article_ids, posted_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (platform, channel, story) DO UPDATE SET article_ids = excluded.article_ids, posted_at = excluded.posted_at`,
		platform, channel, story, string(data), nanos(now))
	return err
}

// ClaimStoryShown records that the channel is shown the articles ids of
// the story, if what it was shown of the story is still exactly was (nil:
// nothing): it reports whether it recorded them. Two processes that would
// post the same growth of a story to a channel at once (two live posts of
// two of its articles) cannot both claim it: the second finds what the
// first recorded, and says what is new after that, or nothing.
func (s *Store) ClaimStoryShown(ctx context.Context, platform, channel, story string, was, ids []string, now time.Time) (bool, error) {
	claimed := false
	err := s.db.write(ctx, func(tx *tx) error {
		claimed = false
		cur, err := storyShown(ctx, tx, platform, channel, story)
		if err != nil {
			return err
		}
		if !sameIDs(cur, was) {
			return nil
		}
		if err := setStoryShown(ctx, tx, platform, channel, story, cur, ids, now); err != nil {
			return err
		}
		claimed = true
		return nil
	})
	if err != nil {
		return false, wrapOnce(fmt.Sprintf("store: claim story %s in %s/%s", story, platform, channel), err)
	}
	return claimed, nil
}

// sameIDs reports whether a and b hold the same IDs, in any order.
func sameIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, id := range a {
		if !slices.Contains(b, id) {
			return false
		}
	}
	return true
}
