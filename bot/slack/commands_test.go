package slack

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/internal/testutil/stubbot"
)

// texts returns every text field of a message: the top-level text and the
// text of every block and element.
func texts(t testing.TB, text string, blocks any) []string {
	t.Helper()
	out, err := fakeslack.Texts(text, blocks)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// content is every text of a post or a response, one per line.
func content(t testing.TB, m interface{ Content() (string, error) }) string {
	t.Helper()
	s, err := m.Content()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type commandCase struct {
	name      string
	cmd       slash
	command   string // the bot command the request must carry
	args      string
	admin     bool
	ephemeral bool   // the answer goes to the response_url, ephemeral
	want      string // in the answer
}

func commandCases() []commandCase {
	return []commandCase{
		{name: "briefing", cmd: slash{User: "UUSER", Text: "briefing Gaza ceasefire"}, command: "briefing", args: "Gaza ceasefire", want: "Briefing: Gaza ceasefire"},
		{name: "briefing-no-topic", cmd: slash{User: "UUSER", Text: "Briefing"}, command: "briefing", want: "Riverside bridge to close"},
		{name: "ask", cmd: slash{User: "UUSER", Text: "ask what did the mayor say?"}, command: "ask", args: "what did the mayor say?", want: "Answer to: what did the mayor say?"},
		{name: "source", cmd: slash{User: "UUSER", Text: "source 2"}, command: "source", args: "2", want: ">Traffic will be diverted, the city said."},
		{name: "story", cmd: slash{User: "UUSER", Text: "story Harbor Bridge"}, command: "story", args: "Harbor Bridge", want: "Outlets differ on the cost: $2 million (Valley Courier); $3 million (Northwire)."},
		{name: "claims", cmd: slash{User: "UUSER", Text: "claims Ana Ruiz"}, command: "claims", args: "Ana Ruiz", want: "*1.* “We will rebuild” (Ana Ruiz)"},
		{name: "subscribe", cmd: slash{User: "UADMIN", Text: "subscribe 0 8 * * * Europe/Paris"}, command: "subscribe", args: "0 8 * * * Europe/Paris", admin: true, want: "Subscribed: 0 8 * * * Europe/Paris"},
		{name: "subscribe-not-admin", cmd: slash{User: "UUSER", Text: "subscribe @daily"}, command: "subscribe", args: "@daily", ephemeral: true, want: "Sorry, /briefbot subscribe changes this channel"},
		{name: "unsubscribe", cmd: slash{User: "UADMIN", Text: "unsubscribe"}, command: "unsubscribe", admin: true, want: "Unsubscribed."},
		{name: "schedule", cmd: slash{User: "UUSER", Text: "schedule"}, command: "schedule", want: "Subscribe with /briefbot subscribe &lt;schedule&gt; [time zone]."},
		{name: "feeds", cmd: slash{User: "UUSER", Text: "feeds list"}, command: "feeds", args: "list", want: "I follow 1 feed: &lt;list&gt;"},
		// Adding and removing a feed take a workspace admin, as /subscribe does.
		{name: "feeds-add-admin", cmd: slash{User: "UADMIN", Text: "feeds add https://news.example.org/rss"}, command: "feeds", args: "add https://news.example.org/rss", admin: true, want: "I follow 1 feed"},
		{name: "feeds-remove-admin", cmd: slash{User: "UADMIN", Text: "feeds remove https://news.example.org/rss"}, command: "feeds", args: "remove https://news.example.org/rss", admin: true, want: "I follow 1 feed"},
		{name: "feeds-add-not-admin", cmd: slash{User: "UUSER", Text: "feeds add https://news.example.org/rss"}, command: "feeds", args: "add https://news.example.org/rss", ephemeral: true, want: "Sorry, /briefbot feeds add needs a workspace admin"},
		{name: "help", cmd: slash{User: "UUSER", Text: "help"}, command: "help", want: "/briefbot briefing [topic]"},
		{name: "empty-is-help", cmd: slash{User: "UUSER", Text: "  "}, command: "help", want: "/briefbot help"},
		{name: "command-per-bot-command", cmd: slash{User: "UUSER", Command: "/briefing", Text: "Gaza"}, command: "briefing", args: "Gaza", want: "Briefing: Gaza"},
		{name: "escaped-text", cmd: slash{User: "UUSER", Text: "briefing AT&amp;T &lt;merger&gt;"}, command: "briefing", args: "AT&T <merger>", want: "Briefing: AT&amp;T &lt;merger&gt;"},
		{name: "unknown", cmd: slash{User: "UUSER", Text: "frobnicate now"}, command: "frobnicate", args: "now", ephemeral: true, want: `I don't know the command "frobnicate". Type /briefbot help`},
		{name: "handler-panics", cmd: slash{User: "UUSER", Text: "boom"}, command: "boom", ephemeral: true, want: "Something went wrong on my side"},
	}
}

func TestCommandCasesCoverEveryBotCommand(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range commandCases() {
		covered[c.command] = true
	}
	for _, c := range bot.Commands() {
		if !covered[c.Name] {
			t.Errorf("no test case for the bot command %q", c.Name)
		}
	}
}

func TestCommandsSocketMode(t *testing.T) { testCommands(t, true) }

func TestCommandsHTTPMode(t *testing.T) { testCommands(t, false) }

// testCommands runs every bot command through Slack: acknowledged within 3
// seconds, then answered in the channel (with the message IDs reported to
// the bot) or, privately, through the response_url.
func testCommands(t *testing.T, socket bool) {
	f := fakeslack.New(t)
	h := newStub(20 * time.Millisecond)
	r := start(t, f, h, socket)

	var slowest time.Duration
	for i, c := range commandCases() {
		t.Run(c.name, func(t *testing.T) {
			c.cmd.Channel = fmt.Sprintf("C%03d", i)
			c.cmd.ResponseURL = f.ResponseURL()
			c.cmd.Trigger = fmt.Sprintf("trigger-%v-%d", socket, i)
			ack := r.sendCommand(t, c.cmd)
			if ack >= 3*time.Second {
				t.Errorf("acknowledged after %v; Slack gives up after 3 s", ack)
			}
			slowest = max(slowest, ack)

			var req stubbot.Request
			testutil.WaitFor(t, 5*time.Second, "the request", func() bool {
				for _, q := range h.Requests() {
					if q.Channel == c.cmd.Channel {
						req = q
						return true
					}
				}
				return false
			})
			if req.Platform != "slack" || req.Command != c.command || req.Args != c.args || req.Admin != c.admin ||
				req.User != c.cmd.User || req.Mention || req.Received.IsZero() || req.Space != fakeslack.TeamID || req.DM {
				t.Errorf("request = %+v, want command %q args %q admin %v", req, c.command, c.args, c.admin)
			}

			if c.ephemeral {
				testutil.WaitFor(t, 5*time.Second, "the response_url answer", func() bool { return len(f.ResponsesTo(c.cmd.ResponseURL)) > 0 })
				res := f.ResponsesTo(c.cmd.ResponseURL)[0]
				if res.Msg["response_type"] != "ephemeral" {
					t.Errorf("response_type = %v, want ephemeral", res.Msg["response_type"])
				}
				if got := content(t, res); !strings.Contains(got, c.want) {
					t.Errorf("answer %q does not contain %q", got, c.want)
				}
				if n := len(f.PostsTo(c.cmd.Channel)); n != 0 {
					t.Errorf("%d messages posted in the channel, want none", n)
				}
				return
			}
			testutil.WaitFor(t, 5*time.Second, "the answer", func() bool { return len(f.PostsTo(c.cmd.Channel)) > 0 })
			post := f.PostsTo(c.cmd.Channel)[0]
			if got := content(t, post); !strings.Contains(got, c.want) {
				t.Errorf("answer %q does not contain %q", got, c.want)
			}
			if post.Unfurl != "false" {
				t.Errorf("unfurl_links = %q, want false", post.Unfurl)
			}
			testutil.WaitFor(t, 5*time.Second, "Sent", func() bool {
				for _, s := range h.Posts() {
					if s.To.Channel == c.cmd.Channel {
						if s.To.Platform != "slack" || len(s.IDs) != 1 || s.IDs[0] != post.TS || s.To.Thread != "" {
							t.Errorf("Sent(%+v, %v), want the post's ts %s", s.To, s.IDs, post.TS)
						}
						return true
					}
				}
				return false
			})
			if n := len(f.ResponsesTo(c.cmd.ResponseURL)); n != 0 {
				t.Errorf("%d response_url posts, want none", n)
			}
		})
	}
	t.Logf("slowest acknowledgement: %v", slowest)
}

// A command in a channel the bot is not in is answered through the
// response_url, for everyone to see.
func TestCommandOutsideChannelUsesResponseURL(t *testing.T) {
	for _, socket := range []bool{true, false} {
		t.Run(map[bool]string{true: "socket", false: "http"}[socket], func(t *testing.T) {
			f := fakeslack.New(t)
			f.FailPosts("D1", "not_in_channel")
			h := newStub(0)
			r := start(t, f, h, socket)
			cmd := slash{Channel: "D1", User: "UADMIN", Text: "subscribe @daily", ResponseURL: f.ResponseURL(), Trigger: "t1"}
			r.sendCommand(t, cmd)
			testutil.WaitFor(t, 5*time.Second, "the response_url answer", func() bool { return len(f.ResponsesTo(cmd.ResponseURL)) >= 2 })
			res := f.ResponsesTo(cmd.ResponseURL)
			if res[0].Msg["response_type"] != "in_channel" || !strings.Contains(content(t, res[0]), "Subscribed: @daily") {
				t.Errorf("answer = %v %q", res[0].Msg["response_type"], content(t, res[0]))
			}
			if !strings.Contains(content(t, res[1]), "Invite me to this channel") {
				t.Errorf("no invitation hint: %q", content(t, res[1]))
			}
			if n := len(h.Posts()); n != 0 {
				t.Errorf("Sent called %d times for messages without IDs", n)
			}
		})
	}
}

// A command in a direct message with the bot (a D channel) says so, so
// that the bot refuses changes to what others see from there; the user's
// rights are looked up as anywhere else.
func TestDirectMessageCommand(t *testing.T) {
	modes(t, func(t *testing.T, socket bool) {
		f := fakeslack.New(t)
		h := newStub(0)
		r := start(t, f, h, socket)
		r.sendCommand(t, slash{Channel: "D42", User: "UADMIN", Text: "feeds remove https://news.example.org/rss", ResponseURL: f.ResponseURL(), Trigger: "t-dm"})
		r.sendCommand(t, slash{Channel: "D43", User: "UUSER", Text: "feeds remove https://news.example.org/rss", ResponseURL: f.ResponseURL(), Trigger: "t-dm2"})
		testutil.WaitFor(t, 5*time.Second, "the requests", func() bool { return len(h.Requests()) == 2 })
		// A Slack DM is in its workspace: a workspace admin manages its
		// feeds from there as from any channel, and nobody else does.
		for _, req := range h.Requests() {
			admin := req.User == "UADMIN"
			if !req.DM || req.Admin != admin || req.Space != fakeslack.TeamID {
				t.Errorf("request %+v, want a DM in the workspace, admin %v", req, admin)
			}
			if bot.Refuses(req.Request, req.Admin) == admin {
				t.Errorf("the bot would refuse %+v: %v, want %v", req, !admin, admin)
			}
		}
	})
}
