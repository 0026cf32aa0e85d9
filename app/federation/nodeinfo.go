package federation

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// nodeinfoSchema prefixes the link relations of NodeInfo 2.x documents,
// which servers write with http or https.
const nodeinfoSchema = "nodeinfo.diaspora.software/ns/schema/2."

// NodeInfo reads /.well-known/nodeinfo on host (a host name, optionally
// with a port) and the newest 2.x document it links (2.1 before 2.0), and
// returns the software name and version it states and the raw document.
func (c *Client) NodeInfo(ctx context.Context, host string) (software, version string, raw []byte, err error) {
	if err := checkHost(host); err != nil {
		return "", "", nil, err
	}
	var index struct {
		Links []struct {
			Rel  string `json:"rel"`
			Href string `json:"href"`
		} `json:"links"`
	}
	if _, err := c.getJSON(ctx, c.hostURL(host, "/.well-known/nodeinfo"), "application/json", &index); err != nil {
		return "", "", nil, fmt.Errorf("federation: nodeinfo %s: %w", host, err)
	}
	href, best := "", -1
	for _, l := range index.Links {
		rel := strings.TrimPrefix(strings.TrimPrefix(l.Rel, "http://"), "https://")
		minor, ok := strings.CutPrefix(rel, nodeinfoSchema)
		n, err := strconv.Atoi(minor)
		if ok && err == nil && n > best {
			href, best = l.Href, n
		}
	}
	if href == "" {
		return "", "", nil, fmt.Errorf("federation: nodeinfo %s: no 2.x document linked", host)
	}
	var doc struct {
		Software struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"software"`
	}
	raw, err = c.getJSON(ctx, href, "application/json", &doc)
	if err != nil {
		return "", "", nil, fmt.Errorf("federation: nodeinfo %s: %w", host, err)
	}
	return doc.Software.Name, doc.Software.Version, raw, nil
}
