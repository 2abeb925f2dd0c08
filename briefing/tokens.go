package briefing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tok is a word or a punctuation mark of a sentence, with its byte offsets
// in the article body.
type tok struct {
	text       string // as written
	low        string // lower case, possessive and final abbreviation dot kept
	start, end int
	word       bool // letters or digits (not punctuation)
	cap        bool // starts with an upper-case letter
	quoted     bool // inside a quotation
}

// is reports whether the token is one of the given lower-case words.
func (t tok) is(words ...string) bool {
	for _, w := range words {
		if t.low == w {
			return true
		}
	}
	return false
}

// bare returns the lower-case word without a possessive ending.
func (t tok) bare() string { return trimPossessive(t.low) }

func trimPossessive(s string) string {
	for _, suf := range []string{"’s", "'s", "’", "'"} {
		if strings.HasSuffix(s, suf) && len(s) > len(suf) {
			return s[:len(s)-len(suf)]
		}
	}
	return s
}

// tokenize splits body[start:end] into tokens. Words keep inner apostrophes,
// hyphens and dots ("Hamas’s", "President-elect", "U.S."), a final dot when
// they are a known abbreviation ("Gov.", "Inc."), and inner commas or dots
// of numbers ("1,200", "4.2").
func tokenize(body string, start, end int, dst []tok) []tok {
	i := start
	for i < end {
		r, size := utf8.DecodeRuneInString(body[i:end])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		if !isWordRune(r) {
			dst = append(dst, tok{text: body[i : i+size], low: body[i : i+size], start: i, end: i + size})
			i += size
			continue
		}
		j := i + size
		for j < end {
			r2, s2 := utf8.DecodeRuneInString(body[j:end])
			if isWordRune(r2) {
				j += s2
				continue
			}
			// Inner joiners: a letter or digit must follow.
			if r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '.' || r2 == '‐' || (r2 == ',' && unicode.IsDigit(r)) {
				if j+s2 < end {
					r3, _ := utf8.DecodeRuneInString(body[j+s2 : end])
					if isWordRune(r3) && (r2 != ',' || unicode.IsDigit(r3)) {
						j += s2
						continue
					}
				}
				// A possessive apostrophe at the end of a plural: "officials’".
				if (r2 == '\'' || r2 == '’') && body[j-1] == 's' {
					j += s2
				}
			}
			break
		}
		text := body[i:j]
		// Keep the dot of an abbreviation or initial with the word.
		if j < end && body[j] == '.' {
			lw := strings.ToLower(text)
			if titleAbbrevs[lw] || monthAbbrevs[lw] || otherAbbrevs[lw] || strings.Contains(text, ".") ||
				(utf8.RuneCountInString(text) == 1 && unicode.IsUpper(r)) || lw == "no" && j+2 < end && isDigitByte(body[j+2]) {
				j++
				text = body[i:j]
			}
		}
		dst = append(dst, tok{text: text, low: strings.ToLower(text), start: i, end: j, word: true, cap: unicode.IsUpper(r)})
		i = j
	}
	return dst
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// Quotation marks.
func isDoubleQuote(s string) bool {
	return s == `"` || s == "“" || s == "”" || s == "«" || s == "»"
}

// Words that never belong inside a speaker's noun phrase.
var npStop = setOf(`that which who whom whose and but or nor so because when while if as after before although
though since than then until unless whether where why how is was are were be been being am has have had do does
did will would can could should may might must shall not never also said says say told tells stated wrote added
claimed according to by into onto over under about against between through during without within amid despite
this these those there here it its it’s it's he she they we i you him her them us me his their our my your
however meanwhile moreover yet still just only even already now`)

// Prepositions that may join a speaker's noun phrase ("a spokesperson for
// the airline", "people familiar with the matter").
var npPreps = setOf(`of for with at from in on`)

var determiners = setOf(`the a an this that these those its their his her our`)

// Titles and roles written before a name. The name starts after the last one.
var titleWords = setOf(`president president-elect vice prime minister secretary gov. governor sen. senator rep.
representative mayor judge justice chief dr. mr. mrs. ms. mx. prof. professor gen. general lt. lieutenant col.
colonel capt. captain cmdr. adm. admiral maj. major sgt. sergeant officer detective det. insp. inspector
sheriff commissioner director superintendent supt. chancellor chairman chairwoman chair chairperson ceo cfo
coo founder executive manager coach king queen prince princess pope rev. reverend father sister bishop
archbishop imam rabbi ambassador amb. councilman councilwoman councillor councilor alderman alderwoman
speaker leader spokesman spokeswoman spokesperson attorney prosecutor lawyer economist analyst dean principal
trooper deputy assemblyman assemblywoman delegate pastor minister-elect mayor-elect governor-elect
secretary-general premier chancellor-elect senator-elect chair-elect treasurer auditor comptroller
controller administrator inspector-general surgeon nurse doctor physician scientist researcher professor
author editor commander marshal constable lord lady dame sir captain-elect`)

// Honorifics are not roles.
var honorifics = setOf(`mr. mrs. ms. mx. dr. sir dame`)

// Heads of noun phrases naming unnamed sources.
var anonHeads = setOf(`source sources person people insider insiders someone individual individuals`)

var orgSuffixes = setOf(`inc. inc corp. corp co. ltd. ltd llc plc group company companies corporation department
ministry agency council commission court university college hospital association union party police service
services bank foundation institute center centre board authority office administration committee government
network airlines airline church club team league federation fund partners holdings industries systems
laboratories labs school district museum society trust coalition alliance organization organisation
cabinet senate house assembly parliament congress bureau`)

// Nouns that "the <noun>" may use to refer back to an organization.
var orgNouns = setOf(`company firm business retailer automaker carmaker airline bank lender startup manufacturer
maker utility carrier chain group insurer developer contractor operator publisher hospital district agency
department ministry office club team league union university council board government administration
organization organisation charity nonprofit city county state court party network broadcaster newspaper paper
outlet magazine station campaign committee commission authority institute museum school police`)

// Outlets: nouns that mark a news organization.
var outletNouns = setOf(`newspaper paper daily weekly broadcaster magazine outlet network station channel
tabloid website site radio television tv`)

var knownOutlets = setOf(`reuters ap afp bloomberg cnn bbc newsweek axios politico nbc abc cbs fox msnbc npr pbs
al-akhbar al jazeera haaretz ynet upi dpa xinhua tass efe ansa kyodo yonhap semafor`)

// Outlet names ending in these words are news organizations.
var outletNameEnds = setOf(`times post journal news tribune herald gazette chronicle guardian telegraph
independent observer express mail mirror sun globe examiner inquirer bulletin review record star standard
dispatch courier register reporter press magazine daily weekly wire ledger beacon sentinel monitor
leader-post leader enquirer advocate democrat republic citizen eagle tribune-review`)

// Channels a statement can come through ("in a statement", "in a filing").
var channelNouns = setOf(`statement interview filing letter email e-mail post tweet video memo speech remarks
address briefing conference hearing testimony podcast broadcast op-ed essay column blog report release
affidavit lawsuit complaint motion papers documents document submission appearance message text call note
newsletter
announcement livestream rally session meeting appearance`)

var timeWords = setOf(`monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
morning afternoon evening night week weekend month year earlier later last this next recently
previously again once separately also publicly privately repeatedly then first further directly
initially originally subsequently afterward afterwards early late`)

var monthNames = setOf(`january february march april may june july august september october november december
jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.`)

var pronouns = setOf(`he she they it we i`)

// Words that make a noun phrase plural for "they" to refer to.
func isPluralNoun(w string) bool {
	if strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is") {
		return false
	}
	switch w {
	case "people", "police", "staff", "media", "crew", "authorities", "children", "men", "women":
		return true
	}
	return strings.HasSuffix(w, "s")
}

// singular makes a plural head noun singular ("officials" -> "official").
func singular(w string) string {
	switch {
	case w == "people":
		return "person"
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us"):
		return w[:len(w)-1]
	}
	return w
}
