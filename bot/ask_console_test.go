package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/store"
)

// In the console, /ask, /source, /claims and "@briefbot source 2" after a
// briefing give cited answers from the seed article, and an unknown topic
// an honest no.
func TestConsoleQuestions(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "console.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	data, err := os.ReadFile("../seeds/000_d0f21df6df0c1ae4.txt")
	if err != nil {
		t.Fatal(err)
	}
	a, err := briefing.Parse("000_d0f21df6df0c1ae4.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutArticle(ctx, "seeds/000_d0f21df6df0c1ae4.txt", briefing.Analyze(a, briefing.Options{}), time.Now()); err != nil {
		t.Fatal(err)
	}
	input := strings.Join([]string{
		"/briefing",
		"@briefbot source 1",
		"/ask what did Hamas say about the election?",
		"/source 1",
		"/claims Naim",
		"what is the capital of Peru?",
		`@briefbot who said "a private matter for the Americans"?`,
	}, "\n")
	var out bytes.Buffer
	b := bot.New(bot.Config{Schedule: "0 8 * * *", TZ: "UTC"}, st, slog.New(slog.DiscardHandler), console.New(strings.NewReader(input), &out))
	if err := b.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// The replies, cut at their first lines.
	text := out.String()
	starts := []string{"Briefing\n", "Source of bullet 1 of that briefing\n", "Q: what did Hamas say about the election?\n",
		"Source of bullet 1 of that answer\n", "What Naim said\n", "I don't have that in my sources.", "Source of “a private matter for the Americans”\n"}
	var replies []string
	at := 0
	for i, s := range starts {
		j := strings.Index(text[at:], s)
		if j < 0 {
			t.Fatalf("reply %d (%q) missing, or out of order:\n%s", i+1, s, text)
		}
		if i > 0 {
			replies = append(replies, text[at:at+j])
		}
		at += j
	}
	replies = append(replies, text[at:])
	for i, want := range [][]string{
		{"Briefing", "  1. “After rejecting repeated proposals"},
		{"Source of bullet 1 of that briefing", "from 000_d0f21df6df0c1ae4.txt",
			"  1. “After rejecting repeated proposals to release hostages, its leaders should no longer be welcome in the capitals of any American partner. We made that clear to Qatar following Hamas’s rejection weeks ago of another hostage release proposal” (speaker: anonymous Biden administration official (unnamed); verb: told; via: Reuters; quoted verbatim)",
			"     Source sentence: “After rejecting repeated proposals to release hostages, its leaders should no longer be welcome in the capitals of any American partner. We made that clear to Qatar following Hamas’s rejection weeks ago of another hostage release proposal,” the official told Reuters, speaking on the condition of anonymity.",
			"  Context: Before: Qatar has been a key player in the Hamas-Israel conflict as they have allowed Hamas politicians to remain in their country to facilitate negotiations between the terrorist group and Israel. After: Hamas officials disputed the White House source’s narrative"},
		{"Q: what did Hamas say about the election?", "  1. “The election of Trump as the 47th president of the USA is a private matter for the Americans” (Basem Naim, Hamas Political Bureau member, via Newsweek; quoted)"},
		{"Source of bullet 1 of that answer", "speaker: Basem Naim; role: Hamas Political Bureau member; verb: told; via: Newsweek; quoted verbatim",
			"Source sentence: “The election of Trump as the 47th president of the USA is a private matter for the Americans,” Hamas Political Bureau member Basem Naim told Newsweek, “but Palestinians"},
		{"What Naim said", "  1. “The election of Trump", "  2. “but Palestinians look forward"},
		{"I don't have that in my sources.", "The closest topics I do have:", "• Qatar has reportedly begun to exert pressure"},
		{"Source of “a private matter for the Americans”", "speaker: Basem Naim"},
	} {
		for _, w := range want {
			if !strings.Contains(replies[i], w) {
				t.Errorf("reply %d lacks %q:\n%s", i+1, w, replies[i])
			}
		}
	}
	if testing.Verbose() {
		t.Log("\n" + out.String())
	}
}
