// Package store keeps briefbot's state in a SQLite database: the articles
// and claims it has ingested, which spaces see them (spaces.go), the feeds
// and who follows them, channel subscriptions, the ledgers of scheduled
// deliveries and live posts, feed alerts, the messages it posted and a
// little key-value state.
//
// A database may be shared by several processes (two bot processes on one
// file): every write is a single atomic statement or runs in a BEGIN
// IMMEDIATE transaction, and connections wait up to five seconds for a
// lock held by another process.
//
// Lookups of something that does not exist return an error wrapping
// fs.ErrNotExist; test with errors.Is(err, fs.ErrNotExist).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is a briefbot database. It is safe for concurrent use.
type Store struct {
	db *sql.DB
}

// pragmas are applied by the driver to every new connection: wait for locks
// held by others instead of failing at once, write-ahead logging (readers do
// not block the writer), enforced foreign keys, and fsync only at
// checkpoints, which in WAL mode cannot corrupt the database (a power loss
// may lose the last transactions). _txlock makes every read-write
// transaction BEGIN IMMEDIATE: it takes the write lock up front, so a
// transaction that reads then writes never fails half-way with SQLITE_BUSY
// because another process wrote in between.
const pragmas = "_pragma=busy_timeout(5000)" +
	"&_pragma=journal_mode(WAL)" +
	"&_pragma=foreign_keys(1)" +
	"&_pragma=synchronous(NORMAL)" +
	"&_txlock=immediate"

// dsn returns the driver's data source name for the database file path.
// The path is made absolute and escaped into a file: URI so that no
// character in it ('?', '#', '%') can be mistaken for URI syntax.
func dsn(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") { // Windows: C:/x -> /C:/x
		p = "/" + p
	}
	u := url.URL{Scheme: "file", OmitHost: true, Path: p, RawQuery: pragmas}
	return u.String(), nil
}

// Open opens the database file at path, creating it if needed, and brings
// its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	return openVersion(ctx, path, len(migrations))
}

// openVersion opens the database at path and migrates it up to schema
// version (not beyond). Tests use it to create older databases.
func openVersion(ctx context.Context, path string, version int) (*Store, error) {
	name, err := dsn(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := migrateWhenFree(ctx, db, version); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// migrateWhenFree migrates, retrying for up to five seconds while the
// database is busy. Processes opening a new file at once race to convert
// it to WAL, and SQLite answers the losers' PRAGMA journal_mode at once
// with SQLITE_BUSY: it does not run the busy handler for that.
func migrateWhenFree(ctx context.Context, db *sql.DB, version int) error {
	deadline := time.Now().Add(5 * time.Second)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := migrate(ctx, db, version)
		if !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

const sqliteBusy = 5 // SQLITE_BUSY, the primary result code

// ErrBusy matches (with errors.Is) the errors of operations that failed
// because another connection held the database's lock past the busy
// timeout ("database is locked"): the same operation may succeed later.
var ErrBusy = errors.New("database busy")

// isBusy reports whether SQLite answered err with SQLITE_BUSY.
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqliteBusy
}

// busyError is an error of SQLite's that also matches ErrBusy.
type busyError struct{ error }

func (e busyError) Is(target error) bool { return target == ErrBusy }
func (e busyError) Unwrap() error        { return e.error }

// markBusy returns err, made to match ErrBusy too if it is SQLITE_BUSY.
func markBusy(err error) error {
	if isBusy(err) {
		return busyError{err}
	}
	return err
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// migrations are the schema, as ordered steps. Step i (from 0) takes the
// database from version i to i+1; the version is kept in PRAGMA
// user_version. Never edit a step that has shipped: append a new one.
//
// Times are INTEGER Unix nanoseconds (UTC), except deliveries.slot (Unix
// seconds) and articles.published (RFC 3339 text keeping the publisher's
// offset, ” if unknown).
var migrations = []string{
	// 1: articles, their claims, the source keys they were loaded from, and
	// key-value state.
	`
CREATE TABLE articles (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT, -- ingest order, never reused
	id          TEXT NOT NULL UNIQUE,              -- briefing.Article.ID (content hash)
	name        TEXT NOT NULL,
	path        TEXT NOT NULL,
	title       TEXT NOT NULL,
	derived     INTEGER NOT NULL,                  -- title derived from the text
	source      TEXT NOT NULL,
	url         TEXT NOT NULL,
	published   TEXT NOT NULL,
	author      TEXT NOT NULL,
	ingested_at INTEGER NOT NULL,
	headline    TEXT NOT NULL,                     -- the briefing
	gist        TEXT NOT NULL,
	bullets     TEXT NOT NULL,                     -- JSON array of briefing.Bullet
	body        TEXT NOT NULL                      -- last: large, read only by Article
);

CREATE TABLE claims (
	id           INTEGER PRIMARY KEY,              -- rowid, for a future FTS index
	article_id   TEXT NOT NULL REFERENCES articles (id),
	idx          INTEGER NOT NULL,                 -- position in the article's claims
	text         TEXT NOT NULL,
	speaker      TEXT NOT NULL,
	speaker_role TEXT NOT NULL,
	kind         TEXT NOT NULL,
	verb         TEXT NOT NULL,
	via          TEXT NOT NULL,
	anonymous    INTEGER NOT NULL,
	verbatim     INTEGER NOT NULL,
	span_start   INTEGER NOT NULL,
	span_end     INTEGER NOT NULL,
	sentence     INTEGER NOT NULL,
	UNIQUE (article_id, idx)
);

-- A source key (a seed file's path, a feed item's URL) and the article
-- currently loaded from it. An article is active while a key points at it.
CREATE TABLE sources (
	key        TEXT PRIMARY KEY,
	article_id TEXT NOT NULL REFERENCES articles (id),
	updated_at INTEGER NOT NULL
);
CREATE INDEX sources_article ON sources (article_id);

CREATE TABLE state (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at INTEGER NOT NULL
);
`,
	// 2: channels: subscriptions, the delivery ledger and posted messages.
	`
CREATE TABLE subscriptions (
	platform     TEXT NOT NULL,
	channel      TEXT NOT NULL,
	spec         TEXT NOT NULL,
	tz           TEXT NOT NULL,
	paused       INTEGER NOT NULL DEFAULT 0,
	pause_reason TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (platform, channel)
);

-- One row per scheduled digest slot: whoever inserts it delivers it.
CREATE TABLE deliveries (
	platform    TEXT NOT NULL,
	channel     TEXT NOT NULL,
	slot        INTEGER NOT NULL,                  -- Unix seconds
	state       TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
	owner       TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	message_ids TEXT NOT NULL DEFAULT '[]',        -- JSON array of strings
	last_seq    INTEGER NOT NULL DEFAULT 0,        -- highest articles.seq delivered
	updated_at  INTEGER NOT NULL,
	PRIMARY KEY (platform, channel, slot)
);
CREATE INDEX deliveries_pending ON deliveries (slot) WHERE state = 'pending';

-- One row per platform message; a digest split over several messages has a
-- row for each, with the same bullets.
CREATE TABLE posts (
	id         INTEGER PRIMARY KEY,                -- insertion order
	platform   TEXT NOT NULL,
	channel    TEXT NOT NULL,
	message_id TEXT NOT NULL,
	thread_id  TEXT NOT NULL,
	kind       TEXT NOT NULL,
	bullets    TEXT NOT NULL,                      -- JSON array of PostedBullet
	posted_at  INTEGER NOT NULL,
	UNIQUE (platform, channel, message_id)
);
CREATE INDEX posts_latest ON posts (platform, channel, posted_at);
`,
	// 3: a briefing's importance, to order digests.
	`ALTER TABLE articles ADD COLUMN score REAL NOT NULL DEFAULT 0;`,
	// 4: feeds: followed RSS and Atom feeds with their polling state, and the
	// items seen in each (see feeds.go).
	`
CREATE TABLE feeds (
	url           TEXT PRIMARY KEY,                -- normalized feed address
	title         TEXT NOT NULL DEFAULT '',
	etag          TEXT NOT NULL DEFAULT '',        -- validators for conditional requests
	last_modified TEXT NOT NULL DEFAULT '',
	last_fetch    INTEGER NOT NULL DEFAULT 0,      -- 0: never fetched
	next_poll     INTEGER NOT NULL,
	items         INTEGER NOT NULL DEFAULT 0,      -- items stored as articles
	fallbacks     INTEGER NOT NULL DEFAULT 0,      -- of those, briefed from the feed's own text
	failures      INTEGER NOT NULL DEFAULT 0,      -- consecutive failed polls
	last_error    TEXT NOT NULL DEFAULT '',
	paused        INTEGER NOT NULL DEFAULT 0,
	pause_reason  TEXT NOT NULL DEFAULT '',
	added_at      INTEGER NOT NULL
);
CREATE INDEX feeds_due ON feeds (next_poll) WHERE paused = 0;

CREATE TABLE feed_items (
	feed_url   TEXT NOT NULL REFERENCES feeds (url) ON DELETE CASCADE,
	guid       TEXT NOT NULL,                      -- the item's GUID, else its link
	url        TEXT NOT NULL,                      -- canonical URL of the story
	link       TEXT NOT NULL,                      -- the item's link, normalized
	key        TEXT NOT NULL,                      -- sources.key of its article, or ''
	article_id TEXT NOT NULL,                      -- '' if the item gave no article
	fallback   TEXT NOT NULL,                      -- why the feed's own text was used, or ''
	seen_at    INTEGER NOT NULL,
	PRIMARY KEY (feed_url, guid)
);
CREATE INDEX feed_items_url ON feed_items (url);
CREATE INDEX feed_items_link ON feed_items (link);
CREATE INDEX feed_items_article ON feed_items (article_id);
`,
	// search: an FTS5 index of the claims of active articles (see
	// fts.go), filled with those already stored, and triggers that take
	// an article's claims out of it when the last source key pointing at
	// the article goes. briefbot_sentence and briefbot_context are Go
	// functions the store registers with the driver.
	`
CREATE VIRTUAL TABLE claims_fts USING fts5 (
	text, speaker, role, via, headline, sentence, context,
	tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO claims_fts (rowid, text, speaker, role, via, headline, sentence, context)
SELECT c.id, c.text, c.speaker, c.speaker_role, TRIM(c.via || ' ' || a.source),
	CASE WHEN a.headline = a.title THEN a.title ELSE TRIM(a.title || ' ' || a.headline) END,
	briefbot_sentence(a.body, c.span_start, c.span_end),
	briefbot_context(a.body, c.span_start, c.span_end)
FROM claims c JOIN articles a ON a.id = c.article_id
WHERE EXISTS (SELECT 1 FROM sources s WHERE s.article_id = a.id);

CREATE TRIGGER claims_fts_key_deleted AFTER DELETE ON sources
WHEN NOT EXISTS (SELECT 1 FROM sources WHERE article_id = old.article_id)
BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT id FROM claims WHERE article_id = old.article_id);
END;

CREATE TRIGGER claims_fts_key_moved AFTER UPDATE OF article_id ON sources
WHEN old.article_id <> new.article_id
	AND NOT EXISTS (SELECT 1 FROM sources WHERE article_id = old.article_id)
BEGIN
	DELETE FROM claims_fts WHERE rowid IN (SELECT id FROM claims WHERE article_id = old.article_id);
END;

CREATE TRIGGER claims_fts_claim_deleted AFTER DELETE ON claims
BEGIN
	DELETE FROM claims_fts WHERE rowid = old.id;
END;
`,
	// 6: the replay guard: keys of requests already accepted (the
	// signatures of Slack's signed requests), each kept until the request
	// could no longer be accepted anyway (see replay.go).
	`
CREATE TABLE seen_requests (
	key     TEXT PRIMARY KEY,
	expires INTEGER NOT NULL                       -- Unix nanoseconds
);
CREATE INDEX seen_requests_expires ON seen_requests (expires);
`,
	// 7: spaces (see spaces.go). A feed belongs to the spaces that follow
	// it ('' is every space: FEEDS, and every feed followed before spaces
	// existed); space_articles says which articles each space sees, in the
	// order they came to it, and is what digests, live posts and searches
	// read. A subscription records its space, the feeds it chose and its
	// filter, and may be live (spec 'live'), with live_posts as its
	// exactly-once ledger. A feed remembers since when it has been failing,
	// and each space that follows it whether it was told of a pause.
	`
CREATE TABLE feed_spaces (
	feed_url   TEXT NOT NULL REFERENCES feeds (url) ON DELETE CASCADE,
	space      TEXT NOT NULL,                      -- '' for a global feed
	platform   TEXT NOT NULL DEFAULT '',           -- the channel it was added in, told of its pauses
	channel    TEXT NOT NULL DEFAULT '',
	added_at   INTEGER NOT NULL,
	alert      TEXT NOT NULL DEFAULT '',           -- 'paused' once the channel was told of a pause
	alerted_at INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (feed_url, space)
);
CREATE INDEX feed_spaces_space ON feed_spaces (space);
INSERT INTO feed_spaces (feed_url, space, added_at) SELECT url, '', added_at FROM feeds;

ALTER TABLE feeds ADD COLUMN failing_since INTEGER NOT NULL DEFAULT 0; -- first failure of the current run, 0 if none

CREATE INDEX feed_items_key ON feed_items (key);

CREATE TABLE space_articles (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- arrival order, across spaces; digests' and live posts' cursor
	space      TEXT NOT NULL,                      -- '' for every space
	article_id TEXT NOT NULL REFERENCES articles (id),
	active     INTEGER NOT NULL DEFAULT 1,         -- 0: the space no longer sees it (the row keeps its arrival)
	UNIQUE (article_id, space)
);
CREATE INDEX space_articles_space ON space_articles (space, seq);
CREATE INDEX space_articles_seen ON space_articles (article_id, space) WHERE active = 1;
-- Before spaces every source was global: each active article arrived at
-- its own seq, so that the digests' cursors (deliveries.last_seq) keep
-- their meaning.
INSERT INTO space_articles (seq, space, article_id)
SELECT a.seq, '', a.id FROM articles a WHERE EXISTS (SELECT 1 FROM sources s WHERE s.article_id = a.id);

ALTER TABLE subscriptions ADD COLUMN space TEXT NOT NULL DEFAULT '';     -- '' until known: global sources only
ALTER TABLE subscriptions ADD COLUMN feeds TEXT NOT NULL DEFAULT '[]';   -- JSON array of feed URLs; empty: all
ALTER TABLE subscriptions ADD COLUMN filter TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN live_seq INTEGER NOT NULL DEFAULT 0; -- live: arrivals up to here are handled

-- One row per (channel, article) a live subscription posted or skipped:
-- whoever inserts it posts it, or, skipped, counts it in the next summary
-- line ('summarized' once that line is claimed).
CREATE TABLE live_posts (
	platform    TEXT NOT NULL,
	channel     TEXT NOT NULL,
	article_id  TEXT NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'skipped', 'summarized')),
	owner       TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	message_ids TEXT NOT NULL DEFAULT '[]',
	updated_at  INTEGER NOT NULL,
	PRIMARY KEY (platform, channel, article_id)
);
CREATE INDEX live_posts_recent ON live_posts (platform, channel, updated_at);
CREATE INDEX live_posts_open ON live_posts (state) WHERE state IN ('pending', 'skipped');
`,
	// 8: whether a claim's speaker is uncertain (briefing.Claim.SpeakerUnsure).
	`ALTER TABLE claims ADD COLUMN speaker_unsure INTEGER NOT NULL DEFAULT 0;`,
	// 9: rate limits shared by every process on the database (ratelimit.go):
	// for each key, when its booked time ends.
	`
CREATE TABLE rate_limits (
	key       TEXT PRIMARY KEY,
	next_free INTEGER NOT NULL
);
`,
}

// migrate brings the database's schema up to version to (at most; a newer
// database is left alone) in one transaction. Concurrent migrations by
// several processes are serialised by the write lock the transaction takes
// first; the later ones find the work done.
func migrate(ctx context.Context, db *sql.DB, to int) error {
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE, see pragmas
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("migrate: schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("migrate: schema version %d is newer than this program's %d", v, len(migrations))
	}
	if v >= to {
		return nil
	}
	for i := v; i < to; i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migrate to version %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", to)); err != nil {
		return fmt.Errorf("migrate: set schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// GetState returns the value stored under key.
func (s *Store) GetState(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM state WHERE key = ?`, key).Scan(&v)
	if err != nil {
		return "", notFound(err, fmt.Sprintf("state %q", key))
	}
	return v, nil
}

// SetState stores value under key, replacing any previous value.
func (s *Store) SetState(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, nanos(time.Now()))
	if err != nil {
		return fmt.Errorf("store: set state %q: %w", key, err)
	}
	return nil
}

// nanos returns t as Unix nanoseconds; the zero time means now.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UnixNano()
}

// fromNanos is the inverse of nanos, in UTC.
func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// boolInt returns b as SQLite stores booleans.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scanner is a row to scan: a *sql.Row or the current row of *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// querier runs queries: a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryRows runs the query and returns its rows, each read by scan, in
// order. It closes the rows, and the first error stops it.
func queryRows[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return list, nil
}

// scanString scans a row of one text column.
func scanString(row scanner) (string, error) {
	var s string
	err := row.Scan(&s)
	return s, err
}

// notFound returns an error wrapping fs.ErrNotExist if err is
// sql.ErrNoRows, else err; what names the thing looked for.
func notFound(err error, what string) error {
	if err == sql.ErrNoRows {
		return fmt.Errorf("store: %s: %w", what, fs.ErrNotExist)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
