// Package console is the terminal as a chat platform: a [Console], made by
// [New], reads commands and mentions from standard input, one per line,
// and writes everything the bot says to standard output. It is the default
// when no chat token is configured, and works with piped input as well as
// a terminal.
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

// maxLine is the longest line read, in bytes; a longer one is answered
// "line too long" and skipped.
const maxLine = 1 << 20

// line is a line of input, or the news that one was too long.
type line struct {
	text    string
	tooLong bool
}

// Run reads lines until the end of input or ctx is done. Each line is a
// command ("/help"), a mention ("@briefbot source 2"), or, failing that,
// treated as a mention so that questions work without the prefix. A line
// longer than maxLine is answered "line too long" and reading goes on.
func (c *Console) Run(ctx context.Context, h *bot.Handler) error {
	lines := make(chan line)
	errc := make(chan error, 1)
	go func() {
		errc <- readLines(c.in, func(l line) bool {
			select {
			case lines <- l:
				return true
			case <-ctx.Done():
				return false
			}
		})
		close(lines)
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case l, ok := <-lines:
			if !ok {
				if err := <-errc; err != nil {
					return fmt.Errorf("console: read input: %w", err)
				}
				return nil // end of input
			}
			if l.tooLong {
				c.Post(ctx, Destination(), bot.Message{Kind: bot.KindError,
					Text: fmt.Sprintf("That line is too long (over %d bytes); I skipped it. Commands and questions fit on a much shorter line.", maxLine)})
				continue
			}
			c.handle(ctx, h, l.text)
		}
	}
}

// readLines reads r line by line, passing each line, without its end of
// line, to yield until it returns false. A line longer than maxLine is
// passed as tooLong, and read past without being kept.
func readLines(r io.Reader, yield func(line) bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			buf = append(buf, chunk...)
			if len(buf) > maxLine+len("\r\n") {
				tooLong, buf = true, buf[:0]
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if len(buf) > 0 || tooLong {
			text := strings.TrimSuffix(strings.TrimSuffix(string(buf), "\n"), "\r")
			if !yield(line{text: text, tooLong: tooLong || len(text) > maxLine}) {
				return nil
			}
		}
		buf, tooLong = buf[:0], false
		switch {
		case err == io.EOF:
			return nil
		case err != nil:
			return err
		}
	}
}

func (c *Console) handle(ctx context.Context, h *bot.Handler, line string) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return
	}
	req := parse(line)
	req.Received = time.Now()
	h.Serve(ctx, req, replier{c})
}

// replier writes the answers to the console's requests.
type replier struct{ c *Console }

func (r replier) Reply(ctx context.Context, m bot.Message) (bot.Destination, []string, error) {
	ids, err := r.c.Post(ctx, Destination(), m)
	return Destination(), ids, err
}

// operator is the person at the terminal: they run the bot, so they may
// use every command.
var operator = bot.CallerFunc(func(context.Context) (bool, error) { return true, nil })

// parse turns a console line into a request.
func parse(line string) bot.Request {
	req := bot.Request{Platform: "console", Channel: Channel, User: "console", UserName: "console", Caller: operator}
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
