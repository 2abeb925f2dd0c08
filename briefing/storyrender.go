package briefing

import (
	"fmt"
	"strings"
)

// StoryText renders a story briefing as plain text for a terminal: the
// headline, its outlets, the lead, the claims most outlets carry first with
// the denials of each beneath it, and where outlets differ.
func StoryText(sb StoryBrief) string {
	var b strings.Builder
	b.WriteString(sb.Headline)
	b.WriteByte('\n')
	var outlets []string
	for _, a := range sb.Articles {
		outlets = appendOutlet(outlets, a.Outlet)
	}
	n := len(sb.Articles)
	switch {
	case len(outlets) > 0:
		fmt.Fprintf(&b, "%d %s from %d %s: %s\n", n, plural(n, "article", "articles"), len(outlets), plural(len(outlets), "outlet", "outlets"), joinAnd(outlets))
	default:
		fmt.Fprintf(&b, "%d %s\n", n, plural(n, "article", "articles"))
	}
	if sb.Lead != "" {
		b.WriteString("\n" + sb.Lead)
		if len(sb.LeadOutlets) > 0 {
			b.WriteString(" (" + joinAnd(sb.LeadOutlets) + ")")
		}
		b.WriteByte('\n')
	}
	if len(sb.Claims) > 0 {
		b.WriteByte('\n')
	}
	for i, c := range sb.Claims {
		b.WriteString("• " + c.Line + "\n")
		for _, d := range sb.Disputes {
			if d.Claim == i {
				b.WriteString("  ↳ " + d.Line + "\n")
			}
		}
	}
	if len(sb.Discrepancies) > 0 {
		b.WriteString("\nOutlets differ:\n")
	}
	for _, d := range sb.Discrepancies {
		b.WriteString("• " + d.Line + "\n")
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
