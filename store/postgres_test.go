package store

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/briefbot/briefbot/internal/pgtest"
	"github.com/briefbot/briefbot/internal/testutil"
)

// A DATABASE_URL that does not parse, a server that cannot be reached, a
// database that does not exist and a refused password all stop the start
// with an error that names DATABASE_URL and does not show the password.
func TestPostgresURLErrors(t *testing.T) {
	const pw = "s3cret-Passw0rd"
	closed := func() string { // an address nothing listens on
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return addr
	}
	cases := map[string]string{
		"does not parse":   "postgres://bot:" + pw + "@127.0.0.1:notaport/briefbot",
		"nobody listening": "postgres://bot:" + pw + "@" + closed() + "/briefbot?sslmode=disable&connect_timeout=2",
		"wrong password":   "postgres://bot:" + pw + "@" + refusingServer(t) + "/briefbot?sslmode=disable&connect_timeout=2",
	}
	if ok, _ := pgtest.Available(); ok {
		u, _ := url.Parse(pgtest.URL(t))
		u.User = url.UserPassword(u.User.Username(), pw)
		u.Path = "/no_such_database_for_briefbot"
		cases["no such database"] = u.String()
	}
	for name, dbURL := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := OpenPostgres(context.Background(), dbURL, nil)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.Contains(msg, "DATABASE_URL") || strings.Contains(msg, pw) {
				t.Errorf("error %q: want DATABASE_URL named and the password hidden", msg)
			}
			if name == "wrong password" && !strings.Contains(msg, "password authentication failed") {
				t.Errorf("error %q does not say the password was refused", msg)
			}
		})
	}
}

// refusingServer starts a server that speaks PostgreSQL's protocol far
// enough to ask for a password and refuse it, as a server does, and
// returns its address.
func refusingServer(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				be := pgproto3.NewBackend(c, c)
				if _, err := be.ReceiveStartupMessage(); err != nil {
					return
				}
				be.Send(&pgproto3.AuthenticationCleartextPassword{})
				if be.Flush() != nil {
					return
				}
				be.SetAuthType(pgproto3.AuthTypeCleartextPassword)
				if _, err := be.Receive(); err != nil {
					return
				}
				be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28P01", Message: `password authentication failed for user "bot"`})
				_ = be.Flush()
			}()
		}
	}()
	return l.Addr().String()
}

// proxy forwards TCP connections to a server until it is cut: then it
// drops every connection and refuses new ones, until it is restored.
type proxy struct {
	l      net.Listener
	target string
	down   atomic.Bool
	mu     sync.Mutex
	conns  map[net.Conn]bool
}

func startProxy(t *testing.T, target string) *proxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{l: l, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { l.Close(); p.cut() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if p.down.Load() {
				c.Close()
				continue
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[s] = true, true
			p.mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) cut() {
	p.down.Store(true)
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *proxy) restore() { p.down.Store(false) }

// A connection to PostgreSQL lost mid-run (the server restarting, the
// network cut) is retried with backoff, said in the log once when it is
// lost and once when it is back, and the operations that waited for it
// succeed: nothing fails, nothing crashes. An outage longer than the
// retries gives an error, not a crash.
func TestPostgresConnectionLost(t *testing.T) {
	pgtest.Skip(t)
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, u.Host)
	u.Host = p.l.Addr().String()
	log, logs := testutil.Logger(t)
	ctx := context.Background()
	s, err := OpenPostgres(ctx, u.String(), log)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetState(ctx, "k", "before"); err != nil {
		t.Fatal(err)
	}

	p.cut()
	restored := time.AfterFunc(1500*time.Millisecond, p.restore)
	defer restored.Stop()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	wg.Go(func() { errs <- s.SetState(ctx, "k", "during") })
	wg.Go(func() {
		_, err := s.PutArticle(ctx, "seeds/q.txt", qatar(""), t0)
		errs <- err
	})
	wg.Go(func() {
		_, err := s.ReserveSlot(ctx, "chat", "C1", t0, "r1", t0)
		errs <- err
	})
	wg.Go(func() {
		_, err := s.Subscriptions(ctx)
		errs <- err
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("during the outage: %v", err)
		}
	}
	if took := time.Since(start); took < time.Second {
		t.Errorf("the operations took %v: the outage was not seen", took)
	}
	if v, err := s.GetState(ctx, "k"); v != "during" || err != nil {
		t.Errorf("after the outage: %q, %v", v, err)
	}
	if ok, err := s.ReserveSlot(ctx, "chat", "C1", t0, "r1", t0); ok || err != nil {
		t.Errorf("the slot reserved during the outage: reserve again = %v, %v; want false", ok, err)
	}
	if n := logs.Count("store: the database connection was lost; retrying with backoff"); n != 1 {
		t.Errorf("%d lines saying the connection was lost, want 1:\n%s", n, logs)
	}
	if n := logs.Count("store: the database connection is back"); n != 1 {
		t.Errorf("%d lines saying the connection is back, want 1:\n%s", n, logs)
	}

	// Down for longer than the retries: an error, said as such.
	s.db.retryFor = 500 * time.Millisecond
	p.cut()
	defer p.restore()
	err = s.SetState(ctx, "k", "lost")
	if err == nil || !connectionLost(errors.Unwrap(err)) {
		t.Errorf("a long outage: %v, want the connection's error", err)
	}
}
