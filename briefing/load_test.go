package briefing

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"
)

// wantArticle lists the fields of an Article a test checks; ID and Path are
// checked separately.
type wantArticle struct {
	Title     string
	Derived   bool
	Source    string
	URL       string
	Published time.Time
	Author    string
	Body      string
}

// checkArticle compares a's fields with want.
func checkArticle(t *testing.T, a *Article, want wantArticle) {
	t.Helper()
	got := wantArticle{a.Title, a.Derived, a.Source, a.URL, a.Published, a.Author, a.Body}
	if !got.Published.Equal(want.Published) {
		t.Errorf("Published = %v, want %v", got.Published, want.Published)
	}
	got.Published, want.Published = time.Time{}, time.Time{}
	if got != want {
		t.Errorf("article mismatch\n got: %#v\nwant: %#v", got, want)
	}
	given := a.Title
	if a.Derived {
		given = ""
	}
	if id := ContentID(given, a.Source, a.URL, a.Published, a.Author, a.Body); a.ID != id {
		t.Errorf("ID = %q, want %q", a.ID, id)
	}
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseText(t *testing.T) {
	tests := []struct {
		name string
		data string
		want wantArticle
	}{{
		name: "plain",
		data: "Rain is expected across the valley on Sunday.\n\nFarmers welcomed the forecast.\n",
		want: wantArticle{
			Title: "Rain is expected across the valley on Sunday", Derived: true,
			Body: "Rain is expected across the valley on Sunday.\n\nFarmers welcomed the forecast.",
		},
	}, {
		name: "front matter",
		data: "---\ntitle: Bridge reopens after repairs\nsource: Valley Gazette\nurl: https://example.com/bridge\npublished: 2024-03-05\nauthor: Ana Ruiz\n---\nThe old bridge opened again on Tuesday.\n",
		want: wantArticle{
			Title: "Bridge reopens after repairs", Source: "Valley Gazette",
			URL: "https://example.com/bridge", Published: date("2024-03-05T00:00:00Z"),
			Author: "Ana Ruiz", Body: "The old bridge opened again on Tuesday.",
		},
	}, {
		name: "quoted values, mixed-case and unknown keys",
		data: "---\nTitle: \"Council votes: yes\"\nSOURCE: 'The Daily Ledger'\ntags: [roads, budget]\nPublished: \"2024-03-05T09:30:00+02:00\"\nAuthor: 'Pat O''Neil'\n---\nThe vote passed narrowly.",
		want: wantArticle{
			Title: "Council votes: yes", Source: "The Daily Ledger",
			Published: date("2024-03-05T07:30:00Z"), Author: "Pat O'Neil",
			Body: "The vote passed narrowly.",
		},
	}, {
		name: "date with time",
		data: "---\npublished: 2024-03-05 09:30\n---\nBody.",
		want: wantArticle{Title: "Body", Derived: true, Published: date("2024-03-05T09:30:00Z"), Body: "Body."},
	}, {
		name: "RFC 1123 date",
		data: "---\npublished: Tue, 05 Mar 2024 09:30:00 GMT\n---\nBody.",
		want: wantArticle{Title: "Body", Derived: true, Published: date("2024-03-05T09:30:00Z"), Body: "Body."},
	}, {
		name: "RFC 1123 date with US zone",
		data: "---\npublished: Tue, 5 Mar 2024 09:30:00 EST\n---\nBody.",
		want: wantArticle{Title: "Body", Derived: true, Published: date("2024-03-05T14:30:00Z"), Body: "Body."},
	}, {
		name: "unparsable date is ignored",
		data: "---\ntitle: Fair opens\npublished: last Tuesday\n---\nThe fair opened.",
		want: wantArticle{Title: "Fair opens", Body: "The fair opened."},
	}, {
		name: "empty title is derived",
		data: "---\ntitle: \"\"\n---\nA quiet day at the port.",
		want: wantArticle{Title: "A quiet day at the port", Derived: true, Body: "A quiet day at the port."},
	}, {
		name: "unclosed front matter is body",
		data: "---\ntitle: Not front matter\nStill the body.",
		want: wantArticle{
			Title: "--- title: Not front matter Still the body", Derived: true,
			Body: "---\ntitle: Not front matter\nStill the body.",
		},
	}, {
		name: "BOM",
		data: "\uFEFFA market opened downtown.",
		want: wantArticle{Title: "A market opened downtown", Derived: true, Body: "A market opened downtown."},
	}, {
		name: "BOM and front matter",
		data: "\uFEFF---\ntitle: Market opens\n---\nA market opened downtown.",
		want: wantArticle{Title: "Market opens", Body: "A market opened downtown."},
	}, {
		name: "CRLF",
		data: "---\r\ntitle: Snow day\r\n---\r\nSchools closed.  \r\n\r\n\r\n\r\nBuses stayed home.\r\n",
		want: wantArticle{Title: "Snow day", Body: "Schools closed.\n\nBuses stayed home."},
	}, {
		name: "lone CR",
		data: "First line.\rSecond line.",
		want: wantArticle{Title: "First line. Second line", Derived: true, Body: "First line.\nSecond line."},
	}, {
		name: "normalization keeps the text",
		data: "\n\n  “Quoted,” she said — it’s fine.\t \n\n\n\n\t\n  Indented line kept.\n\n",
		want: wantArticle{
			Title: "“Quoted,” she said — it’s fine", Derived: true,
			Body: "“Quoted,” she said — it’s fine.\n\n  Indented line kept.",
		},
	}, {
		name: "upper-case extension",
		data: "Works the same.",
		want: wantArticle{Title: "Works the same", Derived: true, Body: "Works the same."},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "dir/story.txt"
			if tt.name == "upper-case extension" {
				name = "dir/STORY.TXT"
			}
			a, err := Parse(name, []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if a.Name != filepath.Base(name) || a.Path != "" {
				t.Errorf("Name, Path = %q, %q; want %q, \"\"", a.Name, a.Path, filepath.Base(name))
			}
			checkArticle(t, a, tt.want)
		})
	}
}

func TestParseMarkdown(t *testing.T) {
	tests := []struct {
		name string
		data string
		want wantArticle
	}{{
		name: "heading becomes title",
		data: "# Harbour festival draws crowds\n\nThe **annual** festival ran for [three days](https://example.com/days).\n\n![a crowd](crowd.jpg)\n\n## Music ##\nBands played __every__ night.\n",
		want: wantArticle{
			Title: "Harbour festival draws crowds",
			Body:  "The annual festival ran for three days.\n\nMusic\n\nBands played every night.",
		},
	}, {
		name: "heading repeating the given title is dropped",
		data: "---\ntitle: Harbour festival\n---\n# Harbour Festival\n\nIt was busy.",
		want: wantArticle{Title: "Harbour festival", Body: "It was busy."},
	}, {
		name: "heading differing from the given title is kept",
		data: "---\ntitle: Harbour festival\n---\n# Day one\n\nIt was busy.",
		want: wantArticle{Title: "Harbour festival", Body: "Day one\n\nIt was busy."},
	}, {
		name: "no heading",
		data: "Plain *markdown* with a #hashtag and an inline ![icon](i.png) image.",
		want: wantArticle{
			Title: "Plain *markdown* with a #hashtag and an inline image", Derived: true,
			Body: "Plain *markdown* with a #hashtag and an inline  image.",
		},
	}, {
		name: "later heading is not the title",
		data: "Opening words.\n# Later heading\nMore words.",
		want: wantArticle{Title: "Opening words", Derived: true, Body: "Opening words.\n\nLater heading\n\nMore words."},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse("notes.md", []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkArticle(t, a, tt.want)
		})
	}
}

// libraryPage is an HTML page with the usual clutter around an <article>.
const libraryPage = `<!DOCTYPE html>
<html><head>
<title>Library extends hours | Town Crier</title>
<meta property="og:title" content="Library extends opening hours">
<meta property="og:site_name" content="Town Crier">
<meta property="og:url" content="https://example.org/og-url">
<link rel="canonical" href="https://example.org/library-hours">
<meta property="article:published_time" content="2024-05-01T08:00:00Z">
<meta name="author" content="Sam Okafor">
<script>var tracking = "do not include";</script>
<style>p { color: red }</style>
</head><body>
<nav><ul><li>Home</li><li>Sports</li></ul></nav>
<header><h1>Town Crier</h1><p>Your local news, every day, all day long.</p></header>
<article>
  <header><h1>Library extends opening hours</h1><time datetime="2024-04-30">Yesterday</time></header>
  <p>The central library will stay open until nine
     in the evening, starting next month.</p>
  <p>&ldquo;Students asked for this,&rdquo; the head librarian said &amp;&nbsp;smiled.</p>
  <figure><img src="x.jpg"><figcaption>The reading room.</figcaption></figure>
  <aside><p>Related: Pool closes for winter</p></aside>
  <h2>What changes</h2>
  <ul><li>Weekday closing moves to 9 p.m.</li><li>Weekend hours stay the same.</li></ul>
  <blockquote>Reading is for everyone.</blockquote>
  <script>document.write("ad")</script>
  <form><p>Sign up for our newsletter</p></form>
</article>
<footer><p>Copyright Town Crier</p></footer>
</body></html>`

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name string
		data string
		want wantArticle
	}{{
		name: "article with clutter",
		data: libraryPage,
		want: wantArticle{
			Title: "Library extends opening hours", Source: "Town Crier",
			URL: "https://example.org/library-hours", Published: date("2024-05-01T08:00:00Z"),
			Author: "Sam Okafor",
			Body: "The central library will stay open until nine in the evening, starting next month.\n\n" +
				"“Students asked for this,” the head librarian said & smiled.\n\n" +
				"What changes\n\nWeekday closing moves to 9 p.m.\n\nWeekend hours stay the same.\n\n" +
				"Reading is for everyone.",
		},
	}, {
		name: "main without article, title tag",
		data: `<html><head><title>Park cleanup set</title></head><body>
			<nav><p>A long menu entry that is not part of the story at all.</p></nav>
			<main><h1>Park cleanup set</h1><p>Volunteers will meet at the gate.</p></main>
			<div><p>Elsewhere.</p></div></body></html>`,
		want: wantArticle{Title: "Park cleanup set", Body: "Volunteers will meet at the gate."},
	}, {
		name: "element with most paragraph text",
		data: `<body><div class="side"><p>Short note.</p></div>
			<div class="story"><p>The first paragraph of the story is longer.</p><p>The second adds more.</p></div></body>`,
		want: wantArticle{
			Title: "The first paragraph of the story is longer", Derived: true,
			Body: "The first paragraph of the story is longer.\n\nThe second adds more.",
		},
	}, {
		name: "h1 title, og:url, time element",
		data: `<head><meta property="og:url" content="https://example.net/ferry"></head>
			<body><article><h1>Ferry timetable changes</h1><time datetime="2024-02-29T12:00:00Z">Feb 29</time>
			<p>Boats will leave<br>every half hour.</p></article></body>`,
		want: wantArticle{
			Title: "Ferry timetable changes", URL: "https://example.net/ferry",
			Published: date("2024-02-29T12:00:00Z"), Body: "Boats will leave every half hour.",
		},
	}, {
		name: "longest article wins",
		data: `<body><article><p>Teaser.</p></article>
			<article><p>The real story has a good deal more text in it.</p></article></body>`,
		want: wantArticle{
			Title: "The real story has a good deal more text in it", Derived: true,
			Body: "The real story has a good deal more text in it.",
		},
	}, {
		name: "nested list items",
		data: `<article><ul><li>Outer item<ul><li>Inner item</li></ul>and its tail</li></ul></article>`,
		want: wantArticle{
			Title: "Outer item", Derived: true,
			Body: "Outer item\n\nInner item\n\nand its tail",
		},
	}, {
		name: "no paragraphs falls back to all text",
		data: `<html><head><title>Notice</title><script>x()</script></head>
			<body><div>Just a line of text.</div><div>Another line.</div></body></html>`,
		want: wantArticle{Title: "Notice", Body: "Just a line of text.\n\nAnother line."},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ParseHTML("page.html", []byte(tt.data))
			if err != nil {
				t.Fatalf("ParseHTML: %v", err)
			}
			checkArticle(t, a, tt.want)
			// Parse dispatches .html and .htm files to ParseHTML.
			b, err := Parse("dir/page.htm", []byte(tt.data))
			if err != nil || b.ID != a.ID || b.Name != "page.htm" {
				t.Errorf("Parse(.htm) = %+v, %v; want the same article", b, err)
			}
		})
	}
}

func TestParseJSON(t *testing.T) {
	good := []struct {
		name string
		data string
		want wantArticle
	}{{
		name: "all fields",
		data: `{"title": "Orchard harvest begins", "source": "Farm Weekly", "url": "https://example.com/apples",
			"published": "2024-09-10T06:00:00-04:00", "author": "Lee Park", "body": "Pickers started early.\n\nPrices held steady."}`,
		want: wantArticle{
			Title: "Orchard harvest begins", Source: "Farm Weekly", URL: "https://example.com/apples",
			Published: date("2024-09-10T10:00:00Z"), Author: "Lee Park",
			Body: "Pickers started early.\n\nPrices held steady.",
		},
	}, {
		name: "body only, unknown fields ignored",
		data: "\uFEFF{\"body\": \"  Pickers started early.  \", \"tags\": [1, 2]}",
		want: wantArticle{Title: "Pickers started early", Derived: true, Body: "Pickers started early."},
	}}
	for _, tt := range good {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse("item.json", []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkArticle(t, a, tt.want)
		})
	}

	bad := []struct {
		name, data string
		is         error  // sentinel the error must match, if any
		msg        string // text the message must hold
	}{
		{"syntax error", "{\n  \"body\": \"text\",\n  oops\n}", nil, "invalid JSON at line 3, column 3"},
		{"trailing data", `{"body": "text"} {}`, nil, "invalid JSON"},
		{"wrong type", `{"body": "text", "published": 20240910}`, nil, `"published" is number, want a string`},
		{"not an object", `["body"]`, nil, "want an object, got array"},
		{"missing body", `{"title": "Headline only"}`, ErrEmpty, `no "body" text`},
		{"blank body", `{"body": " \n "}`, ErrEmpty, `no "body" text`},
		{"NUL escape", `{"body": "a\u0000b"}`, ErrBinary, "binary content"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse("item.json", []byte(tt.data))
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", a)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
		})
	}
}

func TestParseBadContent(t *testing.T) {
	utf16 := []byte{0xFF, 0xFE, 'H', 0, 'i', 0}
	tests := []struct {
		name, file string
		data       []byte
		is         error
		msg        string // the whole error message
	}{
		{"empty", "a.txt", nil, ErrEmpty, "empty file"},
		{"white space only", "a.md", []byte(" \n\t\r\n  "), ErrEmpty, "empty file"},
		{"BOM only", "a.txt", []byte("\uFEFF\n"), ErrEmpty, "empty file"},
		{"front matter only", "a.txt", []byte("---\ntitle: Nothing else\n---\n\n"), ErrEmpty, "no body text"},
		{"markdown image only", "a.md", []byte("![chart](c.png)\n"), ErrEmpty, "no body text"},
		{"NUL bytes", "a.txt", []byte("some\x00text"), ErrBinary, "binary content"},
		{"control characters", "a.txt", []byte("\x01\x02\x03\x04abc"), ErrBinary, "binary content"},
		{"Latin-1", "a.txt", []byte("Caf\xe9 cr\xe8me, na\xefve."), ErrNotUTF8, "not UTF-8 text"},
		{"UTF-16", "a.txt", utf16, ErrNotUTF8, "not UTF-8 text (UTF-16)"},
		{"HTML empty", "a.html", []byte("<html><body><script>x()</script></body></html>"), ErrEmpty, "no body text"},
		{"HTML binary", "a.html", []byte("<p>\x00</p>"), ErrBinary, "binary content"},
		{"HTML Latin-1", "a.htm", []byte("<p>Caf\xe9</p>"), ErrNotUTF8, "not UTF-8 text"},
		{"unknown extension", "dir/a.pdf", []byte("text"), ErrUnknownType,
			"unknown file type .pdf; want .txt, .md, .html, .htm or .json"},
		{"no extension", "README", []byte("text"), ErrUnknownType,
			"unknown file type (no extension); want .txt, .md, .html, .htm or .json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse(tt.file, tt.data)
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", a)
			}
			if a != nil {
				t.Errorf("Parse returned an article with error %v", err)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
			if err.Error() != tt.msg {
				t.Errorf("error = %q, want %q", err, tt.msg)
			}
		})
	}
}

// writeFile writes data to name under dir, creating folders, and returns
// its path.
func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkLoadError checks that err is a *LoadError for path, matching is,
// with a one-line message "<path>: <reason>" holding msg.
func checkLoadError(t *testing.T, err error, path string, is error, msg string) {
	t.Helper()
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("error %v (%T) is not a *LoadError", err, err)
	}
	if le.Path != path {
		t.Errorf("LoadError.Path = %q, want %q", le.Path, path)
	}
	if is != nil && !errors.Is(err, is) {
		t.Errorf("error %q is not %v", err, is)
	}
	s := err.Error()
	if !strings.HasPrefix(s, path+": ") || strings.Contains(s, "\n") || strings.Count(s, path) != 1 {
		t.Errorf("error = %q, want one line %q naming the path once", s, path+": ...")
	}
	if !strings.Contains(s, msg) {
		t.Errorf("error = %q, want it to contain %q", s, msg)
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "harvest.txt", "---\ntitle: Harvest\n---\nThe crop came in early.\n")
	a, err := LoadFile(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Path != path || a.Name != "harvest.txt" || a.Title != "Harvest" || a.Body != "The crop came in early." {
		t.Errorf("LoadFile = %+v", a)
	}

	// The default limit is 1 MiB.
	line := strings.Repeat("word ", 15) + "\n"
	exact := strings.Repeat(line, defaultMaxBytes/len(line))
	exact += strings.Repeat("x", defaultMaxBytes-len(exact))
	if _, err := LoadFile(writeFile(t, dir, "exact.txt", exact), LoadOptions{}); err != nil {
		t.Errorf("file of exactly 1 MiB: %v", err)
	}
	big := writeFile(t, dir, "big.txt", exact+"y")
	_, err = LoadFile(big, LoadOptions{})
	checkLoadError(t, err, big, ErrTooLarge, "larger than 1048576 bytes")
}

func TestLoadFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		setup func(t *testing.T) string // creates the file, returns its path
		opt   LoadOptions
		is    error
		msg   string
	}{{
		name:  "over the limit",
		setup: func(t *testing.T) string { return writeFile(t, dir, "long.txt", "Twenty-two bytes long.") },
		opt:   LoadOptions{MaxBytes: 10},
		is:    ErrTooLarge,
		msg:   "larger than 10 bytes",
	}, {
		name: "dangling symlink",
		setup: func(t *testing.T) string {
			path := filepath.Join(dir, "dangling.txt")
			if err := os.Symlink(filepath.Join(dir, "nowhere.txt"), path); err != nil {
				t.Skipf("cannot make symlinks: %v", err)
			}
			return path
		},
		is:  fs.ErrNotExist,
		msg: "broken symbolic link: no such file or directory",
	}, {
		name: "unreadable",
		setup: func(t *testing.T) string {
			if os.Geteuid() == 0 {
				t.Skip("root can read any file")
			}
			path := writeFile(t, dir, "secret.txt", "Hidden words.")
			if err := os.Chmod(path, 0); err != nil {
				t.Fatal(err)
			}
			return path
		},
		is:  fs.ErrPermission,
		msg: "permission denied",
	}, {
		name:  "missing",
		setup: func(t *testing.T) string { return filepath.Join(dir, "missing.txt") },
		is:    fs.ErrNotExist,
		msg:   "no such file or directory",
	}, {
		name: "folder",
		setup: func(t *testing.T) string {
			path := filepath.Join(dir, "folder.txt")
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
			return path
		},
		msg: "is a folder",
	}, {
		name:  "unknown type checked before size",
		setup: func(t *testing.T) string { return writeFile(t, dir, "photo.png", "\x89PNG\r\n\x1a\n\x00\x00") },
		opt:   LoadOptions{MaxBytes: 2},
		is:    ErrUnknownType,
		msg:   "unknown file type .png",
	}, {
		name:  "content error",
		setup: func(t *testing.T) string { return writeFile(t, dir, "x.txt", "Caf\xe9") },
		is:    ErrNotUTF8,
		msg:   "not UTF-8 text",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.setup(t)
			a, err := LoadFile(path, tt.opt)
			if err == nil {
				t.Fatalf("LoadFile = %+v, want an error", a)
			}
			if a != nil {
				t.Errorf("LoadFile returned an article with error %v", err)
			}
			checkLoadError(t, err, path, tt.is, tt.msg)
		})
	}
}

func TestLoadErrorMessage(t *testing.T) {
	pe := &fs.PathError{Op: "open", Path: "seeds/a.txt", Err: syscall.EACCES}
	tests := []struct {
		err  *LoadError
		want string
	}{
		{&LoadError{"seeds/x.bin", ErrNotUTF8}, "seeds/x.bin: not UTF-8 text"},
		{&LoadError{"seeds/a.txt", pe}, "seeds/a.txt: permission denied"},
		{&LoadError{"a.txt", errors.New("two\nlines")}, "a.txt: two lines"},
		{&LoadError{"a.txt", nil}, "a.txt: unknown error"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if tt.err.Unwrap() != tt.err.Err {
			t.Errorf("Unwrap() = %v, want %v", tt.err.Unwrap(), tt.err.Err)
		}
	}
}

func TestLoadPaths(t *testing.T) {
	dir := t.TempDir()
	seeds := filepath.Join(dir, "seeds")
	good := []string{
		writeFile(t, seeds, "01_good.txt", "A new bakery opened on Main Street."),
		writeFile(t, seeds, "03_story.md", "# Kite day\n\nThe wind was perfect."),
		writeFile(t, seeds, "04_page.html", libraryPage),
		writeFile(t, seeds, "05_item.JSON", `{"body": "The mayor cut a ribbon."}`),
		writeFile(t, seeds, "sub/01_nested.txt", "Deep in a folder, a story."),
	}
	bad := map[string]error{
		writeFile(t, seeds, "02_empty.txt", ""):                          ErrEmpty,
		writeFile(t, seeds, "06_bad.json", `{"body": `):                  nil,
		writeFile(t, seeds, "07_binary.txt", "\x00\x01\x02 data"):        ErrBinary,
		writeFile(t, seeds, "08_latin1.txt", "r\xe9sum\xe9"):             ErrNotUTF8,
		writeFile(t, seeds, "09_big.txt", strings.Repeat("long ", 1000)): ErrTooLarge,
		writeFile(t, seeds, "10_photo.png", "not really a picture"):      ErrUnknownType,
		writeFile(t, seeds, "sub/02_blank.md", "\n\n"):                   ErrEmpty,
	}
	if err := os.Symlink("nowhere.txt", filepath.Join(seeds, "11_link.txt")); err == nil {
		bad[filepath.Join(seeds, "11_link.txt")] = fs.ErrNotExist
	}
	// Skipped silently inside folders.
	writeFile(t, seeds, ".hidden.txt", "\x00")
	writeFile(t, seeds, ".git/config.txt", "\x00")
	writeFile(t, seeds, "README.md", "\x00")
	writeFile(t, seeds, "sub/readme.txt", "\x00")

	// Given explicitly, hidden and README files are loaded; a missing path
	// is an error.
	hidden := writeFile(t, dir, ".draft.txt", "A hidden draft still loads.")
	readme := writeFile(t, dir, "README.txt", "Read me, I am an article too.")
	missing := filepath.Join(dir, "missing.md")
	good = append(good, hidden, readme)
	bad[missing] = fs.ErrNotExist

	articles, errs := LoadPaths([]string{seeds, hidden, readme, missing}, LoadOptions{MaxBytes: 4096})
	var got []string
	for _, a := range articles {
		got = append(got, a.Path)
	}
	if strings.Join(got, "\n") != strings.Join(good, "\n") {
		t.Errorf("loaded\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(good, "\n"))
	}
	seen := map[string]bool{}
	for _, err := range errs {
		is, ok := bad[err.Path]
		if !ok {
			t.Errorf("unexpected error: %v", err)
			continue
		}
		if seen[err.Path] {
			t.Errorf("second error for %s: %v", err.Path, err)
		}
		seen[err.Path] = true
		checkLoadError(t, err, err.Path, is, "")
	}
	for path := range bad {
		if !seen[path] {
			t.Errorf("no error for %s", path)
		}
	}
}

func TestContentIDStable(t *testing.T) {
	dir := t.TempDir()
	text := "---\ntitle: Tide tables\nsource: Coast Post\n---\nHigh tide comes at noon.\n"
	a1, err1 := LoadFile(writeFile(t, dir, "one/a.txt", text), LoadOptions{})
	a2, err2 := LoadFile(writeFile(t, dir, "two/b.txt", text), LoadOptions{})
	crlf, err3 := LoadFile(writeFile(t, dir, "c.txt", strings.ReplaceAll(text, "\n", "\r\n")), LoadOptions{})
	changed, err4 := LoadFile(writeFile(t, dir, "d.txt", strings.Replace(text, "noon", "noot", 1)), LoadOptions{})
	retitled, err5 := LoadFile(writeFile(t, dir, "e.txt", strings.Replace(text, "Tide", "Tidy", 1)), LoadOptions{})
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		t.Fatal(err)
	}
	if len(a1.ID) != 16 {
		t.Errorf("ID %q is not 16 hex digits", a1.ID)
	}
	if a1.ID != a2.ID || a1.ID != crlf.ID {
		t.Errorf("same content, different IDs: %s %s %s", a1.ID, a2.ID, crlf.ID)
	}
	if changed.ID == a1.ID || retitled.ID == a1.ID {
		t.Errorf("changed content kept ID %s", a1.ID)
	}
	// A derived title is not part of the ID.
	body := "High tide comes at noon."
	derived, err := Parse("f.txt", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if want := ContentID("", "", "", time.Time{}, "", body); derived.ID != want {
		t.Errorf("derived-title ID = %s, want %s", derived.ID, want)
	}
}

func TestLoadSeed(t *testing.T) {
	path := filepath.Join("..", "seeds", "000_d0f21df6df0c1ae4.txt")
	a, err := LoadFile(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := "Qatar has reportedly begun to exert pressure and Hamas is calling for the end of hostilities in Gaza"
	if a.Title != want || !a.Derived {
		t.Errorf("Title, Derived = %q, %v; want %q, true", a.Title, a.Derived, want)
	}
	if a.Name != "000_d0f21df6df0c1ae4.txt" || a.Path != path {
		t.Errorf("Name, Path = %q, %q", a.Name, a.Path)
	}
	if strings.Contains(a.Body, "\n\n\n") || strings.Contains(a.Body, " \n") || !strings.Contains(a.Body, "Hamas’s") {
		t.Errorf("body not normalized or altered: %.200q", a.Body)
	}
}

func TestDeriveHeadline(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"empty", "", ""},
		{"blank", " \n\n\t", ""},
		{"short paragraph", "  Rain fell all day.\n\nMore later.", "Rain fell all day"},
		{"short paragraph over lines", "Rain fell\nall day!\n\nMore.", "Rain fell all day!"},
		{"question kept", "Will the rain stop?", "Will the rain stop?"},
		{"trailing abbreviation kept", "The team flew to the U.S.", "The team flew to the U.S."},
		{
			"first sentence of a long paragraph",
			"The city council approved a new budget on Monday night. It adds money for parks, libraries, street lights and two new bus routes across town.",
			"The city council approved a new budget on Monday night",
		},
		{
			"abbreviations do not end sentences",
			"Dr. Mira Chen of the U.S. Forest Service said on Oct. 3 the fire was out. Crews will stay for a week to watch for any new flare-ups nearby.",
			"Dr. Mira Chen of the U.S. Forest Service said on Oct. 3 the fire was out",
		},
		{
			"lower-case word after a period",
			"Turnout was approx. forty percent, officials said. That figure is lower than last year, when more than half of voters cast ballots early.",
			"Turnout was approx. forty percent, officials said",
		},
		{
			"closing quote after the period",
			`"We are ready." The coach said his young squad had trained hard all winter and would face the champions without fear next week.`,
			`"We are ready."`,
		},
		{
			"long sentence is cut",
			"Hundreds of residents gathered on the riverbank on Saturday morning to watch the launch of the rebuilt paddle steamer, which had sat idle for decades.",
			"Hundreds of residents gathered on the riverbank on Saturday morning to watch the launch of the rebuilt paddle steamer…",
		},
		{
			"a cut keeps the attribution that follows what is said",
			"Four men accused of smuggling rare tortoises out of the national park were caught at the border on Sunday night, the park's rangers said.",
			"Four men accused of smuggling rare tortoises out of the national park were caught…, the park's rangers said",
		},
		{
			"a cut keeps an impersonal attribution",
			"Three rare white storks have been seen nesting on a church roof in the village of Harlow for the first time in two hundred years, it has been claimed.",
			"Three rare white storks have been seen nesting on a church roof…, it has been claimed",
		},
		{
			"no cut after an infinitive's to",
			"One in five seaside cafes are thought to be selling ice cream made with milk from outside the county despite labels promising local produce to every customer.",
			"One in five seaside cafes are thought to be selling ice cream made with milk…",
		},
		{
			"a cut after a leading attribution keeps it",
			"According to a survey of 2,000 drivers by the motoring club, one in three motorists has driven through a red light in the past year without noticing it.",
			"According to a survey of 2,000 drivers by the motoring club, one in three motorists has driven…",
		},
		{
			"dateline and agency tag dropped",
			"LISBON, Portugal (CNN) -- A tram left the rails on a steep hill in the old town on Tuesday.\n\nNobody was hurt.",
			"A tram left the rails on a steep hill in the old town on Tuesday",
		},
		{
			"agency tag glued to the lead",
			"(CNN)A tram left the rails on a steep hill in the old town on Tuesday.",
			"A tram left the rails on a steep hill in the old town on Tuesday",
		},
		{
			"byline, timestamp and video prompt skipped",
			"By Ruth Adebayo and Tom Kell\n\nPUBLISHED: 10:02 EST, 4 March 2026 | UPDATED: 11:40 EST, 4 March 2026\n\nScroll down for video\n\nA tram left the rails on a steep hill on Tuesday.",
			"A tram left the rails on a steep hill on Tuesday",
		},
		{
			"cut drops a dangling word and comma",
			"Officials from nine towns, two counties and the state met for hours on Friday, and in the end they agreed to share the cost.",
			"Officials from nine towns, two counties and the state met for hours on Friday…",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DeriveHeadline(tt.body); got != tt.want {
				t.Errorf("DeriveHeadline = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add("a.txt", []byte("---\ntitle: \"T\"\npublished: 2024-01-02\n---\nBody text. More text."))
	f.Add("a.md", []byte("# Head\n\n**bold** [link](u) ![img](i)\n## Sub ##\n"))
	f.Add("a.html", []byte(libraryPage))
	f.Add("a.htm", []byte("<ul><li>x<ul><li>y</li></ul></li></ul><br><div>z</div>"))
	f.Add("a.json", []byte(`{"title":"t","body":"b\u00e9","published":"Tue, 05 Mar 2024 09:30:00 EST"}`))
	f.Add("a.txt", []byte("\uFEFF\r\n\r\nCaf\xc3\xa9\r"))
	f.Add("a.pdf", []byte("%PDF"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		a, err := Parse(name, data)
		if err != nil {
			if a != nil {
				t.Fatalf("article %+v with error %v", a, err)
			}
			return
		}
		if a.Body == "" || !utf8.ValidString(a.Body) {
			t.Fatalf("bad body %q", a.Body)
		}
		if !utf8.ValidString(a.Title) || len(a.ID) != 16 {
			t.Fatalf("bad title %q or ID %q", a.Title, a.ID)
		}
	})
}

// TestLoadPathsLinksOutside: inside a folder, a symbolic link is followed
// only if it resolves inside the folder; a file named explicitly is loaded
// wherever it points.
func TestLoadPathsLinksOutside(t *testing.T) {
	dir := t.TempDir()
	seeds := filepath.Join(dir, "seeds")
	secret := writeFile(t, dir, "private/secret.txt", "The vault code is kept in a drawer, the caretaker said.")
	inside := writeFile(t, seeds, "a.txt", "A new bakery opened on Main Street.")
	writeFile(t, seeds, "sub/b.txt", "The river rose by a metre overnight, the council said.")
	links := map[string]string{
		"c_inside.txt":     inside,
		"d_relative.txt":   filepath.Join("sub", "b.txt"),
		"e_outside.txt":    secret,
		"f_dotdot.txt":     filepath.Join("..", "private", "secret.txt"),
		"sub/g_up.txt":     filepath.Join("..", "..", "private", "secret.txt"),
		"sub/h_chain.txt":  filepath.Join("..", "e_outside.txt"), // a link to a link that leaves
		"i_to_folder.txt":  filepath.Join(dir, "private"),
		"j_nowhere.txt":    filepath.Join(dir, "missing.txt"),
		"k_to_the_top.txt": seeds,
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(seeds, name)); err != nil {
			t.Skipf("cannot make symbolic links: %v", err)
		}
	}
	arts, errs := LoadPaths([]string{seeds}, LoadOptions{})
	var got []string
	for _, a := range arts {
		rel, _ := filepath.Rel(seeds, a.Path)
		got = append(got, filepath.ToSlash(rel))
		if strings.Contains(a.Body, "vault") {
			t.Errorf("%s: a file outside the folder was loaded", a.Path)
		}
	}
	if want := "a.txt c_inside.txt d_relative.txt sub/b.txt"; strings.Join(got, " ") != want {
		t.Errorf("loaded %q, want %q", strings.Join(got, " "), want)
	}
	outside := map[string]bool{}
	for _, e := range errs {
		rel, _ := filepath.Rel(seeds, e.Path)
		if errors.Is(e, ErrLinkOutside) {
			outside[filepath.ToSlash(rel)] = true
			if !strings.Contains(e.Error(), "outside the folder") {
				t.Errorf("error = %q", e)
			}
		}
	}
	for _, name := range []string{"e_outside.txt", "f_dotdot.txt", "sub/g_up.txt", "sub/h_chain.txt"} {
		if !outside[name] {
			t.Errorf("%s: not refused as a link outside the folder (errors %v)", name, errs)
		}
	}
	if len(errs) != 7 { // the 4 above, a folder, a broken link, the top folder
		t.Errorf("errors = %v", errs)
	}

	// Named explicitly, the link is the user's choice and is followed.
	arts, errs = LoadPaths([]string{filepath.Join(seeds, "e_outside.txt")}, LoadOptions{})
	if len(arts) != 1 || len(errs) != 0 || !strings.Contains(arts[0].Body, "vault") {
		t.Errorf("explicit link: %d articles, errors %v", len(arts), errs)
	}
	if _, err := LoadFile(filepath.Join(seeds, "e_outside.txt"), LoadOptions{Root: seeds}); !errors.Is(err, ErrLinkOutside) {
		t.Errorf("LoadFile with a Root = %v", err)
	}
}

func TestNormalizeBodyFastPath(t *testing.T) {
	cases := []string{"", "a", " a ", "a\n", "a\nb", "a\n\nb", "a\n\n\nb", "a \nb", "a\t\nb", "a\u00a0\nb", "a\u0085", "a\u2003\nb",
		"a\r\nb", "a\rb", "\n\n\na", "a\n \n\nb", "a\n\n", "a\n\n\n", "x\xff\nb", "é\nb ", "“a”\n\n“b”", "\u00a0a\u00a0"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", " ", "\n", "\t", "\r", "\u00a0", "é", "\u0085", "\xff", "\v"}
	for range 20000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if got, want := normalizeBody(s), normalizeBodyByLines(s); got != want {
			t.Fatalf("normalizeBody(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestReadUpTo(t *testing.T) {
	data := strings.Repeat("0123456789", 100)
	for _, c := range []struct{ n, size int64 }{{1001, 1000}, {1001, 0}, {1001, 10}, {1001, 5000}, {500, 1000}, {1, 1000}, {2000, 999}, {2000, 1001}} {
		got, err := readUpTo(iotest.OneByteReader(strings.NewReader(data)), c.n, c.size)
		want := data[:min(int64(len(data)), c.n)]
		if err != nil || string(got) != want {
			t.Errorf("readUpTo(n %d, size %d) = %d bytes, %v; want %d bytes", c.n, c.size, len(got), err, len(want))
		}
		got, err = readUpTo(strings.NewReader(data), c.n, c.size)
		if err != nil || string(got) != want {
			t.Errorf("readUpTo(n %d, size %d) = %d bytes, %v; want %d bytes", c.n, c.size, len(got), err, len(want))
		}
	}
}

// ContentID is the first 16 hex digits of the SHA-256 of the fields, each
// followed by a NUL byte.
func TestContentIDDigest(t *testing.T) {
	pub := time.Date(2026, 4, 7, 6, 0, 0, 0, time.FixedZone("X", 3600))
	for _, c := range [][6]string{{"", "", "", "", "", ""}, {"T", "S", "https://u", pub.UTC().Format(time.RFC3339), "A", strings.Repeat("body “é” ", 500)}} {
		p := time.Time{}
		if c[3] != "" {
			p = pub
		}
		h := sha256.New()
		for _, f := range c {
			h.Write([]byte(f))
			h.Write([]byte{0})
		}
		want := hex.EncodeToString(h.Sum(nil))[:16]
		for range 2 { // the second from a buffer kept
			if got := ContentID(c[0], c[1], c[2], p, c[4], c[5]); got != want {
				t.Errorf("ContentID = %s, want %s", got, want)
			}
		}
	}
}

// looksBinaryByBytes is looksBinary a byte at a time.
func looksBinaryByBytes(data []byte) bool {
	controls := 0
	for _, b := range data {
		switch {
		case b == 0:
			return true
		case b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v':
		case b < 0x20 || b == 0x7F:
			controls++
		}
	}
	return controls*10 > len(data)
}

func TestLooksBinaryWords(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	bytesOf := []byte{'a', ' ', '\n', '\t', 0, 1, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff, 0xe2, 0x9c, '.'}
	for n := range 20000 {
		data := make([]byte, r.IntN(80))
		for i := range data {
			if r.IntN(3) == 0 || n%7 == 0 {
				data[i] = bytesOf[r.IntN(len(bytesOf))]
			} else {
				data[i] = byte('a' + r.IntN(26))
			}
		}
		if got, want := looksBinary(data), looksBinaryByBytes(data); got != want {
			t.Fatalf("looksBinary(%q) = %v, want %v", data, got, want)
		}
	}
}
