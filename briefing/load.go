package briefing

// Loading articles from files: .txt and .md with optional front matter,
// .html/.htm pages (see html.go) and .json objects. Every format ends in
// finishArticle, which normalizes the body and computes the title and ID.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// defaultMaxBytes is the size limit used when LoadOptions.MaxBytes is 0.
const defaultMaxBytes = 1 << 20

// LoadOptions configure loading.
type LoadOptions struct {
	// MaxBytes is the largest file read; 0 means 1 MiB (1<<20).
	MaxBytes int64
	// Root, if set, is the folder the file was found in: a file that is a
	// symbolic link is loaded only if the link resolves inside Root, so
	// that a link in a watched folder cannot publish a file from anywhere
	// else (/etc/passwd). LoadPaths sets it for the files of the folders it
	// walks; files named explicitly are followed wherever they point.
	Root string
}

// maxBytes returns the effective size limit.
func (o LoadOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return defaultMaxBytes
	}
	return o.MaxBytes
}

// Reasons a file is rejected. The errors of Parse, ParseHTML and LoadFile
// wrap one of these, an os error, or a JSON or HTML syntax error, so callers
// can test them with errors.Is. Some wrappers have their own message, such
// as "larger than 1048576 bytes" for ErrTooLarge.
var (
	ErrEmpty       = errors.New("empty file")         // also blank, or no body text
	ErrBinary      = errors.New("binary content")     // NUL bytes or many control characters
	ErrNotUTF8     = errors.New("not UTF-8 text")     // e.g. Latin-1 or UTF-16
	ErrTooLarge    = errors.New("file too large")     // over LoadOptions.MaxBytes
	ErrUnknownType = errors.New("unknown file type")  // not .txt, .md, .html, .htm or .json
	ErrLinkOutside = errors.New("link out of folder") // a symbolic link resolving outside LoadOptions.Root
)

// reasonError is an error with its own message that still matches one of
// the sentinel errors above with errors.Is.
type reasonError struct {
	kind error
	msg  string
}

func (e *reasonError) Error() string { return e.msg }
func (e *reasonError) Unwrap() error { return e.kind }

// tooLargeError reports a file over the size limit, naming the limit.
func tooLargeError(limit int64) error {
	return &reasonError{ErrTooLarge, fmt.Sprintf("larger than %d bytes", limit)}
}

// LoadError names a file that could not be loaded and why.
type LoadError struct {
	Path string
	Err  error
}

// Error returns "<path>: <reason>" on one line. The path is not repeated
// when the reason is an os error that already names it.
func (e *LoadError) Error() string {
	reason := "unknown error"
	if e.Err != nil {
		reason = e.Err.Error()
		var pe *fs.PathError
		if errors.As(e.Err, &pe) {
			reason = strings.Replace(reason, pe.Op+" "+pe.Path+": ", "", 1)
		}
	}
	return strings.ReplaceAll(e.Path+": "+reason, "\n", " ")
}

// Unwrap returns the underlying error.
func (e *LoadError) Unwrap() error { return e.Err }

// LoadPaths loads files and folders. A folder contributes every file inside
// it, recursively, in lexical order of names within each folder
// (depth-first); entries whose names start with "." and files named README*
// are skipped silently. Symbolic links to folders inside a folder are not
// followed (they fail with "is a folder"), and symbolic links to files are
// followed only when they resolve inside the folder named (see
// LoadOptions.Root). Paths given explicitly as files are always attempted,
// wherever they point. LoadPaths returns the loaded articles in order and
// one LoadError per file that failed (or folder that could not be read).
func LoadPaths(paths []string, opt LoadOptions) ([]*Article, []*LoadError) {
	l := pathLoader{opt: opt}
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			l.loadDir(p)
		} else {
			l.load(p)
		}
	}
	return l.articles, l.errs
}

// pathLoader accumulates the results of LoadPaths.
type pathLoader struct {
	opt      LoadOptions
	articles []*Article
	errs     []*LoadError
}

// load loads one file.
func (l *pathLoader) load(path string) {
	a, err := loadFile(path, l.opt)
	if err != nil {
		l.errs = append(l.errs, err)
		return
	}
	l.articles = append(l.articles, a)
}

// loadDir loads the files in dir and its subfolders.
func (l *pathLoader) loadDir(dir string) {
	files, unreadable := ArticleFiles(dir)
	l.errs = append(l.errs, unreadable...)
	opt := l.opt
	l.opt.Root = dir
	for _, f := range files {
		l.load(f)
	}
	l.opt = opt
}

// ArticleFiles lists the article files in dir and its subfolders, in the
// order LoadPaths loads them: names in lexical order within each folder,
// depth first. Entries whose names start with "." and files named README*
// are skipped; symbolic links are listed as files, not followed (a link to
// a folder then fails to load with "is a folder", and a link to a file out
// of dir with ErrLinkOutside when loaded with LoadOptions.Root). A folder that cannot be
// read, dir included, is reported, and whatever entries it gave are listed.
func ArticleFiles(dir string) (files []string, unreadable []*LoadError) {
	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		unreadable = append(unreadable, &LoadError{Path: dir, Err: err})
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(dir, name)
		switch {
		case e.IsDir():
			sub, bad := ArticleFiles(path)
			files = append(files, sub...)
			unreadable = append(unreadable, bad...)
		case strings.HasPrefix(strings.ToUpper(name), "README"):
			// Notes about the folder, not an article.
		default:
			files = append(files, path)
		}
	}
	return files, unreadable
}

// LoadFile loads one file. On failure the error is a *LoadError.
func LoadFile(path string, opt LoadOptions) (*Article, error) {
	a, lerr := loadFile(path, opt)
	if lerr != nil {
		return nil, lerr
	}
	return a, nil // not lerr: a nil *LoadError would make a non-nil error
}

// loadFile loads one file, reporting any failure as a *LoadError.
func loadFile(path string, opt LoadOptions) (*Article, *LoadError) {
	// Check the type first, so a large file of the wrong type is reported
	// as the wrong type.
	if _, err := fileFormat(path); err != nil {
		return nil, &LoadError{Path: path, Err: err}
	}
	data, ok := readPlainFile(path, opt.maxBytes())
	if !ok {
		real, err := resolveWithin(path, opt.Root)
		if err != nil {
			return nil, &LoadError{Path: path, Err: err}
		}
		if data, err = readLimited(real, opt.maxBytes()); err != nil {
			return nil, &LoadError{Path: path, Err: err}
		}
	}
	a, err := Parse(path, data)
	if err != nil {
		return nil, &LoadError{Path: path, Err: err}
	}
	a.Path = path
	return a, nil
}

// resolveWithin returns the file to read for path: path itself, or, for
// a symbolic link when root is set, the file it resolves to, which must be
// inside root. A broken link is left for the read to report.
func resolveWithin(path, root string) (string, error) {
	if root == "" {
		return path, nil
	}
	if info, err := os.Lstat(path); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return path, nil
	}
	base, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(base, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", &reasonError{ErrLinkOutside, fmt.Sprintf("symbolic link to %s, outside the folder %s: not followed", target, root)}
	}
	return target, nil
}

// readLimited reads a regular file of at most limit bytes. The size is
// checked before reading, and the read itself is bounded in case the file
// grows meanwhile.
func readLimited(path string, limit int64) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if li, lerr := os.Lstat(path); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
				return nil, fmt.Errorf("broken symbolic link: %w", err)
			}
		}
		return nil, err
	}
	switch {
	case info.IsDir():
		return nil, errors.New("is a folder")
	case !info.Mode().IsRegular():
		// Opening a named pipe could block forever.
		return nil, errors.New("not a regular file")
	case info.Size() > limit:
		return nil, tooLargeError(limit)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	n := limit
	if n < math.MaxInt64 {
		n++ // read one byte more than allowed to notice growth
	}
	data, err := readUpTo(f, n, info.Size())
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, tooLargeError(limit)
	}
	return data, nil
}

// readUpTo reads r to its end, or its first n bytes, into a buffer made
// for the size the file had when it was looked at (one byte more, so that
// a file of that size ends with one read and one that returns io.EOF);
// it grows the buffer if the file grew. It is io.ReadAll(io.LimitReader(r,
// n)) without a read and a copy for each doubling of a 512-byte buffer.
func readUpTo(r io.Reader, n, size int64) ([]byte, error) {
	want := min(n, max(size, 0)+1)
	if want > 1<<30 || want < 0 {
		want = 1 << 30
	}
	data := make([]byte, 0, int(want))
	for int64(len(data)) < n {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grow: the file is longer than it was
		}
		free := data[len(data):cap(data)]
		if int64(len(free)) > n-int64(len(data)) {
			free = free[:n-int64(len(data))]
		}
		m, err := r.Read(free)
		data = data[:len(data)+m]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
	}
	return data, nil
}

// File formats, by extension.
const (
	formatText     = "text"
	formatMarkdown = "markdown"
	formatHTML     = "html"
	formatJSON     = "json"
)

// fileFormat returns the format of a file from its name's extension.
func fileFormat(name string) (string, error) {
	ext := filepath.Ext(name)
	switch strings.ToLower(ext) {
	case ".txt":
		return formatText, nil
	case ".md":
		return formatMarkdown, nil
	case ".html", ".htm":
		return formatHTML, nil
	case ".json":
		return formatJSON, nil
	}
	if ext == "" {
		ext = "(no extension)"
	}
	return "", fmt.Errorf("%w %s; want .txt, .md, .html, .htm or .json", ErrUnknownType, ext)
}

// Parse builds an article from a file's name (used for the extension and
// Article.Name = base name) and its bytes. It does no I/O.
func Parse(name string, data []byte) (*Article, error) {
	format, err := fileFormat(name)
	if err != nil {
		return nil, err
	}
	if format == formatHTML {
		return ParseHTML(name, data)
	}
	text, err := checkText(data)
	if err != nil {
		return nil, err
	}
	switch format {
	case formatJSON:
		return parseJSONFile(name, text)
	default:
		return parseTextFile(name, text, format == formatMarkdown)
	}
}

// checkText rejects data that is not non-empty UTF-8 text and returns it as
// a string without any leading byte order mark.
func checkText(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return "", &reasonError{ErrNotUTF8, "not UTF-8 text (UTF-16)"}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return "", ErrEmpty
	}
	if looksBinary(data) {
		return "", ErrBinary
	}
	if !utf8.Valid(data) {
		return "", ErrNotUTF8
	}
	return string(data), nil
}

// looksBinary reports whether data holds a NUL byte or more than one
// control character in ten (not counting the usual white space).
func looksBinary(data []byte) bool {
	controls := 0
	for i := 0; i < len(data); i++ {
		// Eight bytes at a time while none of them is below 0x20 or 0x7F:
		// most text has a line break in a few hundred bytes.
		for i+8 <= len(data) && !hasControl(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
		}
		if i == len(data) {
			break
		}
		b := data[i]
		if b >= 0x20 && b != 0x7F {
			continue // printable, most bytes: no more tests
		}
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

// hasControl reports whether one of the eight bytes of x is below 0x20
// or is 0x7F (a byte of 0x80 or more is neither).
func hasControl(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below := (x - 0x20*ones) &^ x & highs // a byte below 0x20 (exact for the lowest one, and none missed)
	del := x ^ 0x7F*ones                  // a zero byte where x has 0x7F
	return below|((del-ones)&^del&highs) != 0
}

// articleMeta is what a format says about an article besides its body.
type articleMeta struct {
	title, source, url, published, author string
}

// finishArticle finishes an article: it removes invisible characters that
// could disguise its text (StripInvisible), normalizes the body, derives a
// title if none is given and computes the ID over the given fields.
func finishArticle(name string, m articleMeta, body string) (*Article, error) {
	body = normalizeBody(StripInvisible(body))
	if body == "" {
		return nil, &reasonError{ErrEmpty, "no body text"}
	}
	if strings.ContainsRune(body, 0) { // e.g. a "\u0000" escape in JSON
		return nil, ErrBinary
	}
	a := &Article{
		Name:      filepath.Base(name),
		Title:     squeezeSpace(StripInvisible(m.title)),
		Source:    strings.TrimSpace(StripInvisible(m.source)),
		URL:       strings.TrimSpace(m.url),
		Published: parsePublished(m.published), // unparsable dates are dropped
		Author:    strings.TrimSpace(StripInvisible(m.author)),
		Body:      body,
	}
	a.ID = ContentID(a.Title, a.Source, a.URL, a.Published, a.Author, a.Body)
	if a.Title == "" {
		a.Title = DeriveHeadline(body)
		a.Derived = true
	}
	return a, nil
}

// blankLineRun matches runs of three or more newlines.
var blankLineRun = regexp.MustCompile(`\n{3,}`)

// normalizeBody converts line endings to \n, trims white space at the ends
// of lines and of the whole text, and collapses runs of blank lines into
// one. Nothing else in the text is changed.
func normalizeBody(s string) string {
	if normalLines(s) {
		return strings.TrimSpace(s) // what normalizeBodyByLines makes of it, without copies
	}
	return normalizeBodyByLines(s)
}

// normalizeBodyByLines is normalizeBody's general way, line by line.
func normalizeBodyByLines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = strings.TrimRightFunc(line, unicode.IsSpace)
	}
	s = strings.Join(lines, "\n")
	s = blankLineRun.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

// normalLines reports whether s has no carriage return, no line ending in
// white space and no run of three newlines: whether normalizeBody has
// nothing to do but trim its ends.
func normalLines(s string) bool {
	if strings.IndexByte(s, '\r') >= 0 {
		return false
	}
	for start := 0; ; {
		end := len(s) // of the line from start
		nl := strings.IndexByte(s[start:], '\n')
		if nl >= 0 {
			end = start + nl
		}
		// The line must not end in white space.
		if end > start {
			if b := s[end-1]; b < utf8.RuneSelf {
				if b == ' ' || b == '\t' || b == '\v' || b == '\f' {
					return false
				}
			} else if r, _ := utf8.DecodeLastRuneInString(s[start:end]); unicode.IsSpace(r) {
				return false
			}
		}
		if nl < 0 {
			return true
		}
		if end+2 < len(s) && s[end+1] == '\n' && s[end+2] == '\n' {
			return false
		}
		start = end + 1
	}
}

// squeezeSpace trims s and turns each run of white space into one space.
func squeezeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// parsePublished parses a publication date in one of the common layouts. Dates
// without a zone are taken as UTC; it returns the zero time if s is empty
// or not understood.
func parsePublished(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	layouts := []string{
		time.RFC3339,
		"2006-01-02",
		"2006-01-02 15:04",
		"2006-01-02 15:04:05",
		"2006-01-02T15:04:05",
		"2006-01-02T15:04",
		time.RFC1123Z,
		time.RFC1123,
		"Mon, 2 Jan 2006 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04:05 MST",
		"Mon, 2 Jan 2006 15:04 -0700",
		"Mon, 2 Jan 2006 15:04 MST",
		"2 Jan 2006 15:04:05 -0700",
		"2 Jan 2006 15:04:05 MST",
		time.RFC850,
		time.ANSIC,
		"January 2, 2006",
		"Jan 2, 2006",
		"2 January 2006",
		"2 Jan 2006",
	}
	for _, layout := range layouts {
		// ParseInLocation(UTC) rather than Parse keeps the result
		// independent of the machine's local time zone.
		t, err := time.ParseInLocation(layout, s, time.UTC)
		if err == nil {
			return applyZoneAbbrev(t)
		}
	}
	return time.Time{}
}

// applyZoneAbbrev applies the offset of a North American zone abbreviation, which
// time.ParseInLocation records with a zero offset.
func applyZoneAbbrev(t time.Time) time.Time {
	name, offset := t.Zone()
	if offset != 0 {
		return t
	}
	hours := 0
	switch name {
	case "EDT":
		hours = -4
	case "EST", "CDT":
		hours = -5
	case "CST", "MDT":
		hours = -6
	case "MST", "PDT":
		hours = -7
	case "PST":
		hours = -8
	default:
		return t
	}
	zone := time.FixedZone(name, hours*3600)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), zone)
}

// parseTextFile parses a .txt or .md file: optional front matter, then the
// body. For Markdown the body is turned into plain text.
func parseTextFile(name, text string, markdown bool) (*Article, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	m, body := splitFrontMatter(text)
	if markdown {
		var heading string
		heading, body = stripMarkdown(body)
		switch {
		case m.title == "":
			m.title = heading
		case heading != "" && !strings.EqualFold(squeezeSpace(heading), squeezeSpace(m.title)):
			// A heading that differs from the given title is text.
			body = heading + "\n\n" + body
		}
	}
	return finishArticle(name, m, body)
}

// splitFrontMatter splits text (with \n line endings) into its front matter
// and body. Front matter is a block at the very start between two lines
// "---", holding "key: value" lines. Without a closing line there is no
// front matter and the whole text is the body.
func splitFrontMatter(text string) (articleMeta, string) {
	var m articleMeta
	first, rest, ok := strings.Cut(text, "\n")
	if !ok || strings.TrimSpace(first) != "---" {
		return m, text
	}
	var lines []string
	for {
		line, after, more := strings.Cut(rest, "\n")
		if strings.TrimSpace(line) == "---" {
			rest = after
			break
		}
		if !more {
			return articleMeta{}, text // never closed
		}
		lines = append(lines, line)
		rest = after
	}
	for _, line := range lines {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = unquoteValue(strings.TrimSpace(value))
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "title":
			m.title = value
		case "source":
			m.source = value
		case "url":
			m.url = value
		case "published", "date":
			m.published = value
		case "author":
			m.author = value
		}
	}
	return m, rest
}

// unquote removes matching "..." or '...' quotes around a front-matter
// value, decoding escapes in double-quoted values where possible.
func unquoteValue(v string) string {
	if len(v) < 2 {
		return v
	}
	switch q := v[0]; {
	case q == '"' && v[len(v)-1] == '"':
		if s, err := strconv.Unquote(v); err == nil {
			return s
		}
		return v[1 : len(v)-1]
	case q == '\'' && v[len(v)-1] == '\'':
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'") // YAML's escape
	}
	return v
}

// Light Markdown syntax removed by stripMarkdown.
var (
	mdImage   = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	mdLink    = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdBold    = regexp.MustCompile(`\*\*([^*]+?)\*\*|__([^_]+?)__`)
	mdHeading = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
)

// stripMarkdown turns a Markdown body into plain text: images are dropped,
// links become their text, ** and __ emphasis and heading markers are
// removed, and headings become paragraphs of their own. A "# Title" heading
// on the first non-blank line is removed and returned separately.
func stripMarkdown(body string) (title, text string) {
	lines := strings.Split(body, "\n")
	out := make([]string, 0, len(lines))
	leading := true // no non-blank line seen yet
	for _, line := range lines {
		if strings.TrimSpace(line) == "" {
			out = append(out, line)
			continue
		}
		first := leading
		leading = false
		if strings.HasPrefix(strings.TrimSpace(line), "![") {
			if stripped := mdImage.ReplaceAllString(line, ""); strings.TrimSpace(stripped) == "" {
				continue // an image line
			}
		}
		line = mdImage.ReplaceAllString(line, "")
		line = mdLink.ReplaceAllString(line, "$1")
		line = mdBold.ReplaceAllString(line, "$1$2")
		if sm := mdHeading.FindStringSubmatch(line); sm != nil {
			if first && sm[1] == "#" {
				title = sm[2]
				continue
			}
			out = append(out, "", sm[2], "")
			continue
		}
		out = append(out, line)
	}
	return title, strings.Join(out, "\n")
}

// jsonArticle is the shape of a .json article file.
type jsonArticle struct {
	Title     string `json:"title"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Published string `json:"published"`
	Author    string `json:"author"`
	Body      string `json:"body"`
}

// parseJSONFile parses a .json article: an object with a required "body" and
// optional "title", "source", "url", "published" and "author" strings.
func parseJSONFile(name, text string) (*Article, error) {
	var j jsonArticle
	if err := json.Unmarshal([]byte(text), &j); err != nil {
		return nil, explainJSONError(text, err)
	}
	if strings.TrimSpace(j.Body) == "" {
		return nil, &reasonError{ErrEmpty, `no "body" text in JSON`}
	}
	m := articleMeta{title: j.Title, source: j.Source, url: j.URL, published: j.Published, author: j.Author}
	return finishArticle(name, m, j.Body)
}

// explainJSONError explains a JSON decoding error, with the line and column of a
// syntax error.
func explainJSONError(text string, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		before := text[:min(int(syn.Offset), len(text))]
		line := strings.Count(before, "\n") + 1
		col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:])
		return fmt.Errorf("invalid JSON at line %d, column %d: %w", line, col, err)
	case errors.As(err, &typ) && typ.Field == "":
		return fmt.Errorf("invalid JSON: want an object, got %s", typ.Value)
	case errors.As(err, &typ):
		return fmt.Errorf("invalid JSON: %q is %s, want a string", typ.Field, typ.Value)
	}
	return fmt.Errorf("invalid JSON: %w", err)
}
