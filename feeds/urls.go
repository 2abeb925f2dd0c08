package feeds

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// maxURLLen is the longest URL accepted.
const maxURLLen = 2048

// parseFeedURL reads a feed URL as given in chat or in FEEDS and returns
// it normalized (see normalizeURL). Chat platforms wrap links in angle
// brackets ("<https://...>", Slack's "<https://...|label>"); those are
// removed. The error is for people to read.
func parseFeedURL(raw string) (*url.URL, error) {
	s := strings.TrimSpace(raw)
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		s = strings.TrimSpace(s[1 : len(s)-1])
		if i := strings.IndexByte(s, '|'); i >= 0 {
			s = s[:i]
		}
	}
	if s == "" {
		return nil, errors.New("give the feed's address, such as https://example.org/feed.xml")
	}
	if len(s) > maxURLLen {
		return nil, fmt.Errorf("the address is longer than %d characters", maxURLLen)
	}
	if !strings.Contains(s, "://") {
		return nil, fmt.Errorf("%q is not a full address: give it with http:// or https://", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a valid address", s)
	}
	if err := checkWebURL(u); err != nil {
		return nil, err
	}
	if u.User != nil {
		return nil, errors.New("addresses with a user name or password are not supported")
	}
	return normalizeURL(u), nil
}

// checkWebURL refuses URLs that are not absolute http(s) URLs with a host.
func checkWebURL(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return fmt.Errorf("only http and https addresses can be followed, not %s: addresses", u.Scheme)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%q has no host name", u.String())
	}
	if u.Opaque != "" {
		return fmt.Errorf("%q is not a valid address", u.String())
	}
	if p := u.Port(); p != "" {
		if _, err := net.LookupPort("tcp", p); err != nil || p == "0" {
			return fmt.Errorf("%q has an invalid port", u.String())
		}
	}
	return nil
}

// normalizeURL returns a copy of u with the scheme and host in lower case,
// no trailing dot on the host, no default port, a path of at least "/",
// dot segments resolved, no empty query and no fragment. The result names
// the same resource.
func normalizeURL(u *url.URL) *url.URL {
	v := *u
	v.Scheme = strings.ToLower(v.Scheme)
	host := strings.TrimSuffix(strings.ToLower(v.Hostname()), ".")
	port := v.Port()
	if (v.Scheme == "http" && port == "80") || (v.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	v.Host = host
	v.User = nil
	v.Fragment, v.RawFragment = "", ""
	if v.Path == "" {
		v.Path, v.RawPath = "/", ""
	} else if strings.Contains(v.Path, "/.") {
		r := v.ResolveReference(&url.URL{Path: v.EscapedPath()}) // resolves . and ..
		v.Path, v.RawPath = r.Path, r.RawPath
	}
	v.ForceQuery = false
	return &v
}

// trackingParams are query parameters that only track where a click came
// from; canonicalURL removes them. Keys are lower case; utm_* is matched
// by prefix.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "igshid": true, "li_fat_id": true,
	"mc_cid": true, "mc_eid": true, "mkt_tok": true, "_ga": true, "_gl": true,
	"_hsenc": true, "_hsmi": true, "__hstc": true, "__hssc": true, "__hsfp": true,
	"oly_anon_id": true, "oly_enc_id": true, "vero_id": true, "vero_conv": true,
	"rb_clickid": true, "s_cid": true, "wickedid": true, "ref_src": true, "ref_url": true,
	"cmpid": true, "ncid": true, "sr_share": true, "at_medium": true, "at_campaign": true,
}

// canonicalURL returns u normalized (see normalizeURL) without tracking
// parameters (utm_*, fbclid, gclid, mc_cid, mc_eid, ...). The remaining
// parameters keep their order and spelling.
func canonicalURL(u *url.URL) *url.URL {
	v := normalizeURL(u)
	if v.RawQuery == "" {
		return v
	}
	parts := strings.Split(v.RawQuery, "&")
	kept := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		k, _, _ := strings.Cut(p, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		k = strings.ToLower(k)
		if strings.HasPrefix(k, "utm_") || trackingParams[k] {
			continue
		}
		kept = append(kept, p)
	}
	v.RawQuery = strings.Join(kept, "&")
	return v
}

// canonicalString parses s (relative to base, if not nil) and returns its
// canonical form, or "" if it is not an http(s) URL.
func canonicalString(base *url.URL, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if checkWebURL(u) != nil {
		return ""
	}
	return canonicalURL(u).String()
}

// sameSite reports whether two hosts belong to the same registrable domain
// (example.co.uk for www.example.co.uk and amp.example.co.uk). A page's
// <link rel=canonical> is honored only when it points into the same site
// as the page or the feed item's link, so that no page can claim another
// site's story and have it deduplicated away.
func sameSite(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	if a == b {
		return true
	}
	ea, err1 := publicsuffix.EffectiveTLDPlusOne(a)
	eb, err2 := publicsuffix.EffectiveTLDPlusOne(b)
	return err1 == nil && err2 == nil && ea == eb
}

// hostKey is the key of the per-host request limit: host name and port.
// Two ports of one machine are usually different servers (and the
// benchmark uses several listeners on 127.0.0.1), so they count as
// different hosts.
func hostKey(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(u.Scheme, "https") {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), port)
}
