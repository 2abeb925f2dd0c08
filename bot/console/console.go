// Package console is the terminal as a chat platform: commands and mentions
// are read from standard input, one per line, and everything the bot says
// is written to standard output. It is the default when no chat token is
// configured, and works with piped input as well as a terminal.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// Channel is the console's only channel.
const Channel = "console"

// Console reads commands from in and writes messages to out.
type Console struct {
	in  io.Reader
	out io.Writer

	mu sync.Mutex // serializes output: replies and scheduled digests interleave
	n  int        // messages written, for message IDs
}

// New makes a console on in and out.
func New(in io.Reader, out io.Writer) *Console { return &Console{in: in, out: out} }

// Name is "console".
func (c *Console) Name() string { return "console" }

// Destination is the console channel.
func Destination() bot.Destination { return bot.Destination{Platform: "console", Channel: Channel} }

// Run reads lines until the end of input or ctx is done. Each line is a
// command ("/help"), a mention ("@briefbot source 2"), or, failing that,
// treated as a mention so that questions work without the prefix.
func (c *Console) Run(ctx context.Context, h bot.Handler) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(c.in)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
		close(lines)
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				if err := <-errc; err != nil {
					return fmt.Errorf("console: read input: %w", err)
				}
				return nil // end of input
			}
			c.handle(ctx, h, line)
		}
	}
}

func (c *Console) handle(ctx context.Context, h bot.Handler, line string) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return
	}
	req := Parse(line)
	req.Received = time.Now()
	m := h.Handle(ctx, req)
	ids, _ := c.Post(ctx, Destination(), m)
	h.Sent(ctx, Destination(), ids, m)
}

// Parse turns a console line into a request. The person at the terminal
// runs the bot, so they may use every command.
func Parse(line string) bot.Request {
	req := bot.Request{Platform: "console", Channel: Channel, User: "console", UserName: "console", Admin: true}
	lower := strings.ToLower(line)
	for _, p := range []string{"@briefbot", "@bot"} {
		if strings.HasPrefix(lower, p) {
			req.Mention = true
			req.Args = strings.TrimLeft(strings.TrimSpace(line[len(p):]), ",:")
			req.Args = strings.TrimSpace(req.Args)
			return req
		}
	}
	if strings.HasPrefix(line, "/") {
		if name, args, ok := bot.ParseCommand(line); ok {
			req.Command, req.Args = name, args
			return req
		}
		word, rest, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
		req.Command, req.Args = strings.ToLower(word), strings.TrimSpace(rest)
		return req
	}
	req.Mention, req.Args = true, line
	return req
}

// Post writes a message to standard output.
func (c *Console) Post(ctx context.Context, to bot.Destination, m bot.Message) ([]string, error) {
	text := bot.PlainText(m)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	if _, err := fmt.Fprint(c.out, text+"\n"); err != nil {
		return nil, fmt.Errorf("console: write: %w", err)
	}
	return []string{fmt.Sprintf("console-%d-%d", time.Now().UnixNano(), c.n)}, nil
}
