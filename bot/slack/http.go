package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/briefbot/briefbot/bot"
)

// HTTP mode's endpoints: the Request URL of the slash command, and of the
// Events API subscription.
const (
	commandsPath = "/slack/commands"
	eventsPath   = "/slack/events"
)

// maxBody is the largest request body read; Slack's are a few KB.
const maxBody = 1 << 20

// runHTTP serves Slack's requests on ListenAddr until ctx is done, then
// shuts the server down, letting requests in progress finish. Commands and
// mentions are answered with the context answers.
func (p *Platform) runHTTP(ctx, answers context.Context, h *bot.Handler) error {
	ln, err := net.Listen("tcp", p.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("slack: cannot listen on SLACK_LISTEN_ADDR %s: %w", p.cfg.ListenAddr, err)
	}
	srv := &http.Server{
		Handler:           p.httpHandler(answers, h),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(p.log.Handler(), slog.LevelDebug),
	}
	p.mu.Lock()
	p.addr = ln.Addr()
	p.mu.Unlock()
	p.log.Info("slack: listening for Slack", "addr", ln.Addr().String(), "commands", commandsPath, "events", eventsPath)
	p.readyOnce.Do(func() { close(p.ready) })

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			p.log.Warn("slack: HTTP shutdown", "err", err)
			srv.Close()
		}
		<-errc
		return ctx.Err()
	case err := <-errc:
		return fmt.Errorf("slack: HTTP server on %s: %w", p.cfg.ListenAddr, err)
	}
}

// httpHandler routes Slack's requests, each of which is first verified.
// Commands and mentions are answered with ctx, the platform's context for
// answers, not the request's: the request ends with the acknowledgement.
func (p *Platform) httpHandler(ctx context.Context, h *bot.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(commandsPath, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		cmd, err := slack.SlashCommandParse(r)
		if err == nil && r.PostForm.Get("ssl_check") == "1" {
			w.WriteHeader(http.StatusOK) // Slack checking the certificate
			return
		}
		if err != nil || cmd.ChannelID == "" {
			http.Error(w, "not a slash command", http.StatusBadRequest)
			return
		}
		// Acknowledge now, with an empty body (Slack shows nothing); the
		// answer follows through chat.postMessage or the response_url.
		w.WriteHeader(http.StatusOK)
		p.onCommand(carrySigned(ctx, r), h, cmd)
	})
	mux.HandleFunc(eventsPath, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, _ := io.ReadAll(r.Body) // already read and limited by verify
		var outer struct {
			Type      string `json:"type"`
			Challenge string `json:"challenge"`
		}
		if err := json.Unmarshal(body, &outer); err != nil {
			http.Error(w, "not an Events API request", http.StatusBadRequest)
			return
		}
		switch outer.Type {
		case slackevents.URLVerification:
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]string{"challenge": outer.Challenge})
		case slackevents.CallbackEvent:
			retry, _ := strconv.Atoi(r.Header.Get("X-Slack-Retry-Num"))
			ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
			w.WriteHeader(http.StatusOK) // retries too: at once, and answered at most once
			if err != nil {
				p.log.Debug("slack: event not handled", "err", err)
				return
			}
			p.onEvent(carrySigned(ctx, r), h, ev, retry)
		case slackevents.AppRateLimited:
			p.log.Warn("slack: Slack is rate-limiting the events sent to the bot")
			w.WriteHeader(http.StatusOK)
		default:
			w.WriteHeader(http.StatusOK)
		}
	})
	return p.verify(mux)
}

// replayWindow is how long Slack's signature of a request is accepted
// after (and before) its timestamp: slack-go refuses a timestamp more than
// 5 minutes off. A second more covers the rounding of timestamps to the
// second.
const replayWindow = 5*time.Minute + time.Second

// verify checks every request before anything else: the signature headers
// and timestamp (at most 5 minutes off), then, reading at most maxBody
// bytes, the HMAC of the body with the signing secret. A request that fails
// gets 401 and a log line without its body. Last, a request this process
// accepted before (the same signature: a replay of a captured request) is
// acknowledged and ignored; the database is asked the same after the
// acknowledgement (firstUse), for replays after a restart. One that passes
// continues with its body restored.
func (p *Platform) verify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sv, err := slack.NewSecretsVerifier(r.Header, p.cfg.SigningSecret)
		if err != nil {
			p.reject(w, r, err)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				p.log.Warn("slack: rejected a request larger than the limit", "path", r.URL.Path, "remote", r.RemoteAddr, "limit", maxBody)
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read the request", http.StatusBadRequest)
			return
		}
		_, _ = sv.Write(body) // an HMAC never fails to write
		if err := sv.Ensure(); err != nil {
			p.reject(w, r, err)
			return
		}
		sig, err := signatureOf(r)
		if err != nil {
			p.reject(w, r, err)
			return
		}
		if !p.first(sig.key) {
			p.logReplay(r.URL.Path)
			w.WriteHeader(http.StatusOK) // acknowledged, so that a true duplicate is not sent again
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), signedKey{}, sig))
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// signed is a verified request's signature: the key it is remembered by,
// until when. The signature covers the timestamp and the body, so it names
// the request; its hexadecimal is folded to lower case, as the verifier
// accepts either case. It is kept for as long as the timestamp is
// accepted.
type signed struct {
	key   string
	until time.Time
}

type signedKey struct{}

func signatureOf(r *http.Request) (signed, error) {
	ts, err := strconv.ParseInt(r.Header.Get("X-Slack-Request-Timestamp"), 10, 64)
	if err != nil { // the verifier has parsed it already
		return signed{}, fmt.Errorf("request timestamp: %w", err)
	}
	key := "slack:" + strings.ToLower(strings.TrimPrefix(r.Header.Get("X-Slack-Signature"), "v0="))
	return signed{key: key, until: time.Unix(ts, 0).Add(replayWindow)}, nil
}

// carrySigned passes the signature of the request r on in ctx, for
// firstUse.
func carrySigned(ctx context.Context, r *http.Request) context.Context {
	if sig, ok := r.Context().Value(signedKey{}).(signed); ok {
		return context.WithValue(ctx, signedKey{}, sig)
	}
	return ctx
}

// firstUse checks in the database (Config.Replay) that the signed request
// being answered was not accepted before: by another process, or before a
// restart (this process's memory was asked before it was acknowledged). It
// runs after the acknowledgement, so that a busy database never delays it
// past Slack's 3 seconds. A replay is dropped; when the database cannot
// tell, the request is refused with a message saying to try again.
func (p *Platform) firstUse(ctx context.Context, to reply) bool {
	sig, ok := ctx.Value(signedKey{}).(signed)
	if !ok || p.cfg.Replay == nil {
		return true // Socket Mode, or no database
	}
	// One write at a time: SQLite has one writer, and requests competing
	// for it would wait in its busy handler's sleeps instead.
	p.replayMu.Lock()
	first, err := p.cfg.Replay.FirstUse(ctx, sig.key, sig.until)
	p.replayMu.Unlock()
	switch {
	case err != nil:
		p.log.Error("slack: cannot check the request against replays; refused", "command", to.req.Command, "mention", to.req.Mention, "err", err)
		refusal := bot.Message{Kind: bot.KindError, Private: true, Text: "Sorry, I could not take that request just now. Please try again."}
		if _, _, err := to.Reply(ctx, refusal); err != nil {
			p.log.Error("slack: could not post the refusal", "channel", to.channel, "err", err)
		}
		return false
	case !first:
		p.logReplay(to.req.Command)
		return false
	}
	return true
}

func (p *Platform) logReplay(what string) {
	p.log.Warn("slack: ignored a signed request already accepted (a replay)", "request", what)
}

func (p *Platform) reject(w http.ResponseWriter, r *http.Request, err error) {
	reason := "malformed signature headers"
	switch {
	case errors.Is(err, slack.ErrMissingHeaders):
		reason = "missing signature headers"
	case errors.Is(err, slack.ErrExpiredTimestamp):
		reason = "timestamp more than 5 minutes off"
	case errors.Is(err, slack.ErrInvalidSignature):
		reason = "signature does not match"
	}
	p.log.Warn("slack: rejected an unsigned or badly signed request", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", reason)
	http.Error(w, "invalid request signature", http.StatusUnauthorized)
}
