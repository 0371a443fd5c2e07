package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/pagekeeper/pagekeeper/backend/browser"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// EnvKeyringService names another keychain service than "pagekeeper", to
// keep two setups (or tests) apart.
const EnvKeyringService = keeper.EnvKeyringService

// openKeeper opens Pagekeeper's data for a command, with the environment's
// overrides, and turns the usual failures into plain advice.
func openKeeper(ctx context.Context, env *Env, emit func(string, any)) (*keeper.Keeper, error) {
	var secrets vault.Secrets
	if svc := env.Getenv(EnvKeyringService); svc != "" {
		secrets = vault.Keyring{Service: svc}
	}
	k, err := keeper.Open(ctx, keeper.Options{
		Secrets:     secrets,
		Emit:        emit,
		DataDir:     env.Getenv("PAGEKEEPER_DATA_DIR"),
		GraphURL:    env.Getenv(keeper.EnvGraphURL),
		FacebookURL: env.Getenv(keeper.EnvFacebookURL),
		Opener:      browser.Open,
	})
	if errors.Is(err, store.ErrAlreadyRunning) {
		return nil, fmt.Errorf("%w\nThe Pagekeeper window (or another pagekeeper command) is using this data folder; close it and try again", err)
	}
	return k, err
}

// fail prints err as "pagekeeper: ..." and returns code.
func fail(env *Env, code int, err error) int {
	fmt.Fprintf(env.Stderr, "pagekeeper: %v\n", err)
	return code
}
