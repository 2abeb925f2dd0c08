package bot

import (
	"fmt"
	"strings"
	"time"
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
		line(StoryMeta(s))
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
		if len(s.Related) > 0 {
			line("  Also covered: " + strings.Join(s.Related, "; "))
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

// StoryMeta is the line under a story's headline: outlet, date, and the
// link or, for a file, its name.
func StoryMeta(s Story) string {
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
