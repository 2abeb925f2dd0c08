package slack

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/internal/testutil/stubbot"
)

// elementsOf describes the elements of a rendered message's actions
// blocks: "button:Source 1:primary", "menu:30".
func elementsOf(t *testing.T, m bot.Message) []string {
	t.Helper()
	parts := render(m)
	var out []string
	for i, pt := range parts {
		els, err := fakeslack.Elements(pt.Blocks)
		if err != nil {
			t.Fatal(err)
		}
		if len(els) > 0 && i != len(parts)-1 {
			t.Errorf("controls on part %d of %d, want them on the last", i+1, len(parts))
		}
		for _, e := range els {
			switch e.Type {
			case "button":
				out = append(out, strings.TrimSuffix(fmt.Sprintf("button:%s:%s", e.Text, e.Style), ":"))
			default:
				out = append(out, fmt.Sprintf("menu:%d", len(e.Options)))
			}
		}
	}
	return out
}

// The controls' layout, within Slack's limits: a button per bullet when
// there are at most five, a menu otherwise; More on this; Stop these in
// red; the links; nothing with no controls. Texts are plain, escaped and
// at most 75 characters.
func TestActionsLayout(t *testing.T) {
	one := stubbot.Digest(1, 3)
	one.Kind, one.Controls.Stop = bot.KindBriefing, nil
	one.Controls.Links = append(one.Controls.Links, bot.Choice{Label: "Read", URL: "javascript:alert(1)"})
	many := stubbot.Digest(10, 3)
	many.Controls.More[0].Detail = "<!channel> & the council: " + strings.Repeat("very long headline ", 10)
	for _, c := range []struct {
		name string
		m    bot.Message
		want []string
	}{
		{"briefing", one, []string{"button:Source 1", "button:Source 2", "button:Source 3", "button:More on this:primary", "button:Read the article"}},
		{"digest", many, append([]string{"menu:30", "menu:10", "button:Stop these:danger"}, strings.Split(strings.Repeat("button:Story …,", 10), ",")[:10]...)},
		{"confirmation", bot.Message{Kind: bot.KindInfo, Text: "Sure?", Controls: &bot.Controls{Confirm: []bot.Choice{
			{Label: "Yes, stop them", ID: "bb1:stop:yes", Danger: true}, {Label: "Keep them", ID: "bb1:stop:no"}}}},
			[]string{"button:Yes, stop them:danger", "button:Keep them"}},
		{"none", bot.Message{Kind: bot.KindInfo, Text: "Hello"}, nil},
	} {
		got := elementsOf(t, c.m)
		for i := range got {
			if strings.HasPrefix(got[i], "button:Story ") {
				got[i] = "button:Story …"
			}
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s: elements\n%s\nwant\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
	els, _ := fakeslack.Elements(render(many)[0].Blocks)
	if o := els[0].Options[0]; o.Text != "1. Claim 1 of story 1 (Mayor Jane Doe)" || o.Value != "bb1:src:d:1:0000000000000001:0" {
		t.Errorf("first option %+v", o)
	}
	if o := els[1].Options[0]; !strings.HasPrefix(o.Text, "&lt;!channel&gt; &amp; the council: very long") || len([]rune(o.Text)) > 75 {
		t.Errorf("an option from a headline: %q, want it escaped and at most 75 characters", o.Text)
	}
	for _, e := range els[2:] {
		if e.Type == "button" && e.URL != "" && !strings.HasPrefix(e.ActionID, linkActionPrefix) {
			t.Errorf("link %+v: its action_id must mark it as a link", e)
		}
	}
}

// sendAction sends a click in the platform's mode and returns how long its
// acknowledgement took.
func (r *running) sendAction(t testing.TB, a fakeslack.Action) time.Duration {
	t.Helper()
	if r.base == "" {
		id := r.f.Envelope(t, "interactive", a.Payload(), 0)
		return r.f.AckLatency(t, id)
	}
	status, body, took := r.post(t, actionsPath, "application/x-www-form-urlencoded", a.Form(), nil)
	if status != http.StatusOK || body != "" {
		t.Fatalf("click: status %d body %q, want 200 and an empty body", status, body)
	}
	return took
}

// A click on a button or a menu, in either mode, is acknowledged at once,
// decoded into a request whose Click is the button's value or the chosen
// option's value and whose ReplyTo is the message clicked, and answered
// privately through the response_url, leaving the message clicked as it
// is. Clicks on links, Slack's retries and other interactions get no
// answer.
func TestClicks(t *testing.T) {
	modes(t, func(t *testing.T, socket bool) {
		f := fakeslack.New(t)
		h := &stubbot.Stub{Answer: func(r stubbot.Request) bot.Message {
			m := stubbot.Digest(1, 2)
			m.Kind, m.Header, m.Controls.Stop, m.Private = bot.KindBriefing, "You clicked "+r.Click, nil, true
			return m
		}}
		r := start(t, f, h, socket)
		clicks := []fakeslack.Action{
			{Channel: "CNEWS", User: "UUSER", MessageTS: "1700000000.000042", ResponseURL: f.ResponseURL(), Trigger: "t1",
				ActionID: "bb1:more:0000000000000001", Value: "bb1:more:0000000000000001"},
			{Channel: "CNEWS", User: "UADMIN", MessageTS: "1700000000.000042", ResponseURL: f.ResponseURL(), Trigger: "t2",
				ActionID: "menu-sources", Selected: "bb1:src:d:7:0000000000000003:1"},
		}
		for _, a := range clicks {
			if took := r.sendAction(t, a); took > 3*time.Second {
				t.Errorf("click %s acknowledged after %v", a.Trigger, took)
			}
		}
		ignored := []fakeslack.Action{
			{Channel: "CNEWS", User: "UUSER", MessageTS: "1700000000.000042", ResponseURL: f.ResponseURL(), Trigger: "t3", ActionID: "link-0"},
			clicks[0], // Slack's retry
			{Channel: "CNEWS", User: "UUSER", ResponseURL: f.ResponseURL(), Trigger: "t4", ActionID: "x", Value: "x", Type: "view_submission"},
		}
		for _, a := range ignored {
			r.sendAction(t, a)
		}
		for _, a := range clicks {
			testutil.WaitFor(t, 5*time.Second, "the answer to click "+a.Trigger, func() bool { return len(f.ResponsesTo(a.ResponseURL)) > 0 })
			res := f.ResponsesTo(a.ResponseURL)
			id := a.Value + a.Selected
			if len(res) != 1 || res[0].Msg["response_type"] != "ephemeral" || res[0].Msg["replace_original"] != false ||
				!strings.Contains(content(t, res[0]), "You clicked "+id) {
				t.Errorf("click %s answered %+v, want one private answer that leaves the message as it is", a.Trigger, res)
			}
			if els, _ := res[0].Elements(); len(els) != 4 {
				t.Errorf("click %s: the answer's controls %+v", a.Trigger, els)
			}
			want := stubbot.Request{Request: bot.Request{Platform: "slack", Channel: "CNEWS", User: a.User, UserName: strings.ToLower(a.User),
				Click: id, ReplyTo: a.MessageTS, Space: fakeslack.TeamID}, Admin: a.User == "UADMIN"}
			found := false
			for _, got := range h.Requests() { // answered in parallel, in any order
				got.Received = time.Time{}
				found = found || reflect.DeepEqual(got, want)
			}
			if !found {
				t.Errorf("click %s: requests %+v\nwant %+v", a.Trigger, h.Requests(), want)
			}
		}
		time.Sleep(100 * time.Millisecond) // the ignored clicks, were they answered
		if n := len(h.Requests()); n != len(clicks) {
			t.Errorf("%d requests, want %d: links, retries and other interactions are not answered", n, len(clicks))
		}
		for _, a := range ignored {
			if res := f.ResponsesTo(a.ResponseURL); a.Trigger != "t1" && len(res) != 0 {
				t.Errorf("click %s answered: %+v", a.Trigger, res)
			}
		}
		if n := len(f.Posts()); n != 0 {
			t.Errorf("%d messages posted in the channel for private answers", n)
		}
		if !socket {
			if status, _, _ := r.send(t, actionsPath, "application/x-www-form-urlencoded", clicks[0].Form(), func(*http.Request) {}); status != http.StatusUnauthorized {
				t.Errorf("an unsigned click: status %d, want 401", status)
			}
			if status, _, _ := r.post(t, actionsPath, "application/x-www-form-urlencoded", "payload=%7Bnot+json", nil); status != http.StatusBadRequest {
				t.Errorf("a click that is not JSON: status %d, want 400", status)
			}
		}
	})
}
