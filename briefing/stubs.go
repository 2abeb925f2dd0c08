package briefing

// TEMPORARY stubs, replaced as the engine lands.

func Segment(body string) []Sentence { return nil }

func extract(body string, sents []Sentence) []Claim { return nil }

func brief(a *Article, sents []Sentence, claims []Claim, opt Options) Briefing {
	return Briefing{ArticleID: a.ID, Article: a.Name, Headline: a.Title, Source: a.Source, URL: a.URL, Published: a.Published}
}
