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
	Items        int       // items of this feed that are stored as articles
	Fallbacks    int       // of those, how many were briefed from the feed's own text
	Failures     int       // consecutive failed polls
	FailingSince time.Time // the first of those failures; zero if none
	LastError    string
	Paused       bool
	PauseReason  string
	AddedAt      time.Time
	Global       bool // every space sees it (FEEDS, or followed before spaces)
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

// FeedOwner is a space that follows a feed, and where it was added.
type FeedOwner struct {
	Space             string // Global for a feed every space sees
	Platform, Channel string // the channel it was added in, told of its pauses; "" for none
}

// AddFeed makes the space of owner follow the feed at url, following the
// feed if nobody did, with its first poll at nextPoll. One feed is
// fetched once, whoever follows it: a space that joins a followed feed
// sees the stories it brought at once, and changes nothing of its polls,
// unless the feed is paused. A paused feed is made active again: un-paused,
// its failures reset, and its next poll set to nextPoll; a feed the space
// followed already (added again: poll it now) is polled at nextPoll if due
// later, its failures kept. It
// returns the feed as stored and whether the space follows it now and did
// not before; a space that followed it already keeps the channel it was
// added in.
func (s *Store) AddFeed(ctx context.Context, url string, owner FeedOwner, nextPoll, now time.Time) (Feed, bool, error) {
	if url == "" {
		return Feed{}, false, errors.New("store: add feed: need a URL")
	}
	what := fmt.Sprintf("add feed %q to space %q", url, owner.Space)
	var (
		f      Feed
		joined bool
	)
	err := s.db.write(ctx, func(tx *tx) error {
		if err := insertFeed(ctx, tx, url, nextPoll, now); err != nil {
			return err
		}
		var err error
		if joined, err = addOwner(ctx, tx, url, owner, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE feeds SET paused = 0, pause_reason = '', failures = 0, failing_since = 0, next_poll = ?1
			WHERE url = ?2 AND paused = 1`, nanos(nextPoll), url); err != nil {
			return err
		}
		if !joined {
			if _, err := tx.ExecContext(ctx, `UPDATE feeds SET next_poll = ?1 WHERE url = ?2 AND next_poll > ?1`, nanos(nextPoll), url); err != nil {
				return err
			}
		}
		f, err = scanFeed(tx.QueryRowContext(ctx, `SELECT `+feedCols+` FROM feeds WHERE url = ?`, url))
		return err
	})
	if err != nil {
		return Feed{}, false, fmt.Errorf("store: %s: %w", what, err)
	}
	return f, joined, nil
}

// addOwner records that owner's space follows the feed, and reports
// whether it did not before. Its articles are seen there from then on.
func addOwner(ctx context.Context, tx *tx, url string, owner FeedOwner, now time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `
		INSERT INTO feed_spaces (feed_url, space, platform, channel, added_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (feed_url, space) DO NOTHING`, url, owner.Space, owner.Platform, owner.Channel, nanos(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	return true, refreshSpaces(ctx, tx, articlesOfFeed, url)
}

// EnsureFeed makes the feed at url a global feed (seen by every space) if
// it is not one yet, following it with its first poll at nextPoll if
// nobody did; a feed already followed is left as it is (a paused one
// stays paused). It reports whether it is new to the global feeds.
func (s *Store) EnsureFeed(ctx context.Context, url string, nextPoll, now time.Time) (bool, error) {
	if url == "" {
		return false, errors.New("store: ensure feed: need a URL")
	}
	var added bool
	err := s.db.write(ctx, func(tx *tx) error {
		if err := insertFeed(ctx, tx, url, nextPoll, now); err != nil {
			return err
		}
		var err error
		added, err = addOwner(ctx, tx, url, FeedOwner{Space: Global}, now)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: ensure feed %q: %w", url, err)
	}
	return added, nil
}

// RemoveFeed makes the space stop following the feed; a feed the space
// does not follow (another space's, or nobody's) gives an error wrapping
// fs.ErrNotExist, and so does a global feed unless space is Global. The
// feed stays followed, and its articles seen, by the other spaces that
// follow it. When no space follows it any more, it is forgotten with its
// items, and the source keys of its articles are removed too, unless
// another followed feed also carries the story, so that its articles are
// no longer active (like those of a seed file that was deleted); the
// articles themselves stay stored.
func (s *Store) RemoveFeed(ctx context.Context, url, space string) error {
	what := fmt.Sprintf("remove feed %q from space %q", url, space)
	err := s.db.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM feed_spaces WHERE feed_url = ? AND space = ?`, url, space)
		if err := checkOne(res, err, what); err != nil {
			return err
		}
		var left int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM feed_spaces WHERE feed_url = ?`, url).Scan(&left); err != nil {
			return err
		}
		// The articles of the feed's items, as they are before the items go.
		ids, err := queryRows(ctx, tx, scanString, articlesOfFeed, url)
		if err != nil {
			return err
		}
		if left == 0 {
			_, err = tx.ExecContext(ctx, `
				DELETE FROM sources WHERE key IN (
					SELECT key FROM feed_items WHERE feed_url = ?1 AND key != ''
					EXCEPT SELECT key FROM feed_items WHERE feed_url != ?1)`, url)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM feed_items WHERE feed_url = ?`, url); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE url = ?`, url); err != nil {
				return err
			}
		}
		return refreshArticles(ctx, tx, ids)
	})
	if err != nil {
		return wrapOnce("store: "+what, err)
	}
	return nil
}

const feedCols = `feeds.url, feeds.title, feeds.etag, feeds.last_modified, feeds.last_fetch, feeds.next_poll,
	feeds.items, feeds.fallbacks, feeds.failures, feeds.failing_since, feeds.last_error, feeds.paused,
	feeds.pause_reason, feeds.added_at,
	EXISTS (SELECT 1 FROM feed_spaces g WHERE g.feed_url = feeds.url AND g.space = '')`

func scanFeed(row scanner) (Feed, error) { return scanFeedWith(row) }

// scanFeedWith scans feedCols, then the columns after them into extra.
func scanFeedWith(row scanner, extra ...any) (Feed, error) {
	var (
		f                                 Feed
		lastFetch, next, addedAt, failing int64
	)
	err := row.Scan(append([]any{&f.URL, &f.Title, &f.ETag, &f.LastModified, &lastFetch, &next, &f.Items, &f.Fallbacks,
		&f.Failures, &failing, &f.LastError, &f.Paused, &f.PauseReason, &addedAt, &f.Global}, extra...)...)
	if lastFetch != 0 {
		f.LastFetch = fromNanos(lastFetch)
	}
	if failing != 0 {
		f.FailingSince = fromNanos(failing)
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

// Feeds returns the followed feeds, of every space, paused ones included,
// in the order they were added.
func (s *Store) Feeds(ctx context.Context) ([]Feed, error) {
	return s.queryFeeds(ctx, "feeds", `SELECT `+feedCols+` FROM feeds ORDER BY added_at, url`)
}

// SpaceFeeds returns the feeds the space sees: the global ones and its
// own, paused ones included, global ones first, then in the order the
// space added them.
func (s *Store) SpaceFeeds(ctx context.Context, space string) ([]Feed, error) {
	return s.queryFeeds(ctx, "feeds of space "+space, `SELECT `+feedCols+`
		FROM feeds JOIN feed_spaces fs ON fs.feed_url = feeds.url AND fs.space IN ('', ?)
		GROUP BY feeds.url ORDER BY MIN(fs.space) <> '', MIN(fs.added_at), feeds.url`, space)
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
// last fetch, next poll, failures (and since when), last error and pause. URL and AddedAt
// select nothing and are not changed, nor are Items and Fallbacks (see
// PutFeedItem). A feed removed meanwhile gives an error wrapping
// fs.ErrNotExist.
func (s *Store) SaveFeedPoll(ctx context.Context, f Feed) error {
	lastFetch, failing := int64(0), int64(0)
	if !f.LastFetch.IsZero() {
		lastFetch = f.LastFetch.UnixNano()
	}
	if !f.FailingSince.IsZero() {
		failing = f.FailingSince.UnixNano()
	}
	res, err := s.db.ExecContext(ctx, `
		UPDATE feeds SET title = ?, etag = ?, last_modified = ?, last_fetch = ?, next_poll = ?,
			failures = ?, failing_since = ?, last_error = ?, paused = ?, pause_reason = ?
		WHERE url = ?`,
		f.Title, f.ETag, f.LastModified, lastFetch, nanos(f.NextPoll),
		f.Failures, failing, f.LastError, boolInt(f.Paused), f.PauseReason, f.URL)
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
// fs.ErrNotExist. (An item that gives a new article is recorded with it,
// by PutFeedArticle.)
func (s *Store) PutFeedItem(ctx context.Context, it FeedItem) error {
	if it.FeedURL == "" || it.GUID == "" {
		return errors.New("store: put feed item: need a feed URL and a GUID")
	}
	err := s.db.write(ctx, func(tx *tx) error { return putFeedItem(ctx, tx, it) })
	if err != nil {
		return wrapOnce(fmt.Sprintf("store: put item %q of feed %q", it.GUID, it.FeedURL), err)
	}
	return nil
}

// putFeedItem is PutFeedItem in the transaction tx. The articles of the
// item's key, and of the key it recorded before if another, are seen by
// the feed's spaces from then on (see spaces.go).
func putFeedItem(ctx context.Context, tx *tx, it FeedItem) error {
	oldKey, err := feedItemKey(ctx, tx, it)
	if err != nil {
		return err
	}
	if err := writeFeedItem(ctx, tx, it); err != nil {
		return err
	}
	return refreshItemSpaces(ctx, tx, it, oldKey)
}

// feedItemKey returns the key that the item's record holds, "" if it has
// none yet; a feed that is not followed gives an error wrapping
// fs.ErrNotExist.
func feedItemKey(ctx context.Context, tx *tx, it FeedItem) (string, error) {
	var one int
	err := txScan(ctx, tx, &one, `SELECT 1 FROM feeds WHERE url = ?`, it.FeedURL)
	if err != nil {
		return "", notFound(err, fmt.Sprintf("put item %q of feed %q", it.GUID, it.FeedURL))
	}
	var oldKey string
	err = txScan(ctx, tx, &oldKey, `SELECT key FROM feed_items WHERE feed_url = ? AND guid = ?`, it.FeedURL, it.GUID)
	if err != nil && err != sql.ErrNoRows {
		return "", fmt.Errorf("store: put item %q of feed %q: %w", it.GUID, it.FeedURL, err)
	}
	return oldKey, nil
}

// writeFeedItem records the item, and the feed's counts, but not who sees
// its article (refreshItemSpaces).
func writeFeedItem(ctx context.Context, tx *tx, it FeedItem) error {
	err := txExec(ctx, tx, `
		INSERT INTO feed_items (`+feedItemCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (feed_url, guid) DO UPDATE SET url = excluded.url, link = excluded.link,
			key = excluded.key, article_id = excluded.article_id, fallback = excluded.fallback,
			seen_at = excluded.seen_at`,
		it.FeedURL, it.GUID, it.URL, it.Link, it.Key, it.ArticleID, it.Fallback, nanos(it.SeenAt))
	if err == nil {
		err = txExec(ctx, tx, `
		UPDATE feeds SET
			items = (SELECT COUNT(*) FROM feed_items WHERE feed_url = ?1 AND article_id != ''),
			fallbacks = (SELECT COUNT(*) FROM feed_items WHERE feed_url = ?1 AND article_id != '' AND fallback != '')
		WHERE url = ?1`, it.FeedURL)
	}
	if err != nil {
		return fmt.Errorf("store: put item %q of feed %q: %w", it.GUID, it.FeedURL, err)
	}
	return nil
}

// refreshItemSpaces refreshes the spaces of the articles of the item's
// key and of oldKey, the key it recorded before.
func refreshItemSpaces(ctx context.Context, tx *tx, it FeedItem, oldKey string) error {
	if err := refreshSpaces(ctx, tx, `SELECT article_id FROM sources WHERE key IN (?, ?)`, it.Key, oldKey); err != nil {
		return fmt.Errorf("store: put item %q of feed %q: %w", it.GUID, it.FeedURL, err)
	}
	return nil
}

// txExec runs the statement in tx, compiled once for the transaction
// (tx.prepared): a batch of feed articles runs the same ones for each.
func txExec(ctx context.Context, tx *tx, query string, args ...any) error {
	st, err := tx.prepared(ctx, query)
	if err == nil {
		_, err = st.ExecContext(ctx, args...)
	}
	return err
}

// txScan is txExec for a query of one row, scanned into dest.
func txScan(ctx context.Context, tx *tx, dest any, query string, args ...any) error {
	st, err := tx.prepared(ctx, query)
	if err != nil {
		return err
	}
	return st.QueryRowContext(ctx, args...).Scan(dest)
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

// insertFeed adds the feed's row if there is none: polled first at
// nextPoll. Who follows it is addOwner's.
func insertFeed(ctx context.Context, tx *tx, url string, nextPoll, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO feeds (url, next_poll, added_at) VALUES (?, ?, ?)
		ON CONFLICT (url) DO NOTHING`, url, nanos(nextPoll), nanos(now))
	return err
}
