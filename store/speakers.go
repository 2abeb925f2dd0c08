package store

import (
	"context"
	"fmt"
)

// ClaimsBySpeaker returns the claims of the articles the space sees (see
// spaces.go) whose speaker is name, newest article first and in article
// order, at most limit of them (0: all), and how many there are in all. A
// claim whose speaker is unsure is nobody's here.
//
// Matching ignores case and accents, and every word of name must be a word
// of the speaker (stemmed, so "Hamas official" finds "Hamas officials"),
// so a surname finds the full name ("Naim": "Basem Naim"). Speakers whose
// role holds the words come after those whose name does: "Hamas" lists
// "Hamas officials" first, then "Basem Naim, Hamas Political Bureau
// member". Stop words in name ("the", "of") are ignored.
func (s *Store) ClaimsBySpeaker(ctx context.Context, space, name string, limit int) ([]Hit, int, error) {
	words := nameWords(name)
	if len(words) == 0 {
		return nil, 0, nil
	}
	hits, err := s.speakerMatches(ctx, space, words)
	if err != nil {
		return nil, 0, fmt.Errorf("store: claims by %q: %w", name, err)
	}
	var byName, byRole []Hit
	for _, h := range hits {
		if h.Claim.SpeakerUnsure {
			continue // not certainly theirs
		}
		sp, all := stems(h.Claim.Speaker), stems(h.Claim.Speaker, h.Claim.SpeakerRole)
		inName, inEither := true, true
		for _, w := range words {
			inName = inName && sp[w.stem]
			inEither = inEither && all[w.stem]
		}
		switch {
		case inName:
			h.Speaker, h.relevant = true, true
			byName = append(byName, h)
		case inEither:
			h.relevant = true
			byRole = append(byRole, h)
		}
	}
	all := append(byName, byRole...)
	total := len(all)
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	return all, total, nil
}

// Speakers returns the speakers with the most claims in the articles the
// space sees, most first, at most limit of them.
func (s *Store) Speakers(ctx context.Context, space string, limit int) ([]string, error) {
	speakers, err := queryRows(ctx, s.db, scanString, `
		SELECT c.speaker FROM claims c
		WHERE c.speaker <> '' AND c.speaker_unsure = 0 AND `+visibleIn("c.article_id", "?1")+`
		GROUP BY c.speaker ORDER BY count(*) DESC, MAX(c.id) DESC LIMIT ?2`, space, limit)
	if err != nil {
		return nil, fmt.Errorf("store: speakers: %w", err)
	}
	return speakers, nil
}
