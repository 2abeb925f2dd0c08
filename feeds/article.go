package feeds

// Articles: the linked page of a feed item, fetched and reduced to its main
// text with go-readability, or the item's own text when the page cannot be
// used.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/textutil"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// minPageText is the least main text (in bytes) a page must give to be
// preferred to a longer text in the item itself: below it the page is
// taken to have no main text (a paywall, an index page, a video).
const minPageText = 200

// maxElems bounds the elements of a page given to readability.
const maxElems = 50000

// page is what a fetched article page gives.
type page struct {
	url       *url.URL // after redirects
	canonical string   // <link rel=canonical>, resolved and canonicalized, if same site
	title     string
	siteName  string
	byline    string
	published time.Time
	text      string // main text, paragraphs separated by blank lines
}

// fetchPage fetches an article page and extracts its main text.
func (m *Manager) fetchPage(ctx context.Context, link string, n *requestCounts) (*page, error) {
	u, err := url.Parse(link)
	if err != nil {
		return nil, fmt.Errorf("invalid link %q", link)
	}
	h := http.Header{}
	h.Set("Accept", "text/html, application/xhtml+xml;q=0.9, */*;q=0.1")
	limit := m.cfg.MaxArticleBytes
	resp, err := m.fetch.get(ctx, u, h, limit, n)
	if err != nil {
		return nil, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		resp.Close()
		return nil, fmt.Errorf("HTTP %d %s", resp.Status, http.StatusText(resp.Status))
	}
	ct := resp.Header.Get("Content-Type")
	mt := ""
	if ct != "" {
		if t, _, err := mime.ParseMediaType(ct); err == nil {
			mt = t
		}
	}
	if mt != "" && !isHTML(mt) {
		resp.Close()
		return nil, fmt.Errorf("the page is %s, not HTML", mt)
	}
	data, err := io.ReadAll(resp.Body)
	resp.Close() // the host's next request may go while this page is parsed
	if err != nil {
		return nil, err
	}
	if mt == "" { // missing or unreadable: look at the content
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(data))
		if !isHTML(mt) {
			return nil, fmt.Errorf("the page is %s, not HTML", mt)
		}
	}
	var (
		p        *page
		parseErr error
	)
	if err := m.heavy(ctx, func() {
		text := toUTF8(data, ct)
		if int64(len(text)) > limit {
			parseErr = fmt.Errorf("%w: larger than %s once converted to UTF-8", errTooLarge, formatBytes(limit))
			return
		}
		p, parseErr = parsePage(text, resp.URL)
	}); err != nil {
		return nil, err
	}
	return p, parseErr
}

func isHTML(mediaType string) bool {
	return mediaType == "text/html" || mediaType == "application/xhtml+xml"
}

// toUTF8 converts a page to UTF-8: by its byte order mark, else the
// charset of the Content-Type header, else UTF-8 if the bytes are valid
// UTF-8, else the page's <meta charset> or http-equiv declaration, else
// windows-1252 (the web's default, which also stands for ISO-8859-1).
func toUTF8(data []byte, contentType string) string {
	enc, name, certain := charset.DetermineEncoding(data, contentType)
	if !certain && utf8.Valid(data) {
		return string(data)
	}
	if name == "utf-8" || enc == nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

// parsePage extracts the main text and metadata of an HTML page in UTF-8.
// A panic in the extraction is returned as an error.
func parsePage(text string, pageURL *url.URL) (p *page, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("the page could not be read: %v", r)
		}
	}()
	return extractPage(text, pageURL)
}

func extractPage(text string, pageURL *url.URL) (*page, error) {
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("invalid HTML: %w", err)
	}
	p := &page{url: pageURL}
	if c := findCanonical(doc); c != "" {
		if cu := canonicalString(pageURL, c); cu != "" {
			if cuu, _ := url.Parse(cu); cuu != nil && sameSite(cuu.Hostname(), pageURL.Hostname()) {
				p.canonical = cu
			}
		}
	}
	parser := readability.NewParser()
	parser.MaxElemsToParse = maxElems
	art, err := parser.ParseAndMutate(doc, pageURL)
	if err != nil {
		return nil, fmt.Errorf("no article found in the page: %w", err)
	}
	p.title = textutil.OneLine(art.Title())
	p.siteName = textutil.OneLine(art.SiteName())
	p.byline = textutil.OneLine(art.Byline())
	if t, err := art.PublishedTime(); err == nil {
		p.published = t
	}
	if art.Node != nil {
		p.text = paragraphs(render.InnerText(art.Node))
	}
	return p, nil
}

// findCanonical returns the href of the page's first <link rel=canonical>.
func findCanonical(n *html.Node) string {
	if n.Type == html.ElementNode && n.Data == "body" {
		return "" // it belongs in <head>; a link in the body is not the page's
	}
	if n.Type == html.ElementNode && n.Data == "link" {
		var rel, href string
		for _, a := range n.Attr {
			switch strings.ToLower(a.Key) {
			case "rel":
				rel = a.Val
			case "href":
				href = a.Val
			}
		}
		for _, r := range strings.Fields(rel) {
			if strings.EqualFold(r, "canonical") && href != "" {
				return href
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if h := findCanonical(c); h != "" {
			return h
		}
	}
	return ""
}

// paragraphs turns rendered text into the body format: one paragraph per
// line of text, white space collapsed, separated by blank lines.
func paragraphs(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		line = textutil.OneLine(strings.ReplaceAll(line, "\x00", ""))
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(line)
	}
	return b.String()
}

// squeeze trims s and turns each run of white space into one space.

// htmlToText returns the text of a feed's HTML content or description as
// paragraphs. Plain text is kept as it is, paragraph by paragraph.
func htmlToText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsAny(s, "<&") {
		return paragraphs(s)
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return paragraphs(s)
	}
	return paragraphs(render.InnerText(doc))
}

// itemText is the item's own text: its content, else its description.
// One larger than limit bytes (as given, before its HTML is read) is not
// used; if that leaves no text, the error says so.
func itemText(it *gofeed.Item, limit int64) (string, error) {
	var err error
	for _, raw := range []string{it.Content, it.Description} {
		if int64(len(raw)) > limit {
			err = fmt.Errorf("the item's text is larger than %s", formatBytes(limit))
			continue
		}
		if t := htmlToText(raw); t != "" {
			return t, nil
		}
	}
	return "", err
}

// maxTitleBytes is the longest item title used; a longer one is not a
// headline, and one is taken from the page or the text instead.
const maxTitleBytes = 1000

// errNoText is the reason an item gives no article.
var errNoText = errors.New("no text")

// SummaryPrefix starts the outlet (briefing.Article.Source) of an article
// briefed from a feed's own text rather than from a fetched page; the rest
// is the feed's host name: "summary from feed feeds.example.net".
const SummaryPrefix = "summary from feed "

// buildArticle makes the article of a feed item: from its page when that
// works and has main text, else from the item's own text, in which case
// fallback says why.
//
// An outlet and an address are given only as far as they were verified.
// A fetched page's article has the story's canonical URL (see
// extractPage) and the outlet the page names, else the feed's title if the
// page is on the feed's own site, else the page's host. The item's own
// text is the feed's: it is credited to the host the feed was fetched
// from (SummaryPrefix), never to the feed's self-declared title, and it
// has the item's link as its URL only when that link is on the feed's own
// site, since nothing shows that another site published that text.
// feedURL is the feed's address after redirects.
func (m *Manager) buildArticle(ctx context.Context, feed *gofeed.Feed, feedURL *url.URL, it *gofeed.Item, link string, n *requestCounts) (a *briefing.Article, fallback string, err error) {
	var (
		p       *page
		pageErr error
	)
	if link != "" {
		p, pageErr = m.fetchPage(ctx, link, n)
	} else {
		pageErr = errors.New("the item has no link")
	}
	if ctx.Err() != nil {
		return nil, "", ctx.Err()
	}
	own, ownErr := itemText(it, m.cfg.MaxArticleBytes)
	body := ""
	switch {
	case pageErr != nil:
		fallback = "page not usable: " + pageErr.Error()
	case len(p.text) < minPageText && len(own) > len(p.text):
		fallback = "the page has no main text"
	default:
		body = p.text
	}
	if fallback != "" {
		if ownErr != nil {
			return nil, fallback, fmt.Errorf("%w: %s, and %v", errNoText, fallback, ownErr)
		}
		if own == "" {
			return nil, fallback, fmt.Errorf("%w: %s, and the item has no text of its own", errNoText, fallback)
		}
		body = own
		p = nil // nothing of the page is used with the feed's text
	}

	title := ""
	if len(it.Title) <= maxTitleBytes {
		title = textutil.OneLine(it.Title)
	}
	if strings.ContainsAny(title, "<&") {
		title = textutil.OneLine(htmlToText(title))
	}
	if title == "" && p != nil {
		title = p.title
	}
	var source, canonical string
	if p != nil {
		source = p.siteName
		if source == "" && sameSite(p.url.Hostname(), feedURL.Hostname()) {
			source = textutil.OneLine(feed.Title)
		}
		if source == "" {
			source = strings.TrimPrefix(p.url.Hostname(), "www.")
		}
		canonical = p.canonical
		if canonical == "" {
			canonical = canonicalURL(p.url).String()
		}
	} else {
		source = SummaryPrefix + feedURL.Hostname()
		if u, err := url.Parse(link); err == nil && link != "" && sameSite(u.Hostname(), feedURL.Hostname()) {
			canonical = link
		}
	}
	author := ""
	for _, who := range it.Authors {
		if who != nil && textutil.OneLine(who.Name) != "" {
			author = textutil.OneLine(who.Name)
			break
		}
	}
	if author == "" && p != nil {
		author = p.byline
	}
	var published time.Time
	switch {
	case it.PublishedParsed != nil:
		published = *it.PublishedParsed
	case it.UpdatedParsed != nil:
		published = *it.UpdatedParsed
	case p != nil:
		published = p.published
	}

	// The first paragraph often repeats the headline.
	if first, rest, ok := strings.Cut(body, "\n\n"); ok && title != "" && strings.EqualFold(first, title) {
		body = rest
	}
	// Feed text reaches the store without the file loader, so it is
	// cleaned of invisible characters here, before the ID is computed.
	clean := briefing.StripInvisible
	a = &briefing.Article{
		Name:      articleName(canonical, feedURL, it),
		Title:     clean(title),
		Source:    clean(source),
		URL:       canonical,
		Published: published,
		Author:    clean(author),
		Body:      clean(body),
	}
	a.ID = briefing.ContentID(a.Title, a.Source, a.URL, a.Published, a.Author, a.Body)
	if a.Title == "" {
		a.Title = briefing.DeriveHeadline(body)
		a.Derived = true
	}
	return a, fallback, nil
}

// articleName names a feed article the way a file name names a seed: the
// story's host and path ("news.example/2026/03/bridge-closes").
func articleName(canonical string, feedURL *url.URL, it *gofeed.Item) string {
	name := ""
	if u, err := url.Parse(canonical); err == nil && u.Host != "" {
		name = strings.TrimPrefix(u.Host, "www.") + strings.TrimSuffix(u.EscapedPath(), "/")
	} else {
		name = feedURL.Host + " " + textutil.OneLine(it.Title)
	}
	if len(name) > 120 {
		name = strings.ToValidUTF8(name[:120], "")
	}
	return name
}
