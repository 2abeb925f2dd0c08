package briefing

import "sync"

// wordTable maps words to int32 values: an open-addressing hash table with
// a cheap hash, for the lookups of term counting (termsAt), which does two
// per word of an article and its candidate bullets. Looking up a []byte
// word costs no allocation. The empty string is not a key.
type wordTable struct {
	keys []string // "" marks an empty slot
	vals []int32
	n    int // keys held
}

// wordHash hashes a word by its length and its first and last four bytes
// (or its bytes, if fewer), with a multiplication to mix them: a constant
// cost, as lexHash.
func wordHash[T string | []byte](w T) uint32 {
	n := len(w)
	var a, b uint32
	if n >= 4 {
		a = uint32(w[0]) | uint32(w[1])<<8 | uint32(w[2])<<16 | uint32(w[3])<<24
		b = uint32(w[n-4]) | uint32(w[n-3])<<8 | uint32(w[n-2])<<16 | uint32(w[n-1])<<24
	} else {
		for i := 0; i < n; i++ {
			a = a<<8 | uint32(w[i])
		}
	}
	h := (uint64(a)<<32 | uint64(b)) ^ uint64(n)*0x9e3779b97f4a7c15
	h *= 0xff51afd7ed558ccd
	return uint32(h ^ h>>29)
}

// get returns the value of word w, and whether w is a key.
func (t *wordTable) get(w []byte) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	mask := uint32(len(t.keys) - 1)
	for i := wordHash(w) & mask; ; i = (i + 1) & mask {
		k := t.keys[i]
		if k == string(w) { // compared in place, with no copy of w
			return t.vals[i], true
		}
		if k == "" {
			return 0, false
		}
	}
}

// put adds key, which the table does not hold, with value v. The table
// grows to keep at least half of its slots empty.
func (t *wordTable) put(key string, v int32) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	mask := uint32(len(t.keys) - 1)
	i := wordHash(key) & mask
	for t.keys[i] != "" {
		i = (i + 1) & mask
	}
	t.keys[i], t.vals[i] = key, v
	t.n++
}

func (t *wordTable) grow() {
	keys, vals := t.keys, t.vals
	size := max(2*len(keys), 64)
	t.keys, t.vals, t.n = make([]string, size), make([]int32, size), 0
	for i, k := range keys {
		if k != "" {
			t.put(k, vals[i])
		}
	}
}

// reset empties the table and keeps its room.
func (t *wordTable) reset() {
	if t.n > 0 {
		clear(t.keys)
		t.n = 0
	}
}

// stopTable holds the stopwords, for termsAt.
var stopTable = sync.OnceValue(func() *wordTable {
	t := &wordTable{}
	for w, in := range stopwords {
		if in && w != "" {
			t.put(w, 1)
		}
	}
	return t
})
