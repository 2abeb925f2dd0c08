// Package feeds follows RSS and Atom feeds: a [Manager], made by [New]
// with a [Config], polls them politely, fetches the article each new item
// links to, extracts its main text, and stores the analysed article like a
// seed article, so that briefings, digests, /ask and /source work on feed
// stories unchanged. [Manager.Add], [Manager.Remove] and [Manager.List]
// (each feed's [FeedState]) serve /feeds.
//
// # Politeness
//
// Each feed is polled every Config.PollInterval, at a time of the interval
// fixed by a hash of its URL, so that many feeds are spread over the
// interval rather than polled at once. Requests are conditional (ETag and
// Last-Modified are stored per feed; a 304 Not Modified costs nothing
// more). A server's Cache-Control max-age, an RSS <ttl> and a Retry-After
// on 429 and 503 push the next poll later (up to a day). At most one
// request at a time goes to a host (host name and port); errors back off
// exponentially with jitter; and every request names briefbot in its
// User-Agent. After Config.MaxFailures failed polls in a row a feed is
// paused: that is logged once at warn level and shown by List, and Add
// resumes it.
//
// # Fair polling
//
// A few hostile or broken feeds must not stop the others. Each feed's
// poll, its pages included, ends by Config.PollDeadline
// (FEEDS_POLL_DEADLINE). A feed or page whose body averages under
// Config.MinRate bytes a second (FEEDS_MIN_RATE) once Config.RateGrace has
// passed is cut off, like one that takes longer than Config.Timeout. At
// most Config.MaxItems new items (FEEDS_MAX_ITEMS) are handled per feed and
// poll, the newest; the older ones come in the next polls, newest first,
// and until none is left the feed's validators are not stored, so that a
// 304 cannot hide them. The feeds of one host are polled one at a time
// (they would only wait for each other's requests), so they hold one
// worker, not all. A poll that still runs after Config.SlowAfter gives its
// worker back: it goes on in the slow lane if one of its
// Config.SlowWorkers places is free, and is cut short otherwise. A poll
// cut short (by its deadline or for want of a place) keeps the items it
// handled, is logged and counted in the poll's statistics, and leaves the
// rest for the next poll; it is not a failure unless the feed itself could not be
// fetched.
//
// # Safety
//
// Unless Config.AllowPrivate, feeds and pages are fetched only from public
// addresses: loopback, private, link-local, unique-local, carrier-grade
// NAT, multicast, unspecified, reserved and cloud metadata addresses, and
// IPv6 addresses that carry one of those in IPv4 (6to4, Teredo, NAT64,
// SIIT, IPv4-mapped), are refused when a connection is made, after DNS resolution, for every
// request and every redirect hop. Redirect chains stop after 5 hops and at
// the first loop. Each request has a timeout. No HTTP proxy is used.
//
// # Size
//
// Every article is held to Config.MaxArticleBytes (MAX_ARTICLE_BYTES), as
// seed files are: a page is refused if its body, as it streams in after
// decompression, or its text once converted to UTF-8, is larger; an item's
// content or description is not used if it is larger. An article is never
// cut short: a refused page falls back to the item's text, and an item
// whose text is refused too is skipped, with the reason logged and
// recorded. A feed document is capped at Config.MaxFeedBytes while it
// streams, after decompression. At most Config.Parsers feeds or pages are
// parsed, or articles analysed, at once; other polls wait, holding at most
// one body each, so that the memory of polling does not grow with
// Config.Workers beyond (Workers + SlowWorkers) × MaxFeedBytes of bodies.
//
// # Articles and deduplication
//
// A new item's page is fetched (it must be text/html or XHTML; it is
// converted to UTF-8 from the charset its Content-Type or <meta> declares)
// and its main text extracted with go-readability. If the page cannot be
// fetched or has no main text, the item's own content or description is
// briefed instead; that is logged, counted in FeedState.Fallbacks, and
// recorded with the item (store.FeedItem).
//
// An outlet and an address are shown only as far as they were verified.
// The article of a fetched page is stored under the source key "feed:" +
// the story's canonical URL: the page's <link rel=canonical> if it is on
// the same site (registrable domain) as the address the page was fetched
// from, else that address, with tracking parameters (utm_*, fbclid, gclid,
// mc_cid, mc_eid, ...), fragment and default port removed. Its outlet is
// the one the page names, else the feed's title if the page is on the
// feed's site, else the page's host. Text from the feed itself is the
// feed's summary: it is credited to the feed's own host ("summary from
// feed feeds.example.net", see SummaryPrefix), not to its title; it has
// the item's link as its URL only if that link is on the feed's site
// (its record, store.FeedItem, keeps it in any case); it is stored under a key of its own
// ("feed:" + feed URL + "#" + GUID); and it never stands for the story
// its link names, so the real page, fetched later from any feed, is
// briefed as well.
//
// The polls analyse their articles in parallel, and one writer stores
// them, as many as wait in one transaction (group commit). A poll goes on
// once its article is committed; one cut short, or a bot that stops or
// dies, loses only articles not yet committed, whose items the next poll
// fetches again.
//
// An item is skipped if its GUID was seen in the same feed, or its
// canonical URL or link in any feed whose item was briefed from its page;
// an article whose content hash (briefing.Article.ID) is already stored
// is not analysed or briefed again.
package feeds

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"net/netip"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/store"
)

// Config configures a Manager. Zero values mean the defaults.
type Config struct {
	PollInterval time.Duration // FEEDS_POLL_INTERVAL, default 15m
	MaxFailures  int           // FEEDS_MAX_FAILURES, default 10
	AllowPrivate bool          // FEEDS_ALLOW_PRIVATE: allow loopback, private and link-local addresses
	UserAgent    string        // default DefaultUserAgent
	Timeout      time.Duration // per request, body included; default 20s
	MaxFeedBytes int64         // feed size cap, applied while streaming; default 5 MiB
	// MaxArticleBytes (MAX_ARTICLE_BYTES) caps a page's body as received
	// and once in UTF-8, and an item's own text; default 1 MiB.
	MaxArticleBytes int64
	Workers         int // feeds polled at once; default 16
	Parsers         int // pages parsed and articles analysed at once; default GOMAXPROCS

	// Hostile or slow feeds (see "Fair polling" above).
	PollDeadline time.Duration // FEEDS_POLL_DEADLINE: the longest poll of one feed, pages included; default 2m
	MaxItems     int           // FEEDS_MAX_ITEMS: new items handled per feed and poll, the newest; default 50
	MinRate      int64         // FEEDS_MIN_RATE: least bytes a second a body must average after RateGrace; default 1024, <0 for none
	RateGrace    time.Duration // default 5s
	SlowAfter    time.Duration // how long a poll may hold one of the Workers; default 20s
	SlowWorkers  int           // polls that may go on past SlowAfter at once; default Workers/2, at least 1

	Brief briefing.Options

	// Replicas on one database (see pollLeased): Replica (REPLICA_ID)
	// names this one in the feeds' leases, held for LeaseTTL (LEASE_TTL)
	// unless renewed. Defaults: "briefbot", 30 s.
	Replica  string
	LeaseTTL time.Duration
}

// DefaultUserAgent names briefbot in every request.
const DefaultUserAgent = "briefbot/1.0 (+https://github.com/briefbot/briefbot)"

// KeyPrefix starts the source key of every feed article (see
// store.PutArticle); the rest is the story's canonical URL. Seeds use
// their paths ("seeds/...").
const KeyPrefix = "feed:"

func (c *Config) defaults() {
	if c.PollInterval <= 0 {
		c.PollInterval = 15 * time.Minute
	}
	if c.MaxFailures <= 0 {
		c.MaxFailures = 10
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.Timeout <= 0 {
		c.Timeout = 20 * time.Second
	}
	if c.MaxFeedBytes <= 0 {
		c.MaxFeedBytes = 5 << 20
	}
	if c.MaxArticleBytes <= 0 {
		c.MaxArticleBytes = 1 << 20
	}
	if c.Workers <= 0 {
		c.Workers = 16
	}
	if c.Parsers <= 0 {
		c.Parsers = runtime.GOMAXPROCS(0)
	}
	if c.PollDeadline <= 0 {
		c.PollDeadline = 2 * time.Minute
	}
	if c.Replica == "" {
		c.Replica = "briefbot"
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 30 * time.Second
	}
	if c.MaxItems <= 0 {
		c.MaxItems = 50
	}
	if c.MinRate == 0 {
		c.MinRate = 1024
	}
	if c.RateGrace <= 0 {
		c.RateGrace = 5 * time.Second
	}
	if c.SlowAfter <= 0 {
		c.SlowAfter = 20 * time.Second
	}
	if c.SlowWorkers <= 0 {
		c.SlowWorkers = max(1, c.Workers/2)
	}
}

// Manager follows feeds. It is safe for concurrent use.
type Manager struct {
	cfg   Config
	st    *store.Store
	log   *slog.Logger
	guard *guard
	fetch *fetcher
	now   func() time.Time // the clock; tests set it

	wake    chan struct{}                                                    // Add pokes Run
	parsing chan struct{}                                                    // one token per page parsed or article analysed
	analyze func(a *briefing.Article, o briefing.Options) *briefing.Analysis // briefing.Analyze; tests count calls

	mu        sync.Mutex
	inflight  map[string]bool // feeds being polled
	again     map[string]bool // of those, feeds asked to be polled again when done (see askAgain)
	busyHosts map[string]bool // hosts (hostKey) of the feeds being polled
	ended     chan struct{}   // closed, and replaced, when a poll ends

	storyLocks [64]sync.Mutex // by hash of a story's canonical URL
	writer     writer         // stores the polls' articles in batches
}

// New returns a Manager that keeps its feeds in st and logs to log (nil
// means slog.Default()).
func New(cfg Config, st *store.Store, log *slog.Logger) *Manager {
	cfg.defaults()
	if log == nil {
		log = slog.Default()
	}
	g := &guard{allowPrivate: cfg.AllowPrivate}
	g.dialer.Timeout = cfg.Timeout
	return &Manager{
		cfg:       cfg,
		st:        st,
		log:       log,
		guard:     g,
		fetch:     newFetcher(g, cfg.UserAgent, cfg.Timeout, minRate{perSecond: cfg.MinRate, grace: cfg.RateGrace}),
		now:       time.Now,
		wake:      make(chan struct{}, 1),
		parsing:   make(chan struct{}, cfg.Parsers),
		analyze:   briefing.Analyze,
		inflight:  make(map[string]bool),
		again:     make(map[string]bool),
		busyHosts: make(map[string]bool),
		ended:     make(chan struct{}),
		writer:    writer{put: st.PutArticles},
	}
}

// FeedState is a followed feed as List shows it.
type FeedState struct {
	URL          string
	Title        string    // the feed's own title, once fetched
	LastFetch    time.Time // last successful fetch (a 304 included); zero if never
	Items        int       // items of the feed stored as articles
	Fallbacks    int       // of those, how many were briefed from the feed's own text
	LastError    string    // why the last poll failed; "" if it worked
	Failures     int       // consecutive failed polls
	FailingSince time.Time // the first of them; zero if none
	Paused       bool      // not polled any more (Add resumes it)
	PauseReason  string
	NextPoll     time.Time
	AddedAt      time.Time
	Global       bool // every space reads it (FEEDS, or followed before spaces)
}

// StateOf is a stored feed as List shows it.
func StateOf(f store.Feed) FeedState {
	return FeedState{
		URL: f.URL, Title: f.Title, LastFetch: f.LastFetch, Items: f.Items, Fallbacks: f.Fallbacks,
		LastError: f.LastError, Failures: f.Failures, FailingSince: f.FailingSince, Paused: f.Paused,
		PauseReason: f.PauseReason, NextPoll: f.NextPoll, AddedAt: f.AddedAt, Global: f.Global,
	}
}

// Add makes the space of owner follow the feed at rawURL, as given in
// chat: an http or https URL, optionally in angle brackets. Unless
// AllowPrivate, its host must resolve only to public addresses (the same
// check is made again on every connection). A feed is fetched once
// however many spaces follow it; the stories it brings are seen by them
// all. The feed is polled as soon as Run gets to it. Adding a feed that
// is already followed is not an error: it is polled now, and resumed if it
// was paused. joined reports whether the space did not follow it before.
// The error is worded for people; it wraps ErrForbiddenAddress when the
// address is refused.
func (m *Manager) Add(ctx context.Context, rawURL string, owner store.FeedOwner) (st FeedState, joined bool, err error) {
	u, err := parseFeedURL(rawURL)
	if err != nil {
		return FeedState{}, false, err
	}
	if !m.cfg.AllowPrivate {
		port, _ := strconv.Atoi(u.Port())
		if port == 0 {
			port = map[string]int{"http": 80, "https": 443}[u.Scheme]
		}
		if err := m.guard.checkHost(ctx, u.Hostname(), uint16(port)); err != nil {
			return FeedState{}, false, fmt.Errorf("cannot follow %s: %w", u, err)
		}
	}
	now := m.now()
	f, joined, err := m.st.AddFeed(ctx, u.String(), owner, now, now)
	if err != nil {
		return FeedState{}, false, err
	}
	if joined {
		m.log.Info("feed added", "feed", f.URL, "space", owner.Space)
	} else {
		// Added again by a space that follows it: a retry, polled now.
		// (A space joining a feed others follow leaves its polls alone.)
		m.log.Info("feed added again: polling it now", "feed", f.URL, "space", owner.Space)
		m.askAgain(f.URL)
	}
	m.poke()
	return StateOf(f), joined, nil
}

// Normalize is the address under which a feed given as rawURL is
// followed (see Add), or why it cannot be one.
func Normalize(rawURL string) (string, error) {
	u, err := parseFeedURL(rawURL)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// notFollowedError is Remove's error for a feed that the space does not
// follow.
type notFollowedError struct{ url string }

func (e notFollowedError) Error() string { return e.url + " is not a followed feed" }
func (e notFollowedError) Unwrap() error { return fs.ErrNotExist }

// Remove makes the space stop following the feed; the other spaces that
// follow it keep it. When none is left, its articles are no longer active
// (unless another feed carries the same story) but stay stored. A feed
// the space does not follow (a global feed, unless space is
// store.Global, or another space's) gives an error wrapping
// fs.ErrNotExist.
func (m *Manager) Remove(ctx context.Context, rawURL, space string) error {
	u, err := parseFeedURL(rawURL)
	if err != nil {
		return err
	}
	if err := m.st.RemoveFeed(ctx, u.String(), space); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return notFollowedError{u.String()}
		}
		return err
	}
	m.log.Info("feed removed", "feed", u.String(), "space", space)
	return nil
}

// List returns the feeds the space reads, the global ones and its own,
// paused ones included: the global ones first, then in the order they
// were added.
func (m *Manager) List(ctx context.Context, space string) ([]FeedState, error) {
	feeds, err := m.st.SpaceFeeds(ctx, space)
	if err != nil {
		return nil, err
	}
	list := make([]FeedState, len(feeds))
	for i, f := range feeds {
		list[i] = StateOf(f)
	}
	return list, nil
}

// EnsureConfigured makes the feeds configured in FEEDS global feeds,
// which every space reads. Feeds already followed are left as they are
// (a paused one stays paused); new ones get their first poll within the
// next minute, spread by URL. Removing a URL from FEEDS does not unfollow
// it: Remove with store.Global does. Invalid URLs, and IP addresses that are not public (unless
// AllowPrivate), are reported together in the error; the others are still
// stored. Host names are checked when they are fetched.
func (m *Manager) EnsureConfigured(ctx context.Context, urls []string) error {
	var errs []error
	now := m.now()
	for _, raw := range urls {
		u, err := parseFeedURL(raw)
		if err == nil && !m.cfg.AllowPrivate {
			if ip, perr := netip.ParseAddr(u.Hostname()); perr == nil {
				err = m.guard.check("", netip.AddrPortFrom(ip, 0))
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("FEEDS: %q: %w", raw, err))
			continue
		}
		created, err := m.st.EnsureFeed(ctx, u.String(), now.Add(m.startOffset(u.String())), now)
		if err != nil {
			return err
		}
		if created {
			m.log.Info("global feed added from FEEDS", "feed", u.String())
		}
	}
	m.poke()
	return errors.Join(errs...)
}

// heavy runs f while holding one of the Config.Parsers tokens: parsing a
// page or analysing an article, the work whose memory grows with the
// article. It returns ctx's error if ctx ends first.
func (m *Manager) heavy(ctx context.Context, f func()) error {
	select {
	case m.parsing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-m.parsing }()
	f()
	return nil
}

// poke wakes Run.
func (m *Manager) poke() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// urlHash is a stable hash of a feed URL, for spreading polls.
func urlHash(u string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(u))
	return h.Sum64()
}

// startSpread is the window over which first polls are spread.
func (m *Manager) startSpread() time.Duration { return min(m.cfg.PollInterval, time.Minute) }

// startOffset is a feed's delay within startSpread.
func (m *Manager) startOffset(u string) time.Duration {
	return time.Duration(urlHash(u) % uint64(m.startSpread()))
}
