package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// InteractionsPath is where the bot takes interactions over HTTP: the
// path of the Interactions Endpoint URL to give in the Developer Portal.
const InteractionsPath = "/discord/interactions"

// maxBody is the largest interaction read; Discord's are a few KB.
const maxBody = 1 << 20

// signatureWindow is how far from now the timestamp of a signed request
// may be: older, it is stale (a captured request sent again later); newer,
// a clock is wrong.
const signatureWindow = 5 * time.Minute

// ReplayGuard records keys of accepted requests (store.Store.FirstUse):
// FirstUse reports whether key is new, and keeps it until the time until.
type ReplayGuard interface {
	FirstUse(ctx context.Context, key string, until time.Time) (bool, error)
}

// memGuard is a ReplayGuard for one process.
type memGuard struct {
	mu   sync.Mutex
	keys map[string]time.Time // key -> until
}

func (g *memGuard) FirstUse(_ context.Context, key string, until time.Time) (bool, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	if u, ok := g.keys[key]; ok && u.After(now) {
		return false, nil
	}
	if len(g.keys) >= 4096 {
		for k, u := range g.keys {
			if !u.After(now) {
				delete(g.keys, k)
			}
		}
	}
	g.keys[key] = until
	return true, nil
}

// parsePublicKey reads DISCORD_PUBLIC_KEY: the application's Ed25519
// public key, in hexadecimal.
func parsePublicKey(s string) (ed25519.PublicKey, error) {
	k, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("discord: DISCORD_PUBLIC_KEY is not the application's public key (%d hexadecimal digits, from General Information in the Developer Portal)", 2*ed25519.PublicKeySize)
	}
	return k, nil
}

// serveInteractions listens on InteractionsAddr and serves interactions
// over HTTP, answering them with the context hctx, until ctx is done; it
// returns once listening, and stop shuts the server down, letting the
// requests in progress finish.
func (p *Platform) serveInteractions(hctx context.Context, h *bot.Handler) (stop func(), err error) {
	ln, err := net.Listen("tcp", p.cfg.InteractionsAddr)
	if err != nil {
		return nil, fmt.Errorf("discord: cannot listen on DISCORD_INTERACTIONS_ADDR %s: %w", p.cfg.InteractionsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle(InteractionsPath, p.interactionsHandler(hctx, h))
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(p.log.Handler(), slog.LevelDebug),
	}
	p.addr.Store(ln.Addr().String())
	p.log.Info("discord: listening for interactions", "addr", ln.Addr().String(), "path", InteractionsPath)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			p.log.Error("discord: the interactions server stopped", "err", err)
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			srv.Close()
		}
		<-done
	}, nil
}

// InteractionsAddr is where the interactions server listens, once Run has
// started it ("" before).
func (p *Platform) InteractionsAddr() string {
	a, _ := p.addr.Load().(string)
	return a
}

// interactionsHandler takes Discord's interactions over HTTP. Every
// request is checked before anything else is done with it: its Ed25519
// signature (X-Signature-Ed25519, of X-Signature-Timestamp and the body)
// with the application's public key, its timestamp (at most 5 minutes
// off), and that it was not accepted before (its signature, kept in the
// ReplayGuard until its timestamp is stale, in the database when there is
// one: a replay is refused by every process, after restarts too). A
// request that fails any of them gets 401. A PING is answered with PONG;
// a command or a click goes the way of those from the gateway
// (onInteraction), its deferral the answer to the request.
func (p *Platform) interactionsHandler(hctx context.Context, h *bot.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read the request", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if !discordgo.VerifyInteraction(r, p.publicKey) {
			reason := "signature does not match"
			if r.Header.Get("X-Signature-Ed25519") == "" || r.Header.Get("X-Signature-Timestamp") == "" {
				reason = "missing signature headers"
			}
			p.reject(w, r, reason)
			return
		}
		ts, err := strconv.ParseInt(r.Header.Get("X-Signature-Timestamp"), 10, 64)
		if err != nil {
			p.reject(w, r, "timestamp is not a number")
			return
		}
		at := time.Unix(ts, 0)
		if off := time.Since(at); off > signatureWindow || off < -signatureWindow {
			p.reject(w, r, "timestamp more than 5 minutes off")
			return
		}
		key := "discord:" + strings.ToLower(r.Header.Get("X-Signature-Ed25519"))
		p.replayMu.Lock() // one write at a time: SQLite has one writer
		first, err := p.replay.FirstUse(r.Context(), key, at.Add(signatureWindow+time.Second))
		p.replayMu.Unlock()
		switch {
		case err != nil:
			p.log.Error("discord: cannot check an interaction against replays; refused", "err", err)
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		case !first:
			p.reject(w, r, "accepted before (a replay)")
			return
		}

		var i discordgo.Interaction
		if err := json.Unmarshal(body, &i); err != nil {
			http.Error(w, "not an interaction", http.StatusBadRequest)
			return
		}
		if i.Type == discordgo.InteractionPing {
			writeResponse(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
			return
		}
		// onInteraction runs on, after the response, to answer; the
		// deferral it responds with is written here.
		deferral := make(chan *discordgo.InteractionResponse)
		written := make(chan error, 1)
		done := make(chan struct{})
		go func() {
			defer close(done)
			p.track(func() {
				p.onInteraction(hctx, h, &i, func(resp *discordgo.InteractionResponse) error {
					deferral <- resp
					return <-written
				})
			})
		}()
		select {
		case resp := <-deferral:
			written <- writeResponse(w, resp)
		case <-done: // neither a command nor a click, or shutting down
			http.Error(w, "interaction not handled", http.StatusBadRequest)
		}
	})
}

// writeResponse writes resp as the whole answer, sent at once.
func writeResponse(w http.ResponseWriter, resp *discordgo.InteractionResponse) error {
	b, err := json.Marshal(resp)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	if _, err := w.Write(b); err != nil {
		return err
	}
	return http.NewResponseController(w).Flush()
}

func (p *Platform) reject(w http.ResponseWriter, r *http.Request, reason string) {
	p.log.Warn("discord: rejected an unsigned or badly signed interaction", "remote", r.RemoteAddr, "reason", reason)
	http.Error(w, "invalid request signature", http.StatusUnauthorized)
}
