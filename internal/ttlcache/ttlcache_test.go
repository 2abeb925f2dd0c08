package ttlcache

import (
	"testing"
	"time"
)

// Values are kept for their time and no longer, at most max of them, the
// oldest dropped first; Add keeps the first value of a key.
func TestCache(t *testing.T) {
	c := New[string, int](50*time.Millisecond, 3)
	if !c.Add("a", 1) || c.Add("a", 2) || !c.Add("b", 1) {
		t.Error("Add: first and repeat wrong")
	}
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Errorf("Get(a) = %v, %v; want the first value", v, ok)
	}
	c.Put("b", 5) // refreshed: now the newest
	c.Add("c", 1)
	c.Add("d", 1) // drops a, the oldest: at most 3 kept
	if len(c.items) > 3 {
		t.Errorf("%d values kept, want at most 3", len(c.items))
	}
	if _, ok := c.Get("a"); ok {
		t.Error("the oldest value was not dropped")
	}
	if v, ok := c.Get("b"); !ok || v != 5 {
		t.Errorf("Get(b) = %v, %v; want the refreshed value", v, ok)
	}
	time.Sleep(60 * time.Millisecond)
	if _, ok := c.Get("d"); ok || !c.Add("d", 1) {
		t.Error("a value outlived its time")
	}
	if len(c.items) != 1 || len(c.order) != 1 {
		t.Errorf("%d values and %d stamps after the others expired, want 1 and 1", len(c.items), len(c.order))
	}
}
