package briefing

import (
	"strings"
	"time"
)

// Text renders a briefing as plain text for a terminal.
func Text(b Briefing) string {
	var sb strings.Builder
	sb.WriteString(b.Headline)
	sb.WriteByte('\n')
	if m := meta(b); m != "" {
		sb.WriteString(m)
		sb.WriteByte('\n')
	}
	if b.Gist != "" {
		sb.WriteByte('\n')
		sb.WriteString(b.Gist)
		sb.WriteByte('\n')
	}
	if len(b.Bullets) > 0 {
		sb.WriteByte('\n')
	}
	for _, bl := range b.Bullets {
		sb.WriteString("• ")
		sb.WriteString(bl.Line)
		sb.WriteByte('\n')
	}
	return sb.String()
}

// Markdown renders a briefing as Markdown.
func Markdown(b Briefing) string {
	var sb strings.Builder
	sb.WriteString("## ")
	if b.URL != "" {
		sb.WriteString("[" + escapeMarkdown(b.Headline) + "](" + b.URL + ")")
	} else {
		sb.WriteString(escapeMarkdown(b.Headline))
	}
	sb.WriteString("\n\n")
	if m := meta(b); m != "" {
		sb.WriteString("_" + escapeMarkdown(m) + "_\n\n")
	}
	if b.Gist != "" {
		sb.WriteString(escapeMarkdown(b.Gist) + "\n\n")
	}
	for _, bl := range b.Bullets {
		sb.WriteString("- " + escapeMarkdown(bl.Line) + "\n")
	}
	return sb.String()
}

// meta is the line under a headline: outlet, date, link and source file.
func meta(b Briefing) string {
	var parts []string
	if b.Source != "" {
		parts = append(parts, b.Source)
	}
	if !b.Published.IsZero() {
		parts = append(parts, b.Published.UTC().Format(time.DateOnly))
	}
	if b.URL != "" {
		parts = append(parts, b.URL)
	}
	if len(parts) == 0 && b.Article != "" {
		parts = append(parts, "from "+b.Article)
	}
	return strings.Join(parts, " · ")
}

var markdownEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "#", `\#`)

func escapeMarkdown(s string) string { return markdownEscaper.Replace(s) }
