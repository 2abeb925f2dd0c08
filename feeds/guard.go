package feeds

// Address safety: feeds and pages may only be fetched from public
// addresses (unless Config.AllowPrivate). The check runs when a connection
// is made, on the addresses the host name resolved to, for every request
// including each redirect hop, so neither a redirect nor a DNS answer that
// changes between the check and the fetch (DNS rebinding) can reach a
// private address.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// ErrForbiddenAddress is wrapped by the errors of fetches and of Add that
// were refused because an address is not public.
var ErrForbiddenAddress = errors.New("address not allowed")

// AddressError says which address was refused and why.
type AddressError struct {
	Host   string     // the host name as given, if any
	Addr   netip.Addr // the refused address
	Reason string     // "loopback", "private", "link-local", "cloud metadata", ...
}

func (e *AddressError) Error() string {
	what := e.Addr.String()
	if e.Host != "" && e.Host != what {
		what = fmt.Sprintf("%s (%s)", e.Host, e.Addr)
	}
	return fmt.Sprintf("%s is a %s address; feeds and pages must be on public internet addresses", what, e.Reason)
}

func (e *AddressError) Unwrap() error { return ErrForbiddenAddress }

// ranges are the address blocks refused, with the reason given. The
// checks in addrReason come first; this table holds the rest. Order
// matters only for the reason named.
var ranges = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("169.254.169.254/32"), "cloud metadata"},
	{netip.MustParsePrefix("fd00:ec2::254/128"), "cloud metadata"},
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT (shared)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},
	{netip.MustParsePrefix("192.0.2.0/24"), "reserved (documentation)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "reserved (benchmarking)"},
	{netip.MustParsePrefix("198.51.100.0/24"), "reserved (documentation)"},
	{netip.MustParsePrefix("203.0.113.0/24"), "reserved (documentation)"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"}, // and 255.255.255.255
	{netip.MustParsePrefix("::/96"), "reserved"},       // IPv4-compatible, ::, ::1 handled before
	{netip.MustParsePrefix("100::/64"), "reserved (discard)"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "reserved (local-use NAT64)"},
	{netip.MustParsePrefix("2001:db8::/32"), "reserved (documentation)"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
}

// embedded are the IPv6 blocks whose addresses carry IPv4 addresses that
// a gateway or relay would connect to; each carried address is checked
// too, so that no tunnel reaches a private IPv4 address. at is the offset
// of the IPv4 address in the 16 bytes, and inverted marks Teredo's client
// address, stored with its bits flipped.
var embedded = []struct {
	prefix   netip.Prefix
	at       int
	inverted bool
}{
	{netip.MustParsePrefix("64:ff9b::/96"), 12, false},    // NAT64 (RFC 6052)
	{netip.MustParsePrefix("::ffff:0:0:0/96"), 12, false}, // SIIT, IPv4-translated (RFC 2765)
	{netip.MustParsePrefix("2002::/16"), 2, false},        // 6to4 (RFC 3056)
	{netip.MustParsePrefix("2001::/32"), 4, false},        // Teredo server (RFC 4380)
	{netip.MustParsePrefix("2001::/32"), 12, true},        // Teredo client
}

// addrReason returns why addr may not be fetched from, or "" if it is a
// public address.
func addrReason(addr netip.Addr) string {
	addr = addr.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	for _, e := range embedded {
		if !e.prefix.Contains(addr) {
			continue
		}
		b := addr.As16()
		v4 := [4]byte(b[e.at : e.at+4])
		if e.inverted {
			for i := range v4 {
				v4[i] ^= 0xff
			}
		}
		if reason := addrReason(netip.AddrFrom4(v4)); reason != "" {
			return reason
		}
	}
	for _, r := range ranges[:2] { // metadata before link-local
		if r.prefix.Contains(addr) {
			return r.reason
		}
	}
	switch {
	case !addr.IsValid():
		return "invalid"
	case addr.IsUnspecified():
		return "unspecified"
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		if addr.Is6() {
			return "unique-local (private)"
		}
		return "private"
	case addr.IsLinkLocalUnicast():
		return "link-local"
	case addr.IsMulticast(), addr.IsLinkLocalMulticast(), addr.IsInterfaceLocalMulticast():
		return "multicast"
	}
	for _, r := range ranges[2:] {
		if r.prefix.Contains(addr) {
			return r.reason
		}
	}
	return ""
}

// guard decides which addresses may be connected to.
type guard struct {
	allowPrivate bool
	// lookup resolves a host name; nil means net.DefaultResolver. Tests
	// replace it to make a public-looking name resolve to 127.0.0.1.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	// exempt, if set, lets tests mark some loopback listeners as if they
	// were public servers.
	exempt func(netip.AddrPort) bool
	dialer net.Dialer
}

// check returns an *AddressError if the address may not be connected to.
func (g *guard) check(host string, ap netip.AddrPort) error {
	if g.allowPrivate || (g.exempt != nil && g.exempt(ap)) {
		return nil
	}
	if reason := addrReason(ap.Addr()); reason != "" {
		return &AddressError{Host: host, Addr: ap.Addr().Unmap(), Reason: reason}
	}
	return nil
}

// resolve returns the addresses of host (an IP literal or a name).
func (g *guard) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	var (
		addrs []netip.Addr
		err   error
	)
	if g.lookup != nil {
		addrs, err = g.lookup(ctx, host)
	} else {
		addrs, err = net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	if err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
			return nil, fmt.Errorf("no such host %s", host)
		}
		return nil, fmt.Errorf("could not look up %s: %w", host, err)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("no address for host %s", host)
	}
	return addrs, nil
}

// checkHost resolves host and refuses it if any of its addresses is not
// public: a name with one private address is not fetched at all. It is
// the early check of Add, for a clear answer; the binding check is made
// at dial time.
func (g *guard) checkHost(ctx context.Context, host string, port uint16) error {
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if err := g.check(host, netip.AddrPortFrom(a, port)); err != nil {
			return err
		}
	}
	return nil
}

// DialContext is the transport's dialer: it resolves the host itself,
// refuses every address that is not public and connects to the allowed
// ones in turn. The socket's Control hook checks the address actually
// connected to once more, so that nothing reaches a forbidden address even
// if resolution were bypassed.
func (g *guard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	port, err := net.LookupPort(network, portStr)
	if err != nil {
		return nil, err
	}
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	var firstErr error
	for _, a := range addrs {
		ap := netip.AddrPortFrom(a.Unmap(), uint16(port))
		if err := g.check(host, ap); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		d := g.dialer
		d.Control = func(_, addr string, _ syscall.RawConn) error {
			got, err := netip.ParseAddrPort(addr)
			if err != nil {
				return fmt.Errorf("unexpected address %q", addr)
			}
			return g.check(host, got)
		}
		conn, err := d.DialContext(ctx, network, ap.String())
		if err == nil {
			return conn, nil
		}
		if firstErr == nil || errors.Is(firstErr, ErrForbiddenAddress) {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, firstErr
}
