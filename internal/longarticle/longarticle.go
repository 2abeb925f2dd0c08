// Package longarticle writes long news articles ([Body], [File]) for tests
// and benchmarks:
// test infrastructure only, imported by _test.go files and never by the
// bot itself.
//
// The text is made up here, deterministically, from a few dozen sentence
// patterns of news style (quotations with "said", paraphrases, "according
// to", pronouns, titles, organizations, numbers and abbreviations) filled
// with names, places and topics picked by a seeded generator, so that the
// engine does all its work on it: segmenting, quotations, attribution,
// name indexing and ranking over a vocabulary that keeps growing.
package longarticle

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Body returns an article body of about size bytes (never less, at most
// one paragraph more): paragraphs of one to three sentences separated by
// blank lines. The same size always gives the same text.
func Body(size int) string {
	r := rand.New(rand.NewPCG(uint64(size), 7))
	var sb strings.Builder
	sb.Grow(size + 1024)
	for n := 0; sb.Len() < size; n++ {
		if n > 0 {
			sb.WriteString("\n\n")
		}
		k := 1 + r.IntN(3)
		for i := 0; i < k; i++ {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(sentence(r, n))
		}
	}
	return sb.String()
}

// File returns Body(size) as a .txt article file with a title and an
// outlet in its front matter.
func File(size int) string {
	return "---\ntitle: Council weighs a long report on the river district\nsource: Test Gazette\n---\n" + Body(size) + "\n"
}

var (
	firstNames = strings.Fields(`Marta Dennis Priya Omar Linda Samuel Grace Tomas Aisha Victor Helen Rafael
		Nadia George Ines Kofi Mei Arjun Sofia Daniel Leila Pavel Ruth Jonas Amara Felix Irene Hugo`)
	lastNames = strings.Fields(`Olvera Hartley Nand Castellanos Marsh Okafor Lindqvist Brennan Haddad
		Moreau Takahashi Quinlan Ferreira Abernathy Kowalski Mensah Duarte Whitfield Petrov Salazar
		Nakamura Obi Castell Varga Holm Rourke Aziz Lemaire Draper Ibarra`)
	roles = strings.Fields(`engineer spokeswoman spokesman economist director analyst treasurer
		commissioner planner inspector historian superintendent`)
	orgs = []string{"Pellham Foods", "Eastgate Transit Authority", "Valley Water District",
		"Mill Street Tenants Association", "Carver & Lowe Inc.", "Department of Public Works",
		"Riverside Chamber of Commerce", "State Board of Education"}
	places = strings.Fields(`Eastgate Millbrook Riverside Northfield Ashford Kingsport Lakeview Dunmore
		Harlow Westbury`)
	topics = strings.Fields(`bridge budget levee school clinic tunnel reservoir library depot ferry
		stadium market shelter pipeline runway harbor`)
	nouns = strings.Fields(`repairs contract deficit inspection closure detour subsidy audit lawsuit
		petition timetable forecast shortfall surplus expansion moratorium tariff grant`)
	verbs = strings.Fields(`approved delayed rejected revised funded questioned postponed endorsed
		extended reduced`)
	months = strings.Fields(`Jan. Feb. Aug. Sept. Oct. Nov. Dec.`)
)

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// sentence returns one sentence; n is the paragraph's number, which keeps
// the numbers in the text varied.
func sentence(r *rand.Rand, n int) string {
	name := pick(r, firstNames) + " " + pick(r, lastNames)
	last := name[strings.IndexByte(name, ' ')+1:]
	role := pick(r, roles)
	org := pick(r, orgs)
	place := pick(r, places)
	topic := pick(r, topics)
	noun := pick(r, nouns)
	verb := pick(r, verbs)
	amount := fmt.Sprintf("$%d.%d million", 1+r.IntN(90), r.IntN(10))
	date := fmt.Sprintf("%s %d", pick(r, months), 1+r.IntN(28))
	switch r.IntN(12) {
	case 0:
		return fmt.Sprintf("“We did not expect the %s %s to cost %s,” said %s, the %s of the %s. “It changes how we plan the next %d years.”",
			place, topic, amount, name, role, org, 2+n%9)
	case 1:
		return fmt.Sprintf("%s, a %s at %s, said the %s would push the %s back by at least %d weeks.",
			name, role, org, noun, topic, 2+r.IntN(20))
	case 2:
		return fmt.Sprintf("According to the %s, the %s council %s the %s on %s.", org, place, verb, noun, date)
	case 3:
		return fmt.Sprintf("%s told reporters in %s that the %s %s had been %s twice since %d.",
			last, place, topic, noun, verb, 1990+n%35)
	case 4:
		return fmt.Sprintf("She said the %s was “a reasonable first step” but warned that the %s could not wait.", noun, topic)
	case 5:
		return fmt.Sprintf("The %s %s, which opened in %d, serves about %d residents of %s and the villages around it.",
			place, topic, 1950+n%70, 1000+r.IntN(90000), place)
	case 6:
		return fmt.Sprintf("Officials at the %s, speaking on condition of anonymity, said the %s had been discussed since %s.", org, noun, date)
	case 7:
		return fmt.Sprintf("Gov. %s %s the %s in a statement, calling it “overdue, underfunded and still worth doing.”", name, verb, noun)
	case 8:
		return fmt.Sprintf("Shares of %s fell %d.%d%% after the %s was announced at 9 a.m. in %s.", org, 1+r.IntN(9), r.IntN(10), noun, place)
	case 9:
		return fmt.Sprintf("“The %s is not a luxury,” %s said. “Every family in %s depends on it.”", topic, last, place)
	case 10:
		return fmt.Sprintf("Residents of %s packed the hall on %s to ask why the %s had been %s without a public vote.", place, date, noun, verb)
	}
	return fmt.Sprintf("The %s estimated the %s at %s, up from %s last year, the %s said.",
		org, noun, amount, fmt.Sprintf("$%d.%d million", 1+r.IntN(90), r.IntN(10)), role)
}

// Article returns a whole .txt article file of about words words, made up
// from the same sentence patterns as [Body], with a title, an outlet, a
// link and a date of its own in the front matter. Each seed gives a
// different article; the same seed and length always give the same one.
// Tests use it for corpora of many ordinary-sized news articles.
func Article(seed uint64, words int) string {
	r := rand.New(rand.NewPCG(seed, 11))
	var sb strings.Builder
	sb.Grow(words*7 + 256)
	fmt.Fprintf(&sb, "---\ntitle: %s %s %s over the %s %s\nsource: %s\nurl: https://news.example/%d\npublished: 2026-%02d-%02dT%02d:00:00Z\n---\n",
		pick(r, places), pick(r, []string{"council", "board", "residents", "officials"}), pick(r, verbs),
		pick(r, topics), pick(r, nouns), pick(r, outlets), seed, 1+r.IntN(12), 1+r.IntN(28), r.IntN(24))
	n, count := 0, 0
	for count < words {
		if n > 0 {
			sb.WriteString("\n\n")
		}
		k := 1 + r.IntN(3)
		for i := 0; i < k; i++ {
			if i > 0 {
				sb.WriteByte(' ')
			}
			s := sentence(r, n+int(seed%97))
			count += strings.Count(s, " ") + 1
			sb.WriteString(s)
		}
		n++
	}
	sb.WriteByte('\n')
	return sb.String()
}

var outlets = []string{"Test Gazette", "Valley Herald", "Eastgate Courier", "Harbor Wire", "Northfield Ledger"}
