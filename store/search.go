package store

// Search over claims: an FTS5 index (claims_fts) with one row per claim of
// every active article, kept in step with the sources table.
//
// Each row holds, in separate columns, the claim's text, its speaker, the
// speaker's role, the channel and the article's outlet (via), the article's
// title and headline, the source sentence(s) the claim's span lies in, and
// the sentences just before and after them (context). The tokenizer is
// 'porter unicode61 remove_diacritics 2': case and accents are folded and
// English words are stemmed ("elections" finds "election").
//
// The index holds only active articles: PutArticle indexes the article a
// key now points at (insertIndexRows, indexStoredClaims), and triggers remove an article's rows
// when the last key pointing at it is deleted or re-pointed, and a claim's
// row when the claim is deleted.
//
// A question is reduced to its content words (stop words and question words
// such as "what", "who", "say", "did" are dropped), each made of letters and
// digits only and quoted, so no text a user types reaches FTS5 as query
// syntax. Candidates come from FTS5's BM25 and are re-ranked here; see
// Search.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"modernc.org/sqlite"

	"github.com/briefbot/briefbot/briefing"
)

// The SQL functions the migration that creates claims_fts uses to find the
// sentences of the claims stored before it in their articles' bodies. They
// are registered with the driver for every connection. (PutArticle finds
// them in Go, before its transaction: see newIndexRow.)
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("briefbot_sentence", 3, sqlSentences(false))
	sqlite.MustRegisterDeterministicScalarFunction("briefbot_context", 3, sqlSentences(true))
}

// sqlSentences implements briefbot_sentence(body, start, end), the source
// sentences of a span, and briefbot_context(body, start, end), the
// sentences around them.
func sqlSentences(around bool) func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
	return func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		body, _ := args[0].(string)
		if b, ok := args[0].([]byte); ok {
			body = string(b)
		}
		start, _ := args[1].(int64)
		end, _ := args[2].(int64)
		sentence, before, after := ClaimSentences(body, int(start), int(end))
		if !around {
			return sentence, nil
		}
		return strings.TrimSpace(before + " " + after), nil
	}
}

// segmentCache keeps the sentences of the last body segmented: the
// migration asks for every claim of an article in turn.
var segmentCache struct {
	sync.Mutex
	body  string
	sents []briefing.Sentence
}

func segment(body string) []briefing.Sentence {
	segmentCache.Lock()
	defer segmentCache.Unlock()
	if body != segmentCache.body || segmentCache.sents == nil {
		segmentCache.body, segmentCache.sents = body, briefing.Segment(body)
	}
	return segmentCache.sents
}

// ClaimSentences returns, for the span body[start:end] of a claim, the
// sentence (or sentences, for a span that runs over several) holding it,
// exactly as written in the body, and the sentence just before and just
// after it ("" at the start or end of the body). Offsets out of range are
// clamped; a span in no sentence gives the span itself.
func ClaimSentences(body string, start, end int) (sentence, before, after string) {
	return claimSentences(body, segment(body), start, end)
}

// claimSentences is ClaimSentences with the body's sentences given. It
// finds them by binary search, so a claim costs the same in a body of any
// length.
func claimSentences(body string, sents []briefing.Sentence, start, end int) (sentence, before, after string) {
	start = max(0, min(start, len(body)))
	end = max(start, min(end, len(body)))
	// sents[first:stop] overlap the span; an empty span is in at most one.
	first := sort.Search(len(sents), func(i int) bool { return sents[i].End > start })
	stop := sort.Search(len(sents), func(i int) bool { return sents[i].Start >= end })
	if start == end {
		stop = sort.Search(len(sents), func(i int) bool { return sents[i].Start > start })
	}
	if first >= stop {
		return strings.TrimSpace(body[start:end]), "", ""
	}
	last := stop - 1
	sentence = body[sents[first].Start:sents[last].End]
	if first > 0 {
		before = sents[first-1].Text(body)
	}
	if last+1 < len(sents) {
		after = sents[last+1].Text(body)
	}
	return sentence, before, after
}

// indexRow is the row of the search index for a claim, but its rowid (the
// claim's).
type indexRow struct{ text, speaker, role, via, headline, sentence, context string }

// newIndexRow makes the index row of claim c of an article with the body
// and its sentences, outlet, title and headline.
func newIndexRow(body string, sents []briefing.Sentence, c briefing.Claim, source, title, headline string) indexRow {
	sentence, before, after := claimSentences(body, sents, c.Start, c.End)
	if headline != title { // as the migration that made the index writes it
		headline = strings.Trim(title+" "+headline, " ")
	}
	return indexRow{
		text: c.Text, speaker: c.Speaker, role: c.SpeakerRole, via: strings.Trim(c.Via+" "+source, " "),
		headline: headline, sentence: sentence, context: strings.TrimSpace(before + " " + after),
	}
}

// insertIndexRows adds rows to the search index, rows[i] with rowid ids[i].
func insertIndexRows(ctx context.Context, tx *sql.Tx, ids []int64, rows []indexRow) error {
	if len(rows) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO claims_fts (rowid, text, speaker, role, via, headline, sentence, context)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer stmt.Close()
	for i, r := range rows {
		if _, err := stmt.ExecContext(ctx, ids[i], r.text, r.speaker, r.role, r.via, r.headline, r.sentence, r.context); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// indexStoredClaims adds the claims of a stored article that are not in
// the search index to it: all of them when a key points at the article
// again after none did. body and sents are the article's. PutArticle calls
// it in its transaction.
func indexStoredClaims(ctx context.Context, tx *sql.Tx, articleID, body string, sents []briefing.Sentence) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.text, c.speaker, c.speaker_role, c.via,
			c.span_start, c.span_end, a.source, a.title, a.headline
		FROM claims c JOIN articles a ON a.id = c.article_id
		WHERE c.article_id = ? AND NOT EXISTS (SELECT 1 FROM claims_fts f WHERE f.rowid = c.id)
		ORDER BY c.idx`, articleID)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var index []indexRow
	for rows.Next() {
		var (
			id                      int64
			c                       briefing.Claim
			source, title, headline string
		)
		if err := rows.Scan(&id, &c.Text, &c.Speaker, &c.SpeakerRole, &c.Via, &c.Start, &c.End, &source, &title, &headline); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		ids = append(ids, id)
		index = append(index, newIndexRow(body, sents, c, source, title, headline))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	rows.Close()
	return insertIndexRows(ctx, tx, ids, index)
}

// ---- Query words ----

// stopWords never drive a match: function words, question words and the
// verbs of asking ("what did X say about Y"). FTS5's operators (AND, OR,
// NOT, NEAR) are among them, so that typed syntax is dropped as words too.
var stopWords = wordSet(`a an the and or not nor but if then than so as at by for from in into of off on onto
to up with within without about above after again against before below between during over under through
until upon via per
what whats which who whom whose when where why how whether
do does did doing done don didn doesn is isn are aren was wasn were weren be been being am
has have had having will would shall should can could may might must won wouldn shouldn couldn
say says said saying tell me us please know let
i my mine we our ours you your yours he him his she her hers it its they them their theirs one ones
this that these those there here
any anything anyone some something someone all each every both either neither other another
such own same also just only very really too much many more most less least lot lots
near s t d ll m re ve o y`)

// softWords frame a question ("Trump's position on Gaza") without naming
// its topic: they are searched for, but a claim need not contain them to
// answer the question, and a question made only of them has no topic.
var softWords = wordSet(`position positions stance view views opinion opinions think thinks thought believe
believes feel feels comment comments commented claim claims claimed statement statements told tells
talk talks talked speak speaks spoke mention mentions mentioned respond responds responded response
react reacts reacted reaction happen happens happened news latest recent recently report reports
reported article articles story stories source sources quote quotes quoted word words way
anybody somebody people person thing things stuff plan plans planned`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// irregular maps each form of a common irregular verb to all its forms:
// questions ask "did X choose", articles report "X chose", and the porter
// stemmer only knows regular endings.
var irregular = func() map[string][]string {
	m := map[string][]string{}
	for _, group := range strings.Split(`arise arose arisen,awake awoke awoken,bear bore borne,beat beaten,
become became,begin began begun,bend bent,bet,bid,bind bound,bite bit bitten,bleed bled,blow blew blown,
break broke broken,breed bred,bring brought,build built,burn burnt,buy bought,catch caught,
choose chose chosen,cling clung,come came,cost,creep crept,cut,deal dealt,dig dug,draw drew drawn,
dream dreamt,drink drank drunk,drive drove driven,eat ate eaten,fall fell fallen,feed fed,feel felt,
fight fought,find found,flee fled,fly flew flown,forbid forbade forbidden,forecast,foresee foresaw foreseen,
forget forgot forgotten,forgive forgave forgiven,freeze froze frozen,get got gotten,give gave given,
go went gone,grind ground,grow grew grown,hang hung,hear heard,hide hid hidden,hit,hold held,hurt,
keep kept,kneel knelt,know knew known,lay laid,lead led,leave left,lend lent,let,lie lay lain,light lit,
lose lost,make made,mean meant,meet met,mislead misled,overcome overcame,overtake overtook overtaken,
pay paid,prove proven,put,quit,read,rebuild rebuilt,rid,ride rode ridden,ring rang rung,rise rose risen,
run ran,saw sawn,say said,see saw seen,seek sought,sell sold,send sent,set,shake shook shaken,shed,
shine shone,shoot shot,show shown,shrink shrank shrunk,shut,sing sang sung,sink sank sunk,sit sat,
slay slew slain,sleep slept,slide slid,speak spoke spoken,speed sped,spend spent,spin spun,split,
spread,spring sprang sprung,stand stood,steal stole stolen,stick stuck,sting stung,stink stank stunk,
strike struck stricken,strive strove striven,swear swore sworn,sweep swept,swim swam swum,swing swung,
take took taken,teach taught,tear tore torn,tell told,think thought,throw threw thrown,
undergo underwent undergone,understand understood,undertake undertook undertaken,uphold upheld,
upset,wake woke woken,wear wore worn,weep wept,win won,wind wound,withdraw withdrew withdrawn,
withhold withheld,withstand withstood,write wrote written`, ",") {
		forms := strings.Fields(group)
		for _, f := range forms {
			m[f] = forms
		}
	}
	return m
}()

// maxTerms bounds the words searched for in one question.
const maxTerms = 12

// qterm is a word of a question.
type qterm struct {
	word   string   // folded as FTS5 folds it: lower case, no accents
	stem   string   // as the porter tokenizer stems it
	soft   bool     // see softWords
	proper bool     // written with a capital: a name
	prefix bool     // a name of 4 letters or more: matches words it begins ("Egypt": "Egyptian")
	forms  []string // other forms of an irregular verb ("choose": "chose", "chosen"), folded
	fstems []string // their stems
	df     float64  // claims with the word
	weight float64
}

// QueryTerms returns the words of question that a search uses, folded to
// lower case without accents, in order, without repeats: no stop words,
// punctuation or query syntax. A question with none cannot be searched.
func QueryTerms(question string) []string {
	var words []string
	for _, t := range parseQuestion(question) {
		words = append(words, t.word)
	}
	return words
}

// ftsSyntax matches FTS5 query syntax that is not just punctuation, to be
// dropped from a question before it is split into words: column filters
// ("text:", "{speaker role}:", "-via:") and NEAR's distances ("NEAR/3",
// "NEAR(a b, 5)"). What remains of the syntax is punctuation or stop
// words.
var ftsSyntax = regexp.MustCompile(`(?i)(?:^|[\s(])-?(?:text|speaker|role|via|headline|sentence|context)\s*:|` +
	`-?\{[^{}]*\}\s*:|NEAR\s*/\s*\d+|,\s*\d+\s*\)`)

func parseQuestion(question string) []qterm {
	question = strings.ToValidUTF8(question, " ")
	question = ftsSyntax.ReplaceAllString(question, " ")
	var terms []qterm
	seen := map[string]bool{}
	for _, tk := range tokens(question) {
		if stopWords[tk.word] || seen[tk.stem] {
			continue
		}
		if len(terms) == maxTerms {
			break
		}
		seen[tk.stem] = true
		// A capitalized word is taken for a name, first word or not:
		// questions start with a question word, and "Egypt talks?" with
		// a name.
		proper := tk.upper
		t := qterm{word: tk.word, stem: tk.stem, soft: softWords[tk.word], proper: proper,
			prefix: proper && len(tk.stem) >= 4}
		for _, f := range irregular[tk.word] {
			if f != tk.word {
				t.forms = append(t.forms, f)
				t.fstems = append(t.fstems, porterStem(f))
			}
		}
		terms = append(terms, t)
	}
	return terms
}

// token is a word as FTS5's unicode61 tokenizer splits text: a run of
// letters, digits and private-use characters.
type token struct {
	word  string // folded
	stem  string
	upper bool // began with an upper-case letter
}

func tokens(s string) []token {
	var out []token
	var sb strings.Builder
	upper := false
	flush := func() {
		if sb.Len() > 0 {
			w := sb.String()
			out = append(out, token{word: w, stem: porterStem(w), upper: upper})
			sb.Reset()
		}
	}
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r) {
			if sb.Len() == 0 {
				upper = unicode.IsUpper(r)
			}
			sb.WriteString(fold(r))
			continue
		}
		if unicode.Is(unicode.Mn, r) { // a combining accent: dropped, as remove_diacritics does
			continue
		}
		flush()
	}
	flush()
	return out
}

// fold lower-cases r and strips the accent of a Latin letter, as
// unicode61's remove_diacritics 2 does for the common cases.
func fold(r rune) string {
	r = unicode.ToLower(r)
	if r < 0xC0 {
		return string(r)
	}
	if s, ok := foldMap[r]; ok {
		return s
	}
	return string(r)
}

var foldMap = func() map[rune]string {
	m := map[rune]string{}
	for _, p := range []struct{ from, to string }{
		{"àáâãäåāăąǎ", "a"}, {"çćĉċč", "c"}, {"ďđ", "d"}, {"èéêëēĕėęě", "e"}, {"ĝğġģ", "g"},
		{"ĥħ", "h"}, {"ìíîïĩīĭįıǐ", "i"}, {"ĵ", "j"}, {"ķ", "k"}, {"ĺļľŀł", "l"}, {"ñńņňŉ", "n"},
		{"òóôõöøōŏőǒ", "o"}, {"ŕŗř", "r"}, {"śŝşšș", "s"}, {"ţťŧț", "t"}, {"ùúûüũūŭůűųǔ", "u"},
		{"ŵ", "w"}, {"ýÿŷ", "y"}, {"źżž", "z"},
	} {
		for _, r := range p.from {
			m[r] = p.to
		}
	}
	return m
}()

// primaryCols restricts an FTS5 query to the columns about the claim
// itself: a claim is found by its text, speaker, role, outlet or sentence,
// not by its article's headline or the sentences around it (those only
// add to its coverage; see score).
const primaryCols = "{text speaker role via sentence} : "

// ftsQuery ORs the quoted words: letters and digits only, so nothing in
// them is FTS5 syntax.
func ftsQuery(terms []qterm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.phrase()
	}
	return strings.Join(parts, " OR ")
}

// phrase is the term as an FTS5 query: quoted, a prefix query for a name,
// and OR-ed with its other forms.
func (t qterm) phrase() string {
	p := `"` + t.word + `"`
	if t.prefix {
		p += "*"
	}
	if len(t.forms) == 0 {
		return p
	}
	return "(" + p + ` OR "` + strings.Join(t.forms, `" OR "`) + `")`
}

// in reports whether the term, or another of its forms, is one of the
// stems, or begins one if it is a prefix.
func (t qterm) in(stems map[string]bool) bool {
	if stems[t.stem] {
		return true
	}
	for _, f := range t.fstems {
		if stems[f] {
			return true
		}
	}
	if t.prefix {
		for s := range stems {
			if strings.HasPrefix(s, t.stem) {
				return true
			}
		}
	}
	return false
}

// ---- Search ----

// Hit is a claim found by a search, with the article it comes from.
type Hit struct {
	ClaimID int64
	Index   int // the claim's index in its article's claims
	Claim   briefing.Claim
	Article ArticleInfo

	Score    float64 // the ranking: BM25 × boosts × recency, higher is better
	BM25     float64 // FTS5's bm25 with the column weights, negated: higher is better
	Coverage float64 // the part of the question's topic words the claim matches, 0 to 1
	Speaker  bool    // the question names the claim's speaker
	Relevant bool    // good enough to answer with (see Search)

	sentence, context string
}

// ArticleInfo is what a hit says about its article.
type ArticleInfo struct {
	ID, Name, Title, Headline, Source, URL string
	Published                              time.Time // zero if unknown
	IngestedAt                             time.Time
	Seq                                    int64
}

// SearchOptions tune a search.
type SearchOptions struct {
	Limit      int       // relevant hits to return; 0 means 3
	Attributed bool      // only claims with a speaker (not the article's own voice)
	Now        time.Time // for recency; zero means time.Now
}

// SearchResult is the answer to a search.
type SearchResult struct {
	Terms []string // the words searched for
	Hits  []Hit    // relevant hits, best first, at most Limit
	Near  []Hit    // when there are no relevant hits, the closest ones (at most 5)
}

// Ranking parameters. The column weights of bm25 are in the order of the
// columns: text, speaker, role, via, headline, sentence, context.
const (
	bm25Weights    = "4.0, 3.0, 1.5, 1.0, 0.5, 1.0, 0.3"
	candidateLimit = 40   // FTS5 candidates re-ranked per search
	rankBudget     = 2000 // most matches ranked by BM25 in one search (see candidates)
	recentPool     = 400  // matches ranked when there are too many: the newest

	// MinCoverage is the relevance threshold: a claim answers a question
	// when it matches at least this part of the question's topic words,
	// weighted by how rare each word is in the index (a word no article
	// has weighs the most), and matches one in the claim itself.
	MinCoverage = 0.5

	// MinRelativeScore keeps an answer to the claims that bear on the
	// question about as much as the best one: a relevant hit scoring
	// below this part of the first one's score is left out.
	MinRelativeScore = 0.35
)

// Search finds the claims that bear on question: the FTS5 index gives
// candidates ranked by BM25 over the question's words, and each candidate
// is scored
//
//	score = bm25 × (1 + 0.5 speaker + 0.25 role + 0.15 entities) × (0.5 + coverage) × recency
//
// where speaker is 1 when the question names the claim's speaker, role
// when it names a word of the speaker's role ("Hamas" for a "Hamas
// Political Bureau member"), entities counts (up to 2) names written with a
// capital in the question that the claim itself mentions, coverage is the
// share of the question's topic words the claim matches (each weighted by
// its IDF; a word matched only in the headline or surrounding sentences
// counts half), and recency = 1 + 0.1 / (1 + age/30 days) gently favours
// newer articles. Hits whose coverage is below MinCoverage, or that match
// no topic word in the claim, its sentence or its speaker, are not
// relevant, and neither are those scoring below MinRelativeScore of the
// best. Of claims whose spans overlap in one article, only the best is
// kept.
func (s *Store) Search(ctx context.Context, question string, opt SearchOptions) (*SearchResult, error) {
	if opt.Limit <= 0 {
		opt.Limit = 3
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	terms := parseQuestion(question)
	res := &SearchResult{}
	for _, t := range terms {
		res.Terms = append(res.Terms, t.word)
	}
	if len(terms) == 0 {
		return res, nil
	}
	if err := s.weigh(ctx, terms); err != nil {
		return nil, fmt.Errorf("store: search %q: %w", question, err)
	}
	hits, err := s.candidates(ctx, terms, opt.Attributed)
	if err != nil {
		return nil, fmt.Errorf("store: search %q: %w", question, err)
	}
	for i := range hits {
		score(&hits[i], terms, opt.Now)
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		if hits[i].Article.Seq != hits[j].Article.Seq {
			return hits[i].Article.Seq > hits[j].Article.Seq
		}
		return hits[i].ClaimID < hits[j].ClaimID
	})
	hits = dropOverlaps(hits)
	for _, h := range hits {
		if len(res.Hits) == opt.Limit {
			break
		}
		if h.Relevant && (len(res.Hits) == 0 || h.Score >= MinRelativeScore*res.Hits[0].Score) {
			res.Hits = append(res.Hits, h)
		}
	}
	if len(res.Hits) == 0 {
		for _, h := range hits {
			if len(res.Near) == 5 {
				break
			}
			res.Near = append(res.Near, h)
		}
	}
	return res, nil
}

// weigh sets each term's document frequency among the claims, and its
// weight: its IDF, none for a soft word.
func (s *Store) weigh(ctx context.Context, terms []qterm) error {
	var n float64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM claims`).Scan(&n); err != nil {
		return err
	}
	for i := range terms {
		// Rarity among the claims themselves: a word of a headline is in
		// every claim of its article.
		err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?`,
			primaryCols+terms[i].phrase()).Scan(&terms[i].df)
		if err != nil {
			return err
		}
		if !terms[i].soft {
			terms[i].weight = idf(n, terms[i].df)
		}
	}
	return nil
}

func idf(n, df float64) float64 {
	return math.Log(1 + (max(n, df)-df+0.5)/(df+0.5))
}

// candidates returns the claims a search re-ranks, at most candidateLimit
// of them, with their articles: the best FTS5 matches by BM25 of the
// question's words, as many of them as keeps the rows to rank within
// rankBudget, rarest first (a claim that answers the question has its
// rare words, which weigh the most). When even the rarest topic word is in
// more claims than that, the candidates are the newest claims with all
// the topic words, else with any of them, ranked by BM25.
func (s *Store) candidates(ctx context.Context, terms []qterm, attributed bool) ([]Hit, error) {
	byDF := make([]qterm, 0, len(terms))
	for _, t := range terms {
		if t.df > 0 {
			byDF = append(byDF, t)
		}
	}
	if len(byDF) == 0 {
		return nil, nil
	}
	sort.SliceStable(byDF, func(i, j int) bool {
		if byDF[i].soft != byDF[j].soft {
			return !byDF[i].soft
		}
		return byDF[i].df < byDF[j].df
	})
	if byDF[0].soft || byDF[0].df <= rankBudget {
		var core []qterm
		sum := 0.0
		for _, t := range byDF {
			if len(core) > 0 && sum+t.df > rankBudget {
				continue
			}
			core = append(core, t)
			sum += t.df
		}
		// The second part adds every word's matches in every column to
		// BM25, and matches whatever the first part matches.
		return s.matches(ctx, primaryCols+"("+ftsQuery(core)+") AND ("+ftsQuery(terms)+")", false, attributed)
	}
	var topic []qterm
	for _, t := range byDF {
		if !t.soft {
			topic = append(topic, t)
		}
	}
	var hits []Hit
	if len(topic) > 1 {
		and := make([]string, len(topic))
		for i, t := range topic {
			and[i] = t.phrase()
		}
		var err error
		if hits, err = s.matches(ctx, primaryCols+"("+strings.Join(and, " AND ")+")", true, attributed); err != nil || len(hits) >= candidateLimit/2 {
			return hits, err
		}
	}
	more, err := s.matches(ctx, primaryCols+"("+ftsQuery(topic)+")", true, attributed)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, h := range hits {
		seen[h.ClaimID] = true
	}
	for _, h := range more {
		if !seen[h.ClaimID] && len(hits) < candidateLimit {
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// matches runs the FTS5 query and returns the best candidateLimit matches
// by BM25, among all matches or, if recent, among the newest recentPool.
func (s *Store) matches(ctx context.Context, query string, recent, attributed bool) ([]Hit, error) {
	inner := `SELECT rowid AS id, bm25(claims_fts, ` + bm25Weights + `) AS r FROM claims_fts
			WHERE claims_fts MATCH ?1 ORDER BY r LIMIT ?2`
	if recent {
		inner = `SELECT id, r FROM (SELECT rowid AS id, bm25(claims_fts, ` + bm25Weights + `) AS r FROM claims_fts
			WHERE claims_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?3) ORDER BY r LIMIT ?2`
	}
	where, limit := "", candidateLimit
	if attributed { // some of the best matches will be left out
		where, limit = "WHERE c.kind <> 'unattributed'", candidateLimit*3/2
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT m.r, c.id, c.idx, `+prefixed("c.", claimCols)+`, f.sentence, f.context,
			a.id, a.name, a.title, a.headline, a.source, a.url, a.published, a.ingested_at, a.seq
		FROM (`+inner+`) m
		JOIN claims c ON c.id = m.id
		JOIN articles a ON a.id = c.article_id
		JOIN claims_fts f ON f.rowid = m.id
		`+where+`
		ORDER BY m.r`, query, limit, recentPool)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []Hit
	for rows.Next() {
		h, err := scanHit(rows, true)
		if err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

func prefixed(p, cols string) string {
	f := strings.Split(cols, ",")
	for i := range f {
		f[i] = p + strings.TrimSpace(f[i])
	}
	return strings.Join(f, ", ")
}

func scanHit(row interface{ Scan(...any) error }, ranked bool) (Hit, error) {
	var (
		h                   Hit
		c                   = &h.Claim
		a                   = &h.Article
		published           string
		ingested            int64
		r                   float64
		sentence, surrounds sql.NullString
	)
	dest := []any{&h.ClaimID, &h.Index, &c.Text, &c.Speaker, &c.SpeakerRole, &c.Kind, &c.Verb, &c.Via,
		&c.Anonymous, &c.Verbatim, &c.Start, &c.End, &c.Sentence, &sentence, &surrounds,
		&a.ID, &a.Name, &a.Title, &a.Headline, &a.Source, &a.URL, &published, &ingested, &a.Seq}
	if ranked {
		dest = append([]any{&r}, dest...)
	}
	if err := row.Scan(dest...); err != nil {
		return h, err
	}
	h.BM25 = -r
	h.sentence, h.context = sentence.String, surrounds.String
	if published != "" {
		if t, err := time.Parse(time.RFC3339Nano, published); err == nil {
			a.Published = t
		}
	}
	a.IngestedAt = fromNanos(ingested)
	return h, nil
}

// stems returns the stems of the words of the texts.
func stems(texts ...string) map[string]bool {
	m := map[string]bool{}
	for _, t := range texts {
		for _, tk := range tokens(t) {
			m[tk.stem] = true
		}
	}
	return m
}

// score computes h's coverage, boosts, relevance and score (see Search).
func score(h *Hit, terms []qterm, now time.Time) {
	c := h.Claim
	primary := stems(c.Text, h.sentence, c.Via, h.Article.Source)
	speaker := stems(c.Speaker)
	role := stems(c.SpeakerRole)
	secondary := stems(h.Article.Title, h.Article.Headline, h.context)
	var total, matched float64
	strong, speakerHit, roleHit, entities := false, false, false, 0
	for _, t := range terms {
		total += t.weight
		inSpeaker, inRole, inPrimary := t.in(speaker), t.in(role), t.in(primary)
		switch {
		case inSpeaker:
			speakerHit = speakerHit || !t.soft
		case inRole:
			roleHit = roleHit || !t.soft
		}
		switch {
		case inPrimary || inSpeaker || inRole:
			matched += t.weight
			strong = strong || !t.soft
			if t.proper && inPrimary {
				entities++
			}
		case t.in(secondary):
			matched += t.weight / 2
		}
	}
	if total > 0 {
		h.Coverage = matched / total
	}
	boost := 1 + 0.15*float64(min(entities, 2))
	if speakerHit {
		boost += 0.5
	} else if roleHit {
		boost += 0.25
	}
	h.Speaker = speakerHit || roleHit
	when := h.Article.Published
	if when.IsZero() {
		when = h.Article.IngestedAt
	}
	age := max(0, now.Sub(when).Hours()/24)
	recency := 1 + 0.1/(1+age/30)
	h.Score = h.BM25 * boost * (0.5 + h.Coverage) * recency
	h.Relevant = strong && h.Coverage >= MinCoverage
}

// dropOverlaps keeps, of hits whose spans overlap in one article, the
// first (best) one.
func dropOverlaps(hits []Hit) []Hit {
	out := hits[:0]
	for _, h := range hits {
		dup := false
		for _, k := range out {
			if k.Article.ID == h.Article.ID && h.Claim.Start < k.Claim.End && k.Claim.Start < h.Claim.End {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, h)
		}
	}
	return out
}

// ---- Speakers ----

// ClaimsBySpeaker returns the claims of the active articles whose speaker
// is name, newest article first and in article order, at most limit of
// them (0: all), and how many there are in all.
//
// Matching ignores case and accents, and every word of name must be a word
// of the speaker (stemmed, so "Hamas official" finds "Hamas officials"),
// so a surname finds the full name ("Naim": "Basem Naim"). Speakers whose
// role holds the words come after those whose name does: "Hamas" lists
// "Hamas officials" first, then "Basem Naim, Hamas Political Bureau
// member". Stop words in name ("the", "of") are ignored.
func (s *Store) ClaimsBySpeaker(ctx context.Context, name string, limit int) ([]Hit, int, error) {
	words := nameWords(name)
	if len(words) == 0 {
		return nil, 0, nil
	}
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = `{speaker role} : "` + w.word + `"`
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT c.id, c.idx, `+prefixed("c.", claimCols)+`, f.sentence, f.context,
			a.id, a.name, a.title, a.headline, a.source, a.url, a.published, a.ingested_at, a.seq
		FROM claims_fts f
		JOIN claims c ON c.id = f.rowid
		JOIN articles a ON a.id = c.article_id
		WHERE claims_fts MATCH ? AND c.kind <> 'unattributed'
		ORDER BY a.seq DESC, c.idx`, strings.Join(parts, " AND "))
	if err != nil {
		return nil, 0, fmt.Errorf("store: claims by %q: %w", name, err)
	}
	defer rows.Close()
	var byName, byRole []Hit
	for rows.Next() {
		h, err := scanHit(rows, false)
		if err != nil {
			return nil, 0, fmt.Errorf("store: claims by %q: %w", name, err)
		}
		sp, all := stems(h.Claim.Speaker), stems(h.Claim.Speaker, h.Claim.SpeakerRole)
		inName, inEither := true, true
		for _, w := range words {
			inName = inName && sp[w.stem]
			inEither = inEither && all[w.stem]
		}
		switch {
		case inName:
			h.Speaker, h.Relevant = true, true
			byName = append(byName, h)
		case inEither:
			h.Relevant = true
			byRole = append(byRole, h)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: claims by %q: %w", name, err)
	}
	all := append(byName, byRole...)
	total := len(all)
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	return all, total, nil
}

// honorifics are left out of a name: articles give "Dr. Hannah Lowe" a
// speaker "Hannah Lowe".
var honorifics = wordSet(`dr mr mrs ms mx prof sir dame rev`)

// nameWords returns the words of a speaker's name that ClaimsBySpeaker
// matches: no honorifics, nor short stop words ("the", "of") unless the
// name is nothing else ("May").
func nameWords(name string) []token {
	var words, short []token
	seen := map[string]bool{}
	for _, tk := range tokens(strings.ToValidUTF8(name, " ")) {
		if honorifics[tk.word] || seen[tk.stem] {
			continue
		}
		seen[tk.stem] = true
		if stopWords[tk.word] && len(tk.word) < 4 {
			short = append(short, tk)
			continue
		}
		words = append(words, tk)
	}
	if len(words) == 0 {
		words = short
	}
	return words[:min(len(words), maxTerms)]
}

// NameTerms returns the words of name that /claims looks for, folded; none
// means the name cannot be looked up.
func NameTerms(name string) []string {
	var out []string
	for _, w := range nameWords(name) {
		out = append(out, w.word)
	}
	return out
}

// ---- Posts and speakers ----

// LatestBulletPost returns the channel's latest post that carried bullets,
// other than a source lookup (kind "sources"): the latest in the thread if
// thread is not "". A "source 2" refers to it.
func (s *Store) LatestBulletPost(ctx context.Context, platform, channel, thread string) (*Post, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+postCols+` FROM posts
		WHERE platform = ?1 AND channel = ?2 AND (?3 = '' OR thread_id = ?3)
			AND kind <> 'sources' AND bullets <> '[]'
		ORDER BY posted_at DESC, id DESC LIMIT 1`, platform, channel, thread)
	p, err := scanPost(row)
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("latest post with bullets in %s/%s", platform, channel))
	}
	return p, nil
}

// Speakers returns the speakers with the most claims in the active
// articles, most first, at most limit of them.
func (s *Store) Speakers(ctx context.Context, limit int) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT c.speaker FROM claims c
		WHERE c.speaker <> '' AND EXISTS (SELECT 1 FROM sources s WHERE s.article_id = c.article_id)
		GROUP BY c.speaker ORDER BY count(*) DESC, MAX(c.id) DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: speakers: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sp string
		if err := rows.Scan(&sp); err != nil {
			return nil, fmt.Errorf("store: speakers: %w", err)
		}
		out = append(out, sp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: speakers: %w", err)
	}
	return out, nil
}
