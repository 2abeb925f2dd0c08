package feeds

import (
	"net/http"
	"net/netip"
	"net/url"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

func TestAddrReason(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1":         "loopback",
		"127.8.9.10":        "loopback",
		"::1":               "loopback",
		"::ffff:127.0.0.1":  "loopback",
		"10.1.2.3":          "private",
		"172.16.0.1":        "private",
		"192.168.1.20":      "private",
		"fd00::1":           "unique-local (private)",
		"fd00:ec2::254":     "cloud metadata",
		"169.254.169.254":   "cloud metadata",
		"169.254.1.1":       "link-local",
		"fe80::1":           "link-local",
		"100.64.0.1":        "carrier-grade NAT (shared)",
		"224.0.0.251":       "multicast",
		"ff02::1":           "multicast",
		"ff0e::1":           "multicast",
		"0.0.0.0":           "unspecified",
		"::":                "unspecified",
		"0.1.2.3":           "unspecified",
		"255.255.255.255":   "reserved",
		"192.0.2.10":        "reserved (documentation)",
		"64:ff9b::a00:1":    "private", // NAT64 of 10.0.0.1
		"::7f00:1":          "reserved",
		"93.184.216.34":     "",
		"8.8.8.8":           "",
		"2606:4700::1111":   "",
		"::ffff:93.184.1.1": "",
	} {
		if got := addrReason(netip.MustParseAddr(addr)); got != want {
			t.Errorf("addrReason(%s) = %q, want %q", addr, got, want)
		}
	}
}

func TestCanonicalURL(t *testing.T) {
	for in, want := range map[string]string{
		"HTTPS://News.Example.COM:443/a/b?utm_source=rss&id=7&UTM_Medium=x#frag": "https://news.example.com/a/b?id=7",
		"http://news.example:80":                                          "http://news.example/",
		"http://news.example:8080/x?":                                     "http://news.example:8080/x",
		"https://news.example/story?fbclid=abc&gclid=1&mc_cid=2&mc_eid=3": "https://news.example/story",
		"https://news.example/a/./b/../c?b=2&a=1":                         "https://news.example/a/c?b=2&a=1",
		"https://news.example./x":                                         "https://news.example/x",
		"https://[2001:DB8::1]:443/x":                                     "https://[2001:db8::1]/x",
		"https://news.example/search?q=a+b&utm_campaign=z&page=2":         "https://news.example/search?q=a+b&page=2",
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := canonicalURL(u).String(); got != want {
			t.Errorf("canonicalURL(%s) = %s, want %s", in, got, want)
		}
	}
	if !sameSite("amp.news.example.co.uk", "www.news.example.co.uk") || sameSite("a.co.uk", "b.co.uk") {
		t.Error("sameSite")
	}
}

func TestHints(t *testing.T) {
	h := http.Header{}
	h.Set("Retry-After", "120")
	if d := retryAfter(h, t0); d != 2*time.Minute {
		t.Errorf("Retry-After seconds = %v", d)
	}
	h.Set("Retry-After", t0.Add(90*time.Minute).Format(http.TimeFormat))
	if d := retryAfter(h, t0); d != 90*time.Minute {
		t.Errorf("Retry-After date = %v", d)
	}
	h.Set("Retry-After", "99999999")
	if d := retryAfter(h, t0); d != maxHint {
		t.Errorf("Retry-After capped = %v", d)
	}
	h = http.Header{}
	h.Add("Cache-Control", "public, s-maxage=10, max-age=300")
	if d := maxAge(h); d != 5*time.Minute {
		t.Errorf("max-age = %v", d)
	}
}

// TestAddrReasonTunnels: IPv6 addresses that carry an IPv4 address (6to4,
// Teredo, NAT64, SIIT) are refused when the address they carry is not
// public, so a private IPv4 address cannot be reached through them.
func TestAddrReasonTunnels(t *testing.T) {
	for addr, want := range map[string]string{
		"2002:7f00:1::":                        "loopback",       // 6to4 of 127.0.0.1
		"2002:a00:1::1":                        "private",        // 6to4 of 10.0.0.1
		"2002:c0a8:101:5::9":                   "private",        // 6to4 of 192.168.1.1
		"2002:a9fe:a9fe::":                     "cloud metadata", // 6to4 of 169.254.169.254
		"2002:6440:1::":                        "carrier-grade NAT (shared)",
		"2002:5db8:d822::1":                    "",                           // 6to4 of 93.184.216.34
		"2001:0:4136:e378:8000:63bf:80ff:fffe": "loopback",                   // Teredo, client 127.0.0.1
		"2001:0:4136:e378:8000:63bf:3fff:fdd2": "reserved (documentation)",   // Teredo, client 192.0.2.45
		"2001:0:a00:1::a247:27dd":              "private",                    // Teredo, server 10.0.0.1
		"2001:0:4136:e378::a247:27dd":          "",                           // Teredo, both public
		"64:ff9b::7f00:1":                      "loopback",                   // NAT64 of 127.0.0.1
		"64:ff9b::5db8:d822":                   "",                           // NAT64 of 93.184.216.34
		"64:ff9b:1::a00:1":                     "reserved (local-use NAT64)", // RFC 8215
		"::ffff:0:a00:1":                       "private",                    // SIIT of 10.0.0.1
		"::ffff:0:5db8:d822":                   "",                           // SIIT of 93.184.216.34
		"::ffff:169.254.169.254":               "cloud metadata",             // IPv4-mapped
		"::a00:1":                              "reserved",                   // IPv4-compatible
	} {
		if got := addrReason(netip.MustParseAddr(addr)); got != want {
			t.Errorf("addrReason(%s) = %q, want %q", addr, got, want)
		}
	}
}
