package engine

import "sync"

// Hub fans the keeper's events out to whoever listens besides the window:
// a command waiting for a check's progress, a script on /v1/events.
type Hub struct {
	mu   sync.Mutex
	next int
	subs map[int]func(name string, data any)
}

// NewHub returns a Hub with no listeners.
func NewHub() *Hub { return &Hub{subs: map[int]func(string, any){}} }

// Emit calls every listener; it has the keeper's Emit signature.
func (h *Hub) Emit(name string, data any) {
	h.mu.Lock()
	fns := make([]func(string, any), 0, len(h.subs))
	for _, fn := range h.subs {
		fns = append(fns, fn)
	}
	h.mu.Unlock()
	for _, fn := range fns {
		fn(name, data)
	}
}

// Subscribe adds a listener until the returned cancel is called.
func (h *Hub) Subscribe(fn func(name string, data any)) (cancel func()) {
	h.mu.Lock()
	id := h.next
	h.next++
	h.subs[id] = fn
	h.mu.Unlock()
	return func() {
		h.mu.Lock()
		delete(h.subs, id)
		h.mu.Unlock()
	}
}
