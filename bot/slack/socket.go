package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/briefbot/briefbot/bot"
)

// runSocketMode connects over Socket Mode (reconnecting when Slack asks to,
// or when its pings stop) and drains the client's events: every envelope is
// acknowledged at once, before its command or mention is answered in the
// background, with the context answers.
func (p *Platform) runSocketMode(ctx, answers context.Context, h *bot.Handler) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sm := socketmode.New(p.api, socketmode.OptionLog(logAdapter{p.log}))

	errc := make(chan error, 1)
	go func() { errc <- sm.RunContext(ctx) }()

	for {
		select {
		case err := <-errc:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if code, ok := slackCode(err); ok {
				return fmt.Errorf("slack: Socket Mode: SLACK_APP_TOKEN was rejected by Slack (apps.connections.open: %s); use an app-level token (xapp-...) with the connections:write scope, and enable Socket Mode for the app", code)
			}
			return fmt.Errorf("slack: Socket Mode: %w", err)
		case evt := <-sm.Events:
			switch evt.Type {
			case socketmode.EventTypeConnecting:
				p.log.Debug("slack: connecting to Socket Mode")
			case socketmode.EventTypeConnectionError:
				p.log.Warn("slack: Socket Mode connection failed; retrying", "err", evtErr(evt))
			case socketmode.EventTypeConnected:
				p.log.Info("slack: connected over Socket Mode")
			case socketmode.EventTypeHello:
				p.readyOnce.Do(func() { close(p.ready) })
			case socketmode.EventTypeInvalidAuth:
				p.log.Error("slack: Socket Mode: SLACK_APP_TOKEN rejected")
			case socketmode.EventTypeSlashCommand:
				p.ack(ctx, sm, evt.Request)
				if cmd, ok := evt.Data.(slack.SlashCommand); ok {
					p.onCommand(answers, h, cmd)
				}
			case socketmode.EventTypeEventsAPI:
				p.ack(ctx, sm, evt.Request)
				if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
					p.onEvent(answers, h, ev, evt.Request.RetryAttempt)
				}
			case socketmode.EventTypeInteractive:
				p.ack(ctx, sm, evt.Request) // the bot has no buttons; never leave Slack waiting
			case socketmode.EventTypeErrorBadMessage:
				// An envelope slack-go could not parse (an event type it
				// does not know): still acknowledge it, or Slack retries.
				if bad, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
					var req socketmode.Request
					if json.Unmarshal(bad.Message, &req) == nil && req.EnvelopeID != "" {
						p.ack(ctx, sm, &req)
					}
					p.log.Debug("slack: unreadable Socket Mode message", "err", bad.Cause)
				}
			case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
				if ctx.Err() != nil {
					continue // the connection closing at shutdown
				}
				p.log.Warn("slack: Socket Mode error", "type", evt.Type, "err", evtErr(evt))
			}
		}
	}
}

// ack acknowledges an envelope with an empty payload: small, and quick,
// since answers are posted separately.
func (p *Platform) ack(ctx context.Context, sm *socketmode.Client, req *socketmode.Request) {
	if req == nil || req.EnvelopeID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := sm.AckCtx(ctx, req.EnvelopeID, nil); err != nil {
		p.log.Warn("slack: could not acknowledge an envelope", "envelope", req.EnvelopeID, "err", err)
	}
}

func evtErr(evt socketmode.Event) error {
	switch d := evt.Data.(type) {
	case *slack.ConnectionErrorEvent:
		return d.ErrorObj
	case *slack.IncomingEventError:
		return d.ErrorObj
	case *socketmode.ErrorWriteFailed:
		return d.Cause
	case error:
		return d
	}
	return errors.New(string(evt.Type))
}
