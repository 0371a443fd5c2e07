//go:build !windows

package notify

func headless() Sender { return &lazyDBus{} }
