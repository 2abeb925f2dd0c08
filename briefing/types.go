// Package briefing turns news articles into attributed claims and short
// briefings. It is pure and deterministic: no I/O beyond reading the files it
// is asked to load, no clocks, no randomness, no map iteration in outputs.
package briefing

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// Article is one news article. Body is the plain text the claims' offsets
// point into; paragraphs are separated by blank lines.
type Article struct {
	ID        string    // stable content hash of Title, Source, URL, Published, Author and Body
	Name      string    // file base name ("000_d0f21df6df0c1ae4.txt"), or a feed item's name
	Path      string    // where it was loaded from, if a file
	Title     string    // given title, or a headline derived from the text
	Derived   bool      // Title was derived from the text rather than given
	Source    string    // the outlet ("Reuters"), if known
	URL       string    // canonical link, if known
	Published time.Time // zero if unknown
	Author    string
	Body      string
}

// ContentID returns the stable ID of an article with these fields: the first
// 16 hex digits of a SHA-256 over them. The same content always gets the same
// ID, wherever it was loaded from.
func ContentID(title, source, url string, published time.Time, author, body string) string {
	pub := ""
	if !published.IsZero() {
		pub = published.UTC().Format(time.RFC3339)
	}
	// The fields, each followed by a NUL byte, hashed at once from one
	// buffer kept between calls rather than copied to the heap field by field.
	bp, _ := idBuffers.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	buf := (*bp)[:0]
	for _, f := range [...]string{title, source, url, pub, author, body} {
		buf = append(append(buf, f...), 0)
	}
	sum := sha256.Sum256(buf)
	if cap(buf) <= 1<<20 {
		*bp = buf
		idBuffers.Put(bp)
	}
	var id [16]byte
	hex.Encode(id[:], sum[:8])
	return string(id[:])
}

// idBuffers are buffers of ContentID.
var idBuffers sync.Pool

// Sentence is a sentence of an article body, as byte offsets into the body.
// Leading and trailing white space is excluded.
type Sentence struct {
	Start, End int
	Para       int // index of the paragraph holding the sentence
}

// Text returns the sentence's text in body.
func (s Sentence) Text(body string) string { return body[s.Start:s.End] }

// Kind says how a claim is attributed.
type Kind string

const (
	Direct       Kind = "direct"       // quoted words of the speaker
	Indirect     Kind = "indirect"     // paraphrase of what the speaker said
	AccordingTo  Kind = "according_to" // "according to X, ..."
	Unattributed Kind = "unattributed" // the author's own voice
)

// Claim is a statement found in an article, with its attribution.
// Start and End are byte offsets into the article body of the claim's source
// span: for a direct quote the quoted words, otherwise the sentence.
type Claim struct {
	Text        string `json:"text"`
	Speaker     string `json:"speaker"`
	SpeakerRole string `json:"speaker_role"`
	Kind        Kind   `json:"kind"`
	Verb        string `json:"verb"`
	Via         string `json:"via"`
	Anonymous   bool   `json:"anonymous"`
	// SpeakerUnsure: the claim is attributed (its kind says how) but the
	// engine cannot tell by whom for certain. Speaker is then empty, or the
	// likeliest speaker, to be shown as uncertain.
	SpeakerUnsure bool `json:"speaker_unsure"`
	Verbatim      bool `json:"verbatim"`
	Start         int  `json:"start"`
	End           int  `json:"end"`
	Sentence      int  `json:"-"` // index of the sentence where the span starts
}

// Attributed reports whether the claim has a source other than the author.
func (c Claim) Attributed() bool { return c.Kind != Unattributed }

// Briefing is the short summary of one article.
type Briefing struct {
	ArticleID string
	Article   string // the article's Name
	Headline  string
	Gist      string
	Source    string
	URL       string
	Published time.Time
	Bullets   []Bullet
	Score     float64 // importance, for ordering a digest
}

// Bullet is one key claim of a briefing, rendered in the house style.
type Bullet struct {
	Claim
	Line        string `json:"bullet"`      // the bullet as posted: claim text plus attribution
	Attribution string `json:"attribution"` // "anonymous Biden administration officials, via Reuters"
	Shown       string `json:"-"`           // the claim text as the bullet shows it, without quotation marks
	Index       int    `json:"-"`           // the claim's index in the article's claims
}
