package briefing

import (
	"os"
	"strings"
	"testing"
)

func loadSeed(t testing.TB) *Article {
	t.Helper()
	data, err := os.ReadFile("../seeds/000_d0f21df6df0c1ae4.txt")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Parse("000_d0f21df6df0c1ae4.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// findClaim returns the claim whose text contains sub.
func findClaim(claims []Claim, sub string) (Claim, bool) {
	for _, c := range claims {
		if strings.Contains(c.Text, sub) {
			return c, true
		}
	}
	return Claim{}, false
}

// The seed article's claims, as the briefing-engine issue lists them.
func TestSeedClaims(t *testing.T) {
	a := loadSeed(t)
	claims := Analyze(a, Options{}).Claims
	tests := []struct {
		sub       string
		speaker   string
		kind      Kind
		verb, via string
		anonymous bool
	}{
		{"must prepare to leave the country", "anonymous Biden administration officials", AccordingTo, "according to", "", true},
		{"After rejecting repeated proposals to release hostages", "anonymous Biden administration official", Direct, "told", "Reuters", true},
		{"Qatar never told Hamas leaders", "Hamas officials", Indirect, "disputed", "", false},
		{"he will work to end the war in Gaza", "Donald Trump", Indirect, "told", "a statement from a Palestinian official briefed on the call", false},
		{"is a private matter for the Americans", "Basem Naim", Direct, "told", "Newsweek", false},
		{"look forward to an immediate cessation", "Basem Naim", Direct, "told", "Newsweek", false},
		{"direct talks with senior Hamas officials were ongoing", "Egyptian sources", Indirect, "told", "Al-Akhbar", true},
		{"Hamas’s Oct. 7 attack would not have occurred under his watch", "Donald Trump", Indirect, "claimed", "", false},
		{"called for the end of hostilities in Gaza", "Hamas officials", Indirect, "called", "Newsweek", false},
		{"Qatar has been a key player", "", Unattributed, "", "", false},
		{"This report dropped Friday", "", Unattributed, "", "", false},
	}
	for _, tt := range tests {
		c, ok := findClaim(claims, tt.sub)
		if !ok {
			t.Errorf("no claim contains %q", tt.sub)
			continue
		}
		if c.Speaker != tt.speaker || c.Kind != tt.kind || c.Verb != tt.verb || c.Via != tt.via || c.Anonymous != tt.anonymous {
			t.Errorf("claim %q:\n got speaker=%q kind=%s verb=%q via=%q anonymous=%v\nwant speaker=%q kind=%s verb=%q via=%q anonymous=%v",
				tt.sub, c.Speaker, c.Kind, c.Verb, c.Via, c.Anonymous, tt.speaker, tt.kind, tt.verb, tt.via, tt.anonymous)
		}
		if c.Kind == Direct && !c.Verbatim {
			t.Errorf("claim %q: direct quote not marked verbatim", tt.sub)
		}
	}
	if c, _ := findClaim(claims, "is a private matter"); c.SpeakerRole != "Hamas Political Bureau member" {
		t.Errorf("Naim's role = %q, want %q", c.SpeakerRole, "Hamas Political Bureau member")
	}
	// The unbalanced closing quote before "and claimed" marks nothing verbatim.
	for _, c := range claims {
		if c.Verbatim && strings.Contains(c.Text, "war on terror") {
			t.Errorf("text before an unmatched closing quote marked verbatim: %q", c.Text)
		}
	}
}

// Every claim's span lies in the body, and verbatim text is exactly the
// body's words at that span.
func checkClaimInvariants(t testing.TB, body string, claims []Claim) {
	t.Helper()
	for _, c := range claims {
		if c.Start < 0 || c.End > len(body) || c.Start >= c.End {
			t.Fatalf("claim %q has span [%d,%d) outside body of %d bytes", c.Text, c.Start, c.End, len(body))
		}
		if c.Verbatim && (c.Kind != Direct || body[c.Start:c.End] != c.Text) {
			t.Fatalf("verbatim claim %q is not the body's text %q", c.Text, body[c.Start:c.End])
		}
		if c.Kind == Unattributed && (c.Speaker != "" || c.Verbatim) {
			t.Fatalf("unattributed claim %q has speaker %q / verbatim %v", c.Text, c.Speaker, c.Verbatim)
		}
		if c.Kind != Unattributed && c.Speaker == "" && !c.SpeakerUnsure {
			t.Fatalf("attributed claim %q has no speaker and is not marked unsure", c.Text)
		}
		if c.Kind == Unattributed && c.SpeakerUnsure {
			t.Fatalf("unattributed claim %q is marked unsure", c.Text)
		}
	}
}

func TestSeedInvariants(t *testing.T) {
	a := loadSeed(t)
	checkClaimInvariants(t, a.Body, Analyze(a, Options{}).Claims)
}

// Quotation marks in a bullet surround only words found verbatim in the
// article.
func TestBulletQuotesAreVerbatim(t *testing.T) {
	a := loadSeed(t)
	b := Analyze(a, Options{}).Briefing
	if n := len(b.Bullets); n < 3 || n > 5 {
		t.Fatalf("got %d bullets, want 3 to 5", n)
	}
	words := 0
	for _, bl := range b.Bullets {
		words += wordCount(bl.Line)
		for _, q := range quotedSpans(bl.Line) {
			q = strings.TrimSuffix(q, "…")
			if !strings.Contains(a.Body, q) {
				t.Errorf("bullet quotes %q, which is not verbatim in the article", q)
			}
		}
		if !strings.HasSuffix(bl.Line, "("+bl.Attribution+")") {
			t.Errorf("bullet %q does not end with its attribution", bl.Line)
		}
	}
	if words > 120 {
		t.Errorf("bullets total %d words, want at most 120", words)
	}
}

// quotedSpans returns the text between “ and ” in s.
func quotedSpans(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "“")
		if i < 0 {
			return out
		}
		s = s[i+len("“"):]
		j := strings.Index(s, "”")
		if j < 0 {
			return out
		}
		out = append(out, s[:j])
		s = s[j:]
	}
}

func TestAnalyzeDeterministic(t *testing.T) {
	a := loadSeed(t)
	first := Text(Analyze(a, Options{}).Briefing)
	for i := 0; i < 20; i++ {
		if got := Text(Analyze(a, Options{}).Briefing); got != first {
			t.Fatalf("run %d differs:\n%s\nvs\n%s", i, got, first)
		}
	}
}
