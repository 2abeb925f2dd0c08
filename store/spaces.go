package store

// Spaces: who sees which articles.
//
// A space is a Discord server, a Slack workspace, a Discord direct message
// or the console, named by the bot ("discord:123", "slack:T1",
// "discord:dm:456", "console"). The store only compares the names. The
// space "" (Global) is every space: the sources whoever runs the bot set
// up, the seeds folder and FEEDS.
//
// A source key is global unless it is a feed's: a key that some feed item
// records belongs to the spaces that follow those feeds (feed_spaces),
// '' for a global feed. An article is seen in the spaces of the keys that
// point at it. space_articles keeps that, one row per (article, space),
// kept in step by every write to sources, feed_items and feed_spaces
// (refreshSpaces, in the same transaction): an article a space sees has
// an active row for the space or for ''. The row's seq, given when the
// article first came to that space, orders arrivals: digests and live
// posts read the articles whose first arrival in the channel's space (its
// own row or the global one, whichever came first) is past their cursor,
// so a story a space already saw is not new to it again when another of
// its feeds carries it, or when it is followed again.

import (
	"context"
	"database/sql"
	"fmt"
	"math/bits"
	"strings"
)

// Global is the space of the global sources, which every space sees.
const Global = ""

// visibleIn is an SQL condition: the article whose ID is the SQL
// expression article is seen in the space bound to the parameter param.
// It costs two lookups of the (article_id, space) index.
func visibleIn(article, param string) string {
	return `EXISTS (SELECT 1 FROM space_articles v WHERE v.article_id = ` + article +
		` AND v.space IN ('', ` + param + `) AND v.active = 1)`
}

// execer runs statements: the db or a tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// refreshSpaces brings space_articles in step with sources, feed_items and
// feed_spaces for the articles that the SQL query articles (a SELECT of
// article IDs, with args) selects: an article gets a row, with the next
// seq, in each space that sees it for the first time, its rows are
// active where it is seen and inactive elsewhere. Writers call it in
// their transaction, after their change, for the articles it may
// concern.
func refreshSpaces(ctx context.Context, ex execer, articles string, args ...any) error {
	return refreshSpacesOf(ctx, ex, false, articles, args...)
}

// refreshSpacesOf is refreshSpaces; if fresh, every article selected is
// new to the store (stored by the caller's transaction, its spaces not yet
// refreshed), so that none has rows in space_articles yet (articles are
// never deleted) and there is nothing to make inactive.
func refreshSpacesOf(ctx context.Context, ex execer, fresh bool, articles string, args ...any) error {
	want := `WITH arts (id) AS (` + articles + `),
	want (article_id, space) AS (
		SELECT s.article_id, fs.space FROM sources s
			JOIN feed_items fi ON fi.key = s.key
			JOIN feed_spaces fs ON fs.feed_url = fi.feed_url
		WHERE s.article_id IN (SELECT id FROM arts)
		UNION
		SELECT s.article_id, '' FROM sources s
		WHERE s.article_id IN (SELECT id FROM arts)
			AND NOT EXISTS (SELECT 1 FROM feed_items fi WHERE fi.key = s.key)
	) `
	exec := ex.ExecContext
	if t, ok := ex.(*tx); ok && !t.c.d.postgres {
		// On SQLite, compiled once per connection (tx.prepared): the
		// statements are long, and a seeds sync runs them for every batch.
		exec = func(ctx context.Context, query string, args ...any) (sql.Result, error) {
			st, err := t.prepared(ctx, query)
			if err != nil {
				return nil, err
			}
			return st.ExecContext(ctx, args...)
		}
	}
	if _, err := exec(ctx, want+`
		INSERT INTO space_articles (space, article_id, active)
		SELECT w.space, w.article_id, 1 FROM want w JOIN articles a ON a.id = w.article_id
		WHERE true ORDER BY a.seq, w.space
		ON CONFLICT (article_id, space) DO UPDATE SET active = 1 WHERE space_articles.active = 0`, args...); err != nil {
		return fmt.Errorf("spaces: %w", err)
	}
	if fresh {
		return nil
	}
	if _, err := exec(ctx, want+`
		UPDATE space_articles SET active = 0
		WHERE article_id IN (SELECT id FROM arts) AND active = 1
			AND NOT EXISTS (SELECT 1 FROM want w
				WHERE w.article_id = space_articles.article_id AND w.space = space_articles.space)`, args...); err != nil {
		return fmt.Errorf("spaces: %w", err)
	}
	return nil
}

// refreshArticles is refreshSpaces for the articles with the IDs.
func refreshArticles(ctx context.Context, tx execer, ids []string) error {
	return refreshArticlesOf(ctx, tx, false, ids)
}

// refreshArticlesOf is refreshArticles, with refreshSpacesOf's fresh.
func refreshArticlesOf(ctx context.Context, tx execer, fresh bool, ids []string) error {
	for start := 0; start < len(ids); start += routeChunk {
		chunk := ids[start:min(start+routeChunk, len(ids))]
		// As many IDs as a power of two, the last repeated (harmless in
		// IN): a few statements for every length, each compiled once.
		args := make([]any, min(routeChunk, 1<<bits.Len(uint(len(chunk)-1))))
		for i := range args {
			args[i] = chunk[min(i, len(chunk)-1)]
		}
		if err := refreshSpacesOf(ctx, tx, fresh, `SELECT id FROM articles WHERE id IN `+placeholders(len(args)), args...); err != nil {
			return err
		}
	}
	return nil
}

// placeholders is "(?, ?, ...)" with n parameters.
func placeholders(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

// articlesOfFeed selects the articles of a feed's items, for
// refreshSpaces; its parameter is the feed's URL.
const articlesOfFeed = `SELECT s.article_id FROM feed_items fi JOIN sources s ON s.key = fi.key WHERE fi.feed_url = ?`

// VisibleArticles returns the articles the space sees (its own and the
// global ones) that came to it after the arrival afterSeq, the latest
// arrival first, at most limit of them if limit > 0. Their Seq is their
// first arrival in the space, the cursor of digests (see the top of this
// file). They come without their Body (see Article).
func (s *Store) VisibleArticles(ctx context.Context, space string, afterSeq int64, limit int) ([]*StoredArticle, error) {
	list, err := queryRows(ctx, s.db, scanListedArticle, `
		SELECT n.seq, `+articleRest+` FROM (
			SELECT r.article_id, MIN(r.seq) AS seq FROM space_articles r
			WHERE r.space IN ('', ?1) AND r.seq > ?2
				AND NOT EXISTS (SELECT 1 FROM space_articles o
					WHERE o.article_id = r.article_id AND o.space IN ('', ?1) AND o.seq <= ?2)
			GROUP BY r.article_id HAVING MAX(r.active) = 1
		) n JOIN articles a ON a.id = n.article_id
		ORDER BY n.seq DESC LIMIT ?3`, space, afterSeq, s.db.d.limit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: articles of space %q: %w", space, err)
	}
	return list, nil
}

// SeenIn reports whether the space sees the article, or saw it once (a
// feed it followed then carried it): whether it may be told of it.
func (s *Store) SeenIn(ctx context.Context, space, articleID string) (bool, error) {
	var seen bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM space_articles
		WHERE article_id = ? AND space IN ('', ?))`, articleID, space).Scan(&seen)
	if err != nil {
		return false, fmt.Errorf("store: article %s seen in space %q: %w", articleID, space, err)
	}
	return seen, nil
}

// latestFrom is what follows the columns of LatestArticles' query
// (parameters: the space, the limit): LatestHeadlines reads the same rows.
var latestFrom = ` FROM articles a
		WHERE ` + visibleIn("a.id", "?1") + ` ORDER BY a.seq DESC LIMIT ?2`

// LatestArticles returns the newest articles the space sees (its own and
// the global ones), newest stored first, at most limit of them: what a
// briefing shows. They come without their Body (see Article).
func (s *Store) LatestArticles(ctx context.Context, space string, limit int) ([]*StoredArticle, error) {
	list, err := queryRows(ctx, s.db, scanListedArticle, `SELECT `+articleCols+latestFrom, space, limit)
	if err != nil {
		return nil, fmt.Errorf("store: latest articles of space %q: %w", space, err)
	}
	return list, nil
}

// LatestHeadlines returns the headlines of LatestArticles(ctx, space,
// limit), in its order: what an answer that has nothing names, without
// reading and decoding the rest of each article (their bullets were most
// of that work).
func (s *Store) LatestHeadlines(ctx context.Context, space string, limit int) ([]string, error) {
	list, err := queryRows(ctx, s.db, scanString, `SELECT a.headline`+latestFrom, space, limit)
	if err != nil {
		return nil, fmt.Errorf("store: latest headlines of space %q: %w", space, err)
	}
	return list, nil
}

// LastArrival is the latest arrival of an article in any space, 0 if none:
// a live subscription made now starts after it.
func (s *Store) LastArrival(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM space_articles`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: last arrival: %w", err)
	}
	return seq, nil
}

// Arrival is an article's arrival in a space (see VisibleArticles).
type Arrival struct {
	Seq       int64
	Space     string // Global for every space
	ArticleID string
	Active    bool // the space still sees it
}

// Arrivals returns every arrival row of the articles that arrived in any
// space after afterSeq, at most limit articles (the latest ones), in
// arrival order, rows before afterSeq included: a reader tells what is
// new to a space from all of an article's rows (see VisibleArticles).
// more is the number of other articles that arrived after afterSeq, left
// out by limit.
func (s *Store) Arrivals(ctx context.Context, afterSeq int64, limit int) (rows []Arrival, more int, err error) {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT article_id) FROM space_articles WHERE seq > ?`, afterSeq).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: arrivals: %w", err)
	}
	rows, err = queryRows(ctx, s.db, func(row scanner) (Arrival, error) {
		var a Arrival
		err := row.Scan(&a.Seq, &a.Space, &a.ArticleID, &a.Active)
		return a, err
	}, `
		SELECT seq, space, article_id, active FROM space_articles WHERE article_id IN (
			SELECT article_id FROM space_articles WHERE seq > ?1
			GROUP BY article_id ORDER BY MAX(seq) DESC LIMIT ?2)
		ORDER BY seq`, afterSeq, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("store: arrivals: %w", err)
	}
	return rows, max(0, total-limit), nil
}

// Route is what routing an article to channels reads besides its
// listing: the text a filter matches, and the feeds that carry it.
type Route struct {
	Headline string // the briefing's headline, else the article's title
	Body     string
	Speakers []string // the speakers of its claims, each once, in order
	Feeds    []string // URLs of the feeds whose items give it; none for a seed
}

// routeChunk is how many article IDs one query of Routes binds.
const routeChunk = 500

// Routes returns the Route of each of the articles with the IDs (by ID;
// unknown IDs are left out).
func (s *Store) Routes(ctx context.Context, ids []string) (map[string]*Route, error) {
	out := make(map[string]*Route, len(ids))
	for start := 0; start < len(ids); start += routeChunk {
		chunk := ids[start:min(start+routeChunk, len(ids))]
		in := placeholders(len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		type pair struct{ id, v string }
		scanPair := func(row scanner) (pair, error) {
			var p pair
			err := row.Scan(&p.id, &p.v)
			return p, err
		}
		type text struct{ id, headline, body string }
		texts, err := queryRows(ctx, s.db, func(row scanner) (text, error) {
			var t text
			err := row.Scan(&t.id, &t.headline, &t.body)
			return t, err
		}, `SELECT id, CASE WHEN headline <> '' THEN headline ELSE title END, body FROM articles WHERE id IN `+in, args...)
		if err != nil {
			return nil, fmt.Errorf("store: routes: %w", err)
		}
		for _, t := range texts {
			out[t.id] = &Route{Headline: t.headline, Body: t.body}
		}
		speakers, err := queryRows(ctx, s.db, scanPair, `SELECT article_id, speaker FROM claims
			WHERE speaker <> '' AND article_id IN `+in+` GROUP BY article_id, speaker ORDER BY article_id, MIN(idx)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: routes: %w", err)
		}
		for _, p := range speakers {
			if r := out[p.id]; r != nil {
				r.Speakers = append(r.Speakers, p.v)
			}
		}
		feeds, err := queryRows(ctx, s.db, scanPair, `SELECT DISTINCT s.article_id, fi.feed_url FROM sources s
			JOIN feed_items fi ON fi.key = s.key WHERE s.article_id IN `+in+` ORDER BY s.article_id, fi.feed_url`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: routes: %w", err)
		}
		for _, p := range feeds {
			if r := out[p.id]; r != nil {
				r.Feeds = append(r.Feeds, p.v)
			}
		}
	}
	return out, nil
}
