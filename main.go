// Command briefbot is a news-briefing bot for Discord, Slack and the
// terminal: it reads articles, finds who said what, and posts short
// briefings whose every claim names its source.
//
// Usage:
//
//	briefbot [serve]                      run the bot (on the terminal when no chat token is set)
//	briefbot brief [--format text|markdown|json] [PATH...]
//	briefbot claims [--json] [PATH...]
//	briefbot stories [--json] [--window 72h] [PATH...]
//	briefbot leases                       which replica holds what, on the database
//
// Exit status: 0 on success, 1 when no article could be loaded or the bot
// fails, 2 on a usage error; brief, claims and stories stopped by a signal exit with
// 128 plus its number, 130 for SIGINT (Ctrl-C) and 143 for SIGTERM. The bot
// itself exits 0 on either signal: stopping is how it ends.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // IANA time zones on machines without them

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/internal/textutil"
)

const usage = `briefbot: news briefings with attributed claims

Usage:
  briefbot [serve]
      Run the bot: on the terminal when no chat token is set (commands on standard
      input, one per line), on Discord and Slack when their tokens are set.
  briefbot brief [--format text|markdown|json] [PATH...]
      Briefings of the articles in SEEDS_DIR, or of the given files and folders.
  briefbot claims [--json] [PATH...]
      Every claim found, attributed or not; with --json, one JSON object per line.
  briefbot stories [--json] [--window 72h] [PATH...]
      The articles grouped into stories (the same event told by several outlets),
      each with its corroborated claims, disputes and discrepancies; with --json,
      one JSON object per story and line.
  briefbot leases
      Which replica holds what on the database (DATABASE_URL or DATABASE_PATH): the
      replicas running, the feed each is polling, who syncs the seeds folder.
  briefbot help
      This text.

Configuration comes from the environment and an optional .env file; see .env.example.
`

// exitError carries an exit status up to main.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErr(format string, a ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, a...)}
}

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		if sig, ok := <-signals; ok {
			cancel(stopSignal{sig})
		}
	}()
	env := &environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, envFile: ".env"}
	// The signals stay caught until the exit: a SIGTERM that comes while
	// the bot is ending for another reason (the end of its input) must not
	// kill it with the signal's default action.
	os.Exit(run(ctx, env, os.Args[1:]))
}

// stopSignal is why the context of a command is done when a signal stopped
// it.
type stopSignal struct{ sig os.Signal }

func (s stopSignal) Error() string { return "stopped by " + signalName(s.sig) }

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// stopped is the error of a command that ctx stopped after done of total
// articles. Its exit status is 128 plus the number of the signal that
// stopped it, as a shell reports a command a signal killed: 130 for
// SIGINT, 143 for SIGTERM.
func stopped(ctx context.Context, done, total int) error {
	code, why := 1, context.Cause(ctx).Error()
	var s stopSignal
	if errors.As(context.Cause(ctx), &s) {
		if n, ok := s.sig.(syscall.Signal); ok {
			code = 128 + int(n)
		}
	}
	return &exitError{code: code, msg: fmt.Sprintf("%s after %d of %d %s", why, done, total, textutil.Plural(total, "article", "articles"))}
}

// runner runs the engine (briefing.Analyze with the options, or
// briefing.AnalyzeClaims) on one goroutine for a whole command, whose
// stack, once grown, stays grown from one article to the next.
type runner struct {
	in  chan *briefing.Article
	out chan *briefing.Analysis
}

func newRunner(engine func(*briefing.Article) *briefing.Analysis) *runner {
	r := &runner{in: make(chan *briefing.Article), out: make(chan *briefing.Analysis, 1)}
	go func() {
		for a := range r.in {
			r.out <- engine(a)
		}
	}()
	return r
}

// stop ends the runner's goroutine once it is done with its article.
func (r *runner) stop() { close(r.in) }

// analyze runs the engine on a, unless ctx is done first. The engine is
// pure and has no way to stop half-way: when ctx is done, analyze returns
// false at once and leaves the analysis to finish in the background, for
// a command that is about to exit.
func (r *runner) analyze(ctx context.Context, a *briefing.Article) (*briefing.Analysis, bool) {
	if ctx.Err() != nil {
		return nil, false
	}
	select {
	case r.in <- a:
	case <-ctx.Done():
		return nil, false
	}
	select {
	case an := <-r.out:
		return an, true
	case <-ctx.Done():
		return nil, false
	}
}

// environment is what a command may touch, so tests can run it in-process.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	envFile        string
}

// run runs one subcommand and returns the exit status.
func run(ctx context.Context, env *environment, args []string) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = cmdServe(ctx, env, args)
	case "brief":
		err = cmdBrief(ctx, env, args)
	case "claims":
		err = cmdClaims(ctx, env, args)
	case "stories":
		err = cmdStories(ctx, env, args)
	case "leases":
		err = cmdLeases(ctx, env, args)
	case "help", "-h", "--help":
		fmt.Fprint(env.stdout, usage)
	default:
		err = usageErr("unknown command %q\n\n%s", cmd, usage)
	}
	if err == nil {
		return 0
	}
	fmt.Fprintf(env.stderr, "briefbot: %v\n", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

// parseFlags parses flags that may come before or after the paths.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageErr("%s: %v\n\n%s", fs.Name(), err, usage)
		}
		args = fs.Args()
		if len(args) == 0 {
			return paths, nil
		}
		paths = append(paths, args[0])
		args = args[1:]
	}
}

// loadArticles loads the configuration, then the given paths, or SEEDS_DIR
// when there are none. Files that cannot be loaded are named on stderr and
// skipped; it fails only when nothing at all could be loaded.
func loadArticles(env *environment, paths []string) (*config.Config, []*briefing.Article, error) {
	cfg, err := loadConfig(env)
	if err != nil {
		return nil, nil, err
	}
	if len(paths) == 0 {
		paths = []string{cfg.SeedsDir}
	}
	arts, problems := briefing.LoadPaths(paths, briefing.LoadOptions{MaxBytes: cfg.MaxArticleBytes})
	for _, p := range problems {
		fmt.Fprintf(env.stderr, "briefbot: warning: skipped %v\n", p)
	}
	if len(arts) == 0 {
		return nil, nil, &exitError{code: 1, msg: fmt.Sprintf("no article could be loaded from %s", strings.Join(paths, ", "))}
	}
	return cfg, arts, nil
}

func loadConfig(env *environment) (*config.Config, error) {
	cfg, err := config.Load(env.getenv, env.envFile)
	if err != nil {
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	return cfg, nil
}

func cmdBrief(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("brief", flag.ContinueOnError)
	format := fs.String("format", "text", "text, markdown or json")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *format != "text" && *format != "markdown" && *format != "json" {
		return usageErr("brief: --format must be text, markdown or json, not %q", *format)
	}
	cfg, arts, err := loadArticles(env, paths)
	if err != nil {
		return err
	}
	opt := briefing.Options{MaxWords: cfg.BriefingMaxWords}
	r := newRunner(func(a *briefing.Article) *briefing.Analysis { return briefing.Analyze(a, opt) })
	defer r.stop()
	out := newOutput(env.stdout)
	for i, a := range arts {
		an, ok := r.analyze(ctx, a)
		if !ok {
			return out.done(stopped(ctx, i, len(arts)))
		}
		b := an.Briefing
		switch *format {
		case "json":
			l := briefJSON(b)
			out.buf = appendBriefLine(out.buf[:0], &l)
			out.w.Write(out.buf)
		case "markdown":
			if i > 0 {
				out.w.WriteByte('\n')
			}
			out.w.WriteString(briefing.Markdown(b))
		default:
			if i > 0 {
				out.w.WriteByte('\n')
			}
			out.w.WriteString(briefing.Text(b))
		}
		if out.article() != nil {
			break
		}
	}
	return out.done(nil)
}

func cmdClaims(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("claims", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "one JSON object per line")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	_, arts, err := loadArticles(env, paths)
	if err != nil {
		return err
	}
	r := newRunner(briefing.AnalyzeClaims)
	defer r.stop()
	out := newOutput(env.stdout)
	for i, a := range arts {
		an, ok := r.analyze(ctx, a)
		if !ok {
			return out.done(stopped(ctx, i, len(arts)))
		}
		for i := range an.Claims {
			c := &an.Claims[i]
			if strings.IndexByte(c.Text, '\n') >= 0 {
				// A sentence the article broke over lines reads as one
				// line, as in a briefing; Start and End still point into
				// the body.
				c.Text = textutil.OneLine(c.Text)
			}
			if *asJSON {
				out.buf = appendClaimLine(out.buf[:0], a.Name, c)
				out.w.Write(out.buf)
				continue
			}
			fmt.Fprintf(out.w, "%s\t%s\t%s\n", a.Name, c.Kind, claimSummary(an, *c))
		}
		if out.article() != nil {
			break
		}
	}
	return out.done(nil)
}

// claimSummary is claim c of the analysed article, in one line,
// attributed as the article's briefing would attribute it.
func claimSummary(an *briefing.Analysis, c briefing.Claim) string {
	text := c.Text
	if c.Verbatim {
		text = "“" + text + "”"
	}
	return fmt.Sprintf("%s (%s) [%d:%d]", text, an.AttributionOf(c), c.Start, c.End)
}

// claimLine is one line of `briefbot claims --json`: the documented contract.
type claimLine struct {
	Article string `json:"article"`
	briefing.Claim
}

// briefLine is one line of `briefbot brief --format json`.
type briefLine struct {
	Article   string            `json:"article"`
	ID        string            `json:"id"`
	Headline  string            `json:"headline"`
	Gist      string            `json:"gist"`
	Source    string            `json:"source,omitempty"`
	URL       string            `json:"url,omitempty"`
	Published string            `json:"published,omitempty"`
	Bullets   []briefing.Bullet `json:"bullets"`
}

func briefJSON(b briefing.Briefing) briefLine {
	l := briefLine{Article: b.Article, ID: b.ArticleID, Headline: b.Headline, Gist: b.Gist, Source: b.Source, URL: b.URL, Bullets: b.Bullets}
	if !b.Published.IsZero() {
		l.Published = b.Published.UTC().Format(time.RFC3339)
	}
	if l.Bullets == nil {
		l.Bullets = []briefing.Bullet{}
	}
	return l
}

// output is the standard output of brief and claims: one buffered writer
// and one JSON encoder for the whole command, flushed when it ends, and
// after an article when the last flush is older than flushEvery, so that
// a reader of slow articles sees each as it is done.
type output struct {
	w     *bufio.Writer
	enc   *json.Encoder
	err   error // the first error of the JSON encoder or of a flush
	flush time.Time
	buf   []byte // a line being made
}

const flushEvery = 50 * time.Millisecond

func newOutput(w io.Writer) *output {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &output{w: bw, enc: enc, flush: time.Now()}
}

// article ends the output of an article and returns the first error of
// writing so far.
func (o *output) article() error {
	if o.err == nil && time.Since(o.flush) >= flushEvery {
		o.err = o.w.Flush()
		o.flush = time.Now()
	}
	return o.err
}

// json writes v as one line of JSON.
func (o *output) json(v any) {
	if o.err == nil {
		o.err = o.enc.Encode(v)
	}
}

// done flushes what was written and returns err, or else the first error
// of writing.
func (o *output) done(err error) error {
	ferr := o.w.Flush()
	switch {
	case err != nil:
		return err
	case o.err != nil:
		return fmt.Errorf("write: %w", o.err)
	case ferr != nil:
		return fmt.Errorf("write: %w", ferr)
	}
	return nil
}
