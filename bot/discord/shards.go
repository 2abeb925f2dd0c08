package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/briefbot/briefbot/bot"
)

// defaultIdentifyInterval is Discord's least time between two identifies
// of one max_concurrency bucket.
const defaultIdentifyInterval = 5 * time.Second

// checkShards checks the shard settings: a count of at least one, or 0 for
// Discord's recommendation; shards of that count, each named once; a
// subset only with a count, so that every process splits the servers the
// same way.
func checkShards(count int, shards []int, none bool) error {
	switch {
	case count < 0:
		return fmt.Errorf("discord: DISCORD_SHARD_COUNT %d: want a number of shards (at least 1) or auto", count)
	case none && shards != nil:
		return errors.New("discord: DISCORD_SHARDS: none runs no shard, and cannot name shards too")
	case shards == nil:
		return nil
	case len(shards) == 0:
		return errors.New("discord: DISCORD_SHARDS names no shard: name some (0-3, 0,2,5), all, or none")
	case count == 0:
		return errors.New("discord: DISCORD_SHARDS names some shards, so DISCORD_SHARD_COUNT must be a number, the same for every process, not auto")
	}
	seen := map[int]bool{}
	for _, id := range shards {
		if id < 0 || id >= count {
			return fmt.Errorf("discord: DISCORD_SHARDS names shard %d, but DISCORD_SHARD_COUNT=%d numbers them 0 to %d", id, count, count-1)
		}
		if seen[id] {
			return fmt.Errorf("discord: DISCORD_SHARDS names shard %d twice", id)
		}
		seen[id] = true
	}
	return nil
}

// shardOf is the shard, of count, that gets the events of guild: Discord
// sends them to (guild_id >> 22) % shard_count, and those of direct
// messages ("") to shard 0.
func shardOf(guild string, count int) int {
	id, err := strconv.ParseUint(guild, 10, 64)
	if err != nil || count <= 1 {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// gateway is the shards a process runs while Run runs: a gateway session
// each. Its methods may be called on nil: a process without one.
type gateway struct {
	count   int // the bot's shards, here or not
	maxConc int // session_start_limit.max_concurrency: identify buckets
	shards  []*shard
}

// shard is one gateway session.
type shard struct {
	id         int
	s          *discordgo.Session
	identified atomic.Bool   // READY came: connections resume from now on
	dropped    chan struct{} // the session closed on its own
}

func (g *gateway) runs(id int) bool {
	if g == nil {
		return false
	}
	for _, sh := range g.shards {
		if sh.id == id {
			return true
		}
	}
	return false
}

func (g *gateway) String() string {
	if g == nil || len(g.shards) == 0 {
		return "none"
	}
	ids := make([]string, len(g.shards))
	for i, sh := range g.shards {
		ids[i] = strconv.Itoa(sh.id)
	}
	return strings.Join(ids, ",") + " of " + strconv.Itoa(g.count)
}

// state is the gateway's state of guild, if one of the shards here gets
// its events; nil (discordgo's State methods then answer ErrNilState)
// otherwise.
func (g *gateway) state(guild string) *discordgo.State {
	if g == nil {
		return nil
	}
	id := shardOf(guild, g.count)
	for _, sh := range g.shards {
		if sh.id == id {
			return sh.s.State
		}
	}
	return nil
}

// channel is a channel from the state of the shards here.
func (g *gateway) channel(id string) (*discordgo.Channel, error) {
	if g == nil {
		return nil, discordgo.ErrNilState
	}
	for _, sh := range g.shards {
		if c, err := sh.s.State.Channel(id); err == nil {
			return c, nil
		}
	}
	return nil, discordgo.ErrStateNotFound
}

// close closes every session, at once: discordgo's Close waits a second.
func (g *gateway) close(log *slog.Logger) {
	if g == nil {
		return
	}
	var wg sync.WaitGroup
	for _, sh := range g.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sh.s.Close(); err != nil {
				log.Warn("discord: closing the gateway", "shard", sh.id, "err", err)
			}
		}()
	}
	wg.Wait()
}

// openGateway opens the sessions of the shards this process runs
// (DISCORD_SHARDS) of the bot's (DISCORD_SHARD_COUNT, or the count Discord
// recommends), handing their events to h with the context hctx. It returns
// once all are open, or the first error.
func (p *Platform) openGateway(ctx, hctx context.Context, h *bot.Handler) (*gateway, error) {
	if p.cfg.NoGateway {
		return &gateway{}, nil
	}
	info, err := p.s.GatewayBot(discordgo.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("discord: cannot ask Discord for the gateway (GET /gateway/bot): %w", err)
	}
	g := &gateway{count: p.cfg.ShardCount, maxConc: max(info.SessionStartLimit.MaxConcurrency, 1)}
	if g.count == 0 {
		g.count = max(info.Shards, 1)
	}
	ids := p.cfg.Shards
	if ids == nil {
		for id := range g.count {
			ids = append(ids, id)
		}
	}
	if sl := info.SessionStartLimit; sl.Total > 0 && sl.Remaining < len(ids) {
		p.log.Warn("discord: Discord allows fewer session starts today than this process has shards; some may not connect until the limit resets",
			"remaining", sl.Remaining, "shards", len(ids), "resets_in", time.Duration(sl.ResetAfter)*time.Millisecond)
	}
	for _, id := range ids {
		sh, err := p.newShard(ctx, hctx, h, g, id)
		if err != nil {
			return g, err
		}
		g.shards = append(g.shards, sh)
	}
	p.gw.Store(g)
	errs := make(chan error, len(g.shards))
	for _, sh := range g.shards {
		go func() {
			if err := sh.s.Open(); err != nil {
				errs <- fmt.Errorf("discord: cannot open the gateway session of shard %d of %d: %w", sh.id, g.count, err)
				return
			}
			sh.s.State.RLock()
			if a := sh.s.State.Ready.Application; a != nil && a.ID != "" {
				p.appID.Store(a.ID)
			}
			sh.s.State.RUnlock()
			p.log.Debug("discord: shard connected", "shard", sh.id, "of", g.count)
			errs <- nil
		}()
	}
	var first error
	for range g.shards {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	if first == nil {
		first = ctx.Err()
	}
	return g, first
}

// newShard prepares the gateway session of shard id of g, whose events go
// to h with the context hctx; its identify waits for its turn until ctx is
// done.
func (p *Platform) newShard(ctx, hctx context.Context, h *bot.Handler, g *gateway, id int) (*shard, error) {
	s, err := discordgo.New(p.s.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	s.Client = p.s.Client // the global rate limit, and the base URL
	s.Identify.Intents = intents
	s.ShardID, s.ShardCount = id, g.count
	// The session reconnects under Run's control (see supervise), so that
	// a reconnection can never outlive Run.
	s.ShouldReconnectOnError = false
	s.ShouldRetryOnRateLimit = true
	s.StateEnabled = true
	sh := &shard{id: id, s: s, dropped: make(chan struct{}, 1)}
	s.Dialer = p.identifyDialer(ctx, s.Dialer, sh, g)
	s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		p.track(func() { p.onInteraction(hctx, h, ic.Interaction, p.restAck(hctx, ic.Interaction)) })
	})
	s.AddHandler(func(_ *discordgo.Session, mc *discordgo.MessageCreate) {
		p.track(func() { p.onMessage(hctx, h, mc.Message) })
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		select {
		case sh.dropped <- struct{}{}:
		default:
		}
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		p.log.Info("discord: gateway session resumed", "shard", id)
	})
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		sh.identified.Store(true)
		if r.Application != nil && r.Application.ID != "" {
			p.appID.Store(r.Application.ID)
		}
	})
	return sh, nil
}

// identifyDialer is the shard's websocket dialer: a copy of d whose
// connections wait, until the shard has identified, for the shard's turn
// to identify.
//
// Discord lets max_concurrency sessions identify at once, one per bucket
// (shard ID modulo max_concurrency), the next of a bucket 5 seconds later.
// A shard books its turn in its bucket in the limits shared with the
// bot's other processes, so that processes starting together take turns
// too, and dials the gateway when its turn comes: from there to its
// IDENTIFY there are only the connection, the TLS and websocket handshakes
// and Discord's HELLO, which take about as long for every shard. A turn is
// a tenth longer than Discord's interval, for the differences. A
// reconnection resumes its session, which takes no turn.
func (p *Platform) identifyDialer(ctx context.Context, d *websocket.Dialer, sh *shard, g *gateway) *websocket.Dialer {
	dd := *d
	dial := dd.NetDialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second}).DialContext
	}
	key := fmt.Sprintf("discord:identify:%d", sh.id%g.maxConc)
	turn := p.cfg.IdentifyInterval + p.cfg.IdentifyInterval/10
	dd.NetDialContext = func(dctx context.Context, network, addr string) (net.Conn, error) {
		if !sh.identified.Load() {
			if err := p.limits.wait(ctx, key, turn); err != nil {
				return nil, err
			}
		}
		return dial(dctx, network, addr)
	}
	return &dd
}

// supervise keeps the shard's session up until ctx is done. discordgo
// closes the session when the socket drops or heartbeats go unanswered;
// reopening it sends RESUME with the session ID and sequence, so no event is
// lost. The reconnection is done here rather than by discordgo so that it
// stops with ctx: discordgo's own loop cannot be cancelled.
func (p *Platform) supervise(ctx context.Context, g *gateway, sh *shard) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-sh.dropped:
		}
		p.log.Warn("discord: gateway connection lost, reconnecting", "shard", sh.id, "of", g.count)
		wait := 250 * time.Millisecond
		for {
			err := sh.s.Open()
			if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
				break
			}
			p.log.Warn("discord: reconnect failed", "shard", sh.id, "err", err, "retry_in", wait)
			if sleepUntil(ctx, time.Now().Add(wait)) != nil {
				return
			}
			wait = min(wait*2, 2*time.Minute)
		}
	}
}
