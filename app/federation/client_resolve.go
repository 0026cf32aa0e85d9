package federation

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// ParseResolve turns configuration's ["host=ip:port", ...] (the
// federation.resolve key) into the ClientOptions.Resolve map, keyed by
// lower-cased host name.
func ParseResolve(entries []string) (map[string]string, error) {
	out := make(map[string]string, len(entries))
	for _, entry := range entries {
		host, target, ok := strings.Cut(entry, "=")
		host = normalizeHost(strings.TrimSpace(host))
		if !ok || host == "" {
			return nil, fmt.Errorf("federation: resolve entry %q: expected host=ip:port", entry)
		}
		ip, port, err := net.SplitHostPort(strings.TrimSpace(target))
		if err != nil {
			return nil, fmt.Errorf("federation: resolve entry %q: %w", entry, err)
		}
		addr, err := netip.ParseAddr(ip)
		if err != nil {
			return nil, fmt.Errorf("federation: resolve entry %q: %q is not an IP address", entry, ip)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("federation: resolve entry %q: bad port %q", entry, port)
		}
		if _, dup := out[host]; dup {
			return nil, fmt.Errorf("federation: resolve entry %q: host %s appears twice", entry, host)
		}
		out[host] = net.JoinHostPort(addr.String(), port)
	}
	return out, nil
}
