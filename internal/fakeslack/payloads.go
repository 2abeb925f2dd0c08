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
	"unicode/utf8"
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

// Action is a click on an element of the bot's actions block, as Slack
// sends it (an interaction of type block_actions): Payload for a Socket
// Mode interactive envelope, Form for HTTP mode's POST to the
// interactivity Request URL.
type Action struct {
	Channel, User, MessageTS, ResponseURL, Trigger string
	ActionID                                       string // the element's
	Value                                          string // a button's value
	Selected                                       string // a menu's: the value of the option chosen, instead of Value
	Type                                           string // the interaction's type; default "block_actions"
}

// Payload is the click as a Socket Mode envelope carries it.
func (a Action) Payload() map[string]any {
	act := map[string]any{"action_id": a.ActionID, "block_id": "bb1-controls", "type": "button", "value": a.Value,
		"text": map[string]any{"type": "plain_text", "text": "Button"}, "action_ts": "1700000200.000001"}
	if a.Selected != "" {
		delete(act, "value")
		act["type"] = "static_select"
		act["selected_option"] = map[string]any{"text": map[string]any{"type": "plain_text", "text": "Option"}, "value": a.Selected}
	}
	typ := a.Type
	if typ == "" {
		typ = "block_actions"
	}
	name := strings.ToLower(a.User)
	return map[string]any{"type": typ, "token": "verif", "api_app_id": "A1", "trigger_id": a.Trigger,
		"team":         map[string]any{"id": TeamID, "domain": "fake"},
		"user":         map[string]any{"id": a.User, "username": name, "name": name, "team_id": TeamID},
		"container":    map[string]any{"type": "message", "message_ts": a.MessageTS, "channel_id": a.Channel, "is_ephemeral": false},
		"channel":      map[string]any{"id": a.Channel, "name": "general"},
		"message":      map[string]any{"type": "message", "ts": a.MessageTS, "text": "a post of the bot"},
		"state":        map[string]any{"values": map[string]any{}},
		"response_url": a.ResponseURL, "actions": []any{act}}
}

// Form is the click as an HTTP request body: the payload's JSON in the
// form field "payload".
func (a Action) Form() string {
	b, _ := json.Marshal(a.Payload())
	return url.Values{"payload": {string(b)}}.Encode()
}

// Element is an interactive element of a message's actions blocks.
type Element struct {
	Type, ActionID, Value, URL, Style string
	Text                              string   // a button's text, or a menu's placeholder
	Options                           []Option // a menu's
}

// Option is an option of a menu.
type Option struct{ Text, Value string }

// Elements returns the interactive elements of a message's blocks (Block
// Kit JSON, as a string or decoded), in order.
func Elements(blocks any) ([]Element, error) {
	var raw []byte
	switch b := blocks.(type) {
	case string:
		raw = []byte(b)
	default:
		raw, _ = json.Marshal(b)
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	type text struct {
		Text string `json:"text"`
	}
	var decoded []struct {
		Type     string          `json:"type"`
		Elements json.RawMessage `json:"elements"`
	}
	if err := json.Unmarshal(raw, &decoded); err != nil {
		return nil, fmt.Errorf("blocks are not JSON: %v", err)
	}
	var out []Element
	for _, b := range decoded {
		if b.Type != "actions" {
			continue
		}
		var els []struct {
			Type, Value, URL, Style string
			ActionID                string `json:"action_id"`
			Text                    *text
			Placeholder             *text
			Options                 []struct {
				Text  text
				Value string
			}
		}
		if err := json.Unmarshal(b.Elements, &els); err != nil {
			return nil, fmt.Errorf("an actions block's elements: %v", err)
		}
		for _, e := range els {
			el := Element{Type: e.Type, ActionID: e.ActionID, Value: e.Value, URL: e.URL, Style: e.Style}
			switch {
			case e.Text != nil:
				el.Text = e.Text.Text
			case e.Placeholder != nil:
				el.Text = e.Placeholder.Text
			}
			for _, o := range e.Options {
				el.Options = append(el.Options, Option{Text: o.Text.Text, Value: o.Value})
			}
			out = append(out, el)
		}
	}
	return out, nil
}

// Elements are the interactive elements of the post.
func (p Post) Elements() ([]Element, error) { return Elements(p.Blocks) }

// Elements are the interactive elements of the response.
func (r Response) Elements() ([]Element, error) { return Elements(r.Msg["blocks"]) }

// checkBlocks checks a message's blocks against Slack's limits: at most
// 50 blocks; in an actions block, at most 25 elements, action_ids of at
// most 255 characters and unique in the message, buttons with a text of
// at most 75 characters and a value of at most 2,000 or a URL of at most
// 3,000; menus with a placeholder of at most 150 characters and 1 to 100
// options, each with a text of at most 75 characters and a value of at
// most 150. It returns what is wrong, if anything.
func checkBlocks(blocks any) []string {
	var raw []byte
	switch b := blocks.(type) {
	case string:
		raw = []byte(b)
	default:
		raw, _ = json.Marshal(b)
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var list []map[string]any
	if err := json.Unmarshal(raw, &list); err != nil {
		return []string{"blocks are not a JSON list: " + err.Error()}
	}
	var problems []string
	if len(list) > 50 {
		problems = append(problems, fmt.Sprintf("%d blocks, at most 50", len(list)))
	}
	els, err := Elements(blocks)
	if err != nil {
		return append(problems, err.Error())
	}
	n := func(s string) int { return utf8.RuneCountInString(s) }
	ids := map[string]bool{}
	for _, b := range list {
		if es, _ := b["elements"].([]any); b["type"] == "actions" && len(es) > 25 {
			problems = append(problems, fmt.Sprintf("an actions block of %d elements, at most 25", len(es)))
		}
	}
	for _, e := range els {
		switch {
		case e.ActionID == "" || n(e.ActionID) > 255 || ids[e.ActionID]:
			problems = append(problems, fmt.Sprintf("action_id %q empty, too long or repeated", e.ActionID))
		case e.Type == "button" && (e.Text == "" || n(e.Text) > 75 || n(e.Value) > 2000 || n(e.URL) > 3000):
			problems = append(problems, fmt.Sprintf("button %+v", e))
		case e.Type == "static_select" && (n(e.Text) > 150 || len(e.Options) < 1 || len(e.Options) > 100):
			problems = append(problems, fmt.Sprintf("menu %q of %d options", e.ActionID, len(e.Options)))
		case e.Type != "button" && e.Type != "static_select":
			problems = append(problems, "unexpected element "+e.Type)
		}
		ids[e.ActionID] = true
		for _, o := range e.Options {
			if o.Text == "" || n(o.Text) > 75 || o.Value == "" || n(o.Value) > 150 {
				problems = append(problems, fmt.Sprintf("menu option %+v", o))
			}
		}
	}
	return problems
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
