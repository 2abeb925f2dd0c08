package briefing

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// Discrepancies: the numbers outlets give differently for the same fact
// ("at least 12 dead" in one, "13" in another). A number is a fact of the
// kind its unit says ("14,000 vehicles", "$2.1 billion", "13 people died":
// deaths); two articles of different outlets give different values for the
// same fact when they give different numbers of one unit, close to each
// other (within a factor of 2), in sentences that share words (or each
// gives one number of that unit), and neither also gives the other's
// number for that unit (then they are two facts, not one). Shares
// ("45 percent") are left out, and so is a unit with more than three
// values: which is which needs more than a sentence's words.

type numMention struct {
	art        int
	value      float64
	surface    string // as written, with its qualifier: "at least 12", "$2.1 billion"
	key        string // the unit the fact is counted in: "vehicles", "$", "dead"
	unit       string // the unit as written, for showing
	ctx        map[string]bool
	start, end int // in the article's body
}

var (
	wordNumbers = map[string]float64{"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
		"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
		"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
		"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12}
	numberScales = map[string]float64{"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
		"m": 1e6, "bn": 1e9, "k": 1e3}
	numberQualifiers = []string{"at least", "at most", "more than", "fewer than", "less than", "up to", "about",
		"around", "some", "roughly", "nearly", "almost", "over", "approximately", "an estimated"}
	deathWords  = setOf(`killed dead died deaths death perished fatalities bodies lives`)
	peopleUnits = setOf(`people residents persons individuals`)
	shareUnits  = setOf(`percent per percentage points point`)
	// Units that count many different things in one story.
	genericUnits = setOf(`people $ time year month week day hour minute second percent per cent mile kilometer
metre meter point times`)
)

// numberMentions finds the counted facts of one article's body.
func numberMentions(ai int, an *Analysis) []numMention {
	body := an.Article.Body
	var out []numMention
	var toks []gtok
	for si, s := range an.Sentences {
		if si >= storySentences {
			break
		}
		text := s.Text(body)
		toks = groupTokens(text, toks[:0])
		ctx := contentWords(text)
		for i, t := range toks {
			value, unit, ok := tokenNumber(t)
			if !ok {
				continue
			}
			end := t.end
			money := t.start > 0 && strings.ContainsAny(text[t.start-1:t.start], "$£€")
			j := i + 1
			if unit == "" && j < len(toks) {
				if sc, ok := numberScales[toks[j].low]; ok {
					value *= sc
					end = toks[j].end
					j++
				}
			}
			if unit == "" && j < len(toks) && toks[j].num == "" && !toks[j].cap {
				unit = toks[j].low
			}
			key := unit
			switch {
			case money:
				key, unit = "$", "amount"
			case unit == "" || stopwords[unit] || len(unit) < 3 || monthNames[unit] || dayNames[unit] || shareUnits[unit]:
				// Shares ("45 percent") count many things in one story:
				// which is which needs more than a sentence's words.
				continue
			}
			if !money {
				for k := i + 1; k < len(toks) && k <= i+5; k++ {
					if deathWords[toks[k].low] {
						key, unit = "dead", "deaths"
						break
					}
				}
				if peopleUnits[key] {
					key = "people"
				}
				if key != "dead" {
					key = string(stem([]byte(key)))
				}
			}
			start := t.start
			if money {
				start--
			}
			surface := text[start:end]
			before := strings.ToLower(text[:start])
			for _, q := range numberQualifiers {
				if strings.HasSuffix(before, q+" ") {
					surface = strings.ToLower(q) + " " + surface
					break
				}
			}
			out = append(out, numMention{art: ai, value: value, surface: surface, key: key, unit: unit, ctx: ctx,
				start: s.Start + start, end: s.Start + end})
		}
	}
	return out
}

// tokenNumber reads a number token: "14,000", "2.1", "Thirteen", "48-hour"
// (48, unit "hour"), "2.1bn". Years alone are not counts.
func tokenNumber(t gtok) (float64, string, bool) {
	if t.num == "" {
		if v, ok := wordNumbers[t.low]; ok {
			return v, "", true
		}
		if w, unit, ok := strings.Cut(t.low, "-"); ok {
			if v, ok := wordNumbers[w]; ok {
				return v, unit, true
			}
		}
		return 0, "", false
	}
	n := t.num
	unit := ""
	if k := strings.IndexFunc(n, func(r rune) bool { return (r < '0' || r > '9') && r != '.' }); k >= 0 {
		n, unit = n[:k], strings.ToLower(strings.TrimLeft(n[k:], "-"))
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(n, "."), 64)
	if err != nil {
		return 0, "", false
	}
	if sc, ok := numberScales[unit]; ok {
		v, unit = v*sc, ""
	}
	return v, unit, true
}

// findDiscrepancies compares the counted facts of a story's articles.
func findDiscrepancies(ans []*Analysis) []Discrepancy {
	byKey := map[string][]numMention{}
	var keys []string
	for ai, an := range ans {
		for _, m := range numberMentions(ai, an) {
			if _, ok := byKey[m.key]; !ok {
				keys = append(keys, m.key)
			}
			byKey[m.key] = append(byKey[m.key], m)
		}
	}
	// has[(art, key)] holds the values an article gives for a unit.
	type artKey struct {
		art int
		key string
	}
	has := map[artKey][]float64{}
	for _, k := range keys {
		for _, m := range byKey[k] {
			has[artKey{m.art, k}] = append(has[artKey{m.art, k}], m.value)
		}
	}
	gives := func(art int, key string, v float64) bool {
		for _, x := range has[artKey{art, key}] {
			if sameNumber(x, v) {
				return true
			}
		}
		return false
	}
	out := []Discrepancy{}
	for _, k := range keys {
		ms := byKey[k]
		differ := make([]bool, len(ms))
		for i := range ms {
			for j := i + 1; j < len(ms); j++ {
				a, b := ms[i], ms[j]
				if a.art == b.art || sameNumber(a.value, b.value) || math.Max(a.value, b.value) > 2*math.Min(a.value, b.value) {
					continue
				}
				// Outlets differ, not one outlet's two reports.
				if oa, ob := ans[a.art].Article.Source, ans[b.art].Article.Source; oa != "" && oa == ob {
					continue
				}
				if gives(a.art, k, b.value) || gives(b.art, k, a.value) {
					continue
				}
				// The same fact: the sentences share words, or each
				// article gives one number of a unit that is specific
				// ("nurses", not "people" or "years").
				need := 2
				if len(has[artKey{a.art, k}]) == 1 && len(has[artKey{b.art, k}]) == 1 {
					need = 1
					if !genericUnits[k] {
						need = 0
					}
				}
				if sharedWords(a.ctx, b.ctx, a.unit) < need {
					continue
				}
				differ[i], differ[j] = true, true
			}
		}
		var d Discrepancy
		var vals []float64
		for i, m := range ms {
			if !differ[i] {
				continue
			}
			if d.What == "" {
				d.What = m.unit
			}
			vi := -1
			for x := range d.Values {
				if sameNumber(vals[x], m.value) {
					vi = x
				}
			}
			if vi < 0 {
				vi = len(d.Values)
				d.Values = append(d.Values, DiscrepancyValue{Value: m.surface, Number: m.value})
				vals = append(vals, m.value)
			}
			dv := &d.Values[vi]
			dv.Outlets = appendOutlet(dv.Outlets, ans[m.art].Article.Source)
			dv.Sources = append(dv.Sources, Carrier{Article: m.art, Claim: claimHolding(ans[m.art], m.start), Start: m.start, End: m.end})
		}
		// Two or three values of one fact; more are several facts.
		if len(d.Values) < 2 || len(d.Values) > 3 {
			continue
		}
		// The value most outlets give first.
		sort.SliceStable(d.Values, func(i, j int) bool { return len(d.Values[i].Outlets) > len(d.Values[j].Outlets) })
		d.Line = discrepancyLine(d)
		out = append(out, d)
	}
	return out
}

// discrepancyLine renders a discrepancy: "deaths: at least 12 (Meridian
// Wire, Northern Ledger), 13 (Coastline Herald, The Daily Clarion)".
func discrepancyLine(d Discrepancy) string {
	parts := make([]string, len(d.Values))
	for i, v := range d.Values {
		parts[i] = v.Value + " (" + joinAnd(v.Outlets) + ")"
	}
	return d.What + ": " + strings.Join(parts, ", ")
}

func sameNumber(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

// sharedWords counts the words two sentences share, besides the unit and
// numbers.
func sharedWords(a, b map[string]bool, unit string) int {
	u := string(stem([]byte(unit)))
	n := 0
	for w := range a {
		if b[w] && w != u && !isDigitByte(w[0]) && wordNumbers[w] == 0 {
			n++
		}
	}
	return n
}

// claimHolding returns the index of the claim of an whose sentence holds offset,
// or -1.
func claimHolding(an *Analysis, offset int) int {
	for ci, c := range an.Claims {
		if c.Start <= offset && offset < c.End {
			return ci
		}
	}
	for ci, c := range an.Claims {
		if s := an.Sentences[c.Sentence]; s.Start <= offset && offset < s.End {
			return ci
		}
	}
	return -1
}
