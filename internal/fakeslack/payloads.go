package fakeslack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// What Slack sends to the bot, and what the bot posts.

// Slash is a slash command as Slack sends it: Payload for a Socket Mode
// slash_commands envelope, Form for HTTP mode's POST /slack/commands.
type Slash struct {
	Channel, User, Text, ResponseURL, Trigger string
	Command                                   string // default "/briefbot"
	Team                                      string // the workspace; default TeamID
}

// Payload is the command as a Socket Mode envelope carries it.
func (s Slash) Payload() map[string]any {
	cmd := s.Command
	if cmd == "" {
		cmd = "/briefbot"
	}
	team := s.Team
	if team == "" {
		team = TeamID
	}
	return map[string]any{"token": "verif", "team_id": team, "team_domain": "fake", "channel_id": s.Channel, "channel_name": "general",
		"user_id": s.User, "user_name": strings.ToLower(s.User), "command": cmd, "text": s.Text,
		"response_url": s.ResponseURL, "trigger_id": s.Trigger, "api_app_id": "A1", "is_enterprise_install": "false"}
}

// Form is the command as an HTTP request body
// (application/x-www-form-urlencoded).
func (s Slash) Form() string {
	v := url.Values{}
	for k, x := range s.Payload() {
		v.Set(k, x.(string))
	}
	return v.Encode()
}

// MentionEvent is an app_mention event callback as Slack sends it, in an
// events_api envelope or as the body of POST /slack/events.
func MentionEvent(eventID, channel, user, text, ts, threadTS string) map[string]any {
	return MentionEventIn(TeamID, eventID, channel, user, text, ts, threadTS)
}

// MentionEventIn is MentionEvent from the workspace team.
func MentionEventIn(team, eventID, channel, user, text, ts, threadTS string) map[string]any {
	ev := map[string]any{"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	return map[string]any{"token": "verif", "team_id": team, "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": time.Now().Unix(), "event": ev}
}

// Sign signs a request as Slack does in HTTP mode:
// X-Slack-Signature v0=HMAC-SHA256(secret, "v0:ts:body").
func Sign(req *http.Request, secret, body string, at time.Time) {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// Texts returns every text field of a message: the top-level text and the
// text of every block and element. blocks is Block Kit JSON (a string, as
// chat.postMessage receives it) or already decoded.
func Texts(text string, blocks any) ([]string, error) {
	out := []string{text}
	if s, ok := blocks.(string); ok {
		var v any
		if s != "" {
			if err := json.Unmarshal([]byte(s), &v); err != nil {
				return nil, fmt.Errorf("blocks are not JSON: %v", err)
			}
		}
		blocks = v
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				if s, ok := y.(string); ok && k == "text" {
					out = append(out, s)
				} else {
					walk(y)
				}
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(blocks)
	return out, nil
}

// Content is every text of the post, one per line.
func (p Post) Content() (string, error) {
	t, err := Texts(p.Text, p.Blocks)
	return strings.Join(t, "\n"), err
}

// Content is every text of the response, one per line.
func (r Response) Content() (string, error) {
	text, _ := r.Msg["text"].(string)
	t, err := Texts(text, r.Msg["blocks"])
	return strings.Join(t, "\n"), err
}
