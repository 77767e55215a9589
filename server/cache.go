package server

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
)

// respCache keeps the encoded JSON of the profile and neighbourhood
// answers for the life of one read model: an answer depends on nothing
// else, so it is dropped with the model when a write makes a new one.
// Every answer is kept, small ones included: under load the same entities
// come back again and again, and bytes served from here cost no encoding
// and no garbage, where re-encoding a profile allocates its whole tree.
// The bytes hold no pointers, so a full cache adds almost nothing to the
// garbage collector's marking. It holds at most about limit bytes,
// evicting entries at random to make room. It is a sync.Map, whose
// lookups take no lock: with a mutex, 200 clients reading while misses
// filled it queued on the lock.
type respCache struct {
	m     sync.Map // string → answer
	bytes atomic.Int64
	limit int64
	evict sync.Mutex // one evictor at a time
}

// cacheLimit bounds the cache of one model. An answer over an eighth of
// it (a hub's, at megabytes) is not kept.
const cacheLimit = 512 << 20

func newRespCache(limit int) *respCache {
	return &respCache{limit: int64(limit)}
}

// answer is an encoded answer with its Content-Length header value, made
// once.
type answer struct {
	body   []byte
	length []string
}

func newAnswer(b []byte) *answer {
	return &answer{body: b, length: []string{strconv.Itoa(len(b))}}
}

func (c *respCache) get(key string) (*answer, bool) {
	v, ok := c.m.Load(key)
	if !ok {
		return nil, false
	}
	return v.(*answer), true
}

func (c *respCache) put(key string, a *answer) {
	n := int64(len(a.body))
	if n > c.limit/8 {
		return
	}
	if old, loaded := c.m.Swap(key, a); loaded {
		n -= int64(len(old.(*answer).body))
	}
	if c.bytes.Add(n) <= c.limit {
		return
	}
	c.evict.Lock()
	defer c.evict.Unlock()
	// Range goes in hash order, random with respect to the keys, and
	// tolerates concurrent stores.
	c.m.Range(func(k, v any) bool {
		if c.bytes.Load() <= c.limit {
			return false
		}
		if k.(string) != key && c.m.CompareAndDelete(k, v) {
			c.bytes.Add(-int64(len(v.(*answer).body)))
		}
		return true
	})
}

// bufPool recycles the buffers answers are encoded into: on a large heap
// every byte allocated costs garbage-collection work.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// cachedJSON answers from md's cache when it can; otherwise encode
// appends the answer to a pooled buffer, which is written and a copy kept
// in the cache.
func (s *Server) cachedJSON(w http.ResponseWriter, r *http.Request, md *model, encode func(buf []byte) ([]byte, error)) {
	skey := r.URL.Path + "?" + r.URL.RawQuery
	if a, ok := md.cache.get(skey); ok {
		writeAnswer(w, a)
		return
	}
	bp := bufPool.Get().(*[]byte)
	b, err := encode((*bp)[:0])
	if err != nil {
		bufPool.Put(bp)
		s.writeError(w, r, err)
		return
	}
	kept := make([]byte, len(b))
	copy(kept, b)
	if cap(b) <= 1<<20 { // a hub's answer would pin a megabyte a buffer
		*bp = b[:0]
		bufPool.Put(bp)
	}
	a := newAnswer(kept)
	md.cache.put(skey, a)
	writeAnswer(w, a)
}

// Header values shared by every JSON answer: assigning a shared slice
// saves the allocation Header.Set makes for each value. net/http only
// reads them.
var (
	hdrJSON    = []string{"application/json; charset=utf-8"}
	hdrNoStore = []string{"no-store"}
)

// writeAnswer writes an encoded JSON answer with status 200 and its
// length, so that it goes out in one piece rather than chunked.
func writeAnswer(w http.ResponseWriter, a *answer) {
	h := w.Header()
	h["Content-Type"] = hdrJSON
	h["Cache-Control"] = hdrNoStore
	h["Content-Length"] = a.length
	w.WriteHeader(http.StatusOK)
	w.Write(a.body)
}

// cachedFirst answers from the current model's cache, when the model is
// fresh and holds the answer, before h: before admission, since a cached
// answer costs no more than writing it and must not queue behind answers
// being computed, and before reading the parameters, since an answer is
// cached under its exact path and query only if that query was valid.
// Everything else goes to h, which answers and fills the cache.
func (s *Server) cachedFirst(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if md := s.model.fresh(); md != nil {
			if a, ok := md.cache.get(r.URL.Path + "?" + r.URL.RawQuery); ok {
				writeAnswer(w, a)
				return
			}
		}
		h(w, r)
	}
}
