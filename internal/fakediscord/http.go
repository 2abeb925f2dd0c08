package fakediscord

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/internal/testutil"
)

// signingKey is the application's key pair, whose private half Discord
// signs interactions sent over HTTP with.
var signingKey = ed25519.NewKeyFromSeed(func() []byte {
	seed := sha256.Sum256([]byte("briefbot fake Discord application"))
	return seed[:]
}())

// PublicKey is the application's public key in hexadecimal: the bot's
// DISCORD_PUBLIC_KEY.
func (f *Fake) PublicKey() string { return hex.EncodeToString(signingKey.Public().(ed25519.PublicKey)) }

// Sign returns the headers Discord signs an interaction's body with, for
// the timestamp at: X-Signature-Timestamp, and X-Signature-Ed25519 the
// signature of the timestamp followed by the body.
func (f *Fake) Sign(body []byte, at time.Time) http.Header {
	return SignWith(signingKey, body, at)
}

// SignWith signs as Sign does, with another key (a forger's).
func SignWith(key ed25519.PrivateKey, body []byte, at time.Time) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	h := http.Header{}
	h.Set("X-Signature-Timestamp", ts)
	h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...))))
	return h
}

// CommandBody is the interaction /name with options by m, as Discord
// posts it to an Interactions Endpoint URL.
func (f *Fake) CommandBody(id, name string, opts []Opt, m Member) []byte {
	return mustJSON(f.interactionEvent(id, int(discordgo.InteractionApplicationCommand), commandData(name, opts), nil, m))
}

// ClickBody is a click as Click sends it, as Discord posts it to an
// Interactions Endpoint URL.
func (f *Fake) ClickBody(id, messageID, customID string, values []string, m Member) []byte {
	data, message := f.clickData(messageID, customID, values)
	return mustJSON(f.interactionEvent(id, int(discordgo.InteractionMessageComponent), data, message, m))
}

// PingBody is the PING Discord sends to check an Interactions Endpoint URL.
func (f *Fake) PingBody() []byte {
	return mustJSON(map[string]any{"id": "1", "application_id": f.opts.AppID, "type": 1, "token": "tokping", "version": 1})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// PostSigned posts body to the bot's endpoint url with the headers h (from
// Sign, or anything else) and returns the status and body of the answer.
func (f *Fake) PostSigned(url string, body []byte, h http.Header) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// HTTPRoundTrip posts the interaction /name, signed, to the bot's endpoint
// url, takes the answer to the request as the interaction's callback
// (Callback returns it), and waits 5 s for the first message of its
// answer: RoundTrip over HTTP instead of the gateway.
func (f *Fake) HTTPRoundTrip(t testing.TB, url, id, name string, opts []Opt, m Member) Exchange {
	t.Helper()
	return f.httpRoundTrip(t, url, id, "/"+name, f.CommandBody(id, name, opts, m))
}

// HTTPClickTrip posts a click as ClickBody makes it and waits for it as
// HTTPRoundTrip does.
func (f *Fake) HTTPClickTrip(t testing.TB, url, id, messageID, customID string, values []string, m Member) Exchange {
	t.Helper()
	return f.httpRoundTrip(t, url, id, "the click on "+customID, f.ClickBody(id, messageID, customID, values, m))
}

func (f *Fake) httpRoundTrip(t testing.TB, url, id, what string, body []byte) Exchange {
	t.Helper()
	sent := time.Now()
	status, resp, err := f.PostSigned(url, body, f.Sign(body, sent))
	at := time.Now()
	if err != nil || status != http.StatusOK {
		t.Fatalf("%s %s over HTTP: status %d, %s, %v", what, id, status, resp, err)
	}
	var cb struct {
		Type int `json:"type"`
		Data struct {
			Flags int `json:"flags"`
		} `json:"data"`
	}
	if err := json.Unmarshal(resp, &cb); err != nil {
		t.Fatalf("%s %s over HTTP: answered %s: %v", what, id, resp, err)
	}
	x := Exchange{Token: "tok" + id, Callback: Callback{Type: cb.Type, Flags: cb.Data.Flags, At: at, Raw: resp}, Ack: at.Sub(sent)}
	f.mu.Lock()
	if _, dup := f.callbacks[id]; dup {
		t.Errorf("%s %s: acknowledged over REST too", what, id)
	}
	f.callbacks[id], f.dispatched[id] = x.Callback, sent
	f.mu.Unlock()
	testutil.WaitFor(t, 5*time.Second, fmt.Sprintf("the answer to %s %s", what, id), func() bool { return len(f.MessagesFor(x.Token)) > 0 })
	x.Messages = f.MessagesFor(x.Token)
	return x
}
