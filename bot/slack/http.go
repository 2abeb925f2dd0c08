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
	CommandsPath = "/slack/commands"
	EventsPath   = "/slack/events"
)

// maxBody is the largest request body read; Slack's are a few KB.
const maxBody = 1 << 20

// runHTTP serves Slack's requests on ListenAddr until ctx is done, then
// shuts the server down, letting requests in progress finish.
func (p *Platform) runHTTP(ctx context.Context, h bot.Handler) error {
	ln, err := net.Listen("tcp", p.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("slack: cannot listen on SLACK_LISTEN_ADDR %s: %w", p.cfg.ListenAddr, err)
	}
	srv := &http.Server{
		Handler:           p.httpHandler(ctx, h),
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
	p.log.Info("slack: listening for Slack", "addr", ln.Addr().String(), "commands", CommandsPath, "events", EventsPath)
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
// Commands and mentions are answered with ctx, Run's context, not the
// request's: the request ends with the acknowledgement.
func (p *Platform) httpHandler(ctx context.Context, h bot.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(CommandsPath, func(w http.ResponseWriter, r *http.Request) {
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
		p.onCommand(ctx, h, cmd)
	})
	mux.HandleFunc(EventsPath, func(w http.ResponseWriter, r *http.Request) {
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
			p.onEvent(ctx, h, ev, retry)
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
// gets 401 and a log line without its body. Last, a request accepted before
// (the same signature: a replay of a captured request, even after a
// restart, see Config.Replay) is acknowledged and ignored. One that passes
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
		first, err := p.firstUse(r)
		if err != nil {
			p.log.Error("slack: cannot check the request against replays; refused", "path", r.URL.Path, "err", err)
			http.Error(w, "try again later", http.StatusServiceUnavailable)
			return
		}
		if !first {
			// Acknowledged, so that a true duplicate is not sent again,
			// and otherwise ignored: it was answered the first time.
			p.log.Warn("slack: ignored a signed request already accepted (a replay)", "path", r.URL.Path, "remote", r.RemoteAddr)
			w.WriteHeader(http.StatusOK)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// firstUse records the signature of a verified request and reports whether
// it is new. The signature covers the timestamp and the body, so it names
// the request; its hexadecimal is folded to lower case, as the verifier
// accepts either case. It is kept for as long as the timestamp is
// accepted.
func (p *Platform) firstUse(r *http.Request) (bool, error) {
	key := "slack:" + strings.ToLower(strings.TrimPrefix(r.Header.Get("X-Slack-Signature"), "v0="))
	ts, err := strconv.ParseInt(r.Header.Get("X-Slack-Request-Timestamp"), 10, 64)
	if err != nil { // the verifier has parsed it already
		return false, fmt.Errorf("request timestamp: %w", err)
	}
	if p.cfg.Replay == nil {
		return p.seen.first(key), nil
	}
	// Answer within Slack's 3 seconds, if only to say "try again".
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	return p.cfg.Replay.FirstUse(ctx, key, time.Unix(ts, 0).Add(replayWindow))
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
