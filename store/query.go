package store

// The words of a question or of a speaker's name, as a search looks for
// them. A question is reduced to its content words: stop words, question
// words such as "what", "who", "say", "did", and query syntax are dropped,
// and each word is made of letters and digits only. Words are split and
// folded as FTS5's unicode61 tokenizer does and stemmed as its porter
// tokenizer does (porter.go), so that they meet the words of the index.
// Pure functions: no database.

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// howWords, after "how", ask a question of measure ("how long are the
// waits?"): they frame it, as softWords do.
var howWords = wordSet(`long often far soon big old fast large high low quickly`)

// honorifics are left out of a name: articles give "Dr. Hannah Lowe" a
// speaker "Hannah Lowe".
var honorifics = wordSet(`dr mr mrs ms mx prof sir dame rev`)

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
	word   string   // folded as the index folds it: lower case, no accents
	stem   string   // as the porter tokenizer stems it
	soft   bool     // see softWords
	proper bool     // written with a capital: a name
	prefix bool     // a name of 4 letters or more: matches words it begins ("Egypt": "Egyptian")
	forms  []string // other forms of an irregular verb ("choose": "chose", "chosen"), folded
	fstems []string // their stems
	df     float64  // claims with the word
	idf    float64  // its rarity: the inverse of df
	weight float64  // its weight in a question's coverage: idf, none for a soft word
}

// matches reports whether the term, or another of its forms, is the stem,
// or begins it if it is a prefix: whether t.in(stems) for a set of stems
// that holds it.
func (t qterm) matches(stem string) bool {
	return stem == t.stem || slices.Contains(t.fstems, stem) || t.prefix && strings.HasPrefix(stem, t.stem)
}

// HasQueryTerms reports whether a question has words a search uses (see
// parseQuestion): whether it can be searched. It stems nothing and keeps
// nothing: a question's first word that is not a stop word is always one
// of its terms.
func HasQueryTerms(question string) bool {
	question = withoutSyntax(question)
	var buf [64]byte
	found := false
	foldedWords(question, buf[:0], func(word []byte) {
		found = found || !stopWords[string(word)]
	})
	return found
}

// ftsSyntax matches FTS5 query syntax that is not just punctuation, to be
// dropped from a question before it is split into words: column filters
// ("text:", "{speaker role}:", "-via:") and NEAR's distances ("NEAR/3",
// "NEAR(a b, 5)"). What remains of the syntax is punctuation or stop
// words.
var ftsSyntax = regexp.MustCompile(`(?i)(?:^|[\s(])-?(?:text|speaker|role|via|headline|sentence|context)\s*:|` +
	`-?\{[^{}]*\}\s*:|NEAR\s*/\s*\d+|,\s*\d+\s*\)`)

// ftsSyntaxBytes are bytes every match of ftsSyntax holds one of (each
// alternative ends in a colon or a parenthesis, or has NEAR's slash): a
// question without any has no syntax to drop, and most have none, so the
// regular expression, a good part of parsing one, is not run on them.
const ftsSyntaxBytes = ":/)"

// withoutSyntax is the question as parseQuestion and HasQueryTerms split
// it into words: bytes that are not UTF-8 and query syntax (ftsSyntax)
// made spaces.
func withoutSyntax(question string) string {
	question = strings.ToValidUTF8(question, " ")
	if strings.ContainsAny(question, ftsSyntaxBytes) {
		question = ftsSyntax.ReplaceAllString(question, " ")
	}
	return question
}

func parseQuestion(question string) []qterm {
	question = withoutSyntax(question)
	var terms []qterm
	seen := map[string]bool{}
	after := ""
	for _, tk := range tokens(question) {
		prev := after
		after = tk.word
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
		t := qterm{word: tk.word, stem: tk.stem, soft: softWords[tk.word] || prev == "how" && howWords[tk.word], proper: proper,
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

// foldedWords calls f with each word of s, folded: the words of
// tokens(s), without allocating. buf is scratch space, returned for the
// next call; f must not keep the word.
func foldedWords(s string, buf []byte, f func(word []byte)) []byte {
	b := buf[:0]
	flush := func() {
		if len(b) > 0 {
			f(b)
			b = b[:0]
		}
	}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf { // ASCII: a letter or digit, folded, or a separator
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				b = append(b, c)
			case 'A' <= c && c <= 'Z':
				b = append(b, c+'a'-'A')
			default:
				flush()
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r) {
			b = append(b, fold(r)...)
			continue
		}
		if unicode.Is(unicode.Mn, r) { // a combining accent: dropped, as remove_diacritics does
			continue
		}
		flush()
	}
	flush()
	return b
}

// foldedWordsFrom is foldedWords for the words whose folded first byte
// first marks: the others are skipped, not folded, and f is not called
// with them.
func foldedWordsFrom(s string, buf []byte, first *[256]bool, f func(word []byte)) []byte {
	b := buf[:0]
	skip := false // the word under way is one to skip
	for i := 0; i < len(s); {
		if c := asciiFold[s[i]]; c != 0 || s[i] < utf8.RuneSelf {
			if c == 0 { // an ASCII separator
				i++
				if len(b) > 0 {
					f(b)
					b = b[:0]
				}
				skip = false
				continue
			}
			if !skip && len(b) == 0 {
				skip = !first[c]
			}
			// The run of ASCII letters and digits from i.
			j := i + 1
			for j < len(s) && asciiFold[s[j]] != 0 {
				j++
			}
			if !skip {
				for ; i < j; i++ {
					b = append(b, asciiFold[s[i]])
				}
			}
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r) {
			if !skip {
				folded := fold(r)
				if skip = len(b) == 0 && !first[folded[0]]; !skip {
					b = append(b, folded...)
				}
			}
			continue
		}
		if unicode.Is(unicode.Mn, r) { // a combining accent: dropped, as remove_diacritics does
			continue
		}
		if len(b) > 0 {
			f(b)
			b = b[:0]
		}
		skip = false
	}
	if len(b) > 0 {
		f(b)
	}
	return b
}

// asciiFold maps the ASCII letters and digits to themselves in lower
// case, and every other byte to 0.
var asciiFold = func() (t [256]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = c, c
	}
	return t
}()

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
