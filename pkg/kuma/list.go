package kuma

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// page is Kuma's list envelope.
type page[T any] struct {
	Total int     `json:"total"`
	Items []T     `json:"items"` // null on 2.2 for an empty list
	Next  *string `json:"next"`
}

// item is a list item that knows its identity, (mesh, name).
type item interface{ key() string }

// meta is the part every Kuma resource shares.
type meta struct {
	Mesh   string            `json:"mesh"`
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels"`
}

func (m meta) key() string { return m.Mesh + "\x00" + m.Name }

// list reads every page of path. It never requests `next`: kuma-cp builds it
// from the Host header with no path prefix and plain http, so behind a proxy
// it points elsewhere and would carry the token there. Pages are rebuilt
// from offset/size against the configured URL instead.
func list[T item](ctx context.Context, c *Client, path string) ([]T, error) {
	seen := map[string]bool{}
	var out []T
	offset := 0
	left := c.maxList
	for pages := 0; ; pages++ {
		if pages == c.maxPages {
			return nil, downstream(fmt.Errorf("control plane: GET %s: more than %d pages of %d items: raise the page cap (MaxPages)",
				path, c.maxPages, c.pageSize))
		}
		q := url.Values{"size": {strconv.Itoa(c.pageSize)}, "offset": {strconv.Itoa(offset)}}
		var p page[T]
		n, err := c.getCapped(ctx, path, q, &p, left)
		if err != nil {
			return nil, err
		}
		left -= n
		// Offset paging over a live list can repeat an item that moved.
		for _, it := range p.Items {
			if k := it.key(); !seen[k] {
				seen[k] = true
				out = append(out, it)
			}
		}
		if p.Next == nil || len(p.Items) == 0 {
			return out, nil
		}
		next := offset + len(p.Items)
		if n, ok := nextOffset(*p.Next); ok {
			next = n
		}
		if next <= offset {
			return nil, downstream(fmt.Errorf("control plane: GET %s: pagination does not advance past offset %d", path, offset))
		}
		offset = next
		if offset >= p.Total {
			return out, nil
		}
	}
}

// nextOffset reads only the offset parameter of a next link.
func nextOffset(next string) (int, bool) {
	u, err := url.Parse(next)
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(u.Query().Get("offset"))
	return n, err == nil
}
