package bot

import (
	"context"
	"strings"
	"testing"
)

// An answer, a /claims list and a source name the speaker as the article wrote it, as
// the article's briefing does: "according to the survey", not "according
// to survey".
func TestAnswerSpeakerAsWritten(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	an := analyze(t, "ferry.txt", "Most passengers on the Tamsin crossing would pay more for a later ferry, according to the survey. "+
		"The survey was run by the harbour board over two weeks in October. "+
		"Ticket prices have not changed since 2019, the harbour board said on Monday.\n")
	if _, err := tb.st.PutArticle(context.Background(), "seeds/ferry.txt", an, tb.clock.Now()); err != nil {
		t.Fatal(err)
	}
	m := tb.ask("ask", "would passengers pay more for a later ferry on the Tamsin crossing?", false)
	bs := m.Bullets()
	if m.Kind != KindAnswer || len(bs) == 0 {
		t.Fatalf("answer: %+v", m)
	}
	b := bs[0]
	if cl := tb.claimOf(t, b); cl.Speaker != "survey" {
		t.Fatalf("first claim %+v; want the survey's", cl)
	}
	if !strings.HasPrefix(b.Attribution, "according to the survey;") {
		t.Errorf("answer attribution %q; want “according to the survey; …”", b.Attribution)
	}
	cm := tb.ask("claims", "survey", false)
	if cbs := cm.Bullets(); cm.Kind != KindAnswer || len(cbs) == 0 {
		t.Errorf("/claims survey: %+v", cm)
	} else if got := cbs[0].Attribution; !strings.HasPrefix(got, "according to the survey;") {
		t.Errorf("/claims attribution %q; want “according to the survey; …”", got)
	}
	s, err := tb.sourceStory(context.Background(), b.ArticleID, b.ClaimIndex, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Bullets[0].Attribution; !strings.HasPrefix(got, "speaker: the survey;") {
		t.Errorf("source attribution %q; want “speaker: the survey; …”", got)
	}
}
