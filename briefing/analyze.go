package briefing

// Options tune a briefing.
type Options struct {
	MaxWords   int // most words of a briefing's gist and bullets' claim text together (attributions not counted); 0 means 100
	MaxBullets int // 0 means 5
}

// Analysis is everything the engine derives from one article.
type Analysis struct {
	Article   *Article
	Sentences []Sentence
	Claims    []Claim // one per attributed statement and per author-voice sentence, in body order
	Briefing  Briefing
}

// Analyze segments, extracts and briefs one article. It is deterministic.
func Analyze(a *Article, opt Options) *Analysis {
	an := AnalyzeClaims(a)
	an.Briefing = brief(a, an.Sentences, an.Claims, opt)
	return an
}

// AnalyzeClaims segments one article and extracts its claims, without the
// briefing (an Analysis whose Briefing is zero): the work of `briefbot
// claims`. Its sentences and claims are those of [Analyze].
func AnalyzeClaims(a *Article) *Analysis {
	sents := Segment(a.Body)
	return &Analysis{Article: a, Sentences: sents, Claims: extract(a.Body, sents)}
}
