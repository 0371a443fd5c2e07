package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/browser"
	"github.com/pagekeeper/pagekeeper/backend/engine"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// EnvKeyringService names another keychain service than "pagekeeper", to
// keep two setups (or tests) apart.
const EnvKeyringService = keeper.EnvKeyringService

// openKeeper gives a command Pagekeeper's keeper: the one of the app the
// command runs in (an Engine command), or else its own on the data folder,
// with the environment's overrides. The usual failures become plain advice.
func openKeeper(ctx context.Context, env *Env, emit func(string, any)) (*keeper.Keeper, error) {
	if env.site != nil {
		return env.site.keeper(emit)
	}
	return openKeeperWait(ctx, env, emit, 0)
}

// openKeeperWait opens the data folder, waiting up to wait for another
// process to release it (0 = a second).
func openKeeperWait(ctx context.Context, env *Env, emit func(string, any), wait time.Duration) (*keeper.Keeper, error) {
	k, err := keeper.Open(ctx, keeper.Options{
		Secrets:     secretsFor(env),
		Emit:        emit,
		DataDir:     env.Getenv("PAGEKEEPER_DATA_DIR"),
		GraphURL:    env.Getenv(keeper.EnvGraphURL),
		FacebookURL: env.Getenv(keeper.EnvFacebookURL),
		Opener:      browser.Open,
		LockWait:    wait,
	})
	if errors.Is(err, store.ErrAlreadyRunning) && wait == 0 {
		if dir, derr := dataDir(env); derr == nil {
			if _, derr := engine.Dial(dir); derr == nil {
				return nil, fmt.Errorf("%w\nThe Pagekeeper app is using this data folder: do this in its window, or quit it and try again", err)
			}
		}
		return nil, fmt.Errorf("%w\nAnother pagekeeper command is using this data folder; try again when it has finished", err)
	}
	return k, err
}

// secretsFor is the keychain a command uses.
func secretsFor(env *Env) vault.Secrets {
	svc := env.Getenv(EnvKeyringService)
	if svc == "" {
		svc = vault.DefaultService
	}
	return vault.Keyring{Service: svc}
}

// fail prints err as "pagekeeper: ..." and returns code.
func fail(env *Env, code int, err error) int {
	fmt.Fprintf(env.Stderr, "pagekeeper: %v\n", err)
	return code
}
