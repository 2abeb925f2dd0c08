package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// StoredArticle is an article as stored, with its briefing.
type StoredArticle struct {
	briefing.Article
	Seq        int64 // ingest order: higher is newer
	IngestedAt time.Time
	Active     bool // some source key points at it
	Briefing   briefing.Briefing
}

// ArticleID returns the ID of the article currently loaded from the source
// key.
func (s *Store) ArticleID(ctx context.Context, key string) (string, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT article_id FROM sources WHERE key = ?`, key).Scan(&id)
	if err != nil {
		return "", notFound(err, fmt.Sprintf("source %q", key))
	}
	return id, nil
}

// PutArticle records that the source key now holds the analysed article.
// An article new to the store is saved with its claims and briefing and
// gets the next Seq; an article already stored (the same content, maybe
// from another key) is not saved again, so its Seq, claims and briefing
// stay as first stored. The article the key pointed at before, if another,
// stays stored but is no longer active unless another key points at it.
// Of the briefing, the headline, gist and bullets are stored: its other
// fields repeat the article's and are filled in from it when read.
// PutArticle reports whether anything changed: false if the key already
// held the article.
//
// The key is global: every space sees its article. The key of a feed's
// article is put with PutFeedArticle instead.
func (s *Store) PutArticle(ctx context.Context, key string, an *briefing.Analysis, now time.Time) (added bool, err error) {
	return s.putOne(ctx, ArticlePut{Key: key, Analysis: an, Now: now})
}

// PutFeedArticle is PutArticle for the article of a feed's item: it puts
// the article under it.Key and records the item (as PutFeedItem does) in
// one transaction, so that the article is seen, from the start, by the
// spaces that follow the feed and no others (see spaces.go). A feed that
// is not followed (removed meanwhile) gives an error wrapping
// fs.ErrNotExist, and nothing is stored.
func (s *Store) PutFeedArticle(ctx context.Context, it FeedItem, an *briefing.Analysis) (added bool, err error) {
	return s.putOne(ctx, ArticlePut{Analysis: an, Item: &it})
}

// putOne is PutArticles for one put.
func (s *Store) putOne(ctx context.Context, p ArticlePut) (added bool, err error) {
	list, err := s.PutArticles(ctx, []ArticlePut{p})
	if err != nil {
		return false, err
	}
	return list[0], nil
}

// ArticlePut is one article for PutArticles: its source key, its analysis
// and the time it is put, as PutArticle's arguments.
type ArticlePut struct {
	Key      string
	Analysis *briefing.Analysis
	Now      time.Time
	// Prepared, if not nil, is Prepare(Analysis), made ahead of
	// PutArticles (by the goroutine that analysed the article, say), so
	// that the batch's transaction, which holds the write lock, and the
	// goroutine that runs it do less. PutArticles prepares a put without
	// it (or with one made of another analysis) itself.
	Prepared *Prepared
	// Item, if not nil, is the feed item that gave the article: the put
	// is PutFeedArticle's, under the item's Key at its SeenAt (Key and Now
	// are not read), and a feed that is not followed (removed meanwhile)
	// fails the batch with an error wrapping fs.ErrNotExist.
	Item *FeedItem
}

// Prepared is what storing an analysed article makes of it before its
// transaction: its bullets as stored, the rows of its claims in the search
// index, its terms for the story grouper. Prepare only reads the analysis,
// so many can be made at once, on other goroutines.
type Prepared struct {
	an      *briefing.Analysis
	bullets string
	sents   []briefing.Sentence
	rows    []indexRow // the search index's rows of its claims, their ids still to come
	terms   *briefing.StoryTerms
}

// Prepare prepares an analysed article for PutArticles (ArticlePut.Prepared).
func Prepare(an *briefing.Analysis) (*Prepared, error) {
	if an == nil || an.Article == nil || an.Article.ID == "" {
		return nil, errors.New("store: put article: need a key and an article with an ID")
	}
	a := an.Article
	if id := an.Briefing.ArticleID; id != "" && id != a.ID {
		return nil, fmt.Errorf("store: put article %s: briefing is for article %s", a.ID, id)
	}
	bullets, err := encodeBullets(an.Briefing.Bullets)
	if err != nil {
		return nil, fmt.Errorf("store: put article %s: %w", a.ID, err)
	}
	sents := an.Sentences // Analyze's: the sentences of the body
	if len(sents) == 0 {
		sents = briefing.Segment(a.Body)
	}
	rows := make([]indexRow, len(an.Claims))
	headline := indexHeadline(a.Title, an.Briefing.Headline)
	for i, c := range an.Claims {
		rows[i] = newIndexRow(a.Body, sents, c, a.Source, headline)
	}
	return &Prepared{an: an, bullets: bullets, sents: sents, rows: rows, terms: briefing.TermsOf(an)}, nil
}

// PutArticles is PutArticle for many articles in one transaction (and
// PutFeedArticle for those with an ArticlePut.Item): all of them are
// stored, or none (an error), so that a process that dies in the middle
// of a batch has stored none of it, and the same articles are put again
// when it starts again. added[i] is what PutArticle would have
// returned for puts[i], in turn. A batch holds the write lock for as long
// as it takes: a few hundred articles are a fraction of a second.
func (s *Store) PutArticles(ctx context.Context, puts []ArticlePut) (added []bool, err error) {
	ps := make([]*prepPut, len(puts))
	for i, p := range puts {
		key, now, item := p.Key, p.Now, p.Item
		if item != nil {
			if item.FeedURL == "" || item.GUID == "" {
				return nil, errors.New("store: put feed article: need a feed URL and a GUID")
			}
			it := *item
			key, now, item = it.Key, it.SeenAt, &it
		}
		if ps[i], err = preparePut(key, p.Analysis, now, item, p.Prepared); err != nil {
			return nil, err
		}
	}
	added = make([]bool, len(puts))
	// New articles get their story in the transaction that stores them,
	// from the process's grouper, which no other transaction of this
	// process touches meanwhile (see stories.go).
	st := &s.stories
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.prepare(ctx, s.db); err != nil {
		return nil, fmt.Errorf("store: put %d articles: stories: %w", len(puts), err)
	}
	// On SQLite the transaction ends if ctx does (database/sql rolls it
	// back after the statement under way), but its statements are not each
	// watched: the driver starts a goroutine for every statement run with
	// a context that can end, and a batch runs thousands of small ones,
	// each done in microseconds. PostgreSQL's statements keep ctx, so that
	// one waiting on a silent network is cancelled at once and the write
	// lock let go.
	sctx := ctx
	if !s.db.d.postgres {
		sctx = context.WithoutCancel(ctx)
	}
	err = s.db.write(ctx, func(tx *tx) error {
		// Said from inside the transaction, its write lock taken: the
		// crash tests kill their child process after this line, so that
		// they know the kill came while a batch's transaction was open
		// (see internal/crashtest).
		if s.db.log.Enabled(ctx, slog.LevelDebug) {
			s.db.log.Debug("store: storing batch", "articles", len(puts))
		}
		st.begin()
		b := putBatch{stories: st}
		for i, p := range ps {
			if err := ctx.Err(); err != nil {
				return err
			}
			var err error
			if putArticlesHook != nil {
				if err := putArticlesHook(i); err != nil {
					return err
				}
			}
			if added[i], err = b.put(sctx, tx, p); err != nil {
				return wrapOnce(fmt.Sprintf("put article %s", p.a.ID), err)
			}
		}
		return b.finish(sctx, tx)
	})
	st.end(err)
	if err != nil && ctx.Err() != nil {
		// Rolled back because ctx ended (the statements that failed after
		// say only that the transaction was over): say why it ended.
		err = fmt.Errorf("%w (%w)", context.Cause(ctx), err)
	}
	if err != nil {
		what := "store"
		if len(puts) > 1 {
			what = fmt.Sprintf("store: put %d articles", len(puts))
		}
		return nil, wrapOnce(what, err)
	}
	return added, nil
}

// putArticlesHook, if set (by tests), runs before each put of PutArticles
// in its transaction; an error fails the batch there.
var putArticlesHook func(i int) error

// prepPut is an article to put, with what can be made of it before its
// transaction, which holds the database's write lock: other writers, in
// this process or another, wait for it for at most the busy timeout.
type prepPut struct {
	*Prepared
	key  string
	a    *briefing.Article
	now  time.Time
	item *FeedItem
}

// preparePut prepares the put of an under the key, with prep if it is
// Prepare(an), else preparing it.
func preparePut(key string, an *briefing.Analysis, now time.Time, item *FeedItem, prep *Prepared) (*prepPut, error) {
	if key == "" || an == nil || an.Article == nil || an.Article.ID == "" {
		return nil, errors.New("store: put article: need a key and an article with an ID")
	}
	if prep == nil || prep.an != an {
		var err error
		if prep, err = Prepare(an); err != nil {
			return nil, err
		}
	}
	return &prepPut{Prepared: prep, key: key, a: an.Article, now: now, item: item}, nil
}

// putBatch is the state of the puts of one transaction: the rows of the
// search index and the articles whose spaces are to be refreshed, which
// finish writes in a few statements for the whole batch.
type putBatch struct {
	stories *storyState // the caller holds its lock
	index   []indexRow
	indexed map[string]bool // the articles whose rows are in index
	refresh []string        // new articles' IDs, in the order of their puts
}

// put writes p in tx and reports whether anything changed.
func (b *putBatch) put(ctx context.Context, tx *tx, p *prepPut) (added bool, err error) {
	a, an, key, now, item := p.a, p.an, p.key, p.now, p.item
	var cur string
	st, err := tx.prepared(ctx, `SELECT article_id FROM sources WHERE key = ?`)
	if err != nil {
		return false, err
	}
	err = st.QueryRowContext(ctx, key).Scan(&cur)
	if err != nil && err != sql.ErrNoRows {
		return false, err
	}
	if cur == a.ID {
		if item == nil {
			return false, nil
		}
		// The key holds the article already: only the item is new (its
		// spaces refreshed after those of the new articles put before).
		if err := b.flushRefresh(ctx, tx); err != nil {
			return false, err
		}
		return false, putFeedItem(ctx, tx, *item)
	}

	published := ""
	if !a.Published.IsZero() {
		published = a.Published.Format(time.RFC3339Nano)
	}
	if st, err = tx.prepared(ctx, `
		INSERT INTO articles (id, name, path, title, derived, source, url, published, author,
			ingested_at, headline, gist, bullets, score, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`); err != nil {
		return false, err
	}
	res, err := st.ExecContext(ctx,
		a.ID, a.Name, a.Path, a.Title, boolInt(a.Derived), a.Source, a.URL, published, a.Author,
		nanos(now), an.Briefing.Headline, an.Briefing.Gist, p.bullets, an.Briefing.Score, a.Body)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	stored := n == 0 // before, maybe from another key, maybe no longer active
	if !stored {
		ids, err := insertClaims(ctx, tx, a.ID, an.Claims, p.rows)
		if err != nil {
			return false, err
		}
		for i, r := range p.rows {
			r.id = ids[i]
			b.index = append(b.index, r)
		}
		if len(p.rows) > 0 {
			if b.indexed == nil {
				b.indexed = map[string]bool{}
			}
			b.indexed[a.ID] = true
		}
		if err := b.stories.assignStory(ctx, tx, an, p.terms, storyTime(a, now)); err != nil {
			return false, err
		}
	}

	if b.indexed[cur] {
		// The key leaves an article of the batch whose rows are still
		// to be written: written now, the trigger that takes an
		// article's rows out of the index when its last key leaves it
		// sees them.
		if err := b.flushIndex(ctx, tx); err != nil {
			return false, err
		}
	}
	if stored || cur != "" {
		// The spaces of the batch's new articles still to be refreshed,
		// as of before the key moves (that article among them, say:
		// it arrives, then leaves, as with one put at a time).
		if err := b.flushRefresh(ctx, tx); err != nil {
			return false, err
		}
	}
	if st, err = tx.prepared(ctx, `
		INSERT INTO sources (key, article_id, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET article_id = excluded.article_id, updated_at = excluded.updated_at`); err != nil {
		return false, err
	}
	if _, err = st.ExecContext(ctx, key, a.ID, nanos(now)); err != nil {
		return false, fmt.Errorf("source %q: %w", key, err)
	}
	if stored {
		// What the batch has yet to index goes first: the article may be
		// one of them, under another key.
		if err := b.flushIndex(ctx, tx); err != nil {
			return false, err
		}
		if err := indexStoredClaims(ctx, tx, a.ID, a.Body, p.sents); err != nil {
			return false, err
		}
	}
	if item != nil {
		oldKey, err := feedItemKey(ctx, tx, *item)
		if err != nil {
			return false, err
		}
		// A new article, under a key and an item new to it, has its
		// spaces refreshed with the batch's other new articles (below).
		// Else they are refreshed now, as putFeedItem does, the new
		// articles put before first, as of before the item moves.
		refreshNow := stored || cur != "" || oldKey != "" && oldKey != key
		if refreshNow {
			if err := b.flushRefresh(ctx, tx); err != nil {
				return false, err
			}
		}
		if err := writeFeedItem(ctx, tx, *item); err != nil {
			return false, err
		}
		if refreshNow {
			if err := refreshItemSpaces(ctx, tx, *item, oldKey); err != nil {
				return false, err
			}
		}
	}
	if stored || cur != "" {
		// An article stored before, or one the key leaves: its spaces
		// now, in the order of the puts, as refreshSpaces alone would
		// (the batch's new articles were refreshed above).
		if err := refreshSpaces(ctx, tx, `SELECT CAST(? AS TEXT) UNION SELECT CAST(? AS TEXT)`, a.ID, cur); err != nil {
			return false, err
		}
		return true, nil
	}
	// A new article: its arrivals come after those of the articles put
	// before it, as the batch's new articles arrive in the order of their
	// seq (refreshSpaces orders by it).
	b.refresh = append(b.refresh, a.ID)
	return true, nil
}

// flushRefresh refreshes the spaces of the new articles of the batch so
// far: new to the store, and not yet refreshed (a put that moves a key
// from one of them, or to one, flushes first), they have no rows in
// space_articles to make inactive.
func (b *putBatch) flushRefresh(ctx context.Context, tx *tx) error {
	err := refreshArticlesOf(ctx, tx, true, b.refresh)
	b.refresh = b.refresh[:0]
	return err
}

// flushIndex writes the index rows of the batch so far.
func (b *putBatch) flushIndex(ctx context.Context, tx *tx) error {
	err := insertIndexRows(ctx, tx, b.index)
	b.index = b.index[:0]
	clear(b.indexed)
	return err
}

// finish writes the rest of the batch: its index rows, and its articles'
// spaces (refreshSpaces).
func (b *putBatch) finish(ctx context.Context, tx *tx) error {
	if err := b.flushIndex(ctx, tx); err != nil {
		return err
	}
	return b.flushRefresh(ctx, tx)
}

// insertClaims stores the claims of an article, with index their rows of
// the search index (newIndexRow: on SQLite, for where their sentences are),
// and returns their row IDs: many in one statement, then their IDs in one
// query.
func insertClaims(ctx context.Context, tx *tx, articleID string, claims []briefing.Claim, index []indexRow) ([]int64, error) {
	if len(claims) == 0 {
		return nil, nil
	}
	const cols = `INSERT INTO claims (article_id, idx, text, speaker, speaker_role, kind, verb, via,
			anonymous, verbatim, span_start, span_end, sentence, speaker_unsure`
	if !tx.c.d.postgres {
		// One claim at a time, by one statement compiled once
		// (tx.prepared), its ID the row's: no statement for each number
		// of claims, no query of the IDs after.
		stmt, err := tx.prepared(ctx, cols+`, sent_start, sent_end, prev_start, prev_end, next_start, next_end)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return nil, err
		}
		ids := make([]int64, len(claims))
		for i, c := range claims {
			sp := index[i].spans
			// Numbers as int64, which database/sql passes on as they
			// are (an int it converts by reflection).
			res, err := stmt.ExecContext(ctx, articleID, int64(i), c.Text, c.Speaker, c.SpeakerRole, string(c.Kind),
				c.Verb, c.Via, boolInt(c.Anonymous), boolInt(c.Verbatim), int64(c.Start), int64(c.End), int64(c.Sentence), boolInt(c.SpeakerUnsure),
				int64(sp.sentence[0]), int64(sp.sentence[1]), int64(sp.before[0]), int64(sp.before[1]), int64(sp.after[0]), int64(sp.after[1]))
			if err != nil {
				return nil, fmt.Errorf("claim %d: %w", i, err)
			}
			if ids[i], err = res.LastInsertId(); err != nil {
				return nil, fmt.Errorf("claim %d: %w", i, err)
			}
		}
		return ids, nil
	}
	for lo := 0; lo < len(claims); lo += claimsChunk {
		chunk := claims[lo:min(lo+claimsChunk, len(claims))]
		stmt, err := tx.prepared(ctx, cols+`) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", "))
		if err != nil {
			return nil, err
		}
		args := make([]any, 0, 14*len(chunk))
		for k, c := range chunk {
			args = append(args, articleID, lo+k, c.Text, c.Speaker, c.SpeakerRole, string(c.Kind),
				c.Verb, c.Via, boolInt(c.Anonymous), boolInt(c.Verbatim), c.Start, c.End, c.Sentence, boolInt(c.SpeakerUnsure))
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return nil, fmt.Errorf("claims %d to %d: %w", lo, lo+len(chunk)-1, err)
		}
	}
	stmt, err := tx.prepared(ctx, `SELECT id FROM claims WHERE article_id = ? ORDER BY idx`)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, len(claims))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) != len(claims) {
		return nil, fmt.Errorf("claims: %d stored, %d found", len(claims), len(ids))
	}
	return ids, nil
}

// claimsChunk is the most claims insertClaims adds in one statement, within
// SQLite's limit on a statement's parameters (32,766).
const claimsChunk = 1000

// RemoveKey records that the source key is gone. Its article stays stored
// but is no longer active unless another key points at it.
func (s *Store) RemoveKey(ctx context.Context, key string) error {
	what := fmt.Sprintf("remove source %q", key)
	err := s.db.write(ctx, func(tx *tx) error {
		var id string
		if err := tx.QueryRowContext(ctx, `SELECT article_id FROM sources WHERE key = ?`, key).Scan(&id); err != nil {
			return notFound(err, what)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE key = ?`, key); err != nil {
			return err
		}
		return refreshSpaces(ctx, tx, `SELECT CAST(? AS TEXT)`, id)
	})
	if err != nil {
		return wrapOnce("store: "+what, err)
	}
	return nil
}

// Keys returns the source keys and the IDs of the articles they hold.
func (s *Store) Keys(ctx context.Context) (map[string]string, error) {
	type source struct{ key, articleID string }
	list, err := queryRows(ctx, s.db, func(row scanner) (source, error) {
		var src source
		err := row.Scan(&src.key, &src.articleID)
		return src, err
	}, `SELECT key, article_id FROM sources`)
	if err != nil {
		return nil, fmt.Errorf("store: keys: %w", err)
	}
	keys := make(map[string]string, len(list))
	for _, src := range list {
		keys[src.key] = src.articleID
	}
	return keys, nil
}

// articleCols are the columns scanArticle reads, all but the body: the
// article's seq, then articleRest.
const articleCols = `a.seq, ` + articleRest

// articleRest are the columns scanArticle reads after the seq.
const articleRest = `a.id, a.name, a.path, a.title, a.derived, a.source, a.url,
	a.published, a.author, a.ingested_at, a.headline, a.gist, a.bullets, a.score,
	EXISTS (SELECT 1 FROM sources s WHERE s.article_id = a.id)`

// scanArticle scans articleCols, followed by the body if withBody.
func scanArticle(row scanner, withBody bool) (*StoredArticle, error) {
	var (
		sa                 StoredArticle
		published, bullets string
		ingested           int64
	)
	dest := []any{&sa.Seq, &sa.ID, &sa.Name, &sa.Path, &sa.Title, &sa.Derived, &sa.Source, &sa.URL,
		&published, &sa.Author, &ingested, &sa.Briefing.Headline, &sa.Briefing.Gist, &bullets, &sa.Briefing.Score, &sa.Active}
	if withBody {
		dest = append(dest, &sa.Body)
	}
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if published != "" {
		t, err := time.Parse(time.RFC3339Nano, published)
		if err != nil {
			return nil, fmt.Errorf("article %s: published: %w", sa.ID, err)
		}
		sa.Published = t
	}
	sa.IngestedAt = fromNanos(ingested)
	var err error
	if sa.Briefing.Bullets, err = decodeBullets(bullets); err != nil {
		return nil, fmt.Errorf("article %s: bullets: %w", sa.ID, err)
	}
	// The rest of the briefing repeats the article's metadata.
	sa.Briefing.ArticleID = sa.ID
	sa.Briefing.Article = sa.Name
	sa.Briefing.Source = sa.Source
	sa.Briefing.URL = sa.URL
	sa.Briefing.Published = sa.Published
	return &sa, nil
}

// scanListedArticle scans articleCols: an article in a list, without its
// body.
func scanListedArticle(row scanner) (*StoredArticle, error) { return scanArticle(row, false) }

// Article returns the article with the ID, active or not, with its body.
func (s *Store) Article(ctx context.Context, id string) (*StoredArticle, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+articleCols+`, a.body FROM articles a WHERE a.id = ?`, id)
	sa, err := scanArticle(row, true)
	if err != nil {
		return nil, notFound(err, "article "+id)
	}
	return sa, nil
}

// Bodies returns the bodies of the articles with the given IDs, by ID, in
// one query; an unknown ID is absent from the map. It is for the few
// articles an answer cites (reads of many articles come without bodies).
func (s *Store) Bodies(ctx context.Context, ids []string) (map[string]string, error) {
	bodies := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return bodies, nil
	}
	type article struct{ id, body string }
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	list, err := queryRows(ctx, s.db, func(row scanner) (article, error) {
		var a article
		err := row.Scan(&a.id, &a.body)
		return a, err
	}, `SELECT a.id, a.body FROM articles a WHERE a.id IN `+placeholders(len(ids)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: article bodies: %w", err)
	}
	for _, a := range list {
		bodies[a.id] = a.body
	}
	return bodies, nil
}

// ActiveArticles returns the active articles with Seq > afterSeq, newest
// (highest Seq) first, at most limit of them if limit > 0. The articles
// come without their Body (see Article).
func (s *Store) ActiveArticles(ctx context.Context, afterSeq int64, limit int) ([]*StoredArticle, error) {
	list, err := queryRows(ctx, s.db, scanListedArticle, `
		SELECT `+articleCols+` FROM articles a
		WHERE a.seq > ? AND EXISTS (SELECT 1 FROM sources s WHERE s.article_id = a.id)
		ORDER BY a.seq DESC LIMIT ?`, afterSeq, s.db.d.limit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: active articles: %w", err)
	}
	return list, nil
}

// FindArticles returns the articles the space sees matching query, newest first,
// at most limit of them if limit > 0: those whose ID starts with query or
// whose title, headline, name or source contains it, ignoring (ASCII)
// case, or whose URL is query. Exact matches of the ID, name or URL come
// first. Bodies are not loaded.
func (s *Store) FindArticles(ctx context.Context, space, query string, limit int) ([]*StoredArticle, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return nil, nil
	}
	like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
	ilike := s.db.d.ilike
	list, err := queryRows(ctx, s.db, scanListedArticle, `
		SELECT `+articleCols+` FROM articles a
		WHERE `+visibleIn("a.id", "?4")+`
			AND (a.id `+ilike+` ?2 || '%' ESCAPE '\'
				OR a.title `+ilike+` '%' || ?2 || '%' ESCAPE '\'
				OR a.headline `+ilike+` '%' || ?2 || '%' ESCAPE '\'
				OR a.name `+ilike+` '%' || ?2 || '%' ESCAPE '\'
				OR a.source `+ilike+` '%' || ?2 || '%' ESCAPE '\'
				OR a.url = ?1)
		ORDER BY (a.id = ?1 OR a.name = ?1 OR a.url = ?1) DESC, a.seq DESC
		LIMIT ?3`, q, like, s.db.d.limit(limit), space)
	if err != nil {
		return nil, fmt.Errorf("store: find articles %q: %w", q, err)
	}
	return list, nil
}

// MaxSeq returns the highest Seq of any stored article, 0 if none.
func (s *Store) MaxSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM articles`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: max seq: %w", err)
	}
	return seq, nil
}

const claimCols = `text, speaker, speaker_role, kind, verb, via, anonymous, verbatim,
	span_start, span_end, sentence, speaker_unsure`

// claimDest returns where scanning claimCols puts a claim's fields.
func claimDest(c *briefing.Claim) []any { return appendClaimDest(nil, c) }

// appendClaimDest appends claimDest(c) to dest.
func appendClaimDest(dest []any, c *briefing.Claim) []any {
	return append(dest, &c.Text, &c.Speaker, &c.SpeakerRole, &c.Kind, &c.Verb, &c.Via,
		&c.Anonymous, &c.Verbatim, &c.Start, &c.End, &c.Sentence, &c.SpeakerUnsure)
}

// sureOrNot marks as unsure a claim that is someone's but names no one: so
// are those stored before speaker_unsure was, whose speaker the engine could
// not name.
func sureOrNot(c *briefing.Claim) {
	c.SpeakerUnsure = c.SpeakerUnsure || c.Attributed() && c.Speaker == ""
}

func scanClaim(row scanner) (briefing.Claim, error) {
	var c briefing.Claim
	err := row.Scan(claimDest(&c)...)
	sureOrNot(&c)
	return c, err
}

// Claims returns the claims of the article, in order.
func (s *Store) Claims(ctx context.Context, articleID string) ([]briefing.Claim, error) {
	what := "claims of article " + articleID
	claims, err := queryRows(ctx, s.db, scanClaim,
		`SELECT `+claimCols+` FROM claims WHERE article_id = ? ORDER BY idx`, articleID)
	if err != nil {
		return nil, notFound(err, what)
	}
	if len(claims) == 0 { // none, or no such article?
		var one int
		err := s.db.QueryRowContext(ctx, `SELECT 1 FROM articles WHERE id = ?`, articleID).Scan(&one)
		if err != nil {
			return nil, notFound(err, what)
		}
	}
	return claims, nil
}

// ClaimText is who said a claim and what: all of it that tells whether
// two claims are the same (ClaimTexts).
type ClaimText struct{ Speaker, Text string }

// ClaimTexts returns the speaker and text of each claim of each of the
// articles with the IDs, in the order of Claims, by article ID, in one
// query for up to routeChunk of them: what an answer compares its claims
// with in the other articles of their stories (read one article per query
// with all the claims' columns before). An unknown article, or one without
// claims, is absent. An ID given twice is asked once (else its claims
// would be listed twice when it falls in two chunks).
func (s *Store) ClaimTexts(ctx context.Context, ids []string) (map[string][]ClaimText, error) {
	ids = distinct(ids)
	out := make(map[string][]ClaimText, len(ids))
	type claim struct {
		article string
		c       ClaimText
	}
	scan := func(row scanner) (claim, error) {
		var c claim
		err := row.Scan(&c.article, &c.c.Speaker, &c.c.Text)
		return c, err
	}
	for start := 0; start < len(ids); start += routeChunk {
		chunk := ids[start:min(start+routeChunk, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		list, err := queryRows(ctx, s.db, scan, `SELECT article_id, speaker, text FROM claims
			WHERE article_id IN `+placeholders(len(chunk))+` ORDER BY article_id, idx`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: claims of %d articles: %w", len(chunk), err)
		}
		for _, c := range list {
			out[c.article] = append(out[c.article], c.c)
		}
	}
	return out, nil
}

// Claim returns the article's claim with the index.
func (s *Store) Claim(ctx context.Context, articleID string, index int) (briefing.Claim, error) {
	row := s.db.QueryRowContext(ctx,
		`SELECT `+claimCols+` FROM claims WHERE article_id = ? AND idx = ?`, articleID, index)
	c, err := scanClaim(row)
	if err != nil {
		return briefing.Claim{}, notFound(err, fmt.Sprintf("claim %d of article %s", index, articleID))
	}
	return c, nil
}

// storedBullet is a briefing.Bullet as stored in JSON. It has its own
// field names, so that changes to briefing's JSON tags cannot break stored
// data, and leaves out empty fields, which keeps decoding fast.
type storedBullet struct {
	Text        string `json:"text,omitempty"`
	Speaker     string `json:"speaker,omitempty"`
	SpeakerRole string `json:"speaker_role,omitempty"`
	Kind        string `json:"kind,omitempty"`
	Verb        string `json:"verb,omitempty"`
	Via         string `json:"via,omitempty"`
	Anonymous   bool   `json:"anonymous,omitempty"`
	Verbatim    bool   `json:"verbatim,omitempty"`
	Unsure      bool   `json:"speaker_unsure,omitempty"`
	Start       int    `json:"start,omitempty"`
	End         int    `json:"end,omitempty"`
	Sentence    int    `json:"sentence,omitempty"`
	Line        string `json:"line,omitempty"`
	Attribution string `json:"attribution,omitempty"`
	Shown       string `json:"shown,omitempty"`
	Index       int    `json:"index,omitempty"`
}

func encodeBullets(bullets []briefing.Bullet) (string, error) {
	list := make([]storedBullet, len(bullets))
	for i, b := range bullets {
		list[i] = storedBullet{
			Text: b.Text, Speaker: b.Speaker, SpeakerRole: b.SpeakerRole, Kind: string(b.Kind),
			Verb: b.Verb, Via: b.Via, Anonymous: b.Anonymous, Verbatim: b.Verbatim, Unsure: b.SpeakerUnsure,
			Start: b.Start, End: b.End, Sentence: b.Sentence,
			Line: b.Line, Attribution: b.Attribution, Shown: b.Shown, Index: b.Index,
		}
	}
	data, err := json.Marshal(list)
	if err != nil {
		return "", fmt.Errorf("bullets: %w", err)
	}
	return string(data), nil
}

func decodeBullets(data string) ([]briefing.Bullet, error) {
	var list []storedBullet
	if err := json.Unmarshal([]byte(data), &list); err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, nil
	}
	bullets := make([]briefing.Bullet, len(list))
	for i, b := range list {
		bullets[i] = briefing.Bullet{
			Claim: briefing.Claim{
				Text: b.Text, Speaker: b.Speaker, SpeakerRole: b.SpeakerRole, Kind: briefing.Kind(b.Kind),
				Verb: b.Verb, Via: b.Via, Anonymous: b.Anonymous, Verbatim: b.Verbatim, SpeakerUnsure: b.Unsure,
				Start: b.Start, End: b.End, Sentence: b.Sentence,
			},
			Line: b.Line, Attribution: b.Attribution, Shown: b.Shown, Index: b.Index,
		}
	}
	return bullets, nil
}
