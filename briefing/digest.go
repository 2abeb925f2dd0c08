package briefing

// DigestOptions bound a digest of several stories.
type DigestOptions struct {
	MaxArticles       int // most stories shown in full; 0 means 10
	MaxWords          int // most words across the stories shown; 0 means 600
	BulletsPerArticle int // most bullets per story; 0 means 3
}

// WithDefaults returns the options with their defaults for the fields
// left zero.
func (o DigestOptions) WithDefaults() DigestOptions {
	if o.MaxArticles <= 0 {
		o.MaxArticles = 10
	}
	if o.MaxWords <= 0 {
		o.MaxWords = 600
	}
	if o.BulletsPerArticle <= 0 {
		o.BulletsPerArticle = 3
	}
	return o
}
