// Package ttlcache keeps values for a while: a [Cache] holds each value
// for a time after it was put, and at most a number of them, dropping the
// oldest first. The adapters remember with it who is an admin, a guild's
// roles, and the requests they have answered already.
package ttlcache

import (
	"sync"
	"time"
)

// Cache is safe for concurrent use.
type Cache[K comparable, V any] struct {
	ttl time.Duration
	max int

	mu    sync.Mutex
	items map[K]item[V]
	order []stamp[K] // every put, oldest first; an entry whose seq is not its key's any more is stale
	seq   uint64
}

type item[V any] struct {
	v   V
	at  time.Time
	seq uint64
}

type stamp[K comparable] struct {
	k   K
	seq uint64
}

// New returns a cache that keeps a value for ttl after it was put, and at
// most max values.
func New[K comparable, V any](ttl time.Duration, max int) *Cache[K, V] {
	return &Cache[K, V]{ttl: ttl, max: max, items: map[K]item[V]{}}
}

// Get returns the value put under k, if it is still kept.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[k]
	if !ok || time.Since(it.at) > c.ttl {
		var zero V
		return zero, false
	}
	return it.v, true
}

// Put keeps v under k.
func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(k, v)
}

// Add keeps v under k unless a value is kept under k already, and reports
// whether it did: whether k is new.
func (c *Cache[K, V]) Add(k K, v V) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prune()
	if _, ok := c.items[k]; ok {
		return false
	}
	c.put(k, v)
	return true
}

// put keeps v under k, after making room.
func (c *Cache[K, V]) put(k K, v V) {
	c.prune()
	if _, ok := c.items[k]; !ok && len(c.items) >= c.max {
		c.dropOldest()
	}
	c.seq++
	c.items[k] = item[V]{v: v, at: time.Now(), seq: c.seq}
	c.order = append(c.order, stamp[K]{k: k, seq: c.seq})
}

// prune drops the values past their time, oldest first.
func (c *Cache[K, V]) prune() {
	now := time.Now()
	for len(c.order) > 0 {
		s := c.order[0]
		if it, ok := c.items[s.k]; ok && it.seq == s.seq {
			if now.Sub(it.at) <= c.ttl {
				return
			}
			delete(c.items, s.k)
		}
		c.order = c.order[1:]
	}
}

// dropOldest drops the value put longest ago.
func (c *Cache[K, V]) dropOldest() {
	for len(c.order) > 0 {
		s := c.order[0]
		c.order = c.order[1:]
		if it, ok := c.items[s.k]; ok && it.seq == s.seq {
			delete(c.items, s.k)
			return
		}
	}
}
