package console

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/testutil/stubbot"
)

func TestParse(t *testing.T) {
	tests := []struct {
		line, command, args string
		mention             bool
	}{
		{"/help", "help", "", false},
		{"/subscribe 0 8 * * * Europe/Paris", "subscribe", "0 8 * * * Europe/Paris", false},
		{"/BRIEFING Gaza talks", "briefing", "Gaza talks", false},
		{"/nope x", "nope", "x", false},
		{"@briefbot source 2", "", "source 2", true},
		{"@briefbot, who said “prepare to leave”?", "", "who said “prepare to leave”?", true},
		{"@bot help", "", "help", true},
		{"what did Hamas say?", "", "what did Hamas say?", true},
	}
	for _, tt := range tests {
		r := parse(tt.line)
		admin, err := r.Caller.IsAdmin(context.Background())
		if r.Command != tt.command || r.Args != tt.args || r.Mention != tt.mention || r.Platform != "console" || r.Channel != Channel || !admin || err != nil {
			t.Errorf("parse(%q) = %+v", tt.line, r)
		}
	}
}

// echo answers each request with its command and arguments.
func echo() *stubbot.Stub {
	return &stubbot.Stub{Answer: func(r stubbot.Request) bot.Message {
		return bot.Message{Kind: bot.KindInfo, Text: "got " + r.Command + " [" + r.Args + "]"}
	}}
}

// Lines are answered in order; blank lines and comments are skipped; end
// of input ends Run without an error.
func TestRunUntilEndOfInput(t *testing.T) {
	var out bytes.Buffer
	c := New(strings.NewReader("/help\n\n# a comment\n/briefing Gaza\n"), &out)
	h := echo()
	if err := c.Run(context.Background(), h.Handler()); err != nil {
		t.Fatal(err)
	}
	want := "got help []\n\ngot briefing [Gaza]\n\n"
	if out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
	if sent := h.Posts(); len(sent) != 2 || len(sent[0].IDs) != 1 || sent[0].IDs[0] == sent[1].IDs[0] {
		t.Errorf("sent %v", sent)
	}
}

// A line over MaxLine is answered "line too long" and skipped, without
// being kept in memory, and the lines after it are answered as usual; so
// is a long last line without an end of line.
func TestLineTooLong(t *testing.T) {
	const MaxLine = 1 << 20 // 1 MiB, as promised
	long := strings.Repeat("a", MaxLine+1)
	for _, c := range []struct {
		name, in, want string
	}{
		{"in the middle", "/help\n/briefing " + long + "\n/ask who?\r\n", "got help []\n\nThat line is too long\n\ngot ask [who?]\n\n"},
		{"at the end", "/help\n" + long, "got help []\n\nThat line is too long\n\n"},
		{"just at the limit", strings.Repeat("b", MaxLine-len("/ask ")) + "\n/help\n", "got  [" + strings.Repeat("b", MaxLine-len("/ask ")) + "]\n\ngot help []\n\n"},
		{"longest allowed", "/ask " + strings.Repeat("b", MaxLine-len("/ask ")) + "\r\n/help", "got ask [" + strings.Repeat("b", MaxLine-len("/ask ")) + "]\n\ngot help []\n\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := New(strings.NewReader(c.in), &out).Run(context.Background(), echo().Handler()); err != nil {
				t.Fatalf("Run: %v", err)
			}
			got := out.String()
			if i := strings.Index(got, "That line is too long"); i >= 0 {
				end := strings.Index(got[i:], "\n")
				got = got[:i] + "That line is too long" + got[i+end:]
			}
			if got != c.want {
				t.Errorf("output %.200q, want %.200q", got, c.want)
			}
		})
	}
}
