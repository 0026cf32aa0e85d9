package federation

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
)

// hostMetaAccept prefers the XRD form, which is what every implementation
// serves; the JSON form (RFC 6415 host-meta.json) is parsed too.
const hostMetaAccept = "application/xrd+xml, application/xml;q=0.9, application/json;q=0.8"

// hostMetaLink is one Link of a host-meta document, XML or JSON.
type hostMetaLink struct {
	Rel      string `xml:"rel,attr" json:"rel"`
	Template string `xml:"template,attr" json:"template"`
}

// lrddTemplate reads /.well-known/host-meta on domain and returns its LRDD
// template, which holds "{uri}" where the resource goes. Servers that
// delegate WebFinger to another host publish it there.
func (c *Client) lrddTemplate(ctx context.Context, domain string) (string, error) {
	raw := c.hostURL(domain, "/.well-known/host-meta")
	body, mediaType, err := c.get(ctx, raw, hostMetaAccept)
	if err != nil {
		return "", err
	}
	var doc struct {
		Links []hostMetaLink `xml:"Link" json:"links"`
	}
	if strings.HasSuffix(mediaType, "json") {
		err = json.Unmarshal(body, &doc)
	} else {
		err = xml.Unmarshal(body, &doc)
	}
	if err != nil {
		return "", fmt.Errorf("federation: %s: %w", raw, err)
	}
	for _, l := range doc.Links {
		if l.Rel == "lrdd" && strings.Contains(l.Template, "{uri}") {
			return l.Template, nil
		}
	}
	return "", fmt.Errorf("federation: %s: no lrdd template", raw)
}
