package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// PlainText renders a message as plain text: the console's format, and a
// fallback for platforms that need one. Bullets are numbered so that
// "source 2" can refer to them.
func PlainText(m Message) string {
	var sb strings.Builder
	line := func(s string) {
		if s != "" {
			sb.WriteString(s)
			sb.WriteByte('\n')
		}
	}
	if m.Header != "" {
		line("── " + m.Header + " ──")
	}
	if m.Title != "" {
		line(m.Title)
	}
	if m.Text != "" {
		line(m.Text)
	}
	for i, s := range m.Stories {
		if i > 0 || m.Header != "" || m.Title != "" || m.Text != "" {
			sb.WriteByte('\n')
		}
		line(s.Headline)
		line(storyMeta(s))
		if s.Gist != "" {
			line("  " + s.Gist)
		}
		for _, b := range s.Bullets {
			line(fmt.Sprintf("  %d. %s", b.N, b.Line()))
			if b.Sentence != "" {
				line("     Source sentence: " + b.Sentence)
			}
		}
		if s.Context != "" {
			line("  Context: " + s.Context)
		}
		for _, n := range s.Notes {
			line("  " + n)
		}
	}
	if m.Footer != "" {
		if len(m.Stories) > 0 {
			sb.WriteByte('\n')
		}
		line(m.Footer)
	}
	return sb.String()
}

// storyMeta is the line under a story's headline: outlet, date, and the
// link or, for a file, its name.
func storyMeta(s Story) string {
	var parts []string
	if s.Source != "" {
		parts = append(parts, s.Source)
	}
	if !s.Published.IsZero() {
		parts = append(parts, s.Published.UTC().Format(time.DateOnly))
	}
	switch {
	case s.URL != "":
		parts = append(parts, s.URL)
	case s.File != "":
		parts = append(parts, "from "+s.File)
	}
	return strings.Join(parts, " · ")
}

// visible returns m with the invisible characters that can disguise text
// (bidirectional overrides, zero-width characters: see
// briefing.StripInvisible) removed from every text it holds. Whatever an
// article, a feed or a user wrote, a speaker, a headline, an outlet or a
// feed title in a post reads as it is stored, not reversed or split.
func visible(m Message) Message {
	clean := briefing.StripInvisible
	m.Header, m.Title, m.Text, m.Footer = clean(m.Header), clean(m.Title), clean(m.Text), clean(m.Footer)
	if m.Controls != nil {
		m.Controls = visibleControls(*m.Controls)
	}
	if m.Stories == nil {
		return m
	}
	stories := make([]Story, len(m.Stories))
	for i, s := range m.Stories {
		s.Headline, s.URL, s.Source, s.File = clean(s.Headline), clean(s.URL), clean(s.Source), clean(s.File)
		s.Gist, s.Context = clean(s.Gist), clean(s.Context)
		if s.Notes != nil {
			notes := make([]string, len(s.Notes))
			for j, n := range s.Notes {
				notes[j] = clean(n)
			}
			s.Notes = notes
		}
		if s.Bullets != nil {
			bullets := make([]Bullet, len(s.Bullets))
			for j, bl := range s.Bullets {
				bl.Text, bl.Attribution, bl.Sentence, bl.Prefix = clean(bl.Text), clean(bl.Attribution), clean(bl.Sentence), clean(bl.Prefix)
				bullets[j] = bl
			}
			s.Bullets = bullets
		}
		stories[i] = s
	}
	m.Stories = stories
	return m
}

// visibleControls is c with the texts of its choices through visible.
func visibleControls(c Controls) *Controls {
	clean := func(choices []Choice) []Choice {
		if choices == nil {
			return nil
		}
		out := make([]Choice, len(choices))
		for i, ch := range choices {
			ch.Label, ch.Detail, ch.URL = briefing.StripInvisible(ch.Label), briefing.StripInvisible(ch.Detail), briefing.StripInvisible(ch.URL)
			out[i] = ch
		}
		return out
	}
	c.Sources, c.More, c.Links, c.Confirm = clean(c.Sources), clean(c.More), clean(c.Links), clean(c.Confirm)
	if c.Stop != nil {
		c.Stop = &clean([]Choice{*c.Stop})[0]
	}
	return &c
}
