package feeds

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

func TestAddRefusesPrivateAddresses(t *testing.T) {
	e := newEnv(t, Config{})
	for raw, want := range map[string]string{
		"http://127.0.0.1/feed":             "127.0.0.1 is a loopback address",
		"https://10.20.30.40/rss":           "10.20.30.40 is a private address",
		"http://192.168.0.10:8080/atom.xml": "192.168.0.10 is a private address",
		"http://169.254.169.254/latest/":    "169.254.169.254 is a cloud metadata address",
		"http://[::1]/feed":                 "::1 is a loopback address",
		"http://[fd00::5]/feed":             "fd00::5 is a unique-local (private) address",
		"http://[fd00:ec2::254]/":           "cloud metadata",
		"http://100.64.1.1/":                "carrier-grade NAT",
		"http://0.0.0.0/":                   "unspecified",
		"http://224.0.0.1/":                 "multicast",
		"http://localhost:8080/feed":        "localhost (",
		"http://LOCALHOST./feed":            "localhost (",
		"<http://127.0.0.1/feed|feed>":      "127.0.0.1 is a loopback address",
	} {
		_, err := e.m.Add(e.ctx, raw)
		if !errors.Is(err, ErrForbiddenAddress) || !strings.Contains(err.Error(), want) {
			t.Errorf("Add(%s) = %v, want a refusal mentioning %q", raw, err, want)
		}
	}
	for raw, want := range map[string]string{
		"ftp://files.example/feed":         "only http and https addresses can be followed, not ftp:",
		"news.example/feed.xml":            "not a full address",
		"https://user:pw@news.example/rss": "user name or password",
		"":                                 "give the feed's address",
		"https:///feed":                    "has no host name",
		"file:///etc/passwd":               "only http and https",
		"http://news.example:99999/":       "invalid port",
	} {
		if _, err := e.m.Add(e.ctx, raw); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Add(%q) = %v, want an error mentioning %q", raw, err, want)
		}
	}
	if list, _ := e.m.List(e.ctx); len(list) != 0 {
		t.Errorf("refused feeds were stored: %+v", list)
	}
}

// TestDialTimeCheck stores a feed on 127.0.0.1 behind Add's back: the
// connection itself is refused, so nothing reaches the server.
func TestDialTimeCheck(t *testing.T) {
	srv := newServer(t)
	srv.serve("/feed", "application/rss+xml", rssFeed("Local", srv.URL, ""))
	e := newEnv(t, Config{})
	if _, _, err := e.st.AddFeed(e.ctx, srv.URL+"/feed", t0, t0); err != nil {
		t.Fatal(err)
	}
	st := e.poll(t)
	if st.Failed != 1 || srv.total() != 0 {
		t.Errorf("stats = %+v, server saw %d requests", st, srv.total())
	}
	if f := e.feed(t, srv.URL+"/feed"); !strings.Contains(f.LastError, "127.0.0.1 is a loopback address") {
		t.Errorf("error = %q", f.LastError)
	}
}

// exemptServer makes a test listener count as a public server, and a
// public-looking host name resolve to it.
func exemptServer(e *env, name string, srv *server) string {
	u, _ := url.Parse(srv.URL)
	ap := netip.MustParseAddrPort(u.Host)
	e.m.guard.exempt = func(got netip.AddrPort) bool { return got == ap }
	e.m.guard.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
		if host == name {
			return []netip.Addr{ap.Addr()}, nil
		}
		return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	return "http://" + net.JoinHostPort(name, u.Port())
}

func TestRedirectToPrivateAddress(t *testing.T) {
	public := newServer(t)
	private := newServer(t)
	private.serve("/secret", "application/rss+xml", rssFeed("Internal", private.URL, ""))
	private.serve("/admin", "text/html", articlePage("Internal", "Admin", "", libraryParas))
	public.mux.Handle("/feed", http.RedirectHandler(private.URL+"/secret", http.StatusFound))
	e := newEnv(t, Config{})
	base := exemptServer(e, "news.example", public)
	public.serve("/feed2", "application/rss+xml", rssFeed("Public", base, "",
		item{Title: "Internal page", Link: private.URL + "/admin", GUID: "1", Desc: "A short summary of the story."},
		item{Title: "Via a redirect", Link: base + "/jump", GUID: "2", Desc: "Another short summary."}))
	public.mux.Handle("/jump", http.RedirectHandler("http://localhost:"+strings.Split(private.URL, ":")[2]+"/admin", http.StatusMovedPermanently))

	if _, err := e.m.Add(e.ctx, base+"/feed"); err != nil {
		t.Fatalf("Add of a public-looking feed: %v", err)
	}
	if _, err := e.m.Add(e.ctx, base+"/feed2"); err != nil {
		t.Fatal(err)
	}
	st := e.poll(t)
	if private.total() != 0 {
		t.Errorf("the private server got %d requests", private.total())
	}
	if f := e.feed(t, base+"/feed"); !strings.Contains(f.LastError, "127.0.0.1 is a loopback address") {
		t.Errorf("redirected feed: %q", f.LastError)
	}
	// Items linking to private pages fall back to their own text.
	if st.New != 2 || st.Fallbacks != 2 {
		t.Errorf("stats = %+v", st)
	}
	for _, a := range e.articles(t) {
		o, _ := e.st.FeedItemByArticle(e.ctx, a.ID)
		if !strings.Contains(o.Fallback, "loopback address") {
			t.Errorf("%s: fallback = %q", a.URL, o.Fallback)
		}
	}
}

// TestDNSRebinding: the name resolves to a public address when Add checks
// it and to loopback when the poll connects; the connection is refused.
func TestDNSRebinding(t *testing.T) {
	srv := newServer(t)
	srv.serve("/feed", "application/rss+xml", rssFeed("Local", srv.URL, ""))
	e := newEnv(t, Config{})
	lookups := 0
	e.m.guard.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
		lookups++
		if lookups == 1 {
			return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
		}
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
	}
	port := strings.Split(srv.URL, ":")[2]
	if _, err := e.m.Add(e.ctx, "http://rebind.example:"+port+"/feed"); err != nil {
		t.Fatal(err)
	}
	e.poll(t)
	if srv.total() != 0 {
		t.Error("the rebound name reached the loopback server")
	}
	if f := e.feed(t, "http://rebind.example:"+port+"/feed"); !strings.Contains(f.LastError, "rebind.example (127.0.0.1) is a loopback address") {
		t.Errorf("error = %q", f.LastError)
	}
}

func TestAllowPrivate(t *testing.T) {
	srv := newServer(t)
	srv.serve("/feed", "application/rss+xml", rssFeed("Local", srv.URL, ""))
	e := newEnv(t, Config{AllowPrivate: true})
	e.add(t, srv.URL+"/feed")
	if st := e.poll(t); st.Failed != 0 || srv.count("/feed") != 1 {
		t.Errorf("stats = %+v", st)
	}
}
