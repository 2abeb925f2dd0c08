package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Feed is a followed RSS or Atom feed and the state of its polling.
type Feed struct {
	URL          string // the feed's address, normalized by the caller; the key
	Title        string // the feed's own title, from its last successful fetch
	ETag         string // validators of the last 200 response, sent back as
	LastModified string // If-None-Match and If-Modified-Since
	LastFetch    time.Time
	NextPoll     time.Time
	Items        int // items of this feed that are stored as articles
	Fallbacks    int // of those, how many were briefed from the feed's own text
	Failures     int // consecutive failed polls
	LastError    string
	Paused       bool
	PauseReason  string
	AddedAt      time.Time
}

// FeedItem records an item seen in a feed, so that it is not fetched and
// briefed again.
type FeedItem struct {
	FeedURL   string
	GUID      string // the item's GUID, or what stands in for it (its link)
	URL       string // canonical URL of the story (after the page's rel=canonical)
	Link      string // the item's link, normalized
	Key       string // source key of the article (see PutArticle), or ""
	ArticleID string // the article, or "" if the item gave none
	Fallback  string // why the item's own content was briefed instead of its page, or ""
	SeenAt    time.Time
}

// AddFeed follows the feed at url, or makes an already followed one active
// again: a paused feed is un-paused, its failure count reset, and its next
// poll set to nextPoll. It returns the feed as stored and whether it is new.
func (s *Store) AddFeed(ctx context.Context, url string, nextPoll, now time.Time) (Feed, bool, error) {
	if url == "" {
		return Feed{}, false, errors.New("store: add feed: need a URL")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Feed{}, false, fmt.Errorf("store: add feed %q: %w", url, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `
		INSERT INTO feeds (url, next_poll, added_at) VALUES (?, ?, ?)
		ON CONFLICT (url) DO NOTHING`, url, nanos(nextPoll), nanos(now))
	if err != nil {
		return Feed{}, false, fmt.Errorf("store: add feed %q: %w", url, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Feed{}, false, fmt.Errorf("store: add feed %q: %w", url, err)
	}
	created := n == 1
	if !created {
		_, err = tx.ExecContext(ctx, `
			UPDATE feeds SET paused = 0, pause_reason = '', failures = 0, next_poll = ?
			WHERE url = ? AND (paused = 1 OR next_poll > ?)`, nanos(nextPoll), url, nanos(nextPoll))
		if err != nil {
			return Feed{}, false, fmt.Errorf("store: add feed %q: %w", url, err)
		}
	}
	f, err := scanFeed(tx.QueryRowContext(ctx, `SELECT `+feedCols+` FROM feeds WHERE url = ?`, url))
	if err != nil {
		return Feed{}, false, fmt.Errorf("store: add feed %q: %w", url, err)
	}
	if err := tx.Commit(); err != nil {
		return Feed{}, false, fmt.Errorf("store: add feed %q: %w", url, err)
	}
	return f, created, nil
}

// EnsureFeed follows the feed at url if it is not followed yet, with its
// first poll at nextPoll; a feed already followed is left as it is (a
// paused one stays paused). It reports whether the feed is new.
func (s *Store) EnsureFeed(ctx context.Context, url string, nextPoll, now time.Time) (bool, error) {
	if url == "" {
		return false, errors.New("store: ensure feed: need a URL")
	}
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO feeds (url, next_poll, added_at) VALUES (?, ?, ?)
		ON CONFLICT (url) DO NOTHING`, url, nanos(nextPoll), nanos(now))
	if err != nil {
		return false, fmt.Errorf("store: ensure feed %q: %w", url, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: ensure feed %q: %w", url, err)
	}
	return n == 1, nil
}

// RemoveFeed stops following the feed and forgets its items. The source
// keys of its articles are removed too, unless another followed feed also
// carries the story, so that its articles are no longer active (like those
// of a seed file that was deleted); the articles themselves stay stored.
func (s *Store) RemoveFeed(ctx context.Context, url string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: remove feed %q: %w", url, err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `
		DELETE FROM sources WHERE key IN (
			SELECT key FROM feed_items WHERE feed_url = ?1 AND key != ''
			EXCEPT SELECT key FROM feed_items WHERE feed_url != ?1)`, url)
	if err != nil {
		return fmt.Errorf("store: remove feed %q: %w", url, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM feed_items WHERE feed_url = ?`, url); err != nil {
		return fmt.Errorf("store: remove feed %q: %w", url, err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE url = ?`, url)
	if err := checkOne(res, err, fmt.Sprintf("remove feed %q", url)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: remove feed %q: %w", url, err)
	}
	return nil
}

const feedCols = `url, title, etag, last_modified, last_fetch, next_poll, items, fallbacks,
	failures, last_error, paused, pause_reason, added_at`

func scanFeed(row scanner) (Feed, error) {
	var (
		f                        Feed
		lastFetch, next, addedAt int64
	)
	err := row.Scan(&f.URL, &f.Title, &f.ETag, &f.LastModified, &lastFetch, &next, &f.Items, &f.Fallbacks,
		&f.Failures, &f.LastError, &f.Paused, &f.PauseReason, &addedAt)
	if lastFetch != 0 {
		f.LastFetch = fromNanos(lastFetch)
	}
	f.NextPoll = fromNanos(next)
	f.AddedAt = fromNanos(addedAt)
	return f, err
}

// Feed returns the followed feed with the URL.
func (s *Store) Feed(ctx context.Context, url string) (Feed, error) {
	f, err := scanFeed(s.db.QueryRowContext(ctx, `SELECT `+feedCols+` FROM feeds WHERE url = ?`, url))
	if err != nil {
		return Feed{}, notFound(err, fmt.Sprintf("feed %q", url))
	}
	return f, nil
}

// Feeds returns the followed feeds, paused ones included, in the order they
// were added.
func (s *Store) Feeds(ctx context.Context) ([]Feed, error) {
	return s.queryFeeds(ctx, "feeds", `SELECT `+feedCols+` FROM feeds ORDER BY added_at, url`)
}

// DueFeeds returns the feeds that are not paused and whose next poll is at
// or before now, the most overdue first.
func (s *Store) DueFeeds(ctx context.Context, now time.Time) ([]Feed, error) {
	return s.queryFeeds(ctx, "due feeds", `SELECT `+feedCols+` FROM feeds
		WHERE paused = 0 AND next_poll <= ? ORDER BY next_poll, url`, nanos(now))
}

// NextFeedPoll returns the earliest next poll of the feeds that are not
// paused; ok is false if there are none.
func (s *Store) NextFeedPoll(ctx context.Context) (next time.Time, ok bool, err error) {
	var n sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT MIN(next_poll) FROM feeds WHERE paused = 0`).Scan(&n)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next feed poll: %w", err)
	}
	if !n.Valid {
		return time.Time{}, false, nil
	}
	return fromNanos(n.Int64), true, nil
}

func (s *Store) queryFeeds(ctx context.Context, what, query string, args ...any) ([]Feed, error) {
	list, err := queryRows(ctx, s.db, scanFeed, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return list, nil
}

// SaveFeedPoll stores the outcome of a poll: the feed's title, validators,
// last fetch, next poll, failures, last error and pause. URL and AddedAt
// select nothing and are not changed, nor are Items and Fallbacks (see
// PutFeedItem). A feed removed meanwhile gives an error wrapping
// fs.ErrNotExist.
func (s *Store) SaveFeedPoll(ctx context.Context, f Feed) error {
	lastFetch := int64(0)
	if !f.LastFetch.IsZero() {
		lastFetch = f.LastFetch.UnixNano()
	}
	res, err := s.db.ExecContext(ctx, `
		UPDATE feeds SET title = ?, etag = ?, last_modified = ?, last_fetch = ?, next_poll = ?,
			failures = ?, last_error = ?, paused = ?, pause_reason = ?
		WHERE url = ?`,
		f.Title, f.ETag, f.LastModified, lastFetch, nanos(f.NextPoll),
		f.Failures, f.LastError, boolInt(f.Paused), f.PauseReason, f.URL)
	return checkOne(res, err, fmt.Sprintf("save poll of feed %q", f.URL))
}

// FeedGUIDs returns the GUIDs of the items recorded for the feed.
func (s *Store) FeedGUIDs(ctx context.Context, feedURL string) (map[string]bool, error) {
	guids, err := queryRows(ctx, s.db, scanString, `SELECT guid FROM feed_items WHERE feed_url = ?`, feedURL)
	if err != nil {
		return nil, fmt.Errorf("store: items of feed %q: %w", feedURL, err)
	}
	seen := make(map[string]bool, len(guids))
	for _, g := range guids {
		seen[g] = true
	}
	return seen, nil
}

const feedItemCols = `feed_url, guid, url, link, key, article_id, fallback, seen_at`

func scanFeedItem(row scanner) (FeedItem, error) {
	var (
		it   FeedItem
		seen int64
	)
	err := row.Scan(&it.FeedURL, &it.GUID, &it.URL, &it.Link, &it.Key, &it.ArticleID, &it.Fallback, &seen)
	it.SeenAt = fromNanos(seen)
	return it, err
}

// FeedItemByURL returns an item, of any feed, that gave an article from
// its fetched page and whose canonical URL or link is url: the story was
// seen before. The earliest recorded one is returned. Items briefed from
// the feed's own text (Fallback) are not returned: nothing showed that
// their link carries that text, so they must not stand for the story.
func (s *Store) FeedItemByURL(ctx context.Context, url string) (FeedItem, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+feedItemCols+` FROM feed_items
		WHERE (url = ?1 OR link = ?1) AND article_id != '' AND fallback = '' ORDER BY seen_at LIMIT 1`, url)
	it, err := scanFeedItem(row)
	if err != nil {
		return FeedItem{}, notFound(err, fmt.Sprintf("feed item %q", url))
	}
	return it, nil
}

// FeedItemByArticle returns the first recorded feed item that gave the
// article: where it came from, and whether it was briefed from the feed's
// own text (Fallback).
func (s *Store) FeedItemByArticle(ctx context.Context, articleID string) (FeedItem, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+feedItemCols+` FROM feed_items
		WHERE article_id = ? ORDER BY seen_at LIMIT 1`, articleID)
	it, err := scanFeedItem(row)
	if err != nil {
		return FeedItem{}, notFound(err, "feed item of article "+articleID)
	}
	return it, nil
}

// PutFeedItem records an item of a feed (replacing an earlier record of
// the same GUID) and updates the feed's item and fallback counts. A feed
// that is not followed (removed meanwhile) gives an error wrapping
// fs.ErrNotExist.
func (s *Store) PutFeedItem(ctx context.Context, it FeedItem) error {
	if it.FeedURL == "" || it.GUID == "" {
		return errors.New("store: put feed item: need a feed URL and a GUID")
	}
	what := fmt.Sprintf("put item %q of feed %q", it.GUID, it.FeedURL)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	defer tx.Rollback()
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM feeds WHERE url = ?`, it.FeedURL).Scan(&one)
	if err != nil {
		return notFound(err, what)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO feed_items (`+feedItemCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (feed_url, guid) DO UPDATE SET url = excluded.url, link = excluded.link,
			key = excluded.key, article_id = excluded.article_id, fallback = excluded.fallback,
			seen_at = excluded.seen_at`,
		it.FeedURL, it.GUID, it.URL, it.Link, it.Key, it.ArticleID, it.Fallback, nanos(it.SeenAt))
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	_, err = tx.ExecContext(ctx, `
		UPDATE feeds SET
			items = (SELECT COUNT(*) FROM feed_items WHERE feed_url = ?1 AND article_id != ''),
			fallbacks = (SELECT COUNT(*) FROM feed_items WHERE feed_url = ?1 AND article_id != '' AND fallback != '')
		WHERE url = ?1`, it.FeedURL)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// HasArticle reports whether an article with the ID is stored, active or
// not.
func (s *Store) HasArticle(ctx context.Context, id string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM articles WHERE id = ?`, id).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: has article %s: %w", id, err)
	}
	return true, nil
}
