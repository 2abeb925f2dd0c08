package slack

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
)

// Post sends m to a channel, or to a thread in it when to.Thread is set, as
// one chat.postMessage per part (see render), and returns the parts'
// timestamps. Posts to one channel are spaced by about a second (Slack's
// limit); posts to different channels proceed in parallel. A 429 is waited
// out and retried a few times. A channel the bot cannot post in gives an
// error wrapping bot.ErrChannelGone. When a later part fails, the IDs of the
// parts already posted are returned with the error.
func (p *Platform) Post(ctx context.Context, to bot.Destination, m bot.Message) ([]string, error) {
	if to.Channel == "" {
		return nil, errors.New("slack: post: no channel")
	}
	return p.postParts(ctx, to.Channel, to.Thread, render(m))
}

// postParts posts the parts in order, holding the channel's turn for all of
// them so that concurrent posts to one channel do not interleave.
func (p *Platform) postParts(ctx context.Context, channel, thread string, parts []part) ([]string, error) {
	turn, err := p.limiter.acquire(ctx, channel)
	if err != nil {
		return nil, err
	}
	defer turn.release()

	ids := make([]string, 0, len(parts))
	for _, pt := range parts {
		ts, err := p.postOne(ctx, turn, channel, thread, pt)
		if err != nil {
			return ids, err
		}
		ids = append(ids, ts)
	}
	return ids, nil
}

// postOne posts one part when the channel's turn allows, retrying on 429.
func (p *Platform) postOne(ctx context.Context, turn *channelTurn, channel, thread string, pt part) (string, error) {
	opts := []slack.MsgOption{
		slack.MsgOptionText(pt.Text, false), // already escaped
		slack.MsgOptionBlocks(pt.Blocks...),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	for attempt := 0; ; attempt++ {
		if err := turn.wait(ctx); err != nil {
			return "", err
		}
		if err := p.enter(ctx); err != nil {
			return "", err
		}
		_, ts, err := p.api.PostMessageContext(ctx, channel, opts...)
		p.leave()
		// The next post to the channel waits an interval from the answer
		// (not the request), so two never reach Slack closer than that.
		turn.delay(p.channelInterval)
		if err == nil {
			return ts, nil
		}
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) && attempt < p.maxRateRetries {
			wait := max(rl.RetryAfter, p.channelInterval)
			p.log.Warn("slack: rate limited", "channel", channel, "retry_after", wait, "attempt", attempt+1)
			turn.delay(wait)
			continue
		}
		return "", p.postError(channel, err)
	}
}

// enter and leave bound the Web API calls in flight across all channels.
func (p *Platform) enter(ctx context.Context) error {
	select {
	case p.flight <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *Platform) leave() { <-p.flight }

// goneCodes are chat.postMessage errors that no retry will fix.
var goneCodes = map[string]bool{
	"not_in_channel":    true,
	"channel_not_found": true,
	"is_archived":       true,
	"restricted_action": true, // the workspace does not let the bot post there
	"cannot_dm_bot":     true,
}

func (p *Platform) postError(channel string, err error) error {
	if code, ok := slackCode(err); ok {
		if goneCodes[code] {
			return fmt.Errorf("slack: post to %s: %s: %w", channel, code, bot.ErrChannelGone)
		}
		return fmt.Errorf("slack: post to %s: %s", channel, code)
	}
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return fmt.Errorf("slack: post to %s: still rate limited after %d retries: %w", channel, p.maxRateRetries, err)
	}
	return fmt.Errorf("slack: post to %s: %w", channel, err)
}

// limiter gives each channel its turn: one poster at a time per channel,
// and at least an interval between the answer to one post and the next. Channels do not wait
// for each other.
type limiter struct {
	mu       sync.Mutex
	channels map[string]*channelState
}

type channelState struct {
	sem   chan struct{} // held by the channel's current poster
	next  time.Time     // no post before this
	users int           // posters holding or waiting for sem
}

type channelTurn struct {
	l  *limiter
	ch string
	st *channelState
}

func newLimiter() *limiter { return &limiter{channels: map[string]*channelState{}} }

func (l *limiter) acquire(ctx context.Context, channel string) (*channelTurn, error) {
	l.mu.Lock()
	st := l.channels[channel]
	if st == nil {
		if len(l.channels) >= 4096 {
			l.pruneLocked()
		}
		st = &channelState{sem: make(chan struct{}, 1)}
		l.channels[channel] = st
	}
	st.users++
	l.mu.Unlock()

	select {
	case st.sem <- struct{}{}:
		return &channelTurn{l: l, ch: channel, st: st}, nil
	case <-ctx.Done():
		l.mu.Lock()
		st.users--
		l.mu.Unlock()
		return nil, ctx.Err()
	}
}

// pruneLocked forgets idle channels whose interval has passed.
func (l *limiter) pruneLocked() {
	now := time.Now()
	for ch, st := range l.channels {
		if st.users == 0 && now.After(st.next) {
			delete(l.channels, ch)
		}
	}
}

// wait waits for the channel's next slot.
func (t *channelTurn) wait(ctx context.Context) error {
	t.l.mu.Lock()
	next := t.st.next
	t.l.mu.Unlock()
	if d := time.Until(next); d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// delay pushes the channel's next slot to at least d from now (a 429).
func (t *channelTurn) delay(d time.Duration) {
	t.l.mu.Lock()
	if n := time.Now().Add(d); n.After(t.st.next) {
		t.st.next = n
	}
	t.l.mu.Unlock()
}

func (t *channelTurn) release() {
	t.l.mu.Lock()
	t.st.users--
	t.l.mu.Unlock()
	<-t.st.sem
}
