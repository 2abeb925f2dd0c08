package briefing

// Extracting an article from an HTML page: metadata from <meta>, <link>,
// <title> and <time> elements, text from the paragraphs of the main content.

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ParseHTML extracts the main text and metadata of an HTML page:
//
//   - Title: og:title, else <title>, else the first <h1>.
//   - Source: og:site_name. URL: <link rel=canonical>, else og:url.
//   - Published: article:published_time, else the first <time datetime>
//     in the main content, else in the page. Author: <meta name=author>.
//   - Body: the paragraphs (<p>, headings, <blockquote>, <li>) of the
//     <article> with the most text, else of the <main>, else of the element
//     with the most <p> text; scripts, navigation, headers, footers, asides,
//     forms and figures are skipped. Paragraphs are separated by blank
//     lines, with entities decoded and white space collapsed. A leading
//     paragraph that repeats the title is dropped. A page without any such
//     paragraphs falls back to all of its text.
//
// Like Parse, it wants UTF-8: callers fetching pages in other encodings
// must convert them first.
func ParseHTML(name string, data []byte) (*Article, error) {
	text, err := checkText(data)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("invalid HTML: %w", err)
	}
	var p htmlPage
	p.scan(doc, scanState{})

	root := p.mainContent()
	paras := htmlParagraphs(root, false)
	if len(paras) == 0 {
		paras = htmlParagraphs(doc, true)
	}

	m := articleMeta{
		title:     htmlFirstOf(p.ogTitle, p.titleTag, p.h1),
		source:    p.siteName,
		url:       htmlFirstOf(p.canonical, p.ogURL),
		published: htmlFirstOf(p.publishedMeta, htmlTimeIn(root), p.time),
		author:    p.author,
	}
	if len(paras) > 0 && m.title != "" && strings.EqualFold(paras[0], squeezeSpace(m.title)) {
		paras = paras[1:]
	}
	return finishArticle(name, m, strings.Join(paras, "\n\n"))
}

// htmlPage is what a scan of a parsed page finds.
type htmlPage struct {
	// Metadata; each holds the first value found.
	ogTitle, titleTag, h1       string
	siteName, canonical, ogURL  string
	publishedMeta, time, author string

	// Candidates for the main content, in document order, outside skipped
	// elements. Only outermost <article> and <main> elements are kept: an
	// outer one holds all the text of those inside it, and examining each
	// nested one would take quadratic time.
	articles, mains []*html.Node
	pParents        []*html.Node       // parents of <p> elements
	pText           map[*html.Node]int // bytes of <p> text per parent
}

// scanState says where in the page a scan is.
type scanState struct {
	skipped   bool // inside an element whose text is ignored
	inArticle bool // inside an <article>
	inMain    bool // inside a <main>
}

// scan walks the tree under n, recording metadata and content candidates.
func (p *htmlPage) scan(n *html.Node, st scanState) {
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.Meta:
			p.meta(n)
		case atom.Link:
			if htmlHasToken(htmlAttr(n, "rel"), "canonical") {
				htmlSetOnce(&p.canonical, htmlAttr(n, "href"))
			}
		case atom.Title:
			htmlSetOnce(&p.titleTag, htmlText(n))
		case atom.H1:
			htmlSetOnce(&p.h1, htmlText(n))
		case atom.Time:
			htmlSetOnce(&p.time, htmlAttr(n, "datetime"))
		case atom.Article:
			if !st.skipped && !st.inArticle {
				p.articles = append(p.articles, n)
			}
			st.inArticle = true
		case atom.Main:
			if !st.skipped && !st.inMain {
				p.mains = append(p.mains, n)
			}
			st.inMain = true
		case atom.P:
			if !st.skipped && n.Parent != nil {
				if p.pText == nil {
					p.pText = make(map[*html.Node]int)
				}
				if _, seen := p.pText[n.Parent]; !seen {
					p.pParents = append(p.pParents, n.Parent)
				}
				p.pText[n.Parent] += len(htmlText(n))
			}
		}
		st.skipped = st.skipped || htmlSkipped(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		p.scan(c, st)
	}
}

// meta records a <meta> element's metadata, named by its property or name.
func (p *htmlPage) meta(n *html.Node) {
	content := htmlAttr(n, "content")
	for _, key := range []string{htmlAttr(n, "property"), htmlAttr(n, "name")} {
		switch strings.ToLower(key) {
		case "og:title":
			htmlSetOnce(&p.ogTitle, content)
		case "og:site_name":
			htmlSetOnce(&p.siteName, content)
		case "og:url":
			htmlSetOnce(&p.ogURL, content)
		case "article:published_time":
			htmlSetOnce(&p.publishedMeta, content)
		case "author":
			htmlSetOnce(&p.author, content)
		}
	}
}

// mainContent picks the element holding the article's text: the <article>
// with the most paragraph text, else such a <main>, else the element with
// the most <p> text directly inside it, else nil.
func (p *htmlPage) mainContent() *html.Node {
	for _, candidates := range [][]*html.Node{p.articles, p.mains} {
		var best *html.Node
		bestLen := 0
		for _, n := range candidates {
			if l := htmlTextLen(htmlParagraphs(n, false)); l > bestLen {
				best, bestLen = n, l
			}
		}
		if best != nil {
			return best
		}
	}
	var best *html.Node
	for _, n := range p.pParents { // document order, so ties go to the first
		if best == nil || p.pText[n] > p.pText[best] {
			best = n
		}
	}
	return best
}

// htmlSkipped reports whether n's text is never part of an article body.
func htmlSkipped(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Head, atom.Script, atom.Style, atom.Noscript, atom.Template,
		atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Form,
		atom.Figure, atom.Figcaption,
		atom.Svg, atom.Math, atom.Iframe, atom.Object,
		atom.Button, atom.Select, atom.Textarea:
		return true
	}
	return false
}

// htmlParagraph reports whether n is a block whose text is a paragraph.
func htmlParagraph(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Blockquote, atom.Li:
		return true
	}
	return false
}

// htmlLooseBreak reports whether n ends a paragraph in the fallback mode
// that takes all of a page's text.
func htmlLooseBreak(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Br, atom.Hr, atom.Div, atom.Section, atom.Article, atom.Main,
		atom.Pre, atom.Table, atom.Tr, atom.Td, atom.Th,
		atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd:
		return true
	}
	return false
}

// htmlParagraphs returns the text of the paragraph elements under root,
// each with white space collapsed, skipping the elements htmlSkipped
// names. In loose mode all text counts, and more elements break
// paragraphs. Text around nested blocks, as in <li>a<ul><li>b</li></ul>c</li>,
// forms paragraphs of its own.
func htmlParagraphs(root *html.Node, loose bool) []string {
	if root == nil {
		return nil
	}
	w := paragraphWriter{loose: loose}
	w.walk(root)
	w.flush()
	return w.paras
}

// paragraphWriter gathers paragraphs while walking a tree.
type paragraphWriter struct {
	loose bool
	depth int // number of enclosing paragraph elements
	cur   strings.Builder
	paras []string
}

func (w *paragraphWriter) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		if w.depth > 0 || w.loose {
			w.cur.WriteString(n.Data)
		}
		return
	case html.ElementNode:
		if htmlSkipped(n) {
			return
		}
		if n.DataAtom == atom.Br && !w.loose {
			w.cur.WriteByte(' ')
			return
		}
	}
	block := n.Type == html.ElementNode && (htmlParagraph(n) || w.loose && htmlLooseBreak(n))
	if block {
		w.flush()
		w.depth++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
	if block {
		w.flush()
		w.depth--
	}
}

// flush ends the current paragraph, if it has any text.
func (w *paragraphWriter) flush() {
	if s := squeezeSpace(w.cur.String()); s != "" {
		w.paras = append(w.paras, s)
	}
	w.cur.Reset()
}

// htmlText returns the text under n with white space collapsed.
func htmlText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return squeezeSpace(b.String())
}

// htmlTimeIn returns the datetime of the first <time> element under n.
func htmlTimeIn(n *html.Node) string {
	if n == nil {
		return ""
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.Time {
		if dt := htmlAttr(n, "datetime"); dt != "" {
			return dt
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if dt := htmlTimeIn(c); dt != "" {
			return dt
		}
	}
	return ""
}

// htmlAttr returns the trimmed value of n's attribute key, or "".
func htmlAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

// htmlHasToken reports whether the space-separated list holds tok, ignoring case.
func htmlHasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// htmlSetOnce sets *dst to v unless it is already set or v is empty.
func htmlSetOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// htmlFirstOf returns the first of vs that is not empty.
func htmlFirstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// htmlTextLen returns the total length of paras.
func htmlTextLen(paras []string) int {
	n := 0
	for _, p := range paras {
		n += len(p)
	}
	return n
}
