package federation

import (
	"errors"
	"net/netip"
)

// ErrForbiddenAddress is wrapped by the error of a request whose target
// resolved to an address outside the public internet (loopback, private,
// link-local, CGNAT, multicast, unspecified, ...), unless
// ClientOptions.AllowPrivate is set. Retrying cannot help.
var ErrForbiddenAddress = errors.New("federation: forbidden address")

// Ranges that net/netip has no predicate for.
var forbiddenPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),     // "this network": 0.0.0.0 reaches the local host on Linux
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT, private to the provider
	netip.MustParsePrefix("240.0.0.0/4"),   // reserved, and the limited broadcast address
	netip.MustParsePrefix("fec0::/10"),     // deprecated site-local, still routed internally in places
}

// nat64 is the well-known NAT64 prefix, whose addresses embed an IPv4
// address that a translator on the network would connect to.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// forbiddenAddr reports whether ip must not be dialed from a public
// server. IPv4-mapped and NAT64 forms are judged by the IPv4 address they
// carry, since that is what the connection reaches.
func forbiddenAddr(ip netip.Addr) bool {
	ip = ip.WithZone("").Unmap()
	if nat64.Contains(ip) {
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte(b[12:]))
	}
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return true
	}
	for _, p := range forbiddenPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
