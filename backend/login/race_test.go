package login_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/pagekeeper/pagekeeper/backend/login"
)

// The owner cancels while Complete is storing what the login connected
// (the check after a connect takes seconds). Once Complete has stored
// everything, the login is over and done: Wait must not report it as
// stopped, which the window would tell as "nothing was changed" while the
// Pages are in fact connected.
func TestCancelWhileCompleteStoresIsNotAStop(t *testing.T) {
	stored, release := make(chan struct{}), make(chan struct{})
	f := start(t, func(c *login.Config) {
		c.Complete = func(ctx context.Context, tok *oauth2.Token) (login.Completion, error) {
			close(stored) // everything is stored from here on
			<-release
			return login.Completion{Connected: true}, nil
		}
	})
	go func() {
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
		if resp, err := c.Get("http://localhost:" + strconv.Itoa(f.port) + "/callback?code=" + goodCode + "&state=" + f.state()); err == nil {
			resp.Body.Close() // the cancel may drop the connection: the browser's part is not the point here
		}
	}()
	select {
	case <-stored:
	case <-time.After(10 * time.Second):
		t.Fatal("Complete never ran")
	}
	f.s.Cancel()
	close(release)
	if err := f.wait(t); err != nil {
		t.Fatalf("a login whose Complete stored everything ended with %v", err)
	}
}
