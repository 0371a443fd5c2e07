package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/engine"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

// `pagekeeper status` over 1,000 Pages, from opening the data folder to the
// printed table; the goal is at most 50 ms.
func BenchmarkStatus1000(b *testing.B) {
	dir := b.TempDir()
	db, err := store.Open(dir + "/pagekeeper.db")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	statuses := []string{"valid", "valid", "valid", "warning", "invalid", "unknown"}
	err = db.Update(func(tx *store.Tx) error {
		for _, who := range []string{"1001", "1002"} {
			if err := tx.PutProfile(store.Profile{ID: who, Name: "Person " + who, ConnectedAt: now}); err != nil {
				return err
			}
		}
		for i := range 1000 {
			p := store.Page{ID: fmt.Sprintf("2%014d", i), Name: fmt.Sprintf("Page %04d", i), ProfileID: []string{"1001", "1002"}[i%2],
				Status: statuses[i%len(statuses)], Summary: "A plain-words summary of what happened to this Page.",
				Fix: "What to do about it.", Tasks: []string{"ANALYZE", "MODERATE", "MESSAGING"}, CheckedAt: now, UpdatedAt: now,
				Features: map[string]string{"publishing": "", "messenger": "", "insights": "", "webhooks": ""}}
			if err := tx.PutPage(p); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	env := dirEnv(dir, io.Discard, io.Discard)
	for _, args := range [][]string{{"status"}, {"status", "--json"}} {
		b.Run(strings.Join(args, " "), func(b *testing.B) {
			for b.Loop() {
				if code := Main(context.Background(), env, args); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
	// The same command while the window runs: through its socket.
	b.Run("status beside the window", func(b *testing.B) {
		hub := engine.NewHub()
		k, err := openKeeper(context.Background(), env, hub.Emit)
		if err != nil {
			b.Fatal(err)
		}
		defer k.Close()
		srv, err := ServeEngine(k, hub)
		if err != nil {
			b.Fatal(err)
		}
		defer srv.Close()
		for b.Loop() {
			if code := Main(context.Background(), env, []string{"status"}); code != 0 {
				b.Fatalf("exit %d", code)
			}
		}
	})
}
